import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.diff import diff_tokens, inline, refine_at_cuts
from negotiate.tokenize import tokenize


@pytest.mark.parametrize("text,lang", [("Parties [shall][should] report, as appropriate (EU).", "en"),
                                       ("Les Parties [doivent] agir d'ici 2030.", "fr"),
                                       ("各国政府[应][宜]报告GHS的实施情况。", "zh"),
                                       ("  spaces   everywhere \n", "en"), ("", "en")])
def test_tokens_cover_the_text(text, lang):
    toks = tokenize(text, lang)
    assert "".join(t.text for t in toks) == text
    assert all(text[t.start:t.end] == t.text for t in toks)


def test_brackets_are_tokens():
    assert [t.text for t in tokenize("[shall][should]")] == ["[", "shall", "]", "[", "should", "]"]


def test_chinese_characters_and_latin_words():
    assert [t.text for t in tokenize("报告GHS的SDS-2", "zh")] == ["报", "告", "GHS", "的", "SDS-2"]


def test_word_level_diff_with_offsets():
    a = "Governments [shall][should] report every three years."
    b = "Governments shall report every two years."
    ops = diff_tokens(a, b)
    for tag, a1, a2, b1, b2 in ops:
        if tag == "equal":
            assert a[a1:a2] == b[b1:b2]
    assert "".join(a[a1:a2] for t, a1, a2, _, _ in ops) == a
    assert "".join(b[b1:b2] for t, _, _, b1, b2 in ops) == b
    assert inline(a, b, ops) == "Governments [-[shall][should]-]{+shall+} report every [-three-]{+two+} years."


def test_cuts_end_tokens_inside_words():
    """A superscript note letter against its word: cut there, the letter alone changes;
    without the cut the word is replaced (what the cut is for)."""
    a, b = "Reported year and Vintages", "Reported yearB and Vintager"
    assert inline(a, b, diff_tokens(a, b)) == "Reported [-year-]{+yearB+} and [-Vintages-]{+Vintager+}"
    ops = diff_tokens(a, b, cuts_a=[25, 26], cuts_b=[13, 14, 26, 27])
    assert inline(a, b, ops) == "Reported year{+B+} and Vintage[-s-]{+r+}"
    # Cuts at token edges, outside the text or repeated change nothing.
    assert diff_tokens(a, b, cuts_a=[0, 8, 9, 26, 99], cuts_b=[8, 8]) == diff_tokens(a, b)


def test_cuts_refine_replacements_only():
    """A word cut on one side only ("5th", its "th" superscript in b) is not a change:
    only replacements are diffed again at their cuts, and kept stretches joined."""
    a, b = "the 5th report, year", "the 5th report, yearB"
    assert inline(a, b, diff_tokens(a, b, cuts_b=[5, 7, 20])) == "the [-5th-]{+5th+} report, year{+B+}"
    ops = refine_at_cuts(a, b, diff_tokens(a, b), [], [5, 7, 20])
    assert inline(a, b, ops) == "the 5th report, year{+B+}"
    assert ops == [("equal", 0, 20, 0, 20), ("insert", 20, 20, 20, 21)]


def test_chinese_diff_by_character():
    a, b = "各国政府应报告。", "各国政府宜酌情报告。"
    assert inline(a, b, diff_tokens(a, b, "zh")) == "各国政府[-应-]{+宜酌情+}报告。"


# -- issue 14: no alphabet limit, bounded work on huge paragraphs ------------------------

def _apply(a, b, ops):
    out = []
    for tag, a1, a2, b1, b2 in ops:
        if tag == "equal":
            assert a[a1:a2] == b[b1:b2]
            out.append(a[a1:a2])
        else:
            out.append(b[b1:b2])
    return "".join(out)


