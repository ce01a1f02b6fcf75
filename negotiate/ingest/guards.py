"""Every input is hostile until read: limits and safe parsers in one place."""
from __future__ import annotations

import codecs
import contextlib
import io
import os
import stat
import sys
import threading
import zipfile
import zlib
from typing import TYPE_CHECKING

from ..errors import NegotiateError

if TYPE_CHECKING:   # lxml is imported where XML is parsed: a text or Markdown input never loads it
    from lxml import etree

MAX_INPUT_BYTES = 200 * 1024 * 1024      # any single input file
MAX_DOCX_UNCOMPRESSED = 50 * 1024 * 1024  # sum of a .docx's members
MAX_ZIP_RATIO = 100                       # uncompressed / compressed
MAX_ZIP_MEMBERS = 5000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_path(path: str) -> None:
    """Refuse what cannot be a draft before anything else is looked at: a missing
    path, a folder, a FIFO, a device or a socket (or a link to one)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise NegotiateError(path, "no such file") from None
    except OSError as e:
        raise NegotiateError(path, f"cannot read file ({e.strerror or e})") from None
    _check_mode(path, st.st_mode)


def _check_mode(path: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise NegotiateError(path, "is a directory, not a file")
    if not stat.S_ISREG(mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a character device" if stat.S_ISCHR(mode)
                else "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "not a regular file")
        raise NegotiateError(path, f"is {kind}, not a regular file (refused: only regular files are read)")


def read_bytes(path: str, limit: int = MAX_INPUT_BYTES, allow_empty: bool = False) -> bytes:
    """The one way a file given by the user is read. It is opened once (without
    blocking, so a FIFO cannot hang us), checked with fstat on that very open
    file (no race with a swapped path), and read with a bound (a file that
    grows while read, or lies about its size, stops at the limit)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise NegotiateError(path, "no such file") from None
    except IsADirectoryError:
        raise NegotiateError(path, "is a directory, not a file") from None
    except PermissionError:
        raise NegotiateError(path, "permission denied") from None
    except OSError as e:
        raise NegotiateError(path, f"cannot read file ({e.strerror or e})") from None
    try:
        st = os.fstat(fd)
        _check_mode(path, st.st_mode)
        if st.st_size > limit:
            raise NegotiateError(path, f"file is too large ({st.st_size // (1024 * 1024)} MB; the limit is {limit // (1024 * 1024)} MB)")
        chunks, got = [], 0
        while got <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        data = b"".join(chunks)
    except NegotiateError:
        raise
    except OSError as e:
        raise NegotiateError(path, f"cannot read file ({e.strerror or e})") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise NegotiateError(path, f"file is too large (more than {limit // (1024 * 1024)} MB)")
    if not allow_empty and not data.strip():
        raise NegotiateError(path, "empty file")
    return data


