"""bench/consolidate: 30 proposals on a 600-paragraph base (goal ≤ 5 s), then
resolve every party back and time the suggestions.
Run: .venv/bin/python bench/consolidate.py
"""
from __future__ import annotations

import time

from common import OUT, rss_mb, table

from negotiate import read
from negotiate.consolidate import build, render_text, resolve, to_json
from negotiate.suggest import suggest
from negotiate.synth import make_pair


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    base_path = OUT / "cons-base.txt"
    base_path.write_text(make_pair(0, 600, base_seed=1).old, encoding="utf-8")
    props = []
    for k in range(30):
        p = OUT / f"cons-p{k}.txt"
        p.write_text(make_pair(100 + k, 600, base_seed=1, rate=0.5).new, encoding="utf-8")
        props.append(p)
    base = read(base_path)
    docs = [read(p) for p in props]
    names = [f"Party {k + 1}" for k in range(30)]
    t = time.perf_counter()
    c = build(base, docs, names)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    to_json(c)
    render_text(c)
    t_out = time.perf_counter() - t
    t = time.perf_counter()
    ok = all(resolve(c, n) == [(b.label, b.text) for b in d.blocks] for n, d in zip(names, docs))
    t_res = time.perf_counter() - t
    t = time.perf_counter()
    s = suggest(c)
    t_sug = time.perf_counter() - t
    words = len(base.text.split())
    rows = [[f"build: 30 proposals on {len(base.blocks)} paragraphs ({words:,} words)", f"{t_build:.2f}", "≤ 5 s"],
            ["render text + JSON", f"{t_out:.2f}", ""],
            [f"resolve all 30 parties (exact: {ok})", f"{t_res:.2f}", ""],
            [f"suggest ({len(s)} divergent paragraphs)", f"{t_sug:.2f}", ""]]
    print(table(rows, ["step", "seconds", "goal"]))
    print(f"{len(c.units)} units, {sum(1 for u in c.units if u.divergent)} divergent; process peak RSS: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
