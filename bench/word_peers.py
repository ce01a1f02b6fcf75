"""negotiate's Word redline against the engines users would pick instead: the two
engines of PyPI's python-redlines (WmlComparer from Open-XML-PowerTools, and
Docxodus), in the same run, on the same pairs.

    python bench/word_peers.py [--quick] [--no-libreoffice]

The peers live in their own virtualenv (bench/.venv-word-peers, made on first
use with pip: python-redlines, python-redlines-ooxmlpowertools,
python-redlines-docxodus — they ship their binaries); never in our dependencies.

For each tool and pair it prints: round trips right (accept all = NEW, reject
all = OLD, by our own accept/reject of the package, `ooxml.review_package`, and
by LibreOffice's reading of the tracked changes), content lost (letters and
digits of NEW missing once accepted plus those of OLD missing once rejected),
revisions (stretches of tracked change, `export.package.count_stretches`), words
marked (inside tracked changes: how well the changes are localized), words edited
inside moves (a move's source and destination differ: edits shown as a move),
seconds.
Pairs: fixtures built here (tables, nested tables, images, equations, text
boxes also inside tables, footnotes, endnotes, fields, hyperlinks, line breaks,
a paragraph moved into a table), the COP29 party-inputs draft rejected-all →
accepted-all, and Paris pairs converted to .docx by LibreOffice.
"""
from __future__ import annotations

import argparse
import difflib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV = ROOT / "bench" / ".venv-word-peers"
REAL = ROOT.parent / "shared" / "realtexts"
PEER_PACKAGES = ["python-redlines", "python-redlines-ooxmlpowertools", "python-redlines-docxodus"]

# Why LibreOffice's check can say "body" (its views agree outside the notes): LibreOffice 7.4
# reads a footnote's or endnote's tracked changes as plain text — inserted and deleted words both
# shown, in both views — when the note is cited from a table cell after another note in that table
# (two notes cited from the two cells of a one-row table, a change in the second: both words show;
# the same notes cited from paragraphs: right). The COP29 draft cites its endnotes from table
# headings, and the original Word file's own 20 + 20 revisions in endnote 8 are read the same way.
LO_NOTES = ("LO 'body': LibreOffice agrees outside the notes; inside them it reads tracked changes of notes "
            "cited from a table as plain text (a LibreOffice limitation, see LO_NOTES in this script)")

# Run inside the peers' virtualenv: one pair, one engine → the output .docx and seconds.
PEER_RUNNER = r"""
import sys, time, warnings
warnings.simplefilter("ignore")
from python_redlines.engines import XmlPowerToolsEngine, DocxodusEngine
engine = {"wmlcomparer": XmlPowerToolsEngine, "docxodus": DocxodusEngine}[sys.argv[1]]()
old, new, out = open(sys.argv[2], "rb").read(), open(sys.argv[3], "rb").read(), sys.argv[4]
# Each run starts the engine's own process (its binaries were extracted by the first use).
t = time.perf_counter()
data, _, _ = engine.run_redline("peer", old, new)
print(time.perf_counter() - t)
open(out, "wb").write(data)
"""


def ensure_venv() -> Path:
    py = VENV / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return py


