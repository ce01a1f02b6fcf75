"""Two texts → token-level edits, as plain opcodes.

Tokens (words and punctuation; Chinese characters one by one) are encoded one
code point each (a fresh alphabet per diff, so no limit on distinct tokens in
a document) and diffed with diff-match-patch, so that edits fall on token
boundaries; a semantic clean-up then merges edits broken up by trivial
equalities. The result is difflib-style opcodes with character offsets in both
texts: ("equal" | "insert" | "delete" | "replace", a_start, a_end, b_start, b_end).
"""
from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

from rapidfuzz.distance import Indel

from .model import BRACKET_CHARS, Opcode
from .tokenize import split


# -- the diff-match-patch build: Google's C++ one when installed, else the Python one --
# fast-diff-match-patch packages the C++ implementation (UCS-4 strings, so our
# astral-plane token characters count as one each, as in Python); both run the
# same algorithm, exact (no time limit), and give the same edits
# (tests/test_diff.py checks it on the corpora and the real texts).
# NEGOTIATE_DIFF=python forces the Python build.
def _python_edits(a: str, b: str, cleanup: bool) -> list[tuple[int, int]]:
    from diff_match_patch import diff_match_patch
    global _DMP
    if _DMP is None:
        _DMP = diff_match_patch()
        _DMP.Diff_Timeout = 0  # exact: texts are paragraphs
    diffs = _DMP.diff_main(a, b, False)
    if cleanup:
        _DMP.diff_cleanupSemantic(diffs)
    return [(kind, len(seg)) for kind, seg in diffs]


_DMP: Any = None
_OPS = {"=": 0, "-": -1, "+": 1}


def _c_edits(a: str, b: str, cleanup: bool) -> list[tuple[int, int]]:
    return [(_OPS[op], n) for op, n in _fast.diff(a, b, timelimit=0, checklines=False,
                                                    cleanup="Semantic" if cleanup else "No", counts_only=True)]


try:
    if os.environ.get("NEGOTIATE_DIFF") == "python":
        raise ImportError
    import fast_diff_match_patch as _fast
    if getattr(_fast, "CHAR_WIDTH", 0) < 4:   # a narrow build would count astral characters twice
        raise ImportError
    _edits, BACKEND = _c_edits, "c++"
except ImportError:
    _edits, BACKEND = _python_edits, "python"

# Bounds that keep every diff near-linear whatever the input (issue 14). They
# sit around the backend, so they hold whichever backend runs:
# - up to EXACT_TOKENS tokens (both sides; every real paragraph is far below)
#   the diff is exact, unless Myers' cost (tokens x edit distance, measured
#   first in C) would pass EXACT_WORK: then rapidfuzz's bit-parallel alignment
#   (also exact in edit count, without the semantic clean-up) is used;
# - above that, an anchor pass: tokens (then 8-token shingles) that occur once
#   on each side, in increasing order on both, split the texts into small gaps,
#   each diffed as above; a gap that stays large with no anchor is one replacement.
EXACT_TOKENS = 10_000
EXACT_WORK = 10_000_000
_SHINGLE = 8
_MAX_DEPTH = 6

_PLANES = ((0xF0000, 0xFFFFE), (0x100000, 0x10FFFE), (0xE000, 0xF900), (0x20000, 0xF0000))


def code_point(n: int) -> str:
    """The n-th code point of an encoding alphabet: the private-use planes first
    (no letter, space or punctuation class, so the semantic clean-up treats every
    token alike), then the BMP private-use area, then planes 2-14 — about a
    million symbols; callers keep what they encode below that (a diff encodes at
    most EXACT_TOKENS tokens at a time)."""
    for lo, hi in _PLANES:
        if n < hi - lo:
            return chr(lo + n)
        n -= hi - lo
    raise ValueError("more distinct tokens than code points")


CODE_POINTS = sum(hi - lo for lo, hi in _PLANES)


def similarity_code(n: int) -> str:
    """code_point for similarity scores only (align, retention): past the
    alphabet, tokens share symbols, which nudges a score but cannot fail."""
    return code_point(n % CODE_POINTS)


def _encode(tokens: list[str], vocab: dict[str, str]) -> str:
    out: list[str] = []
    for t in tokens:
        c = vocab.get(t)
        if c is None:
            c = vocab[t] = code_point(len(vocab))
        out.append(c)
    return "".join(out)


