"""Defects planted in copies of language versions, with the truth, for measuring parity.

`plant(doc, code, kind, rng)` returns the text of `doc` with one defect of `kind` — a
paragraph removed, a number changed, a cross-reference changed, a bracket pair added, two
paragraphs swapped, a label changed — and the indexes of the blocks it touched. `found(...)`
says whether a parity result reports it at the right row and version; `false_issues(...)`
counts what a result reports beyond the clean run and the planted defect. The test and
`bench/parity.py` use all three.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from . import numerals
from .model import Document, Parity
from .parity import _NUMBER, _norm_number, _ref_regex, _zh_value, features

DEFECTS = ("remove", "number", "reference", "bracket", "swap", "label")
EXPECT = {"remove": ("missing",), "number": ("number",), "reference": ("reference",), "bracket": ("bracket",),
          # Swapped paragraphs are out of order (label); when the reader cannot take a label out of
          # sequence (articles count up), the one moved shows as missing where it was.
          "swap": ("label", "missing", "extra"), "label": ("label",)}


@dataclass
class Planted:
    kind: str
    version: int
    blocks: tuple[int, ...]     # the touched blocks, as the clean version numbers them
    text: str                   # the defective text
    what: str


def _bump(token: str) -> str | None:
    """The next number, written as `token` is."""
    t = token.strip()
    core = re.sub(r"[（()）]", "", t)
    v = numerals.from_digits(core)
    if v is not None:
        return t.replace(core, str(v + 1))
    v = numerals.from_roman(core)
    if v is not None:
        return t.replace(core, numerals.to_roman(v + 1, upper=core.isupper()))
    v = numerals.from_chinese(core)
    if v is not None and v > 0:
        return t.replace(core, numerals.to_chinese(v + 1))
    v = numerals.from_letters(core)
    if v is not None and core.isascii():
        return t.replace(core, numerals.to_letters(v + 1, upper=core.isupper()))
    return None


def _candidates(doc: Document, kind: str, code: str) -> list[int]:
    fs = features(doc, code)
    bl = doc.blocks
    if kind == "remove":
        c = [b.index for b in bl if b.label and b.kind in ("paragraph", "subparagraph")]
        return c or [b.index for b in bl[1:] if b.label]
    if kind == "number":
        return [b.index for b, f in zip(bl, fs) if f.numbers and len(b.text) > 20]
    if kind == "reference":
        return [b.index for b, f in zip(bl, fs) if f.refs]
    if kind == "bracket":
        return [b.index for b in bl if len(b.text) >= 30 and "[" not in b.text]
    if kind == "swap":
        return [b.index for b, n in zip(bl, bl[1:]) if b.label and n.label and b.label_type == n.label_type
                and b.path[:-1] == n.path[:-1] and b.kind != "heading" or
                (b.label and n.label and b.label_type == n.label_type == "article")]
    if kind == "label":
        return [b.index for b in bl if b.label and _bump_label(b.label, b.label_type) is not None]
    raise ValueError(kind)


def _bump_label(label: str, typ: str) -> str | None:
    if typ in ("article", "annex"):
        return label.rstrip(".") + " bis"     # the reader knows Latin ordinals in every language
    if typ == "part":                         # "PART II bis" is not read as a label: the next numeral
        m = re.search(r"[IVXLC]+$|[0-9]+$|[〇零一二三四五六七八九十百千两]+(?=部分)", label)
        return None if not m else label[:m.start()] + (_bump(m.group(0)) or m.group(0)) + label[m.end():]
    m = re.search(r"[0-9]+|[a-z]+|[а-я]|[〇零一二三四五六七八九十百千两]+", label)
    if not m:
        return None
    body = m.group(0)
    if typ.endswith("letter") and body.isascii() and numerals.from_letters(body) is not None:  # (c) → (d), not (ci)
        new = numerals.to_letters(numerals.from_letters(body) + 1, upper=body.isupper())
    else:
        new = _bump(body)
    return None if new is None else label[:m.start()] + new + label[m.end():]


def plant(doc: Document, code: str, kind: str, rng: random.Random, version: int = 0) -> Planted | None:
    cands = _candidates(doc, kind, code)
    if not cands:
        return None
    i = rng.choice(cands)
    b = doc.blocks[i]
    t = doc.text
    if kind == "remove":
        end = b.end
        while end < len(t) and t[end] == "\n":
            end += 1
        return Planted(kind, version, (i,), t[:b.start] + t[end:], f"removed {b.label or i}")
    if kind == "bracket":
        body = t[b.text_start:b.end]
        cut = body.find(" ", len(body) // 2)
        cut = cut if cut > 0 else len(body) // 2
        new = "[" + body[:cut] + "]" + body[cut:]
        return Planted(kind, version, (i,), t[:b.text_start] + new + t[b.end:], f"brackets in {b.label or i}")
    if kind == "number":
        fs = features(doc, code)[i]
        rules, _, _ = _ref_regex(code)
        inside = [(r.start(), r.end()) for _, rx in rules for r in rx.finditer(b.text)]
        for m in _NUMBER.finditer(b.text):
            if any(s0 <= m.start() < e0 for s0, e0 in inside):
                continue    # "الفقرتين 3 و 4": a reference, planted as such by the "reference" defect
            around = b.text[max(0, m.start() - 2):m.end() + 2]
            if "-" in around:
                continue    # "- 2": a paragraph number an OCR line ran in, not a number of the text
            if _norm_number(m.group(0)) in fs.numbers and m.group(0).isdigit():
                s = b.text_start + m.start()
                new = str(int(m.group(0)) + 1)
                return Planted(kind, version, (i,), t[:s] + new + t[s + len(m.group(0)):],
                               f"{m.group(0)} → {new} in {b.label or i}")
        for m in re.finditer("[〇○零一二三四五六七八九十百千两]{2,}", b.text):   # 一百二十天, not 第五条
            v = _zh_value(m.group(0))
            before = b.text[m.start() - 1:m.start()]
            if v is None or str(v) not in fs.numbers or before == "第" or "十" not in m.group(0) and v < 1000:
                continue
            s = b.text_start + m.start()
            new = numerals.to_chinese(v + 1) if v < 1000 else "".join("〇一二三四五六七八九"[int(c)] for c in str(v + 1))
            return Planted(kind, version, (i,), t[:s] + new + t[s + len(m.group(0)):],
                           f"{m.group(0)} → {new} in {b.label or i}")
        return None
    if kind == "reference":
        rules, unit_rx, _ = _ref_regex(code)
        for k, rx in rules:
            if k == "other":
                continue
            m = rx.search(b.text)
            if not m:
                continue
            u = unit_rx.search(b.text, m.start("n"))
            new = _bump(u.group(0)) if u else None
            if new is None:
                continue
            s = b.text_start + u.start()
            return Planted(kind, version, (i,), t[:s] + new + t[s + len(u.group(0)):],
                           f"{m.group(0)} → {new} in {b.label or i}")
        return None
    if kind == "swap":
        n = doc.blocks[i + 1]
        return Planted(kind, version, (i, i + 1), t[:b.start] + t[n.start:n.end] + t[b.end:n.start] + t[b.start:b.end]
                       + t[n.end:], f"swapped {b.label} and {n.label}")
    if kind == "label":
        new = _bump_label(b.label, b.label_type)
        s = t.find(b.label, b.start, b.text_start + 1)
        if s < 0:
            return None
        return Planted(kind, version, (i,), t[:s] + new + t[s + len(b.label):], f"label {b.label} → {new}")
    raise ValueError(kind)


def _signature(p: Parity, r: int, k: int) -> frozenset:
    """A row by the other versions' blocks, which the defect in version k did not touch."""
    return frozenset((j, b) for j, b in enumerate(p.rows[r].blocks) if j != k and b is not None)


