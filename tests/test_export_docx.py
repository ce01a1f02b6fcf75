"""The redline written into NEW's own package: every construct round-trips
(accept all = NEW, reject all = OLD: text, labels, formatting, tables, images,
notes), and nothing of the package is lost."""
import io
import subprocess
import zipfile

import pytest

from negotiate import read
from negotiate.compare import compare
from negotiate.export import redline
from negotiate.ooxml import review_package

from .conftest import libreoffice_views, realtext, soffice

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' \
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ' \
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' \
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" ' \
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
# A 1×1 PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
                    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
STYLES = f'''<w:styles {W}><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style></w:styles>'''
NUMBERING = f'''<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>
</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'''
HEADER = f'<w:hdr {W}><w:p><w:r><w:t>UNEP/TEST/1 — running header</w:t></w:r></w:p></w:hdr>'


def image(rid="rIdImg"):
    return (f'<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr id="1" name="Picture 1"/>'
            f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
            f'<pic:nvPicPr><pic:cNvPr id="1" name="p.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/>'
            f'</pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


def para(text="", num=None, style=None, runs=None):
    ppr = ""
    if style or num:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + \
              (f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>' if num else "") + "</w:pPr>"
    body = runs if runs is not None else f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    return f"<w:p>{ppr}{body}</w:p>"


def cell(*paras):
    return "<w:tc>" + "".join(paras) + "</w:tc>"


def table(*rows):
    return "<w:tbl><w:tblPr/><w:tblGrid/>" + "".join("<w:tr>" + "".join(r) + "</w:tr>" for r in rows) + "</w:tbl>"


def make_docx(body: str, footnotes: list[str] = (), image_part: bool = False) -> bytes:
    rels = ['<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>',
            '<Relationship Id="rIdN" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>',
            '<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>']
    parts = {"word/styles.xml": STYLES, "word/numbering.xml": NUMBERING, "word/header1.xml": HEADER}
    ct = ['<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>',
          '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>',
          '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>',
          '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>']
    if footnotes:
        notes = "".join(f'<w:footnote w:id="{k}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {t}</w:t></w:r></w:p></w:footnote>'
                        for k, t in enumerate(footnotes, 1))
        parts["word/footnotes.xml"] = f'<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>{notes}</w:footnotes>'
        rels.append('<Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>')
        ct.append('<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>')
    if image_part:
        rels.append('<Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>')
    sect = '<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'
    parts["word/document.xml"] = f"<w:document {W}><w:body>{body}{sect}</w:body></w:document>"
    parts["word/_rels/document.xml.rels"] = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                             + "".join(rels) + "</Relationships>")
    parts["_rels/.rels"] = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    parts["[Content_Types].xml"] = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                                    '<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>'
                                    + "".join(ct) + "</Types>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in parts.items():
            z.writestr(k, v)
        if image_part:
            z.writestr("word/media/image1.png", PNG)
    return buf.getvalue()


def view(doc):
    """What a reader sees: each block's kind, label, text and formatting marks."""
    return [(b.kind, b.label, " ".join(b.text.split()), sorted((m.kind, m.start, m.end) for m in b.marks))
            for b in doc.blocks]


def roundtrip(tmp_path, old_bytes, new_bytes, **kw):
    (tmp_path / "old.docx").write_bytes(old_bytes)
    (tmp_path / "new.docx").write_bytes(new_bytes)
    old, new = read(tmp_path / "old.docx"), read(tmp_path / "new.docx")
    out = tmp_path / "r.docx"
    n = redline.write(compare(old, new, **kw), out, author="Chair", date="2026-03-01T10:00:00Z")
    data = out.read_bytes()
    for accept, want in ((True, new), (False, old)):
        # Our own accept-all / reject-all on the package, then read plainly …
        p = tmp_path / f"{'acc' if accept else 'rej'}.docx"
        p.write_bytes(review_package(data, accept))
        assert view(read(p)) == view(want)
        # … and the reader's own view of the tracked changes.
        assert view(read(out, revisions="accept" if accept else "reject")) == view(want)
    return n, data


CASES = {
    "words": (para("Parties shall report every three years."), para("Parties should report every two years.")),
    "numbered": (para("First.", (1, 0)) + para("Second.", (1, 0)) + para("Third.", (1, 0)),
                 para("First.", (1, 0)) + para("Inserted.", (1, 0)) + para("Third.", (1, 1))),
    "formatting": (para(runs='<w:r><w:t xml:space="preserve">Decides </w:t></w:r><w:r><w:t>to act.</w:t></w:r>'),
                   para(runs='<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">Decides </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>to act.</w:t></w:r>')),
    "table": (table([cell(para("a1")), cell(para("b1 old"))], [cell(para("a2")), cell(para("b2"))]),
              table([cell(para("a1")), cell(para("b1 new"))], [cell(para("a2")), cell(para("b2"))]) + para("After the table.")),
    "nested table": (table([cell(para("outer"), table([cell(para("inner old text"))]))]),
                     table([cell(para("outer"), table([cell(para("inner new text"))]))])),
    "split and merge": (para("One sentence here. Another sentence there.") + para("Tail one.") + para("Tail two."),
                        para("One sentence here.") + para("Another sentence there.") + para("Tail one. Tail two.")),
    "moved": (para("Alpha paragraph with enough words to be unique.") + para("Beta paragraph stays.") + para("Gamma paragraph stays as well."),
              para("Beta paragraph stays.") + para("Gamma paragraph stays as well.") + para("Alpha paragraph with enough words to be unique.")),
    "line break and hyperlink": (para(runs='<w:r><w:t>Line one</w:t><w:br/><w:t>line two</w:t></w:r><w:hyperlink r:id="rIdS"><w:r><w:t xml:space="preserve"> link text</w:t></w:r></w:hyperlink>'),
                                 para(runs='<w:r><w:t>Line one</w:t><w:br/><w:t>line 2</w:t></w:r><w:hyperlink r:id="rIdS"><w:r><w:t xml:space="preserve"> link words</w:t></w:r></w:hyperlink>')),
}
_MATH = ('<w:p><m:oMathPara><m:oMath><m:r><m:t>E=mc</m:t></m:r><m:sSup><m:e><m:r><m:t>x</m:t></m:r></m:e>'
         '<m:sup><m:r><m:t>{}</m:t></m:r></m:sup></m:sSup></m:oMath></m:oMathPara></w:p>')
_BOX = ('<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps">'
        '<w:drawing><w:txbxContent><w:p><w:r><w:t>{0}</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>'
        '<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>{0}</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r>')
_SUP = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>{}</w:t></w:r>'
_MARKED = '<w:r><w:rPr><w:highlight w:val="yellow"/></w:rPr><w:t>{}</w:t></w:r>'
_FIELD = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DATE </w:instrText></w:r>'
          '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1 May</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
CASES.update({
    "equation": (para("The formula:") + _MATH.format(2), para("The formula:") + _MATH.format(3)),
    "text box": (para(runs=_BOX.format("Boxed old words")), para(runs=_BOX.format("Boxed new words"))),
    "text box in a table": (table([cell(para(runs=_BOX.format("In a cell, old")))]), table([cell(para(runs=_BOX.format("In a cell, new")))])),
    "field": (para(runs='<w:r><w:t xml:space="preserve">Dated </w:t></w:r>' + _FIELD),
              para(runs='<w:r><w:t xml:space="preserve">Issued </w:t></w:r>' + _FIELD)),
    # Moved and edited: the move is shown, and so are its edits ("two" → "three").
    "moved and edited": (para("Alpha paragraph with enough words to be unique, every two years.") + para("Beta paragraph stays.")
                         + para("Gamma paragraph stays as well."),
                         para("Beta paragraph stays.") + para("Gamma paragraph stays as well.")
                         + para("Alpha paragraph with enough words to be unique, every three years.")),
    # A table's note letters typed against their words (COP29's "Vintages" → "Vintager"; a
    # highlighted "B" added to "Reported year"): the letter is the change, not the word.
    "note letters": (table([cell(para(runs='<w:r><w:t>Vintage</w:t></w:r>' + _SUP.format("s"))),
                            cell(para(runs='<w:r><w:t>Reported year</w:t></w:r>'))]),
                     table([cell(para(runs='<w:r><w:t>Vintage</w:t></w:r>' + _SUP.format("r"))),
                            cell(para(runs='<w:r><w:t>Reported year</w:t></w:r>' + _MARKED.format("B")))])),
    "moved into a table": (para("A paragraph that will move into the table below it.") + table([cell(para("cell text"))]),
                           table([cell(para("cell text"), para("A paragraph that will move into the table below it."))])),
})


@pytest.mark.parametrize("name", [n for n in CASES if n != "moved into a table"])
def test_constructs_round_trip(tmp_path, name):
    a, b = CASES[name]
    n, _ = roundtrip(tmp_path, make_docx(a), make_docx(b))
    assert n > 0


def test_moved_into_a_table_keeps_the_words(tmp_path):
    """A paragraph moved into a table cell: accept and reject give each version's
    words in order (and each paragraph in its own cell: test_cells_of_several_paragraphs_round_trip)."""
    a, b = CASES["moved into a table"]
    (tmp_path / "o.docx").write_bytes(make_docx(a))
    (tmp_path / "n.docx").write_bytes(make_docx(b))
    out = tmp_path / "r.docx"
    assert redline.write(compare(read(tmp_path / "o.docx"), read(tmp_path / "n.docx")), out) > 0
    words = lambda p: " ".join(x.text for x in read(p).blocks).split()  # noqa: E731
    for accept, want in ((True, "n.docx"), (False, "o.docx")):
        (tmp_path / "v.docx").write_bytes(review_package(out.read_bytes(), accept))
        assert words(tmp_path / "v.docx") == words(tmp_path / want)


def _revised_texts(data: bytes) -> list[tuple[str, str]]:
    from lxml import etree
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return [(el.tag[len(w):], "".join(t.text or "" for t in el.iter(w + "t", w + "delText")))
            for el in root.iter(w + "ins", w + "del") if el.getparent().tag != w + "rPr"]


def test_note_letters_change_alone(tmp_path):
    """A superscript or highlighted letter typed against its word is its own token: the
    redline deletes "s" and inserts "r", adds "B" — never the whole word."""
    a, b = CASES["note letters"]
    n, data = roundtrip(tmp_path, make_docx(a), make_docx(b))
    assert _revised_texts(data) == [("del", "s"), ("ins", "r"), ("ins", "B")]
    assert n == 3


def test_a_moved_paragraphs_edits_stay_visible(tmp_path):
    """A paragraph moved and edited: the words NEW dropped are a deletion inside the
    moved-away text, the words it added an insertion inside the moved text — the move's
    source and destination hold the same words, so no edit hides in the move."""
    a, b = CASES["moved and edited"]
    _, data = roundtrip(tmp_path, make_docx(a), make_docx(b))
    from lxml import etree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    text = lambda tag: " ".join("".join(t.text or "" for t in el.iter(w + "t", w + "delText"))  # noqa: E731
                                for el in root.iter(w + tag) if el.getparent().tag != w + "rPr")
    assert text("moveFrom").split() == text("moveTo").split() == "Alpha paragraph with enough words to be unique, every years.".split()
    assert _revised_texts(data) == [("del", "two"), ("ins", "three")]


def test_a_moved_paragraph_edited_more_is_deleted_and_inserted(tmp_path):
    """Moved with two edits: a deletion where it stood and an insertion where it stands,
    no move claimed (each edit would show twice, splitting the move)."""
    a, b = CASES["moved and edited"]
    b = b.replace("Alpha paragraph", "Alpha text")
    _, data = roundtrip(tmp_path, make_docx(a), make_docx(b))
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b"w:moveFrom" not in body and b"w:moveTo" not in body
    assert _revised_texts(data) == [("del", "Alpha paragraph with enough words to be unique, every two years."),
                                    ("ins", "Alpha text with enough words to be unique, every three years.")]


def test_real_cop29_redline_reproduces_the_delegations_changes(tmp_path):
    """The COP29 party-inputs draft, its tracked changes rejected → accepted: the redline
    has exactly the delegations' own stretches of change (their note letters are
    superscript or highlighted letters against words), as Docxodus does."""
    from negotiate.export.package import count_stretches
    from negotiate.ooxml import Package
    src = realtext("art6-2-cop29/art6-2-cma-draft-decision-party-inputs.docx").read_bytes()
    (tmp_path / "o.docx").write_bytes(review_package(src, False))
    (tmp_path / "n.docx").write_bytes(review_package(src, True))
    out = tmp_path / "r.docx"
    n = redline.write(compare(read(tmp_path / "o.docx"), read(tmp_path / "n.docx")), out)
    assert n == count_stretches(Package("party-inputs.docx", src)) == 91
    revised = _revised_texts(out.read_bytes())
    assert ("ins", "B") in revised and ("del", "s") in revised and ("ins", "r") in revised
    assert all(len(t) <= 2 for _, t in revised), [x for x in revised if len(x[1]) > 2]


def test_formatting_changes_tracked_or_ignored(tmp_path):
    a, b = CASES["formatting"]
    n, data = roundtrip(tmp_path, make_docx(a), make_docx(b))
    assert b"w:rPrChange" in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    (tmp_path / "o.docx").write_bytes(make_docx(a))
    (tmp_path / "n.docx").write_bytes(make_docx(b))
    out = tmp_path / "plain.docx"
    assert redline.write(compare(read(tmp_path / "o.docx"), read(tmp_path / "n.docx")), out, formatting=False) == 0


def test_images_come_and_go(tmp_path):
    old = make_docx(para("Text with a figure.") + para(runs=image()), image_part=True)
    new = make_docx(para("Text with a figure, revised."))
    n, data = roundtrip(tmp_path, old, new)
    z = zipfile.ZipFile(io.BytesIO(data))
    assert any(x.startswith("word/media/") for x in z.namelist())     # OLD's image brought into NEW's package
    rej = zipfile.ZipFile(io.BytesIO(review_package(data, False))).read("word/document.xml")
    acc = zipfile.ZipFile(io.BytesIO(review_package(data, True))).read("word/document.xml")
    assert rej.count(b"<w:drawing>") == 1 and acc.count(b"<w:drawing>") == 0
    # An image inserted: a revision of that run.
    n2, data2 = roundtrip(tmp_path, make_docx(para("Only text.")), make_docx(para("Only text.") + para(runs=image()), image_part=True))
    assert n2 >= 1


def test_footnotes_tracked_inside_the_notes(tmp_path):
    ref = '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
    old = make_docx(para(runs=f'<w:r><w:t>Cited text.</w:t></w:r>{ref}'), ["Decision 1/CP.21, paragraph 12."])
    new = make_docx(para(runs=f'<w:r><w:t>Cited text.</w:t></w:r>{ref}'), ["Decision 1/CP.21, paragraph 14."])
    n, data = roundtrip(tmp_path, old, new)
    z = zipfile.ZipFile(io.BytesIO(data))
    assert b"<w:ins " in z.read("word/footnotes.xml") and b"w:footnoteReference" in z.read("word/document.xml")
    # A note only OLD has comes back deleted, with its reference.
    n, data = roundtrip(tmp_path, old, make_docx(para("Cited text.")))
    assert b"<w:del " in zipfile.ZipFile(io.BytesIO(data)).read("word/footnotes.xml")


def test_package_kept_header_styles_numbering(tmp_path):
    a, b = CASES["numbered"]
    _, data = roundtrip(tmp_path, make_docx(a), make_docx(b))
    z, src = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(make_docx(b)))
    for part in ("word/header1.xml", "word/styles.xml", "word/numbering.xml"):
        assert z.read(part) == src.read(part)
    assert b"<w:numPr>" in z.read("word/document.xml")     # labels stay automatic


