"""Parties' proposals → one bracketed consolidated text, losslessly.

Every proposal is aligned with the base, paragraph by paragraph (`align`), and
within a paragraph token by token (progressive alignment against the base
text: each party's diff against it). Stretches every party keeps are shared
text; elsewhere each distinct wording becomes an option with its supporters.
A paragraph that a party lacks (deleted, or moved elsewhere) lists that party
as absent; a party's new paragraph becomes a unit of its own after its
neighbour, labelled bis, ter, …; a paragraph whose proposals have too little
in common becomes `Alt` paragraphs.

The structure keeps, for every party, its own labels and the exact text of
its options, so `resolve(c, party)` gives back that party's proposal exactly.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from . import markup, numerals
from .align import Options, align, lis, normalize, similarity
from .diff import diff_tokens, refine_at_cuts
from .errors import NegotiateError
from .model import Block, Document, Opcode

# The result types live in the model; the `X as X` imports re-export them here as before.
from .model import Consolidated as Consolidated
from .model import Option as Option
from .model import Segment as Segment
from .model import Unit as Unit

if TYPE_CHECKING:
    from .export.consolidated import Style

FORMAT_VERSION = 1
_WORD = re.compile(r"\w+", re.UNICODE)
_SHORT = 3     # words: a text this short never becomes Alt paragraphs


def check_parties(file: str, proposals: int, parties: list[str]) -> None:
    """The one check of the party names `build` is given: one per proposal,
    none empty, none twice (the CLI runs it before reading the proposals).

    Raises:
        NegotiateError: with `reason` "party-count" or "party-empty" (a face
            says how to give the names), or a name given twice.
    """
    if len(parties) != proposals:
        raise NegotiateError(file, f"{proposals} proposals but {len(parties)} party names (one per proposal, in order)",
                             reason="party-count")
    seen = set()
    for p in parties:
        if not p.strip():
            raise NegotiateError(file, "a party name is empty", reason="party-empty")
        if p.casefold() in seen:
            raise NegotiateError(file, f"the party name {p!r} is given twice")
        seen.add(p.casefold())


def build(base: Document, proposals: list[Document], parties: list[str], alt_threshold: float = 0.35,
          options: Options | None = None) -> Consolidated:
    """Consolidate parties' proposals into one bracketed text (`negotiate.consolidate(...)`).

    Args:
        base: the text the parties propose changes to.
        proposals: one full version per party, in the order of `parties`.
        parties: the parties' names (distinct, non-empty).
        alt_threshold: a paragraph whose proposals share less than this share
            of their text becomes `Alt` paragraphs.
        options: alignment tunables (`negotiate.align.Options`).

    Returns:
        A `Consolidated`: one `Unit` per paragraph (shared text and options with
        their supporters, or Alt paragraphs; new paragraphs labelled bis/ter),
        from which `resolve(c, party)` gives back each party's proposal exactly;
        render it with `negotiate.export.consolidated.render_text`,
        `negotiate.contracts.consolidated_json` or `negotiate.export.docx`.

    Raises:
        NegotiateError: proposals and parties differ in number, a party name is
            empty or given twice, a proposal is in another language than the
            base, or does not look like a version of it.

    Examples:
        >>> import negotiate
        >>> base = negotiate.read("corpora/framework-v1-compilation.txt")
        >>> eu = negotiate.read("corpora/framework-v2-streamlined.txt")
        >>> c = negotiate.consolidate(base, [eu], ["EU"])
        >>> [t for _, t in negotiate.resolve(c, "EU")] == [b.text for b in eu.blocks]
        True
    """
    check_parties(base.path, len(proposals), parties)
    for doc, p in zip(proposals, parties):
        if "und" not in (base.language, doc.language) and doc.language != base.language:
            raise NegotiateError(doc.path, f"the proposal of {p} is in another language ({doc.language}) than the base ({base.language})")
    lang = base.token_language
    # Headers and footers are aligned too (among themselves): left out, a proposal's running
    # header would come back as paragraphs it added ("xiv bis SBSTA 61 – agenda item 13(a)").
    margins = dataclasses.replace(options or Options(), headers=True)
    # Per party: base index → party blocks; party blocks not tied to a base block, by anchor.
    mapped: list[dict[int, int]] = []
    inserted: list[dict[int, list[int]]] = []   # anchor base index (-1: before all) → party block indexes
    for doc, p in zip(proposals, parties):
        al = align(base, doc, margins)
        linked = sum(len(l.new) for l in al.links if l.old and l.new)
        if min(len(base.blocks), len(doc.blocks)) >= 5 and linked < 0.3 * min(len(base.blocks), len(doc.blocks)):
            raise NegotiateError(doc.path, f"the proposal of {p} does not look like a version of the base "
                                           f"({linked} of {len(doc.blocks)} paragraphs match)")
        # base index → the party's block. A merge gives its text to the first
        # base paragraph (the others are absent for this party); a split keeps
        # its first part there and its other parts become new paragraphs
        # right after; a moved paragraph is absent here and new there.
        pairs = sorted((l.old[0], l.new[0]) for l in al.links if l.old and l.new and l.op != "moved")
        # Only pairs in order on both sides can share a unit; any other is
        # absent here and new there for this party, which keeps its order.
        m: dict[int, int] = dict(pairs[k] for k in lis(pairs))
        owner = {j: i for i, j in m.items()}
        ins: dict[int, list[int]] = {}
        anchor = -1
        for j in range(len(doc.blocks)):
            if j in owner:
                anchor = owner[j]
            else:
                ins.setdefault(anchor, []).append(j)
        mapped.append(m)
        inserted.append(ins)

    units: list[Unit] = []
    order: dict[str, list[int]] = {p: [] for p in parties}

    def add_unit(u: Unit) -> None:
        idx = len(units)
        units.append(u)
        for p in u.labels:
            order[p].append(idx)

    def new_units(anchor: int, prev_label: str, anchor_labelled: bool = True) -> list[Unit]:
        """Units for the paragraphs parties add after base paragraph `anchor`."""
        groups: list[dict[str, Any]] = []   # each: {"texts": {party: (block)}, "key": normalized}
        for k, (doc, p) in enumerate(zip(proposals, parties)):
            last = -1
            for j in inserted[k].get(anchor, []):
                b = doc.blocks[j]
                match = None
                for gi in range(last + 1, len(groups)):
                    g = groups[gi]
                    if p not in g["members"] and similarity(g["key"], normalize(b)) >= 0.6:
                        match = gi
                        break
                if match is None:
                    groups.append({"members": {p: b}, "key": normalize(b)})
                    last = len(groups) - 1
                else:
                    groups[match]["members"][p] = b
                    last = match
        out = []
        for n, g in enumerate(groups):
            members: dict[str, Block] = g["members"]
            # "12 bis." after "12." (CONVENTIONS); a paragraph no party numbered, after a base
            # paragraph without a label (a table cell, a second paragraph of a chapeau), stays
            # unlabelled rather than taking the label of whatever was numbered last ("Annex bis").
            numbered = anchor_labelled or any(b.label for b in members.values())
            label = _bis(prev_label, n, taken) if prev_label and numbered else ""
            first = next(iter(members.values()))
            u = Unit(label=label, kind=first.kind, path=list(first.path), in_base=False,
                     labels={p: b.label for p, b in members.items()},
                     absent=[p for p in parties if p not in members])
            _fill(u, None, {p: b.text for p, b in members.items()}, lang, alt_threshold)
            out.append(u)
        return out

    # Labels already in the base, spaced alike ("16bis." = "16 bis"), so a new paragraph never repeats one.
    taken = {re.sub(rf"\s*({'|'.join(numerals.ORDINALS)})$", r" \1", b.label.rstrip(".:")) for b in base.blocks if b.label}
    prev_label = ""
    for u in new_units(-1, ""):
        add_unit(u)
    for i, bb in enumerate(base.blocks):
        texts, labels = {}, {}
        for k, (doc, p) in enumerate(zip(proposals, parties)):
            hit = mapped[k].get(i)
            if hit is not None:
                texts[p] = doc.blocks[hit].text
                labels[p] = doc.blocks[hit].label
        u = Unit(label=bb.label, kind=bb.kind, path=list(bb.path), in_base=True, labels=labels,
                 absent=[p for p in parties if p not in labels], base_text=bb.text)
        _fill(u, bb.text, texts, lang, alt_threshold)
        add_unit(u)
        if bb.label:
            prev_label = bb.label
        for nu in new_units(i, prev_label, bool(bb.label)):
            add_unit(nu)
    return Consolidated(base, list(parties), units, order, {p: d.language for p, d in zip(parties, proposals)},
                        list(proposals))


def _bis(label: str, n: int, taken: Collection[str] = frozenset()) -> str:
    """The label of the n-th new paragraph after `label`: "12." → "12 bis.",
    "12 ter." …; after "12 bis." comes "12 ter."; labels the base already uses
    are skipped."""
    if label.startswith("(") and label.endswith(")"):     # "(a)" → "(a bis)"
        return "(" + _bis(label[1:-1], n, {t.strip("()") for t in taken}) + ")"
    core = label.rstrip(".:")
    m = re.match(rf"^(.*?)\s*({'|'.join(numerals.ORDINALS)})$", core)
    first = 0
    if m:
        core, first = m.group(1), numerals.ORDINALS.index(m.group(2)) + 1
    dot = "." if label.endswith(".") else ""
    k, seen = first, 0
    while k < len(numerals.ORDINALS) - 1:
        cand = f"{core} {numerals.ORDINALS[k]}{dot}"
        if cand.rstrip(".") not in taken:
            if seen == n:
                return cand
            seen += 1
        k += 1
    return f"{core} {numerals.ORDINALS[-1]}{dot}"


def _fill(u: Unit, base_text: str | None, texts: dict[str, str], lang: str, alt_threshold: float,
          cuts: dict[str, list[int]] | None = None) -> None:
    """Segments of a unit from the present parties' texts, aligned on `base_text`
    (or on the first party's text for a paragraph not in the base). `cuts`: party (or
    BASE) → offsets in its text where words are cut (`diff.refine_at_cuts`)."""
    if not texts:
        u.segments = []
        return
    pivot = base_text if base_text is not None else next(iter(texts.values()))
    distinct: dict[str, list[str]] = {}
    for p, t in texts.items():
        distinct.setdefault(t, []).append(p)
    if len(distinct) == 1:
        u.segments = [Segment(shared=next(iter(distinct)))]
        return
    # Per party: diff against the pivot, as changed intervals of the pivot.
    # A party that kept the pivot's text: one equal stretch, what diff_tokens gives for
    # two equal texts (a lossless tokenization starts at 0 and ends at the end); about
    # a quarter of the diffs of a consolidation, not tokenized and encoded for nothing.
    diffs = {t: (([("equal", 0, len(t), 0, len(t))] if t else []) if t == pivot else diff_tokens(pivot, t, lang))
             for t in distinct}
    if cuts and base_text is not None:
        for t, ps in distinct.items():
            mine = sorted({x for p in ps for x in cuts.get(p, ())})
            if t != pivot and (mine or cuts.get(BASE)):
                diffs[t] = refine_at_cuts(pivot, t, diffs[t], cuts.get(BASE, []), mine, lang)
    intervals = []
    for ops in diffs.values():
        for tag, a1, a2, _b1, _b2 in ops:
            if tag != "equal":
                intervals.append((a1, a2))
    intervals.sort()
    regions: list[list[int]] = []
    for s, e in intervals:
        # Divergences one word apart read better as one: "[a b] (EU) [c d] (G77)".
        if regions and (s <= regions[-1][1] or len(_WORD.findall(pivot[regions[-1][1]:s])) <= 1):
            regions[-1][1] = max(regions[-1][1], e)
        else:
            regions.append([s, e])

    def cut(ops: list[Opcode], pos: int, at_start: bool) -> int:
        """Where pivot position `pos` falls in a party's text: at a region's
        start before any insertion there, at its end after it."""
        seq = ops if at_start else list(reversed(ops))
        for _tag, a1, a2, b1, b2 in seq:
            if a1 < pos < a2:
                return b1 + (pos - a1)          # inside an unchanged stretch
            if at_start and a1 == pos:
                return b1
            if not at_start and a2 == pos:
                return b2
        for _tag, a1, a2, b1, b2 in seq:         # the very start or end of the text
            if at_start and a2 == pos:
                return b2
            if not at_start and a1 == pos:
                return b1
        return 0

    regions = _whole_brackets(pivot, regions, diffs, cut)
    segments: list[Segment] = []
    pos = 0
    shared_chars = 0
    for s, e in regions:
        if s > pos:
            segments.append(Segment(shared=pivot[pos:s]))
            shared_chars += s - pos
        opts: dict[str, list[str]] = {}
        for t, ps in distinct.items():
            ops = diffs[t]
            piece = t[cut(ops, s, True):cut(ops, e, False)]
            opts.setdefault(piece, []).extend(ps)
        segments.append(Segment(options=[Option(txt, sorted(ps, key=list(texts).index)) for txt, ps in opts.items()]))
        pos = e
    if pos < len(pivot):
        segments.append(Segment(shared=pivot[pos:]))
        shared_chars += len(pivot) - pos
    avg = sum(len(t) for t in texts.values()) / len(texts)
    # Texts of a word or three (a table's cell, "Vintages" against "Vintager") share nothing
    # once one word differs, yet read best as one adjacent set, "[Vintages] (A) [Vintager] (B)":
    # Alt paragraphs are for paragraphs.
    short = all(len(_WORD.findall(t)) <= _SHORT for t in texts.values())
    if avg and shared_chars / avg < alt_threshold and not short:
        u.alternatives = [Option(t, ps) for t, ps in distinct.items()]
        u.segments = []
    else:
        u.segments = segments


def _spans(text: str) -> list[tuple[int, int]]:
    return [(n.start, n.end) for n in markup.parse(text).walk() if n.kind == "bracket" and n.open and n.close]


def _back(ops: list[Opcode], pos: int, at_start: bool) -> int:
    """A position in a party's text → the pivot position it stands for."""
    for tag, a1, a2, b1, b2 in ops:
        if b1 <= pos < b2 or (pos == b2 and not at_start and b2 > b1):
            if tag == "equal":
                return a1 + (pos - b1)
            return a1 if at_start else a2
    return ops[-1][2] if ops else 0


