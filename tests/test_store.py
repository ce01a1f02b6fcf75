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
