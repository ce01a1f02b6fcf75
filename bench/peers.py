"""bench/peers: negotiate beside its peers on every job, in one run, as ratios.

Peers, each in its own virtualenv under bench/ (gitignored; created on the
first run, reused after): PyPI `redlines` (a plain word diff, no paragraph
alignment), `python-redlines` with its two engines (Docxodus and the older
Open-XML-PowerTools WmlComparer; .NET binaries shipped in the wheels), and
`git diff --no-index --word-diff`. Every job runs as a user runs it: our side is
the `negotiate` command (a process per job, start-up included), a peer is its
own process or binary; each figure is the best of --repeat runs (the median over
the one-page pairs), and the ratio is ours / the peer's, measured minutes apart
on the same machine, so that load from elsewhere hits both.

Goals (issue 15): Paris pairs `compare -o .docx` ≤ 0.5× redlines; one-page Word
pairs median ≤ 0.5× Docxodus; the Paris pairs as .docx ≤ 0.5× Docxodus;
200k-word `align` ≤ 10× git --word-diff (git floored at 0.05 s) with link F1
unchanged; `brackets` on the five Paris versions ≤ 0.3 s; `trace` through them
≤ 0.5 s; 30 proposals × 600 paragraphs consolidated ≤ 1 s.

Run: .venv/bin/python bench/peers.py [--pairs 100] [--repeat 3] [--only paris,word,...] [--no-wmlcomparer]
     (`nice -n 10` on a shared machine). Re-run after merges: nothing is cached
     but the peers' virtualenvs and the converted inputs in bench/out/peers.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import OUT, ROOT, table

BENCH = ROOT / "bench"
WORK = OUT / "peers"
PARIS = ROOT.parent / "shared" / "realtexts" / "paris2015"
PARIS_VERSIONS = ["agreement-23-oct-2015.md", "agreement-4-dec-2015.md", "agreement-9-dec-2015.md",
                  "agreement-12-dec-2015.md", "agreement-29-jan-2016.md"]
NEGOTIATE = [sys.executable, "-m", "negotiate"]
VENVS = {"redlines": ["redlines", "typing_extensions"],   # redlines 0.6 imports typing_extensions undeclared
         "python-redlines": ["python-redlines", "python-redlines-docxodus", "python-redlines-ooxmlpowertools"]}

REDLINES = ("import sys; from redlines import Redlines\n"
            "a, b = (open(p, encoding='utf-8').read() for p in sys.argv[1:3])\n"
            "open(sys.argv[3], 'w', encoding='utf-8').write(Redlines(a, b).output_markdown)")
# One process times every pair: each call launches the engine's binary, as the library does.
ENGINES = ("import json, resource, sys, time, warnings\nwarnings.simplefilter('ignore')\n"
           "from python_redlines.engines import DocxodusEngine, XmlPowerToolsEngine\n"
           "engine = {'docxodus': DocxodusEngine, 'wmlcomparer': XmlPowerToolsEngine}[sys.argv[1]]()\n"
           "def cpu():\n"
           "    r = resource.getrusage(resource.RUSAGE_CHILDREN); return r.ru_utime + r.ru_stime\n"
           "pairs = json.loads(sys.argv[2]); times = []\n"
           "for k, (a, b, out) in enumerate(pairs):\n"
           "    best = None\n"
           "    for _ in range(int(sys.argv[3])):\n"
           "        t, c = time.perf_counter(), cpu(); data, _, _ = engine.run_redline('bench', a, b)\n"
           "        d = (time.perf_counter() - t, cpu() - c); best = d if best is None or d < best else best\n"
           "    open(out, 'wb').write(data); times.append(best)\n"
           "print(json.dumps(times))")


def venv_python(name: str) -> Path:
    """The peer's virtualenv, created with its packages the first time."""
    d = BENCH / f"venv-{name}"
    py = d / "bin" / "python"
    if not (d / ".installed").exists():
        print(f"installing {name} into {d.relative_to(ROOT)} …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(d)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", *VENVS[name]], check=True)
        (d / ".installed").touch()
    return py


