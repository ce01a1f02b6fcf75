"""PDF input: paragraphs from the text layer's geometry, measured against the
same texts in other formats; broken and hostile PDFs refused with one line."""
import io
import json
import re
import subprocess
import sys

import pytest

from negotiate import NegotiateError, read
from negotiate.align import align
from negotiate.ingest import pdf as pdfmod

from .conftest import brackets_in_order, pdf_of_objects, realtext, soffice


def paired_share(pdf_doc, other):
    """Share of `other`'s paragraphs of five words or more that have a partner at ≥ 0.90."""
    al = align(other, pdf_doc)
    ok = tot = 0
    for l in al.links:
        for i in l.old:
            b = other.blocks[i]
            if b.kind == "footnote" or len(b.text.split()) < 5:
                continue
            tot += 1
            ok += bool(l.new) and l.similarity >= 0.9
    return ok / tot


def test_paris_compilation_pdf_against_its_transcription():
    pdf = read(realtext("paris2015/adp-compilation-4-dec-2015.pdf"))
    md = read(realtext("paris2015/agreement-4-dec-2015.md"))
    assert paired_share(pdf, md) >= 0.90
    labels = [b.label for b in pdf.blocks]
    assert "Pp1" in labels and "Pp16" in labels
    text = pdf.text
    assert "of 46" not in text                       # page numbers dropped
    assert "ADP 2-12 – Draft agreement" not in text  # the running header too


def test_paris_compilation_pdf_brackets_only_real_errors():
    """About 1,680 pairs; the official text's 6 stray ']' and 6 unclosed '[', located;
    nothing invented by page breaks, running headers or footnotes."""
    from negotiate.brackets import analyse
    doc = read(realtext("paris2015/adp-compilation-4-dec-2015.pdf"))
    r = analyse(doc)
    pairs, stray, unclosed = brackets_in_order(doc)
    assert (pairs, len(stray), len(unclosed)) == (1679, 6, 6)
    assert r.totals()["brackets"] == pairs
    assert sorted(e.offset for e in r.errors if "closes nothing" in e.message) == stray
    assert sorted(e.offset for e in r.errors if "never closed" in e.message) == unclosed
    lines = doc.text.split("\n")
    for e in r.errors:
        assert lines[e.line - 1][e.column - 1] in "[]"
        assert e.label or doc.blocks[e.index].text.startswith("[")   # unlabelled only when a bracket hides the label
    # A page break never cuts a paragraph: no unlabelled paragraph starts mid-sentence.
    assert [b.text[:30] for b in doc.blocks if b.kind == "paragraph" and not b.label and b.text[:1].islower()] == []


def test_geneva_text_paragraphs():
    """The Geneva text spaces paragraphs 1.25 lines apart (the BBNJ PDF 1.8): the break
    is measured per document. Its bis/ter labels and its "o" bullets start paragraphs."""
    doc = read(realtext("paris2015/geneva-negotiating-text-12-feb-2015.pdf"))
    starts = [(b.label + " " + b.text).strip() for b in doc.blocks]
    for s in ("d bis. Articulation of NAP and NAMAs", "16.5 septies. Be nationally determined;",
              "o Option (a): Facilitative measures only;", "o Option (b): Facilitative measures and"):
        assert any(x.startswith(s) for x in starts), s
    # Lines of one paragraph stay together across line and page breaks: a paragraph
    # starting in lower case is a bullet or one of the text's two misprinted labels.
    assert [b.text[:18].strip() for b in doc.blocks if b.kind == "paragraph" and not b.label
            and b.text[:1].islower() and not b.text.startswith("o ")] == ["j bis In a manner", "new a. The princip"]


