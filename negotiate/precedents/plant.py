"""Libraries and drafts with known truth, for measuring precedents (tests, bench/precedents.py).

`Corpus.from_texts(paragraphs)` learns a vocabulary and a pool of clauses from real
paragraphs. `library(n)` makes n library paragraphs from it by mutation: a few clauses
of different real paragraphs joined, a quarter of their units swapped for words drawn
by frequency — the vocabulary and phrasing stay realistic, yet each paragraph is its
own. `draft(...)` makes a draft whose paragraphs are novel text (a first-order Markov
chain over the real texts: on topic, every word pair real, but not agreed language) and, in a given share of them, a clause
of 8–40 units planted from a library paragraph with up to one unit in five substituted,
inserted or deleted, square brackets added, case and typography changed, renumbered.
`score(result, truth)` gives the share of planted clauses found with their source and
an overlapping span, and the matches (each source cited) and the spans (each place marked)
reported on novel paragraphs, per 100 of them.
"""
from __future__ import annotations

import hashlib
import itertools
import random
import re
from dataclasses import dataclass, field

from ..model import Block, Document
from . import units as U

_CLAUSE = {"word": re.compile(r"[^,;:]+[,;:]?"), "char": re.compile(r"[^，；：。、]+[，；：。、]?")}
_JOIN = {"word": " ", "char": ""}


def _units(text: str, unit: str) -> list[str]:
    return text.split() if unit == "word" else [c for c in text if not c.isspace()]


@dataclass
class Planted:
    block: int            # index in the draft
    start: int            # the planted clause in the draft block's text
    end: int
    source: int           # index of the library paragraph it came from


@dataclass
class Corpus:
    unit: str                        # "word" | "char"
    language: str
    clauses: list[list[str]]
    vocab: list[str]
    cum_weights: list[int]
    rng: random.Random = field(default_factory=lambda: random.Random(19))
    follows: dict = field(default_factory=dict)     # unit → the units that follow it in the real texts

    @classmethod
    def from_texts(cls, paragraphs: list[str], language: str = "en", unit: str = "word", seed: int = 19):
        clauses, counts, follows = [], {}, {}
        for p in paragraphs:
            us = _units(p, unit)
            for a, b in zip(us, us[1:]):
                if unit == "char" or U.count(b) <= 2:
                    follows.setdefault(a, []).append(b)
            for m in _CLAUSE[unit].finditer(p):
                us = _units(m.group(0), unit)
                if len(us) >= 3:
                    clauses.append(us)
                for u in us:
                    counts[u] = counts.get(u, 0) + 1
        # Draws come from ordinary words: a URL or symbol (many units in one) would plant runs.
        vocab = sorted(u for u in counts if unit == "char" or U.count(u) <= 2)
        cum = list(itertools.accumulate(counts[v] for v in vocab))
        return cls(unit, language, clauses, vocab, cum, random.Random(seed), follows)

    def _words(self, n: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cum_weights, k=n)

    def _mutate(self, us: list[str], rate: float) -> list[str]:
        out = list(us)
        draws = iter(self._words(len(out) + 1))
        for i in range(len(out)):
            if self.rng.random() < rate:
                out[i] = next(draws)
        return out

    def paragraph(self, rate: float = 0.25, lo: int = 2, hi: int = 4) -> str:
        parts = []
        for _ in range(self.rng.randint(lo, hi)):
            parts.extend(self._mutate(self.rng.choice(self.clauses), rate))
        return _JOIN[self.unit].join(parts)

    def library(self, n: int, rate: float = 0.25) -> list[str]:
        return [self.paragraph(rate) for _ in range(n)]

    def novel(self, n_units: int) -> list[str]:
        """On-topic text that is not agreed language: each unit drawn after the one before as
        in the real texts (a first-order Markov chain), jumping to a word drawn by frequency
        half of the time — where a word has one follower only, the chain alone would copy
        the real text out word for word, which is reuse, not novel text."""
        out: list[str] = []
        while len(out) < n_units:
            nxt = self.follows.get(out[-1]) if out and self.rng.random() > 0.5 else None
            out.append(self.rng.choice(nxt) if nxt else self._words(1)[0])
        return out

    def edit(self, us: list[str], rate: float) -> list[str]:
        """Up to `rate` of the units substituted, inserted or deleted; brackets, case, typography."""
        out = list(us)
        for _ in range(int(rate * len(us))):
            op = self.rng.choice(("sub", "sub", "ins", "del"))
            i = self.rng.randrange(len(out))
            if op == "sub":
                out[i] = self._words(1)[0]
            elif op == "ins":
                out.insert(i, self._words(1)[0])
            elif len(out) > 3:
                del out[i]
        if self.unit == "word":
            if self.rng.random() < 0.5:
                out[0] = out[0][:1].upper() + out[0][1:]
            if self.rng.random() < 0.3:
                i = self.rng.randrange(len(out))
                out[i] = out[i].upper()
            out = [w.replace("'", "’").replace("-", "\u2011") if self.rng.random() < 0.5 else w for w in out]
        if self.rng.random() < 0.5 and len(out) > 4:      # a bracket around part of the clause
            i = self.rng.randrange(len(out) - 2)
            j = self.rng.randrange(i + 1, len(out))
            out[i] = ("［" if self.unit == "char" else "[") + out[i]
            out[j] = out[j] + ("］" if self.unit == "char" else "]")
        return out

    def draft(self, library: list[str], n: int, planted_share: float = 0.5, max_rate: float = 0.2,
              lo: int | None = None, hi: int | None = None, path: str = "draft.txt") -> tuple[Document, list[Planted]]:
        """Clauses of 8–40 words, or 12–60 characters (the same length of text in Chinese)."""
        lo = lo or (8 if self.unit == "word" else 12)
        hi = hi or (40 if self.unit == "word" else 60)
        texts, truth = [], []
        join = _JOIN[self.unit]
        for i in range(n):
            before = self.novel(self.rng.randint(0, 25))
            after = self.novel(self.rng.randint(0, 25))
            if self.rng.random() < planted_share:
                for _ in range(100):
                    j = self.rng.randrange(len(library))
                    src = _units(library[j], self.unit)
                    if len(src) >= lo:
                        break
                ln = self.rng.randint(lo, min(hi, len(src)))
                k = self.rng.randrange(len(src) - ln + 1)
                clause = self.edit(src[k:k + ln], self.rng.uniform(0, max_rate))
                head = join.join(before) + (join if before else "")
                body = join.join(clause)
                text = head + body + (join if after else "") + join.join(after)
                truth.append(Planted(i, len(head), len(head) + len(body), j))
            else:
                text = join.join(before + self.novel(self.rng.randint(10, 30)) + after)
            texts.append(text)
        return _document(texts, self.language, path), truth


