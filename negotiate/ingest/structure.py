"""From a sequence of labels to a hierarchy: each block's `path`.

Numbering styles nest differently from text to text, so the hierarchy is
learnt as it goes: a label type seen before closes everything opened since it;
a new type opens a level below the current one. Section-like headings have a
fixed rank (an annex closes everything; a roman section closes sub-sections and
paragraphs) so that a heading seen for the first time late in a text does not
get nested inside a paragraph.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import lang
from .labels import HEADING_RANK, Candidate, LabelMatch
from .labels import match as match_label

TITLE = "title"   # the preamble's heading, before any numbered part


@dataclass
class _Level:
    type: str
    component: str
    value: int


@dataclass
class PathBuilder:
    stack: list[_Level] = field(default_factory=list)
    _last: tuple[str, ...] | None = field(default=None, repr=False, compare=False)   # the last path given (see path)

    def _index(self, typ: str) -> int:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].type == typ:
                return i
        return -1

    def choose(self, m: LabelMatch, type_suffix: str = "") -> Candidate:
        """Pick among readings of an ambiguous label: the one that continues
        a sequence already open, else a first item, else the smallest value."""
        if len(m.candidates) == 1:
            return m.candidates[0]

        def score(c: Candidate) -> tuple:
            i = self._index(c.type + type_suffix)
            continues = i >= 0 and self.stack[i].value == c.value - 1
            return (continues, c.value == 1, -c.value)

        return max(m.candidates, key=score)

    def push(self, m: LabelMatch, type_suffix: str = "") -> tuple[Candidate, tuple[str, ...]]:
        cand = self.choose(m, type_suffix)
        typ = cand.type + type_suffix
        comps = m.components
        rank = HEADING_RANK.get(cand.type) if cand.kind == "heading" else None
        if rank is not None:
            cut = len(self.stack)
            for i, lv in enumerate(self.stack):
                if lv.type == TITLE or lv.type not in HEADING_RANK or HEADING_RANK[lv.type] >= rank:
                    cut = i
                    break
            del self.stack[cut:]
        else:
            i = self._index(typ)
            if i >= 0:
                del self.stack[i:]
        if len(comps) == 2 and cand.type == "alt":
            # "12. Alt 1": the paragraph number and the alternative in one label.
            num = match_label(comps[0] + ". ")
            if num:
                i = self._index(num.best.type)
                if i >= 0:
                    del self.stack[i:]
                self.stack.append(_Level(num.best.type, comps[0], num.best.value))
            self.stack.append(_Level(typ, comps[1], cand.value))
        else:
            self.stack.append(_Level(typ, comps[0], cand.value))
        return cand, self.path()

    def titles_only(self) -> bool:
        """Nothing but a title is open: no numbered part has begun."""
        return all(lv.type == TITLE for lv in self.stack)

    def title(self, text: str) -> tuple[str, ...]:
        """Open a section for the preamble's heading."""
        self.stack = [_Level(TITLE, " ".join(text.strip("*_# ").split())[:60], 0)]
        return self.path()

    def path(self) -> tuple[str, ...]:
        p = tuple([lv.component for lv in self.stack])
        # The paragraphs under one numbered one share its path: one tuple for all of
        # them, not one each (~4 MB per 100,000 paragraphs).
        last = self._last
        if last is not None and p == last:
            return last
        self._last = p
        return p

    @property
    def depth(self) -> int:
        return len(self.stack)


_NOTE_OPENERS = ("[co-facilitators", "[cofacilitators", "[co-chairs", "[chair", "[note", "note by",
                 "[secretariat", "co-facilitators' note", "co-facilitators’ note", "[facilitators")


_PREAMBLES = {w.casefold() for w in lang.words("PREAMBLE_TITLE")}


def _preamble(text: str) -> bool:
    return " ".join(text.strip("*_#[]: ").split()).casefold() in _PREAMBLES


def is_note(text: str) -> bool:
    t = text.lstrip("*_ ").lower()
    return t.startswith(_NOTE_OPENERS)


def looks_like_heading(text: str) -> bool:
    """An unlabelled short line in capitals ("GENERAL PROVISIONS", "PREAMBLE")."""
    t = text.strip().strip("*_# ")
    if not t or len(t) > 80 or "\n" in t:
        return False
    letters = [c for c in t if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters) and not t.endswith((",", ";"))


def is_subtitle(text: str) -> bool:
    """A short title line under a bare heading label ("Annex" / "Issues of concern")."""
    t = text.strip()
    return 0 < len(t) <= 80 and "\n" not in t and not t.endswith((".", ";", ",", ":", "。", "；"))


def assign(blocks, matches, suffixes=None, hints=None) -> None:
    """Give each block its kind, path, level and label type, in document order.

    `matches[i]` is the block's LabelMatch or None; `suffixes[i]` separates
    label types that look alike but nest differently (Markdown list indentation,
    a Word list level); `hints[i]` is a kind the format knows for sure
    (heading style, table cell, footnote)."""
    pb = PathBuilder()
    n = len(blocks)
    suffixes = suffixes or [""] * n
    hints = hints or [""] * n
    prev_heading = False
    for b, m, suf, hint in zip(blocks, matches, suffixes, hints):
        if b.index and blocks[b.index - 1].kind == "heading" and not blocks[b.index - 1].text:
            prev_heading = True
        else:
            prev_heading = False
        if hint == "footnote":
            b.kind = "footnote"
            b.path = ("footnotes", b.label.strip("[]^:") or str(b.index))
            b.level = 1
            continue
        if m is not None:
            cand, path = pb.push(m, suf)
            b.label_type = cand.type
            b.kind = cand.kind
            b.path = path
        else:
            b.path = pb.path()
            b.kind = "paragraph"
        if hint in ("heading", "table cell"):
            b.kind = hint
        elif m is None and (looks_like_heading(b.text) or (prev_heading and is_subtitle(b.text))):
            b.kind = "heading"
        if m is None and b.kind == "heading" and pb.titles_only() and _preamble(b.text):
            # "Preamble" before the first numbered part: a section of its own, so
            # its paragraphs (and its Option 1 / Option 2) are not front matter.
            b.path = pb.title(b.text)
        b.level = pb.depth
        if b.kind in ("paragraph", "subparagraph") and is_note(b.text):
            b.kind = "note"
