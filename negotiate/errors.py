"""One error type for everything a user can get wrong.

The CLI prints `negotiate: error: FILE: message` and exits 2; the app shows the
same line with `st.error`. The place (line, column, label) is part of the
message when we know it.
"""
from __future__ import annotations


class NegotiateError(Exception):
    def __init__(self, file: str, message: str, *, line: int | None = None,
                 column: int | None = None, label: str | None = None):
        self.file = str(file)
        self.message = message
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