CPU: dict[float, float] = {}   # wall time → the CPU seconds (user + system) of that run


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def best_of(cmd, repeat: int, ok=(0,)) -> float:
    """The best wall time of `repeat` runs of `cmd`; its CPU time goes to CPU
    (a shared machine's load stretches wall time, much less CPU time)."""
    times = []
    for _ in range(repeat):
        t, c = time.perf_counter(), _children_cpu()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode not in ok:
            raise SystemExit(f"failed ({r.returncode}): {' '.join(map(str, cmd))}")
        wall = time.perf_counter() - t
        CPU[wall] = _children_cpu() - c
        times.append(wall)
    return min(times)


# -- inputs -------------------------------------------------------------------------------------------
def paris_docx(names: list[str]) -> dict[str, Path]:
    """The Paris drafts as .docx, converted by LibreOffice from their text (one paragraph a line)."""
    out = {}
    todo = []
    for n in names:
        txt = WORK / (Path(n).stem + ".txt")
        docx = txt.with_suffix(".docx")
        if not docx.exists():
            txt.write_bytes((PARIS / n).read_bytes())
            todo.append(str(txt))
        out[n] = docx
    if todo:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{WORK}/lo-profile", "--headless",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(WORK), *todo],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    return out


ONEPAGE_KINDS = ("clauses", "letter", "table", "formatting", "zh")


def one_page_text(k: int) -> tuple[str, list[tuple[str, str]], list[tuple[str, str]]]:
    """Pair `k` of the one-page set, as (kind, old blocks, new blocks); a block is
    (style, text) with style one of Title, Heading, Body, Cell (a row of " | "-
    separated cells), Bold (a paragraph with its key phrase in bold). Varied on
    purpose: five shapes, 3-12 paragraphs, edit rates 0.5-5, English and Chinese."""
    import random

    from negotiate.synth import make_pair
    r = random.Random(5000 + k)
    kind = ONEPAGE_KINDS[k % len(ONEPAGE_KINDS)]
    paras = r.randint(3, 12) if kind != "letter" else r.randint(3, 6)
    rate = r.choice([0.5, 1.0, 2.0, 3.0, 5.0])
    p = make_pair(1000 + k, paras, "zh" if kind == "zh" else "en", rate=rate)

    def blocks(text: str, new: bool) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        lines = [x for x in text.splitlines() if x.strip()]
        for line in lines:
            heading = not line[:1].isdigit() and len(line) < 40
            out.append(("Heading" if heading else "Body", line))
        if kind == "letter":
            out = [("Body", "Geneva, 2 December 2026"), ("Body", "Dear Co-Chairs,")] + \
                  [b for b in out if b[0] == "Body"] + [("Body", "Yours sincerely,"), ("Body", "The Delegation")]
        elif kind == "table":
            rr = random.Random(9000 + k)   # the same table on both sides, one cell edited in NEW
            rows = [["Party", "Target", "Year"]] + [[f"Party {c}", f"{rr.randint(10, 90)}%", str(rr.randint(2025, 2050))]
                                                    for c in "ABCDE"[: rr.randint(2, 5)]]
            if new:
                rows[1][1] = f"{int(rows[1][1][:-1]) + 5}%"
            out[1:1] = [("Cell", " | ".join(row)) for row in rows]
        elif kind == "formatting":   # NEW bolds the first paragraph's opening words: a formatting change only
            out = [("Bold" if new and i == 1 else st, t) for i, (st, t) in enumerate(out)]
        return [("Title", f"Draft {k + 1}")] + out

    return kind, blocks(p.old, False), blocks(p.new, True)