# -- fixtures -----------------------------------------------------------------------------------
def fixtures() -> dict[str, tuple[bytes, bytes]]:
    from tests.test_export_docx import CASES, cell, image, make_docx, para, table
    out = {name: (make_docx(a), make_docx(b)) for name, (a, b) in CASES.items()}
    ref = '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
    out["footnote"] = (make_docx(para(runs=f'<w:r><w:t>Cited text.</w:t></w:r>{ref}'), ["Decision 1/CP.21, paragraph 12."]),
                       make_docx(para(runs=f'<w:r><w:t>Cited text, revised.</w:t></w:r>{ref}'), ["Decision 1/CP.21, paragraph 14."]))
    out["image deleted"] = (make_docx(para("Text with a figure.") + para(runs=image()), image_part=True),
                            make_docx(para("Text with a figure.")))
    out["image inserted"] = (make_docx(para("Only text.")),
                             make_docx(para("Only text.") + para(runs=image()), image_part=True))
    math = ('<m:oMathPara><m:oMath><m:r><m:t>E=mc</m:t></m:r><m:sSup><m:e><m:r><m:t>x</m:t></m:r></m:e>'
            '<m:sup><m:r><m:t>{}</m:t></m:r></m:sup></m:sSup></m:oMath></m:oMathPara>')
    out["equation"] = (make_docx(para("The formula:") + f"<w:p>{math.format(2)}</w:p>"),
                       make_docx(para("The formula:") + f"<w:p>{math.format(3)}</w:p>"))
    box = ('<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps">'
           '<w:drawing><w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>'
           '<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r>')
    out["text box"] = (make_docx(para(runs=box.format("Boxed old words", "Boxed old words"))),
                       make_docx(para(runs=box.format("Boxed new words", "Boxed new words"))))
    out["text box in a table"] = (make_docx(table([cell(para(runs=box.format("In a cell, old", "In a cell, old")))])),
                                  make_docx(table([cell(para(runs=box.format("In a cell, new", "In a cell, new")))])))
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DATE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    out["field"] = (make_docx(para(runs='<w:r><w:t xml:space="preserve">Dated </w:t></w:r>' + field.format("1 May"))),
                    make_docx(para(runs='<w:r><w:t xml:space="preserve">Issued </w:t></w:r>' + field.format("1 May"))))
    out["moved into a table"] = (make_docx(para("A paragraph that will move into the table below it.") + table([cell(para("cell text"))])),
                                 make_docx(table([cell(para("cell text"), para("A paragraph that will move into the table below it."))])))
    return out


def real_pairs(tmp: Path) -> dict[str, tuple[bytes, bytes]]:
    from negotiate.ooxml import review_package
    out = {}
    cop = REAL / "art6-2-cop29" / "art6-2-cma-draft-decision-party-inputs.docx"
    if cop.exists():
        data = cop.read_bytes()
        out["COP29 party inputs (rejected → accepted)"] = (review_package(data, False), review_package(data, True))
    soffice = shutil.which("soffice")
    paris = REAL / "paris2015"
    names = ["agreement-23-oct-2015", "agreement-4-dec-2015", "agreement-9-dec-2015", "agreement-12-dec-2015"]
    if soffice and paris.exists():
        for n in names:
            shutil.copy(paris / f"{n}.md", tmp / f"{n}.txt")
        subprocess.run([soffice, "--headless", "--infilter=Text (encoded):UTF8,LF,,", "--convert-to", "docx",
                        "--outdir", str(tmp), *[str(tmp / f"{n}.txt") for n in names]],
                       check=True, capture_output=True, timeout=600)
        docs = [(tmp / f"{n}.docx").read_bytes() for n in names]
        for k in range(len(names) - 1):
            out[f"Paris {names[k][10:]} → {names[k + 1][10:]} (.docx)"] = (docs[k], docs[k + 1])
    return out


# -- measures -----------------------------------------------------------------------------------
def words_of(path: Path) -> list[str]:
    from negotiate import read
    d = read(path)
    return " ".join((b.label + " " + b.text) for b in d.blocks if b.kind not in ("header", "footer")).split()


def chars(ws) -> Counter:
    return Counter(c for w in ws for c in w if c.isalnum())


W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STORIES = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
WORD = re.compile(r"[^\W_]+")


