import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
REALTEXTS = ROOT.parent / "shared" / "realtexts"


def write_doc(tmp_path, name: str, text: str):
    """A text file of ours in tmp_path, read."""
    from negotiate import read
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return read(p)


def realtext(rel: str) -> Path:
    p = REALTEXTS / rel
    if not p.exists():
        pytest.skip(f"../shared/realtexts/{rel} is not present on this machine")
    return p


def brackets_in_order(doc):
    """An independent reading of the square brackets, as a person reads them:
    the body's text in order, each footnote on its own, Markdown footnote marks
    (`[^5]`) skipped. Returns (pairs, offsets of stray ']', offsets of unclosed '[')."""
    import re
    pairs, stray, unclosed = 0, [], []
    streams = [[b for b in doc.blocks if b.kind != "footnote"]] + [[b] for b in doc.blocks if b.kind == "footnote"]
    for blocks in streams:
        stack = []
        for b in blocks:
            marks = {m.start() for m in re.finditer(r"\[\^[^\]\s\[]+\]", b.text)}
            marks |= {m.end() - 1 for m in re.finditer(r"\[\^[^\]\s\[]+\]", b.text)}
            for k, c in enumerate(b.text):
                if k in marks:
                    continue
                if c == "[":
                    stack.append(b.text_start + k)
                elif c == "]":
                    if stack:
                        stack.pop()
                        pairs += 1
                    else:
                        stray.append(b.text_start + k)
        unclosed += stack
    return pairs, sorted(stray), sorted(unclosed)


def libreoffice_views(fodt, notes: bool = True) -> tuple[str, str]:
    """The text of a LibreOffice flat ODF file with all tracked changes accepted,
    and with all rejected: LibreOffice keeps both insertions and deletions in the
    body between <text:change-start/> and <text:change-end/>, and says in
    <text:tracked-changes> which is which. Paragraphs end with a newline.
    `notes=False`: without the footnotes' and endnotes' text."""
    from lxml import etree
    T = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    O = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    root = etree.parse(str(fodt), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)).getroot()
    kinds = {r.get(f"{{{T}}}id"): etree.QName(r[0]).localname for r in root.iter(f"{{{T}}}changed-region")}
    body = root.find(f".//{{{O}}}text")
    views = []
    for drop in ("deletion", "insertion"):
        parts, active, skip = [], set(), 0
        for ev, el in etree.iterwalk(body, events=("start", "end")):
            tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
            if ev == "start":
                if tag == "tracked-changes" or (tag == "note" and not notes):
                    skip += 1
                cid = el.get(f"{{{T}}}change-id")
                if tag == "change-start" and kinds.get(cid) == drop:
                    active.add(cid)
                elif tag == "change-end":
                    active.discard(cid)
                if not skip and not active:
                    parts.append(" " if tag in ("s", "tab", "line-break") else "")
                    parts.append(el.text or "")
            else:
                if tag == "tracked-changes" or (tag == "note" and not notes):
                    skip -= 1
                if not skip and not active:
                    parts.append("\n" if tag in ("p", "h") else "")
                    if el is not body:
                        parts.append(el.tail or "")
        views.append("".join(parts))
    return views[0], views[1]


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing in CI: .ci/run should have installed it")
        pytest.skip("LibreOffice (soffice) is not installed")
    return exe


# -- the store on SQLite and on PostgreSQL (issue 18) ----------------------------------------
@pytest.fixture(scope="session")
def pg_cluster():
    """One throw-away PostgreSQL cluster for the session (Debian's binaries,
    run as the `negotiate-pg` user when we are root); skipped only where
    PostgreSQL is not installed."""
    from negotiate.store.pgcluster import Cluster, bindir
    if bindir() is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed: apt-get install postgresql")
    c = Cluster().start()
    yield c
    c.stop()


_pg_databases = iter(range(1, 10**6))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A database URL for a new, empty store: SQLite under tmp_path, or a new
    database in the session's PostgreSQL cluster."""
    if request.param == "sqlite":
        return None
    cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(f"t{next(_pg_databases)}")


@pytest.fixture
def new_store(store_url, tmp_path):
    """Store factory on that database: new_store(user=…) gives views of one store."""
    from negotiate.store import Store
    made = []

    def make(**kw):
        s = Store(url=store_url, root=tmp_path / "home", **kw)
        made.append(s)
        return s
    yield make
    for s in made:
        s.engine.dispose()


def pdf_of_objects(objs: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF file made by hand from its numbered objects (1 = the catalog), with its xref table;
    `trailer` adds entries to the trailer dictionary (an /Encrypt, an /ID)."""
    out = bytearray(b"%PDF-1.4\n")
    offs = []
    for i, b in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + b + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, trailer, x)
    return bytes(out)
