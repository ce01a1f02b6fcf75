"""bench/real: the everyday jobs on the real drafts in ../shared/realtexts.

Goals: parse the Geneva PDF (86 pages) ≤ 2 s; compare 23 Oct → 4 Dec to .docx
≤ 2 s; trace through the five Paris versions ≤ 3 s; brackets on all five ≤ 1 s.
Run: .venv/bin/python bench/real.py
"""
from __future__ import annotations

import sys
import time

from common import OUT, ROOT, table

from negotiate import read
from negotiate.brackets import analyse
from negotiate.compare import compare
from negotiate.export import redline
from negotiate.trace import find, trace

REAL = ROOT.parent / "shared" / "realtexts"
PARIS = ["agreement-23-oct-2015.md", "agreement-4-dec-2015.md", "agreement-9-dec-2015.md",
         "agreement-12-dec-2015.md", "agreement-29-jan-2016.md"]


def main():
    if not REAL.exists():
        sys.exit("../shared/realtexts is not here")
    OUT.mkdir(parents=True, exist_ok=True)
    import negotiate.tokenize as tk
    tk._spans("en")
    rows = []
    t = time.perf_counter()
    g = read(REAL / "paris2015" / "geneva-negotiating-text-12-feb-2015.pdf")
    rows.append(["parse the Geneva negotiating text PDF (86 pages)", f"{time.perf_counter() - t:.2f}", "≤ 2 s",
                 f"{len(g.blocks):,} paragraphs"])
    t = time.perf_counter()
    a, b = read(REAL / "paris2015" / PARIS[0]), read(REAL / "paris2015" / PARIS[1])
    n = redline.write(compare(a, b), OUT / "paris-23oct-4dec.docx", date="2026-01-01T00:00:00Z")
    rows.append(["compare 23 Oct → 4 Dec to .docx", f"{time.perf_counter() - t:.2f}", "≤ 2 s", f"{n:,} tracked changes"])
    t = time.perf_counter()
    docs = [read(REAL / "paris2015" / p) for p in PARIS]
    chains, _ = trace(docs)
    hit = find(chains, docs, search="This Agreement, in enhancing the implementation of the Convention")
    rows.append(["trace through the five versions", f"{time.perf_counter() - t:.2f}", "≤ 3 s",
                 f"{len(chains):,} chains; purpose paragraph in {sum(bool(s.blocks) for s in hit[0].steps)} versions"])
    t = time.perf_counter()
    totals = [analyse(read(REAL / "paris2015" / p)).totals()["brackets"] for p in PARIS]
    rows.append(["brackets on all five", f"{time.perf_counter() - t:.2f}", "≤ 1 s", " → ".join(f"{x:,}" for x in totals)])
    print(table(rows, ["job", "seconds", "goal", "result"]))


if __name__ == "__main__":
    main()
