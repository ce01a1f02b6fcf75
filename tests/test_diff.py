import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
