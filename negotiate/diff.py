"""Two texts → token-level edits, as plain opcodes.

Tokens (words and punctuation; Chinese characters one by one) are encoded one
code point each and diffed with diff-match-patch, so that edits fall on token
boundaries; a semantic clean-up then merges edits broken up by trivial
equalities. The result is difflib-style opcodes with character offsets in both
texts: ("equal" | "insert" | "delete" | "replace", a_start, a_end, b_start, b_end).
"""
from __future__ import annotations

import os

from .tokenize import Token, tokenize


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


_DMP = None
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


def _encode(tokens: list[Token], vocab: dict[str, str]) -> str:
    out = []
    for t in tokens:
        c = vocab.get(t.text)
        if c is None:
            n = len(vocab)
            c = vocab[t.text] = chr(0xF0000 + n) if n < 0xFFFD else chr(0x100000 + n - 0xFFFD)
        out.append(c)
    return "".join(out)


def diff_tokens(a: str, b: str, language: str = "en", cleanup: bool = True) -> list[tuple[str, int, int, int, int]]:
    ta, tb = tokenize(a, language), tokenize(b, language)
    vocab: dict[str, str] = {}
    ea, eb = _encode(ta, vocab), _encode(tb, vocab)
    diffs = _edits(ea, eb, cleanup)
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0  # token positions

    def off_a(k):
        return ta[k].start if k < len(ta) else len(a)

    def off_b(k):
        return tb[k].start if k < len(tb) else len(b)

    for kind, n in diffs:
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


def _pair_replacements(ops):
    """A deletion next to an insertion is one replacement."""
    out = []
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


def inline(a: str, b: str, ops) -> str:
    """A one-line rendering for terminals: [-deleted-]{+inserted+}."""
    out = []
    for tag, a1, a2, b1, b2 in ops:
        if tag == "equal":
            out.append(a[a1:a2])
        if tag in ("delete", "replace"):
            out.append("[-" + a[a1:a2] + "-]")
        if tag in ("insert", "replace"):
            out.append("{+" + b[b1:b2] + "+}")
    return "".join(out)
