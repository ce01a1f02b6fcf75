"""The user guide's three scripts (docs/examples/), run as a user runs them, on the corpora."""
import csv
import shutil
import subprocess
import sys

import docx

import negotiate

from .conftest import CORPORA, ROOT

EXAMPLES = ROOT / "docs" / "examples"
V = [CORPORA / n for n in ("framework-v1-compilation.docx", "framework-v2-streamlined.docx", "framework-v3-revised.docx")]


def run(script, *args):
    r = subprocess.run([sys.executable, str(EXAMPLES / script), *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_bracket_counts_per_section_into_a_csv(tmp_path):
    out = tmp_path / "counts.csv"
    run("bracket_counts.py", out, *V)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["section", *(p.name for p in V)]
    table = negotiate.brackets.sections_table([negotiate.brackets(negotiate.read(p)) for p in V])
    assert rows[1:] == [[name, *map(str, counts)] for name, counts in table]
    assert rows[-1][0] == "total" and int(rows[-1][1]) > int(rows[-1][3])   # brackets fall across versions


def test_paragraph_history_into_a_word_table(tmp_path):
    out = tmp_path / "history.docx"
    run("paragraph_history.py", out, "--search", "stakeholders should facilitate", *V)
    table = docx.Document(str(out)).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Version", "Label", "Change", "Text"]
    assert [r[0] for r in rows[1:]] == [p.name for p in V]
    assert rows[1][2] == "first" and "stakeholders should facilitate" in rows[1][3]
    assert any("{+" in r[3] or "[-" in r[3] for r in rows[2:])   # the changes are marked


def test_batch_redline_of_every_consecutive_pair(tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    for p in V:
        shutil.copy(p, folder / p.name)
    shutil.copy(CORPORA / "framework-v1-compilation.txt", folder)   # another format: left out with --ext
    out = run("batch_redline.py", folder, tmp_path / "redlines", "--ext", ".docx", "--author", "Secretariat")
    made = sorted((tmp_path / "redlines").iterdir())
    assert [p.name for p in made] == ["framework-v1-compilation--framework-v2-streamlined.docx",
                                      "framework-v2-streamlined--framework-v3-revised.docx"]
    assert len(out.splitlines()) == 2 and "tracked changes" in out
    # accept every change and you have the new version
    accepted = negotiate.read(made[1], revisions="accept")
    new = negotiate.read(V[2])
    assert [b.text for b in accepted.blocks if b.text] == [b.text for b in new.blocks if b.text]
