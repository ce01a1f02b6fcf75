"""read(path) → Document, one module a format."""
from __future__ import annotations

import os

from typing import TYPE_CHECKING

from .. import lang
from ..errors import NegotiateError

if TYPE_CHECKING:
    from ..model import Document

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
           ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}
REVISION_MODES = ("accept", "reject", "markup")


def format_of(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext not in FORMATS:
        known = ", ".join(sorted(set(FORMATS)))
        raise NegotiateError(path, f"unknown file type '{ext or '(none)'}' (known: {known})")
    return FORMATS[ext]


def read(path, revisions: str = "accept", data: bytes | None = None,
         name: str | None = None, ocr: bool = False, ocr_languages: list[str] | None = None,
         progress=None) -> Document:
    """Read a draft into a Document.

    `data` lets callers that already hold the bytes (an upload) skip the disk;
    `name` is then the file name used for the format and in messages. `ocr`
    reads a PDF's pages with Tesseract instead of its text layer."""
    from . import common, guards   # here, not at the top: `negotiate --help` needs neither
    path = str(path)
    shown = name or path
    if revisions not in REVISION_MODES:
        raise NegotiateError(shown, f"unknown revisions mode '{revisions}' (accept, reject or markup)")
    if data is None:
        guards.check_path(path)
    fmt = format_of(shown)
    if data is None:
        data = guards.read_bytes(path)
    elif not data.strip():
        raise NegotiateError(shown, "empty file")
    if fmt in ("txt", "md"):
        from .text import read_text
        doc = read_text(shown, data, fmt)
    elif fmt == "html":
        from .html import read_html
        doc = read_html(shown, data)
    elif fmt == "docx":
        from .docx import read_docx
        doc = read_docx(shown, data, revisions)
    else:
        from .pdf import read_pdf
        doc = read_pdf(shown, data, ocr=ocr, ocr_languages=ocr_languages, progress=progress)
    doc.revisions_mode = revisions
    if doc.language == "und":
        doc.language = lang.detect(doc.text)
    if not doc.symbol:
        doc.symbol = common.find_symbol(doc.text)
    if not doc.title:
        doc.title = common.guess_title(doc.blocks)
    return doc


__all__ = ["read", "format_of", "FORMATS", "REVISION_MODES"]
