"""The document model: plain dataclasses shared by every stage.

A `Document` is what a reader returns. Its `text` is the document's plain text;
each `Block` covers `text[start:end]`, so any later stage can point back into the
input (line and column for .txt/.md, paragraph for everything).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("heading", "paragraph", "subparagraph", "table cell", "footnote", "note", "header", "footer")


@dataclass
class Revision:
    """A tracked change kept in `--revisions markup` mode.

    `start`/`end` index the block's `text`; `kind` is `ins`, `del`, `moveFrom`
    or `moveTo` as in WordprocessingML.
    """
    kind: str
    start: int
    end: int
    author: str = ""
    date: str = ""


@dataclass
class Mark:
    """Character formatting that carries meaning in compilation texts
    (bold = proposed addition, strike = proposed deletion), offsets into `text`."""
    kind: str  # "bold" | "strike" | "italic" | "underline"
    start: int
    end: int


@dataclass
class Comment:
    id: str
    author: str
    date: str
    text: str
    anchor: str = ""          # the document text the comment is attached to
    block: int | None = None  # index of the block where the anchor starts


@dataclass
class Block:
    index: int
    kind: str
    label: str
    path: tuple[str, ...]
    text: str
    start: int
    end: int
    # Where `text` starts in the document's plain text (after marker and label).
    text_start: int = 0
    # Characters before the label that are markup, not label: "## ", "- ", "**".
    marker: str = ""
    style: str = ""
    level: int = 0
    revisions: list[Revision] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    ref: int | None = None        # footnote → index of the block that cites it
    notes: list[int] = field(default_factory=list)  # block → its footnote blocks
    label_type: str = ""          # grammar type of the label, e.g. "sub-letter"

    @property
    def heading(self) -> bool:
        return self.kind == "heading"


@dataclass
class Document:
    path: str
    sha256: str
    format: str
    language: str
    text: str
    blocks: list[Block]
    title: str = ""
    symbol: str = ""
    comments: list[Comment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    revisions_mode: str = "accept"

    def block_at(self, offset: int) -> Block | None:
        """The block whose span contains `offset` of the plain text."""
        lo, hi = 0, len(self.blocks)
        while lo < hi:
            mid = (lo + hi) // 2
            b = self.blocks[mid]
            if b.end <= offset:
                lo = mid + 1
            elif b.start > offset:
                hi = mid
            else:
                return b
        return None

    @property
    def token_language(self) -> str:
        """The language to tokenize and diff in: English when it could not be told."""
        return self.language if self.language not in ("", "und") else "en"

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a plain-text offset."""
        starts = self.__dict__.get("_line_starts")
        if starts is None or starts[-1] != len(self.text):
            starts = [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"] + [len(self.text)]
            self.__dict__["_line_starts"] = starts
        line = bisect_right(starts, offset, 0, len(starts) - 1)
        return line, offset - starts[line - 1] + 1



# -- Agreed language (precedents, issue 19) -------------------------------------------------
@dataclass
class LibraryDocument:
    """An adopted text in the library: where it came from and what it is."""
    id: int
    path: str
    symbol: str
    title: str
    date: str            # ISO 8601 when found in the text, else ""
    language: str
    sha256: str
    format: str
    paragraphs: int      # blocks indexed
    added: str           # ISO 8601, UTC


@dataclass
class Source:
    """The library paragraph a reused span comes from; `start`/`end` index its `text`."""
    path: str
    symbol: str
    block: int
    label: str
    start: int
    end: int
    text: str = ""       # the source paragraph's whole text (for showing it beside the draft's)
    title: str = ""
    date: str = ""


@dataclass
class Precedent:
    """A span of a draft block (`start`/`end` index the block's `text`) whose wording
    reuses `source`'s span, with the similarity of the two spans (1 = same words)."""
    block: int
    start: int
    end: int
    source: Source
    similarity: float


@dataclass
class Precedents:
    """Every reused span of a draft, ordered by block, then span, best source first."""
    draft: Document
    matches: list[Precedent]
    warnings: list[str] = field(default_factory=list)

    def by_block(self) -> dict[int, list[Precedent]]:
        out: dict[int, list[Precedent]] = {}
        for m in self.matches:
            out.setdefault(m.block, []).append(m)
        return out


def to_dict(obj: Any) -> Any:
    return asdict(obj)


# -- parity (issue #20): language versions side by side -------------------------------------
PARITY_KINDS = ("missing", "extra", "label", "number", "reference", "symbol", "bracket", "alternative")


@dataclass
class ParityIssue:
    """What version `version` says differently from the others (the majority) in one row."""
    version: int
    kind: str        # one of PARITY_KINDS
    detail: str


@dataclass
class ParityRow:
    """Paired paragraphs: `blocks[k]` is the index of version k's block, or None.

    A block that holds the text of several paragraphs of another version (items
    run into one block, articles merged by OCR) appears in each of their rows;
    `shared[k]` says so for version k."""
    blocks: list[int | None]
    label: str
    issues: list[ParityIssue] = field(default_factory=list)
    shared: list[bool] = field(default_factory=list)


@dataclass
class Parity:
    documents: list[Document]
    languages: list[str]
    rows: list[ParityRow]

    def totals(self) -> dict[str, int]:
        out = {k: 0 for k in PARITY_KINDS}
        for r in self.rows:
            for i in r.issues:
                out[i.kind] = out.get(i.kind, 0) + 1
        return out

    def paired(self) -> float:
        """Share of rows where every version has a block."""
        if not self.rows:
            return 1.0
        return sum(1 for r in self.rows if all(b is not None for b in r.blocks)) / len(self.rows)


# -- delegations' views noted in comments (views.py) --------------------------------------------------
@dataclass
class View:
    """One delegation's view as a note-taker recorded it in a comment."""
    parties: tuple[str, ...]  # () when the line names nobody (a note of the note-taker's own)
    text: str                 # what they said, as written
    kind: str                 # delete · wording · objection · support · view
    wording: str              # the words they quote, if any
    block: int | None         # the paragraph the comment is anchored to (Document.blocks index)
    anchor: str               # the anchored text
    noted_by: str             # the comment's author (the note-taker)
    date: str
    comment: str              # the comment's id
    meeting: str = ""         # "16 November – IC", when the comment says
