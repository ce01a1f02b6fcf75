import io
import zipfile

import pytest

from negotiate import NegotiateError, read
from negotiate.export.wordml import DocxWriter, Level, Para, Run, paragraph_levels, section_levels
from negotiate.ingest import guards

D1 = ("European Union", "2026-02-01T09:00:00Z")
D2 = ("G77 and China", "2026-02-02T09:00:00Z")


def build(tmp_path, fill, name="t.docx"):
    w = DocxWriter("Test draft")
    fill(w)
    p = tmp_path / name
    w.save(p)
    return p


def compilation(w):
    secs = w.numbering(section_levels())
    paras = w.numbering(paragraph_levels())
    w.paragraph("SAICM/IP.4/2")
    w.paragraph("Introduction", style="Heading1", num=(secs, 0))
    w.add(Para([Run("Governments "), Run("shall", ins=D1), Run("should", delete=D2), Run(" report.", footnote="First note.")],
               num=(paras, 0)))
    w.add(Para([Run("annually;")], num=(paras, 1)))
    w.add(Para([Run("in writing:")], num=(paras, 1)))
    w.add(Para([Run("first;")], num=(paras, 2)))
    w.add(Para([Run("1 bis.\tInserted "), Run("[text]", bold=True), Run(" (EU)"),
                Run(" deleted words", strike=True, comment=("Canada", "Why delete?"))]))
    w.add(Para([Run("A whole new paragraph by Norway.")], num=(paras, 0), mark_ins=("Norway", "2026-02-03T00:00:00Z")))
    w.paragraph("Objectives", style="Heading1", num=(secs, 0))
    w.paragraph("Targets", style="Heading2", num=(secs, 1))
    w.add(Para([Run("First half, ")], num=(paras, 0), mark_del=("Japan", "")))
    w.add(Para([Run("second half.")], num=(paras, 0)))
    w.add(Para([Run("Last paragraph.", footnote="Second note.")], num=(paras, 0)))
    w.table([["Paragraph", "Proposal"], ["12.", "Text [in brackets] (Brazil)"]])


def labels(doc):
    return [(b.label, b.text) for b in doc.blocks]


def test_automatic_numbering_and_tracked_changes_accept(tmp_path):
    doc = read(build(tmp_path, compilation), revisions="accept")
    body = [(b.kind, b.label, b.path, b.text) for b in doc.blocks if b.kind not in ("footnote", "table cell")]
    assert body == [
        ("heading", "", (), "SAICM/IP.4/2"),
        ("heading", "I.", ("I",), "Introduction"),
        ("paragraph", "1.", ("I", "1"), "Governments shall report."),
        ("subparagraph", "(a)", ("I", "1", "(a)"), "annually;"),
        ("subparagraph", "(b)", ("I", "1", "(b)"), "in writing:"),
        ("subparagraph", "(i)", ("I", "1", "(b)", "(i)"), "first;"),
        ("paragraph", "1 bis.", ("I", "1 bis"), "Inserted [text] (EU) deleted words"),
        ("paragraph", "2.", ("I", "2"), "A whole new paragraph by Norway."),
        ("heading", "II.", ("II",), "Objectives"),
        ("heading", "A.", ("II", "A"), "Targets"),
        ("paragraph", "3.", ("II", "A", "3"), "First half, second half."),
        ("paragraph", "4.", ("II", "A", "4"), "Last paragraph."),
    ]
    assert doc.symbol == "SAICM/IP.4/2" and doc.title == "Test draft"


def test_reject_mode(tmp_path):
    doc = read(build(tmp_path, compilation), revisions="reject")
    got = [(b.label, b.text) for b in doc.blocks if b.kind not in ("footnote", "table cell")]
    assert ("1.", "Governments should report.") in got
    # The inserted paragraph's mark is rejected: its text runs into the next paragraph.
    assert ("II.", "A whole new paragraph by Norway.Objectives") in got
    assert ("2.", "First half,") in got
    assert ("3.", "second half.") in got


def test_markup_mode_keeps_both_with_authors(tmp_path):
    doc = read(build(tmp_path, compilation), revisions="markup")
    b = doc.blocks[2]
    assert b.text == "Governments shallshould report."
    assert [(r.kind, b.text[r.start:r.end], r.author, r.date) for r in b.revisions] == [
        ("ins", "shall", "European Union", "2026-02-01T09:00:00Z"),
        ("del", "should", "G77 and China", "2026-02-02T09:00:00Z")]


