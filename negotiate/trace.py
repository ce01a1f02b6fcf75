"""N versions → the chain of every paragraph through them.

Consecutive versions are aligned (`align.align`); links are joined across
versions with a union-find, so a chain holds, for each version, the blocks of
that paragraph there (none once deleted, several after a split) and how it got
there from the previous version.
"""
from __future__ import annotations

from collections.abc import Sequence

from .align import Alignment, Options, align
from .ingest.labels import component

# The result types live in the model; the `X as X` imports re-export them here as before.
from .model import Chain as Chain
from .model import Document
from .model import Step as Step

_Node = tuple[int, int]   # (version, block index)


class _UF:
    def __init__(self) -> None:
        self.p: dict[_Node, _Node] = {}

    def find(self, x: _Node) -> _Node:
        p = self.p
        p.setdefault(x, x)
        root = x
        while p[root] != root:
            root = p[root]
        while p[x] != root:
            p[x], x = root, p[x]
        return root

    def union(self, a: _Node, b: _Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[rb] = ra


def trace(docs: list[Document], options: Options | None = None,
          alignments: Sequence[Alignment | None] | None = None) -> tuple[list[Chain], list[Alignment]]:
    """Follow every paragraph through N versions.

    Args:
        docs: the versions, oldest first (two or more for anything to trace).
        options: alignment tunables (`negotiate.align.Options`).
        alignments: for each consecutive pair, `align(docs[i], docs[i + 1], options)`
            when the caller already has it (a `Comparison`'s `alignment`, say), or
            None to have it aligned here; one per pair (`len(docs) - 1`).

    Returns:
        `(chains, alignments)`: one `Chain` per paragraph, with one `Step` per
        version (its block indexes there, `[]` once deleted, and the op and
        similarity from the previous version), and the alignments of each
        consecutive pair. `find` picks chains by label or text; `step_diffs`
        gives each step's word diff.

    Raises:
        ValueError: `alignments` not one per consecutive pair.

    Examples:
        >>> import negotiate
        >>> docs = [negotiate.read("corpora/framework-v1-compilation.txt"),
        ...         negotiate.read("corpora/framework-v2-streamlined.txt")]
        >>> chains, alignments = negotiate.trace(docs)
        >>> [s.op for s in negotiate.trace.find(chains, docs, label="1.")[0].steps]
        ['first', 'equal']
    """
    pairs = list(zip(docs, docs[1:]))
    given: Sequence[Alignment | None] = alignments if alignments is not None else [None] * len(pairs)
    if len(given) != len(pairs):
        raise ValueError(f"{len(given)} alignments for {len(pairs)} consecutive pairs of versions")
    aligned = [al if al is not None else align(a, b, options) for (a, b), al in zip(pairs, given)]
    uf = _UF()
    for v, d in enumerate(docs):
        for b in d.blocks:
            uf.find((v, b.index))
    # (version, block) → how it came to be; ("gone", version, old block) → deleted there
    link_of: dict[_Node | tuple[str, int, int], tuple[str, float]] = {}
    for v, al in enumerate(aligned):
        for l in al.links:
            nodes = [(v, o) for o in l.old] + [(v + 1, n) for n in l.new]
            for x in nodes[1:]:
                uf.union(nodes[0], x)
            for n in l.new:
                link_of[(v + 1, n)] = (l.op, l.similarity)
            if not l.new:
                link_of[("gone", v + 1, l.old[0])] = ("deleted", 0.0)
    groups: dict[_Node, list[list[int]]] = {}
    order: list[_Node] = []
    for v, d in enumerate(docs):
        for b in d.blocks:
            r = uf.find((v, b.index))
            if r not in groups:
                groups[r] = [[] for _ in docs]
                order.append(r)
            groups[r][v].append(b.index)
    chains = []
    for r in order:
        per = groups[r]
        steps = []
        for v, blocks in enumerate(per):
            if v == 0:
                steps.append(Step(0, blocks, "first" if blocks else "absent"))
                continue
            if blocks:
                op, sim = link_of.get((v, blocks[0]), ("inserted", 0.0))
                if not per[v - 1] and op != "inserted":
                    op = "inserted"
                steps.append(Step(v, blocks, op, sim))
            else:
                steps.append(Step(v, [], "deleted" if per[v - 1] else "absent", 0.0))
        chains.append(Chain(steps))
    return chains, aligned


def find(chains: list[Chain], docs: list[Document], label: str | None = None, search: str | None = None,
         version: int | None = None) -> list[Chain]:
    """Chains holding a block with this label (in `version`, else in the first
    version that has it), or whose text contains `search` in any version."""
    if label is not None:
        want = component(label).casefold()
        versions = [version] if version is not None else range(len(docs))
        for v in versions:
            hits = [c for c in chains for i in c.at(v)
                    if component(docs[v].blocks[i].label).casefold() == want
                    or "/".join(docs[v].blocks[i].path).casefold() == want]
            if hits:
                return _unique(hits)
        return []
    needle = " ".join((search or "").split()).casefold()
    hits = [c for c in chains if any(needle in " ".join(docs[s.version].blocks[i].text.split()).casefold()
                                     for s in c.steps for i in s.blocks)]
    return _unique(hits)


def _unique(chains: list[Chain]) -> list[Chain]:
    seen, out = set(), []
    for c in chains:
        if id(c) not in seen:
            seen.add(id(c))
            out.append(c)
    return out


def step_diffs(chains: list[Chain], docs: list[Document]) -> dict[tuple[int, int], list[tuple[str, int, int, int, int]]]:
    """Fill each step's `diff`: the token opcodes from the chain's previous text,
    what `negotiate trace` shows (word level, character level for Chinese).
    A step with no blocks, or with nothing before it, keeps `diff = None`.

    Returns the same opcodes keyed by `(id(chain), version)`, the form
    `contracts.trace_json` used to need (it now reads `Step.diff`).

    Examples:
        >>> import negotiate
        >>> docs = [negotiate.read(f"corpora/framework-v{i}.txt") for i in ("1-compilation", "2-streamlined")]
        >>> chains, _ = negotiate.trace(docs)
        >>> _ = step_diffs(chains, docs)
        >>> chains[0].steps[1].diff is not None
        True
    """
    from .diff import diff_tokens
    diffs: dict[tuple[int, int], list[tuple[str, int, int, int, int]]] = {}
    for c in chains:
        prev: str | None = None
        for s in c.steps:
            d = docs[s.version]
            text = "\n".join(d.blocks[i].text for i in s.blocks)
            if prev is not None and s.blocks:
                s.diff = diffs[(id(c), s.version)] = diff_tokens(prev, text, d.token_language)
            if s.blocks:
                prev = text
    return diffs
