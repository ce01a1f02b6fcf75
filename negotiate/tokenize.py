"""Text → tokens with offsets, losslessly: every character of the text is in
exactly one token (runs of whitespace are tokens too), so a diff over tokens
maps back to exact character offsets.

Latin, Cyrillic and Arabic scripts use the tokenizer of a spaCy blank pipeline
of the language (no model is loaded), with square brackets split off as their
own tokens — its rules taken from spaCy once and applied by `tokenrules`, so that
a process does not pay for importing spaCy; Chinese goes character by character with Latin words and numbers
kept whole. Which one a language uses is data in `negotiate.lang`.
"""
from __future__ import annotations

import re
import zlib
from functools import cache, lru_cache
from typing import NamedTuple

from . import lang
from .model import BRACKET_CLASS


class Token(NamedTuple):
    text: str
    start: int
    end: int


_BRACKETS = BRACKET_CLASS   # r"[\[\]［］【】]": part of the tokenizer cache's key, so keep its spelling


_INFIXES = (_BRACKETS, r"/")


@cache
def _spacy(code: str):
    """spaCy's own tokenizer for `code`, with our additions: built only when the
    stored rules (`tokenrules`) are missing, and by the tests that compare them."""
    import spacy
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
    nlp = spacy.blank(code)
    d = nlp.Defaults
    # Brackets are negotiation markup: always tokens of their own. One Tokenizer
    # with every rule, not three property sets (each reloads the special cases).
    return Tokenizer(nlp.vocab, rules=nlp.tokenizer.rules,
                     prefix_search=compile_prefix_regex(list(d.prefixes or ()) + [_BRACKETS]).search,
                     suffix_search=compile_suffix_regex(list(d.suffixes or ()) + [_BRACKETS]).search,
                     infix_finditer=compile_infix_regex(list(d.infixes or ()) + list(_INFIXES)).finditer,
                     token_match=nlp.tokenizer.token_match, url_match=nlp.tokenizer.url_match)


def _spacy_spans(code: str):
    tok = _spacy(code)
    return lambda text: [(t.idx, t.idx + len(t.text)) for t in tok(text)]


@cache
def _spans(code: str):
    """text → spaCy's token offsets for `code`: from the rules stored once
    (`tokenrules`, no spaCy import), or from spaCy itself if they cannot be stored.
    Built once per process and language."""
    from . import tokenrules
    key = "%08x" % zlib.crc32(repr((_BRACKETS, _INFIXES)).encode())
    rules = tokenrules.load(code, key, lambda: _spacy(code))
    return rules.spans if rules is not None else _spacy_spans(code)


_CJK = re.compile(r"\s+|[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]|[A-Za-z0-9\u00c0-\u024f]+(?:[.'’-][A-Za-z0-9]+)*|.", re.S)


def _mode(code: str) -> tuple[str, str]:
    try:
        mod = lang.get(code)
    except KeyError:
        mod = lang.get("en")
    return getattr(mod, "TOKENIZER", "spacy"), getattr(mod, "SPACY", "en")


def tokenize(text: str, language: str = "en") -> list[Token]:
    return list(_tokenize(text, language))


@lru_cache(maxsize=1024)   # a pivot paragraph is diffed against every party's text, a trace's text twice
def _tokenize(text: str, language: str) -> tuple[Token, ...]:
    mode, code = _mode(language)
    if mode == "cjk":
        return tuple(Token(m.group(0), m.start(), m.end()) for m in _CJK.finditer(text))
    out: list[Token] = []
    pos = 0
    for s, e in _spans(code)(text):
        if s > pos:
            out.append(Token(text[pos:s], pos, s))
        # spaCy keeps extra spaces as tokens of their own, like the gaps above
        out.append(Token(text[s:e], s, e))
        pos = e
    if pos < len(text):
        out.append(Token(text[pos:], pos, len(text)))
    return tuple(out)


def split(text: str, language: str = "en") -> tuple[list[str], list[int]]:
    """`tokenize`'s token texts and start offsets, without a Token each: what a
    diff needs (140,000 tuples less in a 30-party consolidation)."""
    xs, starts = _split(text, language)
    return list(xs), list(starts)


@lru_cache(maxsize=1024)   # as _tokenize: a pivot paragraph is diffed against every party's text
def _split(text: str, language: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    mode, code = _mode(language)
    xs: list[str] = []
    starts: list[int] = []
    if mode == "cjk":
        for m in _CJK.finditer(text):
            xs.append(m.group(0))
            starts.append(m.start())
        return tuple(xs), tuple(starts)
    pos = 0
    for s, e in _spans(code)(text):
        if s > pos:
            xs.append(text[pos:s])
            starts.append(pos)
        xs.append(text[s:e])
        starts.append(s)
        pos = e
    if pos < len(text):
        xs.append(text[pos:])
        starts.append(pos)
    return tuple(xs), tuple(starts)
