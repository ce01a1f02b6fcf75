"""Word automatic numbering in a redline of text inputs (export/autonum): the levels that show the
number above them — `(a bis)`, `(b ter)` — and a label alone on its line, numbered where both
readings keep their labels. (The sequences themselves: test_export_redline.)"""
import re

from .test_export_redline import libreoffice_shows_both_versions, numbering_xml, renumbered_untracked, texts_redlined


def _paragraph(xml: str, text: str) -> str:
    return next(p for p in xml.split("</w:p>") if text in p)


def test_subparagraph_ordinals_are_automatic(tmp_path):
    """`(a bis)`, `(b ter)` … are levels of the paragraph list showing the subparagraph's letter
    ("(%2 bis)"): a subparagraph inserted before them renumbers them with no tracked change
    ("(b bis)" → "(c bis)"), as it does "12 bis."; one whose letter does not follow stays typed;
    accept and reject give each version's labels, in our reading and LibreOffice's."""
    old = ("1. Alpha:\n\n(a) one;\n\n(b) two;\n\n(b bis) two bis;\n\n(c) three.\n\n2. Beta:\n\n(a) x;\n\n"
           "(a bis) y;\n\n(b) w.\n")
    new = ("1. Alpha:\n\n(a) a new one;\n\n(b) one;\n\n(c) two;\n\n(c bis) two bis;\n\n(c ter) two ter;\n\n"
           "(d) three.\n\n2. A new paragraph.\n\n3. Beta:\n\n(a) x;\n\n(a bis) y;\n\n(a ter) z;\n\n(b) w.\n\n"
           "(d bis) Out of step.\n")
    o, n, xml = texts_redlined(tmp_path, old, new)
    assert xml.count("<w:numPr>") == 13 and ">(d bis)" in xml          # all but the one out of step
    assert not re.search(r">\([a-z]( bis| ter)?\)", xml.replace(">(d bis)", ""))
    numbering = numbering_xml(tmp_path / "r.docx")
    assert 'w:val="(%2 bis)"' in numbering and 'w:val="(%2 ter)"' in numbering
    assert max(int(v) for v in re.findall(r'<w:ilvl w:val="(\d+)"', xml)) <= 8      # Word's nine levels
    assert renumbered_untracked(xml, "two bis;")      # "(b bis)" → "(c bis)" by Word
    libreoffice_shows_both_versions(tmp_path / "r.docx", o, n)


def test_levels_past_words_nine_stay_typed(tmp_path):
    """A document needing every level of the paragraph list (1.1, 1.1., bis/ter/quater and (a bis) …)
    needs more than Word's nine: "(a bis)" takes the ninth, "(a ter)" and "(a quater)" find none
    and stay typed — and both readings still give their labels."""
    text = ("1. Alpha:\n\n1.1 Sub.\n\n1.1. Dotted sub.\n\n(a) one;\n\n(a bis) one bis;\n\n(a ter) one ter;\n\n"
            "(a quater) one quater.\n\n1 bis. Bis.\n\n1 ter. Ter.\n\n1 quater. Quater.\n\n2. Beta.\n")
    o, n, xml = texts_redlined(tmp_path, text, text.replace("Beta.", "Beta, changed."))
    assert ">(a ter)" in xml and ">(a quater)" in xml and ">(a bis)" not in xml
    assert xml.count("<w:numPr>") == 9
    assert {int(v) for v in re.findall(r'<w:ilvl w:val="(\d+)"', xml)} == set(range(9)) - {2}   # (i) unused


def test_a_label_alone_on_its_line_is_numbered(tmp_path):
    """The text reader joins a label alone on its line to the text on the next ("2.\\nBeta" is one
    block) and keeps a label with no text as a block of its own ("3." then a blank line): both
    are numbered, so an inserted paragraph renumbers them with no tracked change, and the
    paragraphs after them stay in the sequence. Accept and reject give each version's labels
    (our docx reader keeps a numbered paragraph with no text: it shows its number)."""
    old = "1. Alpha.\n\n2.\nBeta, its text on the next line.\n\n3.\n\n(a)\nfirst item;\n\n(b)\n\n4. Gamma.\n"
    new = ("1. Alpha.\n\n2. Inserted.\n\n3.\nBeta, its text on the next line.\n\n4.\n\n(a)\nfirst item;\n\n(b)\n\n"
           "(c)\n\n5. Gamma.\n")
    o, n, xml = texts_redlined(tmp_path, old, new)
    assert [(b.label, b.text) for b in n.blocks] == [
        ("1.", "Alpha."), ("2.", "Inserted."), ("3.", "Beta, its text on the next line."), ("4.", ""),
        ("(a)", "first item;"), ("(b)", ""), ("(c)", ""), ("5.", "Gamma.")]
    assert xml.count("<w:numPr>") == 8                                   # every label, none typed
    assert not re.search(r">(\d+\.|\([a-z]\))<", xml)
    alone = [p for p in xml.split("</w:p>") if "<w:numPr>" in p and "<w:t" not in p and "<w:delText" not in p]
    assert len(alone) == 3                      # "3."→"4.", "(b)", the inserted "(c)": no text, a number each
    assert "<w:ins " not in alone[0] and "<w:del " not in alone[0]       # renumbered by Word
    assert "<w:ins " in alone[2]                                         # the inserted one: its mark
    libreoffice_shows_both_versions(tmp_path / "r.docx", o, n)


def test_a_label_with_no_text_in_one_version(tmp_path):
    """A paragraph whose text one version drops ("3. Text." → "3."): numbered, its text deleted;
    the other way round too; Article and Annex headings alone on their line are numbered as well."""
    old = "Article 1\n\n1. Alpha.\n\n2. Beta.\n\n3.\n\nAnnex I\n\n1. Zeta.\n"
    new = "Article 1\n\n1. Alpha.\n\n2.\n\n3. Gamma, new text.\n\nAnnex I\n\n1. Zeta.\n"
    o, n, xml = texts_redlined(tmp_path, old, new)
    assert xml.count("<w:numPr>") == 7 and not re.search(r">(\d+\.|Article 1|Annex I)<", xml)
    assert "<w:numPr>" in _paragraph(xml, "Beta.") and "<w:del " in _paragraph(xml, "Beta.")