def _exact(xa: list[str], xb: list[str], cleanup: bool) -> list[tuple[int, int]]:
    vocab: dict[str, str] = {}
    ea, eb = _encode(xa, vocab), _encode(xb, vocab)
    if ea == eb:
        return [(0, len(ea))] if ea else []
    if (len(ea) + len(eb)) * Indel.distance(ea, eb) > EXACT_WORK:
        out: list[tuple[int, int]] = []
        for op in Indel.opcodes(ea, eb):
            if op.tag == "equal":
                out.append((0, op.src_end - op.src_start))
            else:
                if op.src_end > op.src_start:
                    out.append((-1, op.src_end - op.src_start))
                if op.dest_end > op.dest_start:
                    out.append((1, op.dest_end - op.dest_start))
        return out
    return _edits(ea, eb, cleanup)


def increasing(ys: list[int]) -> list[int]:
    """Indexes of a longest strictly increasing subsequence of ys (O(n log n)); the one
    implementation, used by align, diff and parity."""
    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(ys)
    for i, y in enumerate(ys):
        k = bisect_left(tails, y)
        if k == len(tails):
            tails.append(y)
            tails_idx.append(i)
        else:
            tails[k] = y
            tails_idx[k] = i
        prev[i] = tails_idx[k - 1] if k else -1
    out: list[int] = []
    i = tails_idx[-1] if tails_idx else -1
    while i >= 0:
        out.append(i)
        i = prev[i]
    return out[::-1]


def _anchors(xa: list[str], xb: list[str]) -> list[tuple[int, int]]:
    """(i, j) with xa[i] == xb[j], strictly increasing in both: tokens unique on
    each side (patience diff), else unique 8-token shingles."""
    ka: Sequence[Hashable]
    kb: Sequence[Hashable]
    for k in (1, _SHINGLE):
        if k == 1:
            ka, kb = xa, xb
        else:
            ka = [hash(tuple(xa[i:i + k])) for i in range(len(xa) - k + 1)]
            kb = [hash(tuple(xb[i:i + k])) for i in range(len(xb) - k + 1)]
        ca, cb = Counter(ka), Counter(kb)
        where_b = {key: j for j, key in enumerate(kb) if cb[key] == 1 and ca.get(key) == 1}
        pairs = [(i, where_b[key]) for i, key in enumerate(ka) if key in where_b]
        if k > 1:   # a hash collision is not an anchor
            pairs = [(i, j) for i, j in pairs if xa[i:i + k] == xb[j:j + k]]
        if len(pairs) * 200 >= min(len(xa), len(xb)) or (k == _SHINGLE and pairs):
            keep = increasing([j for _, j in pairs])
            return [pairs[t] for t in keep]
    return []


def _runs(xa: list[str], xb: list[str], cleanup: bool, depth: int = 0) -> list[tuple[int, int]]:
    """(op, tokens) runs turning xa into xb; op 0 equal, -1 delete, 1 insert."""
    if not xa or not xb:
        return [(-1, len(xa))] if xa else [(1, len(xb))] if xb else []
    if len(xa) + len(xb) <= EXACT_TOKENS:
        return _exact(xa, xb, cleanup)
    n = min(len(xa), len(xb))
    p = 0
    while p < n and xa[p] == xb[p]:
        p += 1
    q = 0
    while q < n - p and xa[-1 - q] == xb[-1 - q]:
        q += 1
    head = [(0, p)] if p else []
    tail = [(0, q)] if q else []
    ma, mb = xa[p:len(xa) - q], xb[p:len(xb) - q]
    if not ma or not mb or len(ma) + len(mb) <= EXACT_TOKENS:
        return head + _runs(ma, mb, cleanup, depth) + tail
    anchors = _anchors(ma, mb) if depth < _MAX_DEPTH else []
    if not anchors:
        return head + [(-1, len(ma)), (1, len(mb))] + tail     # coarse, but bounded
    out = head
    pa = pb = 0
    for i, j in anchors:
        if i > pa or j > pb:        # consecutive anchors leave no gap: no call
            out += _runs(ma[pa:i], mb[pb:j], cleanup, depth + 1)
        out.append((0, 1))
        pa, pb = i + 1, j + 1
    out += _runs(ma[pa:], mb[pb:], cleanup, depth + 1)
    return out + tail


