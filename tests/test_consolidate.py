import json
import random
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiate import NegotiateError, read
from negotiate.consolidate import Style, build, from_json, proposals_from_revisions, render_text, render_unit, resolve, to_json

from .conftest import CORPORA
from .conftest import write_doc as write

BASE = CORPORA / "framework-v2-streamlined.txt"


def blocks(doc):
    return [(b.label, b.text) for b in doc.blocks]



def test_every_party_recovered_from_the_corpora():
    props = [read(CORPORA / "framework-v3-revised.txt"), read(CORPORA / "framework-v1-compilation.docx"),
             read(CORPORA / "framework-v2-streamlined.docx")]
    names = ["EU", "G77/China", "Norway"]
    c = build(read(BASE), props, names)
    for p, d in zip(names, props):
        assert resolve(c, p) == blocks(d)
    # …and after a JSON round trip, which is what `negotiate resolve` reads.
    c2 = from_json(json.loads(json.dumps(to_json(c))))
    for p, d in zip(names, props):
        assert resolve(c2, p) == blocks(d)


def test_shared_text_plain_divergences_bracketed(tmp_path):
    base = write(tmp_path, "b.txt", "1. Governments should report every year.\n\n2. Parties shall cooperate.\n")
    eu = write(tmp_path, "eu.txt", "1. Governments shall report every year.\n\n2. Parties shall cooperate.\n")
    ca = write(tmp_path, "ca.txt", "1. Governments should report every two years.\n\n2. Parties shall cooperate.\n")
    no = write(tmp_path, "no.txt", "1. Governments shall report every year.\n\n2. Parties shall cooperate.\n")
    c = build(base, [eu, ca, no], ["EU", "Canada", "Norway"])
    text = render_text(c)
    assert "2. Parties shall cooperate." in text
    assert "[shall] (EU, Norway) [should] (Canada)" in text
    assert "[year] (EU, Norway) [two years] (Canada)" in text
    inside = render_text(c, Style(attribution="inside"))
    assert "[shall (EU, Norway)][should (Canada)]" in inside
    prefix = render_text(c, Style(attribution="prefix", brackets="fullwidth"))
    assert "［EU, Norway: shall］［Canada: should］" in prefix


def test_deletions_new_paragraphs_and_alternatives(tmp_path):
    base = write(tmp_path, "b.txt", "1. Keep this paragraph.\n\n2. A paragraph one party deletes.\n\n3. Report [annually].\n")
    a = write(tmp_path, "a.txt", "1. Keep this paragraph.\n\n2. A paragraph one party deletes.\n\n3. Report [annually]."
                                 "\n\n4. A new paragraph from A.\n")
    b = write(tmp_path, "b2.txt", "1. Keep this paragraph.\n\n2. Report annually.\n\n3. Something else entirely about other matters.\n")
    c = build(base, [a, b], ["A", "B"], alt_threshold=0.5)
    text = render_text(c)
    assert "[A paragraph one party deletes.] (delete: B)" in text
    assert "3 bis. [A new paragraph from A.] (A)" in text
    assert resolve(c, "A") == blocks(a) and resolve(c, "B") == blocks(b)


def test_paragraph_alternatives_when_too_different(tmp_path):
    base = write(tmp_path, "b.txt", "1. Parties shall establish a fund for implementation.\n")
    a = write(tmp_path, "a.txt", "1. Parties shall establish a fund for implementation.\n")
    b = write(tmp_path, "c.txt", "1. Parties shall use the existing financial mechanisms for implementation.\n")
    c = build(base, [a, b], ["African Group", "EU"], alt_threshold=0.6)
    u = next(u for u in c.units if u.label == "1.")
    assert u.alternatives is not None
    assert [lab for lab, _ in render_unit(u)] == ["1. Alt 1", "Alt 2"]


