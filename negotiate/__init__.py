"""negotiate: read, compare, trace and consolidate multilateral negotiating texts.

The Python API mirrors the CLI: `read(path)` gives a Document of numbered blocks.
"""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import NegotiateError  # noqa: E402
from .ingest import read  # noqa: E402
from .model import Block, Document  # noqa: E402

__all__ = ["read", "Document", "Block", "NegotiateError", "__version__"]
