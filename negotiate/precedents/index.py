"""The shingle index behind one small interface, two ways.

    add(hashes, paragraph_ids)       postings to add (one array each, any order, no duplicates)
    remove(hashes, paragraph_ids)    postings to take out
    frequencies(hashes) -> dict      how many paragraphs hold each shingle
    postings(hashes) -> dict         shingle → paragraph ids

`SegmentIndex` (the embedded default): immutable sorted segments of (hash, paragraph)
as NumPy files beside library.db, memory-mapped and searched with `searchsorted`; a
bulk add of 40 million postings is one sort and one write, and a lookup touches a few
pages. Adds write a new segment; segments are merged when there are more than eight.
Removed paragraphs are simply gone from library_paragraphs — a search skips ids it cannot
find — and the next merge drops their postings. Which segments are live is recorded in
library.db (table library_segments) in the same transaction as the documents.

`TableIndex`: the same postings as rows of library_postings / library_df through SQL —
the path for a shared PostgreSQL database (server mode), where every replica must see the
same index, and usable on SQLite too (tests exercise it there).
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import numpy as np

MAX_SEGMENTS = 8


class SegmentIndex:
    def __init__(self, directory: Path, engine):
        self.dir = directory / "segments"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.engine = engine
        self._open: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    # -- which segments are live -----------------------------------------------------------
    def names(self, conn=None) -> list[str]:
        q = "SELECT name FROM library_segments ORDER BY name"
        if conn is not None:
            return [r[0] for r in conn.exec_driver_sql(q).all()]
        with self.engine.connect() as c:
            return [r[0] for r in c.exec_driver_sql(q).all()]

    def _segment(self, name: str):
        seg = self._open.get(name)
        if seg is None:
            # Plain ndarray views of the maps: slicing a np.memmap makes a memmap each time (a
            # third of a search's lookups went into its __array_finalize__).
            seg = (np.load(self.dir / f"{name}.hash.npy", mmap_mode="r").view(np.ndarray),
                   np.load(self.dir / f"{name}.pid.npy", mmap_mode="r").view(np.ndarray))
            self._open[name] = seg
        return seg

    def _segments(self):
        for _ in range(3):   # a merge may have replaced a segment between reading the list and opening it
            try:
                return [self._segment(n) for n in self.names()]
            except FileNotFoundError:
                self._open.clear()
        return [self._segment(n) for n in self.names()]

    def _write(self, h: np.ndarray, p: np.ndarray) -> str:
        order = np.lexsort((p, h))
        name = f"seg-{uuid.uuid4().hex[:12]}"
        for suffix, arr in ((".hash.npy", h[order].astype(np.int64)), (".pid.npy", p[order].astype(np.int32))):
            tmp = self.dir / f".{name}{suffix}.tmp"
            with open(tmp, "wb") as fh:
                np.save(fh, arr)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.dir / f"{name}{suffix}")
        return name

    # -- the interface -----------------------------------------------------------------------
    def add(self, conn, h: np.ndarray, p: np.ndarray) -> None:
        if not len(h):
            return
        name = self._write(h, p)
        conn.exec_driver_sql("INSERT INTO library_segments (name, postings) VALUES (?, ?)", (name, int(len(h))))

    def remove(self, conn, h: np.ndarray, p: np.ndarray) -> None:
        """Nothing to do now: the paragraphs are gone, so their postings lead nowhere until the next merge."""

    def maybe_merge(self, live_ids) -> None:
        """When there are too many segments, merge the smallest half of them into one (after a
        commit): a segment is rewritten about log(n) times over a library's life, not n times."""
        with self.engine.connect() as c:
            rows = c.exec_driver_sql("SELECT name, postings FROM library_segments ORDER BY postings").all()
        if len(rows) <= MAX_SEGMENTS:
            return
        self.merge(live_ids(), [r[0] for r in rows[:len(rows) // 2 + 1]])

    def merge(self, live: np.ndarray, names: list[str] | None = None) -> None:
        names = names or self.names()
        hs, ps = [], []
        for n in names:
            h, p = self._segment(n)
            keep = np.isin(p, live)
            hs.append(np.asarray(h[keep]))
            ps.append(np.asarray(p[keep]))
        h = np.concatenate(hs) if hs else np.zeros(0, np.int64)
        p = np.concatenate(ps) if ps else np.zeros(0, np.int32)
        new = self._write(h, p) if len(h) else None
        with self.engine.execution_options(writing=True).begin() as c:
            q = ", ".join("?" * len(names))
            # Another process may have merged the same segments meanwhile: then ours is not needed.
            still = c.exec_driver_sql(f"SELECT count(*) FROM library_segments WHERE name IN ({q})",
                                      tuple(names)).scalar()
            if still == len(names):
                c.exec_driver_sql(f"DELETE FROM library_segments WHERE name IN ({q})", tuple(names))
                if new:
                    c.exec_driver_sql("INSERT INTO library_segments (name, postings) VALUES (?, ?)",
                                      (new, int(len(h))))
        self._open.clear()
        if still != len(names):
            names = [new] if new else []
        for n in names:
            for suffix in (".hash.npy", ".pid.npy"):
                try:
                    os.remove(self.dir / f"{n}{suffix}")
                except FileNotFoundError:
                    pass

    def frequencies(self, hashes: list[int]) -> dict[int, int]:
        q = np.array(sorted(hashes), dtype=np.int64)
        n = np.zeros(len(q), dtype=np.int64)
        for h, _ in self._segments():
            n += np.searchsorted(h, q, "right") - np.searchsorted(h, q, "left")
        return {int(a): int(b) for a, b in zip(q.tolist(), n.tolist()) if b}

    def postings(self, hashes: list[int]) -> dict[int, np.ndarray]:
        q = np.array(sorted(hashes), dtype=np.int64)
        out: dict[int, np.ndarray] = {}
        for h, p in self._segments():
            lo, hi = np.searchsorted(h, q, "left"), np.searchsorted(h, q, "right")
            for x, a, b in zip(q.tolist(), lo.tolist(), hi.tolist()):
                if b > a:
                    got = np.asarray(p[a:b], dtype=np.int64)
                    out[x] = np.concatenate([out[x], got]) if x in out else got
        return out

    def disk_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.dir.iterdir())


class TableIndex:
    BATCH = 5000

    def __init__(self, engine, paramstyle: str):
        self.engine = engine
        self._p = paramstyle
        self.pg = engine.dialect.name == "postgresql"

    def _batches(self, values):
        for i in range(0, len(values), self.BATCH):
            yield values[i:i + self.BATCH]

    def add(self, conn, h: np.ndarray, pids: np.ndarray) -> None:
        self._post(conn, h, pids, +1)

    def remove(self, conn, h: np.ndarray, pids: np.ndarray) -> None:
        self._post(conn, h, pids, -1)

    def maybe_merge(self, live_ids) -> None:
        pass

    def _post(self, c, h: np.ndarray, pids: np.ndarray, sign: int) -> None:
        """Add (sign +1) or remove (-1) postings, keeping document frequencies right."""
        if not len(h):
            return
        order = np.lexsort((pids, h))          # B-tree order: the inserts append, mostly
        h, pids = h[order], pids[order]
        uh, counts = np.unique(h, return_counts=True)
        if self.pg:
            return self._post_pg(c, h, pids, uh, counts, sign)
        p = self._p
        pairs = list(zip(h.tolist(), pids.tolist()))
        if sign > 0:
            c.exec_driver_sql(f"INSERT INTO library_postings (hash, paragraph_id) VALUES ({p}, {p})", pairs)
            c.exec_driver_sql(f"INSERT INTO library_df (hash, n) VALUES ({p}, {p}) "
                              f"ON CONFLICT (hash) DO UPDATE SET n = library_df.n + excluded.n",
                              list(zip(uh.tolist(), counts.tolist())))
        else:
            c.exec_driver_sql(f"DELETE FROM library_postings WHERE hash = {p} AND paragraph_id = {p}", pairs)
            c.exec_driver_sql(f"UPDATE library_df SET n = n - {p} WHERE hash = {p}",
                              list(zip(counts.tolist(), uh.tolist())))
            c.exec_driver_sql(f"DELETE FROM library_df WHERE hash = {p} AND n <= 0", [(x,) for x in uh.tolist()])

    def _post_pg(self, c, h, pids, uh, counts, sign) -> None:
        """PostgreSQL: the postings and counts go in by binary COPY (one statement for millions
        of rows; row-by-row inserts were ~10 µs a posting), into the table itself when adding,
        into temporary tables joined against when removing or updating counts."""
        cur = c.connection.driver_connection.cursor()
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS library_df_delta (hash bigint, n integer) "
                    "ON COMMIT DELETE ROWS")
        _copy(cur, "library_df_delta (hash, n)", uh, counts.astype(np.int32))
        if sign > 0:
            _copy(cur, "library_postings (hash, paragraph_id)", h, pids.astype(np.int32))
            cur.execute("INSERT INTO library_df (hash, n) SELECT hash, n FROM library_df_delta "
                        "ON CONFLICT (hash) DO UPDATE SET n = library_df.n + excluded.n")
        else:
            cur.execute("CREATE TEMP TABLE IF NOT EXISTS library_postings_gone (hash bigint, paragraph_id integer) "
                        "ON COMMIT DELETE ROWS")
            _copy(cur, "library_postings_gone (hash, paragraph_id)", h, pids.astype(np.int32))
            cur.execute("DELETE FROM library_postings p USING library_postings_gone g "
                        "WHERE p.hash = g.hash AND p.paragraph_id = g.paragraph_id")
            cur.execute("UPDATE library_df d SET n = d.n - x.n FROM library_df_delta x WHERE d.hash = x.hash")
            cur.execute("DELETE FROM library_df d USING library_df_delta x WHERE d.hash = x.hash AND d.n <= 0")
            cur.execute("TRUNCATE library_postings_gone")
        cur.execute("TRUNCATE library_df_delta")     # the transaction may go on adding

    def _select(self, sql_in: str, sql_any: str, hashes: list[int]):
        """Rows for many hashes: one `= ANY(array)` query on PostgreSQL (one parameter, one plan),
        IN lists of `BATCH` on SQLite."""
        with self.engine.connect() as c:
            if self.pg:
                if hashes:
                    yield from c.exec_driver_sql(sql_any, (list(hashes),)).all()
                return
            for chunk in self._batches(hashes):
                yield from c.exec_driver_sql(sql_in.format(", ".join([self._p] * len(chunk))), tuple(chunk)).all()

    def frequencies(self, hashes: list[int]) -> dict[int, int]:
        return dict(self._select("SELECT hash, n FROM library_df WHERE hash IN ({})",
                                 "SELECT hash, n FROM library_df WHERE hash = ANY(%s)", hashes))

    def postings(self, hashes: list[int]) -> dict[int, np.ndarray]:
        if self.pg:     # one row a shingle, its paragraphs as an array, not one row a posting
            return {h: np.array(p, dtype=np.int64) for h, p in self._select(
                "", "SELECT hash, array_agg(paragraph_id) FROM library_postings WHERE hash = ANY(%s) GROUP BY hash",
                hashes)}
        rows = list(self._select("SELECT hash, paragraph_id FROM library_postings WHERE hash IN ({})", "", hashes))
        if not rows:
            return {}
        h = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        p = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
        order = np.argsort(h, kind="stable")
        h, p = h[order], p[order]
        cut = np.flatnonzero(np.diff(h)) + 1
        return {int(g[0]): q for g, q in zip(np.split(h, cut), np.split(p, cut))}

    def disk_bytes(self) -> int:
        return 0


def _copy(cur, table: str, a: np.ndarray, b: np.ndarray) -> None:
    """Two columns (bigint, integer) into `table` by PostgreSQL's binary COPY, the rows built by NumPy."""
    rows = np.empty(len(a), dtype=np.dtype([("n", ">i2"), ("la", ">i4"), ("a", ">i8"), ("lb", ">i4"), ("b", ">i4")]))
    rows["n"], rows["la"], rows["a"], rows["lb"], rows["b"] = 2, 8, a, 4, b
    data = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8 + rows.tobytes() + b"\xff\xff"
    view, step = memoryview(data), 1 << 24
    with cur.copy(f"COPY {table} FROM STDIN (FORMAT BINARY)") as cp:
        for i in range(0, len(data), step):
            cp.write(view[i:i + step])
