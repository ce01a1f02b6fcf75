"""Renderers: results in, files out; they never align, diff or consolidate again.

- `negotiate.export.docx`: Word documents — a comparison as real tracked
  changes, the consolidated bracketed text, parties' proposals as tracked
  changes by party.
- `negotiate.export.html`: a comparison as one standalone HTML page.
- `negotiate.export.json`: every public JSON contract, and its JSON Schema.

The modules are imported on first use (`negotiate.export.docx` works after a
bare `import negotiate`).
"""
from __future__ import annotations

import importlib
from typing import Any

_MODULES = ("docx", "html", "json", "redline", "proposals", "wordml", "bracketed", "consolidated", "package", "pdf")


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["docx", "html", "json"]