def targets(clean: Parity, planted: Planted) -> set:
    """The signatures of the rows where the defect should be reported."""
    k = planted.version
    return {_signature(clean, r, k) for r, row in enumerate(clean.rows) if row.blocks[k] in planted.blocks}


def found(clean: Parity, bad: Parity, planted: Planted) -> bool:
    want = targets(clean, planted)
    kinds = EXPECT[planted.kind]
    for r, row in enumerate(bad.rows):
        sig = _signature(bad, r, planted.version)
        if not any(sig & w for w in want):
            continue
        if any(i.version == planted.version and i.kind in kinds for i in row.issues):
            return True
    return False


def false_issues(clean: Parity, bad: Parity, planted: Planted) -> int:
    """Issues `bad` reports that the clean run does not, away from the planted rows."""
    k = planted.version
    known = {(_signature(clean, r, k), i.version, i.kind) for r, row in enumerate(clean.rows) for i in row.issues}
    want = targets(clean, planted)
    n = 0
    for r, row in enumerate(bad.rows):
        sig = _signature(bad, r, k)
        near = any(sig & w for w in want)
        for i in row.issues:
            if near or (sig, i.version, i.kind) in known:
                continue
            if any(sig & s for s, v, kd in known if v == i.version and kd == i.kind):
                continue
            n += 1
    return n
