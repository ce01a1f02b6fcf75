"""The store on both databases: entries, files, migrations, damage, integrity."""
import multiprocessing as mp
import os
import sqlite3
import time
from datetime import UTC

import pytest

from negotiate.store import Store, StoreDamaged, seed

from .conftest import CORPORA, REALTEXTS


def test_files_kept_byte_for_byte(new_store):
    s = new_store()
    nid = s.create_negotiation("Test", "SAICM/IP.4/2")
    data = (CORPORA / "framework-v1-compilation.docx").read_bytes()
    e = s.add(nid, data, "v1.docx", "Compilation", date="2026-01-01")
    assert s.get_file(e.sha256) == data
    again = s.add(nid, data, "v1.docx", "Compilation", date="2026-01-02")      # the same file again: harmless
    assert again.id == e.id and len(s.entries(nid)) == 1
    other = (CORPORA / "framework-v2-streamlined.docx").read_bytes()
    with pytest.raises(ValueError, match="already a version labelled 'Compilation'"):
        s.add(nid, other, "v2.docx", "Compilation")             # never replaced silently
    assert s.add(nid, other, "v2.docx", "Compilation", replace=True).id == e.id
    assert s.entry(e.id).filename == "v2.docx" and s.get_file(e.sha256) == data    # the old bytes stay
    with pytest.raises(ValueError):
        s.add(nid, data, "p.docx", "x", kind="proposal")
    with pytest.raises(KeyError):
        s.entry(9999)
    assert "entry replaced" in [x["action"] for x in s.activity(nid)]


def test_rename_reassign_remove_restore(new_store):
    s = new_store()
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
    actions = [x["action"] for x in s.activity(nid)]
    assert actions.count("entry removed") == 1 and actions.count("entry restored") == 1 and "entry changed" in actions


def test_reopen_keeps_everything(new_store):
    s = new_store()
    seed(s, CORPORA, REALTEXTS if REALTEXTS.exists() else None)
    before = [(n["name"], [(e.label, e.sha256) for e in s.entries(n["id"])]) for n in s.negotiations()]
    s2 = new_store()
    after = [(n["name"], [(e.label, e.sha256) for e in s2.entries(n["id"])]) for n in s2.negotiations()]
    assert before == after and len(before) >= 2
    assert s2.check() == []


def test_postgres_keeps_file_bytes_in_the_database(request, tmp_path):
    cluster = request.getfixturevalue("pg_cluster")
    s = Store(url=cluster.create_database("bytes_in_db"), root=tmp_path / "home")
    nid = s.create_negotiation("N")
    e = s.add(nid, b"1. Kept in the database.\n", "a.txt", "v1")
    assert not (tmp_path / "home" / "files").exists()
    other = Store(url=s.url, root=tmp_path / "another-replica")        # another app replica, another disk
    assert other.get_file(e.sha256) == b"1. Kept in the database.\n"


def test_audit_trail_is_append_only(new_store):
    s = new_store()
    nid = s.create_negotiation("N")
    s.add(nid, b"1. A.\n", "a.txt", "v1")
    assert not hasattr(s, "delete_activity") and not hasattr(s, "update_activity")
    from sqlalchemy import text
    for sql in ("UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"):
        with pytest.raises(Exception, match="append-only"):
            with s.engine.begin() as c:
                c.execute(text(sql))
    assert [x["actor"] for x in s.activity()] == ["operator", "operator"]
    csv = s.activity_csv()
    assert csv.splitlines()[0] == "id,at,actor,action,negotiation_id,subject,detail,sha256"
    assert "entry added" in csv and "negotiation created" in csv.splitlines()[1]


def test_store_made_before_the_reading_column_is_upgraded(tmp_path):
    """A workspace created before entries remembered how they are read (OCR)
    and before schema versions opens with its entries intact, migrated."""
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
    assert (e.label, e.filename, e.reading, e.removed) == ("Rev.1", "old.txt", "", None)
    e2 = s.add(1, b"1. Text.\n", "scan.pdf", "Rev.2", reading="ocr")
    assert s.entry(e2.id).reading == "ocr"
    s.remove(e2.id)
    db = sqlite3.connect(tmp_path / "negotiate.db")
    assert db.execute("SELECT version FROM schema_version").fetchall() == [(4,)]
    db.close()


def test_store_location_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGOTIATE_HOME", str(tmp_path / "elsewhere"))
    s = Store()
    assert s.root == tmp_path / "elsewhere" and (tmp_path / "elsewhere" / "negotiate.db").exists()


