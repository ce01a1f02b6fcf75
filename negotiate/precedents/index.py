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
            seg = (np.load(self.dir / f"{name}.hash.npy", mmap_mode="r"),
                   np.load(self.dir / f"{name}.pid.npy", mmap_mode="r"))
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
        p = self._p
        pairs = list(zip(h.tolist(), pids.tolist()))
        uh, counts = np.unique(h, return_counts=True)
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

    def frequencies(self, hashes: list[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        with self.engine.connect() as c:
            for chunk in self._batches(hashes):
                q = f"SELECT hash, n FROM library_df WHERE hash IN ({', '.join([self._p] * len(chunk))})"
                out.update(c.exec_driver_sql(q, tuple(chunk)).all())
        return out

    def postings(self, hashes: list[int]) -> dict[int, np.ndarray]:
        out: dict[int, list[int]] = {}
        with self.engine.connect() as c:
            for chunk in self._batches(hashes):
                q = (f"SELECT hash, paragraph_id FROM library_postings "
                     f"WHERE hash IN ({', '.join([self._p] * len(chunk))})")
                for h, pid in c.exec_driver_sql(q, tuple(chunk)).all():
                    out.setdefault(h, []).append(pid)
        return {h: np.array(v, dtype=np.int64) for h, v in out.items()}

    def disk_bytes(self) -> int:
        return 0