def marked_and_hidden(data: bytes) -> tuple[int, int]:
    """(words marked, words edited inside moves). Words marked: the words inside
    tracked insertions, deletions and moves — how much a reader is pointed at (the
    issue's measure of localization: "the WmlComparer engine marks 1,600 words").
    Words edited inside moves: the words that differ between a move's source
    (`w:moveFrom`) and its destination (`w:moveTo`) of one name — edits a reader is
    told are a move and so never sees as edits (accept and reject are still right)."""
    revs = {W_NS + t for t in ("ins", "del", "moveFrom", "moveTo")}
    texts = {W_NS + "t", W_NS + "delText"}
    marked, moved = 0, {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in STORIES:
            if name not in z.namelist():
                continue
            root = etree.fromstring(z.read(name))
            open_ranges: dict[tuple[str, str], str] = {}
            for el in root.iter():
                tag = el.tag
                if not isinstance(tag, str):
                    continue
                local = tag[len(W_NS):]
                if local in ("moveFromRangeStart", "moveToRangeStart"):
                    open_ranges[(local[:-10], el.get(W_NS + "id"))] = el.get(W_NS + "name", "")
                elif local in ("moveFromRangeEnd", "moveToRangeEnd"):
                    open_ranges.pop((local[:-8], el.get(W_NS + "id")), None)
                elif tag in texts:
                    # The revision this text is in: its nearest wrapper (a run's w:rPr marks are not text).
                    up = el.getparent()
                    while up is not None and up.tag not in revs:
                        up = up.getparent()
                    if up is None:
                        continue
                    words = WORD.findall(el.text or "")
                    marked += len(words)
                    kind = up.tag[len(W_NS):]
                    if kind in ("moveFrom", "moveTo"):
                        nm = next((n for (k, _), n in open_ranges.items() if k == kind), "")
                        moved.setdefault(nm, {"moveFrom": [], "moveTo": []})[kind] += words
    hidden = 0
    for m in moved.values():
        sm = difflib.SequenceMatcher(None, m["moveFrom"], m["moveTo"], autojunk=False)
        hidden += sum(max(i2 - i1, j2 - j1) for t, i1, i2, j1, j2 in sm.get_opcodes() if t != "equal")
    return marked, hidden


def negotiate_redline(old: Path, new: Path, out: Path) -> float:
    from negotiate import read
    from negotiate.compare import compare
    from negotiate.export import redline
    t = time.perf_counter()
    c = compare(read(old), read(new))
    redline.write(c, out, author="negotiate")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fixtures only")
    ap.add_argument("--real", action="store_true", help="real pairs only")
    ap.add_argument("--no-libreoffice", action="store_true")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = ap.parse_args()
    from negotiate.export.package import count_stretches
    from negotiate.ooxml import Package, review_package
    py = ensure_venv()
    tmp = Path(tempfile.mkdtemp(prefix="word-peers-"))
    pairs = {} if args.real else fixtures()
    if not args.quick:
        pairs.update(real_pairs(tmp))
    tools = ["negotiate", "wmlcomparer", "docxodus"]
    rows = []
    runner = tmp / "runner.py"
    runner.write_text(PEER_RUNNER)
    lo_jobs = []
    for k, (name, (a, b)) in enumerate(pairs.items()):
        old, new = tmp / f"p{k}-old.docx", tmp / f"p{k}-new.docx"
        old.write_bytes(a)
        new.write_bytes(b)
        want_new, want_old = words_of(new), words_of(old)
        for tool in tools:
            out = tmp / f"p{k}-{tool}.docx"
            try:
                if tool == "negotiate":
                    negotiate_redline(old, new, out)      # warm (imports, tokenizer)
                    secs = negotiate_redline(old, new, out)
                else:
                    res = subprocess.run([str(py), str(runner), tool, str(old), str(new), str(out)],
                                         capture_output=True, text=True, timeout=900)
                    if res.returncode != 0:
                        raise RuntimeError(res.stderr.strip().splitlines()[-1] if res.stderr.strip() else "failed")
                    secs = float(res.stdout.strip().splitlines()[-1])
                data = out.read_bytes()
                if not data.startswith(b"PK"):
                    raise RuntimeError("no document written")
                acc, rej = tmp / f"p{k}-{tool}-acc.docx", tmp / f"p{k}-{tool}-rej.docx"
                acc.write_bytes(review_package(data, True))
                rej.write_bytes(review_package(data, False))
                wa, wr = words_of(acc), words_of(rej)
                lost = sum((chars(want_new) - chars(wa)).values()) + sum((chars(want_old) - chars(wr)).values())
                marked, hidden = marked_and_hidden(data)
                rows.append({"pair": name, "tool": tool, "ours": wa == want_new and wr == want_old, "lost": lost,
                             "revisions": count_stretches(Package(str(out), data)), "marked": marked,
                             "hidden": hidden, "seconds": secs,
                             "out": str(out), "want": (want_new, want_old)})
                lo_jobs.append(out)
            except Exception as e:  # a peer that fails on a construct is a result too
                rows.append({"pair": name, "tool": tool, "ours": False, "lost": None, "revisions": None,
                             "seconds": None, "error": str(e)[:80]})
    # LibreOffice: its own reading of each output's tracked changes, all accepted and all
    # rejected, against its reading of NEW and OLD themselves (one batch of conversions).
    soffice = shutil.which("soffice")
    if soffice and not args.no_libreoffice and lo_jobs:
        plain = [tmp / f"p{k}-{side}.docx" for k in range(len(pairs)) for side in ("old", "new")]
        subprocess.run([soffice, "--headless", "--convert-to", "fodt", "--outdir", str(tmp), *map(str, lo_jobs + plain)],
                       capture_output=True, timeout=3600)
        from tests.conftest import libreoffice_views
        def same(fodt, stem, notes):
            accepted, rejected = libreoffice_views(fodt, notes)
            flat = lambda p: "".join(libreoffice_views(p, notes)[0].split()) if p.exists() else None  # noqa: E731
            return "".join(accepted.split()) == flat(Path(stem + "-new.fodt")) and \
                "".join(rejected.split()) == flat(Path(stem + "-old.fodt"))
        for r in rows:
            if "out" not in r:
                continue
            fodt = Path(r["out"]).with_suffix(".fodt")
            stem = r["out"].rsplit("-", 1)[0]
            if not fodt.exists():
                r["lo"] = False
                continue
            r["lo"] = same(fodt, stem, True)
            if not r["lo"] and same(fodt, stem, False):
                r["lo"] = "body"     # the difference is inside notes only (see LO_NOTES)
    print(f"{'pair':44} {'tool':12} {'round trips':>11} {'LO':>4} {'lost':>6} {'revisions':>9} {'marked':>7} "
          f"{'in moves':>8} {'seconds':>8}")
    for r in rows:
        lo = "" if "lo" not in r else ("body" if r["lo"] == "body" else "yes" if r["lo"] else "no")
        if r.get("error"):
            print(f"{r['pair'][:44]:44} {r['tool']:12} {'error: ' + r['error']}")
            continue
        print(f"{r['pair'][:44]:44} {r['tool']:12} {('right' if r['ours'] else 'WRONG'):>11} {lo:>4} {r['lost']:>6} "
              f"{r['revisions']:>9} {r['marked']:>7} {r['hidden']:>8} {r['seconds']:>8.2f}")
    if any(r.get("lo") == "body" for r in rows):
        print(LO_NOTES)
    print()
    for tool in tools:
        mine = [r for r in rows if r["tool"] == tool]
        ok = sum(1 for r in mine if r["ours"])
        lost = sum(r["lost"] or 0 for r in mine)
        secs = sum(r["seconds"] or 0 for r in mine)
        revs = sum(r["revisions"] or 0 for r in mine)
        marked = sum(r.get("marked") or 0 for r in mine)
        hidden = sum(r.get("hidden") or 0 for r in mine)
        print(f"{tool:12} round trips right {ok}/{len(mine)}, characters lost {lost}, revisions {revs}, "
              f"words marked {marked}, words edited inside moves {hidden}, seconds {secs:.1f}")
    print("marked: words inside tracked changes (fewer = better localized); in moves: words that differ between a "
          "move's source and destination, edits shown as a plain move")
    if args.json:
        Path(args.json).write_text(json.dumps([{k: v for k, v in r.items() if k not in ("want", "out")} for r in rows], indent=1))
    shutil.rmtree(tmp, ignore_errors=True) if os.environ.get("KEEP") is None else print(tmp)


if __name__ == "__main__":
    main()
