"""Word automatic numbering for a redline built from text inputs.

A redline of .txt/.md/.html/.pdf versions types each label at the start of its
paragraph. Where the labels form a sequence, the label is Word's automatic
numbering instead (`w:numPr`), as in the drafts people circulate. The sequences
(CONVENTIONS), each a list of its own so that one does not disturb another's
counters: paragraphs `1.` with `(a)` and `(i)` below them; sections `I.` with
`A.` below; `a)`; Russian `а)`; Chinese `一、` with `（一）` or `(一)` below;
`Article 1`, `Annex I`, `第一条`. Below the paragraphs, levels that show the number
above them: `1.1`, `1.1.`, `12 bis.` (ter, quater) and `(a bis)` (ter, quater) —
Word has nine levels, so the last of these take the ones a document leaves free
(`_slots`). A label alone on its line (`3.` with no text) is numbered too: the
paragraph has no text, and the docx reader reads such a paragraph as its label.
Anything else stays typed.

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
import functools
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

    def abstract(self, slots: dict[int, int] | None = None) -> list[Level]:
        """Word's levels (the writer's own copies): each level where `slots` puts it
        (level → ilvl; by default each at its own index). A slot no level takes is a
        plain decimal level nothing uses."""
        slots = slots if slots is not None else {k: k for k in range(len(self.levels))}
        out = [Level("decimal", f"%{i + 1}.") for i in range(max(slots.values()) + 1)]
        for k, i in slots.items():
            out[i] = dataclasses.replace(self.levels[k][2])
        return out


# Levels of the paragraph list below its three (1. / (a) / (i)) whose text shows the number of
# the paragraph or subparagraph above: "1.1" (%1.%4: its own counter after the paragraph's),
# "12 bis." … (%1 bis.: the paragraph's number and a Latin ordinal, the level's own counter not
# shown), "(a bis)" … ((%2 bis): the subparagraph's letter) — so an inserted paragraph or
# subparagraph renumbers them too, as Word does. Their label's first group is the number they
# need of the level above (`_PARENT`: level → that level); the second, when there is one, their
# own value.
_ORDINALS = ("bis", "ter", "quater")
_PARENT = {(0, lvl): 0 for lvl in range(3, 5 + len(_ORDINALS))} | \
          {(0, lvl): 1 for lvl in range(5 + len(_ORDINALS), 5 + 2 * len(_ORDINALS))}
# Word has nine levels (ilvl 0–8) and the paragraph list has more: its first eight keep their
# index (outputs made before "(a bis)" was numbered stay as they were); "(a bis)" … take the ninth,
# then any of 3–7 that no label of the document needs (`_slots`). One that finds none stays typed.
_WORD_LEVELS = 9
_FAMILIES = (
    _Family(((re.compile(r"^(\d{1,4})\.$"), int, Level("decimal", "%1.")),
             (re.compile(r"^\(([a-z])\)$"), _one_letter, Level("lowerLetter", "(%2)")),
             (re.compile(r"^\(([ivxlc]+)\)$"), _roman, Level("lowerRoman", "(%3)")),
             (re.compile(r"^(\d{1,4})\.(\d{1,3})$"), int, Level("decimal", "%1.%4", depth=1)),
             (re.compile(r"^(\d{1,4})\.(\d{1,3})\.$"), int, Level("decimal", "%1.%5.", depth=1)),
             *((re.compile(rf"^(\d{{1,4}}) {o}\.$"), int, Level("decimal", f"%1 {o}.", depth=0)) for o in _ORDINALS),
             *((re.compile(rf"^\(([a-z]) {o}\)$"), _one_letter, Level("lowerLetter", f"(%2 {o})", depth=1))
               for o in _ORDINALS)),
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
assert paragraph_levels() == _FAMILIES[0].abstract({k: k for k in range(3)})   # the paragraph list is wordml's


# (family, level) → (value, the number it needs of the level above); see _candidates.
Candidates = dict[tuple[int, int], tuple[int | None, int | None]]


@functools.lru_cache(maxsize=4096)   # labels repeat ("(a)" under every paragraph); callers only read the dict
def _candidates(label: str) -> Candidates:
    """(family, level) → (value, the number it needs of the level above, `_PARENT`), for
    every level of every sequence that can read `label`; value None: any (a level whose
    counter is not shown)."""
    out: dict[tuple[int, int], tuple[int | None, int | None]] = {}
    for f, fam in enumerate(_FAMILIES):
        for lvl, (rx, value, _) in enumerate(fam.levels):
            m = rx.match(label)
            if not m:
                continue
            if (f, lvl) in _PARENT:
                own = value(m.group(2)) if m.re.groups > 1 else None
                above = fam.levels[_PARENT[(f, lvl)]][1](m.group(1))
                if (own is None and m.re.groups > 1) or own == 0 or not above:
                    continue
                out[(f, lvl)] = (own, above)
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

    def fits(self, num: int, overrides: dict[int, int], lvl: int, want: tuple[int | None, int | None],
             above: int = 0) -> bool:
        """Whether a paragraph at `lvl` gets the value wanted; `above`: the level whose
        counter a level showing the number above it (`_PARENT`) needs at the wanted number."""
        value, parent = want
        if parent is not None and self.counters.get(above) != parent:
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


def _slots(read: list[tuple[Candidates, Candidates]]) -> list[dict[int, int]]:
    """Per sequence, where each of its levels goes in Word's nine (level → ilvl): the levels
    that follow the paragraph list's first eight ("(a bis)" …) take a slot that no label of
    either version needs (`_WORD_LEVELS`); one that finds no slot has none (stays typed).
    `read`: each labelled paragraph's candidates in NEW and in OLD."""
    out = [{k: k for k in range(min(len(fam.levels), _WORD_LEVELS))} for fam in _FAMILIES]
    for f, fam in enumerate(_FAMILIES):
        extra = range(_WORD_LEVELS - 1, len(fam.levels))
        if not extra:
            continue
        out[f] = {k: k for k in range(_WORD_LEVELS - 1)}
        used = {k for both in read for c in both for g, k in c if g == f}
        free = [_WORD_LEVELS - 1] + [k for k in range(3, _WORD_LEVELS - 1) if k not in used]
        for k in extra:
            if k in used and free:
                out[f].pop(free[0], None)
                out[f][k] = free.pop(0)
    return out