def _write_docx(path: Path, blocks: list[tuple[str, str]]) -> None:
    from docx import Document as Docx
    doc = Docx()
    table = None
    for style, text in blocks:
        if style == "Cell":
            cells = text.split(" | ")
            if table is None:
                table = doc.add_table(rows=0, cols=len(cells))
                table.style = "Table Grid"
            row = table.add_row()
            for c, t in zip(row.cells, cells):
                c.text = t
            continue
        table = None
        if style == "Title":
            doc.add_heading(text, level=0)
        elif style == "Heading":
            doc.add_heading(text, level=1)
        elif style == "Bold":
            head, _, rest = text.partition(" ")
            para = doc.add_paragraph()
            words = rest.split(" ")
            para.add_run(" ".join([head] + words[:3])).bold = True
            para.add_run(" " + " ".join(words[3:]))
        else:
            doc.add_paragraph(text)
    doc.save(path)


def one_page_pairs(n: int) -> list[tuple[Path, Path]]:
    """`n` one-page Word pairs written by us (`one_page_text`), made once and kept."""
    d = WORK / "onepage-varied"
    d.mkdir(parents=True, exist_ok=True)
    pairs = []
    for k in range(n):
        kind = ONEPAGE_KINDS[k % len(ONEPAGE_KINDS)]
        a, b = d / f"p{k:03d}-{kind}-old.docx", d / f"p{k:03d}-{kind}-new.docx"
        if not (a.exists() and b.exists()):
            _, old, new = one_page_text(k)
            _write_docx(a, old)
            _write_docx(b, new)
        pairs.append((a, b))
    return pairs


# -- jobs ---------------------------------------------------------------------------------------------
class Rows(list):
    def append(self, row):   # progress on stderr while the run goes on
        super().append(row)
        print(f"  {row[0]}: {row[1]:.2f} s" + (f" vs {row[2]} {row[3]:.2f} s" if row[3] else ""), file=sys.stderr)


def job_paris_md(rows, repeat):
    py = venv_python("redlines")
    for a, b, what in (("agreement-23-oct-2015.md", "agreement-4-dec-2015.md", "23 Oct → 4 Dec"),
                       ("agreement-4-dec-2015.md", "agreement-9-dec-2015.md", "4 Dec → 9 Dec")):
        ours = best_of([*NEGOTIATE, "compare", str(PARIS / a), str(PARIS / b), "-o", str(WORK / "paris.docx"),
                        "--date", "2026-01-01T00:00:00Z"], repeat)
        peer = best_of([str(py), "-c", REDLINES, str(PARIS / a), str(PARIS / b), str(WORK / "paris-redlines.md")], repeat)
        rows.append([f"Paris {what} (.md), compare -o .docx", ours, "redlines", peer, ours / peer, "≤ 0.5×"])


def engines_times(engine: str, pairs, repeat) -> list[tuple[float, float]]:
    """(wall, CPU of the engine's binary) of each pair, the best of `repeat`."""
    py = venv_python("python-redlines")
    import json
    spec = [(str(a), str(b), str(WORK / f"{engine}-{k}.docx")) for k, (a, b) in enumerate(pairs)]
    r = subprocess.run([str(py), "-c", ENGINES, engine, json.dumps(spec), str(repeat)], check=True,
                       capture_output=True, text=True)
    return [tuple(x) for x in json.loads(r.stdout.strip().splitlines()[-1])]


def ours_times(pairs, repeat) -> list[tuple[float, float]]:
    """(wall, CPU) of `negotiate compare` on each pair, the best of `repeat`."""
    out = []
    for a, b in pairs:
        t = best_of([*NEGOTIATE, "compare", str(a), str(b), "-o", str(WORK / "ours-onepage.docx")], repeat)
        out.append((t, CPU[t]))
    return out


def _median_pair(times: list[tuple[float, float]]) -> tuple[float, float]:
    """Median wall and median CPU, each over every pair."""
    return statistics.median(w for w, _ in times), statistics.median(c for _, c in times)


