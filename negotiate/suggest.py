"""Compromise text for a divergent paragraph: suggestions, never decisions.

Candidates: the common core (what everybody shares), the broadest-support
option at each divergence, a median text (at each divergence the wording
closest, in token edits, to every party's), and bridging formulas from a
curated table where their pattern matches (modal verbs, dated targets,
differentiated responsibilities, qualifiers). Each carries, per party, the
share of that party's tokens it keeps; candidates are ranked by the smallest
share, then the mean.
"""
from __future__ import annotations

import re

from rapidfuzz.distance import Indel, LCSseq

from .diff import similarity_code
from .model import BRACKET_CHARS, Consolidated, Option, Unit

# The result types live in the model; the `X as X` imports re-export them here as before.
from .model import Candidate as Candidate
from .tokenize import tokenize

# The curated table: (name, test on the options' texts, bridge text).
MODALS = ["shall", "must", "will", "should", "may", "are encouraged to", "is encouraged to"]
QUALIFIERS = ["as appropriate", "where feasible", "in accordance with national circumstances and legislation",
              "taking into account national capacities", "on a voluntary basis"]
_YEAR = re.compile(r"\bby \[?(?:20\d\d|20XX|\d{4})\]?", re.I)
_BRACKETS_SPACE = re.compile("[" + re.escape(BRACKET_CHARS) + r"\s]")
_DIFF = re.compile(r"\b(all|developed|developing)\s+(countr(?:y|ies)(?: Parties)?|Parties|States)\b", re.I)


def _bridge(options: list[Option], following: str = "") -> tuple[str, str] | None:
    texts = [o.text.strip() for o in options]
    if len({_BRACKETS_SPACE.sub("", t) for t in texts}) == 1:
        return None   # only brackets differ: nothing to bridge
    low = [t.lower() for t in texts]
    if low and all(t in MODALS for t in low if t) and len([t for t in low if t]) >= 2:
        if "shall" in low or "must" in low:
            return "modal verbs", "should"
        return "modal verbs", "are encouraged to"
    dated = [t for t in texts if _YEAR.search(t)]
    if dated and any(not _YEAR.search(t) for t in texts):
        m = _YEAR.search(dated[0])
        return "dated target", dated[0][:m.end()] + ", or as soon as possible" + dated[0][m.end():]  # type: ignore[union-attr]
    kinds = {m.group(1).lower(): m for t in texts for m in [_DIFF.search(t)] if m}
    if "all" in kinds and "developed" in kinds:
        noun = kinds["all"].group(2)
        return "differentiated responsibilities", f"all {noun}, with developed {kinds['developed'].group(2)} taking the lead"
    # A qualifier goes at the end of a clause only.
    at_clause_end = not following.strip() or following.lstrip()[:1] in ",.;:"
    if at_clause_end and any(not t for t in texts) and any(len(re.findall(r"\w+", t)) >= 2 for t in texts):
        kept = max((o for o in options if len(re.findall(r"\w+", o.text)) >= 2), key=lambda o: len(o.parties))
        q = next((q for q in QUALIFIERS if q not in kept.text), None)
        if q:
            return "qualifier", kept.text.rstrip() + f", {q}"
    return None


def _codes(text: str, vocab: dict[str, str], lang: str) -> str:
    out = []
    for t in tokenize(text, lang):
        if t.text.isspace():
            continue
        c = vocab.get(t.text)
        if c is None:
            c = vocab[t.text] = similarity_code(len(vocab))
        out.append(c)
    return "".join(out)


def retention(candidate: str, texts: dict[str, str], lang: str = "en") -> dict[str, float]:
    vocab: dict[str, str] = {}
    cand = _codes(candidate, vocab, lang)
    out = {}
    for p, t in texts.items():
        tok = _codes(t, vocab, lang)
        out[p] = 1.0 if not tok else LCSseq.similarity(tok, cand) / len(tok)
    return out


def candidates(u: Unit, lang: str = "en") -> list[Candidate]:
    if not u.divergent or not u.labels:
        return []
    texts = {p: u.text_of(p) for p in u.labels}
    found: dict[str, Candidate] = {}

    def add(kind: str, text: str) -> None:
        text = re.sub(r"[ \t]{2,}", " ", text).strip()
        if not text:
            return
        if text in found:
            found[text].kind += " = " + kind
        else:
            found[text] = Candidate(kind, text)

    if u.alternatives is not None:
        for o in u.alternatives:
            add(f"Alt of {', '.join(o.parties)}", o.text)
    else:
        segs = u.segments
        add("common core", "".join(s.shared if s.shared is not None else "" for s in segs))
        add("broadest support", "".join(s.shared if s.shared is not None else
                                        max(s.options or [], key=lambda o: len(o.parties)).text for s in segs))
        vocab: dict[str, str] = {}

        def median(opts: list[Option]) -> str:
            coded = [(o, _codes(o.text, vocab, lang)) for o in opts]
            return min(coded, key=lambda oc: sum(len(o2.parties) * Indel.distance(oc[1], c2) for o2, c2 in coded))[0].text
        add("median", "".join(s.shared if s.shared is not None else median(s.options or []) for s in segs))
        bridged, used = [], []
        for k, s in enumerate(segs):
            if s.shared is not None:
                bridged.append(s.shared)
                continue
            following = (segs[k + 1].shared or "") if k + 1 < len(segs) else ""
            options = s.options or []   # not shared: options (model.Segment)
            b = _bridge(options, following)
            if b:
                used.append(b[0])
                lead = " " if any(o.text[:1].isspace() for o in options) else ""
                tail = " " if any(o.text[-1:].isspace() for o in options) else ""
                bridged.append(lead + b[1] + tail)
            else:
                bridged.append(max(options, key=lambda o: len(o.parties)).text)
        if used:
            add("bridge: " + ", ".join(dict.fromkeys(used)), "".join(bridged))
    out = list(found.values())
    for c in out:
        c.retention = retention(c.text, texts, lang)
    out.sort(key=lambda c: (-c.minimum, -c.mean))
    return out


def suggest(c: Consolidated, label: str | None = None) -> list[tuple[int, list[Candidate]]]:
    """Ranked compromise candidates for every divergent paragraph: suggestions, never decisions.

    Args:
        c: a `Consolidated` (from `negotiate.consolidate`, or `consolidate.load`).
        label: only the paragraph with this label (the consolidated label or
            any party's own).

    Returns:
        `(unit index, candidates)` per divergent unit, candidates best first
        (ranked by the smallest share of any party's wording kept, then the
        mean); each `Candidate` has `kind`, `text` and `retention` per party.
        Empty when nothing diverges or no unit has `label`.

    Examples:
        >>> import negotiate
        >>> base = negotiate.read("corpora/framework-v1-compilation.txt")
        >>> v2 = negotiate.read("corpora/framework-v2-streamlined.txt")
        >>> c = negotiate.consolidate(base, [base, v2], ["A", "B"])
        >>> unit, candidates = negotiate.suggest(c)[0]
        >>> candidates[0].minimum >= candidates[-1].minimum
        True
    """
    from .ingest.labels import component
    lang = next((l for l in c.languages.values() if l not in ("", "und")), "en")
    out = []
    for i, u in enumerate(c.units):
        if label is not None and component(u.label).casefold() != component(label).casefold() \
                and not any(component(x).casefold() == component(label).casefold() for x in u.labels.values()):
            continue
        cands = candidates(u, lang)
        if cands:
            out.append((i, cands))
    return out
