import codecs
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiate import NegotiateError, read


def _read(tmp_path, content, name="d.txt", raw=None):
    p = tmp_path / name
    if raw is not None:
        p.write_bytes(raw)
    else:
        p.write_text(content, encoding="utf-8")
    return read(p)


def _squeeze(s):
    return re.sub(r"\s+", "", s)


def covered(doc):
    """Everything the blocks hold, whitespace aside, in order."""
    return "".join(_squeeze(b.marker + b.label + b.text) for b in doc.blocks)


def test_blocks_labels_paths_and_offsets(tmp_path):
    text = ("I. Introduction\n\n1. Parties shall report.\n\n(a) annually;\n(b) in writing.\n"
            "12 bis. Inserted text\ncontinued on a second line.\n\nAlt 1 Other text\n")
    doc = _read(tmp_path, text)
    got = [(b.kind, b.label, b.path, b.text) for b in doc.blocks]
    assert got == [
        ("heading", "I.", ("I",), "Introduction"),
        ("paragraph", "1.", ("I", "1"), "Parties shall report."),
        ("subparagraph", "(a)", ("I", "1", "(a)"), "annually;"),
        ("subparagraph", "(b)", ("I", "1", "(b)"), "in writing."),
        ("paragraph", "12 bis.", ("I", "12 bis"), "Inserted text\ncontinued on a second line."),
        ("paragraph", "Alt 1", ("I", "12 bis", "Alt 1"), "Other text"),
    ]
    for b in doc.blocks:
        span = doc.text[b.start:b.end]
        assert span.startswith(b.marker + b.label)
        assert span.endswith(b.text)
        assert doc.text[b.text_start:b.end] == b.text
    assert doc.text == text


def test_plain_text_is_the_decoded_file_with_crlf_normalized(tmp_path):
    doc = _read(tmp_path, None, raw=b"1. One\r\n\r\n2. Two\r\n")
    assert doc.text == "1. One\n\n2. Two\n"
    assert [b.label for b in doc.blocks] == ["1.", "2."]
    assert doc.line_col(doc.blocks[1].start) == (3, 1)


