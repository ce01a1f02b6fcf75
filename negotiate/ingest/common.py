"""Helpers every reader shares: hashing, titles, document symbols."""
from __future__ import annotations

import hashlib
import re

SYMBOL = re.compile(
    r"(?<![\w/])(?:A|E|S|[A-Z]{2,10}(?:\.\d+)?)(?:/(?:[A-Z]{1,10}(?:\.\d+)*|\d{1,4}(?:\.\d+)*|L\.\d+|Rev\.\d+|Add\.\d+|INF(?:\.\d+)?|CRP\.\d+)){2,8}(?![\w/])")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_symbol(text: str, limit: int = 3000) -> str:
    """The first UN document symbol near the top: SAICM/IP.4/2, FCCC/CP/2015/L.9/Rev.1."""
    m = SYMBOL.search(text[:limit])
    return m.group(0) if m else ""


def guess_title(blocks) -> str:
    for b in blocks[:15]:
        t = (b.label + " " + b.text).strip() if b.kind == "heading" else ""
        if t:
            return re.sub(r"\s+", " ", t.strip("#*_ "))[:200]
    for b in blocks[:3]:
        t = re.sub(r"\s+", " ", (b.label + " " + b.text).strip())
        if t:
            return t[:200]
    return ""


class PlainText:
    """The plain text of a document built from its blocks (formats without
    a text of their own: .docx, .html, .pdf): label, a space, text; blocks
    separated by a blank line. Offsets of each block are kept as they are added."""

    def __init__(self):
        from ..model import Block
        self._Block = Block
        self.pieces: list[str] = []
        self.pos = 0
        self.blocks: list = []
        self.matches: list = []
        self.hints: list[str] = []

    def add(self, label: str, text: str, match=None, hint: str = "", **fields):
        if self.blocks:
            self.pieces.append("\n\n")
            self.pos += 2
        head = label + (" " if label and text else "")
        start = self.pos
        # Head and text as two pieces, not one string: `text` is the block's own
        # string, so a 100,000-paragraph document no longer makes a copy of every
        # paragraph to throw away after the join (~23 MB, freed among kept objects).
        if head:
            self.pieces.append(head)
        self.pieces.append(text)
        self.pos += len(head) + len(text)
        b = self._Block(index=len(self.blocks), kind="paragraph", label=label, path=(), text=text, start=start,
                        end=self.pos, text_start=start + len(head), **fields)
        self.blocks.append(b)
        self.matches.append(match)
        self.hints.append(hint)
        return b

    def extend_last(self, line: str) -> None:
        """Another line of the last block (a table cell's next paragraph)."""
        b = self.blocks[-1]
        b.text += "\n" + line
        self.pieces[-1] += "\n" + line
        self.pos += 1 + len(line)
        b.end = self.pos

    @property
    def text(self) -> str:
        return "".join(self.pieces)
