import pytest

from negotiate import NegotiateError, read


def test_html_blocks_lists_and_tables(tmp_path):
    p = tmp_path / "d.html"
    p.write_text("""<html><head><title>Draft</title><script>var x = '[not text]';</script></head><body>
<h1>I. Introduction</h1><p>1. Parties <b>[shall]</b>
[report].</p><ol type="a"><li>first</li><li>second <i>item</i><ol type="i" start="2"><li>nested</li></ol></li></ol>
<table><tr><td>12.</td><td>Cell [text]</td></tr></table><p>Line<br>break</p></body></html>""", encoding="utf-8")
    doc = read(p)
    assert doc.title == "Draft"
    assert [(b.kind, b.label, b.text) for b in doc.blocks] == [
        ("heading", "I.", "Introduction"), ("paragraph", "1.", "Parties [shall] [report]."),
        ("subparagraph", "a.", "first"), ("subparagraph", "b.", "second item"), ("subparagraph", "ii.", "nested"),
        ("table cell", "12.", ""), ("table cell", "", "Cell [text]"), ("paragraph", "", "Line\nbreak")]
    assert "not text" not in doc.text
    for b in doc.blocks:
        assert doc.text[b.text_start:b.end] == b.text


def test_html_entities_declared_are_refused(tmp_path):
    p = tmp_path / "x.html"
    p.write_text('<!DOCTYPE html [<!ENTITY e SYSTEM "file:///etc/passwd">]><p>&e;</p>', encoding="utf-8")
    with pytest.raises(NegotiateError, match="entity"):
        read(p)


def test_html_without_text(tmp_path):
    p = tmp_path / "e.html"
    p.write_text("<html><body><script>x</script></body></html>", encoding="utf-8")
    with pytest.raises(NegotiateError, match="no text"):
        read(p)
