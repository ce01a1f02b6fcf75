"""Synthetic version pairs with known truth, for measuring alignment.

`make_pair(seed)` writes an old and a new version of a compilation-style text
(formulaic, nearly identical paragraphs on purpose) and the true links between
their blocks: word edits, renumbering, moves across sections, splits, merges,
insertions, deletions, bracket-only changes. `score(pred, truth)` gives F1 and
per-operation recall. Tests and `bench/align.py` use both.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from . import lang
from .model import Link
from .numerals import to_roman

# The vocabulary of each language (lang/*.SYNTH); a language without one is written with
# the Chinese vocabulary, as before.
EN: dict[str, Any] = lang.get("en").SYNTH
ZH: dict[str, Any] = lang.get("zh").SYNTH


def _vocabulary(language: str) -> dict[str, Any]:
    mod = lang.get(language) if language in lang.CODES else None
    return getattr(mod, "SYNTH", None) or ZH



@dataclass
class Item:
    src: list[int]             # ids of the old items this one comes from ([] = inserted)
    text: str
    heading: bool = False
    moved: bool = False
    id: int = -1


@dataclass
class Pair:
    old: str
    new: str
    truth: list[Link]
    language: str
    counts: dict = field(default_factory=dict)


def _sentence(r: random.Random, L) -> str:
    s = L["sep"]
    parts = [r.choice(L["actors"]), r.choice(L["modals"]), r.choice(L["verbs"]), r.choice(L["objects"]),
             r.choice(L["tails"])]
    if L is ZH:
        return parts[0] + parts[4] + parts[1] + parts[2] + parts[3] + L["end"]
    return s.join(parts) + L["end"]


def _paragraph(r, L) -> str:
    return (" " if L is EN else "").join(_sentence(r, L) for _ in range(r.choice([1, 2, 2, 3])))


def _tokens(text: str, L) -> list[str]:
    return text.split(" ") if L is EN else list(text)


def _join(tokens, L) -> str:
    return (" " if L is EN else "").join(tokens)


def _edit_words(r, text, L) -> str:
    toks = _tokens(text, L)
    for _ in range(r.randint(1, 3)):
        k = r.randrange(len(toks))
        roll = r.random()
        if roll < 0.4:
            toks[k] = r.choice(L["fill"])
        elif roll < 0.7:
            toks.insert(k, r.choice(L["fill"]))
        elif len(toks) > 4:
            del toks[k]
    return _join(toks, L)


def _bracket(r, text, L) -> str:
    """Add or lift brackets: a change that must not count as a change of text."""
    if "[" in text:
        return text.replace("[", "", 1).replace("]", "", 1)
    toks = _tokens(text, L)
    k = r.randrange(len(toks))
    j = min(len(toks), k + r.randint(1, 4))
    toks[k] = "[" + toks[k]
    toks[j - 1] = toks[j - 1] + "]"
    return _join(toks, L)


def make_pair(seed: int = 0, paragraphs: int = 150, language: str = "en", rate: float = 1.0,
              base_seed: int | None = None) -> Pair:
    """An old and a new version and their true links. `rate` scales how many
    edits; with `base_seed`, the old version depends on it alone, so several
    seeds give several versions of one base (proposals on one text)."""
    r = random.Random(seed)
    rb = random.Random(base_seed) if base_seed is not None else r
    L = _vocabulary(language)
    old: list[Item] = []
    per_section = max(5, paragraphs // len(L["sections"]) if paragraphs < 12 * len(L["sections"]) else paragraphs // 12)
    sec = 0
    while sum(1 for x in old if not x.heading) < paragraphs:
        title = L["sections"][sec % len(L["sections"])] + ("" if sec < len(L["sections"]) else f" {sec}")
        old.append(Item([], title, heading=True))
        sec += 1
        for _ in range(per_section):
            old.append(Item([], _paragraph(rb, L)))
    for i, it in enumerate(old):
        it.id = i
        it.src = [i]
    new = [Item(list(it.src), it.text, it.heading) for it in old]
    n_ops = max(1, int(paragraphs * 0.04 * rate))
    counts = {}

    def paras():
        seen: dict[int, int] = {}
        for x in new:
            for s_ in x.src:
                seen[s_] = seen.get(s_, 0) + 1
        return [k for k, it in enumerate(new) if not it.heading and len(it.src) == 1 and not it.moved
                and seen[it.src[0]] == 1]

    def bump(k):
        counts[k] = counts.get(k, 0) + 1

    for _ in range(n_ops * 3):
        k = r.choice(paras())
        new[k].text = _edit_words(r, new[k].text, L)
        bump("modified")
    for _ in range(n_ops):
        k = r.choice(paras())
        new[k].text = _bracket(r, new[k].text, L)
        bump("brackets")
    for _ in range(n_ops):
        k = r.choice(paras())
        it = new.pop(k)
        it.moved = True
        if r.random() < 0.5:
            it.text = _edit_words(r, it.text, L)
        heads = [h for h, x in enumerate(new) if x.heading]
        # Far away: into another section.
        target = r.choice([h for h in heads if abs(h - k) > per_section] or heads)
        new.insert(target + 1 + r.randrange(3), it)
        bump("moved")
    for _ in range(n_ops):
        cands = [k for k in paras() if len(new[k].text.split(L["end"])) > 2]
        if not cands:
            break
        k = r.choice(cands)
        sents = [s + L["end"] for s in new[k].text.split(L["end"]) if s.strip()]
        cut = r.randint(1, len(sents) - 1)
        sep = " " if L is EN else ""
        a, b = sep.join(s.strip() for s in sents[:cut]), sep.join(s.strip() for s in sents[cut:])
        new[k:k + 1] = [Item(list(new[k].src), a), Item(list(new[k].src), b)]
        bump("split")
    for _ in range(n_ops):
        ok = set(paras())
        cands = [k for k in ok if k + 1 in ok]
        if not cands:
            break
        k = r.choice(cands)
        sep = " " if L is EN else ""
        new[k:k + 2] = [Item(new[k].src + new[k + 1].src, new[k].text + sep + new[k + 1].text)]
        bump("merged")
    for _ in range(n_ops):
        k = r.choice(paras())
        new.pop(k)
        bump("deleted")
    for _ in range(n_ops):
        k = r.randrange(1, len(new))
        new.insert(k, Item([], _paragraph(r, L)))
        bump("inserted")
    old_text, old_idx = _render(old)
    new_text, new_idx = _render(new)
    return Pair(old_text, new_text, _truth(old, new, old_idx, new_idx), language, counts)


def _render(items: list[Item]) -> tuple[str, list[int]]:
    """Text with typed labels and each item's block index. Paragraphs are
    numbered from 1 in each section, as annexes are, so that big texts keep
    paragraph numbers below 1,000 (four digits could be years)."""
    out, idx, sec, n = [], [], 0, 0
    for k, it in enumerate(items):
        idx.append(k)
        if it.heading:
            sec += 1
            n = 0
            out.append(f"{to_roman(sec)}. {it.text}")
        else:
            n += 1
            out.append(f"{n}. {it.text}")
    return "\n\n".join(out) + "\n", idx


def _truth(old, new, old_idx, new_idx) -> list[Link]:
    links: list[Link] = []
    by_src: dict[int, list[int]] = {}
    for j, it in enumerate(new):
        for s in it.src:
            by_src.setdefault(s, []).append(j)
    seen_new = set()
    for j, it in enumerate(new):
        if j in seen_new:
            continue
        if not it.src:
            links.append(Link([], [new_idx[j]], "inserted", 0.0))
        elif len(it.src) > 1:
            links.append(Link([old_idx[s] for s in it.src], [new_idx[j]], "merged", 1.0))
        else:
            s = it.src[0]
            js = by_src[s]
            if len(js) > 1:
                links.append(Link([old_idx[s]], [new_idx[x] for x in js], "split", 1.0))
                seen_new.update(js)
                continue
            op = "moved" if it.moved else ("equal" if _same(old[s].text, it.text) else "modified")
            links.append(Link([old_idx[s]], [new_idx[j]], op, 1.0))
    used = {s for it in new for s in it.src}
    for it in old:
        if it.id not in used:
            links.append(Link([old_idx[it.id]], [], "deleted", 0.0))
    return links


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def units(links: list[Link]) -> set[tuple]:
    """Links as comparable units: (old, new, op) pairs; a split or merge as one unit per pair."""
    out = set()
    for l in links:
        if not l.old:
            out.update((None, n, "inserted") for n in l.new)
        elif not l.new:
            out.update((o, None, "deleted") for o in l.old)
        else:
            out.update((o, n, l.op) for o in l.old for n in l.new)
    return out


def score(pred: list[Link], truth: list[Link]) -> dict:
    """Link precision, recall, F1, and recall for each kind of operation."""
    p, t = units(pred), units(truth)
    tp = len(p & t)
    prec = tp / len(p) if p else 1.0
    rec = tp / len(t) if t else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    per = {}
    for op in ("equal", "modified", "moved", "split", "merged", "inserted", "deleted"):
        tt = {u for u in t if u[2] == op}
        if tt:
            per[op] = (len(tt & p) / len(tt), len(tt))
    return {"precision": prec, "recall": rec, "f1": f1, "per_op": per}
