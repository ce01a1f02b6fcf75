"""Two versions → links between their blocks.

Every block of each side ends up in exactly one link: `equal`, `modified`,
`moved` (linked out of order), `split` (one old → several new), `merged`
(several old → one new), `inserted` or `deleted`, each with a similarity in
[0, 1]. Labels are ignored (renumbering must not break links); bracket
characters and whitespace do not count.

The pipeline keeps the n×m comparison out of Python:
1. anchors — blocks whose normalized text occurs once on each side, kept in
   order by a longest increasing subsequence;
2. gaps — between consecutive anchors, a similarity matrix from rapidfuzz's
   `cdist` (in C) and an order-preserving dynamic programme, with a bonus for
   neighbours that match too, which tells formulaic near-duplicates apart;
3. moves — leftovers compared across the whole text;
4. splits and merges — a link or a leftover extended by adjacent leftovers
   when the concatenation matches better.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator, Set
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from .diff import increasing, similarity_code
from .model import BRACKET_CLASS, Block, Document

# The result types live in the model; the `X as X` imports re-export them here as before.
from .model import OPS as OPS
from .model import Alignment as Alignment
from .model import Link as Link


@dataclass
class Options:
    """Every tunable of the alignment, with the defaults used by the CLI and the app."""
    min_similarity: float = 0.5     # below this two blocks are not the same paragraph
    move_similarity: float = 0.8    # a leftover pair far apart must be at least this alike
    split_gain: float = 0.3         # share of the remaining distance a concatenation must remove
    max_parts: int = 4              # paragraphs one split or merge may involve
    context_weight: float = 0.15    # weight of neighbours' similarity in gaps
    same_place: float = 0.3         # enough similarity for blocks at the same path (Article 2 › 1)
    place_weight: float = 0.1       # bonus for the same path inside a gap
    dp_cells: int = 4_000_000       # larger gaps fall back to greedy + LIS
    headers: bool = False           # align headers and footers too (among themselves); else they are left out
    # compare's readability (diff.coarsen): in a paired paragraph keeping fewer than this share of
    # its words, kept islands of at most island_words words between changes join one replacement
    rewritten_below: float = 0.6
    island_words: int = 2           # 0: every word change shown, however fragmented


_BRACKETS = re.compile(BRACKET_CLASS)
_SPACE = re.compile(r"\s+")
_MD_NOTE = re.compile(r"\[\^[^\]\s]+\]")
# Typography that differs between a PDF, a Word file and a transcription of the
# same text: curly and straight quotes, Markdown emphasis.
_TYPO = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "‘": "'", "’": "'", "‚": "'",
                       "‛": "'", "′": "'", "*": None, "\u00a0": " "})
_TYPO_BRACKETS = {**_TYPO, **dict.fromkeys(map(ord, "[]［］【】"))}


def normalize(b: Block) -> str:
    """What is compared: the text without label, brackets, case and spacing.
    A heading's label is part of what it says ("Article 2"); the label also
    stands in for a block that has no text."""
    return _normalized(b.text, b.label, b.kind == "heading")


def _compared(text: str, label: str, heading: bool) -> str:
    """What `_normalized` starts from, before typography, brackets, spacing and case."""
    t = text if text.strip() else label
    if heading and label:
        t = label + " " + text
    if "[^" in t:
        t = _MD_NOTE.sub("", t)
    return t


@lru_cache(maxsize=4096)   # consolidation aligns one base with every proposal: its paragraphs again and again
def _normalized(text: str, label: str, heading: bool) -> str:
    t = _compared(text, label, heading)
    # Typography and brackets in one translate (they touch different characters);
    # split/join folds whitespace exactly as \s+ → " " and strip() did.
    return " ".join(t.translate(_TYPO_BRACKETS).split()).casefold()


_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+|[^\w\s]", re.UNICODE)


def encode(texts: list[str], vocab: dict[str, str]) -> list[str]:
    """Each word (each CJK character) → one code point, so that rapidfuzz's
    character scorers measure edits in words: unrelated formulaic paragraphs
    share letters far more than they share words."""
    out: list[str] = []
    if not isinstance(vocab, Vocab):   # a caller's plain dict: filled the same way, word by word
        for t in texts:
            codes = []
            for tok in _TOKEN.findall(t):
                c = vocab.get(tok)
                if c is None:
                    c = vocab[tok] = similarity_code(len(vocab))   # no alphabet limit (issue 14)
                codes.append(c)
            out.append("".join(codes))
        return out
    get = vocab.__getitem__   # the lookups run in C (map), new words through __missing__
    if len(texts) < 8:
        return ["".join(map(get, _words(t))) for t in texts]
    # In batches: one findall and one join for many texts, joined by "\n", which no
    # token contains, and cut again after (a text holding "\n" is encoded alone).
    for k in range(0, len(texts), _BATCH):
        part = texts[k:k + _BATCH]
        joined = "\n".join(part)
        if joined.count("\n") == len(part) - 1:
            out += "".join(map(get, _TOKEN_NL.findall(joined))).split("\n")
        else:
            out += ["".join(map(get, _words(t))) for t in part]
    return out


_TOKEN_NL = re.compile(_TOKEN.pattern + "|\n", re.UNICODE)
_BATCH = 2000


@lru_cache(maxsize=4096)   # the same base paragraphs, aligned with proposal after proposal
def _words(t: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(t))


class Vocab(dict[str, str]):
    """word → its code point, a new one for each new word, in order."""
    @staticmethod
    def code(n: int) -> str:
        return similarity_code(n)   # no alphabet limit (issue 14)

    def __missing__(self, tok: str) -> str:
        if tok == "\n":    # encode's separator between texts (never a token), not a word
            return tok
        c = self[tok] = self.code(len(self))
        return c


# Edit-distance scorers cost len(a) x len(b) / 64: on two paragraphs of a
# million words that is hours. Past this product (about 30,000 words a side)
# the scores use the multiset of words instead (linear; an upper bound of the
# ordered score, exact when the texts differ only by substitutions in place).
_LONG_CELLS = 1_000_000_000
_LONG_SIDE = 30_000


def _shared(a: str, b: str) -> int:
    ca, cb = Counter(a), Counter(b)
    if len(ca) > len(cb):
        ca, cb = cb, ca
    return sum(min(n, cb.get(k, 0)) for k, n in ca.items())


def similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    if len(a) * len(b) > _LONG_CELLS:
        return 2.0 * _shared(a, b) / (len(a) + len(b))
    return fuzz.ratio(a, b) / 100.0


def containment(a: str, b: str) -> float:
    """Share of the shorter text (in tokens) found, in order, in the longer."""
    if not a or not b:
        return 0.0
    if len(a) * len(b) > _LONG_CELLS:
        return _shared(a, b) / min(len(a), len(b))
    return LCSseq.similarity(a, b) / min(len(a), len(b))


def lis(pairs: list[tuple[int, int]]) -> list[int]:
    """Indexes (into `pairs`, sorted by first item) of a longest run increasing in the second."""
    return increasing([y for _, y in pairs])


def _cdist(a: list[str], b: list[str], cutoff: float) -> np.ndarray:
    if not a or not b:
        return np.zeros((len(a), len(b)), dtype=np.float32)
    long_a = [i for i, x in enumerate(a) if len(x) > _LONG_SIDE]
    long_b = [j for j, y in enumerate(b) if len(y) > _LONG_SIDE]
    if long_a or long_b:
        # Huge paragraphs among them: left out of the C matrix, their rows and
        # columns scored one by one (see similarity), so the cost stays linear.
        sa, sb = set(long_a), set(long_b)
        m = _cdist([("" if i in sa else x) for i, x in enumerate(a)],
                   [("" if j in sb else y) for j, y in enumerate(b)], cutoff)
        for i in long_a:
            m[i, :] = [similarity(a[i], y) for y in b]
        for j in long_b:
            m[:, j] = [similarity(x, b[j]) for x in a]
        if cutoff > 0:
            m[m < cutoff] = 0.0
        return m
    m = process.cdist(a, b, scorer=fuzz.ratio, score_cutoff=cutoff * 100, dtype=np.float32, workers=1)
    return m / 100.0


_KIND_PENALTY = 0.15   # a heading against a paragraph: taken off their similarity in gaps


def _kind_penalty(ob: list[Block], nb: list[Block], oi: list[int], ni: list[int]) -> np.ndarray:
    ok = np.array([ob[i].kind == "heading" for i in oi])[:, None]
    nk = np.array([nb[j].kind == "heading" for j in ni])[None, :]
    return np.where(ok == nk, 0.0, _KIND_PENALTY).astype(np.float32)


def _same_path(ob: list[Block], nb: list[Block], oi: list[int], ni: list[int]) -> np.ndarray:
    po = [tuple(p.casefold() for p in ob[i].path) if ob[i].label else None for i in oi]
    pn = [tuple(p.casefold() for p in nb[j].path) if nb[j].label else None for j in ni]
    # Paths as small integers, compared by numpy (a Python double loop took
    # 13 s on 10 blocks of 2,000 x 2,000); -1 and -2 never match.
    ids: dict[tuple[str, ...], int] = {}
    ao = np.array([ids.setdefault(p, len(ids)) if p is not None else -1 for p in po], dtype=np.int64)
    an = np.array([ids.setdefault(p, len(ids)) if p is not None else -2 for p in pn], dtype=np.int64)
    same: np.ndarray = (ao[:, None] == an[None, :]).reshape(len(oi), len(ni))
    return same


def _gap(ot: list[str], nt: list[str], ob: list[Block], nb: list[Block], oi: list[int], ni: list[int], opt: Options,
         before: tuple[int, int] | None, after: tuple[int, int] | None) -> list[tuple[int, int, float]]:
    """Order-preserving pairs inside one gap: (old index, new index, similarity)."""
    if not oi or not ni:
        return []
    if len(oi) * len(ni) > opt.dp_cells:
        # A gap too large for one similarity matrix (two versions with no
        # paragraph left as it was: n x m cells would be gigabytes): cut it into
        # diagonal blocks, old and new in proportion, each aligned on its own,
        # so that time and memory stay linear in the gap (issue 14).
        side = max(1, int(opt.dp_cells ** 0.5))
        k = -(-max(len(oi), len(ni)) // side)
        out: list[tuple[int, int, float]] = []
        for t in range(k):
            bi = oi[t * len(oi) // k:(t + 1) * len(oi) // k]
            bj = ni[t * len(ni) // k:(t + 1) * len(ni) // k]
            out += _gap(ot, nt, ob, nb, bi, bj, opt, before if t == 0 else None, after if t == k - 1 else None)
        return out
    if len(oi) == 1 or len(ni) == 1:
        return _gap_line(ot, nt, ob, nb, oi, ni, opt, before is not None, after is not None)
    return _gap_matrix(ot, nt, ob, nb, oi, ni, opt, before is not None, after is not None)


def _gap_matrix(ot: list[str], nt: list[str], ob: list[Block], nb: list[Block], oi: list[int], ni: list[int],
                opt: Options, before: bool, after: bool) -> list[tuple[int, int, float]]:
    """`_gap` of a gap of at most `opt.dp_cells` cells: a similarity matrix, a score
    per cell (similarity, context, same place) and the order-preserving programme."""
    a = [ot[i] for i in oi]
    b = [nt[j] for j in ni]
    sim = _cdist(a, b, 0.0)
    sim = np.clip(sim - _kind_penalty(ob, nb, oi, ni), 0.0, 1.0)
    # Context: how alike the neighbours are (the anchors bound the gap).
    n, m = sim.shape
    padded = np.zeros((n + 2, m + 2), dtype=np.float32)
    padded[1:-1, 1:-1] = sim
    if before:
        padded[0, 0] = 1.0
    if after:
        padded[-1, -1] = 1.0
    ctx = (padded[:-2, :-2] + padded[2:, 2:]) / 2.0
    place = _same_path(ob, nb, oi, ni)
    score = sim + opt.context_weight * ctx + opt.place_weight * place
    valid = sim >= opt.min_similarity
    return _dp(score, sim, valid, oi, ni)


_F32_0, _F32_1, _F32_2, _F32_100 = np.float32(0.0), np.float32(1.0), np.float32(2.0), np.float32(100.0)
_F32_KIND = np.float32(_KIND_PENALTY)


def _gap_line(ot: list[str], nt: list[str], ob: list[Block], nb: list[Block], oi: list[int], ni: list[int],
              opt: Options, before: bool, after: bool) -> list[tuple[int, int, float]]:
    """`_gap` of a gap with one block on a side (three gaps in four between anchors),
    cell by cell in numpy's float32 scalars instead of a dozen small arrays — the
    same arithmetic as the matrix code, so the same pair: the programme's pair in
    a single row or column is the first cell of highest score among the valid ones,
    and the context of each cell is the anchors' alone (its neighbours in the
    matrix lie outside the gap)."""
    one_old = len(oi) == 1
    line = ni if one_old else oi
    last = len(line) - 1
    cw, min_sim = np.float32(opt.context_weight), np.float32(opt.min_similarity)
    x = oi[0] if one_old else ni[0]
    x_text = ot[x] if one_old else nt[x]
    x_block = ob[x] if one_old else nb[x]
    x_heading = x_block.kind == "heading"
    x_path = tuple(p.casefold() for p in x_block.path) if x_block.label else None
    blocks, texts = (nb, nt) if one_old else (ob, ot)
    long_x = len(x_text) > _LONG_SIDE
    best, best_k, best_sim = 0.0, -1, 0.0
    for k, y in enumerate(line):
        y_text = texts[y]
        if long_x or len(y_text) > _LONG_SIDE:
            v = np.float32(similarity(x_text, y_text) if one_old else similarity(y_text, x_text))
        else:
            v = np.float32(fuzz.ratio(x_text, y_text) if one_old else fuzz.ratio(y_text, x_text)) / _F32_100
        yb = blocks[y]
        if (yb.kind == "heading") != x_heading:
            v = v - _F32_KIND
        v = _F32_0 if v < _F32_0 else _F32_1 if v > _F32_1 else v
        if not v >= min_sim:
            continue
        c = ((_F32_1 if before and k == 0 else _F32_0) + (_F32_1 if after and k == last else _F32_0)) / _F32_2
        score = float(v + cw * c)
        if x_path is not None and yb.label and tuple(p.casefold() for p in yb.path) == x_path:
            score += opt.place_weight
        if score > best:
            best, best_k, best_sim = score, k, float(v)
    if best_k < 0:
        return []
    return [(x, line[best_k], best_sim) if one_old else (line[best_k], x, best_sim)]


def _dp(score: np.ndarray, sim: np.ndarray, valid: np.ndarray, oi: list[int], ni: list[int]) -> list[tuple[int, int, float]]:
    n, m = score.shape
    gain = np.where(valid, score, -np.inf)
    dp = np.zeros((n + 1, m + 1), dtype=np.float64)
    # Row by row with numpy: dp[i][j] = max(dp[i-1][j], dp[i][j-1], dp[i-1][j-1] + gain)
    for i in range(1, n + 1):
        diag = dp[i - 1, :-1] + gain[i - 1]
        row = np.maximum(dp[i - 1, 1:], diag)
        # left-to-right max for dp[i][j-1]
        row = np.maximum.accumulate(np.concatenate(([dp[i, 0]], row)))[1:]
        dp[i, 1:] = row
    out: list[tuple[int, int, float]] = []
    i, j = n, m
    while i > 0 and j > 0:
        if dp[i, j] == dp[i - 1, j]:
            i -= 1
        elif dp[i, j] == dp[i, j - 1]:
            j -= 1
        else:
            out.append((oi[i - 1], ni[j - 1], float(sim[i - 1, j - 1])))
            i -= 1
            j -= 1
    return out[::-1]


def align(old: Document | list[Block], new: Document | list[Block], options: Options | None = None) -> Alignment:
    """Link every block of two versions of a text.

    Args:
        old: the earlier version (a Document, or a list of its blocks).
        new: the later version.
        options: the tunables (`Options`); the defaults suit negotiating texts.

    Returns:
        An `Alignment`: `links`, each `Link(old, new, op, similarity)` with
        lists of block indexes (every block of each side in exactly one link),
        `op` one of `OPS`, similarity in [0, 1]; and `warnings` (e.g. versions
        in different languages, paired by position only).

    Examples:
        >>> import negotiate
        >>> old = negotiate.read("corpora/framework-v1-compilation.txt")
        >>> new = negotiate.read("corpora/framework-v2-streamlined.txt")
        >>> al = negotiate.align(old, new)
        >>> sorted({l.op for l in al.links})
        ['deleted', 'equal', 'merged', 'modified', 'moved']
    """
    opt = options or Options()
    ob = old.blocks if isinstance(old, Document) else old
    nb = new.blocks if isinstance(new, Document) else new
    warnings = []
    if isinstance(old, Document) and isinstance(new, Document) and old.language != new.language \
            and "und" not in (old.language, new.language):
        warnings.append(f"the versions are in different languages ({old.language} and {new.language}): "
                        f"paragraphs are paired by position and shared numbers, not by meaning")
    vocab = Vocab()
    ot, nt = _encode_sides(ob, nb, vocab)
    # Footnotes are aligned among themselves.
    links: list[Link] = []
    # Headers and footers are out of the body's sequence, and out of the alignment unless asked.
    margins = ("header", "footer")
    body_o = [i for i, b in enumerate(ob) if b.kind != "footnote" and b.kind not in margins]
    body_n = [j for j, b in enumerate(nb) if b.kind != "footnote" and b.kind not in margins]
    fn_o = [i for i, b in enumerate(ob) if b.kind == "footnote"]
    fn_n = [j for j, b in enumerate(nb) if b.kind == "footnote"]
    parts = [(body_o, body_n), (fn_o, fn_n)]
    if opt.headers:
        parts.append(([i for i, b in enumerate(ob) if b.kind in margins], [j for j, b in enumerate(nb) if b.kind in margins]))
    for oi, ni in parts:
        links.extend(_align_part(ob, nb, ot, nt, oi, ni, opt))
    # No sort by old first: _order_by_new's keys are unique (each new block is in one
    # link, each deleted one has its own old index), so its order is the same from any.
    _order_by_new(links)
    return Alignment(links, warnings)


# [(old side's texts as compared, their codes, the vocabulary after them)]
_LAST_OLD: list[tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]] = []
_LAST_OLD_BLOCKS = 5_000      # kept only for sides up to this long


class _Chunks(dict[str, str]):
    """A whitespace-separated piece of a text → the codes of its words.

    No token holds whitespace, and the translation, case folding and spacing of
    `_normalized` work character by character (nothing maps a character to
    whitespace but the no-break space, which is whitespace already), so a text's
    codes are its pieces' codes joined — `encode([_normalized(...)])` exactly — and
    a piece is tokenized once however often it recurs (a formulaic text repeats its
    few hundred words: 240,000 words a side are 700 pieces)."""
    def __init__(self, vocab: Vocab) -> None:
        super().__init__()
        self.vocab = vocab

    def __missing__(self, piece: str) -> str:
        c = "".join(map(self.vocab.__getitem__, _TOKEN.findall(piece.translate(_TYPO_BRACKETS).casefold())))
        if len(self) >= _CHUNKS_KEPT:
            # Pieces seen once each (a numbered text's 100,000 numbers) would fill it: begun
            # again, it costs their tokenizing again at worst (their codes are the vocabulary's).
            self.clear()
        self[piece] = c
        return c


_CHUNKS_KEPT = 20_000


def _encode_sides(ob: list[Block], nb: list[Block], vocab: Vocab) -> tuple[list[str], list[str]]:
    """`encode([normalize(b) for b in side], vocab)` for old, then new, in one pass
    over each text's pieces (see `_Chunks`); a text seen before (most paragraphs of
    a new version are the old ones) is looked up, not encoded again."""
    old_raw = [_compared(b.text, b.label, b.kind == "heading") for b in ob]
    key = tuple(old_raw)
    last = _LAST_OLD[0] if _LAST_OLD else None
    pieces = _Chunks(vocab)
    get = pieces.__getitem__
    if last is not None and last[0] == key:
        # The same old side as the last call (a consolidation aligns its base with
        # every party): a fresh vocabulary fills in the same order, so it is a copy.
        vocab.update(last[2])
        ot = list(last[1])
    else:
        ot = ["".join(map(get, t.split())) for t in old_raw]
        if len(ob) <= _LAST_OLD_BLOCKS:
            _LAST_OLD[:] = [(key, tuple(ot), dict(vocab))]
    codes = dict(zip(old_raw, ot))
    nt = []
    for b in nb:
        t = _compared(b.text, b.label, b.kind == "heading")
        c = codes.get(t)
        if c is None:
            c = codes[t] = "".join(map(get, t.split()))
        nt.append(c)
    return ot, nt


def _order_by_new(links: list[Link]) -> None:
    """Document order: walk the new side, slot each deletion after the new
    position of the last old block before it that was kept."""
    linked = sorted((max(l.old), max(l.new)) for l in links if l.old and l.new)
    olds = [o for o, _ in linked]
    best_new, run = [], -1
    for _, n in linked:
        run = max(run, n)
        best_new.append(run)
    del linked
    # The key (new position, 0 | 1, old position) — a deletion's new position is a half,
    # its 1 follows from that — as one int: (2 × position + 1) × m + old + 1, in the same
    # order (no tuple a link: ~10 MB on 100,000 paragraphs, at align's peak).
    m = max((max(l.old) for l in links if l.old), default=0) + 2

    def key(l: Link) -> int:
        if l.new:
            return (2 * min(l.new) + 1) * m + (min(l.old) + 1 if l.old else 0)
        k = bisect_left(olds, min(l.old))
        return (2 * (best_new[k - 1] if k else -1) + 2) * m + min(l.old) + 1

    keys = [key(l) for l in links]   # computed first: list.sort hides the list from key functions
    order = sorted(range(len(links)), key=keys.__getitem__)
    links[:] = [links[i] for i in order]


def _align_part(ob: list[Block], nb: list[Block], ot: list[str], nt: list[str], oi_all: list[int], ni_all: list[int],
                opt: Options) -> list[Link]:
    if not oi_all and not ni_all:
        return []
    # 1. Anchors: unique normalized texts on both sides, in order.
    # text → its block, or -1 once it recurs (not a list of every block: 100,000 lists a side).
    count_o: dict[str, int] = {}
    count_n: dict[str, int] = {}
    for i in oi_all:
        count_o[ot[i]] = -1 if ot[i] in count_o else i
    for j in ni_all:
        count_n[nt[j]] = -1 if nt[j] in count_n else j
    uniq = sorted((v, count_n[k]) for k, v in count_o.items()
                  if v >= 0 and count_n.get(k, -1) >= 0 and k)
    keep = lis(uniq)
    anchors = [uniq[k] for k in keep]
    # Each step's tables are dropped once done (here and below): on a 100,000-paragraph
    # pair they are tens of MB each, and the moves and the last run come on top of them.
    del count_o, count_n, uniq, keep
    pairs: dict[int, tuple[int, float]] = {o: (n, 1.0) for o, n in anchors}
    # 2. Gaps between anchors.
    o_pos = {i: k for k, i in enumerate(oi_all)}
    n_pos = {j: k for k, j in enumerate(ni_all)}
    bounds = [(-1, -1)] + [(o_pos[o], n_pos[n]) for o, n in anchors] + [(len(oi_all), len(ni_all))]
    for (a0, b0), (a1, b1) in zip(bounds, bounds[1:]):
        if a1 - a0 <= 1 or b1 - b0 <= 1:
            continue   # nothing to pair on one side (most gaps between anchors): _gap gives []
        gi = oi_all[a0 + 1:a1]
        gj = ni_all[b0 + 1:b1]
        before = (a0, b0) if a0 >= 0 else None
        after = (a1, b1) if a1 < len(oi_all) else None
        for o, n, s in _gap(ot, nt, ob, nb, gi, gj, opt, before, after):
            pairs[o] = (n, s)
    del o_pos, n_pos, bounds, anchors
    st = _State(ot, nt, oi_all, ni_all, opt, {i for i in oi_all if ob[i].kind == "table cell"},
                {j for j in ni_all if nb[j].kind == "table cell"})
    # 3. In-order pairs, grown into splits and merges where neighbours fit.
    taken_o, taken_n, out = st.taken_o, st.taken_n, st.links
    for o in sorted(pairs):   # (the keys only: not a tuple a pair)
        n, s = pairs[o]
        if o not in taken_o and n not in taken_n:   # not already part of a split or merge
            if ot[o] == nt[n]:   # st.link's first case, inline: most pairs of a new version
                taken_o.add(o)
                taken_n.add(n)
                out.append(Link([o], [n], "modified", s))
            else:
                st.link(o, n, s)
    del pairs
    # 4. Moves: leftovers against leftovers, anywhere; grown the same way.
    left_o, left_n = st.free_old(), st.free_new()
    for part_o, part_n in _move_blocks(left_o, left_n, opt.dp_cells):
        sim = _cdist([ot[i] for i in part_o], [nt[j] for j in part_n], opt.move_similarity)
        # Only the cells that can be moves are sorted (not the whole matrix).
        rows, cols = np.nonzero(sim >= opt.move_similarity)
        vals = sim[rows, cols]
        for k in np.argsort(-vals, kind="stable"):
            a, b = int(rows[k]), int(cols[k])
            s = float(vals[k])
            o, n = part_o[a], part_n[b]
            if st.is_free_o(o) and st.is_free_n(n):
                st.link(o, n, s)
    # 5. Leftovers spread over runs of leftovers (a split or merge whose parts changed).
    st.leftover_groups()
    # 6. A paragraph rewritten in place: same path, between the same neighbours.
    st.in_place(ob, nb)
    links = st.finish()
    # Which 1:1 links are out of order: not on the longest increasing run.
    # Sorted by the old block alone (each is in one link: no ties), and the run found on
    # the new blocks in that order — no tuple a link (~15 MB on 100,000, at align's peak).
    one = sorted((k for k, l in enumerate(links) if len(l.old) == 1 and len(l.new) == 1), key=lambda k: links[k].old[0])
    on_run = {one[x] for x in increasing([links[k].new[0] for k in one])}
    for k, l in enumerate(links):
        if len(l.old) == 1 and len(l.new) == 1:
            if k not in on_run:
                l.op = "moved"
            elif _same_text(ob[l.old[0]], nb[l.new[0]]):
                l.op = "equal"
            else:
                # Similarity ignores brackets; the op does not: a bracket lifted
                # is a change a negotiator wants to see.
                l.op = "modified"
    return links


def _move_blocks(left_o: list[int], left_n: list[int], cells: int) -> Iterator[tuple[list[int], list[int]]]:
    """Leftovers to search for moves, in pieces of at most `cells` pairs: all of
    them against all when that fits (the usual case: a few dozen), else the
    old leftovers in slices against a window of the new ones around the same
    place, so that the search stays linear (issue 14)."""
    if not left_o or not left_n:
        return
    if len(left_o) * len(left_n) <= cells:
        yield left_o, left_n
        return
    side = max(1, int(cells ** 0.5) // 2)
    k = -(-len(left_o) // side)
    for t in range(k):
        bo = left_o[t * len(left_o) // k:(t + 1) * len(left_o) // k]
        mid = (t * len(left_n) // k + (t + 1) * len(left_n) // k) // 2
        yield bo, left_n[max(0, mid - side):mid + side]


def _same_text(a: Block, b: Block) -> bool:
    if a.text == b.text:   # most links: no need to fold the spacing
        return bool(a.text.strip()) or a.label == b.label
    return " ".join(a.text.split()) == " ".join(b.text.split()) and bool(a.text.strip() or a.label == b.label)


_ROWS, _ROW_CELLS = 32, 2_000_000   # leftovers scored per cdist call: rows, and cells at most


_SHORT = 3    # words: a table's one-word cell, a heading such as "Annex II"


def _letter_edit(a: Block, b: Block, ca: str, cb: str, opt: Options) -> float:
    """The character similarity of two short blocks of one kind when it reaches
    `move_similarity`, else 0. Word codes see "Vintages" and "Vintager" (a table cell
    whose superscript note letter changed) as two different words, similarity 0; in
    characters they are one word edited by a letter, the same cell."""
    if a.kind != b.kind or not 0 < len(ca) <= _SHORT or not 0 < len(cb) <= _SHORT:
        return 0.0
    s = similarity(normalize(a), normalize(b))
    return s if s >= opt.move_similarity else 0.0


class _State:
    """Links under construction: which blocks are taken, and growing runs."""

    def __init__(self, ot: list[str], nt: list[str], oi_all: list[int], ni_all: list[int], opt: Options,
                 cells_o: Set[int] = frozenset(), cells_n: Set[int] = frozenset()) -> None:
        self.ot, self.nt, self.opt = ot, nt, opt
        self.oi_all, self.ni_all = oi_all, ni_all
        # Table cells never join a split or merge: a cell's text cannot run into the
        # next cell's, so the neighbour chains stop at them.
        self.o_next = {i: oi_all[k + 1] for k, i in enumerate(oi_all[:-1]) if i not in cells_o and oi_all[k + 1] not in cells_o}
        self.o_prev = {oi_all[k + 1]: i for k, i in enumerate(oi_all[:-1]) if i not in cells_o and oi_all[k + 1] not in cells_o}
        self.n_next = {j: ni_all[k + 1] for k, j in enumerate(ni_all[:-1]) if j not in cells_n and ni_all[k + 1] not in cells_n}
        self.n_prev = {ni_all[k + 1]: j for k, j in enumerate(ni_all[:-1]) if j not in cells_n and ni_all[k + 1] not in cells_n}
        self.taken_o: set[int] = set()
        self.taken_n: set[int] = set()
        self.links: list[Link] = []

    def is_free_o(self, i: int | None) -> bool:
        return i is not None and i not in self.taken_o

    def is_free_n(self, j: int | None) -> bool:
        return j is not None and j not in self.taken_n

    def free_old(self) -> list[int]:
        return [i for i in self.oi_all if i not in self.taken_o]

    def free_new(self) -> list[int]:
        return [j for j in self.ni_all if j not in self.taken_n]

    @staticmethod
    def _near(x: int, step: dict[int, int], free: Callable[[int], bool], skip: int = 3) -> int | None:
        """The next free block from `x`, passing over up to `skip` blocks
        already linked elsewhere (a paragraph moved away between two that merge)."""
        c = step.get(x)
        while c is not None and not free(c) and skip > 0:
            c = step.get(c)
            skip -= 1
        return c if c is not None and free(c) else None

    def _extend(self, seed: int, free: Callable[[int], bool], nxt: dict[int, int], prv: dict[int, int], texts: list[str],
                target: str) -> tuple[list[int], float]:
        """Grow a run of free neighbours around `seed` while the joined text
        matches `target` clearly better."""
        run = [seed]
        best = similarity(target, texts[seed])
        keep = 1 - self.opt.split_gain
        lt = len(target)
        improved = True
        while improved and len(run) < self.opt.max_parts:
            improved = False
            tries: list[tuple[int | None, bool]] = []
            for end, step, at_end in ((run[-1], nxt, True), (run[0], prv, False)):
                c = self._near(end, step, free)
                tries.append((c, at_end))
                if c is not None:
                    # Also one further: a paragraph inserted between two parts of a split.
                    tries.append((self._near(c, step, free), at_end))
            # What a trial must reach (both tests below), and the run's length so far.
            need = max(best + 0.005, 1 - (1 - best) * keep)
            lr = sum(len(texts[x]) for x in run)
            for cand, at_end in tries:
                if cand is not None:
                    # No text of this length can score `need`: similarity is at most
                    # 1 - |difference of lengths| / (sum of lengths) (Indel ratio, and
                    # the multiset score of long texts alike), so the trial is skipped
                    # unscored — the outcome is the one scoring it would give.
                    lc = lr + len(texts[cand])
                    if lt + lc and 1 - abs(lt - lc) / (lt + lc) < need - 1e-9:
                        continue
                    trial = run + [cand] if at_end else [cand] + run
                    s = similarity(target, "".join([texts[x] for x in trial]))
                    # Better by a clear share of what was missing: adding a short
                    # sentence to a long paragraph gains little in absolute terms.
                    if s > best + 0.005 and (1 - s) <= (1 - best) * keep:
                        run, best, improved = trial, s, True
                        break
        return run, best

    def link(self, o: int, n: int, s: float) -> None:
        self.taken_o.add(o)
        self.taken_n.add(n)
        if self.ot[o] == self.nt[n]:
            # Same text: no neighbour can make it match better (1.0 is the most),
            # so it is neither a split nor a merge; most links of a new version are these.
            self.links.append(Link([o], [n], "modified", s))
            return
        run_n, s_split = self._extend(n, self.is_free_n, self.n_next, self.n_prev, self.nt, self.ot[o])
        if len(run_n) > 1:
            self.taken_n.update(run_n)
            self.links.append(Link([o], run_n, "split", s_split))
            return
        run_o, s_merge = self._extend(o, self.is_free_o, self.o_next, self.o_prev, self.ot, self.nt[n])
        if len(run_o) > 1:
            self.taken_o.update(run_o)
            self.links.append(Link(run_o, [n], "merged", s_merge))
            return
        self.links.append(Link([o], [n], "modified", s))

    def leftover_groups(self) -> None:
        for side in ("split", "merged"):
            mine, theirs = (self.free_old(), self.free_new()) if side == "split" else (self.free_new(), self.free_old())
            own = self.ot if side == "split" else self.nt
            pool = self.nt if side == "split" else self.ot
            # Only a link taken can change what is free, so `theirs` is filtered again
            # only then, and the rows of the following leftovers are scored together
            # (one cdist call for up to _ROWS of them, each row what its own call gives).
            dirty, rows, row0 = True, None, 0
            for at, x in enumerate(mine):
                if dirty:
                    theirs = [y for y in theirs if (self.is_free_n(y) if side == "split" else self.is_free_o(y))]
                    texts = [pool[y] for y in theirs]
                    dirty, rows = False, None
                if not theirs:
                    break
                target = own[x]
                if rows is None or at - row0 >= len(rows):
                    row0 = at
                    rows = _cdist([own[z] for z in mine[at:at + max(1, min(_ROWS, _ROW_CELLS // len(theirs)))]],
                                  texts, 0.0)
                sims = rows[at - row0]
                for k in np.argsort(-sims)[:3]:
                    y = theirs[int(k)]
                    if side == "split":
                        run, s = self._extend(y, self.is_free_n, self.n_next, self.n_prev, self.nt, target)
                    else:
                        run, s = self._extend(y, self.is_free_o, self.o_next, self.o_prev, self.ot, target)
                    if len(run) > 1 and s >= self.opt.min_similarity:
                        if side == "split":
                            self.taken_o.add(x)
                            self.taken_n.update(run)
                            self.links.append(Link([x], run, "split", s))
                        else:
                            self.taken_n.add(x)
                            self.taken_o.update(run)
                            self.links.append(Link(run, [x], "merged", s))
                        dirty = True
                        break

    def in_place(self, ob: list[Block], nb: list[Block]) -> None:
        """A leftover old and a leftover new block between the same linked
        neighbours are one paragraph rewritten when they sit at the same path
        (Article 2 › 1) or one text mostly lies inside the other: less text
        in common will do then."""
        if not self.free_new():
            return
        new_of: dict[int, list[int]] = {}
        for l in self.links:
            for o in l.old:
                if l.new:
                    new_of[o] = l.new
        # The bounds of the leftover old blocks only (a few, where every block had
        # a dict entry and a tuple: ~20 MB on a 100,000-paragraph pair, at align's peak).
        free_old = self.free_old()
        free_o = set(free_old)
        lo = -1
        lows: dict[int, int] = {}
        for i in self.oi_all:                     # nearest linked neighbour before
            if i in free_o:
                lows[i] = lo
            if i in new_of:
                lo = max(new_of[i])
        hi: float = float("inf")
        bounds: dict[int, tuple[int, float]] = {}
        for i in reversed(self.oi_all):           # … and after
            if i in free_o:
                bounds[i] = (lows[i], hi)
            if i in new_of:
                hi = min(new_of[i])
        free_sorted = self.free_new()
        for i in free_old:
            lo_i, hi_i = bounds[i]
            a = bisect_left(free_sorted, lo_i + 1)
            # The free new blocks in (lo_i, hi_i), at most 50: a slice of the sorted list
            # (filtering its whole tail for each leftover was quadratic in the leftovers).
            slot = free_sorted[a:min(bisect_left(free_sorted, hi_i, lo=a), a + 50)]
            best, best_s = None, 0.0
            here = tuple(p.casefold() for p in ob[i].path) if ob[i].label else None
            for j in slot:
                if not self.is_free_n(j):
                    continue
                s = similarity(self.ot[i], self.nt[j])
                same = here is not None and nb[j].label and tuple(p.casefold() for p in nb[j].path) == here
                if s < self.opt.same_place:
                    letters = _letter_edit(ob[i], nb[j], self.ot[i], self.nt[j], self.opt)
                    if letters:
                        s, same = letters, True
                # Same number and place, or one text mostly inside the other
                # (a paragraph cut down to its first clause).
                if s >= self.opt.same_place and (same or containment(self.ot[i], self.nt[j]) >= 0.75) and s > best_s:
                    best, best_s = j, s
            if best is not None:
                self.taken_o.add(i)
                self.taken_n.add(best)
                self.links.append(Link([i], [best], "modified", best_s))

    def finish(self) -> list[Link]:
        for i in self.free_old():
            self.links.append(Link([i], [], "deleted", 0.0))
        for j in self.free_new():
            self.links.append(Link([], [j], "inserted", 0.0))
        return self.links
