"""Outputs never overwrite inputs, and are written atomically (issue 14, item 1)."""
import os
import shutil

import pytest

from negotiate import NegotiateError, outputs
from negotiate.cli import main

from .conftest import CORPORA


@pytest.fixture
def drafts(tmp_path):
    a = tmp_path / "A.docx"
    b = tmp_path / "B.txt"
    shutil.copy(CORPORA / "framework-v1-compilation.docx", a)
    shutil.copy(CORPORA / "framework-v3-revised.txt", b)
    return a, b


def _refused(capsys, argv, out, inp):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == (f"negotiate: error: {out}: is the input {inp} (refused: an input is never overwritten; "
                   f"choose another output file)\n")


@pytest.mark.parametrize("how", ["same", "relative", "symlink", "hardlink"])
def test_compare_refuses_to_write_onto_an_input(drafts, capsys, how, monkeypatch):
    a, b = drafts
    before = a.read_bytes()
    out = a
    if how == "relative":
        monkeypatch.chdir(a.parent)
        out = "./" + a.name
    elif how == "symlink":
        out = a.parent / "link.docx"
        out.symlink_to(a)
    elif how == "hardlink":
        out = a.parent / "hard.docx"
        os.link(a, out)
    _refused(capsys, ["compare", str(a), str(b), "-o", str(out)], out, a)
    assert a.read_bytes() == before


def test_consolidate_refuses_to_write_onto_a_proposal(tmp_path, capsys):
    base = tmp_path / "base.txt"
    prop = tmp_path / "P.txt"
    shutil.copy(CORPORA / "framework-v1-compilation.txt", base)
    shutil.copy(CORPORA / "framework-v2-streamlined.txt", prop)
    before = prop.read_bytes()
    _refused(capsys, ["consolidate", str(base), str(prop), "--party", "EU", "-o", str(prop)], prop, prop)
    assert prop.read_bytes() == before


def test_resolve_refuses_to_write_onto_its_input(tmp_path, capsys):
    c = tmp_path / "c.json"
    c.write_text("{}", encoding="utf-8")
    _refused(capsys, ["resolve", str(c), "--party", "EU", "-o", str(c)], c, c)
    assert c.read_text(encoding="utf-8") == "{}"


def test_refused_before_anything_is_read(tmp_path, capsys):
    """The check comes first: even an unreadable input is not opened."""
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    _refused(capsys, ["compare", str(fifo), str(fifo), "-o", str(fifo)], fifo, fifo)


def test_outputs_are_written_whole_and_leave_no_temporary(drafts, tmp_path):
    a, b = drafts
    out = tmp_path / "out.docx"
    out.write_bytes(b"old redline")
    assert main(["compare", str(a), str(b), "-o", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.docx", "B.txt", "out.docx"]


def test_a_failing_writer_leaves_the_old_file(tmp_path):
    out = tmp_path / "o.json"
    out.write_text("previous", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with outputs.atomic(out) as tmp:
            with open(tmp, "w") as fh:
                fh.write("half")
            raise RuntimeError("killed mid-way")
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["o.json"]


def test_atomic_keeps_the_suffix_and_refuses_a_folder(tmp_path):
    with outputs.atomic(tmp_path / "x.docx") as tmp:
        assert tmp.endswith(".docx") and os.path.dirname(tmp) == str(tmp_path)
        open(tmp, "wb").close()
    with pytest.raises(NegotiateError, match="is a directory"):
        with outputs.atomic(tmp_path):
            pass