def job_word(rows, repeat, n_pairs, notes, wml_too=True):
    pairs = one_page_pairs(n_pairs)
    ours_all = ours_times(pairs, repeat)
    dx_all = engines_times("docxodus", pairs, repeat)
    ours, ours_cpu = _median_pair(ours_all)
    dx, dx_cpu = _median_pair(dx_all)
    CPU[ours], CPU[dx] = ours_cpu, dx_cpu
    rows.append([f"one-page Word pairs ({n_pairs}), median", ours, "Docxodus", dx, ours / dx, "≤ 0.5×"])
    if wml_too:   # the older engine: no goal against it, and the slowest part of the run
        wml, wml_cpu = _median_pair(engines_times("wmlcomparer", pairs, repeat))
        CPU[wml] = wml_cpu
        rows.append(["  same, against WmlComparer", ours, "WmlComparer", wml, ours / wml, ""])
    # Per pair (ours / the peer's, each pair against itself), by shape, wall and CPU: the median of
    # the ratios, which a few slow pairs on either side cannot move.
    by_kind: dict[str, list[tuple[float, float]]] = {}
    for (a, _), (ow, oc), (pw, pc) in zip(pairs, ours_all, dx_all):
        kind = a.stem.split("-")[1]
        by_kind.setdefault(kind, []).append((ow / pw, oc / pc if pc else float("inf")))
    every = [x for v in by_kind.values() for x in v]
    notes.append("one-page pairs, ours / Docxodus per pair, median (wall; CPU): " + "; ".join(
        f"{kind} ({len(v)}) {statistics.median(w for w, _ in v):.2f}× ; {statistics.median(c for _, c in v):.2f}×"
        for kind, v in sorted(by_kind.items())) +
        f"; all {statistics.median(w for w, _ in every):.2f}× ; {statistics.median(c for _, c in every):.2f}×")
    if not shutil.which("soffice"):
        return
    docs = paris_docx(PARIS_VERSIONS[:3])
    for a, b, what in ((0, 1, "23 Oct → 4 Dec"), (1, 2, "4 Dec → 9 Dec")):
        pa, pb = docs[PARIS_VERSIONS[a]], docs[PARIS_VERSIONS[b]]
        o = ours_times([(pa, pb)], repeat)[0][0]
        p, pc = engines_times("docxodus", [(pa, pb)], repeat)[0]
        CPU[p] = pc
        rows.append([f"Paris {what} as .docx (LibreOffice), compare -o .docx", o, "Docxodus", p, o / p, "≤ 0.5×"])


def job_align(rows, repeat, notes):
    from negotiate import read
    from negotiate.align import align
    from negotiate.synth import make_pair, score
    p = make_pair(7, 7700, "en")
    a_path, b_path = WORK / "align-200k-old.txt", WORK / "align-200k-new.txt"
    a_path.write_text(p.old, encoding="utf-8")
    b_path.write_text(p.new, encoding="utf-8")
    ours = best_of([*NEGOTIATE, "align", str(a_path), str(b_path), "--format", "json"], repeat)
    git = best_of(["git", "diff", "--no-index", "--word-diff", str(a_path), str(b_path)], repeat, ok=(0, 1))
    f1 = score(align(read(a_path), read(b_path)).links, p.truth)["f1"]
    rows.append([f"{len(p.old.split()) // 1000}k-word pair, align --format json", ours, "git --word-diff", git,
                 ours / max(git, 0.05), "≤ 10× (git ≥ 0.05 s)"])
    notes.append(f"align link F1 on the 200k-word generated pair: {f1:.3f} (goal: unchanged, 0.999)")


def job_real(rows, repeat):
    files = [str(PARIS / n) for n in PARIS_VERSIONS]
    t = best_of([*NEGOTIATE, "brackets", *files, "--format", "json"], repeat, ok=(0, 1))   # 1: brackets reported malformed
    rows.append(["brackets on the five Paris versions", t, "", None, None, "≤ 0.3 s"])
    t = best_of([*NEGOTIATE, "trace", *files, "--search", "This Agreement, in enhancing the implementation",
                 "--format", "json"], repeat)
    rows.append(["trace through the five Paris versions", t, "", None, None, "≤ 0.5 s"])


