"""bench/compare: two versions end to end (read, align, diff, classify, write
the .docx redline). Goals: a 25k-word pair ≤ 1 s; 200k words ≤ 8 s.
Run: .venv/bin/python bench/compare.py
"""
from __future__ import annotations

import time

from common import OUT, ROOT, rss_mb, table

from negotiate import read
from negotiate.compare import compare
from negotiate.export import html, redline
from negotiate.synth import make_pair


def end_to_end(old_path, new_path, out):
    t = time.perf_counter()
    a, b = read(old_path), read(new_path)
    t_read = time.perf_counter() - t
    c = compare(a, b)
    t_cmp = time.perf_counter() - t - t_read
    n = redline.write(c, out, date="2026-01-01T00:00:00Z")
    total = time.perf_counter() - t
    return total, t_read, t_cmp, n, c


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    import negotiate.tokenize as tk
    tk._spans("en")   # load the tokenizer once, as a running app or CLI has
    rows = []
    for words, paras, goal in (("25k", 880, "≤ 1 s"), ("200k", 7700, "≤ 8 s")):
        p = make_pair(11, paras, "en")
        o, n = OUT / f"cmp-{words}-old.txt", OUT / f"cmp-{words}-new.txt"
        o.write_text(p.old, encoding="utf-8")
        n.write_text(p.new, encoding="utf-8")
        best = None
        for _ in range(2):
            r = end_to_end(o, n, OUT / f"cmp-{words}.docx")
            best = r if best is None or r[0] < best[0] else best
        total, t_read, t_cmp, nrev, c = best
        t = time.perf_counter()
        html.write(c, OUT / f"cmp-{words}.html")
        t_html = time.perf_counter() - t
        rows.append([f"{len(p.old.split()):,} words → .docx", f"{total:.2f}", f"{t_read:.2f}", f"{t_cmp:.2f}",
                     f"{nrev:,}", f"{t_html:.2f}", goal])
    real = ROOT.parent / "shared" / "realtexts" / "paris2015"
    if real.exists():
        r = end_to_end(real / "agreement-23-oct-2015.md", real / "agreement-4-dec-2015.md", OUT / "paris.docx")
        rows.append(["real: Paris 23 Oct → 4 Dec (17k words)", f"{r[0]:.2f}", f"{r[1]:.2f}", f"{r[2]:.2f}", f"{r[3]:,}", "", "≤ 2 s"])
    print(table(rows, ["pair", "total s", "read s", "align+diff s", "revisions", "HTML s", "goal"]))
    print(f"process peak RSS: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
