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
    again = s.add(nid, data, "v1.docx", "Compilation", date="2026-01-02")      # the same file again: harmless
    assert again.id == e.id and len(s.entries(nid)) == 1
    other = (CORPORA / "framework-v2-streamlined.docx").read_bytes()
    with pytest.raises(ValueError, match="already a version labelled 'Compilation'"):
        s.add(nid, other, "v2.docx", "Compilation")             # never replaced silently
    assert s.add(nid, other, "v2.docx", "Compilation", replace=True).id == e.id
    assert s.entry(e.id).filename == "v2.docx" and s.get_file(e.sha256) == data    # the old bytes stay
    with pytest.raises(ValueError):
        s.add(nid, data, "p.docx", "x", kind="proposal")


def test_rename_reassign_remove_restore(tmp_path):
    s = Store(root=tmp_path)
    nid = s.create_negotiation("Test")
    v = s.add(nid, b"1. A.\n", "a.txt", "Rev.1")
    p = s.add(nid, b"1. B.\n", "b.txt", "Rev.1", kind="proposal", party="EU")
    q = s.add(nid, b"1. C.\n", "c.txt", "Rev.1", kind="proposal", party="Canada")
    assert s.update_entry(v.id, label="Rev.1 (final)", date="2026-02-02").label == "Rev.1 (final)"
    with pytest.raises(ValueError, match="already a proposal of Canada"):
        s.update_entry(p.id, party="Canada")
    assert s.update_entry(p.id, party="Norway").party == "Norway"
    with pytest.raises(ValueError):
        s.update_entry(p.id, party=" ")
    s.remove(q.id)
    assert [e.id for e in s.entries(nid)] == [v.id, p.id]
    assert [e.id for e in s.entries(nid, removed=True)] == [q.id] and s.entry(q.id).removed is not None
    assert s.get_file(q.sha256) == b"1. C.\n"                     # the bytes stay
    # A new entry under a removed one's name: the removed one keeps its place in the Removed list.
    q2 = s.add(nid, b"1. C2.\n", "c2.txt", "Rev.1", kind="proposal", party="Canada")
    assert s.entry(q.id).label.startswith("Rev.1 (removed ")
    assert s.restore(q.id).removed is None
    assert {e.id for e in s.entries(nid, "proposal")} == {p.id, q.id, q2.id}
    assert s.entries(nid, removed=True) == []


def test_reopen_keeps_everything(tmp_path):
    s = Store(root=tmp_path)
    seed(s, CORPORA, REALTEXTS if REALTEXTS.exists() else None)
    before = [(n["name"], [(e.label, e.sha256) for e in s.entries(n["id"])]) for n in s.negotiations()]
    s2 = Store(root=tmp_path)
    after = [(n["name"], [(e.label, e.sha256) for e in s2.entries(n["id"])]) for n in s2.negotiations()]
    assert before == after and len(before) >= 2


def test_store_made_before_the_reading_column_is_upgraded(tmp_path):
    """A workspace created before entries remembered how they are read (OCR)
    opens with its entries intact and the column added."""
    import sqlite3
    db = sqlite3.connect(tmp_path / "negotiate.db")
    db.executescript("""
        CREATE TABLE negotiations (id INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL UNIQUE,
            symbol VARCHAR(200) NOT NULL, created DATETIME NOT NULL);
        CREATE TABLE files (sha256 VARCHAR(64) PRIMARY KEY, size INTEGER NOT NULL, created DATETIME NOT NULL);
        CREATE TABLE versions (id INTEGER PRIMARY KEY, negotiation_id INTEGER NOT NULL, kind VARCHAR(20) NOT NULL,
            label VARCHAR(200) NOT NULL, party VARCHAR(200) NOT NULL, date VARCHAR(40) NOT NULL,
            filename VARCHAR(400) NOT NULL, sha256 VARCHAR(64) NOT NULL, position INTEGER NOT NULL,
            CONSTRAINT uq_entry UNIQUE (negotiation_id, kind, label, party));
        INSERT INTO negotiations VALUES (1, 'Old', '', '2026-01-01 00:00:00');
        INSERT INTO files VALUES ('ab', 2, '2026-01-01 00:00:00');
        INSERT INTO versions VALUES (1, 1, 'version', 'Rev.1', '', '2026-01-01', 'old.txt', 'ab', 0);
    """)
    db.close()
    s = Store(root=tmp_path)
    [e] = s.entries(1)
    assert (e.label, e.filename, e.reading) == ("Rev.1", "old.txt", "")
    e2 = s.add(1, b"1. Text.\n", "scan.pdf", "Rev.2", reading="ocr")
    assert s.entry(e2.id).reading == "ocr"
    s.remove(e.id)                      # the removed column was added too
    assert [x.label for x in s.entries(1, removed=True)] == ["Rev.1"]


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
