"""Parity on the six BBNJ language versions: time, the real texts' totals, and accuracy on
planted defects (a paragraph removed, a number changed, a cross-reference changed, a bracket
pair added, two paragraphs swapped, a label changed — in each language).

    nice -n 10 .venv/bin/python bench/parity.py [--trials N] [--seed S]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter

from common import ROOT, timed  # noqa: F401  (puts the repo on sys.path)

from negotiate import read
from negotiate.parity import parity
from negotiate.plant import DEFECTS, false_issues, found, plant

BBNJ = ROOT.parent / "shared" / "realtexts" / "bbnj"
CODES = ("en", "fr", "es", "ru", "ar", "zh")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=3, help="defects of each kind planted in each language")
    ap.add_argument("--seed", type=int, default=20)
    args = ap.parse_args()
    paths = [BBNJ / f"bbnj-agreement-2023-{c}.txt" for c in CODES]
    if not all(p.exists() for p in paths):
        print(f"bench/parity: {BBNJ} not found", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    docs = [read(str(p)) for p in paths]
    t_read = time.perf_counter() - t0
    from negotiate import parity as _parity_module

    def check():
        _parity_module._CACHE.clear()   # no features kept from an earlier run
        return parity(docs, list(CODES))
    best, median, heap = timed(check, repeat=3)
    _parity_module._CACHE.clear()      # end to end: read and check, nothing kept from the runs above
    t1, c1 = time.perf_counter(), time.process_time()
    clean = parity([read(str(p)) for p in paths], list(CODES))
    t_all, c_all = time.perf_counter() - t1, time.process_time() - c1
    blocks = [len(d.blocks) for d in docs]
    print(f"six BBNJ versions ({', '.join(f'{c} {n}' for c, n in zip(CODES, blocks))} blocks): "
          f"read {t_read:.2f} s; parity best {best:.2f} s, median {median:.2f} s, heap {heap:.0f} MB; "
          f"read + parity {t_all:.2f} s wall, {c_all:.2f} s CPU (goal ≤ 2 s; the machine is shared, CPU time is the "
          f"steadier figure)")
    print(f"rows {len(clean.rows)}, paired across all six {clean.paired():.1%} (goal ≥ 98%)")
    by = Counter((clean.languages[i.version], i.kind) for r in clean.rows for i in r.issues)
    print("real texts' issues by version: " + "; ".join(
        f"{c}: " + (", ".join(f"{n} {k}" for (cc, k), n in sorted(by.items()) if cc == c) or "none") for c in CODES))

    rng = random.Random(args.seed)
    hits, tries, false, paras = Counter(), Counter(), 0, 0
    for k, code in enumerate(CODES):
        for kind in DEFECTS:
            for _ in range(args.trials):
                pl = plant(docs[k], code, kind, rng, version=k)
                if pl is None:
                    continue
                bad_doc = read(paths[k].name, data=pl.text.encode("utf-8"), name=paths[k].name)
                bad = parity([bad_doc if j == k else d for j, d in enumerate(docs)], list(CODES))
                ok = found(clean, bad, pl)
                tries[(code, kind)] += 1
                hits[(code, kind)] += ok
                false += false_issues(clean, bad, pl)
                paras += len(bad.rows)
                if not ok:
                    print(f"  missed: {code} {pl.what}")
    total = sum(tries.values())
    print(f"planted defects found at the right row and version: {sum(hits.values())}/{total} = "
          f"{sum(hits.values()) / max(total, 1):.3f} (goal ≥ 0.95)")
    for kind in DEFECTS:
        print(f"  {kind:<10} " + "  ".join(f"{c} {hits[(c, kind)]}/{tries[(c, kind)]}" for c in CODES))
    print(f"false issues beyond the real damage: {false} in {paras} rows checked = "
          f"{100 * false / max(paras, 1):.2f} per 100 paragraphs (goal ≤ 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