# -- damage (issue 14, item 7) ---------------------------------------------------------------------
def _workspace(tmp_path):
    s = Store(root=tmp_path)
    nid = s.create_negotiation("N")
    e = s.add(nid, b"1. Precious.\n", "a.txt", "v1")
    s.engine.dispose()
    return e


@pytest.mark.parametrize("damage", ["truncated", "garbled", "zeroed-header"])
def test_damaged_database_is_refused_never_seeded_over(tmp_path, damage):
    _workspace(tmp_path)
    db = tmp_path / "negotiate.db"
    raw = db.read_bytes()
    if damage == "truncated":
        db.write_bytes(raw[: len(raw) // 2 + 100])
    elif damage == "garbled":
        db.write_bytes(raw[:4096] + bytes(b ^ 0x5A for b in raw[4096:]))
    else:
        db.write_bytes(b"\0" * 16 + raw[16:])
    before = db.read_bytes()
    with pytest.raises(StoreDamaged) as e:
        s = Store(root=tmp_path)
        seed(s, CORPORA)          # must never be reached
    msg = e.value.oneline()
    assert str(db) in msg and ("backup" in msg or "move it aside" in msg)
    assert db.read_bytes() == before                       # nothing written over it


@pytest.mark.parametrize("how", ["empty", "missing"])
def test_lost_database_with_files_beside_it_is_refused(tmp_path, how):
    _workspace(tmp_path)
    db = tmp_path / "negotiate.db"
    for extra in (tmp_path / "negotiate.db-wal", tmp_path / "negotiate.db-shm"):
        extra.unlink(missing_ok=True)
    if how == "empty":
        db.write_bytes(b"")
    else:
        db.unlink()
    with pytest.raises(StoreDamaged, match="stored file"):
        Store(root=tmp_path)
    assert not db.exists() or db.stat().st_size == 0


def test_lost_or_being_created_is_decided_by_order_not_by_waiting(tmp_path, monkeypatch):
    """Another process creating the workspace goes through these states in this
    order; one opening it at the same moment looks at the stored files first and
    at the database after. Whichever step the creator takes between those two
    looks, the workspace is never taken for lost; once lost, it is refused at once."""
    from negotiate.store import core
    db, folder = tmp_path / "negotiate.db", tmp_path / "files"
    made = {}

    def create():                       # what Store() does: connect (0 bytes), WAL, tables
        made["s"] = Store(root=tmp_path)

    def store_a_file():
        s = made["s"]
        s.add(s.create_negotiation("N"), b"1. Text.\n", "a.txt", "v1")

    steps = [lambda: db.write_bytes(b""), create, store_a_file, lambda: made["s"].engine.dispose()]
    # The creator has done steps[:k]; steps[k:j] happen between the two looks (any number of them).
    for k in range(len(steps) + 1):
        for j in range(k, len(steps) + 1):
            for f in (db, db.with_name("negotiate.db-wal"), db.with_name("negotiate.db-shm")):
                f.unlink(missing_ok=True)
            if folder.exists():
                for f in folder.iterdir():
                    f.unlink()
            for step in steps[:k]:
                step()

            def between(todo=steps[k:j]):
                monkeypatch.setattr(core, "_between_looks", lambda: None)   # the creator's Store() looks too
                for step in todo:
                    step()
            monkeypatch.setattr(core, "_between_looks", between)
            core._refuse_damage(db, folder)                # never "lost"
            for step in steps[j:]:
                step()
            made["s"].engine.dispose()
    db.write_bytes(b"")                                    # now it is lost: files beside an empty database
    with pytest.raises(StoreDamaged, match="is empty"):
        core._refuse_damage(db, folder)


def test_empty_database_alone_is_a_new_workspace(tmp_path):
    (tmp_path / "negotiate.db").write_bytes(b"")
    s = Store(root=tmp_path)
    assert s.negotiations() == []


def test_temporary_and_orphan_files_are_cleaned_on_open(tmp_path):
    e = _workspace(tmp_path)
    files = tmp_path / "files"
    tmp = files / ".tmp-killed"
    tmp.write_bytes(b"half a file")
    orphan = files / ("0" * 64)                   # written, then the writer was killed before committing
    orphan.write_bytes(b"never referenced")
    young = files / ".tmp-at-work"                # another writer, right now: left alone
    young.write_bytes(b"in progress")
    old = time.time() - 7200
    for p in (tmp, orphan):
        os.utime(p, (old, old))
    s = Store(root=tmp_path)
    assert not tmp.exists() and not orphan.exists() and young.exists()
    assert sorted(s.cleaned) == sorted([".tmp-killed", "0" * 64])
    assert s.get_file(e.sha256) == b"1. Precious.\n"


def test_check_reports_missing_and_altered_files(tmp_path):
    s = Store(root=tmp_path)
    nid = s.create_negotiation("N")
    a = s.add(nid, b"1. A.\n", "a.txt", "v1")
    b = s.add(nid, b"1. B.\n", "b.txt", "v2")
    assert s.check() == []
    s.path_of(a.sha256).unlink()
    s.path_of(b.sha256).write_bytes(b"1. Tampered.\n")
    problems = {p["sha256"]: p for p in s.check()}
    assert problems[a.sha256]["problem"] == "missing" and "'v1'" in problems[a.sha256]["what"]
    assert problems[b.sha256]["problem"] == "sha256 no longer matches"
    with pytest.raises(OSError, match="no longer matches"):
        s.get_file(b.sha256)


def test_check_on_postgres(request, tmp_path):
    cluster = request.getfixturevalue("pg_cluster")
    s = Store(url=cluster.create_database("check_pg"), root=tmp_path)
    nid = s.create_negotiation("N")
    a = s.add(nid, b"1. A.\n", "a.txt", "v1")
    from sqlalchemy import text
    with s.engine.begin() as c:
        c.execute(text("UPDATE blobs SET data = :d WHERE sha256 = :s"), {"d": b"1. Changed.\n", "s": a.sha256})
    assert [p["problem"] for p in s.check()] == ["sha256 no longer matches"]


def test_unreachable_postgres_is_one_clear_error(tmp_path):
    from negotiate.store.pgcluster import free_port
    with pytest.raises(StoreDamaged, match="cannot open the database"):
        Store(url=f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none?connect_timeout=2", root=tmp_path)


# -- concurrency -------------------------------------------------------------------------------------
def _writer(root: str, url, who: int, n: int) -> None:
    s = Store(url=url, root=root)
    nid = s.create_negotiation("Shared")
    for k in range(n):
        data = f"{k}. Paragraph {k} written by session {who}.\n".encode() * (k + 1)
        s.add(nid, data, f"s{who}-{k}.txt", f"session {who} version {k}")
        s.add(nid, b"1. The same file, from both sessions.\n", "same.txt", f"common {who}-{k}")


def test_sessions_writing_at_once_corrupt_nothing(store_url, tmp_path):
    ctx = mp.get_context("spawn")
    root = str(tmp_path / "home")
    # Four writers starting together on a new store: creating it, migrating and writing collide.
    procs = [ctx.Process(target=_writer, args=(root, store_url, w, 8)) for w in (1, 2, 3, 4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    s = Store(url=store_url, root=root)
    (neg,) = s.negotiations()
    entries = s.entries(neg["id"])
    assert len(entries) == 4 * 8 * 2
    for e in entries:
        assert s.get_file(e.sha256)             # present and its sha256 checks out
    if store_url is None:
        assert not [f for f in os.listdir(tmp_path / "home" / "files") if f.startswith(".tmp-")]


def test_adding_a_damaged_file_again_repairs_it(tmp_path):
    s = Store(root=tmp_path)
    nid = s.create_negotiation("N")
    e = s.add(nid, b"1. A.\n", "a.txt", "v1")
    s.path_of(e.sha256).write_bytes(b"1. Damaged.\n")
    assert s.check()
    s.add(nid, b"1. A.\n", "a.txt", "v1 again")           # the same bytes, from the user's own copy
    assert s.check() == [] and s.get_file(e.sha256) == b"1. A.\n"


def test_postgres_restart_reconnects_and_nothing_is_half_stored(request, tmp_path):
    """The database server restarts under a writer: the store reconnects by
    itself; each write either returned (and is there, whole) or raised (and
    is there whole, or not at all) — the file's bytes and its entry are one
    transaction. bench/server.py measures the same with 50 delegates."""
    import threading
    cluster = request.getfixturevalue("pg_cluster")
    s = Store(url=cluster.create_database("restart"), root=tmp_path)
    nid = s.create_negotiation("N")
    done, failed, stop = [], [], threading.Event()

    def writer():
        k = 0
        while not stop.is_set():
            label = f"v{k}"
            try:
                s.add(nid, f"{k}. Paragraph {k}.\n".encode() * 50, f"{label}.txt", label)
                done.append(label)
            except Exception:
                failed.append(label)
                time.sleep(0.05)
            k += 1

    t = threading.Thread(target=writer)
    t.start()
    time.sleep(0.5)
    cluster.restart()
    time.sleep(1.0)
    stop.set()
    t.join(60)
    assert done and s.negotiations()[0]["name"] == "N"            # reconnected
    stored = {e.label for e in s.entries(nid)}
    assert set(done) <= stored                                       # every answered write is there
    assert stored <= set(done) | set(failed)                         # nothing unaccounted for
    assert s.check() == []                                           # no entry without its whole file
    s.engine.dispose()


def _as_schema_3(s: Store) -> None:
    """Turn a store back into what schema 3 wrote: naive UTC timestamps (PostgreSQL
    TIMESTAMP WITHOUT TIME ZONE, SQLite text without an offset), no calls.timezone,
    no amendments.target."""
    from sqlalchemy import inspect as insp_

    from negotiate.store import schema
    with s.engine.begin() as c:
        pg = c.dialect.name == "postgresql"
        if not pg:
            c.exec_driver_sql("DROP TRIGGER audit_no_update")
        for t in schema.meta.sorted_tables:
            for col in t.columns:
                if isinstance(col.type, schema.Moment):
                    if pg:
                        c.exec_driver_sql(f'ALTER TABLE {t.name} ALTER COLUMN "{col.name}" TYPE TIMESTAMP '
                                          f"USING \"{col.name}\" AT TIME ZONE 'UTC'")
                    else:
                        c.exec_driver_sql(f'UPDATE {t.name} SET "{col.name}" = substr("{col.name}", 1, 26) '
                                          f'WHERE "{col.name}" IS NOT NULL')
        c.exec_driver_sql("ALTER TABLE calls DROP COLUMN timezone")
        c.exec_driver_sql("ALTER TABLE amendments DROP COLUMN target")
        c.exec_driver_sql("UPDATE schema_version SET version = 3")
        if not pg:
            schema._audit_guard(c)
        assert "timezone" not in {x["name"] for x in insp_(c).get_columns("calls")}


def test_schema_3_store_gets_timezone_aware_timestamps(new_store):
    """A store of schema 3 (naive UTC timestamps) opens migrated: the same instants,
    now aware; PostgreSQL's columns WITH TIME ZONE, SQLite's text with its offset;
    its calls on UTC's clock; the audit trail intact and still append-only."""
    from datetime import datetime, timedelta

    from sqlalchemy import inspect as insp_

    from negotiate.store import Amendment
    s = new_store()
    nid = s.create_negotiation("N")
    v = s.add(nid, b"1. One.\n\n2. Two.\n\n3. Three.\n", "v.txt", "Rev.1")
    s.add_delegation("EU")
    deadline = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    cid = s.open_call(nid, v.id, "Inputs", deadline)
    p = s.propose(cid, "EU", amendments_=[Amendment("delete", "2")], submit=True)
    audit_before = [(a["id"], a["at"], a["action"]) for a in s.activity()]
    _as_schema_3(s)
    s.engine.dispose()
    s2 = new_store()                                        # opens, migrates to 4
    call = s2.call(cid)
    assert call["deadline"] == deadline and call["timezone"] == "UTC"
    assert s2.proposal(p.id).submitted == p.submitted and p.submitted.tzinfo is not None
    assert [(a["id"], a["at"], a["action"]) for a in s2.activity()] == audit_before
    with s2.engine.connect() as c:
        assert c.exec_driver_sql("SELECT version FROM schema_version").scalar() == 4
        if c.dialect.name == "postgresql":
            cols = {x["name"]: x["type"] for x in insp_(c).get_columns("calls")}
            assert cols["deadline"].timezone and cols["created"].timezone
            assert all(x["type"].timezone for x in insp_(c).get_columns("audit") if x["name"] == "at")
        else:
            assert c.exec_driver_sql("SELECT deadline FROM calls").scalar().endswith("+00:00")
    with pytest.raises(Exception, match="append-only"), s2.engine.begin() as c:
        c.exec_driver_sql("UPDATE audit SET actor = 'someone else'")
    q = s2.propose(cid, "EU", amendments_=[Amendment("move_after", "1", target="3")], submit=True)
    assert s2.proposal(q.id).amendments[0].target == "3"
