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
