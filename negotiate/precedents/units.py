"""Text → the units reuse is measured in, with offsets, and their shingle hashes.

A unit is a word (letters of one script, or a run of digits) or, in scripts
written without spaces, one character. Everything else — punctuation, quotes,
dashes, square brackets, footnote marks glued to a word's end — is not a unit,
so typography and brackets never count as a change. Units are compared after
NFKC and case folding (full-width letters, ligatures, capitals); offsets stay
those of the original text so spans point back into it exactly.

Shingles are hashes of K consecutive units (K from `lang`: words for most
languages, characters for Chinese). They are stable across processes and
machines (CRC-32 of each unit, mixed in 64-bit arithmetic), so an index built
today answers tomorrow.
"""
from __future__ import annotations

import re
import unicodedata
import zlib
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from .. import lang

# Han ideographs (and compatibility ones) are units one character each.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_UNIT = re.compile(f"[{_HAN}]|[^\\W\\d_{_HAN}]+|\\d+")
MASK = (1 << 47) - 1          # shingle hashes fit SQLite's 6-byte integers and PostgreSQL's bigint
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                 0x85EBCA77C2B2AE63, 0xFF51AFD7ED558CCD], dtype=np.uint64)
_ids: dict[str, int] = {}


class Units(NamedTuple):
    ids: np.ndarray        # uint64 id of each unit (CRC-32 of its folded form, so it fits 32 bits)
    starts: list[int]      # offsets into the text
    ends: list[int]


def _id(s: str) -> int:
    v = _ids.get(s)
    if v is None:
        folded = unicodedata.normalize("NFKC", s).casefold()
        v = zlib.crc32(folded.encode("utf-8"))
        if len(_ids) < 2_000_000:       # a cache, bounded: vocabularies are small
            _ids[s] = v
    return v


def units(text: str) -> Units:
    starts, ends, ids = [], [], []
    for m in _UNIT.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
        ids.append(_id(m.group(0)))
    return Units(np.array(ids, dtype=np.uint64), starts, ends)


def offsets(text: str) -> tuple[list[int], list[int]]:
    """Where each unit starts and ends (for spans: ids come from `ids_only`)."""
    starts, ends = [], []
    for m in _UNIT.finditer(text):
        s, e = m.span()
        starts.append(s)
        ends.append(e)
    return starts, ends


@lru_cache(maxsize=64)
def settings(language: str) -> tuple[str, int, int]:
    """(unit, shortest reuse counted, shingle size) for a language, from `lang`."""
    try:
        mod = lang.get(language)
    except KeyError:
        mod = lang.get("en")
    return mod.PRECEDENT_UNIT, mod.PRECEDENT_MIN, mod.PRECEDENT_SHINGLE


@lru_cache(maxsize=64)
def frequent(language: str) -> frozenset[int]:
    """Unit ids of the language's most frequent words (`lang` STOPWORDS): alone at a span's
    edge, past an edit, they are not reuse."""
    try:
        mod = lang.get(language)
    except KeyError:
        mod = lang.get("en")
    return frozenset(_id(w) for w in getattr(mod, "STOPWORDS", ()))


def shingles(ids: np.ndarray, k: int) -> np.ndarray:
    """Hash of every K consecutive units (position i → units i..i+k-1), as int64."""
    n = len(ids) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    with np.errstate(over="ignore"):
        h = ids[:n] * _MIX[0]
        for j in range(1, k):
            h = (h ^ (h >> np.uint64(29))) * _MIX[j % len(_MIX)] + ids[j:j + n]
        h ^= h >> np.uint64(32)
    return (h & np.uint64(MASK)).astype(np.int64)


def count(text: str) -> int:
    return sum(1 for _ in _UNIT.finditer(text))


_WORDISH = re.compile(r"[^\W_]+")


def ids_only(text: str) -> list[int]:
    """The unit ids of a text without offsets (indexing and verifying need no offsets): the
    fast path splits on words (`[^\\W_]+`) and sends only tokens that are not plain ASCII letters or
    digits (Han characters, letters glued to digits, accents) through the unit pattern."""
    get = _ids.get
    out = []
    for w in _WORDISH.findall(text):
        if w.isascii() and (w.isalpha() or w.isdigit()):
            out.append(get(w) or _id(w))
        else:
            out.extend(get(x) or _id(x) for x in _UNIT.findall(w))
    return out


def batch_shingles(texts: list[str], pids: list[int], k: int, lists: list[list[int]] | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (shingle, paragraph) pairs of many paragraphs at once, vectorised: the
    units of all paragraphs end to end, shingles of K computed in one pass, those that
    would cross from one paragraph into the next left out."""
    lists = lists if lists is not None else [ids_only(t) for t in texts]
    lens = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    if not lens.sum():
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ids = np.fromiter((i for x in lists for i in x), dtype=np.uint64, count=int(lens.sum()))
    h = shingles(ids, k)
    owner = np.repeat(np.asarray(pids, dtype=np.int64), lens)[:len(h)]
    ends = np.repeat(np.cumsum(lens), lens)[:len(h)]          # where each unit's paragraph ends
    ok = np.arange(len(h)) + k <= ends
    h, owner = h[ok], owner[ok]
    order = np.lexsort((owner, h))
    h, owner = h[order], owner[order]
    keep = np.ones(len(h), dtype=bool)
    keep[1:] = (h[1:] != h[:-1]) | (owner[1:] != owner[:-1])
    return h[keep], owner[keep]
