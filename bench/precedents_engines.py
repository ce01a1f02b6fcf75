"""bench/precedents_engines: which index generates candidates for agreed language — figures.

The same library (the paragraphs of a library built by bench/precedents.py, `--dir DIR`),
the same draft with planted clauses, the same verification (negotiate.precedents.search.verify);
only candidate generation differs:

  ours       word shingles in sorted NumPy segments, rarest first, IDF-weighted votes
  fts5       SQLite FTS5 with the trigram tokenizer: each paragraph's word 3-grams as an OR of
             phrases, the best 12 by bm25
  tantivy    Tantivy (PyPI `tantivy`), BM25 over word bigrams indexed as terms, the best 12
  minhash    datasketch MinHashLSH over each paragraph's word 3-grams (Jaccard ≥ 0.3)

For each: build time, disk, time to annotate the draft, planted clauses found.
Run (peers in a virtualenv of their own, never in our dependencies):
    python3 -m venv /tmp/prec-peers
    /tmp/prec-peers/bin/pip install tantivy datasketch numpy rapidfuzz sqlalchemy spacy lxml python-docx \
        diff-match-patch pypdfium2
    .venv/bin/python bench/precedents.py --paragraphs 100000 --dir /tmp/lib100k
    /tmp/prec-peers/bin/python bench/precedents_engines.py --dir /tmp/lib100k [--engines fts5,tantivy,minhash]
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402

from negotiate.model import Precedent, Precedents, Source  # noqa: E402
from negotiate.precedents import Library, find  # noqa: E402
from negotiate.precedents import units as U  # noqa: E402
from negotiate.precedents.plant import score  # noqa: E402
from negotiate.precedents.search import Options, rank, verify  # noqa: E402
from negotiate.precedents.search import score as span_score  # noqa: E402

WORD = re.compile(r"[^\W_]+")


def words(t: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(t)]


def verify_all(draft, cands_per_block, lib: Library) -> Precedents:
    """Our verification over the candidates an engine proposes (paragraph ids per draft block)."""
    opt = Options()
    _, n_min, k = U.settings("en")
    paras = lib.paragraphs(sorted({p for c in cands_per_block for p in c}))
    docs = lib.documents_by_id(sorted({r[0] for r in paras.values()}))
    matches = []
    for b, cands in zip(draft.blocks, cands_per_block):
        u = U.units(b.text)
        hs = U.shingles(u.ids, k)
        found = []
        for pid in cands:
            if pid not in paras:
                continue
            doc_id, block, label, language, text, blob = paras[pid]
            sids = np.frombuffer(blob, dtype="<u4")
            sh = U.shingles(sids.astype(np.uint64), k)
            so = U.offsets(text)
            for a0, a1, b0, b1, sim in verify(u.ids.tolist(), hs, sids.tolist(), sh, k, n_min, 0.8, opt,
                                              U.frequent("en")):
                d = docs[doc_id]
                found.append((span_score(a0, a1, b0, b1, sim), Precedent(b.index, u.starts[a0], u.ends[a1 - 1], Source(
                    d.path, d.symbol, block, label, so[0][b0], so[1][b1 - 1], text), sim)))
        matches.extend(rank(found, 5))
    return Precedents(draft, matches)


def rows(lib: Library, n: int):
    with lib.engine.connect() as c:
        yield from c.exec_driver_sql(f"SELECT id, text FROM library_paragraphs WHERE language = 'en' AND id <= {n}")


def engine_fts5(lib, n, draft, work):
    db = work / "fts5.db"
    con = sqlite3.connect(db)
    t = time.perf_counter()
    con.execute("CREATE VIRTUAL TABLE p USING fts5(text, tokenize='trigram')")
    con.executemany("INSERT INTO p(rowid, text) VALUES (?, ?)", ((i, " ".join(words(t))) for i, t in rows(lib, n)))
    con.commit()
    build = time.perf_counter() - t
    t = time.perf_counter()
    cands = []
    for b in draft.blocks:
        ws = words(b.text)
        grams = {" ".join(ws[i:i + 3]) for i in range(len(ws) - 2)}
        if not grams:
            cands.append([])
            continue
        q = " OR ".join('"' + g.replace('"', "") + '"' for g in grams)
        cands.append([r[0] for r in con.execute("SELECT rowid FROM p WHERE p MATCH ? ORDER BY rank LIMIT 12", (q,))])
    gen = time.perf_counter() - t
    con.close()
    return build, db.stat().st_size, gen, cands


def engine_tantivy(lib, n, draft, work):
    import tantivy
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("pid", stored=True, indexed=True)
    sb.add_text_field("grams", stored=False, tokenizer_name="raw" if False else "default")
    schema = sb.build()
    path = work / "tantivy"
    path.mkdir()
    index = tantivy.Index(schema, path=str(path))
    t = time.perf_counter()
    w = index.writer(heap_size=256_000_000, num_threads=1)
    for i, text in rows(lib, n):
        ws = words(text)
        # word bigrams as single terms ("a_b"), so a match is a shared pair of words
        w.add_document(tantivy.Document(pid=i, grams=" ".join(f"{a}_{b}" for a, b in zip(ws, ws[1:]))))
    w.commit()
    w.wait_merging_threads()
    index.reload()
    build = time.perf_counter() - t
    searcher = index.searcher()
    t = time.perf_counter()
    cands = []
    for b in draft.blocks:
        ws = words(b.text)
        terms = list({f"{a}_{c}" for a, c in zip(ws, ws[1:])})
        if not terms:
            cands.append([])
            continue
        q = index.parse_query(" OR ".join(terms), ["grams"])
        hits = searcher.search(q, 12).hits
        cands.append([searcher.doc(addr)["pid"][0] for _, addr in hits])
    gen = time.perf_counter() - t
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return build, size, gen, cands


def engine_minhash(lib, n, draft, work):
    from datasketch import MinHash, MinHashLSH
    lsh = MinHashLSH(threshold=0.3, num_perm=64)
    t = time.perf_counter()
    for i, text in rows(lib, n):
        ws = words(text)
        m = MinHash(num_perm=64)
        m.update_batch([" ".join(ws[j:j + 3]).encode() for j in range(len(ws) - 2)] or [b""])
        lsh.insert(str(i), m)
    build = time.perf_counter() - t
    t = time.perf_counter()
    cands = []
    for b in draft.blocks:
        ws = words(b.text)
        m = MinHash(num_perm=64)
        m.update_batch([" ".join(ws[j:j + 3]).encode() for j in range(len(ws) - 2)] or [b""])
        cands.append([int(x) for x in lsh.query(m)][:12])
    gen = time.perf_counter() - t
    return build, 0, gen, cands


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True, help="a library made by bench/precedents.py --dir")
    ap.add_argument("--engines", default="fts5,tantivy,minhash")
    ap.add_argument("--draft", type=int, default=500)
    a = ap.parse_args()
    from precedents import DOC, _Paragraphs, corpora
    meta = json.loads((Path(a.dir) / "bench.json").read_text())
    n = meta["counts"]["en"]
    lib = Library(a.dir)
    en, _ = corpora()
    draft, truth = en.draft(_Paragraphs(lib, 1, n), a.draft)

    def source_of(m):
        _, c, d = m.source.path.split("/")
        return int(d) * DOC + m.source.block if c == "en" else None
    disk = sum(f.stat().st_size for f in (Path(a.dir) / "segments").rglob("*") if f.is_file())
    t, c = time.perf_counter(), time.process_time()
    res = find(draft, lib)
    ours, ours_cpu = time.perf_counter() - t, time.process_time() - c
    s = score(res, truth, source_of)
    print(f"library: {n:,} English paragraphs; draft of {len(draft.blocks)} paragraphs, {len(truth)} planted clauses")
    print(f"{'engine':10} {'build s':>9} {'disk MB':>9} {'draft s':>9} {'found':>7} {'false/100':>10}   (CPU seconds)")
    print(f"{'ours':10} {meta.get('index_cpu_s', meta['index_s']):>9} {disk / 1e6:>9.0f} {ours_cpu:>9.2f} {s['found']:>7.3f} "
          f"{s['false_per_100']:>10.2f}   (build and disk: the whole library, en and zh; wall {ours:.2f} s)")
    for name in a.engines.split(","):
        work = Path(tempfile.mkdtemp(prefix=f"prec-{name}-"))
        try:
            c0 = time.process_time()
            build, size, gen, cands = globals()[f"engine_{name}"](lib, n, draft, work)
            cpu_all = time.process_time() - c0
            t, c = time.perf_counter(), time.process_time()
            r = verify_all(draft, cands, lib)
            ver = time.process_time() - c
            s = score(r, truth, source_of)
            print(f"{name:10} {build:>9.1f} {size / 1e6:>9.0f} {gen + ver:>9.2f} {s['found']:>7.3f} "
                  f"{s['false_per_100']:>10.2f}   (wall: build, candidates {gen:.2f} s; CPU: build + candidates "
                  f"{cpu_all:.1f} s, verification {ver:.2f} s)")
        except ImportError as e:
            print(f"{name:10} not installed here ({e})")
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