def _whole_brackets(pivot: str, regions: list[list[int]], diffs: dict[str, list[Opcode]],
                    cut: Callable[[list[Opcode], int, bool], int]) -> list[list[int]]:
    """Grow divergence regions until no option cuts through a bracket pair, in
    the pivot or in any party's text, so that every option reads on its own."""
    spans_p = _spans(pivot)
    spans_t = {t: _spans(t) for t in diffs}
    for _ in range(20):
        changed = False
        for r in regions:
            s, e = r
            for bs, be in spans_p:
                if (s <= bs < e < be) or (bs < s < be <= e) or (bs < s and e < be and s < e):
                    s, e = min(s, bs), max(e, be)
            for t, ops in diffs.items():
                ps, pe = cut(ops, s, True), cut(ops, e, False)
                for bs, be in spans_t[t]:
                    if (ps <= bs < pe < be) or (bs < ps < be <= pe) or (bs < ps and pe < be and ps < pe):
                        s = min(s, _back(ops, min(bs, ps), True))
                        e = max(e, _back(ops, max(be, pe), False))
            if [s, e] != r:
                r[0], r[1] = s, e
                changed = True
        merged: list[list[int]] = []
        for r in sorted(regions):
            if merged and r[0] <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], r[1])
            else:
                merged.append(list(r))
        regions = merged
        if not changed:
            break
    return regions


