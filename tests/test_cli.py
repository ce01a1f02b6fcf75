import json
import subprocess
import sys

import pytest

from negotiate.cli import main
from negotiate.export.wordml import DocxWriter, Para, Run, paragraph_levels

from .conftest import CORPORA


def run(*args):
    """The real console entry, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "negotiate", *args], capture_output=True, text=True)


def test_parse_text_prints_the_plain_text(tmp_path):
    p = tmp_path / "d.txt"
    p.write_bytes(b"1. One\r\n\r\n(a) sub\r\n")
    r = run("parse", str(p))
    assert r.returncode == 0
    assert r.stdout == "1. One\n\n(a) sub\n"


def test_parse_json_contract(tmp_path, capsys):
    assert main(["parse", str(CORPORA / "framework-v1-compilation.docx"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"document", "blocks"}
    d = data["document"]
    for key in ("path", "sha256", "format", "language", "title", "symbol"):
        assert key in d
    assert d["format"] == "docx" and d["symbol"] == "SAICM/TEST/IP.1/2" and len(d["sha256"]) == 64
    for i, b in enumerate(data["blocks"]):
        assert list(b)[:7] == ["index", "kind", "label", "path", "text", "start", "end"]
        assert b["index"] == i
    para = next(b for b in data["blocks"] if b["label"] == "11.")
    assert para["path"] == ["III", "11"] and para["kind"] == "paragraph"


def test_json_offsets_index_the_text_output(tmp_path):
    src = CORPORA / "framework-v2-party-inputs.docx"
    text = run("parse", str(src)).stdout
    blocks = json.loads(run("parse", str(src), "--format", "json").stdout)["blocks"]
    for b in blocks:
        assert text[b["start"]:b["end"]].endswith(b["text"])
        assert text[b["start"]:b["end"]].startswith(b["label"])


def test_revisions_option(tmp_path):
    w = DocxWriter()
    n = w.numbering(paragraph_levels())
    w.add(Para([Run("Parties "), Run("shall", ins=("EU", "")), Run("should", delete=("Brazil", "")), Run(" act.")], num=(n, 0)))
    p = tmp_path / "r.docx"
    w.save(p)
    assert run("parse", str(p)).stdout.strip() == "1. Parties shall act."
    assert run("parse", str(p), "--revisions", "reject").stdout.strip() == "1. Parties should act."
    data = json.loads(run("parse", str(p), "--revisions", "markup", "--format", "json").stdout)
    assert [(r["kind"], r["author"]) for r in data["blocks"][0]["revisions"]] == [("ins", "EU"), ("del", "Brazil")]
    assert data["document"]["revisions"] == "markup"


def _file(name, data):
    def make(t):
        (t / name).write_bytes(data)
        return t / name
    return make


@pytest.mark.parametrize("setup,expect", [
    (lambda t: t / "missing.txt", "no such file"),
    (lambda t: t, "is a directory"),
    (_file("e.txt", b""), "empty file"),
    (_file("x.odt", b"x"), "unknown file type '.odt'"),
    (_file("b.txt", b"\x00\x01\x02\x03" * 10), "binary data"),
    (_file("c.docx", b"not a zip at all"), "corrupt"),
    (_file("p.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512), "password-protected"),
])
def test_bad_input_one_line_exit_2(tmp_path, setup, expect):
    path = setup(tmp_path)
    r = run("parse", str(path))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"negotiate: error: {path}: ")
    assert expect in lines[0]
    assert "Traceback" not in r.stderr


def test_bad_options_exit_2():
    r = run("parse", "x.txt", "--revisions", "maybe")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run("frobnicate")
    assert r.returncode == 2


def test_inputs_are_never_modified(tmp_path):
    src = CORPORA / "framework-v2-party-inputs.docx"
    before = src.read_bytes()
    for mode in ("accept", "reject", "markup"):
        assert run("parse", str(src), "--revisions", mode).returncode == 0
    assert src.read_bytes() == before


# -- cold start (issue 15): what a command imports --------------------------------------------------
def _imported_by(tmp_path, *argv):
    import subprocess
    import sys
    code = ("import sys; from negotiate.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=tmp_path)
    return set(r.stderr.split())


def test_version_imports_nothing_heavy(tmp_path):
    mods = _imported_by(tmp_path, "--version")
    assert "negotiate" in mods
    assert not mods & {"lxml", "numpy", "rapidfuzz", "spacy", "streamlit", "sqlalchemy", "pypdfium2", "zipfile"}


def test_one_paragraph_compare_imports_no_spacy_streamlit_pdf_or_store(tmp_path):
    (tmp_path / "a.txt").write_text("1. Parties shall report.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("1. Parties should report.\n", encoding="utf-8")
    from negotiate.tokenize import tokenize
    tokenize("warm", "en")   # the English rules stored (the first process ever builds them with spaCy)
    mods = _imported_by(tmp_path, "compare", "a.txt", "b.txt", "-o", "out.docx")
    assert (tmp_path / "out.docx").exists() and "numpy" in mods
    assert not mods & {"spacy", "thinc", "streamlit", "sqlalchemy", "pypdfium2", "pandas"}


def test_cli_revision_modes_are_the_readers():
    from negotiate import cli, ingest
    assert cli.REVISION_MODES == ingest.REVISION_MODES