def test_real_pdf_footnotes_and_page_numbers():
    """Footnotes numbered in order (some set in body size, some with the mark raised
    on a line of its own); no page number left in the text."""
    for rel, n in (("paris2015/adp-compilation-4-dec-2015.pdf", 24), ("paris2015/geneva-negotiating-text-12-feb-2015.pdf", 10)):
        doc = read(realtext(rel))
        notes = [b for b in doc.blocks if b.kind == "footnote"]
        assert [b.label for b in notes] == [str(i) for i in range(1, n + 1)], rel
        assert all(b.text and not b.text[0].isdigit() for b in notes)
        assert not [b.text for b in doc.blocks if re.fullmatch(r"[-–\s\d]+(?:of \d+)?", b.text)], rel
    geneva = read(realtext("paris2015/geneva-negotiating-text-12-feb-2015.pdf"))
    assert next(b for b in geneva.blocks if b.kind == "footnote").text.startswith("[Headings and subheadings used")
    # Raised marks come out of the text and link their note, when the note is on that page;
    # a raised exponent stays ("W/m2"), and so does the number of a label ("Pp1").
    dec = read(realtext("paris2015/adp-compilation-4-dec-2015.pdf"))
    linked = {b.label: dec.blocks[b.ref] for b in dec.blocks if b.kind == "footnote" and b.ref is not None}
    assert len(linked) >= 15 and "agreement5" not in dec.text and "{Features4" not in dec.text
    assert "Features" in linked["4"].text and "W/m2" in dec.text
    assert [b.label for b in dec.blocks if b.label.startswith("Pp")][:3] == ["Pp1", "Pp2", "Pp3"]


def test_line_end_hyphens_of_compounds_kept():
    """PDFium marks a hyphen at a line end with U+FFFE; UN texts break lines at the
    hyphens of compounds, which stay."""
    doc = read(realtext("paris2015/adp-compilation-4-dec-2015.pdf"))
    assert "\ufffe" not in doc.text
    for word in ("pre-industrial", "capacity-building", "land-use", "low-carbon"):
        assert word in doc.text
    assert "capacitybuilding" not in doc.text and "preindustrial" not in doc.text


def test_bbnj_pdf_against_the_text_version():
    pdf = read(realtext("bbnj/bbnj-agreement-2023-en.pdf"))
    txt = read(realtext("bbnj/bbnj-agreement-2023-en.txt"))
    assert paired_share(pdf, txt) >= 0.97
    arts = [b for b in pdf.blocks if b.label_type == "article"]
    assert [b.label for b in arts] == [f"Article {i}" for i in range(1, 77)]
    assert all(b.kind == "heading" for b in arts)


@pytest.mark.parametrize("rel", ["bbnj/bbnj-agreement-2023-en.pdf", "paris2015/adp-compilation-4-dec-2015.pdf",
                                 "paris2015/geneva-negotiating-text-12-feb-2015.pdf"])
def test_hyphenated_words_joined_and_offsets_consistent(rel):
    """Offsets index the text `parse --format text` prints; no private-use mark is left in it."""
    pdf = read(realtext(rel))
    for b in pdf.blocks:
        assert pdf.text[b.text_start:b.end] == b.text
        assert pdf.text[b.start:b.text_start].strip() == b.label
    assert not re.search(r"[a-z]- [a-z]", " ".join(b.text for b in pdf.blocks[:200]))
    assert not re.search("[\ue000-\ue002\ufffe]", pdf.text)