BASE = "\x00base"   # the base text as a pseudo-party in `against_base`


def against_base(u: Unit, lang: str = "en", cuts: dict[str, list[int]] | None = None) -> list[Segment]:
    """A base paragraph's segments with the base itself among the options (its
    supporters include `BASE`), never Alt paragraphs: where each party departs
    from the base text, for writing the proposals as tracked changes. `cuts` (party
    or BASE → offsets in its text): where its words are cut, so that a superscript
    note letter changed is tracked as the letter (see `compare`'s cuts)."""
    texts = {BASE: u.base_text, **{p: u.text_of(p) for p in u.present}}
    probe = Unit(u.label, u.kind, u.path, True, {})
    _fill(probe, u.base_text, texts, lang, alt_threshold=0.0, cuts=cuts)
    return probe.segments


def resolve(c: Consolidated, party: str) -> list[tuple[str, str]]:
    """That party's proposal, back from the consolidated text, exactly.

    Args:
        c: a `Consolidated` (from `build`, or `load` of a consolidated .json).
        party: one of `c.parties`.

    Returns:
        `(label, text)` for each of the party's paragraphs, in its own order
        and with its own labels.

    Raises:
        NegotiateError: `party` is not one of `c.parties`.

    Examples:
        >>> import negotiate
        >>> base = negotiate.read("corpora/framework-v1-compilation.txt")
        >>> c = negotiate.consolidate(base, [base], ["EU"])
        >>> negotiate.resolve(c, "EU")[5] == (base.blocks[5].label, base.blocks[5].text)
        True
    """
    if party not in c.parties:
        raise NegotiateError(c.base.path, f"no party {party!r} in this consolidated text (parties: {', '.join(c.parties)})")
    return [(c.units[ui].labels[party], c.units[ui].text_of(party)) for ui in c.order[party]]


# -- moved out (issue #16): rendering to export/consolidated.py, the JSON contract to
# contracts.py, reading tracked changes to ingest/revisions.py. The old names still work.
_MOVED = {"Style": "export.consolidated", "BRACKETS": "export.consolidated", "ATTRIBUTIONS": "export.consolidated",
          "render_unit": "export.consolidated", "render_text": "export.consolidated",
          "to_json": "contracts:consolidated_json", "from_json": "contracts:consolidated_from_json",
          "load": "contracts:load_consolidated", "FORMAT_VERSION": "contracts:CONSOLIDATED_FORMAT_VERSION",
          "proposals_from_revisions": "ingest.revisions"}


def __getattr__(name: str) -> Any:
    if name not in _MOVED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    module, _, attr = _MOVED[name].partition(":")
    return getattr(importlib.import_module(f"{__package__}.{module}"), attr or name)


def write_docx(c: Consolidated, path: str, st: Style | None = None) -> None:
    """The consolidated text as .docx: the base's own package when the base is a
    .docx, options in brackets, supporters in italics (export/bracketed.py)."""
    from .export import bracketed
    bracketed.write(c, path, st)