def number(w: DocxWriter) -> int:
    """Give the paragraphs of `w` automatic numbering where both readings keep their
    labels (see the module's docstring); returns how many paragraphs are numbered."""
    paras = [p for p in w.body if isinstance(p, Para)]
    if not any(r.label for p in paras for r in p.runs):
        return 0
    # Per sequence: its abstract list, where its levels go, each reading's counters (by
    # Word's level, ilvl), the current list instance.
    labelled = [p for p in paras if any(r.label for r in p.runs)]
    read = {id(p): (_candidates(_label(p, "new")), _candidates(_label(p, "old"))) for p in labelled}
    slots = _slots(list(read.values()))
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
        want = []
        if in_acc:
            want.append((acc, read[id(p)][0]))
        if in_rej:
            want.append((rej, read[id(p)][1]))
        if not want or any(not c for _, c in want):
            continue
        keys = {(f, k) for f, k in set.intersection(*(set(c) for _, c in want)) if k in slots[f]}
        for f in sorted({f for f, _ in keys}):
            fam, at = _FAMILIES[f], slots[f]
            levels = {lvl for g, lvl in keys if g == f}
            choice = None
            if f in cur:
                choice = next((lvl for lvl in sorted(levels)
                               if all(v[f].fits(cur[f], overrides[f], at[lvl], c[(f, lvl)], at.get(_PARENT.get((f, lvl), 0), 0))
                                      for v, c in want)), None)
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
                    w.abstracts.append(fam.abstract(at))
                    abstract[f] = len(w.abstracts) - 1
                overrides[f] = {at[lvl]: values.pop()}
                cur[f] = w.instance(abstract[f], overrides[f])
                choice = lvl
            il = at[choice]
            for v, c in want:
                value = c[(f, choice)][0]
                v[f].commit(cur[f], il, v[f].predict(cur[f], overrides[f], il) if value is None else value)
            p.num = (cur[f], il)
            p.runs = [r for r in p.runs if not r.label]
            n += 1
            break
    return n
