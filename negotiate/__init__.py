"""negotiate: read, compare, trace and consolidate multilateral negotiating texts.

The Python API mirrors the CLI: `read(path)` gives a Document of numbered blocks.
"""
from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

# Imported on first use (PEP 562), so that `negotiate --version` and the
# commands that need little do not pay for the readers (lxml, zipfile, ...).
_LAZY = {"read": ".ingest", "Document": ".model", "Block": ".model", "NegotiateError": ".errors"}

if TYPE_CHECKING:
    from .errors import NegotiateError
    from .ingest import read
    from .model import Block, Document


def __getattr__(name: str):
    if name in _LAZY:
        import importlib
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["read", "Document", "Block", "NegotiateError", "__version__"]