def test_a_word_against_a_word_is_one_set_of_options_not_alt_paragraphs(tmp_path):
    """A table cell of one word ("Vintages" against "Vintager") shares nothing once the word
    differs; Alt paragraphs for it would read as two paragraphs where one set of options does."""
    base = write(tmp_path, "b.txt", "1. Parties shall establish a fund for implementation.\n\nVintages\n")
    a = write(tmp_path, "a.txt", "1. Parties shall establish a fund for implementation.\n\nVintages\n")
    b = write(tmp_path, "c.txt", "1. Parties shall establish a fund for implementation.\n\nVintager\n")
    c = build(base, [a, b], ["A", "B"])
    u = next(u for u in c.units if u.base_text == "Vintages")
    assert u.alternatives is None
    assert [[(o.text, o.parties) for o in s.options] for s in u.segments] == [[("Vintages", ["A"]), ("Vintager", ["B"])]]
    # a paragraph of more words that shares nothing is still Alt paragraphs
    b2 = write(tmp_path, "d.txt", "1. Parties shall use the existing financial mechanisms for implementation.\n\nVintager\n")
    c2 = build(base, [a, b2], ["A", "B"], alt_threshold=0.6)
    assert next(u for u in c2.units if u.label == "1.").alternatives is not None
    assert next(u for u in c2.units if u.base_text == "Vintages").alternatives is None


def test_tracked_changes_by_author_are_proposals():
    doc = read(CORPORA / "framework-v2-party-inputs.docx", revisions="markup")
    base, props, authors = proposals_from_revisions(doc)
    assert {"European Union", "Canada", "G77 and China"} <= set(authors)
    c = build(base, props, authors)
    for p, d in zip(authors, props):
        assert resolve(c, p) == blocks(d)
    # Rejecting everything is the streamlined text: the base.
    assert blocks(base) == blocks(read(BASE))


@pytest.mark.parametrize("names,err", [(["A"], "2 proposals but 1"), (["A", "a"], "given twice"), (["A", " "], "empty")])
def test_bad_party_lists(names, err):
    d = read(BASE)
    with pytest.raises(NegotiateError, match=err):
        build(d, [d, d], names)


def test_other_language_and_unrelated_proposals(tmp_path):
    with pytest.raises(NegotiateError, match="another language"):
        build(read(BASE), [read(CORPORA / "zh-framework-v1.txt")], ["China"])
    other = write(tmp_path, "o.txt", "\n\n".join(f"{i}. Completely unrelated sentence number {i} about fishing quotas and boats."
                                                 for i in range(1, 60)) + "\n")
    with pytest.raises(NegotiateError, match="does not look like a version"):
        build(read(BASE), [other], ["X"])


# -- the property: any generated set of proposals comes back exactly -----------------------------

WORDS = ["Parties", "shall", "should", "may", "report", "[annually]", "every", "year", "on", "progress", "as",
         "appropriate", "the", "fund", "[X]", "developed", "countries", "taking", "lead", ",", ".", "缔约方", "应"]


def _edit(r: random.Random, paras: list[str]) -> list[str]:
    out = []
    for p in paras:
        roll = r.random()
        if roll < 0.1:
            continue                                   # delete the paragraph
        words = p.split(" ")
        for _ in range(r.randint(0, 3)):
            k = r.randrange(len(words))
            op = r.random()
            if op < 0.4:
                words[k] = r.choice(WORDS)
            elif op < 0.7:
                words.insert(k, r.choice(WORDS))
            elif len(words) > 2:
                del words[k]
        out.append(" ".join(words))
        if r.random() < 0.1:
            out.append(" ".join(r.choice(WORDS) for _ in range(r.randint(3, 12))))   # a new paragraph
    if r.random() < 0.2 and len(out) > 3:
        out.insert(r.randrange(len(out)), out.pop(r.randrange(len(out))))           # a move
    return out or ["Only text."]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 10_000), st.integers(1, 5))
def test_resolve_is_lossless_property(tmp_path, seed, n_parties):
    r = random.Random(seed)
    base_paras = [" ".join(r.choice(WORDS) for _ in range(r.randint(4, 16))) for _ in range(r.randint(3, 12))]

    def doc(name, paras):
        text = "\n\n".join(f"{i}. {p}" for i, p in enumerate(paras, 1)) + "\n"
        return write(tmp_path, name, text)

    base = doc("base.txt", base_paras)
    props = [doc(f"p{k}.txt", _edit(r, base_paras)) for k in range(n_parties)]
    names = [f"Party {k}" for k in range(n_parties)]
    try:
        c = build(base, props, names)
    except NegotiateError as e:
        assert "does not look like a version" in str(e) or "another language" in str(e)
        return
    c = from_json(json.loads(json.dumps(to_json(c))))
    for name, d in zip(names, props):
        assert resolve(c, name) == blocks(d)