def decode_text(path: str, data: bytes, warnings: list[str] | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM; a UTF-8 file with a few bad
    bytes is read as UTF-8 with each bad byte replaced (U+FFFD), and cp1252 is
    used only when the file is not UTF-8 at all. Either way a warning (appended
    to `warnings`) says what was done and where. Binary data is refused."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                raise NegotiateError(path, f"invalid {enc} text at byte {e.start}") from None
            return _check_text(path, text)
    if data.startswith(OLE_MAGIC) or data.startswith(b"PK\x03\x04") or b"\x00" in data[:65536]:
        raise NegotiateError(path, "binary data, not text (is the file extension right?)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, note = _decode_damaged(data)
        if warnings is not None:
            warnings.append(note)
    return _check_text(path, text)


_tally = threading.local()


def _count_bad(e: UnicodeDecodeError):
    """Error handler: each undecodable byte becomes U+FFFD, counted, and the
    first one's offset kept (per thread: the app reads in several)."""
    if _tally.first is None:
        _tally.first = e.start
    _tally.count += e.end - e.start
    return "\ufffd" * (e.end - e.start), e.end


codecs.register_error("negotiate-count", _count_bad)


def _decode_damaged(data: bytes) -> tuple[str, str]:
    """(text, warning) for bytes that are not valid UTF-8 throughout."""
    _tally.first, _tally.count = None, 0
    text = data.decode("utf-8", errors="negotiate-count")
    count, first = _tally.count, _tally.first
    # Valid multi-byte sequences: non-ASCII characters that are not replacements.
    valid = len(text) - len(text.encode("ascii", "ignore")) - count
    if valid > 0 and count <= valid:
        off = first
        line = data.count(b"\n", 0, off) + 1
        col = len(data[data.rfind(b"\n", 0, off) + 1:off].decode("utf-8", "replace")) + 1
        n = f"{count} bad byte{'s' if count != 1 else ''}"
        return text, (f"not valid UTF-8 at line {line}, column {col} ({n} in all, each replaced by U+FFFD); "
                      f"read as UTF-8")
    return data.decode("cp1252", errors="replace"), ("not UTF-8 text; read as Windows-1252 (cp1252): "
                                                    "save the file as UTF-8 if its accents look wrong")


_CONTROLS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r\f\v")   # deleted by translate


def _check_text(path: str, text: str) -> str:
    sample = text[:65536]
    controls = len(sample) - len(sample.translate(_CONTROLS))   # counted in C
    if sample and controls / len(sample) > 0.01:
        raise NegotiateError(path, "binary data, not text (is the file extension right?)")
    if not text.strip():
        raise NegotiateError(path, "empty file (no text)")
    return text


def open_zip(path: str, data: bytes, what: str = ".docx") -> zipfile.ZipFile:
    if data.startswith(OLE_MAGIC):
        raise NegotiateError(path, f"the {what} is password-protected (encrypted) or an old binary .doc; save it unprotected as {what}")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise NegotiateError(path, f"not a valid {what} file (corrupt or not a zip archive)") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise NegotiateError(path, f"the {what} has too many parts ({len(infos)})")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_DOCX_UNCOMPRESSED:
        raise NegotiateError(path, f"the {what} is too large uncompressed ({total // (1024 * 1024)} MB; "
                                   f"the limit is {MAX_DOCX_UNCOMPRESSED // (1024 * 1024)} MB)")
    if total / packed > MAX_ZIP_RATIO:
        raise NegotiateError(path, f"the {what} has a suspicious compression ratio ({total / packed:.0f}:1; "
                                   f"the limit is {MAX_ZIP_RATIO}:1)")
    return zf


def read_member(path: str, zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    try:
        with zf.open(info) as fh:
            # Declared sizes can lie: never read past the limit.
            data = fh.read(MAX_DOCX_UNCOMPRESSED + 1)
    # zipfile raises RuntimeError for an encrypted member and NotImplementedError
    # for a compression method it cannot read: both mean "cannot open this part".
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
        msg = "encrypted part" if "encrypted" in str(e).lower() else "corrupt part"
        raise NegotiateError(path, f"{msg} {name} in the archive") from None
    if len(data) > MAX_DOCX_UNCOMPRESSED:
        raise NegotiateError(path, f"part {name} is too large uncompressed")
    return data


def _parser(recover: bool = False) -> etree.XMLParser:
    from lxml import etree
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, recover=recover,
                           remove_blank_text=False)


def parse_xml(path: str, data: bytes, part: str = "") -> etree._Element:
    """Parse untrusted XML with a parser that never loads a DTD, never resolves
    an entity and never touches the network, whatever the part's encoding; then
    refuse the part if it declares a DOCTYPE (where entities are declared) at
    all: OOXML never needs one. Refused by parsing, not by searching bytes, so
    a UTF-16 part or a DOCTYPE after a long comment is caught too."""
    from lxml import etree
    where = part or "the file"
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        raise NegotiateError(path, f"malformed XML in {where} (line {e.lineno}: {e.msg})") from None
    except ValueError as e:   # e.g. an encoding declaration lxml cannot honour
        raise NegotiateError(path, f"malformed XML in {where} ({e})") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None or info.system_url:
        raise NegotiateError(path, f"XML with a DOCTYPE or entity declarations in {where} "
                                   f"(refused: entities are never resolved)")
    return root

_WHAT = {"docx": "Word document", "pdf": "PDF", "html": "HTML file", "txt": "text file", "md": "text file"}


def _library_error(fmt: str, e: BaseException) -> str | None:
    """What a library's exception on bad input means, in one line; None for
    anything that is not about the input (a bug of ours stays an internal error)."""
    what = _WHAT.get(fmt, "file")
    detail = " ".join(str(e).split())[:160]
    detail = f" ({detail})" if detail else ""
    if isinstance(e, MemoryError):
        return f"the {what} needs more memory than this machine has to read (too large or too complex)"
    if isinstance(e, RecursionError):
        return f"the {what} is nested too deeply to read"
    if isinstance(e, (zlib.error, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError)):
        return f"the {what} is corrupt: a part of the archive cannot be unpacked{detail}"
    etree_ = sys.modules.get("lxml.etree")   # an lxml error only where lxml was loaded
    if etree_ is not None and isinstance(e, (etree_.XMLSyntaxError, etree_.ParserError)):
        return f"the {what} has malformed XML{detail}"
    if isinstance(e, UnicodeError):
        return f"the {what} has text that cannot be decoded{detail}"
    if isinstance(e, OverflowError):
        return f"the {what} has a number out of range{detail}"
    if type(e).__name__ == "PdfiumError":
        return f"the PDF is damaged or cannot be read{detail.replace(' (', ' (PDFium: ', 1)}"
    return None


@contextlib.contextmanager
def reader_errors(path: str, fmt: str):
    """The reader boundary: every exception a reader's libraries raise on bad
    input becomes one NegotiateError naming the file; other exceptions (bugs)
    pass through to the caller's internal-error handler."""
    try:
        yield
    except NegotiateError:
        raise
    except Exception as e:  # noqa: BLE001 - classified below, re-raised when not about the input
        msg = _library_error(fmt, e)
        if msg is None:
            raise
        raise NegotiateError(path, msg) from None
