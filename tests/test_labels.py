import pytest

from negotiate.ingest import labels


@pytest.mark.parametrize("line,label,typ,comps", [
    ("12. Parties shall", "12.", "para-arabic", ("12",)),
    ("12 bis. Text", "12 bis.", "para-arabic", ("12 bis",)),
    ("12bis. Text", "12bis.", "para-arabic", ("12bis",)),
    ("12 quater. Text", "12 quater.", "para-arabic", ("12 quater",)),
    ("(a) text", "(a)", "sub-letter", ("(a)",)),
    ("(a bis) text", "(a bis)", "sub-letter", ("(a bis)",)),
    ("(iv) text", "(iv)", "sub-roman", ("(iv)",)),
    ("a) text", "a)", "subb-letter", ("a)",)),
    ("а) текст", "а)", "subb-letter", ("а)",)),
    ("Alt 1 text", "Alt 1", "alt", ("Alt 1",)),
    ("Alt. 2 text", "Alt. 2", "alt", ("Alt. 2",)),
    ("Option A: text", "Option A:", "alt", ("Option A",)),
    ("Option 3: {No text required}", "Option 3:", "alt", ("Option 3",)),
    ("12. Alt 1 text", "12. Alt 1", "alt", ("12", "Alt 1")),
    ("Alternative to paragraph 12", "Alternative to paragraph 12", "alt-to", ("Alternative to paragraph 12",)),
    ("Variante 2 texte", "Variante 2", "alt", ("Variante 2",)),
    ("Opción B: texto", "Opción B:", "alt", ("Opción B",)),
    ("Вариант 1 текст", "Вариант 1", "alt", ("Вариант 1",)),
    ("I. Introduction", "I.", "section-roman", ("I",)),
    ("A. Objectives", "A.", "subsection-letter", ("A",)),
    ("Annex I", "Annex I", "annex", ("Annex I",)),
    ("ANNEX", "ANNEX", "annex", ("ANNEX",)),
    ("PART I", "PART I", "part", ("PART I",)),
    ("Article 2bis *(general)*", "Article 2bis", "article", ("Article 2bis",)),
    ("Artículo 5", "Artículo 5", "article", ("Artículo 5",)),
    ("Article premier", "Article premier", "article", ("Article premier",)),   # French for Article 1
    ("Статья 1", "Статья 1", "article", ("Статья 1",)),
    ("المادة 1 استخدام المصطلحات", "المادة 1", "article", ("المادة 1",)),
    ("Pp1 Recalling", "Pp1", "pp", ("Pp1",)),
    ("1.1 Parties shall", "1.1", "para-decimal", ("1.1",)),
    # The Geneva negotiating text (2015) inserts with bis/ter on every kind of label.
    ("16.5 septies. Be nationally determined;", "16.5 septies.", "para-decimal", ("16.5 septies",)),
    ("31 terdecies. A clearing house", "31 terdecies.", "para-arabic", ("31 terdecies",)),
    ("d bis. Articulation of NAP", "d bis.", "subd-letter", ("d bis",)),
    ("c quater. Promoting synergy", "c quater.", "subd-letter", ("c quater",)),
    ("١٢. نص", "١٢.", "para-arabic", ("١٢",)),
    ("一、总则", "一、", "zh-section", ("一",)),
    ("(一)目标", "(一)", "zh-item", ("(一)",)),
    ("（十一）“缔约方”是指", "（十一）", "zh-item", ("（十一）",)),
    ("第一条用语", "第一条", "article", ("第一条",)),
    ("第一部分一般规定", "第一部分", "part", ("第一部分",)),
    ("附件一", "附件一", "annex", ("附件一",)),
])
def test_label_grammar(line, label, typ, comps):
    m = labels.match(line)
    assert m is not None, line
    assert m.label == label
    assert typ in [c.type for c in m.candidates]
    assert m.components == comps


@pytest.mark.parametrize("line", [
    "Annex I Parties shall take the lead.",
    "Article 4 of the Convention provides that.",
    "1.5 °C above pre-industrial levels",
    "2.5 per cent of emissions",
    "2015. In that year",
    "G77/China proposes",
    "e.g. the following",
    "Options 1 and 2 were merged.",
    "",
])
def test_not_labels(line):
    assert labels.match(line) is None


def test_roman_or_letter_is_ambiguous_until_context():
    m = labels.match("(i) text")
    kinds = {c.type for c in m.candidates}
    assert kinds == {"sub-roman", "sub-letter"}
    assert m.best.type == "sub-roman"   # without context: the first roman item
    assert labels.match("(c) text").best.type == "sub-letter"


def test_heading_like_roman_section_versus_paragraph():
    assert labels.match("II. Vision").best.kind == "heading"
    assert labels.match("II. Parties shall act on the matters set out below and report on them.").best.kind == "paragraph"


def test_classify_only_whole_labels():
    assert labels.classify("(a)").label == "(a)"
    assert labels.classify("•") is None


def test_a_labels_reading_kept_for_reuse_is_the_reading_of_each_line():
    # labels.match keeps each (type, label, heading_like) reading; a line reads the same
    # whether its label was seen before or not, heading-like or not.
    from negotiate.ingest import labels
    lines = ["1. The Parties shall report.", "1. Introduction", "I. Scope", "I. The scope is wide.",
             "(a) first;", "(i) second;", "Article 2 Purpose", "Article 2 of the Convention provides that",
             "12 bis. Text", "A. Finance", "A. a sentence.", "1.5 °C is the goal", "一、目标", "（一）缔约方"]
    labels._READ.clear()
    fresh = [labels.match(line) for line in lines]
    again = [labels.match(line) for line in lines]   # every reading from the kept ones now
    assert labels._READ and again == fresh
    labels._READ.clear()
    alone = []
    for line in lines:   # each line with nothing kept before it
        labels._READ.clear()
        alone.append(labels.match(line))
    assert alone == fresh
    assert fresh[0].heading_like is False and fresh[1].heading_like is True


def test_label_patterns_do_not_depend_on_the_hash_seed():
    """The label-word alternations are built from sets: ties in length must not follow the set's
    order, which changes with PYTHONHASHSEED (the patterns, and the compiled-rule cache keyed
    by them, would differ from one process to the next)."""
    import os
    import subprocess
    import sys
    code = ("import negotiate.lang as l, negotiate.markup as m, negotiate.ingest.labels as b;"
            "print([l.words(a) for a in ('ANNEX', 'ARTICLE', 'ALTERNATIVE', 'CHAPTER', 'PART')], m._NO_TEXT.pattern)")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env=dict(os.environ, PYTHONHASHSEED=str(seed))).stdout for seed in (1, 2, 3, 4)}
    assert len(outs) == 1
