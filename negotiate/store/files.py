"""Where the bytes of stored files live: on disk under their sha256 (local
mode), or in the database itself (PostgreSQL: app replicas behind a load
balancer share everything). Either way files are never modified: a file is
named by its sha256 and written once."""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from .schema import blobs, files

TMP = ".tmp-"
GRACE = 3600        # seconds: a temporary or unreferenced file younger than this may belong to a writer at work


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DiskFiles:
    """Files under ROOT/files/<sha256>, written to a temporary file in the same
    folder, flushed to disk, then renamed into place: a crash or a kill leaves
    either no file or the whole file, never half of one."""
    where = "disk"

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def path(self, sha: str) -> Path:
        return self.folder / sha

    def write(self, c, sha: str, data: bytes) -> None:     # before the row is committed
        dest = self.path(sha)
        try:
            if sha256(dest.read_bytes()) == sha:
                return                  # already there, whole (a damaged copy is written again: a repair)
        except FileNotFoundError:
            pass
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=TMP)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, dest)
            _fsync_dir(self.folder)     # the rename itself survives a power cut
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def read(self, c, sha: str) -> bytes | None:
        try:
            return self.path(sha).read_bytes()
        except FileNotFoundError:
            return None

    def names(self) -> list[str]:
        return [p.name for p in self.folder.iterdir()] if self.folder.exists() else []

    def clean(self, known: set[str]) -> list[str]:
        """Remove what killed writers left: temporary files, and files that no
        row names (written, then the transaction never committed). Only those
        older than GRACE, so that a writer at work in another process keeps its file."""
        gone = []
        now = time.time()
        for p in list(self.folder.iterdir()):
            if p.name.startswith(TMP) or (p.name not in known and len(p.name) == 64):
                try:
                    if now - p.stat().st_mtime > GRACE:
                        p.unlink()
                        gone.append(p.name)
                except FileNotFoundError:
                    pass
        return gone


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class DatabaseFiles:
    """Files as rows of `blobs`, in the same transaction as the row that names them."""
    where = "database"

    def write(self, c, sha: str, data: bytes) -> None:
        if c.execute(select(blobs.c.sha256).where(blobs.c.sha256 == sha)).first() is None:
            c.execute(_insert(c)(blobs).values(sha256=sha, data=data).on_conflict_do_nothing())

    def read(self, c, sha: str) -> bytes | None:
        row = c.execute(select(blobs.c.data).where(blobs.c.sha256 == sha)).first()
        return bytes(row[0]) if row else None

    def clean(self, known: set[str]) -> list[str]:
        return []


def ensure_row(c, sha: str, size: int, now) -> None:
    """The `files` row, inserted once; a concurrent writer inserting the same
    sha256 is harmless (ON CONFLICT DO NOTHING on both dialects)."""
    c.execute(_insert(c)(files).values(sha256=sha, size=size, created=now).on_conflict_do_nothing())


def _insert(c):
    if c.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert
