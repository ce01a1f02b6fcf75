"""The stored spaCy rules (tokenrules) give spaCy's own tokens, and are stored once."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate import tokenize as tk
from negotiate import tokenrules

from .conftest import CORPORA, REALTEXTS

SPACY_LANGS = ("en", "fr", "es", "ru", "ar")

# What makes tokenizers differ: affixes, brackets, quotes, URLs, numbers and
# units, abbreviations, elisions, hyphens, slashes and odd whitespace.
PIECES = ["Parties", "shall", "[", "]", "(", ")", "(a)", "12 bis.", "G77/China", "and/or", "e.g.", "i.e.",
          "don't", "l'Accord", "aujourd'hui", "peut-être", "2°C", "1.5 °C", "US$100", "50%", "http://x.org/a?b=1",
          "www.unfccc.int", "a@b.org", "“", "”", "«", "»", "’s", "...", "…", "—", "-", ":)", "Art.", "No.",
          "Mr.", "etc.", "вкл.", "т.е.", "и т.д.", "الاتفاق", "،", "؛", "Sra.", "EE.UU.", " ", "  ", "\n", "\t",
          "\u00a0", "\u2009", "\x1c", "\u200b", "[[shall]", "]]", "1/CP.21", "10-15", "3.5", "CO2", "'", '"']


def _texts():
    out = []
    for p in sorted(CORPORA.glob("*.txt")):
        out.append(("en", p.read_text(encoding="utf-8")))
    for lang in SPACY_LANGS:
        p = REALTEXTS / "bbnj" / f"bbnj-agreement-2023-{lang}.txt"
        if p.exists():
            out.append((lang, p.read_text(encoding="utf-8")))
    for p in sorted((REALTEXTS / "paris2015").glob("*.md")) if REALTEXTS.exists() else ():
        out.append(("en", p.read_text(encoding="utf-8")))
    return out


@pytest.mark.parametrize("lang", SPACY_LANGS)
def test_stored_rules_give_spacys_tokens_on_real_texts(lang):
    texts = [t for l, t in _texts() if l == lang]
    if not texts:
        pytest.skip("no text in this language here")
    ours, theirs = tk._spans(lang), tk._spacy_spans(lang)
    assert isinstance(ours.__self__, tokenrules.Rules)  # the stored rules are in use, not spaCy
    for text in texts:
        for para in text.split("\n\n"):
            assert ours(para) == theirs(para), para[:200]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SPACY_LANGS), st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=25),
       st.lists(st.sampled_from(["", " ", "", "\n"]), min_size=25, max_size=25))
def test_stored_rules_give_spacys_tokens_on_generated_strings(lang, pieces, seps):
    text = "".join(p + s for p, s in zip(pieces, seps))
    assert tk._spans(lang)(text) == tk._spacy_spans(lang)(text)


def test_rules_are_stored_once_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGOTIATE_CACHE", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return tk._spacy("en")

    r1 = tokenrules.load("en", "test", build)
    files = list(tmp_path.glob("tokenizer-en-*-test.json"))
    assert len(files) == 1 and calls == [1]
    r2 = tokenrules.load("en", "test", build)   # read from the file: spaCy not asked again
    assert calls == [1]
    text = "Parties [shall][should] report, e.g. by 2°C (G77/China); don't."
    assert r1.spans(text) == r2.spans(text) == tk._spacy_spans("en")(text)
    # A damaged file is rebuilt, not trusted.
    files[0].write_text("{not json", encoding="utf-8")
    r3 = tokenrules.load("en", "test", build)
    assert calls == [1, 1] and r3.spans(text) == r1.spans(text)
    assert json.loads(files[0].read_text(encoding="utf-8"))["rules"]


def test_unwritable_cache_still_tokenizes(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("NEGOTIATE_CACHE", str(blocker / "sub"))   # cannot be created
    r = tokenrules.load("en", "test", lambda: tk._spacy("en"))
    assert r.spans("a [b]") == [(0, 1), (2, 3), (3, 4), (4, 5)]


def test_a_process_that_tokenizes_does_not_import_spacy(tmp_path):
    import subprocess
    import sys
    code = ("import sys; from negotiate.tokenize import tokenize; tokenize('Parties shall [report].', 'en'); "
            "tokenize('Стороны', 'ru'); print('spacy' in sys.modules)")
    env = {"NEGOTIATE_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert first.stdout.strip() == "True"    # the first one builds and stores the rules
    assert again.stdout.strip() == "False"   # later ones only read them


def test_a_long_patterns_program_is_stored_and_read_back_as_the_same_pattern(tmp_path, monkeypatch):
    # French's token_match (1.4 MB) took 2-14 s to compile in every process.
    import re
    monkeypatch.setenv("NEGOTIATE_CACHE", str(tmp_path))
    from spacy.lang.fr.tokenizer_exceptions import TOKEN_MATCH
    pat = TOKEN_MATCH.__self__
    assert len(pat.pattern) >= tokenrules._STORE_COMPILED
    first = tokenrules.compile_stored(pat.pattern, pat.flags)
    stored = list(tmp_path.glob("regex-*.bin"))
    assert len(stored) == 1
    again = tokenrules.compile_stored(pat.pattern, pat.flags)   # from the file
    assert first == again == re.compile(pat.pattern, pat.flags)  # equal program, flags and pattern
    for word in ("peut-être", "grand-mère", "entr'ouvert", "droits-de-l'homme", "New-York", "arc-en-ciel", "l'Accord"):
        assert bool(again.match(word)) == bool(pat.match(word)), word
    # A damaged program is refused and the pattern compiled anew (and stored again).
    raw = stored[0].read_bytes()
    stored[0].write_bytes(raw[: len(raw) // 2] + b"\xff" * (len(raw) - len(raw) // 2))
    assert tokenrules.compile_stored(pat.pattern, pat.flags) == first
    assert stored[0].read_bytes() == raw
    # Short patterns are only compiled.
    tokenrules.compile_stored(r"\d+", 0)
    assert len(list(tmp_path.glob("regex-*.bin"))) == 1


def test_french_does_not_compile_its_token_match_in_a_later_process(tmp_path):
    import subprocess
    import sys
    code = ("import re, re._compiler as c; n = [0]; f = c.compile\n"
            "def count(*a, **k):\n    n[0] += len(a[0]) if isinstance(a[0], str) else 0; return f(*a, **k)\n"
            "c.compile = count\n"
            "from negotiate.tokenize import tokenize; tokenize(\"l'Accord de Paris, peut-être.\", 'fr'); print(n[0])")
    env = {"NEGOTIATE_CACHE": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert int(again.stdout) < 100_000 < int(first.stdout)   # characters of pattern compiled by re


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SPACY_LANGS + ("zh",)), st.lists(st.sampled_from(PIECES + ["中文", "第一条"]) | st.text(max_size=4),
                                                       max_size=25))
def test_split_is_tokenizes_texts_and_starts(lang, pieces):
    # diff's input: the same tokens as tokenize, without a Token each.
    text = " ".join(pieces)
    toks = tk.tokenize(text, lang)
    assert tk.split(text, lang) == ([t.text for t in toks], [t.start for t in toks])


def test_a_text_command_does_not_load_lxml(tmp_path):
    # Start-up (issue 15): lxml is for .docx/.html parts, not for text and Markdown.
    import subprocess
    import sys
    src = tmp_path / "a.md"
    src.write_text("1. Parties shall report.\n", encoding="utf-8")
    code = f"import sys; import negotiate; negotiate.read({str(src)!r}); print('lxml' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "False"