def test_bold_and_strike_marks_comments_footnotes_tables(tmp_path):
    doc = read(build(tmp_path, compilation))
    bis = next(b for b in doc.blocks if b.label == "1 bis.")
    assert [(m.kind, bis.text[m.start:m.end]) for m in bis.marks] == [("bold", "[text]"), ("strike", " deleted words")]
    assert len(doc.comments) == 1
    c = doc.comments[0]
    assert (c.author, c.text, c.anchor, c.block) == ("Canada", "Why delete?", "deleted words", bis.index)
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert [(n.label, n.text) for n in notes] == [("1", "First note."), ("2", "Second note.")]
    assert doc.blocks[notes[0].ref].label == "1." and notes[0].index in doc.blocks[notes[0].ref].notes
    cells = [b.text for b in doc.blocks if b.kind == "table cell"]
    assert cells == ["Paragraph", "Proposal", "12.", "Text [in brackets] (Brazil)"]


def test_superscript_subscript_and_highlight_are_marks(tmp_path):
    """Letters that change height or are highlighted are marks: the comparison cuts words there."""
    from .test_export_docx import make_docx, para
    runs = ('<w:r><w:t>Vintage</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>s</w:t></w:r>'
            '<w:r><w:t xml:space="preserve"> CO</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="subscript"/></w:rPr><w:t>2</w:t></w:r>'
            '<w:r><w:rPr><w:highlight w:val="yellow"/></w:rPr><w:t xml:space="preserve"> new</w:t></w:r>'
            '<w:r><w:rPr><w:highlight w:val="none"/><w:vertAlign w:val="baseline"/></w:rPr><w:t xml:space="preserve"> end</w:t></w:r>')
    (tmp_path / "m.docx").write_bytes(make_docx(para(runs=runs)))
    b = read(tmp_path / "m.docx").blocks[0]
    assert b.text == "Vintages CO2 new end"
    assert [(m.kind, b.text[m.start:m.end]) for m in b.marks] == [("superscript", "s"), ("subscript", "2"), ("highlight", " new")]


def test_plain_text_offsets(tmp_path):
    doc = read(build(tmp_path, compilation))
    for b in doc.blocks:
        seg = doc.text[b.start:b.end]
        assert seg == ((b.label + " ") if b.label and b.text else b.label) + b.text
        assert doc.text[b.text_start:b.end] == b.text


def test_numbering_rules(tmp_path):
    def fill(w):
        ab = w.numbering([Level("decimal", "%1."), Level("lowerLetter", "(%2)"), Level("lowerRoman", "%1.%2.%3")])
        w.add(Para([Run("one")], num=(ab, 0)))
        w.add(Para([Run("a")], num=(ab, 1)))
        w.add(Para([Run("deep")], num=(ab, 2)))
        again = w.instance(0)                 # same list, no override: continues
        w.add(Para([Run("two")], num=(again, 0)))
        fresh = w.instance(0, {0: 5})         # override: restarts at 5
        w.add(Para([Run("five")], num=(fresh, 0)))
        w.add(Para([Run("six")], num=(fresh, 0)))
        zh = w.numbering([Level("chineseCounting", "%1、"), Level("upperLetter", "%2."), Level("decimalZero", "%3)")])
        w.add(Para([Run("总则")], num=(zh, 0)))
        w.add(Para([Run("x")], num=(zh, 2)))   # level 1 unused: counts as started
        w.add(Para([Run("y")], num=(zh, 1)))
        bul = w.numbering([Level("bullet", "\uf0b7")])
        w.add(Para([Run("bullet item")], num=(bul, 0)))
        w.add(Para([Run("not numbered")], num=(0, 0)))
    doc = read(build(tmp_path, fill))
    assert labels(doc) == [("1.", "one"), ("(a)", "a"), ("1.a.i", "deep"), ("2.", "two"), ("5.", "five"),
                           ("6.", "six"), ("一、", "总则"), ("01)", "x"), ("B.", "y"), ("•", "bullet item"),
                           ("", "not numbered")]


def test_style_numbering_inherits_num_and_level_separately(tmp_path):
    """Word's UN templates put numId on a base style and ilvl on derived ones."""
    w = DocxWriter()
    ab = w.numbering([Level("decimal", "%1."), Level("lowerLetter", "(%2)")])
    w.add(Para([Run("para")], style="Base"))
    w.add(Para([Run("sub")], style="Derived"))
    data = w.to_bytes()
    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in zin.namelist():
            b = zin.read(n)
            if n == "word/styles.xml":
                b = b.replace(b"</w:styles>", (
                    b'<w:style w:type="paragraph" w:styleId="Base"><w:name w:val="Base"/><w:pPr><w:numPr>'
                    b'<w:ilvl w:val="0"/><w:numId w:val="%d"/></w:numPr></w:pPr></w:style>'
                    b'<w:style w:type="paragraph" w:styleId="Derived"><w:name w:val="Derived"/><w:basedOn w:val="Base"/>'
                    b'<w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style></w:styles>') % ab)
            z.writestr(n, b)
    p = tmp_path / "styles.docx"
    p.write_bytes(buf.getvalue())
    assert labels(read(p)) == [("1.", "para"), ("(a)", "sub")]


