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
