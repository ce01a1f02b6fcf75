"""Text → tokens with offsets, losslessly: every character of the text is in
exactly one token (runs of whitespace are tokens too), so a diff over tokens
maps back to exact character offsets.

Latin, Cyrillic and Arabic scripts use the tokenizer of a spaCy blank pipeline
of the language (no model is loaded), with square brackets split off as their
own tokens; Chinese goes character by character with Latin words and numbers
kept whole. Which one a language uses is data in `negotiate.lang`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from . import lang


class Token(NamedTuple):
    text: str
    start: int
    end: int


_BRACKETS = r"[\[\]［］【】]"


@lru_cache(maxsize=None)
def _spacy(code: str):
    import spacy
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
    nlp = spacy.blank(code)
    d = nlp.Defaults
    # Brackets are negotiation markup: always tokens of their own.
    nlp.tokenizer.prefix_search = compile_prefix_regex(list(d.prefixes or ()) + [_BRACKETS]).search
    nlp.tokenizer.suffix_search = compile_suffix_regex(list(d.suffixes or ()) + [_BRACKETS]).search
    nlp.tokenizer.infix_finditer = compile_infix_regex(list(d.infixes or ()) + [_BRACKETS, r"/"]).finditer
    return nlp.tokenizer


_CJK = re.compile(r"\s+|[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]|[A-Za-z0-9\u00c0-\u024f]+(?:[.'’-][A-Za-z0-9]+)*|.", re.S)


def _mode(code: str) -> tuple[str, str]:
    try:
        mod = lang.get(code)
    except KeyError:
        mod = lang.get("en")
    return getattr(mod, "TOKENIZER", "spacy"), getattr(mod, "SPACY", "en")


def tokenize(text: str, language: str = "en") -> list[Token]:
    mode, code = _mode(language)
    if mode == "cjk":
        return [Token(m.group(0), m.start(), m.end()) for m in _CJK.finditer(text)]
    out: list[Token] = []
    pos = 0
    for t in _spacy(code)(text):
        s = t.idx
        if s > pos:
            out.append(Token(text[pos:s], pos, s))
        e = s + len(t.text)
        if t.text.isspace():
            # spaCy keeps extra spaces as tokens; merge with the gap logic above
            out.append(Token(text[s:e], s, e))
        else:
            out.append(Token(t.text, s, e))
        pos = e
    if pos < len(text):
        out.append(Token(text[pos:], pos, len(text)))
    return out