def test_granularity_char(tmp_path):
    a, b = para("The IDd was issued."), para("The IDc was issued.")
    (tmp_path / "o.docx").write_bytes(make_docx(a))
    (tmp_path / "n.docx").write_bytes(make_docx(b))
    c = compare(read(tmp_path / "o.docx"), read(tmp_path / "n.docx"), granularity="char")
    p = c.pairs[0]
    assert [(p.old_text[a1:a2], p.new_text[b1:b2]) for t, a1, a2, b1, b2 in p.ops if t != "equal"] == [("d", "c")]
    roundtrip(tmp_path, make_docx(a), make_docx(b), granularity="char")


def test_earlier_tracked_changes_kept(tmp_path):
    """NEW carries a delegation's tracked change: it stays with its author and date."""
    theirs = '<w:ins w:id="1" w:author="EU" w:date="2024-11-20T10:00:00Z"><w:r><w:t xml:space="preserve"> as appropriate</w:t></w:r></w:ins>'
    old = make_docx(para("Parties shall report."))
    new = make_docx(para(runs=f'<w:r><w:t>Parties should report</w:t></w:r>{theirs}<w:r><w:t>.</w:t></w:r>'))
    (tmp_path / "o.docx").write_bytes(old)
    (tmp_path / "n.docx").write_bytes(new)
    out = tmp_path / "r.docx"
    redline.write(compare(read(tmp_path / "o.docx"), read(tmp_path / "n.docx")), out, author="Chair")
    mk = read(out, revisions="markup")
    assert {(r.author, r.date) for b in mk.blocks for r in b.revisions if r.author == "EU"} == {("EU", "2024-11-20T10:00:00Z")}
    (tmp_path / "mine.docx").write_bytes(review_package(out.read_bytes(), True, author="Chair"))
    assert view(read(tmp_path / "mine.docx", revisions="markup")) == view(read(tmp_path / "n.docx", revisions="markup"))


