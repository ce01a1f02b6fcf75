"""The library of adopted texts: documents, their paragraphs, and the shingle index.

Storage is our own handful of tables through SQLAlchemy, self-contained (it shares
nothing with the workspace store), and the shingle index (index.py: NumPy segments beside
a SQLite library, or the two tables below in a shared PostgreSQL database):

  library_documents   one row per adopted text: path, symbol, title, date, language, sha256
  library_paragraphs  one row per indexed block: its document, block index, label, text
  library_postings    (shingle hash, paragraph) — the inverted index, primary key on both,
                      so a lookup by hash is one range read of a B-tree
  library_df          (shingle hash, number of paragraphs holding it) — lets a search skip
                      boilerplate shingles ("of the United") before reading their postings

Embedded by default: a SQLite file `library.db` in NEGOTIATE_HOME/library (or `--library
DIR`), nothing to start. In server mode (NEGOTIATE_DB is a PostgreSQL URL) the same tables
live in that database, so every replica sees the same library. Why a shingle index over
a table rather than a full-text engine: see bench/precedents.py and the issue's note —
clause-level reuse with edits is a question about runs of shared words, which a
B-tree of shingle hashes answers directly, on either database.
"""
from __future__ import annotations

import os
import re
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import BigInteger, Column, Integer, LargeBinary, MetaData, String, Table, Text, create_engine, event

from .. import lang
from ..errors import NegotiateError
from ..model import Document, LibraryDocument
from . import units as U