def test_code_points_have_no_small_limit():
    from negotiate.diff import CODE_POINTS, code_point, similarity_code
    assert CODE_POINTS > 900_000
    seen = {code_point(n) for n in range(0, CODE_POINTS, 997)}
    assert len(seen) == len(range(0, CODE_POINTS, 997))
    assert all(not (0xD800 <= ord(c) <= 0xDFFF) for c in seen)
    assert similarity_code(CODE_POINTS + 5) == code_point(5)      # wraps, never fails


def test_more_distinct_tokens_than_the_old_alphabet():
    """200,000 distinct words (the old encoding failed past 131,068)."""
    a = " ".join(f"w{i}" for i in range(200_000))
    b = a.replace("w150000 ", "changed ")
    ops = diff_tokens(a, b)
    assert _apply(a, b, ops) == b
    changed = [o for o in ops if o[0] != "equal"]
    assert len(changed) == 1 and b[changed[0][3]:changed[0][4]] == "changed"


def test_huge_paragraph_with_scattered_edits_is_diffed_by_anchors():
    import random
    r = random.Random(5)
    words = "Parties shall should may report on progress in the framework".split()
    ws = [r.choice(words) for _ in range(40_000)]
    ws2 = list(ws)
    for i in r.sample(range(len(ws)), 50):
        ws2[i] = "EDIT"
    a, b = " ".join(ws), " ".join(ws2)
    ops = diff_tokens(a, b)
    assert _apply(a, b, ops) == b
    inserted = sum(b[o[3]:o[4]].count("EDIT") for o in ops if o[0] != "equal")
    assert inserted == 50
    # Coarse only locally: the changed text stays a small share of the paragraph.
    assert sum(o[4] - o[3] for o in ops if o[0] != "equal") < len(b) // 20


def test_unrelated_huge_paragraphs_end_in_bounded_replacements():
    a = " ".join(f"a{i}" for i in range(60_000))
    b = " ".join(f"b{i}" for i in range(60_000))
    ops = diff_tokens(a, b)
    assert _apply(a, b, ops) == b


# -- the C++ diff-match-patch build gives the Python build's edits --------------------------------
def _both(monkeypatch, a, b, lang="en", cleanup=True):
    import negotiate.diff as d
    monkeypatch.setattr(d, "_edits", d._c_edits)
    fast = diff_tokens(a, b, lang, cleanup)
    monkeypatch.setattr(d, "_edits", d._python_edits)
    return fast, diff_tokens(a, b, lang, cleanup)


def _pairs_of_versions(names, lang_of=None):
    from negotiate import read
    from negotiate.align import align
    docs = [read(n) for n in names]
    for old, new in zip(docs, docs[1:]):
        for l in align(old, new).links:
            if l.old and l.new:
                yield ("\n".join(old.blocks[i].text for i in l.old), "\n".join(new.blocks[j].text for j in l.new),
                       new.token_language)


def test_c_build_gives_the_python_builds_edits_on_corpora_and_real_texts(monkeypatch):
    pytest.importorskip("fast_diff_match_patch")
    from .conftest import CORPORA, REALTEXTS
    series = [[CORPORA / f"framework-v{k}-{n}.txt" for k, n in ((1, "compilation"), (2, "streamlined"), (3, "revised"))],
              [CORPORA / "zh-framework-v1.txt", CORPORA / "zh-framework-v2.txt"]]
    paris = REALTEXTS / "paris2015"
    if paris.exists():
        series.append([paris / f"agreement-{d}-2015.md" for d in ("23-oct", "4-dec", "9-dec")])
    n = 0
    for names in series:
        for a, b, lang in _pairs_of_versions(names):
            if a != b:
                fast, slow = _both(monkeypatch, a, b, lang)
                assert fast == slow, (a[:80], b[:80])
                n += 1
    assert n > 150




@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("the Parties shall should [ ] report , . as appropriate".split()), max_size=40),
       st.lists(st.sampled_from("the Parties shall should [ ] report , . as appropriate".split()), max_size=40),
       st.booleans())
