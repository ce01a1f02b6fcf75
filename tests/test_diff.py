import pytest

from negotiate.diff import diff_tokens, inline
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