def test_broken_font_encoding_is_refused():
    path = realtext("bbnj/bbnj-agreement-2023-zh.pdf")
    with pytest.raises(NegotiateError) as e:
        read(path)
    assert "does not decode to readable text (broken font encoding)" in str(e.value)
    res = subprocess.run([sys.executable, "-m", "negotiate", "parse", str(path)], capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.strip() == f"negotiate: error: {path}: {pdfmod.BROKEN}, or --ocr"   # the CLI's fix added


def _blank_pdf(pages: int) -> bytes:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(595, 842)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_scan_without_text_layer(tmp_path):
    p = tmp_path / "scan.pdf"
    p.write_bytes(_blank_pdf(2))
    with pytest.raises(NegotiateError, match="no text layer"):
        read(p)


def test_truncated_pdf(tmp_path):
    data = realtext("bbnj/bbnj-agreement-2023-en.pdf").read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(data[:5000])
    with pytest.raises(NegotiateError, match="corrupt or truncated|no text"):
        read(p)


def test_not_a_pdf(tmp_path):
    p = tmp_path / "fake.pdf"
    p.write_bytes(b"hello, not a pdf")
    with pytest.raises(NegotiateError, match="not a PDF"):
        read(p)


def _encrypted_pdf() -> bytes:
    """One page behind the standard security handler, with a user password that
    is not empty (its /U entry matches no password PDFium tries)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>"]
    ident = b"<" + b"ab" * 16 + b">"
    return pdf_of_objects(objs, trailer=b" /Encrypt 4 0 R /ID [%s %s]" % (ident, ident))


def test_encrypted_pdf(tmp_path):
    p = tmp_path / "locked.pdf"
    p.write_bytes(_encrypted_pdf())
    with pytest.raises(NegotiateError, match="encrypted"):
        read(p)
    res = subprocess.run([sys.executable, "-m", "negotiate", "parse", str(p)], capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.strip() == f"negotiate: error: {p}: the PDF is encrypted (password-protected); save an unprotected copy"


def test_page_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(pdfmod, "MAX_PAGES", 5)
    p = tmp_path / "long.pdf"
    p.write_bytes(_blank_pdf(6))
    with pytest.raises(NegotiateError, match="6 pages; the limit is 5"):
        read(p)


def _scanned_pdf(path, lines):
    """A 'scan': text drawn into an image, saved as a PDF without a text layer."""
    import glob

    from PIL import Image, ImageDraw, ImageFont
    fonts = glob.glob("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc") + \
        glob.glob("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not fonts:
        pytest.skip("no font to draw a test scan with (fonts-noto-cjk)")
    font = ImageFont.truetype(fonts[0], 40)
    img = Image.new("RGB", (1700, 200 + 110 * len(lines)), "white")
    d = ImageDraw.Draw(img)
    for k, line in enumerate(lines):
        d.text((120, 100 + 110 * k), line, fill="black", font=font)
    img.save(path, "PDF", resolution=200)


def test_ocr_reads_a_scan(tmp_path):
    import shutil
    if not shutil.which("tesseract"):
        if __import__("os").environ.get("CI"):
            pytest.fail("tesseract is missing in CI: .ci/run should have installed it")
        pytest.skip("tesseract is not installed")
    p = tmp_path / "scan.pdf"
    _scanned_pdf(p, ["1. Parties shall report every year.", "", "2. Governments should cooperate."])
    with pytest.raises(NegotiateError, match="no text layer"):
        read(p)
    doc = read(p, ocr=True, ocr_languages=["en"])
    assert [b.label for b in doc.blocks] == ["1.", "2."]
    assert "report every year" in doc.blocks[0].text
    assert doc.format == "pdf" and doc.warnings
    res = subprocess.run([sys.executable, "-m", "negotiate", "parse", str(p), "--ocr", "--ocr-lang", "en"],
                         capture_output=True, text=True)
    assert res.returncode == 0 and "Governments should cooperate" in res.stdout
    assert "OCR [" in res.stderr and "page 1/1" in res.stderr
    # Every command that reads drafts takes --ocr: here a scan against its typed successor.
    new = tmp_path / "typed.txt"
    new.write_text("1. Parties shall report every two years.\n\n2. Governments should cooperate.\n", encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "negotiate", "align", str(p), str(new), "--ocr", "--ocr-lang", "en",
                          "--format", "json"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    ops = [(a["old"], a["new"], a["op"]) for a in json.loads(res.stdout)["alignment"]]
    assert ops == [([0], [0], "modified"), ([1], [1], "equal")]
    res = subprocess.run([sys.executable, "-m", "negotiate", "align", str(p), str(new)], capture_output=True, text=True)
    assert res.returncode == 2 and "use --ocr" in res.stderr


@pytest.mark.parametrize("case", ["encrypted", "scan", "truncated", "too long"])
def test_bad_pdfs_one_line_exit_2(case, tmp_path, monkeypatch, capsys):
    from negotiate.cli import main
    p = tmp_path / f"{case.replace(' ', '-')}.pdf"
    if case == "encrypted":
        p.write_bytes(_encrypted_pdf())
    elif case == "scan":
        p.write_bytes(_blank_pdf(1))
    elif case == "truncated":
        p.write_bytes(_blank_pdf(3)[:300])
    else:
        monkeypatch.setattr(pdfmod, "MAX_PAGES", 2)
        p.write_bytes(_blank_pdf(3))
    for command in (["parse", str(p)], ["brackets", str(p)], ["compare", str(p), str(p), "-o", str(tmp_path / "r.docx")]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"negotiate: error: {p}: ")
        assert "Traceback" not in err


_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.25cm"
   fo:margin-left="1cm" fo:text-indent="-1cm"/><style:text-properties fo:font-size="11pt"/></style:style>
  <style:style style:name="Small" style:family="paragraph"><style:text-properties fo:font-size="8pt"/></style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
   fo:margin-top="1.2cm" fo:margin-bottom="1.2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.5cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.5cm"/></style:footer-style>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
  <style:header><text:p text:style-name="Small">SAICM/IP.4/2</text:p></style:header>
  <style:footer><text:p text:style-name="Small">GE.26-01234</text:p>
   <text:p text:style-name="Small">- <text:page-number text:select-page="current">1</text:page-number> -</text:p></style:footer>
 </style:master-page></office:master-styles>
 <office:body><office:text>
  <text:p text:style-name="Standard">Compilation of views on the framework</text:p>
  PARAGRAPHS
 </office:text></office:body>
</office:document>"""


def test_pdf_made_by_libreoffice_headers_footers_footnotes_page_breaks(tmp_path):
    """A four-page compilation of our own, printed to PDF by LibreOffice: the symbol
    in the running header is read, the header, job number and `- N -` page numbers
    are dropped, the footnote is a footnote block, and every paragraph comes back
    whole, with its label, however the pages break it."""
    import random
    from xml.sax.saxutils import escape
    exe = soffice()
    rnd = random.Random(3)
    vocab = ("Parties shall enhance cooperation on the sound management of chemicals and waste including "
             "through capacity-building technology transfer and financial resources in accordance with "
             "national circumstances and priorities").split()
    texts, paras = [], []
    for i in range(1, 41):
        t = " ".join(rnd.choice(vocab) for _ in range(rnd.randint(25, 90)))
        t = t[0].upper() + t[1:] + "."
        half = t.rfind(" ", 0, len(t) // 2)
        note = ('<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
                '<text:note-body><text:p text:style-name="Small">See SAICM/IP.4/INF/3 for the views.</text:p>'
                '</text:note-body></text:note>') if i == 7 else ""
        texts.append(t)             # the note's mark comes out of the text; the note is linked to it
        paras.append(f'<text:p text:style-name="Standard">{i}.<text:tab/>{escape(t[:half])}{note}{escape(t[half:])}</text:p>')
    src = tmp_path / "compilation.fodt"
    src.write_text(_FODT.replace("PARAGRAPHS", "\n".join(paras)), encoding="utf-8")
    subprocess.run([exe, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    doc = read(tmp_path / "compilation.pdf")
    assert doc.symbol == "SAICM/IP.4/2"
    assert "GE.26" not in doc.text and not re.search(r"- \d -", doc.text)
    body = [b for b in doc.blocks if b.kind != "footnote"]
    assert [b.label for b in body] == [""] + [f"{i}." for i in range(1, 41)]
    pages = {b.style for b in body}
    assert len(pages) >= 3                                   # the text did run over several pages
    assert [" ".join(b.text.split()) for b in body[1:]] == texts
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert [(b.label, b.text) for b in notes] == [("1", "See SAICM/IP.4/INF/3 for the views.")]
    assert doc.blocks[notes[0].ref].label == "7." and doc.blocks[notes[0].ref].notes == [notes[0].index]