SCHEMA = 1
meta = MetaData()
documents_t = Table(
    "library_documents", meta,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("path", Text, nullable=False),
    Column("symbol", String(200), nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("date", String(40), nullable=False, default=""),
    Column("language", String(8), nullable=False, default=""),
    Column("sha256", String(64), nullable=False, index=True),
    Column("format", String(10), nullable=False, default=""),
    Column("paragraphs", Integer, nullable=False, default=0),
    Column("added", String(40), nullable=False))
paragraphs_t = Table(
    "library_paragraphs", meta,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("document_id", Integer, nullable=False, index=True),
    Column("block", Integer, nullable=False),
    Column("label", String(200), nullable=False, default=""),
    Column("language", String(8), nullable=False, default=""),
    Column("text", Text, nullable=False),
    # The text's unit ids (uint32, little-endian), so a search verifies a candidate without
    # reading its words again: 4 bytes a word.
    Column("units", LargeBinary, nullable=False))
postings_t = Table(
    "library_postings", meta,
    Column("hash", BigInteger, primary_key=True, autoincrement=False),
    Column("paragraph_id", Integer, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False)
df_t = Table(
    "library_df", meta,
    Column("hash", BigInteger, primary_key=True, autoincrement=False),
    Column("n", Integer, nullable=False),
    sqlite_with_rowid=False)
segments_t = Table(
    "library_segments", meta,
    Column("name", String(40), primary_key=True),
    Column("postings", BigInteger, nullable=False))
meta_t = Table(
    "library_meta", meta,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False))


def default_url() -> str:
    """The shared database in server mode, else NEGOTIATE_HOME/library/library.db."""
    db = os.environ.get("NEGOTIATE_DB", "")
    if db.startswith(("postgresql", "postgres")):
        return db
    from ..store import home
    return f"sqlite:///{home() / 'library' / 'library.db'}"


def _driver(url: str) -> str:
    """`postgresql://` means psycopg2 to SQLAlchemy; we depend on psycopg (3)."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def url_for(location: str | os.PathLike | None) -> str:
    """`--library` may name a directory (a SQLite library inside it) or a database URL."""
    if location is None:
        return default_url()
    s = str(location)
    if "://" in s:
        return s
    return f"sqlite:///{Path(s).resolve() / 'library.db'}"


_CITED = re.compile(r"(?:\bof|\bdu|\bdel|\bот)\s+$", re.I)   # "resolution 72/249 of 24 December 2017"


def find_date(text: str, language: str = "en", limit: int = 3000) -> str:
    """The document's date near the top ("4 March 2025", "December 12, 2015", "2023年6月19日") as ISO
    8601: the first one that is not a cited text's ("the Convention … of 10 December 1982"); "" if none."""
    head = text[:limit]
    mods = [lang.get(language)] if language in lang.CODES else []
    mods += [m for m in lang.all_languages() if m not in mods]
    for mod in mods:
        found = []      # (offset, iso)
        pat = getattr(mod, "DATE", None)
        if pat:
            for m in re.finditer(pat, head):
                y, mo, d = (int(g) for g in m.groups())
                if 1 <= mo <= 12 and 1 <= d <= 31:
                    found.append((m.start(), f"{y:04d}-{mo:02d}-{d:02d}"))
        months = [x.casefold() for x in getattr(mod, "MONTHS", ())]
        if months:
            alt = "|".join(re.escape(x) for x in months)
            for m in re.finditer(rf"\b(\d{{1,2}})(?:er)?\s+(?:de\s+)?({alt})\s+(?:de\s+)?(\d{{4}})\b", head, re.I):
                found.append((m.start(), f"{int(m.group(3)):04d}-{months.index(m.group(2).casefold()) + 1:02d}-"
                                         f"{int(m.group(1)):02d}"))
            for m in re.finditer(rf"\b({alt})\s+(\d{{1,2}}),\s+(\d{{4}})\b", head, re.I):   # December 12, 2015
                found.append((m.start(), f"{int(m.group(3)):04d}-{months.index(m.group(1).casefold()) + 1:02d}-"
                                         f"{int(m.group(2)):02d}"))
        own = [iso for at, iso in sorted(found) if not _CITED.search(head[max(0, at - 8):at])]
        if own:
            return own[0]
    return ""


class Library:
    """One library. `Library()` is the default one; `Library(DIR)` or `Library(URL)` another."""

    BATCH = 5000          # hashes per IN (...) lookup

    def __init__(self, location: str | os.PathLike | None = None):
        self.url = _driver(url_for(location))
        self.sqlite = self.url.startswith("sqlite")
        if self.sqlite:
            Path(self.url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(self.url, future=True)
        if self.sqlite:
            @event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_conn, _record):  # noqa: ANN001
                dbapi_conn.isolation_level = None       # we BEGIN ourselves (see store.py for why)
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA busy_timeout=30000")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA cache_size=-262144")   # 256 MB of page cache at most
                # WAL: readers and one writer at once (a persistent setting, made outside any
                # transaction; retried, since SQLite refuses the switch at once while locked).
                for _ in range(50):
                    try:
                        if cur.execute("PRAGMA journal_mode").fetchone()[0] == "wal" or \
                                cur.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal":
                            break
                    except sqlite3.OperationalError:
                        pass
                    time.sleep(0.1)
                cur.close()

            @event.listens_for(self.engine, "begin")
            def _begin(conn):  # noqa: ANN001
                # Writers take the write lock at once (a deferred transaction that reads and then
                # writes gets "database is locked" without waiting); readers never take it.
                conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("writing") else "BEGIN")
        self.writer = self.engine.execution_options(writing=True)
        meta.create_all(self.writer)
        with self.writer.begin() as c:
            got = c.exec_driver_sql("SELECT value FROM library_meta WHERE key = 'schema'").scalar()
            if got is None:
                c.execute(meta_t.insert().values(key="schema", value=str(SCHEMA)))
            elif got != str(SCHEMA):
                raise NegotiateError(self.where, f"this library has schema {got}; this negotiate reads schema "
                                                 f"{SCHEMA} (a newer or older negotiate made it)")
        self._p = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        from .index import SegmentIndex, TableIndex
        if self.sqlite and os.environ.get("NEGOTIATE_LIBRARY_INDEX", "segments") != "table":
            self.index = SegmentIndex(Path(self.url[len("sqlite:///"):]).parent, self.engine)
        else:
            self.index = TableIndex(self.engine, self._p)

    @property
    def where(self) -> str:
        """Where the library is, for messages: its directory, or the database URL without a password."""
        if self.sqlite:
            return str(Path(self.url[len("sqlite:///"):]).parent)
        return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", self.url)

    def close(self) -> None:
        self.engine.dispose()

    def checkpoint(self) -> None:
        """SQLite: fold the write-ahead log into the database file (after a bulk add)."""
        if self.sqlite:
            raw = self.engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()

    # -- what is in it -------------------------------------------------------------------
    def documents(self) -> list[LibraryDocument]:
        with self.engine.connect() as c:
            rows = c.execute(documents_t.select().order_by(documents_t.c.id)).mappings().all()
        return [LibraryDocument(**dict(r)) for r in rows]

    def paragraph_count(self) -> int:
        with self.engine.connect() as c:
            return c.exec_driver_sql("SELECT count(*) FROM library_paragraphs").scalar() or 0

    def __len__(self) -> int:
        return self.paragraph_count()

    # -- adding --------------------------------------------------------------------------
    def add(self, doc: Document, path: str | None = None) -> LibraryDocument | None:
        """Index a document's blocks; None when the same file (sha256) is already in."""
        with self.engine.connect() as c:
            if c.exec_driver_sql(f"SELECT 1 FROM library_documents WHERE sha256 = {self._p}",
                                 (doc.sha256,)).first():
                return None
        blocks = [(b.index, b.label, b.text) for b in doc.blocks if b.text.strip()]
        info = dict(path=str(path or doc.path), symbol=doc.symbol or "", title=doc.title or "",
                    date=find_date(doc.text, doc.language), language=doc.language or "",
                    sha256=doc.sha256, format=doc.format)
        return self.add_blocks(info, blocks)

    def add_blocks(self, info: dict, blocks: list[tuple[int, str, str]]) -> LibraryDocument:
        """Index one document given as (block index, label, text) triples."""
        return self.add_many([(info, blocks)])[0]

    def add_many(self, docs) -> list[LibraryDocument]:
        """Index several documents in one transaction (the bench adds thousands at a time)."""
        out = []
        with self.writer.begin() as c:
            if not self.sqlite:   # one writer at a time: ids are max + 1
                c.exec_driver_sql("LOCK TABLE library_documents IN EXCLUSIVE MODE")
            did = c.exec_driver_sql("SELECT coalesce(max(id), 0) FROM library_documents").scalar()
            pid = c.exec_driver_sql("SELECT coalesce(max(id), 0) FROM library_paragraphs").scalar()
            now = datetime.now(UTC).isoformat(timespec="seconds")
            doc_rows, para_rows = [], []
            by_k: dict[int, tuple[list[str], list[int], list[list[int]]]] = {}
            for info, blocks in docs:
                did += 1
                language = info.get("language") or "en"
                _, _, k = U.settings(language)
                d = LibraryDocument(id=did, path=info["path"], symbol=info.get("symbol", ""),
                                    title=info.get("title", ""), date=info.get("date", ""), language=language,
                                    sha256=info["sha256"], format=info.get("format", ""),
                                    paragraphs=len(blocks), added=now)
                out.append(d)
                doc_rows.append((d.id, d.path, d.symbol, d.title, d.date, d.language, d.sha256, d.format,
                                 d.paragraphs, d.added))
                texts, pids, lists = by_k.setdefault(k, ([], [], []))
                for index, label, text in blocks:
                    pid += 1
                    ids = U.ids_only(text)
                    para_rows.append((pid, did, index, label, language, text, np.array(ids, "<u4").tobytes()))
                    texts.append(text)
                    pids.append(pid)
                    lists.append(ids)
            p = self._p
            c.exec_driver_sql(f"INSERT INTO library_documents (id, path, symbol, title, date, language, sha256, "
                              f"format, paragraphs, added) VALUES ({', '.join([p] * 10)})", doc_rows)
            if para_rows:
                c.exec_driver_sql(f"INSERT INTO library_paragraphs (id, document_id, block, label, language, text, "
                                  f"units) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p})", para_rows)
            hs, ps = [], []
            for k, (texts, pids, lists) in by_k.items():
                h, owner = U.batch_shingles(texts, pids, k, lists)
                hs.append(h)
                ps.append(owner)
            if hs:
                self.index.add(c, np.concatenate(hs), np.concatenate(ps))
        self.index.maybe_merge(self.live_ids)
        return out

    def live_ids(self) -> np.ndarray:
        with self.engine.connect() as c:
            return np.array([r[0] for r in c.exec_driver_sql("SELECT id FROM library_paragraphs").all()],
                            dtype=np.int64)

    # -- removing ------------------------------------------------------------------------
    def remove(self, what: str) -> list[LibraryDocument]:
        """Remove every document whose symbol or path (as added, or resolved) is `what`."""
        target = {what, str(Path(what).resolve())} if "://" not in what else {what}
        gone = [d for d in self.documents() if d.symbol == what or d.path in target
                or os.path.basename(d.path) == what]
        if not gone:
            return []
        p = self._p
        with self.writer.begin() as c:
            for d in gone:
                rows = c.exec_driver_sql(f"SELECT id, language, text FROM library_paragraphs WHERE document_id = {p}",
                                         (d.id,)).all()
                by_k: dict[int, tuple[list[str], list[int]]] = {}
                for pid, language, text in rows:
                    texts, pids = by_k.setdefault(U.settings(language)[2], ([], []))
                    texts.append(text)
                    pids.append(pid)
                for k, (texts, pids) in by_k.items():
                    self.index.remove(c, *U.batch_shingles(texts, pids, k))
                c.exec_driver_sql(f"DELETE FROM library_paragraphs WHERE document_id = {p}", (d.id,))
                c.exec_driver_sql(f"DELETE FROM library_documents WHERE id = {p}", (d.id,))
        return gone

    # -- lookups for the search ----------------------------------------------------------
    def _batches(self, values: list[int]):
        for i in range(0, len(values), self.BATCH):
            yield values[i:i + self.BATCH]

    def frequencies(self, hashes: list[int]) -> dict[int, int]:
        return self.index.frequencies(hashes)

    def postings(self, hashes: list[int]) -> dict:
        return self.index.postings(hashes)

    def paragraphs(self, ids: list[int]) -> dict[int, tuple]:
        """id → (document id, block, label, language, text, unit ids as bytes)."""
        out: dict[int, tuple] = {}
        with self.engine.connect() as c:
            if not self.sqlite:     # one query, one array parameter
                q = ("SELECT id, document_id, block, label, language, text, units FROM library_paragraphs "
                     "WHERE id = ANY(%s)")
                return {r[0]: tuple(r[1:]) for r in c.exec_driver_sql(q, (sorted(ids),)).all()} if ids else {}
            for chunk in self._batches(sorted(ids)):
                q = (f"SELECT id, document_id, block, label, language, text, units FROM library_paragraphs "
                     f"WHERE id IN ({', '.join([self._p] * len(chunk))})")
                for r in c.exec_driver_sql(q, tuple(chunk)).all():
                    out[r[0]] = tuple(r[1:])
        return out

    def documents_by_id(self, ids: list[int]) -> dict[int, LibraryDocument]:
        out = {}
        cols = ", ".join(c.name for c in documents_t.columns)
        with self.engine.connect() as c:
            for chunk in self._batches(ids):
                q = f"SELECT {cols} FROM library_documents WHERE id IN ({', '.join([self._p] * len(chunk))})"
                for r in c.exec_driver_sql(q, tuple(chunk)).mappings().all():
                    out[r["id"]] = LibraryDocument(**dict(r))
        return out

    def document_map(self) -> dict[int, LibraryDocument]:
        return {d.id: d for d in self.documents()}


def read_into(library: Library, paths: list[str], reader=None) -> tuple[list[LibraryDocument], list[str],
                                                                       list[NegotiateError]]:
    """Read and add each file; one that cannot be read is refused by name, the rest are added.
    Returns (added, skipped as already present, errors)."""
    from ..ingest import read
    reader = reader or read
    added, skipped, errors = [], [], []
    for path in paths:
        try:
            doc = reader(path)
            if not any(b.text.strip() for b in doc.blocks):
                raise NegotiateError(path, "no paragraphs to index")
        except NegotiateError as e:
            errors.append(e)
            continue
        except Exception as e:  # noqa: BLE001 - a reader's bug must not stop the other files
            errors.append(NegotiateError(path, f"cannot be read ({type(e).__name__}: {e})"))
            continue
        d = library.add(doc, str(Path(path).resolve()))
        (added if d else skipped).append(d or path)
    return added, skipped, errors
