"""One error type for everything a user can get wrong.

The CLI prints `negotiate: error: FILE: message` and exits 2; the app shows the
same line with `st.error`. The place (line, column, label) is part of the
message when we know it.

The message says what is wrong in the user's terms, never how to fix it in one
face's terms (a CLI flag, an app checkbox): where a face has a fix to offer,
the error carries a `reason` (one of `REASONS`) and each face adds its own
wording (`cli.py`'s `_FIXES`, the app's).
"""
from __future__ import annotations

# Reasons a face may offer a fix for: the PDF has no text layer (a scan) · its
# text layer is unreadable (OCR may help) · the number of party names does not
# match the proposals · a party name is empty.
REASONS = ("needs-ocr", "ocr-may-help", "party-count", "party-empty")


class NegotiateError(Exception):
    """A problem with the user's input: the file, the place in it and what is wrong."""

    def __init__(self, file: str, message: str, *, line: int | None = None,
                 column: int | None = None, label: str | None = None, reason: str = ""):
        self.file = str(file)
        self.message = message
        self.reason = reason
        self.line = line
        self.column = column
        self.label = label
        super().__init__(self.oneline())

    def place(self) -> str:
        bits = []
        if self.line is not None:
            bits.append(f"line {self.line}")
        if self.column is not None:
            bits.append(f"column {self.column}")
        if self.label:
            bits.append(f"paragraph {self.label}")
        return ", ".join(bits)

    def oneline(self) -> str:
        place = self.place()
        where = f"{self.file}: {place}: " if place else f"{self.file}: "
        return (where + self.message).replace("\n", " ")
