"""The workspace: negotiations, their versions and the parties' proposals.

Metadata in a database through SQLAlchemy Core (SQLite by default; set
NEGOTIATE_DB to another SQLAlchemy URL, e.g. PostgreSQL, later), input files
on disk byte for byte under their sha256, never modified. NEGOTIATE_HOME sets
where (default ~/.negotiate). Several browser sessions may write at once:
SQLite runs in WAL mode with a busy timeout, file writes are atomic renames,
and adding the same file twice is harmless.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (Column, DateTime, ForeignKey, Integer, MetaData, String, Table, UniqueConstraint,
                        create_engine, event, insert, select, update)
from sqlalchemy.exc import IntegrityError

meta = MetaData()
negotiations = Table(
    "negotiations", meta,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("symbol", String(200), nullable=False, default=""),
    Column("created", DateTime, nullable=False))
files = Table(
    "files", meta,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("created", DateTime, nullable=False))
versions = Table(
    "versions", meta,
    Column("id", Integer, primary_key=True),
    Column("negotiation_id", Integer, ForeignKey("negotiations.id"), nullable=False),
    Column("kind", String(20), nullable=False),          # version | proposal
    Column("label", String(200), nullable=False),
    Column("party", String(200), nullable=False, default=""),
    Column("date", String(40), nullable=False, default=""),
    Column("filename", String(400), nullable=False),
    Column("sha256", String(64), ForeignKey("files.sha256"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("reading", String(20), nullable=False, default=""),   # "" or "ocr": how the file is read
    Column("removed", DateTime, nullable=True),   # soft delete: when it was removed; None while it is in use
    UniqueConstraint("negotiation_id", "kind", "label", "party", name="uq_entry"))


@dataclass
class Entry:
    id: int
    negotiation_id: int
    kind: str
    label: str
    party: str
    date: str
    filename: str
    sha256: str
    position: int
    reading: str = ""
    removed: datetime | None = None


def home() -> Path:
    return Path(os.environ.get("NEGOTIATE_HOME") or Path.home() / ".negotiate")


class Store:
    def __init__(self, url: str | None = None, root: str | os.PathLike | None = None):
        self.root = Path(root) if root else home()
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "files").mkdir(exist_ok=True)
        url = url or os.environ.get("NEGOTIATE_DB") or f"sqlite:///{self.root / 'negotiate.db'}"
        self.engine = create_engine(url, future=True)
        if url.startswith("sqlite"):
            @event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_conn, _record):  # noqa: ANN001
                # We issue BEGIN ourselves: the driver's deferred BEGIN lets two
                # writers both read, then one fails to upgrade its lock at once
                # ("database is locked"), which the busy timeout cannot help.
                dbapi_conn.isolation_level = None
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA busy_timeout=30000")   # first: switching to WAL may wait for a lock
                _wal(cur)
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()

            @event.listens_for(self.engine, "begin")
            def _begin(conn):  # noqa: ANN001
                conn.exec_driver_sql("BEGIN IMMEDIATE")
        meta.create_all(self.engine)
        self._migrate()

    def _migrate(self) -> None:
        """Columns added after a store was first created (issue 9: `reading`)."""
        from sqlalchemy import inspect
        have = {c["name"] for c in inspect(self.engine).get_columns("versions")}
        if "reading" not in have:
            with self.engine.begin() as c:
                c.exec_driver_sql("ALTER TABLE versions ADD COLUMN reading VARCHAR(20) NOT NULL DEFAULT ''")
        if "removed" not in have:       # issue 17: soft delete
            with self.engine.begin() as c:
                c.exec_driver_sql("ALTER TABLE versions ADD COLUMN removed TIMESTAMP")

    # -- files ---------------------------------------------------------------------
    def path_of(self, sha256: str) -> Path:
        return self.root / "files" / sha256

    def put_file(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        dest = self.path_of(sha)
        if not dest.exists():
            fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, dest)       # atomic: a reader never sees half a file
        with self.engine.begin() as c:
            if c.execute(select(files.c.sha256).where(files.c.sha256 == sha)).first() is None:
                try:
                    c.execute(insert(files).values(sha256=sha, size=len(data), created=_now()))
                except IntegrityError:
                    pass                # another session added it first
        return sha

    def get_file(self, sha256: str) -> bytes:
        data = self.path_of(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise OSError(f"stored file {sha256} is damaged")
        return data

    # -- negotiations ----------------------------------------------------------------
    def negotiations(self) -> list[dict]:
        with self.engine.connect() as c:
            return [dict(r._mapping) for r in c.execute(select(negotiations).order_by(negotiations.c.id))]

    def create_negotiation(self, name: str, symbol: str = "") -> int:
        name = name.strip()
        if not name:
            raise ValueError("a negotiation needs a name")
        with self.engine.begin() as c:
            row = c.execute(select(negotiations.c.id).where(negotiations.c.name == name)).first()
            if row:
                return row[0]
            try:
                return c.execute(insert(negotiations).values(name=name, symbol=symbol.strip(), created=_now())).inserted_primary_key[0]
            except IntegrityError:
                pass
        with self.engine.connect() as c:
            return c.execute(select(negotiations.c.id).where(negotiations.c.name == name)).first()[0]

    # -- versions and proposals --------------------------------------------------------
    def add(self, negotiation_id: int, data: bytes, filename: str, label: str, kind: str = "version",
            party: str = "", date: str = "", reading: str = "", replace: bool = False) -> Entry:
        """Store a file as a version or a party's proposal. An entry of the same
        kind, label and party is never replaced silently: ValueError, unless
        `replace=True` (the earlier file stays in the store, by its sha256)."""
        if kind not in ("version", "proposal"):
            raise ValueError(f"unknown kind {kind!r}")
        if kind == "proposal" and not party.strip():
            raise ValueError("a proposal needs a party")
        sha = self.put_file(data)
        with self.engine.begin() as c:
            existing = c.execute(select(versions).where(
                (versions.c.negotiation_id == negotiation_id) & (versions.c.kind == kind) &
                (versions.c.label == label) & (versions.c.party == party))).first()
            if existing is not None and existing.removed is not None:
                # A removed entry keeps its place in the Removed list under a new label.
                c.execute(update(versions).where(versions.c.id == existing.id).values(
                    label=_free_label(c, existing, f"{label} (removed {existing.removed:%Y-%m-%d %H:%M:%S})")))
                existing = None
            if existing is not None and existing.sha256 == sha and existing.filename == filename and not replace:
                vid = existing.id                   # the same file again: harmless
            elif existing is not None:
                if not replace:
                    who = f" of {party}" if party else ""
                    raise ValueError(f"there is already a {kind}{who} labelled {label!r} ({existing.filename}); "
                                     f"choose another label, or replace it")
                c.execute(update(versions).where(versions.c.id == existing.id).values(
                    filename=filename, sha256=sha, date=date, reading=reading))
                vid = existing.id
            else:
                pos = len(c.execute(select(versions.c.id).where(versions.c.negotiation_id == negotiation_id)).all())
                vid = c.execute(insert(versions).values(negotiation_id=negotiation_id, kind=kind, label=label,
                                                        party=party, date=date, filename=filename, sha256=sha,
                                                        position=pos, reading=reading)).inserted_primary_key[0]
        return self.entry(vid)

    def entry(self, vid: int) -> Entry:
        with self.engine.connect() as c:
            row = c.execute(select(versions).where(versions.c.id == vid)).first()
        if row is None:
            raise KeyError(f"no entry {vid}")
        return Entry(**row._mapping)

    def entries(self, negotiation_id: int, kind: str | None = None, removed: bool = False) -> list[Entry]:
        """The entries in use (or, with removed=True, only the removed ones, newest removal first)."""
        q = select(versions).where(versions.c.negotiation_id == negotiation_id)
        if kind:
            q = q.where(versions.c.kind == kind)
        if removed:
            q = q.where(versions.c.removed.is_not(None)).order_by(versions.c.removed.desc(), versions.c.id)
        else:
            q = q.where(versions.c.removed.is_(None)).order_by(versions.c.position, versions.c.id)
        with self.engine.connect() as c:
            rows = c.execute(q).all()
        return [Entry(**r._mapping) for r in rows]

    def update_entry(self, entry_id: int, *, label: str | None = None, party: str | None = None,
                     date: str | None = None) -> Entry:
        """Rename, re-label, re-assign to another party, re-date. The file is untouched."""
        e = self.entry(entry_id)
        values = {}
        if label is not None:
            if not label.strip():
                raise ValueError("the label cannot be empty")
            values["label"] = label.strip()
        if party is not None:
            if e.kind == "proposal" and not party.strip():
                raise ValueError("a proposal needs a party")
            values["party"] = party.strip() if e.kind == "proposal" else ""
        if date is not None:
            values["date"] = str(date)
        if not values:
            return e
        new_label, new_party = values.get("label", e.label), values.get("party", e.party)
        with self.engine.begin() as c:
            other = c.execute(select(versions).where(
                (versions.c.negotiation_id == e.negotiation_id) & (versions.c.kind == e.kind) &
                (versions.c.label == new_label) & (versions.c.party == new_party) & (versions.c.id != e.id))).first()
            if other is not None:
                if other.removed is None:
                    who = f" of {new_party}" if new_party else ""
                    raise ValueError(f"there is already a {e.kind}{who} labelled {new_label!r} ({other.filename})")
                c.execute(update(versions).where(versions.c.id == other.id).values(
                    label=_free_label(c, other, f"{new_label} (removed {other.removed:%Y-%m-%d %H:%M:%S})")))
            c.execute(update(versions).where(versions.c.id == e.id).values(**values))
        return self.entry(entry_id)

    def remove(self, entry_id: int) -> None:
        """Soft delete: the entry leaves `entries()` and waits in the removed list; its file stays."""
        self.entry(entry_id)
        with self.engine.begin() as c:
            c.execute(update(versions).where((versions.c.id == entry_id) & versions.c.removed.is_(None))
                      .values(removed=_now()))

    def restore(self, entry_id: int) -> Entry:
        self.entry(entry_id)
        with self.engine.begin() as c:
            c.execute(update(versions).where(versions.c.id == entry_id).values(removed=None))
        return self.entry(entry_id)


def _free_label(c, row, label: str) -> str:
    """`label`, or `label #2`, `#3`… — the first one no entry of that kind and party has."""
    cand, n = label, 1
    while c.execute(select(versions.c.id).where(
            (versions.c.negotiation_id == row.negotiation_id) & (versions.c.kind == row.kind) &
            (versions.c.label == cand) & (versions.c.party == row.party))).first() is not None:
        n += 1
        cand = f"{label} #{n}"
    return cand


def _wal(cur) -> None:
    """Switch the database to WAL (once: the mode is kept in the file). SQLite
    answers "database is locked" at once, without waiting out the busy timeout,
    when another connection holds a lock during the switch — as when several
    sessions open a new store together — so the switch is retried."""
    import sqlite3
    import time
    if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    for attempt in range(300):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or attempt == 299:
                raise
            time.sleep(0.1)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def seed(store: Store, corpora: Path, realtexts: Path | None = None) -> None:
    """A workspace that shows something at first launch: our corpus in three
    versions with the delegations' proposals, and the Paris drafts when
    ../shared/realtexts is there."""
    if store.negotiations():
        return
    nid = store.create_negotiation("Chemicals framework (sample)", "SAICM/TEST/IP.2/2")
    for label, name, date in (("Compilation", "framework-v1-compilation.docx", "2026-01-15"),
                              ("Streamlined", "framework-v2-streamlined.docx", "2026-02-20"),
                              ("Revised", "framework-v3-revised.docx", "2026-03-30")):
        store.add(nid, (corpora / name).read_bytes(), name, label, date=date)
    store.add(nid, (corpora / "framework-v1-compilation.txt").read_bytes(), "framework-v1-compilation.txt",
              "Compilation", kind="proposal", party="G77/China")
    store.add(nid, (corpora / "framework-v3-revised.txt").read_bytes(), "framework-v3-revised.txt",
              "Revised", kind="proposal", party="EU")
    zid = store.create_negotiation("化学品框架 (示例)", "SAICM/TEST/ZH/1")
    for label, name in (("v1", "zh-framework-v1.docx"), ("v2", "zh-framework-v2.docx")):
        store.add(zid, (corpora / name).read_bytes(), name, label)
    paris = realtexts / "paris2015" if realtexts else None
    if paris and paris.exists():
        pid = store.create_negotiation("Paris Agreement 2015 (real drafts)", "FCCC/ADP/2015")
        for label, name, date in (("23 Oct", "agreement-23-oct-2015.md", "2015-10-23"),
                                  ("4 Dec", "agreement-4-dec-2015.md", "2015-12-04"),
                                  ("9 Dec", "agreement-9-dec-2015.md", "2015-12-09"),
                                  ("12 Dec (adopted)", "agreement-12-dec-2015.md", "2015-12-12"),
                                  ("29 Jan 2016 (corrected)", "agreement-29-jan-2016.md", "2016-01-29")):
            store.add(pid, (paris / name).read_bytes(), name, label, date=date)