def job_consolidate(rows, repeat):
    from negotiate import read
    from negotiate.consolidate import build
    from negotiate.synth import make_pair
    base_path = WORK / "cons-base.txt"
    base_path.write_text(make_pair(0, 600, base_seed=1).old, encoding="utf-8")
    docs = []
    for k in range(30):
        q = WORK / f"cons-p{k}.txt"
        q.write_text(make_pair(100 + k, 600, base_seed=1, rate=0.5).new, encoding="utf-8")
        docs.append(read(q))
    base = read(base_path)
    names = [f"Party {k + 1}" for k in range(30)]
    times = []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        build(base, docs, names)
        times.append(time.perf_counter() - t)
        CPU[times[-1]] = time.process_time() - c
    rows.append([f"consolidate 30 proposals × {len(base.blocks)} paragraphs (in process)", min(times), "", None, None,
                 "≤ 1 s"])


JOBS = ("paris", "word", "align", "real", "consolidate")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=100, help="one-page Word pairs (default 100)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure, best kept (default 3)")
    ap.add_argument("--only", default=",".join(JOBS), help="comma-separated: " + ", ".join(JOBS))
    ap.add_argument("--no-wmlcomparer", action="store_true", help="one-page pairs against Docxodus only")
    args = ap.parse_args()
    only = set(args.only.split(","))
    WORK.mkdir(parents=True, exist_ok=True)
    if not PARIS.exists():
        sys.exit("../shared/realtexts is not here")
    env_note = []
    from negotiate import diff
    env_note.append(f"diff backend: {diff.BACKEND}")
    # Warm-up: byte-compiled modules and the stored tokenizer rules, as on any machine after the first run.
    # pip byte-compiles a package it installs; an editable install under PYTHONDONTWRITEBYTECODE (set on
    # this machine) never writes a .pyc, so every run would compile our sources again (~0.08 s a command).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "negotiate")], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([*NEGOTIATE, "compare", str(PARIS / PARIS_VERSIONS[3]), str(PARIS / PARIS_VERSIONS[4]),
                    "-o", str(WORK / "warm.json")], check=True, stdout=subprocess.DEVNULL)
    rows, notes = Rows(), []
    if "paris" in only:
        job_paris_md(rows, args.repeat)
    if "word" in only:
        if not shutil.which("soffice"):
            notes.append("LibreOffice (soffice) missing: the Paris .docx rows are left out")
        job_word(rows, args.repeat, args.pairs, notes, wml_too=not args.no_wmlcomparer)
    if "align" in only:
        job_align(rows, args.repeat, notes)
    if "real" in only:
        job_real(rows, args.repeat)
    if "consolidate" in only:
        job_consolidate(rows, args.repeat)
    print(file=sys.stderr)
    out = []
    for job, ours, peer, theirs, ratio, goal in rows:
        met = ""
        if goal.startswith("≤") and ratio is not None:
            met = "yes" if ratio <= float(goal.split()[1].rstrip("×")) else "no"
        elif goal.startswith("≤"):
            met = "yes" if ours <= float(goal.split()[1]) else "no"
        cpu = CPU.get(ours)
        out.append([job, f"{ours:.2f}" + (f" ({cpu:.2f})" if cpu is not None else ""), peer,
                    "" if theirs is None else f"{theirs:.2f}" + (f" ({CPU[theirs]:.2f})" if theirs in CPU else ""),
                    "" if ratio is None else f"{ratio:.2f}×", goal, met])
    print(table(out, ["job", "negotiate s (CPU s)", "peer", "peer s (CPU s)", "ratio (wall)", "goal", "met"]))
    for n in env_note + notes:
        print(n)
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
