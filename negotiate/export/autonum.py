"""Word automatic numbering for a redline built from text inputs.

A redline of .txt/.md/.html/.pdf versions types each label at the start of its
paragraph. Where the labels form a sequence, the label is Word's automatic
numbering instead (`w:numPr`), as in the drafts people circulate. The sequences
(CONVENTIONS), each a list of its own so that one does not disturb another's
counters: paragraphs `1.` with `(a)` and `(i)` below them; sections `I.` with
`A.` below; `a)`; Russian `а)`; Chinese `一、` with `（一）` or `(一)` below;
`Article 1`, `Annex I`, `第一条`. `12 bis.`, `(a bis)`, `1.1` and anything else
stay typed.

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

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..numerals import from_chinese, from_roman
from .wordml import DocxWriter, Level, Para, paragraph_levels

_RU = "абвгдежзиклмнопрстуфхцчшщэюя"   # Word's russianLower letters, as ingest.numbering counts them
_ZH = "〇零一二三四五六七八九十百"


def _roman(s: str) -> int | None:
    return from_roman(s)


def _one_letter(s: str) -> int | None:
    return ord(s.lower()) - 96 if len(s) == 1 and "a" <= s.lower() <= "z" else None


def _russian(s: str) -> int | None:
    return _RU.index(s) + 1 if len(s) == 1 and s in _RU else None


@dataclass(frozen=True)
class _Family:
    """One sequence of labels, one abstract list: per level, the label's pattern
    (its number as group 1), how to read that number, and the level as Word writes it."""
    levels: tuple[tuple[re.Pattern, Callable[[str], int | None], Level], ...]
    # A list may start (or restart) on a label two of its levels could read, at the level
    # where it reads 1 ("I." a section, not the ninth letter); the paragraph list keeps
    # its earlier rule (such a label stays typed) so that its outputs do not change.
    start_at_one: bool = True

    def abstract(self) -> list[Level]:
        return [dataclasses.replace(lv) for _, _, lv in self.levels]   # the writer's own copies


# Levels of the paragraph list below its three (1. / (a) / (i)) whose text shows the paragraph's
# number: "1.1" (%1.%4: its own counter after the paragraph's), "12 bis." … (%1 bis.: the
# paragraph's number and a Latin ordinal, the level's own counter not shown) — so an inserted
# paragraph renumbers them too, as Word does. Their label's first group is the paragraph number
# they need (`_PARENT`); the second, when there is one, their own value.
_ORDINALS = ("bis", "ter", "quater")
_PARENT = {(0, lvl) for lvl in range(3, 5 + len(_ORDINALS))}
_FAMILIES = (
    _Family(((re.compile(r"^(\d{1,4})\.$"), int, Level("decimal", "%1.")),
             (re.compile(r"^\(([a-z])\)$"), _one_letter, Level("lowerLetter", "(%2)")),
             (re.compile(r"^\(([ivxlc]+)\)$"), _roman, Level("lowerRoman", "(%3)")),
             (re.compile(r"^(\d{1,4})\.(\d{1,3})$"), int, Level("decimal", "%1.%4", depth=1)),
             (re.compile(r"^(\d{1,4})\.(\d{1,3})\.$"), int, Level("decimal", "%1.%5.", depth=1)),
             *((re.compile(rf"^(\d{{1,4}}) {o}\.$"), int, Level("decimal", f"%1 {o}.", depth=0)) for o in _ORDINALS)),
            start_at_one=False),
    _Family(((re.compile(r"^([IVXLC]+)\.$"), _roman, Level("upperRoman", "%1.")),
             (re.compile(r"^([A-Z])\.$"), _one_letter, Level("upperLetter", "%2.")))),
    _Family(((re.compile(r"^([a-z])\)$"), _one_letter, Level("lowerLetter", "%1)")),)),
    _Family(((re.compile(r"^([а-я])\)$"), _russian, Level("russianLower", "%1)")),)),
    _Family(((re.compile(f"^([{_ZH}]+)、$"), from_chinese, Level("chineseCounting", "%1、")),
             (re.compile(f"^（([{_ZH}]+)）$"), from_chinese, Level("chineseCounting", "（%2）")))),
    _Family(((re.compile(f"^\\(([{_ZH}]+)\\)$"), from_chinese, Level("chineseCounting", "(%1)")),)),
    _Family(((re.compile(r"^Article (\d{1,3})$"), int, Level("decimal", "Article %1")),)),
    _Family(((re.compile(r"^Annex ([IVXLC]+)$"), _roman, Level("upperRoman", "Annex %1")),)),
    _Family(((re.compile(f"^第([{_ZH}]+)条$"), from_chinese, Level("chineseCounting", "第%1条")),)),
)
assert paragraph_levels() == _FAMILIES[0].abstract()[:3]   # the paragraph list is wordml's


def _candidates(label: str) -> dict[tuple[int, int], tuple[int | None, int | None]]:
    """(family, level) → (value, the paragraph number it needs), for every level of every
    sequence that can read `label`; value None: any (a level whose counter is not shown)."""
    out: dict[tuple[int, int], tuple[int | None, int | None]] = {}
    for f, fam in enumerate(_FAMILIES):
        for lvl, (rx, value, _) in enumerate(fam.levels):
            m = rx.match(label)
            if not m:
                continue
            if (f, lvl) in _PARENT:
                own = value(m.group(2)) if m.re.groups > 1 else None
                if (own is None and m.re.groups > 1) or own == 0:
                    continue
                out[(f, lvl)] = (own, int(m.group(1)))
            else:
                v = value(m.group(1))
                if v:
                    out[(f, lvl)] = (v, None)
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

    def fits(self, num: int, overrides: dict[int, int], lvl: int, want: tuple[int | None, int | None]) -> bool:
        value, parent = want
        if parent is not None and self.counters.get(0) != parent:
            return False
        return value is None or self.predict(num, overrides, lvl) == value

    def commit(self, num: int, lvl: int, value: int) -> None:
        self.counters[lvl] = value
        self.started.add(num)
        for k in range(lvl):
            self.counters.setdefault(k, 1)
        for d in [d for d in self.counters if d > lvl]:
            del self.counters[d]


def _label(p: Para, side: str) -> str:
    return "".join(r.text for r in p.runs if r.label and not (r.ins if side == "old" else r.delete)).strip()


def _has_text(p: Para, side: str) -> bool:
    return any(r.text.strip() for r in p.runs if not r.label and not (r.ins if side == "old" else r.delete))


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
    # Per sequence: its abstract list, each reading's counters, the current list instance.
    abstract: dict[int, int] = {}
    acc = {f: _Counters() for f in range(len(_FAMILIES))}
    rej = {f: _Counters() for f in range(len(_FAMILIES))}
    cur: dict[int, int] = {}
    overrides: dict[int, dict[int, int]] = {}
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
        if (in_acc and not _has_text(p, "new")) or (in_rej and not _has_text(p, "old")):
            # A label alone ("Article 3" on its own line) in either reading: numbered, the
            # paragraph would have no text, and an empty paragraph is no block to a reader.
            continue
        want = []
        if in_acc:
            want.append((acc, _candidates(_label(p, "new"))))
        if in_rej:
            want.append((rej, _candidates(_label(p, "old"))))
        if not want or any(not c for _, c in want):
            continue
        keys = set.intersection(*(set(c) for _, c in want))
        for f in sorted({f for f, _ in keys}):
            fam = _FAMILIES[f]
            levels = {lvl for g, lvl in keys if g == f}
            choice = None
            if f in cur:
                choice = next((lvl for lvl in sorted(levels)
                               if all(v[f].fits(cur[f], overrides[f], lvl, c[(f, lvl)]) for v, c in want)), None)
            if choice is None:
                # A restart: a new list instance whose start override gives this value — only
                # where the paragraph is in both readings and both want the same number.
                if not (in_acc and in_rej):
                    continue
                levels = {lvl for lvl in levels if (f, lvl) not in _PARENT}   # no restart on "12 bis."
                if len(levels) != 1 and fam.start_at_one:
                    levels = {lvl for lvl in levels if all(c[(f, lvl)][0] == 1 for _, c in want)}
                if len(levels) != 1:
                    continue
                lvl = next(iter(levels))
                values = {c[(f, lvl)][0] for _, c in want}
                if len(values) != 1:
                    continue
                if f not in abstract:
                    w.abstracts.append(fam.abstract())
                    abstract[f] = len(w.abstracts) - 1
                overrides[f] = {lvl: values.pop()}
                cur[f] = w.instance(abstract[f], overrides[f])
                choice = lvl
            for v, c in want:
                value = c[(f, choice)][0]
                v[f].commit(cur[f], choice, v[f].predict(cur[f], overrides[f], choice) if value is None else value)
            p.num = (cur[f], choice)
            p.runs = [r for r in p.runs if not r.label]
            n += 1
            break
    return n
