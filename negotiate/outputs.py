"""Writing what the user asked for without ever losing what the user gave.

Two rules, one place: an output that is one of the command's inputs (the same
path, a symlink to it, a hard link to it) is refused before anything is read;
and every output is written to a temporary file in the same folder and renamed
into place, so a crash or a kill leaves either the old file or the whole new one.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import NegotiateError


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)          # follows symlinks: a link to an input is the input
    except OSError:
        return None
    return st.st_dev, st.st_ino


def refuse_inputs(outputs, inputs) -> None:
    """Raise when an output resolves to an input (symlinks and hard links too)."""
    ins = [(str(p), _identity(str(p)), os.path.realpath(str(p))) for p in inputs if p]
    for out in outputs:
        if not out:
            continue
        out = str(out)
        ident, real = _identity(out), os.path.realpath(out)
        for path, pid, preal in ins:
            if (ident is not None and ident == pid) or real == preal:
                raise NegotiateError(out, f"is the input {path} (refused: an input is never overwritten; "
                                          f"choose another output file)")


def _mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic(path):
    """Yield a temporary path beside `path` (same suffix, so writers that look at
    it still see .docx/.html/.json); on success it replaces `path` at once, on
    any failure it is removed and `path` is left as it was."""
    path = os.fspath(path)
    if os.path.isdir(path):
        raise NegotiateError(path, "is a directory; give a file name for the output")
    folder = os.path.dirname(os.path.abspath(path))
    suffix = Path(path).suffix
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{Path(path).name}.tmp-", suffix=suffix)
    except OSError as e:
        raise NegotiateError(path, f"cannot write ({e.strerror or e})") from None
    os.close(fd)
    try:
        yield tmp
        try:
            os.chmod(tmp, _mode())
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes(path, data: bytes) -> None:
    with atomic(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


def write_text(path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_text_with(path, fill) -> None:
    """`write_text`, the text written by `fill(fh)` piece by piece (UTF-8, newlines
    as given): a long JSON text is never held whole."""
    with atomic(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