def test_cli_consolidate_resolve_suggest(tmp_path):
    out = tmp_path / "c.json"
    args = [sys.executable, "-m", "negotiate"]
    res = subprocess.run(args + ["consolidate", str(BASE), str(CORPORA / "framework-v3-revised.txt"),
                                 str(CORPORA / "framework-v1-compilation.txt"), "--party", "EU", "--party", "G77/China",
                                 "-o", str(out)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    r = subprocess.run(args + ["resolve", str(out), "--party", "EU"], capture_output=True, text=True)
    want = "\n\n".join(f"{b.label} {b.text}" if b.label and b.text else b.label or b.text
                       for b in read(CORPORA / "framework-v3-revised.txt").blocks) + "\n"
    assert r.stdout == want
    s = subprocess.run(args + ["suggest", str(out), "--label", "9"], capture_output=True, text=True)
    assert s.returncode == 0 and "suggestions, not decisions" in s.stdout and "min" in s.stdout
    sj = json.loads(subprocess.run(args + ["suggest", str(out), "--format", "json"], capture_output=True, text=True).stdout)
    first = sj["suggestions"][0]["candidates"]
    assert first == sorted(first, key=lambda c: (-c["min_retention"], -c["mean_retention"]))
    for ext in ("txt", "docx"):
        o = tmp_path / f"c.{ext}"
        assert subprocess.run(args + ["consolidate", str(BASE), str(CORPORA / "framework-v3-revised.txt"), "--party", "EU",
                                      "-o", str(o)], capture_output=True).returncode == 0
        assert o.stat().st_size > 1000
    bad = subprocess.run(args + ["consolidate", str(BASE), str(CORPORA / "framework-v3-revised.txt"), "-o", str(out)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--party" in bad.stderr
    bad = subprocess.run(args + ["resolve", str(out), "--party", "Atlantis"], capture_output=True, text=True)
    assert bad.returncode == 2 and "no party 'Atlantis'" in bad.stderr


def test_new_paragraph_labels_never_repeat_the_base():
    from negotiate.consolidate import _bis
    assert [_bis("16.", n) for n in range(3)] == ["16 bis.", "16 ter.", "16 quater."]
    assert _bis("16.", 0, {"16 bis"}) == "16 ter."           # the base already has a 16 bis.
    assert _bis("16 bis.", 0) == "16 ter."                   # after 16 bis. comes 16 ter.
    assert _bis("(a)", 0) == "(a bis)" and _bis("(a)", 0, {"(a bis)"}) == "(a ter)"
    base = read(CORPORA / "framework-v1-compilation.txt")
    c = build(base, [read(CORPORA / "framework-v2-streamlined.txt"), read(CORPORA / "framework-v3-revised.txt")],
              ["EU", "G77/China"])
    base_labels = {b.label for b in base.blocks if b.label}
    new = [u.label for u in c.units if not u.in_base and u.label]
    assert new and not set(new) & base_labels


def test_text_one_party_adds_is_not_called_a_deletion_by_the_others(tmp_path):
    """Issue 17: `(delete: G77, USA)` on words the EU added read as if G77 and USA proposed a deletion."""
    base = write(tmp_path, "b.txt", "1. Parties shall report on progress made in implementation.\n")
    eu = write(tmp_path, "eu.txt", "1. Parties shall report every two years on progress made in implementation.\n")
    g77 = write(tmp_path, "g.txt", "1. Parties shall report on progress made in implementation.\n")
    cut = write(tmp_path, "us.txt", "1. Parties shall report on progress.\n")
    c = build(base, [eu, g77, cut], ["EU", "G77", "USA"])
    text = render_text(c)
    assert "(not in: G77, USA)" in text and "(delete: G77" not in text
    assert "(delete: USA)" in text          # words in the base that the USA takes out are a deletion
    assert [resolve(c, p) for p in ("EU", "G77", "USA")] == [blocks(eu), blocks(g77), blocks(cut)]


def test_a_diff_of_equal_texts_is_the_one_equal_stretch_consolidate_assumes():
    # consolidate._fill skips diff_tokens for a party that kept the base text.
    from negotiate.diff import diff_tokens
    for text in ("", " ", "Parties [shall] report.", "  x  \n", "第一条 缔约方"):
        for lang in ("en", "zh", "fr"):
            assert diff_tokens(text, text, lang) == ([("equal", 0, len(text), 0, len(text))] if text else [])
