"""Is the CLI's output byte-identical to another commit's? (issue #16: "no behaviour changes")

    .venv/bin/python bench/same_output.py [--ref main] [--only corpora]

Exports REF's `negotiate/` (git archive) to a temporary folder, then runs the
same list of CLI commands — parse, brackets, align, compare (.json, .html,
.docx), trace, consolidate (.json, .txt, .docx, --tracked), resolve, suggest,
and a few errors — on the corpora and the real texts (../shared/realtexts)
once with REF's code and once with the working tree's, each in its own
process, and compares exit codes, stdout, stderr and every written file (a
.docx part by part, since a zip's member dates may differ). Prints one line
per difference and a count; exits 1 when anything differs.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
C = ROOT / "corpora"
R = (ROOT / ".." / "shared" / "realtexts").resolve()
DATE = ["--date", "2026-01-01T00:00:00Z"]


def commands(only: str | None) -> list[list[str]]:
    corpus = sorted(str(p) for p in C.iterdir() if p.suffix in (".txt", ".docx"))
    real = sorted(str(p) for p in R.rglob("*") if p.suffix in (".txt", ".md", ".docx", ".pdf")) if R.is_dir() else []
    files = corpus + ([] if only == "corpora" else real)
    out: list[list[str]] = []
    for f in files:
        out += [["parse", f], ["parse", f, "--format", "json"], ["brackets", f], ["brackets", f, "--format", "json"]]
        if f.endswith(".docx"):
            out += [["parse", f, "--format", "json", "--revisions", "markup"],
                    ["brackets", f, "--format", "json", "--revisions", "markup"]]
    pairs = [(f"{C}/framework-v1-compilation.txt", f"{C}/framework-v2-streamlined.txt"),
             (f"{C}/framework-v2-streamlined.txt", f"{C}/framework-v3-revised.txt"),
             (f"{C}/framework-v1-compilation.docx", f"{C}/framework-v2-streamlined.docx"),
             (f"{C}/framework-v2-streamlined.docx", f"{C}/framework-v3-revised.docx"),
             (f"{C}/zh-framework-v1.docx", f"{C}/zh-framework-v2.docx"),
             (f"{C}/zh-framework-v1.txt", f"{C}/zh-framework-v2.txt")]
    paris = [f"{R}/paris2015/agreement-{d}-2015.md" for d in ("23-oct", "4-dec", "9-dec", "12-dec")] \
        + [f"{R}/paris2015/agreement-29-jan-2016.md"]
    if only != "corpora":
        pairs += list(zip(paris, paris[1:]))
        pairs += [(f"{R}/paris2015/agreement-4-dec-2015.md", f"{R}/paris2015/adp-compilation-4-dec-2015.pdf"),
                  (f"{R}/art6-2-cop29/art6-2-sbsta-draft-decision-1st-iteration-2024-11-14.docx",
                   f"{R}/art6-2-cop29/art6-2-cma-draft-decision-party-inputs.docx"),
                  (f"{R}/bbnj/bbnj-agreement-2023-en.txt", f"{R}/bbnj/bbnj-agreement-2023-en.pdf")]
    for k, (a, b) in enumerate(pairs):
        out += [["align", a, b, "--format", "json"], ["align", a, b, "--changes-only"],
                ["compare", a, b, "-o", f"cmp{k}.json"], ["compare", a, b, "-o", f"cmp{k}.html"],
                ["compare", a, b, "-o", f"cmp{k}.docx", "--author", "Secretariat", *DATE]]
    versions = [f"{C}/framework-v1-compilation.txt", f"{C}/framework-v2-streamlined.txt", f"{C}/framework-v3-revised.txt"]
    out += [["brackets", *versions], ["brackets", *versions, "--format", "json"],
            ["trace", *versions, "--label", "1."], ["trace", *versions, "--label", "1.", "--format", "json"],
            ["trace", *versions, "--search", "stakeholders"], ["trace", *versions, "--search", "stakeholders", "--format", "json"]]
    if only != "corpora":
        needle = "This Agreement, in enhancing the implementation"
        out += [["brackets", *paris], ["brackets", *paris, "--format", "json"],
                ["trace", *paris, "--search", needle], ["trace", *paris, "--search", needle, "--format", "json"]]
    base, p1, p2 = versions
    party_docx = f"{C}/framework-v2-party-inputs.docx"
    for k, (args, parties) in enumerate((([base, p1, p2], ["EU", "G77/China"]), ([party_docx], []))):
        pa = [x for p in parties for x in ("--party", p)]
        out += [["consolidate", *args, *pa, "-o", f"cons{k}.json"], ["consolidate", *args, *pa, "-o", f"cons{k}.txt"],
                ["consolidate", *args, *pa, "-o", f"cons{k}.docx"],
                ["consolidate", *args, *pa, "-o", f"cons{k}-inside.txt", "--attribution", "inside", "--brackets", "fullwidth"],
                ["consolidate", *args, *pa, "-o", f"cons{k}-tracked.docx", "--tracked", *DATE],
                ["suggest", f"cons{k}.json"], ["suggest", f"cons{k}.json", "--format", "json"]]
    # Tracked proposals from .docx parties (their words in their own formatting) and from the
    # COP29 draft's tracked changes (the delegations' superscript note letters).
    dv = [f"{C}/framework-v1-compilation.docx", f"{C}/framework-v2-streamlined.docx", f"{C}/framework-v3-revised.docx"]
    out += [["consolidate", *dv, "--party", "EU", "--party", "G77/China", "-o", "cons-docx-tracked.docx", "--tracked", *DATE]]
    if only != "corpora":
        out += [["consolidate", f"{R}/art6-2-cop29/art6-2-cma-draft-decision-party-inputs.docx", "-o", "cons-cop29-tracked.docx",
                 "--tracked", *DATE]]
    out += [["resolve", "cons0.json", "--party", "EU"], ["resolve", "cons0.json", "--party", "G77/China", "-o", "eu.txt"],
            ["resolve", "cons0.json", "--party", "nobody"],
            ["parse", f"{C}/missing.docx"], ["parse", str(C / "build.py")], ["trace", versions[0]],
            ["consolidate", base, p1, "-o", "x.json"], ["compare", base, p1, "-o", "x.pdf"]]
    return out


def drive(outdir: str, only: str | None) -> None:
    """Run every command in this process with this tree's negotiate; write results.json."""
    from negotiate.cli import main
    os.chdir(outdir)
    results = []
    for argv in commands(only):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main(argv)
            except SystemExit as e:
                rc = e.code if isinstance(e.code, int) else 2
        results.append({"argv": argv, "rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()})
    import negotiate
    Path("results.json").write_text(json.dumps({"negotiate": negotiate.__file__, "results": results},
                                               ensure_ascii=False), encoding="utf-8")


def files_of(d: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for p in sorted(d.iterdir()):
        if p.name == "results.json":
            continue
        if p.suffix == ".docx":
            with zipfile.ZipFile(p) as z:
                for n in sorted(z.namelist()):
                    out[f"{p.name}/{n}"] = z.read(n)
        else:
            out[p.name] = p.read_bytes()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ref", default="main", help="the commit to compare with (default: main)")
    ap.add_argument("--only", choices=("corpora",), help="leave out the real texts")
    ap.add_argument("--ref-out", metavar="DIR", help="keep REF's outputs in DIR and reuse them when DIR "
                    "already holds them (so that repeated checks run only the working tree)")
    ap.add_argument("--driver", nargs=2, metavar=("TREE", "OUT"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.driver:
        drive(a.driver[1], a.only)
        return 0
    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        t = Path(tmp)
        ref_tree = t / "ref"
        ref_tree.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", a.ref, "negotiate"], check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tf:
            tf.extractall(ref_tree, filter="data")
        runs = {}
        for name, tree in (("ref", ref_tree), ("work", ROOT)):
            out = t / f"out-{name}"
            if name == "ref" and a.ref_out:
                out = Path(a.ref_out).resolve()
                if (out / "results.json").is_file():
                    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
                    runs[name] = (data["results"], files_of(out))
                    continue
            out.mkdir(parents=True, exist_ok=True)
            env = {**os.environ, "PYTHONPATH": str(tree)}
            cmd = [sys.executable, str(Path(__file__).resolve()), "--driver", str(tree), str(out)]
            subprocess.run(cmd + (["--only", a.only] if a.only else []), check=True, env=env)
            data = json.loads((out / "results.json").read_text(encoding="utf-8"))
            assert data["negotiate"].startswith(str(tree)), f"{name} ran {data['negotiate']}, not {tree}"
            runs[name] = (data["results"], files_of(out))
        (ref_res, ref_files), (work_res, work_files) = runs["ref"], runs["work"]
        diffs = 0
        for r, w in zip(ref_res, work_res):
            for key in ("rc", "stdout", "stderr"):
                if r[key] != w[key]:
                    diffs += 1
                    print(f"differs ({key}): negotiate {' '.join(r['argv'])}")
        for name in sorted(set(ref_files) | set(work_files)):
            if ref_files.get(name) != work_files.get(name):
                diffs += 1
                print(f"differs (file): {name}")
        print(f"{len(ref_res)} commands, {len(ref_files)} output files (docx by part), against {a.ref}: "
              f"{diffs} differences")
        return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
