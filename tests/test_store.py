import multiprocessing as mp
import os

import pytest

from negotiate.store import Store, seed

from .conftest import CORPORA, REALTEXTS


def test_files_kept_byte_for_byte(tmp_path):
    s = Store(root=tmp_path)
    nid = s.create_negotiation("Test", "SAICM/IP.4/2")
    data = (CORPORA / "framework-v1-compilation.docx").read_bytes()
    e = s.add(nid, data, "v1.docx", "Compilation", date="2026-01-01")
    assert s.get_file(e.sha256) == data
    assert s.path_of(e.sha256).read_bytes() == data
    again = s.add(nid, data, "v1.docx", "Compilation", date="2026-01-02")
    assert again.id == e.id and len(s.entries(nid)) == 1
    with pytest.raises(ValueError):
        s.add(nid, data, "p.docx", "x", kind="proposal")


def test_reopen_keeps_everything(tmp_path):
    s = Store(root=tmp_path)
    seed(s, CORPORA, REALTEXTS if REALTEXTS.exists() else None)
    before = [(n["name"], [(e.label, e.sha256) for e in s.entries(n["id"])]) for n in s.negotiations()]
    s2 = Store(root=tmp_path)
    after = [(n["name"], [(e.label, e.sha256) for e in s2.entries(n["id"])]) for n in s2.negotiations()]
    assert before == after and len(before) >= 2


def test_store_location_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGOTIATE_HOME", str(tmp_path / "elsewhere"))
    s = Store()
    assert s.root == tmp_path / "elsewhere" and (tmp_path / "elsewhere" / "negotiate.db").exists()


def _writer(root: str, who: int, n: int) -> None:
    s = Store(root=root)
    nid = s.create_negotiation("Shared")
    for k in range(n):
        data = f"{k}. Paragraph {k} written by session {who}.\n".encode() * (k + 1)
        s.add(nid, data, f"s{who}-{k}.txt", f"session {who} version {k}")
        s.add(nid, b"1. The same file, from both sessions.\n", "same.txt", f"common {who}-{k}")


def test_two_sessions_writing_at_once_corrupt_nothing(tmp_path):
    ctx = mp.get_context("spawn")
    # Four writers starting together on a new store: creating it, switching it to WAL and writing collide.
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), w, 8)) for w in (1, 2, 3, 4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    s = Store(root=tmp_path)
    (neg,) = s.negotiations()
    entries = s.entries(neg["id"])
    assert len(entries) == 4 * 8 * 2
    for e in entries:
        assert s.get_file(e.sha256)             # present and its sha256 checks out
    assert not [f for f in os.listdir(tmp_path / "files") if f.startswith(".tmp-")]
