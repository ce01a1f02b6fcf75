"""PDF input: paragraphs from the text layer's geometry, measured against the
same texts in other formats; broken and hostile PDFs refused with one line."""
import io
import re
import subprocess
import sys

import pytest

from negotiate import NegotiateError, read
from negotiate.align import align
from negotiate.ingest import pdf as pdfmod

from .conftest import realtext


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


def test_bbnj_pdf_against_the_text_version():
    pdf = read(realtext("bbnj/bbnj-agreement-2023-en.pdf"))
    txt = read(realtext("bbnj/bbnj-agreement-2023-en.txt"))
    assert paired_share(pdf, txt) >= 0.97
    arts = [b for b in pdf.blocks if b.label_type == "article"]
    assert [b.label for b in arts] == [f"Article {i}" for i in range(1, 77)]
    assert all(b.kind == "heading" for b in arts)


def test_hyphenated_words_joined_and_offsets_consistent():
    pdf = read(realtext("bbnj/bbnj-agreement-2023-en.pdf"))
    for b in pdf.blocks:
        assert pdf.text[b.text_start:b.end] == b.text
    assert not re.search(r"[a-z]- [a-z]", " ".join(b.text for b in pdf.blocks[:200]))


def test_broken_font_encoding_is_refused():
    path = realtext("bbnj/bbnj-agreement-2023-zh.pdf")
    with pytest.raises(NegotiateError) as e:
        read(path)
    assert "does not decode to readable text (broken font encoding)" in str(e.value)
    res = subprocess.run([sys.executable, "-m", "negotiate", "parse", str(path)], capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stderr.strip() == f"negotiate: error: {path}: {pdfmod.BROKEN}"


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