@pytest.mark.parametrize("bom,enc", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                     (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_boms(tmp_path, bom, enc):
    doc = _read(tmp_path, None, raw=bom + "1. Les Parties [doivent] agir.\n".encode(enc))
    assert doc.blocks[0].text == "Les Parties [doivent] agir."
    assert not doc.text.startswith("\ufeff")


def test_cp1252_fallback(tmp_path):
    doc = _read(tmp_path, None, raw="1. Parties’ views – “agreed”\n".encode("cp1252"))
    assert doc.blocks[0].text == "Parties’ views – “agreed”"


def test_bullets_before_labels(tmp_path):
    doc = _read(tmp_path, "1. Chapeau:\n- (a) first;\n- (b) second.\n• (c) third.\n")
    assert [(b.marker.strip(), b.label) for b in doc.blocks] == [("", "1."), ("-", "(a)"), ("-", "(b)"), ("•", "(c)")]
    assert doc.blocks[1].path == ("1", "(a)")


def test_wrapped_lines_that_look_like_numbers_do_not_split(tmp_path):
    doc = _read(tmp_path, "1. Hold the increase below\n1.5 °C above pre-industrial levels and\n2015 levels.\n")
    assert len(doc.blocks) == 1


def test_markdown_headings_footnotes_and_emphasis_labels(tmp_path):
    md = ("## Article 2 *(purpose)*\n\n**Option 1:**\n\n1. The purpose[^1] is [x][y].\n\n"
          "    1. Hold the increase;\n\n**Option 2:** No text\n\n[^1]: A note.\n")
    doc = _read(tmp_path, md, name="d.md")
    got = [(b.kind, b.label, b.path) for b in doc.blocks]
    assert got[0] == ("heading", "Article 2", ("Article 2",))
    assert got[1] == ("paragraph", "Option 1:", ("Article 2", "Option 1"))
    assert got[2] == ("paragraph", "1.", ("Article 2", "Option 1", "1"))
    assert got[3] == ("paragraph", "1.", ("Article 2", "Option 1", "1", "1"))
    assert got[4][1:] == ("Option 2:", ("Article 2", "Option 2"))
    assert doc.blocks[4].text == "No text"
    fn = doc.blocks[5]
    assert fn.kind == "footnote" and fn.label == "[^1]" and fn.text == "A note."
    assert fn.ref == 2 and doc.blocks[2].notes == [5]


def test_chinese_labels_without_spaces(tmp_path):
    doc = _read(tmp_path, "第一条用语\n\n（一）“划区管理工具”是指工具；\n\n（二）“公约”是指公约。\n")
    assert [(b.label, b.path) for b in doc.blocks] == [
        ("第一条", ("第一条",)), ("（一）", ("第一条", "（一）")), ("（二）", ("第一条", "（二）"))]
    assert doc.language == "zh"


def test_notes_and_capital_headings(tmp_path):
    doc = _read(tmp_path, "GENERAL PROVISIONS\n\n[Co-facilitators' note: to be discussed.]\n\n1. Text.\n")
    assert [b.kind for b in doc.blocks] == ["heading", "note", "paragraph"]


def test_symbol_and_language(tmp_path):
    doc = _read(tmp_path, "SAICM/IP.4/2\n\nI. Introduction\n\n1. The Parties shall act.\n")
    assert doc.symbol == "SAICM/IP.4/2"
    assert doc.language == "en"


@pytest.mark.parametrize("content,msg", [
    (b"", "empty file"), (b"   \n\n", "empty file"),
    (b"\x00\x01\x02binary\x00", "binary data"), (b"PK\x03\x04zipped", "binary data"),
])
def test_bad_text_inputs(tmp_path, content, msg):
    with pytest.raises(NegotiateError, match=msg):
        _read(tmp_path, None, raw=content)


# -- nothing lost: a property over generated documents -------------------------------

LABELS = st.sampled_from(["1.", "2.", "12 bis.", "(a)", "(b)", "(i)", "(ii)", "Alt 1", "Option A:", "I.", "A.",
                          "Annex", "一、", "（一）", "(c)", "Pp1", "3)", "- (a)", "• 4.", "## ", ""])
WORDS = st.sampled_from(["Parties", "shall", "[should]", "report", "[every", "three", "years]", "G77/China",
                         "1.5", "°C", "(EU)", "2015.", "réunion", "缔约方", "应", "[", "]", "and/or", "—", "*x*"])


@st.composite
def documents(draw):
    paras = draw(st.lists(st.tuples(LABELS, st.lists(WORDS, min_size=0, max_size=12),
                                    st.sampled_from(["\n\n", "\n", "\r\n", "\n\n\n", "\n  "])),
                          min_size=1, max_size=25))
    out = []
    for label, words, sep in paras:
        line = (label + " " if label else "") + " ".join(words)
        out.append(line + sep)
    text = "".join(out)
    if not text.strip():
        text += "x"
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents())
def test_nothing_lost(tmp_path, text):
    p = tmp_path / "gen.txt"
    p.write_bytes(text.encode("utf-8"))
    doc = read(p)
    assert doc.text == text.replace("\r\n", "\n")
    assert covered(doc) == _squeeze(doc.text)
    last = -1
    for b in doc.blocks:
        assert b.start > last and b.end >= b.start
        last = b.end
        assert doc.text[b.text_start:b.end] == b.text


def test_article_label_with_its_text_run_on_only_in_sequence(tmp_path):
    """An article a line ("Article 2 Objective The objective of …"), as OCR extractions give it, is read as
    the next article when the document's first article is written so; "Article 9 of the Convention …" far
    out of sequence stays text, and so does "Article 2 of the Convention …" in a text whose articles have
    headings of their own."""
    p = tmp_path / "ocr.txt"
    p.write_text("Article 1 Use of terms For the purposes of this Agreement, terms mean what they say.\n\n"
                 "-1 Article 2 General objective The objective of this Agreement is to ensure it.\n\n"
                 "Article 9 of the Convention provides for this, as Parties recalled.\n\n"
                 "Article 3 Scope This Agreement applies to areas beyond national jurisdiction.\n", encoding="utf-8")
    d = read(p)
    assert [(b.label, b.marker) for b in d.blocks] == [("Article 1", ""), ("Article 2", "-1 "), ("", ""), ("Article 3", "")]
    assert d.blocks[2].text.startswith("Article 9 of the Convention")
    p.write_text("Article 1\n\nUse of terms\n\n1. Text.\n\n"
                 "Article 2 of the Convention provides for this, as Parties recalled.\n", encoding="utf-8")
    assert [b.label for b in read(p).blocks] == ["Article 1", "", "1.", ""]
