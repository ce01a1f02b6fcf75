"""Word automatic numbering for a redline built from text inputs.

A redline of .txt/.md/.html/.pdf versions types each label at the start of its
paragraph. Where the labels form a sequence (`1.`, `2.` … with `(a)`, `(b)` and
`(i)`, `(ii)` below them), the label is Word's automatic numbering instead
(`w:numPr` into one multilevel list), as in the drafts people circulate.

Both readings of the redline must still give their version's labels: all changes
accepted, NEW's; all rejected, OLD's. Each paragraph is therefore numbered only
where Word's counters — simulated for the accepted and the rejected document at
once, with the rules the reader applies (`ingest.numbering`) — give exactly the
label each version has there. A renumbering caused by an inserted or deleted
paragraph then needs no tracked change at all (Word renumbers, as it does for the
user). Where the counters disagree with a version (a `bis` paragraph, a gap, a
paragraph split or merged), the label stays typed and tracked, and the sequence
restarts (a list instance with a start override) where both versions agree again.
"""
from __future__ import annotations

import re

from ..numerals import from_roman
from .wordml import DocxWriter, Para, paragraph_levels

_DEC = re.compile(r"^(\d{1,4})\.$")
_LET = re.compile(r"^\(([a-z])\)$")
_ROM = re.compile(r"^\(([ivxlc]+)\)$")


def _candidates(label: str) -> dict[int, int]:
    """level → value for a label of the paragraph list: 1. / (a) / (i)."""
    out = {}
    m = _DEC.match(label)
    if m:
        out[0] = int(m.group(1))
    m = _LET.match(label)
    if m:
        out[1] = ord(m.group(1)) - 96
    m = _ROM.match(label)
    if m:
        v = from_roman(m.group(1))
        if v:
            out[2] = v
    return out


class _Counters:
    """One reading's counters of the list's abstract definition (see Numbering.next_label)."""

    def __init__(self):
        self.counters: dict[int, int] = {}
        self.started: set[int] = set()

    def predict(self, num: int, overrides: dict[int, int], lvl: int) -> int:
        if num not in self.started and lvl in overrides:
            return overrides[lvl]
        return self.counters[lvl] + 1 if lvl in self.counters else 1

    def commit(self, num: int, lvl: int, value: int) -> None:
        self.counters[lvl] = value
        self.started.add(num)
        for k in range(lvl):
            self.counters.setdefault(k, 1)
        for d in [d for d in self.counters if d > lvl]:
            del self.counters[d]


def _label(p: Para, side: str) -> str:
    return "".join(r.text for r in p.runs if r.label and not (r.ins if side == "old" else r.delete)).strip()


def _views(p: Para) -> tuple[bool, bool] | None:
    """(in the accepted document, in the rejected one), or None for a paragraph that a
    split or a merge joins with its neighbour in one of them (left typed)."""
    if p.move:
        return (p.move[0] == "to", p.move[0] == "from")
    if p.mark_ins or p.mark_del:
        whole_ins = bool(p.mark_ins) and all(r.ins for r in p.runs) and p.runs
        whole_del = bool(p.mark_del) and all(r.delete for r in p.runs) and p.runs
        if whole_ins:
            return (True, False)
        if whole_del:
            return (False, True)
        return None
    return (True, True)


def number(w: DocxWriter) -> int:
    """Give the paragraphs of `w` automatic numbering where both readings keep their
    labels (see the module's docstring); returns how many paragraphs are numbered."""
    paras = [p for p in w.body if isinstance(p, Para)]
    if not any(r.label for p in paras for r in p.runs):
        return 0
    abstract = None
    acc, rej = _Counters(), _Counters()
    cur, overrides = None, {}
    n = 0
    blocked = False
    for p in paras:
        views = _views(p)
        if views is None:
            blocked = True      # this paragraph and the next are joined in one reading
            continue
        if blocked:
            blocked = False
            continue
        in_acc, in_rej = views
        if not any(r.label for r in p.runs):
            continue
        want = []
        if in_acc:
            want.append((acc, _candidates(_label(p, "new"))))
        if in_rej:
            want.append((rej, _candidates(_label(p, "old"))))
        if not want or any(not c for _, c in want):
            continue
        levels = set.intersection(*(set(c) for _, c in want))
        choice = None
        if cur is not None:
            choice = next((lvl for lvl in sorted(levels)
                           if all(v.predict(cur, overrides, lvl) == c[lvl] for v, c in want)), None)
        if choice is None:
            # A restart: a new list instance whose start override gives this value — only
            # where the paragraph is in both readings and both want the same number.
            if not (in_acc and in_rej) or len(levels) != 1:
                continue
            lvl = next(iter(levels))
            values = {c[lvl] for _, c in want}
            if len(values) != 1:
                continue
            if abstract is None:
                w.abstracts.append(paragraph_levels())
                abstract = len(w.abstracts) - 1
            overrides = {lvl: values.pop()}
            cur = w.instance(abstract, overrides)
            choice = lvl
        for v, c in want:
            v.commit(cur, choice, c[choice])
        p.num = (cur, choice)
        p.runs = [r for r in p.runs if not r.label]
        n += 1
    return n
