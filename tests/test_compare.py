import pytest

from negotiate import read
from negotiate.compare import classify, compare
from negotiate.diff import diff_tokens

from .conftest import CORPORA


@pytest.mark.parametrize("a,b,classes", [
    ("Parties [shall][should] report.", "Parties shall report.", ["alternative-chosen"]),
    ("Parties [shall/should] report.", "Parties should report.", ["alternative-chosen"]),
    ("Parties [shall][should][may] report.", "Parties [shall][may] report.", ["option-dropped"]),
    ("Parties report [every year].", "Parties report every year.", ["bracket-removed", "bracket-removed"]),
    ("Parties report every year.", "Parties report [every year].", ["bracket-added", "bracket-added"]),
    ("Parties report, every year.", "Parties report every year", ["punctuation", "punctuation"]),
    ("Parties report annually.", "Parties publish annually.", ["replaced"]),
    ("Parties report.", "Parties report annually.", ["added"]),
    ("Parties report annually.", "Parties report.", ["removed"]),
    ("各国政府[应][宜]报告。", "各国政府应报告。", ["alternative-chosen"]),
    ("各国政府应报告。", "各国政府应［酌情］报告。", ["added"]),
    ("Les Parties [doivent][devraient] agir.", "Les Parties doivent agir.", ["alternative-chosen"]),
])
def test_classes(a, b, classes):
    lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in a) else "en"
    assert [c.cls for c in classify(a, b, diff_tokens(a, b, lang))] == classes


def test_label_only_change_and_summary(tmp_path):
    (tmp_path / "a.txt").write_text("1. Alpha text here.\n\n2. Parties [shall][should] act.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("1. New one inserted here.\n\n2. Alpha text here.\n\n3. Parties shall act.\n", encoding="utf-8")
    c = compare(read(tmp_path / "a.txt"), read(tmp_path / "b.txt"))
    alpha = next(p for p in c.pairs if p.old_text == "Alpha text here.")
    assert alpha.link.op == "equal" and [x.cls for x in alpha.changes] == ["label"]
    s = c.summary()
    assert s["paragraphs"]["inserted"] == 1 and s["changes"]["alternative-chosen"] == 1 and s["changes"]["label"] == 2


def test_sections_summary():
    c = compare(read(CORPORA / "framework-v1-compilation.txt"), read(CORPORA / "framework-v2-streamlined.txt"))
    secs = dict(c.by_section())
    assert secs["VI"]["paragraphs"]["moved"] == 1
    assert secs["III"]["paragraphs"]["merged"] == 1
    assert sum(d["changes"]["bracket-removed"] for d in secs.values()) == c.summary()["changes"]["bracket-removed"]


REWRITTEN = ("Parties shall report every two years on the progress of the mechanism to the body.",
             "Each Party should communicate its contribution every five years informed by the outcomes of the stocktake.")
LIGHT = ("Parties shall report every two years.", "Parties should report every three years.")


def test_a_rewritten_paragraph_is_a_few_larger_changes_a_light_edit_every_word(tmp_path):
    """The readability policy (Options.island_words, rewritten_below) is applied where the token
    opcodes are made, so the .docx and the HTML render the same ones (export/html, export/package)."""
    from negotiate.align import Options
    from negotiate.export.html import diff_html

    from .conftest import write_doc
    old = write_doc(tmp_path, "a.txt", "\n\n".join(["1. " + REWRITTEN[0], "2. " + LIGHT[0]]) + "\n")
    new = write_doc(tmp_path, "b.txt", "\n\n".join(["1. " + REWRITTEN[1], "2. " + LIGHT[1]]) + "\n")
    coarse, fine = compare(old, new), compare(old, new, Options(island_words=0))
    changes = lambda p: [o for o in p.ops if o[0] != "equal"]  # noqa: E731
    rewritten = [p for p in coarse.pairs if p.old_text == REWRITTEN[0]]
    assert len(changes(rewritten[0])) == 1 and rewritten[0].changes[0].cls == "replaced"
    assert len(changes(next(p for p in fine.pairs if p.old_text == REWRITTEN[0]))) == 2
    html = diff_html(rewritten[0].old_text, rewritten[0].new_text, rewritten[0].ops)
    assert html.count("<del>") == 1 and html.count("<ins>") == 1
    light = [p for p in coarse.pairs if p.old_text == LIGHT[0]]
    assert light[0].ops == next(p for p in fine.pairs if p.old_text == LIGHT[0]).ops and len(changes(light[0])) == 2


def test_an_alignment_given_is_used():
    """compare() takes the alignment a caller already has (the app shares it with Trace) instead
    of aligning again: the same comparison for the same alignment, and the given links kept."""
    from negotiate.align import align
    old, new = read(CORPORA / "framework-v1-compilation.txt"), read(CORPORA / "framework-v2-streamlined.txt")
    al = align(old, new)
    plain, given = compare(old, new), compare(old, new, alignment=al)
    assert given.alignment is al
    assert [(p.link, p.ops, p.changes) for p in given.pairs] == [(p.link, p.ops, p.changes) for p in plain.pairs]
    first = al.links[:1]
    assert [p.link for p in compare(old, new, alignment=type(al)(first, [])).pairs] == first
