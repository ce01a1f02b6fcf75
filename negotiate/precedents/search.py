"""Draft → the spans of its paragraphs that reuse library wording, with their sources.

A visible pipeline, one function a stage:

  units      each draft paragraph → units (words; characters for Chinese) and shingles
  candidates shingles → library paragraphs sharing at least `min_shared` of them, boilerplate
             shingles (in more than `common` paragraphs) left out, the best `candidates` by
             votes kept, and up to `rare_slots` more holding one of the draft's rarest shingles
  verify     each (draft paragraph, candidate) → seeds (shared shingles at positions i, j),
             chained into runs that advance together on both sides with small gaps (the edits);
             each run aligned word by word with rapidfuzz (Levenshtein over units) and extended
             outwards over the edits at its edges (`extend`); the span of the best score (units
             in common − edits) with at least `min_words` units at ≥ `min_similarity` is a match
  rank       matches of overlapping draft spans grouped, best source first (score, then
             similarity), `max_sources` kept

Clause level by construction: a run can sit anywhere inside either paragraph, so a
10-word clause reused inside a 200-word paragraph is found as itself.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Levenshtein

from ..model import Document, Precedent, Precedents, Source
from . import units as U
from .library import Library


@dataclass
class Options:
    min_words: int | None = None   # shortest reuse counted; None: the language's (8 words, 12 characters in Chinese)
    min_similarity: float = 0.8    # of the draft span to the source span, per unit (1 = same words)
    candidates: int = 12           # library paragraphs verified per draft paragraph
    min_shared: int = 2            # shingles a library paragraph must share to be verified ...
    rare: int = 16                 # ... but up to `rare_slots` more are, holding a shingle this rare
    rare_slots: int = 4            # (in at most `rare` paragraphs), even if they share only that one
    common: int = 20000            # a shingle in more library paragraphs than this is never looked up
    budget: int = 8000             # postings read per draft paragraph, its rarest shingles first
    max_sources: int = 5           # sources listed for one reused span, best first
    gap: int = 4                   # units between two shared shingles of one run (an edit kills K shingles)
    repeats: int = 8               # positions of one shingle looked at in a paragraph (repetitive text)
    run_seeds: int = 2             # shared shingles a run needs before it is aligned


@dataclass
class _Run:
    i0: int
    j0: int
    i1: int   # last seed
    j1: int
    seeds: int


def seeds(dh: np.ndarray, lh: np.ndarray, repeats: int = 8) -> list[tuple[int, int]]:
    """Positions (i in draft, j in source) where both have the same shingle (vectorised:
    only the draft positions that hit anything are looked at one by one)."""
    order = np.argsort(lh, kind="stable")
    sl = lh[order]
    lo = np.searchsorted(sl, dh, "left")
    hi = np.searchsorted(sl, dh, "right")
    hit = np.nonzero(hi > lo)[0].tolist()
    if not hit:
        return []
    lo, hi, order = lo.tolist(), hi.tolist(), order.tolist()
    return [(i, order[j]) for i in hit for j in range(lo[i], min(hi[i], lo[i] + repeats))]


def runs(pairs: list[tuple[int, int]], reach: int) -> list[_Run]:
    """Chain seeds that advance together on both sides, at most `reach` positions apart."""
    open_: list[_Run] = []
    done: list[_Run] = []
    for i, j in sorted(pairs):
        best, best_skew = None, None
        keep = []
        for r in open_:
            if i - r.i1 > reach:
                done.append(r)
                continue
            keep.append(r)
            di, dj = i - r.i1, j - r.j1
            if 0 < di <= reach and 0 < dj <= reach:
                skew = abs(di - dj)
                if best is None or skew < best_skew or (skew == best_skew and r.seeds > best.seeds):
                    best, best_skew = r, skew
        open_ = keep
        if best is not None:
            best.i1, best.j1 = i, j
            best.seeds += 1
        else:
            open_.append(_Run(i, j, i, j, 1))
    return done + open_


def equal_blocks(d: list[int], s: list[int], i0: int = 0, j0: int = 0) -> list[tuple[int, int, int, int]]:
    """The runs of equal units of rapidfuzz's alignment (Levenshtein opcodes over unit ids) of d
    and s, as (d from, to, s from, to) offset by i0, j0."""
    return [(i0 + o.src_start, i0 + o.src_end, j0 + o.dest_start, j0 + o.dest_end)
            for o in Levenshtein.opcodes(d, s) if o.tag == "equal"]


def extend(d: list[int], s: list[int], i: int, j: int, step: int, reach: int, gap: int
           ) -> list[tuple[int, int, int, int]]:
    """The runs of equal units met walking out of a core from d[i], s[j] (step +1: rightwards from
    the core's end, -1: leftwards from just before its start), at most `reach` units, stepping
    over at most `gap` units of edits at a time — of the possible steps the cheapest, then the
    one followed by the longest equal run.

    A global alignment of a flank would do as well where the flanks are alike, but where they
    are not, several alignments cost the same and the one it keeps may match a "the" of the
    text around the clause instead of the clause's own first word."""
    out = []
    n_d, n_s = len(d), len(s)

    def run(x: int, y: int) -> int:
        n = 0
        while 0 <= x + n * step < n_d and 0 <= y + n * step < n_s and d[x + n * step] == s[y + n * step]:
            n += 1
        return n

    start_i = i
    while abs(i - start_i) < reach:
        n = run(i, j)
        if n:
            a, b = (i, i + n) if step > 0 else (i - n + 1, i + 1)
            c, e = (j, j + n) if step > 0 else (j - n + 1, j + 1)
            out.append((a, b, c, e))
            i, j = i + n * step, j + n * step
        near_d = d[i:i + gap + 1] if step > 0 else d[max(0, i - gap):i + 1]
        near_s = s[j:j + gap + 1] if step > 0 else s[max(0, j - gap):j + 1]
        if i < 0 or j < 0 or not set(near_d).intersection(near_s):
            break           # nothing in common within reach: the usual end, found at once
        best = None
        for cost in range(1, gap + 1):
            for di in range(cost + 1):
                for dj in ((cost,) if di < cost else range(cost + 1)):
                    x, y = i + di * step, j + dj * step
                    if 0 <= x < n_d and 0 <= y < n_s and d[x] == s[y]:
                        ln = run(x, y)
                        if best is None or ln > best[0]:
                            best = (ln, x, y)
            if best is not None:
                break
        if best is None:
            break
        i, j = best[1], best[2]
    return out if step > 0 else out[::-1]


def best_span(d: list[int], s: list[int], n_min: int, s_min: float) -> tuple[int, int, int, int, float] | None:
    """The span of two unit sequences with the best score (units in common − edits) whose similarity
    is at least `s_min` and whose longer side has at least `n_min` units: (d from, to, s from, to, sim).

    rapidfuzz aligns the two (Levenshtein opcodes over unit ids); a span starts and ends on
    equal runs, and its similarity is 1 − edits / longer side, edits counted as the opcodes
    between its runs (a replacement of n units is n edits, an insertion or deletion its length)."""
    return best_of(equal_blocks(d, s), n_min, s_min)


def best_of(eq: list[tuple[int, int, int, int]], n_min: int, s_min: float, d: list[int] | None = None,
            frequent: frozenset[int] = frozenset()) -> tuple[int, int, int, int, float] | None:
    """`best_span` given the equal runs of an alignment, in order. A span neither starts nor ends
    on a run of one frequent word (`frequent`: unit ids; d: the units eq's first side indexes)
    cut off by an edit: "the [Law] of the Sea on [its] the" is six words of reuse, not eight."""
    weak = [d is not None and e[1] - e[0] == 1 and d[e[0]] in frequent for e in eq]
    if not eq:
        return None
    if len(eq) > 64:   # bounded work on a huge paragraph: the whole aligned region, or nothing
        i1, i2, j1, j2 = eq[0][0], eq[-1][1], eq[0][2], eq[-1][3]
        longer = max(i2 - i1, j2 - j1)
        sim = 1 - (longer - sum(e[1] - e[0] for e in eq)) / longer
        return (i1, i2, j1, j2, sim) if sim >= s_min and longer >= n_min else None
    best = None
    for x in range(len(eq)):
        matched = 0
        if weak[x]:
            continue
        for y in range(x, len(eq)):
            matched += eq[y][1] - eq[y][0]
            i1, i2, j1, j2 = eq[x][0], eq[y][1], eq[x][2], eq[y][3]
            longer = max(i2 - i1, j2 - j1)
            if longer < n_min or weak[y]:
                continue
            # Edits between the runs: the unmatched units of the longer side, the alignment being monotone.
            edits = longer - matched
            sim = 1 - edits / longer
            # The reuse is the span with the best local-alignment score (a unit in common +1, an edit
            # −1), not the most units in common: taking in one more shared word at the cost of two
            # edits (the text around a clause) would lower the similarity of the right source below
            # that of near-copies of the clause alone.
            key = (matched - edits, sim)
            if sim >= s_min and (best is None or key > best[0]):
                best = (key, (i1, i2, j1, j2, sim))
    return best[1] if best else None


def score(i1: int, i2: int, j1: int, j2: int, sim: float) -> int:
    """A span's local-alignment score: units in common − edits (sim = 1 − edits / longer side)."""
    longer = max(i2 - i1, j2 - j1)
    edits = round((1 - sim) * longer)
    return longer - 2 * edits


def verify(dids: list[int], dh: np.ndarray, sids: list[int], sh: np.ndarray, k: int, n_min: int, s_min: float,
           opt: Options, frequent: frozenset[int] = frozenset()) -> list[tuple[int, int, int, int, float]]:
    """Reused spans between a draft paragraph and a library paragraph, given their unit ids
    and shingles: (draft unit from, to, source unit from, to, similarity).

    Each run of shared shingles is a core; it is widened by `n_min` units on both sides
    (the edits at a clause's edges leave no shared shingle there) and the best span of the
    widened region is kept. Spans that overlap a better one on the draft side are dropped."""
    found = []
    margin = n_min + k
    for r in runs(seeds(dh, sh, opt.repeats), k + opt.gap):
        if r.seeds < opt.run_seeds:
            continue
        # The core (first to last shared shingle) is aligned by rapidfuzz, and from it the
        # alignment is extended outwards (`extend`) over the edits at a clause's edges, which
        # leave no shared shingle there.
        ci0, ci1, cj0, cj1 = r.i0, r.i1 + k, r.j0, r.j1 + k
        eq = (extend(dids, sids, ci0 - 1, cj0 - 1, -1, margin, opt.gap)
              + equal_blocks(dids[ci0:ci1], sids[cj0:cj1], ci0, cj0)
              + extend(dids, sids, ci1, cj1, +1, margin, opt.gap))
        merged: list[tuple[int, int, int, int]] = []
        for e in eq:            # runs that touch across the core's edges are one run
            if merged and merged[-1][1] == e[0] and merged[-1][3] == e[2]:
                merged[-1] = (merged[-1][0], e[1], merged[-1][2], e[3])
            else:
                merged.append(e)
        span = best_of(merged, n_min, s_min, dids, frequent)
        if span:
            found.append(span)
    found.sort(key=lambda t: (-score(*t), -t[4]))
    out = []
    for t in found:
        if all(t[1] <= o[0] or o[1] <= t[0] for o in out):
            out.append(t)
    return out


def find(draft: Document, library: Library, options: Options | None = None) -> Precedents:
    """Every span of the draft's paragraphs whose wording reuses a library paragraph.

    Clause level: a reused clause of at least `options.min_words` words (12
    characters in Chinese) counts inside a longer paragraph, through small edits,
    renumbering, brackets, case and typography.

    Args:
        draft: the draft, as `negotiate.read` gives it.
        library: the adopted texts (`negotiate.precedents.Library`).
        options: thresholds and search budgets (`negotiate.precedents.Options`).

    Returns:
        A `Precedents`: `matches` ordered by draft block, then span, the sources of
        one span best first, each with its `source` paragraph and `similarity`;
        `warnings` (an empty library gives no match and a warning).

    Examples:
        >>> import tempfile
        >>> import negotiate
        >>> from negotiate.precedents import Library
        >>> with tempfile.TemporaryDirectory() as where:
        ...     lib = Library(where)
        ...     _ = lib.add(negotiate.read("corpora/framework-v1-compilation.txt"))
        ...     found = negotiate.precedents(negotiate.read("corpora/framework-v2-streamlined.txt"), lib)
        ...     lib.close()
        >>> found.matches[0].source.path
        'corpora/framework-v1-compilation.txt'
    """
    opt = options or Options()
    warnings: list[str] = []
    if library.paragraph_count() == 0:
        return Precedents(draft, [], ["the library is empty: there are no adopted texts to compare with"])
    _, n_default, k = U.settings(draft.token_language)
    frequent = U.frequent(draft.token_language)
    n_min = opt.min_words or n_default
    # units: each draft paragraph's units and shingles
    work = []
    for b in draft.blocks:
        u = U.units(b.text)
        if max(len(u.ids), 0) < n_min:
            continue
        work.append((b, u, U.shingles(u.ids, k)))
    if not work:
        return Precedents(draft, [], warnings)
    # candidates: rare shingles → library paragraphs sharing enough of them
    every = sorted({h for _, _, hs in work for h in hs.tolist()})
    df = library.frequencies(every)
    # Each paragraph looks up its rarest shingles first, up to `budget` postings in all, so
    # boilerplate costs nothing unless a paragraph has nothing rarer.
    picked = []
    for _, _, hs in work:
        uniq = np.unique(hs)
        f = np.array([df.get(h, 0) for h in uniq.tolist()], dtype=np.int64)
        ok = (f > 0) & (f <= opt.common)
        uniq, f = uniq[ok], f[ok]
        order = np.argsort(f, kind="stable")
        uniq, f = uniq[order], f[order]
        picked.append((uniq[np.cumsum(f) <= opt.budget], ))
    by_hash = library.postings(sorted({h for (u,) in picked for h in u.tolist()}))
    # A shared rare shingle says more than a shared common one: votes weighted by log(N / df).
    total = max(2, library.paragraph_count())
    chosen = []
    for (u,) in picked:
        lists = [by_hash[h] for h in u.tolist() if h in by_hash]
        if not lists:
            chosen.append([])
            continue
        pids = np.concatenate(lists)
        w = np.concatenate([np.full(len(x), math.log(total / len(x)) + 1) for x in lists])
        ids, inv = np.unique(pids, return_inverse=True)
        votes = np.bincount(inv, weights=w)
        shared = np.bincount(inv)
        votes[shared < opt.min_shared] = 0
        top = np.argsort(-votes, kind="stable")[:opt.candidates]
        top = [int(i) for i in top if votes[i] > 0]
        if opt.rare_slots:
            # A few more: the paragraphs holding the draft's rarest shingles, even if they share
            # one only. Votes favour copies of a common clause (hundreds share its shingles),
            # and the budget may run out before the source's other shingles are read, while a
            # shingle held by a handful of paragraphs nearly names the source by itself.
            mindf = np.full(len(ids), np.iinfo(np.int64).max)
            np.minimum.at(mindf, inv, np.concatenate([np.full(len(x), len(x)) for x in lists]))
            seen = set(top)
            extra = [int(i) for i in np.argsort(mindf, kind="stable")[:opt.rare_slots + len(top)]
                     if mindf[i] <= opt.rare and int(i) not in seen]
            top += extra[:opt.rare_slots]
        chosen.append([int(ids[i]) for i in top])
    paras = library.paragraphs(sorted({p for c in chosen for p in c}))
    docs = library.documents_by_id(sorted({row[0] for row in paras.values()}))
    # verify: each candidate aligned with the draft paragraph. The candidates' shingles are
    # computed in one pass over all their units end to end (sliced per paragraph after).
    order = sorted(paras)
    unit_ids = {pid: np.frombuffer(paras[pid][5], dtype="<u4") for pid in order}
    cand_sh: dict[int, np.ndarray] = {}
    for kk in {U.settings(paras[pid][3])[2] for pid in order}:
        group = [pid for pid in order if U.settings(paras[pid][3])[2] == kk]
        lens = [len(unit_ids[pid]) for pid in group]
        flat = np.concatenate([unit_ids[pid] for pid in group]).astype(np.uint64)
        allh = U.shingles(flat, kk)
        pos = 0
        for pid, n in zip(group, lens):
            cand_sh[pid] = allh[pos:pos + max(0, n - kk + 1)]
            pos += n
    spans_of: dict[int, tuple[list[int], list[int]]] = {}
    matches: list[Precedent] = []
    for (b, u, hs), cands in zip(work, chosen):
        found = []
        dids = u.ids.tolist()
        for pid in cands:
            row = paras.get(pid)
            if row is None:      # removed since it was indexed
                continue
            doc_id, block, label, language, text, _ = row
            src = docs.get(doc_id)
            if src is None or src.sha256 == draft.sha256:   # the draft itself, if it was added
                continue
            for a0, a1, b0, b1, sim in verify(dids, hs, unit_ids[pid].tolist(), cand_sh[pid], k, n_min,
                                              opt.min_similarity, opt, frequent):
                so = spans_of.get(pid)
                if so is None:
                    so = spans_of[pid] = U.offsets(text)
                found.append((score(a0, a1, b0, b1, sim), Precedent(
                    block=b.index, start=u.starts[a0], end=u.ends[a1 - 1], similarity=round(sim, 4),
                    source=Source(path=src.path, symbol=src.symbol, block=block, label=label,
                                  start=so[0][b0], end=so[1][b1 - 1], text=text, title=src.title,
                                  date=src.date))))
        matches.extend(rank(found, opt.max_sources))
    return Precedents(draft, matches, warnings)


def rank(found: list[tuple[float, Precedent]], max_sources: int) -> list[Precedent]:
    """Group matches whose draft spans overlap; in each group the best source first — the highest
    score (units in common − edits, see `best_span`), then the most similar; one match per
    source paragraph, `max_sources` kept."""
    found.sort(key=lambda sm: (sm[1].start, -sm[1].end))
    groups: list[list[tuple[float, Precedent]]] = []
    end = -1
    for sm in found:
        m = sm[1]
        if groups and m.start < end:
            groups[-1].append(sm)
            end = max(end, m.end)
        else:
            groups.append([sm])
            end = m.end
    out = []
    for g in groups:
        g.sort(key=lambda sm: (-sm[0], -sm[1].similarity, sm[1].source.path, sm[1].source.block))
        seen = set()
        kept = []
        for _, m in g:
            key = (m.source.path, m.source.block)
            if key in seen:
                continue
            seen.add(key)
            kept.append(m)
            if len(kept) == max_sources:
                break
        out.extend(kept)
    return out


def citation(m: Precedent) -> str:
    """"A/RES/78/272 para. 5, 0.93" — the symbol (or file name), the paragraph, the similarity;
    an unnumbered paragraph is "¶4", the fourth paragraph of the document counted from the top."""
    import os
    who = m.source.symbol or os.path.basename(m.source.path)
    lab = m.source.label.strip().rstrip(".")
    where = f"para. {lab}" if lab else f"¶{m.source.block + 1}"
    return f"{who} {where}, {m.similarity:.2f}"


def spans(matches: list[Precedent]) -> list[tuple[int, int, list[Precedent]]]:
    """One block's matches as reused spans: (start, end, its matches best first), in text order."""
    rank_of = {id(m): r for r, m in enumerate(matches)}     # `find` lists them best first
    out: list[tuple[int, int, list[Precedent]]] = []
    for m in sorted(matches, key=lambda m: (m.start, -m.end)):
        if out and m.start < out[-1][1]:
            s, e, ms = out[-1]
            out[-1] = (s, max(e, m.end), ms + [m])
        else:
            out.append((m.start, m.end, [m]))
    return [(s, e, sorted(ms, key=lambda m: rank_of[id(m)])) for s, e, ms in out]


def as_document(texts: list[str], language: str = "en", path: str = "(texts)", labels: list[str] | None = None
                ) -> Document:
    """Paragraph texts as a Document (a proposal's wording, a page's paragraphs) to search with."""
    import hashlib

    from ..model import Block
    blocks, pos = [], 0
    for i, t in enumerate(texts):
        lab = labels[i] if labels else ""
        blocks.append(Block(index=i, kind="paragraph", label=lab, path=(), text=t, start=pos, end=pos + len(t),
                            text_start=pos))
        pos += len(t) + 2
    text = "\n\n".join(texts)
    return Document(path=path, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), format="txt",
                    language=language, text=text, blocks=blocks)


def agreed(texts: list[str], regions: list[list[tuple[int, int]]], library: Library, language: str = "en",
           options: Options | None = None) -> list[list[Precedent]]:
    """For each text, the precedents overlapping one of its regions (the new wording of a
    proposal inside its paragraph): is what a party proposes agreed language elsewhere?"""
    if not texts or library.paragraph_count() == 0:
        return [[] for _ in texts]
    res = find(as_document(texts, language), library, options)
    by = res.by_block()
    return [[m for m in by.get(i, []) if any(m.start < e and s < m.end for s, e in regions[i])]
            for i in range(len(texts))]