# -- hostile input ------------------------------------------------------------------------

def _zip(tmp_path, members, name="bad.docx", method=zipfile.ZIP_DEFLATED):
    p = tmp_path / name
    with zipfile.ZipFile(p, "w", method) as z:
        for n, b in members.items():
            z.writestr(n, b)
    return p


def test_corrupt_docx(tmp_path):
    p = tmp_path / "c.docx"
    p.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(NegotiateError, match="corrupt or not a zip"):
        read(p)


def test_truncated_docx(tmp_path):
    good = build(tmp_path, compilation).read_bytes()
    p = tmp_path / "trunc.docx"
    p.write_bytes(good[: len(good) // 2])
    with pytest.raises(NegotiateError):
        read(p)


def test_password_protected_docx(tmp_path):
    p = tmp_path / "enc.docx"
    p.write_bytes(guards.OLE_MAGIC + b"\x00" * 600)
    with pytest.raises(NegotiateError, match="password-protected"):
        read(p)


def test_zip_without_document(tmp_path):
    with pytest.raises(NegotiateError, match="no word/document.xml"):
        read(_zip(tmp_path, {"hello.txt": b"hi"}))


def test_compression_ratio_bomb(tmp_path):
    with pytest.raises(NegotiateError, match="compression ratio"):
        read(_zip(tmp_path, {"word/document.xml": b"<a/>" + b" " * 5_000_000}))


def test_uncompressed_size_limit(tmp_path, monkeypatch):
    import os
    monkeypatch.setattr(guards, "MAX_ZIP_RATIO", 10**9)
    blob = os.urandom(1024 * 1024)
    members = {f"word/media/img{i}.bin": blob for i in range(51)}
    members["word/document.xml"] = b"<w:document/>"
    with pytest.raises(NegotiateError, match="too large uncompressed"):
        read(_zip(tmp_path, members, method=zipfile.ZIP_STORED))


def test_entity_declarations_are_refused(tmp_path):
    good = zipfile.ZipFile(build(tmp_path, compilation))
    members = {n: good.read(n) for n in good.namelist()}
    members["word/document.xml"] = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                    + members["word/document.xml"].split(b"?>", 1)[1].replace(b"report.", b"&x;"))
    with pytest.raises(NegotiateError, match="entity declarations"):
        read(_zip(tmp_path, members, name="xxe.docx"))


def test_malformed_xml(tmp_path):
    good = zipfile.ZipFile(build(tmp_path, compilation))
    members = {n: good.read(n) for n in good.namelist()}
    members["word/document.xml"] = members["word/document.xml"][:-30]
    with pytest.raises(NegotiateError, match="malformed XML in word/document.xml"):
        read(_zip(tmp_path, members, name="mal.docx"))


def test_deep_nesting_does_not_recurse(tmp_path):
    """Thousands of nested containers: the reader walks iteratively."""
    good = zipfile.ZipFile(build(tmp_path, compilation))
    members = {n: good.read(n) for n in good.namelist()}
    depth = 5000
    deep = (b"<w:p><w:hyperlink>" * 1 + b"<w:smartTag>" * depth + b"<w:r><w:t>deep text</w:t></w:r>"
            + b"</w:smartTag>" * depth + b"</w:hyperlink></w:p>")
    members["word/document.xml"] = members["word/document.xml"].replace(b"<w:body>", b"<w:body>" + deep)
    try:
        doc = read(_zip(tmp_path, members, name="deep.docx"))
    except NegotiateError as e:   # libxml2 may refuse the depth itself: a clear error is fine too
        assert "malformed XML" in str(e) or "XML" in str(e)
    else:
        assert doc.blocks[0].text == "deep text"


def test_blocks_without_notes_share_the_empty_list_and_cited_ones_get_their_own(tmp_path):
    from negotiate.model import EMPTY
    doc = read(build(tmp_path, compilation), revisions="markup")
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    cited = {n.ref for n in notes}
    for b in doc.blocks:
        assert b.notes == [n.index for n in notes if n.ref == b.index]
        assert (b.notes is EMPTY) == (b.index not in cited)
    assert any(b.revisions for b in doc.blocks) and any(b.marks for b in doc.blocks)
    assert EMPTY == []     # never appended to by the reader
