"""read(path) → Document, one module a format, found through a registry of readers.

A format is one entry in the registry: its name, the file extensions it owns
and a reader `reader(name, data, options) -> Document`. The built-in readers
are registered below by module name and imported on first use, so
`import negotiate` stays cheap; the CLI's messages, the app's uploader and
the corpus list all ask the registry (`extensions()`), so adding a format is
one `register(...)` call:

    from negotiate import ingest

    def read_odt(name: str, data: bytes, options: ingest.ReadOptions) -> Document: ...

    ingest.register("odt", [".odt"], read_odt, "OpenDocument text")
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .. import lang
from ..errors import NegotiateError
from ..model import Document
from . import common, guards

REVISION_MODES = ("accept", "reject", "markup")


@dataclass(frozen=True)
class ReadOptions:
    """What `read` passes on to a reader besides the name and the bytes."""
    format: str                              # the registered format name ("md" for a .markdown file)
    revisions: str = "accept"                # tracked changes: accept, reject or markup
    ocr: bool = False                        # PDF: read the pages with Tesseract
    ocr_languages: list[str] | None = None
    progress: Callable[[int, int], None] | None = None   # (pages done, pages) while reading by OCR


Reader = Callable[[str, bytes, ReadOptions], Document]


@dataclass(frozen=True)
class Format:
    """One registered input format."""
    name: str
    extensions: tuple[str, ...]
    reader: Reader
    description: str = ""


_REGISTRY: dict[str, Format] = {}
# Extension → format name: the registry's table, kept for callers of the
# first API (it is updated by `register`, never rebuilt).
FORMATS: dict[str, str] = {}


def register(name: str, extensions: Sequence[str], reader: Reader, description: str = "") -> Format:
    """Register a reader for the files whose names end in `extensions`.

    Args:
        name: the format's name, as `Document.format` and the parse JSON give it.
        extensions: lower-case extensions with their dot, e.g. `[".odt"]`; an
            extension registered before is taken over by this format.
        reader: `reader(name, data, options) -> Document`; raise
            `NegotiateError(name, ...)` for input it cannot read.
        description: a few words for lists of formats.

    Returns:
        The registered `Format`.

    Raises:
        ValueError: an extension without its leading dot.
    """
    exts = tuple(e.lower() for e in extensions)
    for e in exts:
        if not e.startswith("."):
            raise ValueError(f"extension {e!r} must start with a dot")
    fmt = Format(name, exts, reader, description)
    for e in exts:
        _REGISTRY[e] = fmt
        FORMATS[e] = name
    return fmt


def formats() -> list[Format]:
    """The registered formats, each once, in the order they were registered."""
    seen: dict[str, Format] = {}
    for f in _REGISTRY.values():
        seen.setdefault(f.name, f)
    return list(seen.values())


def extensions() -> list[str]:
    """Every registered extension, with its dot, in registration order (what an uploader accepts)."""
    return list(_REGISTRY)


def _lazy(module: str, function: str) -> Reader:
    """A reader imported from `negotiate.ingest.<module>` on its first call."""
    def reader(name: str, data: bytes, options: ReadOptions) -> Document:
        fn: Callable[..., Document] = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        return _CALLS[module](fn, name, data, options)
    reader.__name__ = reader.__qualname__ = f"{module}.{function}"
    return reader


# How each built-in reader is called (their signatures predate the registry).
_CALLS: dict[str, Callable[[Callable[..., Document], str, bytes, ReadOptions], Document]] = {
    "text": lambda fn, name, data, o: fn(name, data, o.format),
    "html": lambda fn, name, data, o: fn(name, data),
    "docx": lambda fn, name, data, o: fn(name, data, o.revisions),
    "pdf": lambda fn, name, data, o: fn(name, data, ocr=o.ocr, ocr_languages=o.ocr_languages, progress=o.progress),
}

register("txt", (".txt", ".text"), _lazy("text", "read_text"), "plain text")
register("md", (".md", ".markdown"), _lazy("text", "read_text"), "Markdown")
register("html", (".html", ".htm"), _lazy("html", "read_html"), "HTML")
register("docx", (".docx",), _lazy("docx", "read_docx"), "Word")
register("pdf", (".pdf",), _lazy("pdf", "read_pdf"), "PDF (text layer, or OCR with ocr=True)")


def format_of(path: str) -> str:
    """The registered format name for `path`'s extension.

    Raises:
        NegotiateError: no reader is registered for that extension.
    """
    ext = os.path.splitext(path)[1].lower()
    if ext not in FORMATS:
        known = ", ".join(sorted(set(FORMATS)))
        raise NegotiateError(path, f"unknown file type '{ext or '(none)'}' (known: {known})")
    return FORMATS[ext]


def read(path: str | os.PathLike[str], revisions: str = "accept", data: bytes | None = None,
         name: str | None = None, ocr: bool = False, ocr_languages: list[str] | None = None,
         progress: Callable[[int, int], None] | None = None) -> Document:
    """Read a draft into a Document of numbered blocks.

    The format comes from the file name's extension (see `extensions()`):
    .txt/.md, .html, .docx (automatic numbering computed, notes, comments,
    tracked changes) and .pdf (text layer, or Tesseract with `ocr=True`).

    Args:
        path: the file to read (or only its name for messages when `data` is given).
        revisions: tracked changes in a .docx: `"accept"` (the text as it would
            be with every change accepted), `"reject"`, or `"markup"` (inserted
            and deleted text both kept, each `Block.revisions` saying which is which).
        data: the file's bytes when the caller already holds them (an upload);
            the disk is not touched then.
        name: with `data`, the file name used for the format and in messages.
        ocr: read a PDF's pages with Tesseract instead of its text layer.
        ocr_languages: with `ocr`, Tesseract languages such as `["en", "zh"]`
            (default: every installed one).
        progress: with `ocr`, called as `progress(pages_done, pages)`.

    Returns:
        A `Document`: its `text`, `blocks` (label, hierarchical path, text and
        offsets into `text`), language, symbol, title, comments and warnings.

    Raises:
        NegotiateError: a missing, empty, unreadable, hostile (size or zip-ratio
            limits, XML entities) or unknown-format file, with the file's name
            and, where known, the place.

    Examples:
        >>> import negotiate
        >>> doc = negotiate.read("corpora/framework-v1-compilation.docx")
        >>> doc.format, doc.symbol
        ('docx', 'SAICM/TEST/IP.1/2')
        >>> next(b.path for b in doc.blocks if b.label == "11.")
        ('III', '11')
    """
    path = str(path)
    shown = name or path
    if revisions not in REVISION_MODES:
        raise NegotiateError(shown, f"unknown revisions mode '{revisions}' (accept, reject or markup)")
    if data is None:
        guards.check_path(path)
    fmt = format_of(shown)
    if data is None:
        data = guards.read_bytes(path)
    elif len(data) > guards.MAX_INPUT_BYTES:   # an upload: the same limit as a file on disk
        raise NegotiateError(shown, f"file is too large ({len(data) // (1024 * 1024)} MB; the limit is "
                                    f"{guards.MAX_INPUT_BYTES // (1024 * 1024)} MB)")
    elif not data.strip():
        raise NegotiateError(shown, "empty file")
    reader = _REGISTRY[os.path.splitext(shown)[1].lower()].reader
    with guards.reader_errors(shown, fmt):   # the reader boundary: library errors become one line
        doc = reader(shown, data, ReadOptions(fmt, revisions, ocr, ocr_languages, progress))
    doc.revisions_mode = revisions
    if doc.language == "und":
        doc.language = lang.detect(doc.text)
    if not doc.symbol:
        doc.symbol = common.find_symbol(doc.text)
    if not doc.title:
        doc.title = common.guess_title(doc.blocks)
    return doc


__all__ = ["read", "format_of", "register", "formats", "extensions", "Format", "ReadOptions",
           "FORMATS", "REVISION_MODES", "guards"]