def test_reader_reads_every_story(tmp_path):
    box = ('<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps">'
           '<w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed words</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>'
           '<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Boxed words</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r>')
    ref = '<w:r><w:footnoteReference w:id="1"/></w:r>'
    body = para(runs=box) + table([cell(para("outer"), table([cell(para("inner"))])), cell(para(runs=ref))])
    (tmp_path / "s.docx").write_bytes(make_docx(body, ["First paragraph of the note."]))
    d = read(tmp_path / "s.docx")
    texts = [(b.kind, b.text) for b in d.blocks]
    assert sum(t.count("Boxed words") for _, t in texts) == 1          # once, not again from mc:Fallback
    assert ("table cell", "inner") in texts and ("table cell", "outer") in texts
    assert ("footnote", "First paragraph of the note.") in texts        # cited from an otherwise empty cell
    assert ("header", "UNEP/TEST/1 — running header") in texts
    # Only an image: read, not refused.
    (tmp_path / "img.docx").write_bytes(make_docx(para(runs=image()), image_part=True))
    assert read(tmp_path / "img.docx").blocks


def test_real_sbsta_redline_keeps_the_package(tmp_path):
    """The SBSTA draft with a few words edited: every part other than the body is
    carried through byte for byte, and accept/reject give the two versions."""
    src = realtext("art6-2-cop29/art6-2-sbsta-draft-decision-1st-iteration-2024-11-14.docx").read_bytes()
    from lxml import etree
    z = zipfile.ZipFile(io.BytesIO(src))
    root = etree.fromstring(z.read("word/document.xml"))
    ts = [t for t in root.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t") if (t.text or "").strip()]
    for t in ts[40:400:60]:
        t.text = t.text.replace("the", "any", 1) if "the" in t.text else t.text + " edited"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for i in z.infolist():
            out.writestr(i, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                         if i.filename == "word/document.xml" else z.read(i.filename))
    n, data = roundtrip(tmp_path, src, buf.getvalue())
    assert n > 0
    r = zipfile.ZipFile(io.BytesIO(data))
    new = zipfile.ZipFile(buf)
    assert set(r.namelist()) == set(new.namelist())
    for name in new.namelist():
        if name != "word/document.xml":
            assert r.read(name) == new.read(name), name


def test_libreoffice_reads_a_package_redline(tmp_path):
    """One sample for LibreOffice: its view with all changes accepted is NEW, rejected OLD
    (a moved paragraph's edits inside the move included)."""
    exe = soffice()
    a, b = CASES["numbered"]
    a += CASES["words"][0] + CASES["table"][0] + CASES["moved and edited"][0]
    b += CASES["words"][1] + CASES["table"][1] + CASES["moved and edited"][1]
    roundtrip(tmp_path, make_docx(a), make_docx(b))
    subprocess.run([exe, "--headless", "--convert-to", "fodt", "--outdir", str(tmp_path), str(tmp_path / "r.docx")],
                   check=True, capture_output=True, timeout=180)
    accepted, rejected = libreoffice_views(tmp_path / "r.fodt")
    words = lambda p: " ".join(x.text for x in read(p).blocks if x.kind != "header").split()  # noqa: E731
    assert [w for w in accepted.split() if w not in ("UNEP/TEST/1", "—", "running", "header")] == words(tmp_path / "new.docx")
    assert [w for w in rejected.split() if w not in ("UNEP/TEST/1", "—", "running", "header")] == words(tmp_path / "old.docx")


def test_embedded_object_carried_and_said(tmp_path):
    """An OLE object cannot be compared: it is carried through unchanged and a warning says so."""
    ole = '<w:r><w:object><v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="o1"/></w:object></w:r>'
    a = para("Before the object.") + para(runs=ole)
    b = para("Before the object, edited.") + para(runs=ole)
    (tmp_path / "o.docx").write_bytes(make_docx(a))
    (tmp_path / "n.docx").write_bytes(make_docx(b))
    new = read(tmp_path / "n.docx")
    assert any("embedded object" in w for w in new.warnings)
    warn = []
    out = tmp_path / "r.docx"
    redline.write(compare(read(tmp_path / "o.docx"), new), out, warnings=warn)
    assert any("embedded object" in w for w in warn)
    assert b"<w:object>" in zipfile.ZipFile(out).read("word/document.xml")


def test_parse_keeps_every_character_of_the_real_drafts():
    """Every letter, digit and bracket of the body, footnotes and endnotes of each real
    .docx (and of each .md/.txt) is in what `parse` reads."""
    from collections import Counter

    from lxml import etree

    from .conftest import REALTEXTS
    if not REALTEXTS.exists():
        pytest.skip("../shared/realtexts is not present")
    keep = lambda c: c.isalnum() or c in "[]［］【】"  # noqa: E731
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
    files = sorted(p for p in REALTEXTS.rglob("*") if p.suffix in (".docx", ".md", ".txt") and p.name != "MANIFEST.md")
    assert files
    for p in files:
        if p.suffix == ".docx":
            z, src = zipfile.ZipFile(p), Counter()
            for part in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
                if part in z.namelist():
                    for t in etree.fromstring(z.read(part)).iter(W + "t", M + "t"):
                        src.update(c for c in (t.text or "") if keep(c))
        else:
            src = Counter(c for c in p.read_text(encoding="utf-8") if keep(c))
        lost = src - Counter(c for c in read(p).text if keep(c))
        assert not lost, (p.name, lost.most_common(5))


def test_cli_options(tmp_path):
    import sys
    a, b = CASES["formatting"]
    (tmp_path / "o.docx").write_bytes(make_docx(a))
    (tmp_path / "n.docx").write_bytes(make_docx(b))
    out = tmp_path / "r.docx"
    res = subprocess.run([sys.executable, "-m", "negotiate", "compare", str(tmp_path / "o.docx"), str(tmp_path / "n.docx"),
                          "-o", str(out), "--ignore-formatting", "--granularity", "char"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert b"w:rPrChange" not in zipfile.ZipFile(out).read("word/document.xml")
    bad = subprocess.run([sys.executable, "-m", "negotiate", "compare", str(tmp_path / "o.docx"), str(tmp_path / "n.docx"),
                          "-o", str(out), "--reference-docx", str(tmp_path / "missing.docx")], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def _d(t, a="EU"):
    return f'<w:del w:id="1" w:author="{a}" w:date="2024-11-20T10:00:00Z"><w:r><w:delText xml:space="preserve">{t}</w:delText></w:r></w:del>'


def _i(t, a="EU"):
    return f'<w:ins w:id="2" w:author="{a}" w:date="2024-11-20T10:00:00Z"><w:r><w:t xml:space="preserve">{t}</w:t></w:r></w:ins>'


def _r(t):
    return f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>'


EARLIER = {
    "words deleted": para(runs=_r("Parties should report") + _d(" every three years") + _r(".")),
    "word replaced": para(runs=_r("Parties shall report every ") + _d("three") + _i("two") + _r(" years.")),
    "white space on the other side": para(runs=_r("Parties shall report") + _d(" every three") + _r(" to the body.")),
    "whole paragraph": para("First paragraph stays.") + '<w:p><w:pPr><w:rPr><w:del w:id="5" w:author="EU" '
    'w:date="2024-11-20T10:00:00Z"/></w:rPr></w:pPr>' + _d("A paragraph the EU deleted entirely.") + "</w:p>" + para("Last one stays."),
}


@pytest.mark.parametrize("name", list(EARLIER))
def test_deletion_new_already_tracks_is_not_written_twice(tmp_path, name):
    """OLD is NEW with its delegation's changes rejected (OLD has the words NEW's
    earlier w:del holds): rejecting all gives OLD once, not the words twice;
    accepting all gives NEW; accepting ours alone gives NEW with the EU's revisions."""
    new = make_docx(EARLIER[name])
    (tmp_path / "o.docx").write_bytes(review_package(new, False))
    (tmp_path / "n.docx").write_bytes(new)
    old_d, new_d = read(tmp_path / "o.docx"), read(tmp_path / "n.docx")
    out, warn = tmp_path / "r.docx", []
    redline.write(compare(old_d, new_d), out, author="Chair", warnings=warn)
    for accept, want in ((True, new_d), (False, old_d)):
        (tmp_path / "v.docx").write_bytes(review_package(out.read_bytes(), accept))
        assert view(read(tmp_path / "v.docx")) == view(want)
    (tmp_path / "v.docx").write_bytes(review_package(out.read_bytes(), True, author="Chair"))
    assert view(read(tmp_path / "v.docx", revisions="markup")) == view(read(tmp_path / "n.docx", revisions="markup"))
    assert not warn


def test_deletion_new_tracks_that_differs_from_old_is_said(tmp_path):
    """NEW's earlier deletion holds words OLD does not have there: both come back on
    reject-all (nothing can be done in the file), and a warning says so."""
    (tmp_path / "o.docx").write_bytes(make_docx(para("Parties shall report every three years.")))
    (tmp_path / "n.docx").write_bytes(make_docx(para(runs=_r("Parties shall report") + _d(" every five years") + _r("."))))
    warn = []
    redline.write(compare(read(tmp_path / "o.docx"), read(tmp_path / "n.docx")), tmp_path / "r.docx", warnings=warn)
    assert any("twice" in w for w in warn)


def _rows(data: bytes) -> list:
    """Each table's rows as lists of cell texts (nested tables listed on their own)."""
    from lxml import etree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    return [[["".join(t.text or "" for t in tc.iter(w + "t")) for tc in tr.findall(w + "tc")] for tr in tbl.findall(w + "tr")]
            for tbl in root.iter(w + "tbl")]


def _row(*texts):
    return [cell(para(x)) for x in texts]


ROWS = {
    "row deleted, row inserted": (table(_row("a1", "b1"), _row("a2 only old", "b2 only old"), _row("a3", "b3")),
                                  table(_row("a1", "b1"), _row("a3", "b3"), _row("a4 only new", "b4 only new"))),
    "first rows deleted": (table(_row("h1 gone", "h2 gone"), _row("g1 gone", "g2 gone"), _row("a3", "b3")), table(_row("a3", "b3"))),
    "last rows deleted": (table(_row("a1", "b1"), _row("z1 gone", "z2 gone"), _row("y1 gone", "y2 gone")), table(_row("a1", "b1"))),
    "table deleted": (para("Before.") + table(_row("x1 old", "y1 old"), _row("x2 old", "y2 old")) + para("After."),
                      para("Before.") + para("After.")),
    "table inserted": (para("Before.") + para("After."),
                       para("Before.") + table(_row("x1 new", "y1 new"), _row("x2 new", "y2 new")) + para("After.")),
}


@pytest.mark.parametrize("name", list(ROWS))
def test_rows_only_one_side_has_are_row_revisions(tmp_path, name):
    """A row only OLD has comes back as a deleted row where it stood (w:trPr/w:del), a
    row only NEW has is an inserted row, a whole table likewise: after accept and
    reject every table has its version's rows and cells, not cells beside others."""
    a, b = ROWS[name]
    _, data = roundtrip(tmp_path, make_docx(a), make_docx(b))
    assert _rows(review_package(data, True)) == _rows(make_docx(b))
    assert _rows(review_package(data, False)) == _rows(make_docx(a))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b"w:cellDel" not in xml and b"w:cellIns" not in xml


def test_libreoffice_reads_row_revisions(tmp_path):
    exe = soffice()
    a = para("Before.") + ROWS["row deleted, row inserted"][0] + para("Between.") + ROWS["table deleted"][0]
    b = para("Before.") + ROWS["row deleted, row inserted"][1] + para("Between.") + ROWS["table deleted"][1]
    roundtrip(tmp_path, make_docx(a), make_docx(b))
    subprocess.run([exe, "--headless", "--convert-to", "fodt", "--outdir", str(tmp_path), str(tmp_path / "r.docx")],
                   check=True, capture_output=True, timeout=180)
    accepted, rejected = libreoffice_views(tmp_path / "r.fodt")
    words = lambda p: " ".join(x.text for x in read(p).blocks if x.kind != "header").split()  # noqa: E731
    drop = ("UNEP/TEST/1", "—", "running", "header")
    assert [w for w in accepted.split() if w not in drop] == words(tmp_path / "new.docx")
    assert [w for w in rejected.split() if w not in drop] == words(tmp_path / "old.docx")


def _refs(data: bytes) -> list:
    """Each note reference in the body, with the paragraph's text before it and the note's text."""
    from lxml import etree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    z = zipfile.ZipFile(io.BytesIO(data))
    notes = {n.get(w + "id"): "".join(t.text or "" for t in n.iter(w + "t")).strip()
             for n in etree.fromstring(z.read("word/footnotes.xml"))}
    out = []
    for p in etree.fromstring(z.read("word/document.xml")).iter(w + "p"):
        before = ""
        for el in p.iter(w + "t", w + "footnoteReference"):
            if el.tag == w + "t":
                before += el.text or ""
            else:
                out.append((before, notes.get(el.get(w + "id"))))
    return out


def test_deleted_note_reference_stands_where_it_stood(tmp_path):
    """A note only OLD has: after reject-all its reference is where it stood in OLD —
    mid-paragraph in a paragraph that changed, inside a paragraph that was deleted —
    and points at the note's copy (NEW's own notes keep their ids)."""
    ref = '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{}"/></w:r>'.format
    old = make_docx(para(runs=_r("Parties shall report") + ref(1) + _r(" every three years.")) +
                    para(runs=_r("A paragraph") + ref(2) + _r(" that goes away.")) + para("Tail stays here."),
                    ["Note one.", "Note two."])
    new = make_docx(para("Parties should report every two years.") + para(runs=_r("Tail stays here.") + ref(1)),
                    ["Decision 3/CMA.1 as adopted in Katowice."])
    _, data = roundtrip(tmp_path, old, new)
    assert _refs(review_package(data, False)) == _refs(old)
    assert _refs(review_package(data, True)) == _refs(new)


def _with_comments(docx: bytes, comments) -> bytes:
    """The package with a comments part: (id, author, text) each."""
    buf, z = io.BytesIO(), zipfile.ZipFile(io.BytesIO(docx))
    with zipfile.ZipFile(buf, "w") as out:
        for i in z.infolist():
            d = z.read(i.filename)
            if i.filename == "word/_rels/document.xml.rels":
                d = d.replace(b"</Relationships>", b'<Relationship Id="rIdC" Type="http://schemas.openxmlformats.org/'
                              b'officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>')
            if i.filename == "[Content_Types].xml":
                d = d.replace(b"</Types>", b'<Override PartName="/word/comments.xml" ContentType="application/'
                              b'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>')
            out.writestr(i, d)
        out.writestr("word/comments.xml", f"<w:comments {W}>" + "".join(
            f'<w:comment w:id="{k}" w:author="{a}" w:date="2024-11-20T10:00:00Z" w:initials="X"><w:p><w:r><w:t>{t}</w:t>'
            f"</w:r></w:p></w:comment>" for k, a, t in comments) + "</w:comments>")
    return buf.getvalue()


def test_comments_on_text_only_old_has_come_back(tmp_path):
    """Comments anchored on OLD's deleted words, on a deleted paragraph, and starting in
    deleted words and ending in kept ones: after reject-all each is there on all its words; after accept-all they
    are gone with the text (as in Word); NEW's own comment stays in both."""
    cs = '<w:commentRangeStart w:id="{}"/>'.format
    ce = '<w:commentRangeEnd w:id="{0}"/><w:r><w:commentReference w:id="{0}"/></w:r>'.format
    kept = para(runs=_r("Kept ") + cs(3) + _r("words here and") + ce(3) + _r(" more."))
    old = _with_comments(make_docx(
        para(runs=_r("Parties shall report ") + cs(1) + _r("every three years") + ce(1) + _r(".")) +
        para(runs=cs(2) + _r("A paragraph that goes away.") + ce(2)) + kept +
        para(runs=_r("Members ") + cs(4) + _r("must") + _r(" act now.") + ce(4)) +
        para(runs=_r("Governments ") + cs(5) + _r("will report") + _r(" progress yearly") + ce(5) + _r("."))),
        [(1, "EU", "Why three?"), (2, "AOSIS", "Keep this."), (3, "LMDC", "Stays in NEW."), (4, "AGN", "Starts in deleted words."),
         (5, "SIDS", "Ends in deleted words.")])
    new = _with_comments(make_docx(para("Parties shall report.") + kept + para("Members act now.") + para("Governments will report.")),
                         [(3, "LMDC", "Stays in NEW.")])
    _, data = roundtrip(tmp_path, old, new)
    seen = lambda accept: sorted((c.author, c.text, c.anchor) for c in read(  # noqa: E731
        _write(tmp_path / "v.docx", review_package(data, accept))).comments)
    assert seen(True) == [("LMDC", "Stays in NEW.", "words here and")]
    assert seen(False) == sorted([("EU", "Why three?", "every three years"), ("AOSIS", "Keep this.", "A paragraph that goes away."),
                                  ("LMDC", "Stays in NEW.", "words here and"),
                                  ("AGN", "Starts in deleted words.", "must act now."),
                                  ("SIDS", "Ends in deleted words.", "will report progress yearly")])


def _write(path, data):
    path.write_bytes(data)
    return path


def _parts(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_kept_parse_gives_the_same_redline_without_reading_again(tmp_path, monkeypatch):
    """`package.keeping()` (the CLI's compare → .docx): the writer edits the reads'
    own parses, and writes what it writes after reading both files again."""
    from negotiate.export import package
    real = package.read_docx
    for name in ("words", "numbered", "table", "nested table", "split and merge", "moved", "text box in a table"):
        a, b = CASES[name]
        (tmp_path / "old.docx").write_bytes(make_docx(a))
        (tmp_path / "new.docx").write_bytes(make_docx(b))
        ref = tmp_path / "ref.docx"
        redline.write(compare(read(tmp_path / "old.docx"), read(tmp_path / "new.docx")), ref, date="2026-03-01T10:00:00Z")
        with package.keeping():
            old, new = read(tmp_path / "old.docx"), read(tmp_path / "new.docx")
        cmp = compare(old, new)
        calls: list = []
        monkeypatch.setattr(package, "read_docx", lambda *a, calls=calls, **k: calls.append(a[0]) or real(*a, **k))
        out = tmp_path / "kept.docx"
        redline.write(cmp, out, date="2026-03-01T10:00:00Z")
        assert calls == [], name
        assert _parts(out.read_bytes()) == _parts(ref.read_bytes()), name
        # The writer edited the kept trees: a second write reads the files again, and agrees.
        redline.write(cmp, tmp_path / "again.docx", date="2026-03-01T10:00:00Z")
        assert len(calls) == 2
        assert _parts((tmp_path / "again.docx").read_bytes()) == _parts(ref.read_bytes()), name
        monkeypatch.setattr(package, "read_docx", real)
    # Outside keeping() nothing is kept.
    d = read(tmp_path / "new.docx")
    assert id(d) not in package._KEPT


def test_old_kept_serialized_gives_the_same_redline(tmp_path):
    """The CLI's compare → .docx keeps OLD with `keeping(compact=True)`: its plain
    paragraphs serialized (docx.CompactSources), each one's Source made again when
    the writer asks. Every source made again is the one a full read gives, and the
    redline is the same; paragraphs with more than runs in them (a hyperlink, a
    text box, a field) stay in the tree."""
    from lxml import etree

    from negotiate.export import package
    from negotiate.ingest import docx as dx

    def shape(src):
        def el(x):
            return etree.tostring(x, with_tail=False) if hasattr(x, "tag") else x
        return (src.story, [el(p) for p in src.paras], [(s, e, k, el(x), el(o)) for s, e, k, x, o in src.pieces],
                [(s, e, k, el(x), el(o)) for s, e, k, x, o in src.label])
    serialized = kept = 0
    for name in ("words", "numbered", "formatting", "split and merge", "moved", "line break and hyperlink",
                 "text box", "field", "moved into a table", "equation", "table"):
        a, b = CASES[name]
        (tmp_path / "old.docx").write_bytes(make_docx(a))
        (tmp_path / "new.docx").write_bytes(make_docx(b))
        ref = tmp_path / "ref.docx"
        redline.write(compare(read(tmp_path / "old.docx"), read(tmp_path / "new.docx")), ref, date="2026-03-01T10:00:00Z")
        with package.keeping(compact=True):
            old = read(tmp_path / "old.docx")
        with package.keeping():
            new = read(tmp_path / "new.docx")
        srcs = package._KEPT[id(old)][2]
        assert isinstance(srcs, dx.CompactSources), name
        full: list = []
        data = (tmp_path / "old.docx").read_bytes()
        dx.read_docx(str(tmp_path / "old.docx"), data, sources=full)
        assert len(srcs) == len(full), name
        assert [shape(srcs[i]) for i in range(len(full))] == [shape(s) for s in full], name
        serialized += sum(1 for r in srcs._rec if r >= 0)
        kept += sum(1 for r in srcs._rec if r < 0)
        srcs.release()
        out = tmp_path / "compact.docx"
        redline.write(compare(old, new), out, date="2026-03-01T10:00:00Z")
        assert _parts(out.read_bytes()) == _parts(ref.read_bytes()), name
    assert serialized and kept


def _cells(path):
    """Where each cell paragraph stands: (table, row, cell) and its text; and the
    number of cells in each row (a cell left empty on reject is a wrong table)."""
    from lxml import etree
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    shape = [len(tr.findall("w:tc", ns)) for tr in root.iter("{%s}tr" % ns["w"])]
    return [(b.marker, b.text) for b in read(path).blocks if b.kind == "table cell"], shape


MULTI = {   # cells of several paragraphs (a block each since issue 13)
    "one paragraph of a cell edited": (
        table([cell(para("a1"), para("Parties shall report every three years."), para("a3")), cell(para("b1"))]),
        table([cell(para("a1"), para("Parties should report every two years."), para("a3")), cell(para("b1"))])),
    "paragraph inserted and deleted in a cell": (
        table([cell(para("first of cell"), para("goes away entirely now"), para("last of cell"))]),
        table([cell(para("first of cell"), para("last of cell"), para("a brand new closing line"))])),
    "cell only OLD has": (
        table([cell(para("kept cell")), cell(para("gone one"), para("gone two"))]),
        table([cell(para("kept cell"))])),
    "cell only NEW has": (
        table([cell(para("kept cell"))]),
        table([cell(para("kept cell")), cell(para("new one"), para("new two"))])),
    "row of several paragraphs deleted": (
        table([cell(para("r1 a"), para("r1 b"))], [cell(para("row two first"), para("row two second"))]),
        table([cell(para("r1 a"), para("r1 b"))])),
    "nested table among a cell's paragraphs": (
        table([cell(para("before inner"), table([cell(para("inner old"), para("inner two"))]), para("after inner"))]),
        table([cell(para("before inner"), table([cell(para("inner new"), para("inner two"))]), para("after inner, edited"))])),
    "moved into a table": CASES["moved into a table"],
}


def test_a_cells_paragraphs_are_blocks_of_their_own(tmp_path):
    (tmp_path / "n.docx").write_bytes(make_docx(MULTI["nested table among a cell's paragraphs"][1]))
    doc = read(tmp_path / "n.docx")
    assert [(b.kind, b.text) for b in doc.blocks if b.kind != "header"] == [
        ("table cell", "before inner"), ("table cell", "inner new"), ("table cell", "inner two"),
        ("table cell", "after inner, edited")]
    assert [b.marker for b in doc.blocks if b.kind != "header"] == ["table 1, row 1, cell 1", "table 2, row 1, cell 1",
                                              "table 2, row 1, cell 1", "table 1, row 1, cell 1"]


@pytest.mark.parametrize("name", list(MULTI))
def test_cells_of_several_paragraphs_round_trip(tmp_path, name):
    a, b = MULTI[name]
    n, data = roundtrip(tmp_path, make_docx(a), make_docx(b))
    assert n > 0
    # Each paragraph back in its own cell, not only the words in order.
    (tmp_path / "o.docx").write_bytes(make_docx(a))
    (tmp_path / "n.docx").write_bytes(make_docx(b))
    for accept, want in ((True, "n.docx"), (False, "o.docx")):
        (tmp_path / "v.docx").write_bytes(review_package(data, accept))
        assert _cells(tmp_path / "v.docx") == _cells(tmp_path / want), accept


def _stretches(data: bytes) -> int:
    from negotiate.export.package import count_stretches
    from negotiate.ooxml import Package
    return count_stretches(Package("r.docx", data))


def test_deletion_after_a_changed_label_reads_as_one(tmp_path):
    """'3. To pursue' → '2. Increasing': OLD's label and words one deletion, NEW's one
    insertion (not four alternating stretches)."""
    a = para("1. Kept paragraph one.") + para("3. To pursue sustainable development here.")
    b = para("1. Kept paragraph one.") + para("2. Increasing the ability to adapt sustainable development here.")
    n, data = roundtrip(tmp_path, make_docx(a), make_docx(b))
    assert _stretches(data) == 2


def test_blank_lines_between_inserted_paragraphs_go_with_them(tmp_path):
    kept = para("Kept paragraph at the start of the text.")
    new = [para(f"Inserted paragraph number {w} with words of its own.") for w in ("one", "two", "three")]
    a = kept + para("") + para("Closing paragraph, kept as well.")
    b = kept + para("") + (para("")).join(new) + para("") + para("Closing paragraph, kept as well.")
    n, data = roundtrip(tmp_path, make_docx(a), make_docx(b))
    assert _stretches(data) == 1
    # Rejecting takes the blank lines between them away too; the ones around stay.
    from lxml import etree
    with zipfile.ZipFile(io.BytesIO(review_package(data, False))) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    texts = ["".join(p.itertext()) for p in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")]
    assert texts == ["Kept paragraph at the start of the text.", "", "", "Closing paragraph, kept as well."]


def test_libreoffice_reads_cells_of_several_paragraphs(tmp_path):
    """LibreOffice's own accept-all and reject-all of each multi-paragraph-cell redline
    read each version's words, in order."""
    exe = soffice()
    names, words = [], {}
    for k, (a, b) in enumerate(MULTI.values()):
        d = tmp_path / str(k)
        d.mkdir()
        roundtrip(d, make_docx(a), make_docx(b))
        (tmp_path / f"r{k}.docx").write_bytes((d / "r.docx").read_bytes())
        names.append(str(tmp_path / f"r{k}.docx"))
        words[k] = [" ".join(x.text for x in read(d / f).blocks if x.kind != "header").split() for f in ("new.docx", "old.docx")]
    subprocess.run([exe, "--headless", "--convert-to", "fodt", "--outdir", str(tmp_path), *names],
                   check=True, capture_output=True, timeout=300)
    skip = ("UNEP/TEST/1", "—", "running", "header")
    for k, name in enumerate(MULTI):
        accepted, rejected = libreoffice_views(tmp_path / f"r{k}.fodt")
        assert [w for w in accepted.split() if w not in skip] == words[k][0], name
        assert [w for w in rejected.split() if w not in skip] == words[k][1], name


def test_reject_keeping_comments_keeps_the_anchors_of_a_comment_on_an_insertion():
    """ooxml.review(keep_comments=True), used when a party-inputs .docx is rewritten from its rejected
    text: a delegation's comment on its own inserted words keeps its range marks and its reference
    (in a run of their own, without the inserted text); Word's plain reject drops them."""
    from lxml import etree

    from negotiate.ooxml import W_NS, qn, review
    xml = (f'<w:body xmlns:w="{W_NS}"><w:p><w:r><w:t>Parties shall </w:t></w:r>'
           '<w:ins w:id="1" w:author="EU" w:date="2024-11-18T00:00:00Z"><w:commentRangeStart w:id="7"/>'
           '<w:r><w:rPr><w:b/></w:rPr><w:t>promptly </w:t></w:r><w:commentRangeEnd w:id="7"/>'
           '<w:r><w:rPr><w:b/></w:rPr><w:t>x</w:t><w:commentReference w:id="7"/></w:r></w:ins>'
           '<w:r><w:t>report.</w:t></w:r></w:p></w:body>')
    for keep in (True, False):
        root = etree.fromstring(xml)
        review(root, accept=False, keep_comments=keep)
        assert "".join(root.itertext()) == "Parties shall report."
        marks = [el.tag for el in root.iter(qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:commentReference"))]
        assert marks == ([qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:commentReference")] if keep else [])
        if keep:
            ref = next(root.iter(qn("w:commentReference"))).getparent()
            assert ref.tag == qn("w:r") and ref.find(qn("w:rPr")) is not None and ref.find(qn("w:t")) is None


def test_a_rewritten_paragraph_redlined_as_a_few_larger_changes(tmp_path):
    """compare's readability policy in the package: fewer revisions than every word change, the round
    trips right both ways, formatting of OLD's deleted words and NEW's inserted ones kept."""
    from negotiate.align import Options
    old = para(runs='<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">Parties shall report every two </w:t></w:r>'
                    '<w:r><w:t xml:space="preserve">years on progress of their mechanism to the body established here.</w:t></w:r>')
    new = para(runs='<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Each Party should report every </w:t></w:r>'
                    '<w:r><w:t xml:space="preserve">five years on outcomes of its stocktake to the committee established there.</w:t></w:r>')
    _, coarse = roundtrip(tmp_path, make_docx(old), make_docx(new))
    _, fine = roundtrip(tmp_path, make_docx(old), make_docx(new), options=Options(island_words=0))
    assert _stretches(coarse) == 2 < _stretches(fine)


def test_a_text_boxs_paragraphs_are_blocks_of_their_own(tmp_path):
    """Each paragraph of a w:txbxContent is a block (as a table cell's are), read once — not again
    from mc:Fallback — and a change in its second paragraph round-trips as that paragraph's."""
    def boxed(*texts):
        ps = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)
        return ('<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                f'<mc:Choice Requires="wps"><w:drawing><w:txbxContent>{ps}</w:txbxContent></w:drawing></mc:Choice>'
                f'<mc:Fallback><w:pict><w:txbxContent>{ps}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    old = make_docx(para("Before the box.") + para(runs=boxed("Box heading", "First boxed paragraph.", "Second boxed one.")))
    new = make_docx(para("Before the box.") + para(runs=boxed("Box heading", "First boxed paragraph.", "Second boxed one, revised.")))
    (tmp_path / "o.docx").write_bytes(old)
    d = read(tmp_path / "o.docx")
    boxed_blocks = [b for b in d.blocks if b.marker.startswith("text box")]
    assert [b.text for b in boxed_blocks] == ["Box heading", "First boxed paragraph.", "Second boxed one."]
    assert len({b.marker for b in boxed_blocks}) == 1
    roundtrip(tmp_path, old, new)
    cmp = compare(d, read_bytes(tmp_path, "n.docx", new))
    changed = [p for p in cmp.pairs if any(o[0] != "equal" for o in p.ops)]
    assert [p.old_text for p in changed] == ["Second boxed one."]


def read_bytes(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    return read(tmp_path / name)
