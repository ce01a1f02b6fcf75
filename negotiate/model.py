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


def to_dict(obj: Any) -> Any:
    return asdict(obj)
