from negotiate.ingest.labels import match
from negotiate.ingest.structure import PathBuilder


def paths(lines):
    pb = PathBuilder()
    return [pb.push(match(s))[1] for s in lines]


def test_letter_i_after_h_is_a_letter():
    out = paths(["1. x", "(g) x", "(h) x", "(i) x", "(j) x"])
    assert out[3] == ("1", "(i)")
    assert out[4] == ("1", "(j)")


def test_roman_after_letter_nests():
    out = paths(["1. x", "(a) x", "(i) x", "(ii) x", "(b) x", "2. x"])
    assert out == [("1",), ("1", "(a)"), ("1", "(a)", "(i)"), ("1", "(a)", "(ii)"), ("1", "(b)"), ("2",)]


def test_sections_close_paragraphs_even_when_first_seen_late():
    out = paths(["1. x", "2. x", "A. Objectives", "3. x", "II. Scope", "4. x", "B. Other", "5. x"])
    assert out[2] == ("A",)
    assert out[3] == ("A", "3")
    assert out[4] == ("II",)
    assert out[6] == ("II", "B")
    assert out[7] == ("II", "B", "5")


def test_annex_restarts_hierarchy():
    out = paths(["I. Intro", "1. x", "Annex I", "1. y", "II. Other"])
    assert out[2] == ("Annex I",)
    assert out[3] == ("Annex I", "1")
    assert out[4] == ("Annex I", "II")


def test_bis_and_alternatives():
    out = paths(["12. x", "12 bis. y", "Alt 1 z", "Alt 2 w", "13. v"])
    assert out == [("12",), ("12 bis",), ("12 bis", "Alt 1"), ("12 bis", "Alt 2"), ("13",)]


def test_combined_paragraph_and_alternative_label():
    out = paths(["11. x", "12. Alt 1 y", "12. Alt 2 z", "13. w"])
    assert out[1] == ("12", "Alt 1")
    assert out[2] == ("12", "Alt 2")
    assert out[3] == ("13",)


def test_chinese_hierarchy():
    out = paths(["一、总则", "(一)目标", "1. 文本", "(a) 文本", "二、范围", "2. 文本"])
    assert out == [("一",), ("一", "(一)"), ("一", "(一)", "1"), ("一", "(一)", "1", "(a)"), ("二",), ("二", "2")]


def test_preamble_heading_is_a_section(tmp_path):
    """A "Preamble" heading before the first article opens a section, so the
    preamble's Option 1 / Option 2 are not top-level sections; Article 1 closes it."""
    from negotiate import read
    p = tmp_path / "draft.md"
    p.write_text("# Draft agreement\n\nEdited version\n\n# Preamble\n\nThe Parties,\n\nOption 1: *Recognizing* x,\n\n"
                 "Option 2: *Recognizing* y,\n\n# Article 1\n\n1. Text.\n\n# Préambule\n\nNot a section here.\n",
                 encoding="utf-8")
    d = read(p)
    got = [(b.kind, b.path) for b in d.blocks]
    assert got == [("heading", ()), ("paragraph", ()), ("heading", ("Preamble",)), ("paragraph", ("Preamble",)),
                   ("paragraph", ("Preamble", "Option 1")), ("paragraph", ("Preamble", "Option 2")),
                   ("heading", ("Article 1",)), ("paragraph", ("Article 1", "1")),
                   ("heading", ("Article 1", "1")), ("paragraph", ("Article 1", "1"))]
