"""bench/parse: time and peak memory to read drafts.

Goals (2-core machine): a generated 200k-word .txt in ≤ 1 s; a 1,000-paragraph
.docx with automatic numbering and tracked changes in ≤ 3 s. Prints a table.
Run: .venv/bin/python bench/parse.py
"""
from __future__ import annotations

from common import OUT, ROOT, generated_text, rss_mb, table, timed

from negotiate import read
from negotiate.export.wordml import DocxWriter, Para, Run, paragraph_levels, section_levels


def make_docx(path, paragraphs=1000):
    w = DocxWriter("bench")
    secs = w.numbering(section_levels())
    paras = w.numbering(paragraph_levels())
    for i in range(paragraphs):
        if i % 50 == 0:
            w.paragraph(f"Section {i // 50 + 1}", style="Heading1", num=(secs, 0))
        runs = [Run("Parties [shall][should] report on progress in implementing the framework "),
                Run("as appropriate ", ins=("EU", "2026-01-01T00:00:00Z")),
                Run("with developed countries taking the lead ", delete=("G77 and China", "2026-01-01T00:00:00Z")),
                Run("through national action plans, capacity-building and technology transfer.")]
        w.add(Para(runs, num=(paras, 0 if i % 4 == 0 else 1)))
    w.save(path)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    txt = OUT / "parse-200k.txt"
    txt.write_text(generated_text(200_000), encoding="utf-8")
    dx = OUT / "parse-1000.docx"
    make_docx(dx)
    rows = []
    doc = read(txt)
    best, med, peak = timed(lambda: read(txt))
    rows.append([".txt 200k words", f"{len(doc.blocks)} blocks", f"{best:.2f}", f"{med:.2f}", f"{peak:.0f}", "≤ 1 s"])
    doc = read(dx)
    best, med, peak = timed(lambda: read(dx))
    rows.append([".docx 1,000 paragraphs", f"{len(doc.blocks)} blocks", f"{best:.2f}", f"{med:.2f}", f"{peak:.0f}", "≤ 3 s"])
    for mode in ("reject", "markup"):
        best, med, peak = timed(lambda: read(dx, revisions=mode))
        rows.append([f".docx 1,000 paragraphs, {mode}", "", f"{best:.2f}", f"{med:.2f}", f"{peak:.0f}", "≤ 3 s"])
    real = ROOT.parent / "shared" / "realtexts" / "art6-2-cop29" / "art6-2-sbsta-draft-decision-1st-iteration-2024-11-14.docx"
    if real.exists():
        doc = read(real)
        best, med, peak = timed(lambda: read(real))
        rows.append(["real: Art. 6.2 SBSTA .docx (14k words)", f"{len(doc.blocks)} blocks", f"{best:.2f}", f"{med:.2f}", f"{peak:.0f}", ""])
    print(table(rows, ["input", "size", "best s", "median s", "peak heap MB", "goal"]))
    print(f"process peak RSS: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