def _merge(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent runs of one kind as one; within a change, deletions before insertions."""
    out: list[list[int]] = []
    for k, n in runs:
        if n <= 0:
            continue
        if out and out[-1][0] == k:
            out[-1][1] += n
        elif k != 0 and len(out) >= 2 and out[-1][0] != 0 and out[-2][0] == k:
            out[-2][1] += n          # -1 +1 -1 → -2 +1: one replacement
        else:
            out.append([k, n])
    return [(k, n) for k, n in out]


# Above this many characters (both texts; the longest real paragraph has about
# 15,000) the language's tokenizer is replaced by a plain word/space/punctuation
# split: spaCy takes about 15 s on a 5 MB paragraph, the regular expression 1 s.
HUGE_CHARS = 200_000
_FAST = re.compile(r"\s+|[^\W_]+|.", re.S)


def _split(text: str, language: str, fast: bool) -> tuple[list[str], list[int]]:
    if fast:
        xs: list[str] = []
        starts: list[int] = []
        for m in _FAST.finditer(text):
            xs.append(m.group(0))
            starts.append(m.start())
        return xs, starts
    return split(text, language)   # tokenize's texts and starts, without Token tuples


def _cut(text: str, xs: list[str], starts: list[int], cuts: Sequence[int]) -> tuple[list[str], list[int]]:
    """Tokens split at the offsets `cuts` that fall inside one: a superscript note
    letter typed against its word ("yearB") is a token of its own, so that the
    letter, not the word, is what changes."""
    for c in sorted(set(cuts), reverse=True):    # from the end: earlier positions stay valid
        k = bisect_right(starts, c) - 1
        if k < 0 or c <= starts[k] or c >= (starts[k + 1] if k + 1 < len(starts) else len(text)):
            continue
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        xs[k:k + 1] = [text[starts[k]:c], text[c:end]]
        starts[k + 1:k + 1] = [c]
    return xs, starts


def refine_at_cuts(a: str, b: str, ops: list[Opcode], cuts_a: Sequence[int], cuts_b: Sequence[int],
                   language: str = "en") -> list[Opcode]:
    """Replacements that hold a cut (see `_cut`) diffed again with words cut there:
    "year" → "yearB" becomes "year" kept and "B" inserted. Only replacements: a word
    whose letters changed height on one side only ("5th" with a superscript "th") is
    otherwise equal, and stays so. Adjacent kept stretches are joined."""
    if not cuts_a and not cuts_b:
        return ops
    out: list[Opcode] = []
    for op in ops:
        tag, a1, a2, b1, b2 = op
        ca = [c - a1 for c in cuts_a if a1 < c < a2] if tag == "replace" else []
        cb = [c - b1 for c in cuts_b if b1 < c < b2] if tag == "replace" else []
        parts = [op]
        if ca or cb:
            parts = [(t, a1 + x1, a1 + x2, b1 + y1, b1 + y2)
                     for t, x1, x2, y1, y2 in diff_tokens(a[a1:a2], b[b1:b2], language, cuts_a=ca, cuts_b=cb)]
        for q in parts:
            if q[0] == "equal" and out and out[-1][0] == "equal":
                out[-1] = ("equal", out[-1][1], q[2], out[-1][3], q[4])
            else:
                out.append(q)
    return out


def diff_tokens(a: str, b: str, language: str = "en", cleanup: bool = True,
                cuts_a: Sequence[int] = (), cuts_b: Sequence[int] = ()) -> list[Opcode]:
    """Token opcodes turning a into b, difflib-shaped `(tag, a1, a2, b1, b2)` with
    character offsets. `cuts_a`/`cuts_b`: offsets where a token must end (where the
    run formatting of a .docx moves to or from superscript or subscript)."""
    fast = len(a) + len(b) > HUGE_CHARS
    xa, sa = _split(a, language, fast)
    xb, sb = _split(b, language, fast)
    if cuts_a:
        xa, sa = _cut(a, xa, sa, cuts_a)
    if cuts_b:
        xb, sb = _cut(b, xb, sb, cuts_b)
    runs = _runs(xa, xb, cleanup)
    if len(xa) + len(xb) > EXACT_TOKENS:
        runs = _merge(runs)
    ops: list[Opcode] = []
    i = j = 0  # token positions
    na, nb = len(sa), len(sb)

    def off_a(k: int) -> int:
        return sa[k] if k < na else len(a)

    def off_b(k: int) -> int:
        return sb[k] if k < nb else len(b)

    for kind, n in runs:
        if kind == 0:
            ops.append(("equal", off_a(i), off_a(i + n), off_b(j), off_b(j + n)))
            i += n
            j += n
        elif kind == -1:
            ops.append(("delete", off_a(i), off_a(i + n), off_b(j), off_b(j)))
            i += n
        else:
            ops.append(("insert", off_a(i), off_a(i), off_b(j), off_b(j + n)))
            j += n
    return _pair_replacements(ops)


def _pair_replacements(ops: list[Opcode]) -> list[Opcode]:
    """A deletion next to an insertion is one replacement."""
    out: list[Opcode] = []
    k = 0
    while k < len(ops):
        op = ops[k]
        if k + 1 < len(ops) and {op[0], ops[k + 1][0]} == {"delete", "insert"}:
            d, ins = (op, ops[k + 1]) if op[0] == "delete" else (ops[k + 1], op)
            out.append(("replace", d[1], d[2], ins[3], ins[4]))
            k += 2
            continue
        out.append(op)
        k += 1
    return out


def inline(a: str, b: str, ops: Iterable[Opcode]) -> str:
    """A one-line rendering for terminals: [-deleted-]{+inserted+}."""
    out: list[str] = []
    for tag, a1, a2, b1, b2 in ops:
        if tag == "equal":
            out.append(a[a1:a2])
        if tag in ("delete", "replace"):
            out.append("[-" + a[a1:a2] + "-]")
        if tag in ("insert", "replace"):
            out.append("{+" + b[b1:b2] + "+}")
    return "".join(out)


# A word for `coarsen`: a CJK character, or a run of letters and digits.
_COARSE_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+", re.UNICODE)


def kept_share(a: str, b: str, ops: list[Opcode], empty: float = 1.0) -> float:
    """How much of a paragraph a diff keeps: 2·(words kept) / (words of a + words of b),
    1 unchanged, 0 rewritten entirely; `empty` when neither text has a word. (A word: a
    CJK character, or a run of letters and digits.)"""
    total = len(_COARSE_WORD.findall(a)) + len(_COARSE_WORD.findall(b))
    if not total:
        return empty
    kept = sum(len(_COARSE_WORD.findall(a[a1:a2])) for tag, a1, a2, _, _ in ops if tag == "equal")
    return 2 * kept / total


def coarsen(a: str, b: str, ops: list[Opcode], island: int = 2, kept_below: float = 0.6) -> list[Opcode]:
    """Readability for a paragraph largely rewritten: when the words kept are fewer than
    `kept_below` of the paragraph's (2·kept / (words of a + words of b)), each kept stretch
    of at most `island` words between two changes ("the", "of the") is absorbed into one
    replacement with them, as Word's Compare does, so the reader sees a few larger
    deletions and insertions rather than many small alternating ones. In any paragraph a
    kept stretch of no word (", ") between two changes joins them ("6, 7" → "9, 10").
    Lightly edited paragraphs keep every word change; never absorbed: a change of brackets
    only (text agreed or newly disputed), a kept bracket (the shape of a set of options),
    a kept stretch that crosses paragraphs (a merge's) or a line. `island=0` turns it off.

    The result is opcodes like `diff_tokens`'s, covering both texts, with the same ends.
    (diff-match-patch's semantic clean-up has already absorbed the islands shorter than
    the changes on both sides; what is left is word-for-word fragmentation.)"""
    if island <= 0 or len(ops) < 3:
        return ops
    def words(s: str) -> int:
        return len(_COARSE_WORD.findall(s))

    if kept_share(a, b, ops) >= kept_below:
        island = 0       # lightly edited: only islands of no word join ("6, 7" → "9, 10")

    def fixed(op: Opcode) -> bool:      # brackets only, added or lifted
        changed = a[op[1]:op[2]] + b[op[3]:op[4]]
        return op[0] != "equal" and not changed.strip(BRACKET_CHARS + " \t") and changed.strip() != ""

    out: list[Opcode] = []
    k = 0
    while k < len(ops):
        op = ops[k]
        if op[0] == "equal" or fixed(op):
            out.append(op)
            k += 1
            continue
        # A run of changes joined by short kept islands: one replacement.
        end = k
        while end + 2 < len(ops) and ops[end + 1][0] == "equal" and ops[end + 2][0] != "equal" \
                and not fixed(ops[end + 2]):
            isl = a[ops[end + 1][1]:ops[end + 1][2]]
            n = words(isl)
            # A kept bracket ("][" between two options changed) keeps the options' shape.
            if n > island or "\n" in isl or "\u2029" in isl or any(ch in BRACKET_CHARS for ch in isl):
                break
            end += 2
        first, last = ops[k], ops[end]
        a1, a2, b1, b2 = first[1], last[2], first[3], last[4]
        tag = "replace" if a2 > a1 and b2 > b1 else "delete" if a2 > a1 else "insert"
        out.append((tag, a1, a2, b1, b2) if end > k else op)
        k = end + 1
    return out
