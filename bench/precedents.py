"""bench/precedents: agreed language at scale — indexing, search speed and memory, accuracy.

Goals (issue 19): a library of 1,000,000 paragraphs (about 40 million words) indexed in
≤ 15 min and ≤ 4 GB of disk; a 500-paragraph draft annotated in ≤ 5 s and ≤ 2 GB of
memory; the same at 10,000 paragraphs. Accuracy on drafts with planted clauses (8–40
units from library paragraphs, up to one in five edited, brackets, case, typography,
renumbering) beside novel text: ≥ 0.95 of planted clauses found with their source and an
overlapping span, ≤ 2 matches per 100 novel paragraphs, in English and Chinese.

The library is generated from the real texts (../shared/realtexts) by mutation: clauses of
real paragraphs joined and a quarter of their units swapped for words drawn by frequency
(negotiate/precedents/plant.py), 10% of it Chinese. The search runs in a child process so
its peak memory is its own.

Run:  .venv/bin/python bench/precedents.py [--paragraphs 10000] [--draft 500] [--dir DIR]
      nice -n 10 .venv/bin/python bench/precedents.py --paragraphs 1000000
      nice -n 10 .venv/bin/python bench/precedents.py --paragraphs 100000 --postgres
        (server mode: the library in a throw-away PostgreSQL cluster — Debian's binaries, run as
        `nobody` when root, on a free port, removed at the end; or --url URL for one of yours)
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REAL = ROOT.parent / "shared" / "realtexts"
DOC = 20            # paragraphs per generated library document

from negotiate.precedents import Library, Options, find  # noqa: E402
from negotiate.precedents.plant import Corpus, real_paragraphs, score  # noqa: E402


def corpora():
    en = Corpus.from_texts(real_paragraphs(REAL, "en"), "en", "word", seed=19)
    zh = Corpus.from_texts(real_paragraphs(REAL, "zh"), "zh", "char", seed=20)
    return en, zh


def build(directory: Path, n: int, zh_share: float, url: str | None = None, pgdata: str | None = None) -> dict:
    en, zh = corpora()
    lib = Library(url or directory)
    server0 = server_cpu(pgdata)
    counts = {"en": int(n * (1 - zh_share)), "zh": n - int(n * (1 - zh_share))}
    t_gen = t_idx = cpu_idx = 0.0
    for code, corpus in (("en", en), ("zh", zh)):
        done = 0
        while done < counts[code]:
            t = time.perf_counter()
            batch = []
            for _ in range(2500):                      # 2,500 documents (50,000 paragraphs) a transaction
                if done >= counts[code]:
                    break
                k = min(DOC, counts[code] - done)
                d = done // DOC
                info = {"path": f"syn/{code}/{d:06d}", "symbol": f"A/RES/SYN/{code}/{d}", "language": code,
                        "sha256": f"{code}{d:062d}", "format": "txt"}
                batch.append((info, [(b, f"{b + 1}.", corpus.paragraph()) for b in range(k)]))
                done += k
            t_gen += time.perf_counter() - t
            t, c = time.perf_counter(), time.process_time()
            lib.add_many(batch)
            t_idx += time.perf_counter() - t
            cpu_idx += time.process_time() - c
        print(f"  {code}: {done:,} paragraphs", file=sys.stderr)
    t = time.perf_counter()
    lib.checkpoint()
    t_idx += time.perf_counter() - t
    vacuum = None
    if url:
        # What autovacuum does soon after a bulk add, done now so that the search measures the steady
        # state: the postings' visibility map lets the lookups be index-only scans (at 100k this
        # halved the server's CPU for a search, 2.0 → 0.9 s, part of it perhaps a warm cache).
        t = time.perf_counter()
        with lib.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            for table in ("library_postings", "library_df", "library_paragraphs", "library_documents"):
                c.exec_driver_sql(f"VACUUM ANALYZE {table}")
        vacuum = round(time.perf_counter() - t, 1)
    disk = sum(f.stat().st_size for f in directory.rglob('*') if f.is_file())
    server = round(server_cpu(pgdata) - server0, 1) if pgdata else None
    if url:
        with lib.engine.connect() as c:
            disk = int(c.exec_driver_sql("SELECT sum(pg_total_relation_size(oid)) FROM pg_class "
                                     "WHERE relname LIKE 'library%%' AND relkind = 'r'").scalar() or 0)
    lib.close()
    return {"generate_s": round(t_gen, 1), "index_s": round(t_idx, 1), "index_cpu_s": round(cpu_idx, 1), "disk_gb": round(disk / 1e9, 3),
            "paragraphs": n, "counts": counts, "server_cpu_s": server, "where": "postgresql" if url else "sqlite", "vacuum_s": vacuum}


class _Paragraphs:
    """Library paragraphs of one language by index, read from the library (for planting)."""

    def __init__(self, lib: Library, first_id: int, n: int):
        self.lib, self.first, self.n = lib, first_id, n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return self.lib.paragraphs([self.first + i])[self.first + i][4]


def search(directory: Path, n_draft: int, counts: dict, url: str | None = None, pgdata: str | None = None,
           misses: bool = False) -> dict:
    """In a child process: one timed annotation of a 500-paragraph draft, then accuracy."""
    en, zh = corpora()
    lib = Library(url or directory)
    out = {}
    for code, corpus, first in (("en", en, 1), ("zh", zh, 1 + counts["en"])):
        if not counts[code]:
            continue
        paras = _Paragraphs(lib, first, counts[code])
        draft, truth = corpus.draft(paras, n_draft if code == "en" else max(100, n_draft // 5),
                                    path=f"draft-{code}.txt")
        t, c, server0 = time.perf_counter(), time.process_time(), server_cpu(pgdata)
        res = find(draft, lib, Options())
        dt, cpu = time.perf_counter() - t, time.process_time() - c
        server = round(server_cpu(pgdata) - server0, 2) if pgdata else None

        def source_of(m, code=code):
            _, c, d = m.source.path.split("/")
            return int(d) * DOC + m.source.block if c == code else None
        s = score(res, truth, source_of)
        s.update(seconds=round(dt, 2), cpu=round(cpu, 2), draft_paragraphs=len(draft.blocks), matches=len(res.matches),
                 server_cpu=server)
        if misses:
            s["misses"] = missed(res, truth, source_of, paras)
        out[code] = s
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def missed(res, truth, source_of, paras) -> list[str]:
    """Each planted clause not found with its source: the clause, its source paragraph and what
    was cited instead (the sources' own words over the span) — to study the misses."""
    by = res.by_block()
    out = []
    for t in truth:
        hits = [m for m in by.get(t.block, []) if m.start < t.end and t.start < m.end]
        if any(source_of(m) == t.source for m in hits):
            continue
        text = res.draft.blocks[t.block].text
        lines = [f"block {t.block}: {text[t.start:t.end]!r}", f"  source {t.source}: {paras[t.source][:200]!r}"]
        lines += [f"  cited {source_of(m)} at {m.similarity}: {m.source.text[m.source.start:m.source.end]!r}"
                  for m in hits[:5]] or ["  nothing found over the clause"]
        out.append("\n".join(lines))
    return out


@contextlib.contextmanager
def throwaway_postgres():
    """A PostgreSQL cluster of our own for the run (the one the tests and `make server-trial` use)."""
    from negotiate.store.pgcluster import Cluster, bindir
    if bindir() is None:
        sys.exit("--postgres needs PostgreSQL's binaries (initdb, pg_ctl): apt-get install postgresql")
    with Cluster() as c:
        yield c.url(), str(c.data)


def server_cpu(datadir: str | None) -> float | None:
    """CPU seconds used so far by our PostgreSQL cluster (the postmaster, the backends it has
    reaped and those alive): the server does much of the work, in processes of its own."""
    if not datadir:
        return None
    tick = os.sysconf("SC_CLK_TCK")

    def stat(pid):
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(f[1]), [int(x) / tick for x in f[11:15]]     # ppid; utime, stime, cutime, cstime
    try:
        master = int(Path(datadir, "postmaster.pid").read_text().split()[0])
        total = sum(stat(master)[1])
    except OSError:
        return None
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                ppid, t = stat(p.name)
            except OSError:
                continue
            if ppid == master:
                total += t[0] + t[1]
    return round(total, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--paragraphs", type=int, default=10_000)
    ap.add_argument("--zh-share", type=float, default=0.1)
    ap.add_argument("--draft", type=int, default=500)
    ap.add_argument("--dir", help="keep the library here (default: a temporary directory, removed)")
    ap.add_argument("--postgres", action="store_true", help="the library in a throw-away PostgreSQL cluster")
    ap.add_argument("--url", help="the library in this database (server mode)")
    ap.add_argument("--misses", action="store_true", help="print each planted clause not found with its source")
    ap.add_argument("--search-only", help=argparse.SUPPRESS)     # the child: DIR
    ap.add_argument("--counts", help=argparse.SUPPRESS)
    ap.add_argument("--pgdata", help="with --url: the cluster's data directory, to count the server's CPU")
    a = ap.parse_args()
    if a.search_only:
        print(json.dumps(search(Path(a.search_only), a.draft, json.loads(a.counts), a.url, a.pgdata, a.misses)))
        return
    if not REAL.exists():
        sys.exit("bench/precedents needs ../shared/realtexts")
    directory = Path(a.dir) if a.dir else Path(tempfile.mkdtemp(prefix="prec-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    server = throwaway_postgres() if a.postgres else contextlib.nullcontext((a.url, a.pgdata))
    try:
        with server as (url, pgdata):
            if not (directory / "bench.json").exists() or a.postgres:
                print(f"indexing {a.paragraphs:,} paragraphs into {url or directory} …", file=sys.stderr)
                b = build(directory, a.paragraphs, a.zh_share, url, pgdata)
                b["load_average"] = round(os.getloadavg()[0], 1)
                (directory / "bench.json").write_text(json.dumps(b))
            b = json.loads((directory / "bench.json").read_text())
            extra = (["--url", url] if url else []) + (["--pgdata", pgdata] if pgdata else []) \
                + (["--misses"] if a.misses else [])
            child = subprocess.run([sys.executable, __file__, "--search-only", str(directory), "--draft", str(a.draft),
                                    "--counts", json.dumps(b["counts"])] + extra, capture_output=True, text=True)
            if child.returncode:
                sys.exit(child.stderr)
            s = json.loads(child.stdout)
            words = "about {:.0f} million words".format(b["paragraphs"] * 40 / 1e6) if b["paragraphs"] >= 1e6 else ""
            print(f"library: {b['paragraphs']:,} paragraphs {words} ({b['counts']['en']:,} en, {b['counts']['zh']:,} zh) "
                  f"in {b.get('where', 'sqlite')}")
            srv = f" + {b['server_cpu_s']} s of the PostgreSQL server's" if b.get("server_cpu_s") is not None else ""
            vac = f"; then VACUUM ANALYZE {b['vacuum_s']} s" if b.get("vacuum_s") is not None else ""
            print(f"  generated in {b['generate_s']} s; indexed in {b['index_s']} s, {b.get('index_cpu_s', '?')} s of "
                  f"CPU{srv} (goal ≤ 900 s){vac}; disk {b['disk_gb']} GB (goal ≤ 4 GB)")
            for code in ("en", "zh"):
                if code in s:
                    r = s[code]
                    srv = f" + {r['server_cpu']} s of the server's" if r.get("server_cpu") is not None else ""
                    print(f"  {code} draft of {r['draft_paragraphs']} paragraphs: {r['seconds']} s, {r['cpu']} s of CPU{srv} (goal ≤ 5 s); "
                          f"{r['planted']} planted clauses, found {r['found']:.3f} (best source first: {r['found_first']:.3f}; "
                          f"goal ≥ 0.95); on novel paragraphs, per 100: {r['false_per_100']:.2f} matches (goal ≤ 2), "
                          f"{r.get('false_spans_per_100', 0):.2f} spans marked")
                    for miss in r.get("misses", []):
                        print("    missed " + miss.replace("\n", "\n    "))
            print(f"  search process peak memory {s['peak_rss_mb']} MB (goal ≤ 2,048 MB); load average now "
                  f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times on a shared machine)")
    finally:
        if not a.dir:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
