"""The comparison as PDF (WeasyPrint): text kept, Chinese and Arabic in fonts that have their glyphs."""
import shutil
import subprocess

import pytest

from negotiate import read
from negotiate.compare import compare
from negotiate.export import pdf

from .conftest import CORPORA


def _fonts(path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


@pytest.fixture(autouse=True)
def _poppler():
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils is not installed")


def test_comparison_pdf_has_the_text_and_pages(tmp_path):
    c = compare(read(CORPORA / "framework-v2-streamlined.txt"), read(CORPORA / "framework-v3-revised.txt"))
    out = tmp_path / "c.pdf"
    out.write_bytes(pdf.comparison(c, "Streamlined → Revised"))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Streamlined → Revised" in text and "Side by side" in text and "Inline" not in text
    assert " ".join(c.pairs[5].new_text.split()[:6]) in " ".join(text.split())


def test_chinese_and_arabic_get_their_fonts(tmp_path):
    zh = compare(read(CORPORA / "zh-framework-v1.docx"), read(CORPORA / "zh-framework-v2.docx"))
    (tmp_path / "zh.pdf").write_bytes(pdf.comparison(zh))
    assert "CJK" in _fonts(tmp_path / "zh.pdf")
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("١. تتعاون الأطراف في تنفيذ هذا الاتفاق.\n", encoding="utf-8")
    b.write_text("١. تتعاون الأطراف تعاونا وثيقا في تنفيذ هذا الاتفاق.\n", encoding="utf-8")
    (tmp_path / "ar.pdf").write_bytes(pdf.comparison(compare(read(a), read(b))))
    assert "Arabic" in _fonts(tmp_path / "ar.pdf")


def test_nothing_is_fetched(tmp_path):
    css = tmp_path / "leak.css"
    css.write_text('body::before{content:"LEAKED"}')
    page = (f'<html><head><link rel="stylesheet" href="{css.as_uri()}"></head>'
            f'<body><img src="http://127.0.0.1:9/x.png">ok</body></html>')
    out = tmp_path / "x.pdf"
    out.write_bytes(pdf.from_html(page))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "ok" in text and "LEAKED" not in text
