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
"""
from __future__ import annotations

import argparse
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


def build(directory: Path, n: int, zh_share: float) -> dict:
    en, zh = corpora()
    lib = Library(directory)
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
    lib.close()
    disk = sum(f.stat().st_size for f in directory.rglob('*') if f.is_file())
    return {"generate_s": round(t_gen, 1), "index_s": round(t_idx, 1), "index_cpu_s": round(cpu_idx, 1), "disk_gb": round(disk / 1e9, 3),
            "paragraphs": n, "counts": counts}


class _Paragraphs:
    """Library paragraphs of one language by index, read from the library (for planting)."""

    def __init__(self, lib: Library, first_id: int, n: int):
        self.lib, self.first, self.n = lib, first_id, n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return self.lib.paragraphs([self.first + i])[self.first + i][4]


def search(directory: Path, n_draft: int, counts: dict) -> dict:
    """In a child process: one timed annotation of a 500-paragraph draft, then accuracy."""
    en, zh = corpora()
    lib = Library(directory)
    out = {}
    for code, corpus, first in (("en", en, 1), ("zh", zh, 1 + counts["en"])):
        if not counts[code]:
            continue
        paras = _Paragraphs(lib, first, counts[code])
        draft, truth = corpus.draft(paras, n_draft if code == "en" else max(100, n_draft // 5),
                                    path=f"draft-{code}.txt")
        t, c = time.perf_counter(), time.process_time()
        res = find(draft, lib, Options())
        dt, cpu = time.perf_counter() - t, time.process_time() - c

        def source_of(m, code=code):
            _, c, d = m.source.path.split("/")
            return int(d) * DOC + m.source.block if c == code else None
        s = score(res, truth, source_of)
        s.update(seconds=round(dt, 2), cpu=round(cpu, 2), draft_paragraphs=len(draft.blocks), matches=len(res.matches))
        out[code] = s
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--paragraphs", type=int, default=10_000)
    ap.add_argument("--zh-share", type=float, default=0.1)
    ap.add_argument("--draft", type=int, default=500)
    ap.add_argument("--dir", help="keep the library here (default: a temporary directory, removed)")
    ap.add_argument("--search-only", help=argparse.SUPPRESS)     # the child: DIR
    ap.add_argument("--counts", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.search_only:
        print(json.dumps(search(Path(a.search_only), a.draft, json.loads(a.counts))))
        return
    if not REAL.exists():
        sys.exit("bench/precedents needs ../shared/realtexts")
    directory = Path(a.dir) if a.dir else Path(tempfile.mkdtemp(prefix="prec-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    try:
        if not (directory / "library.db").exists():
            print(f"indexing {a.paragraphs:,} paragraphs into {directory} …", file=sys.stderr)
            b = build(directory, a.paragraphs, a.zh_share)
            b["load_average"] = round(os.getloadavg()[0], 1)
            (directory / "bench.json").write_text(json.dumps(b))
        b = json.loads((directory / "bench.json").read_text())
        child = subprocess.run([sys.executable, __file__, "--search-only", str(directory), "--draft", str(a.draft),
                                "--counts", json.dumps(b["counts"])], capture_output=True, text=True)
        if child.returncode:
            sys.exit(child.stderr)
        s = json.loads(child.stdout)
        words = "about {:.0f} million words".format(b["paragraphs"] * 40 / 1e6) if b["paragraphs"] >= 1e6 else ""
        print(f"library: {b['paragraphs']:,} paragraphs {words} ({b['counts']['en']:,} en, {b['counts']['zh']:,} zh)")
        print(f"  generated in {b['generate_s']} s; indexed in {b['index_s']} s, {b.get('index_cpu_s', '?')} s of CPU (goal ≤ 900 s); "
              f"disk {b['disk_gb']} GB (goal ≤ 4 GB)")
        for code in ("en", "zh"):
            if code in s:
                r = s[code]
                print(f"  {code} draft of {r['draft_paragraphs']} paragraphs: {r['seconds']} s, {r['cpu']} s of CPU (goal ≤ 5 s); "
                      f"{r['planted']} planted clauses, found {r['found']:.3f} (best source first: {r['found_first']:.3f}; "
                      f"goal ≥ 0.95); on novel paragraphs, per 100: {r['false_per_100']:.2f} matches (goal ≤ 2), "
                      f"{r.get('false_spans_per_100', 0):.2f} spans marked")
        print(f"  search process peak memory {s['peak_rss_mb']} MB (goal ≤ 2,048 MB); load average now "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times on a shared machine)")
    finally:
        if not a.dir:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