def test_c_build_gives_the_python_builds_edits_on_generated_token_strings(a, b, cleanup):
    pytest.importorskip("fast_diff_match_patch")
    import negotiate.diff as d
    x, y = " ".join(a), " ".join(b)
    saved = d._edits
    try:
        d._edits = d._c_edits
        fast = diff_tokens(x, y, "en", cleanup)
        d._edits = d._python_edits
        assert fast == diff_tokens(x, y, "en", cleanup)
    finally:
        d._edits = saved


def _ops_cover(a, b, ops):
    assert ops[0][1] == 0 and ops[0][3] == 0 and ops[-1][2] == len(a) and ops[-1][4] == len(b)
    for x, y in zip(ops, ops[1:]):
        assert x[2] == y[1] and x[4] == y[3]


def test_coarsen_joins_a_rewritten_paragraphs_changes_across_short_islands():
    from negotiate.diff import coarsen
    # Paris, 9 → 12 Dec: most of the paragraph rewritten, a word or two kept here and there
    a = "Parties shall report every two years on the progress of the mechanism to the body."
    b = "Each Party should communicate its contribution every five years informed by the outcomes of the stocktake."
    fine = diff_tokens(a, b)
    assert inline(a, b, fine).count("[-") == 2            # "to" → "of" … "the" kept … "body" → "stocktake"
    ops = coarsen(a, b, fine)
    _ops_cover(a, b, ops)
    assert inline(a, b, ops) == ("[-Parties shall report every two years on the progress of the mechanism to the body-]"
                                 "{+Each Party should communicate its contribution every five years informed by the outcomes "
                                 "of the stocktake+}.")
    assert coarsen(a, b, fine, island=0) == fine           # the policy off: every word change
    # A lightly edited paragraph keeps each word change, and its kept words between them.
    a, b = "Parties shall report every two years.", "Parties should report every three years."
    assert inline(a, b, coarsen(a, b, diff_tokens(a, b))) == "Parties [-shall-]{+should+} report every [-two-]{+three+} years."
    # …but a kept stretch of punctuation only is one change with its neighbours: "6, 7 and 8" → "9, 10 and 11"
    a, b = "In accordance with the provisions of Articles 6, 7 and 8.", "In accordance with the provisions of Articles 9, 10 and 11."
    assert inline(a, b, coarsen(a, b, diff_tokens(a, b))) == \
        "In accordance with the provisions of Articles [-6, 7-]{+9, 10+} and [-8-]{+11+}."


def test_coarsen_never_hides_brackets_lifted_or_a_paragraph_boundary():
    from negotiate.diff import coarsen
    from negotiate.model import PARA_SEP
    # "one [two] three" → "uno two tres": the brackets lifted round "two" stay changes of their own
    a, b = "one [two] three", "uno two tres"
    fine = [("replace", 0, 3, 0, 3), ("equal", 3, 4, 3, 4), ("delete", 4, 5, 4, 4), ("equal", 5, 8, 4, 7),
            ("delete", 8, 9, 7, 7), ("equal", 9, 10, 7, 8), ("replace", 10, 15, 8, 12)]
    assert coarsen(a, b, fine) == fine
    a, b = "one two three", "uno two tres"       # …where without them it is one replacement
    assert coarsen(a, b, [("replace", 0, 3, 0, 3), ("equal", 3, 8, 3, 8), ("replace", 8, 13, 8, 12)]) == \
        [("replace", 0, 13, 0, 12)]
    # a merge's two paragraphs: the kept stretch across their boundary stays kept
    a, b = "Alpha beta." + PARA_SEP + "Delta.", "One beta." + PARA_SEP + "Four."
    fine = [("replace", 0, 5, 0, 3), ("equal", 5, 12, 3, 10), ("replace", 12, 17, 10, 14), ("equal", 17, 18, 14, 15)]
    assert coarsen(a, b, fine) == fine
    a, b = a.replace(PARA_SEP, " "), b.replace(PARA_SEP, " ")
    assert coarsen(a, b, fine) == [("replace", 0, 17, 0, 14), ("equal", 17, 18, 14, 15)]