def _document(texts: list[str], language: str, path: str) -> Document:
    """A draft of numbered paragraphs (renumbered: labels unlike any source's)."""
    pieces, blocks, pos = [], [], 0
    for i, t in enumerate(texts):
        label = f"{i + 101}."
        head = label + " "
        blocks.append(Block(index=i, kind="paragraph", label=label, path=(label.rstrip("."),), text=t, start=pos,
                            end=pos + len(head) + len(t), text_start=pos + len(head)))
        pieces.append(head + t)
        pos += len(head) + len(t) + 2
    text = "\n\n".join(pieces)
    return Document(path=path, sha256=hashlib.sha256(text.encode()).hexdigest(), format="txt", language=language,
                    text=text, blocks=blocks)


def score(result, truth: list[Planted], source_of) -> dict:
    """`source_of(match)` → the library paragraph index a match cites (or None)."""
    by_block: dict[int, list] = {}
    for m in result.matches:
        by_block.setdefault(m.block, []).append(m)
    found = top = 0
    for t in truth:
        hits = [m for m in by_block.get(t.block, []) if m.start < t.end and t.start < m.end]
        right = [m for m in hits if source_of(m) == t.source]
        found += bool(right)
        top += bool(right) and source_of(hits[0]) == t.source
    planted = {t.block for t in truth}
    novel = [i for i in range(len(result.draft.blocks)) if i not in planted]
    false = sum(len(by_block.get(i, [])) for i in novel)
    from .search import spans
    false_spans = sum(len(spans(by_block.get(i, []))) for i in novel)
    return {"planted": len(truth), "found": found / max(1, len(truth)), "found_first": top / max(1, len(truth)),
            "novel_paragraphs": len(novel), "false_per_100": 100 * false / max(1, len(novel)),
            "false_spans_per_100": 100 * false_spans / max(1, len(novel))}


def real_paragraphs(root, language: str = "en") -> list[str]:
    """Paragraphs of the real texts (../shared/realtexts) to learn from: English from the BBNJ
    Agreement, its resolutions and the Paris drafts; Chinese from the BBNJ Agreement."""
    from pathlib import Path

    from .. import lang
    from ..ingest import read
    root = Path(root)
    mod = lang.get(language) if language in lang.CODES else None
    texts = getattr(mod, "PRECEDENT_TEXTS", None) or lang.get("en").PRECEDENT_TEXTS   # (lang/*.py)
    files = [f for pattern in texts
             for f in (sorted(root.glob(pattern)) if "*" in pattern else [root / pattern])]
    out = []
    for f in files:
        if f.exists():
            out.extend(b.text for b in read(f).blocks if len(b.text) >= 30)
    return out
