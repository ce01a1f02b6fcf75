"""bench/markup: bracket markup of a 200k-word text (goal ≤ 0.5 s), and the real drafts.
Run: .venv/bin/python bench/markup.py
"""
from __future__ import annotations

from common import OUT, ROOT, generated_text, table, timed

from negotiate import markup, read
from negotiate.brackets import analyse


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    txt = OUT / "markup-200k.txt"
    txt.write_text(generated_text(200_000, seed=3), encoding="utf-8")
    doc = read(txt)
    rows = []
    best, med, peak = timed(lambda: [markup.parse(b.text) for b in doc.blocks])
    n = sum(len(b.text.split()) for b in doc.blocks)
    rows.append([f"markup.parse, generated ({n:,} words)", f"{doc.text.count('['):,}", f"{best:.2f}", f"{med:.2f}",
                 f"{peak:.0f}", "≤ 0.5 s"])
    best, med, peak = timed(lambda: analyse(doc))
    rows.append(["brackets.analyse (counts, errors, proposals)", "", f"{best:.2f}", f"{med:.2f}", f"{peak:.0f}", ""])
    deep = "[" * 10_000 + "x" + "]" * 10_000
    best, med, peak = timed(lambda: markup.parse(deep))
    rows.append(["10,000 nested brackets", "10,000", f"{best:.3f}", f"{med:.3f}", f"{peak:.0f}", ""])
    real = ROOT.parent / "shared" / "realtexts" / "paris2015"
    if real.exists():
        for name in ("agreement-23-oct-2015.md", "agreement-4-dec-2015.md"):
            d = read(real / name)
            best, med, peak = timed(lambda: analyse(d))
            rows.append([f"real: {name}", f"{d.text.count('['):,}", f"{best:.2f}", f"{med:.2f}", f"{peak:.0f}", ""])
    print(table(rows, ["input", "[ chars", "best s", "median s", "peak heap MB", "goal"]))


if __name__ == "__main__":
    main()
