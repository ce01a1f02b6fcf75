"""Per-language data. One small module a language, no behaviour.

Each module defines:
  CODE          ISO 639-1 code
  STOPWORDS     frequent words, for telling languages apart
  SCRIPT        "latin" | "cjk" | "cyrillic" | "arabic"
  ANNEX, PART, CHAPTER, ARTICLE, ALTERNATIVE, PREAMBLE
                words that open a structural label (regex fragments)
  PREAMBLE_TITLE
                the heading of a preamble ("Preamble"): a section of its own
  NO_TEXT       phrases that mean "this option is: no text"
  SENTENCE_ENDS characters that end a sentence
  REFERENCES, LIST_WORDS, ORDINAL_WORDS, NUMBER_WORDS (NUMBER_STEMS), NUMBER_JOINS
                for parity (negotiate/parity.py): cross-references ("article 5",
                "第五条"), the words that join numbers in a list, ordinal words in
                references, numbers and months written as words
  TOKENIZER, SPACY
                how text is cut into tokens: "spacy" (a blank spaCy pipeline of
                language SPACY) or "cjk" (one token per Han character)
  TESSERACT     the Tesseract language pack that reads it by OCR
  NUMERALS, NUMERAL_DIGITS, NUMERAL_UNITS
                (Chinese) the numeral characters of labels such as 第一条, and their
                values, read by negotiate/numerals.py
  LABEL_NUMERALS, NUMBERED_LABELS, NUMBERED_ITEMS
                (Chinese) labels built around their number (附件一, 第一部分, 第一章,
                第一条之二), not "word number": the characters such a number is
                written in, and per label type a regex ({N}: those characters); and
                the language's own paragraph labels (一、, （一）) as (type, kind,
                regex); read by negotiate/ingest/labels.py
  SECTION_LEVELS
                (Chinese) Word numbering of sections, (numFmt, lvlText) per level,
                read by negotiate/export/wordml.py (default: I. / A.)
  SYNTH         vocabulary of synthetic test texts (negotiate/synth.py)
  PRECEDENT_TEXTS
                the real texts the agreed-language test documents learn from
                (negotiate/precedents/plant.py; default: English's)
Readers and the markup parser take the union of all languages by default, so a
French text that quotes "Option A" still parses.
"""
from __future__ import annotations

import importlib
import re
import unicodedata
from collections import Counter
from functools import cache
from types import ModuleType

CODES = ("en", "fr", "es", "ru", "ar", "zh")


@cache
def get(code: str) -> ModuleType:
    if code not in CODES:
        raise KeyError(code)
    return importlib.import_module(f"{__name__}.{code}")


def all_languages() -> list[ModuleType]:
    return [get(c) for c in CODES]


def _longest_first(w: str) -> tuple[int, str]:
    # Ties in alphabetical order, not in the set's order (which PYTHONHASHSEED changes): the
    # patterns built from these lists are the same string in every process.
    return -len(w), w


def words(attr: str) -> list[str]:
    """Union of one label-word list across languages, longest first so that
    regex alternation prefers `Alternative` over `Alt`."""
    out: set[str] = set()
    for mod in all_languages():
        out.update(getattr(mod, attr, ()))
    return sorted(out, key=_longest_first)


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def script_of(ch: str) -> str | None:
    o = ord(ch)
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x2A6DF:
        return "cjk"
    if 0x0400 <= o <= 0x04FF:
        return "cyrillic"
    if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFF:
        return "arabic"
    if ch.isalpha() and "LATIN" in unicodedata.name(ch, ""):
        return "latin"
    return None


def detect(text: str, sample: int = 20000) -> str:
    """Guess the language of a text: script first, then stopwords among Latin ones."""
    text = text[:sample]
    counts: dict[str, int] = {}
    # Each distinct character once, weighted by how often it occurs (counted in C);
    # scripts keep the order of their first character, as a scan would give.
    for ch, n in Counter(text).items():
        s = script_of(ch)
        if s:
            counts[s] = counts.get(s, 0) + n
    if not counts:
        return "und"
    script = max(counts, key=counts.get)
    candidates = [m for m in all_languages() if m.SCRIPT == script]
    if len(candidates) == 1:
        return candidates[0].CODE
    if not candidates:
        return "und"
    tokens = [w.lower() for w in _WORD.findall(text)]
    best, best_score = candidates[0].CODE, -1
    for mod in candidates:
        stop = mod.STOPWORDS
        score = sum(1 for t in tokens if t in stop)
        if score > best_score:
            best, best_score = mod.CODE, score
    return best
