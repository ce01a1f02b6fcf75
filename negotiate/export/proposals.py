"""The consolidation as Word tracked changes: the base text, with each party's
proposals marked as insertions and deletions by that party (Word's review pane
then shows, and filters, each delegation's changes in its own colour).

Reject every change and you have the base text. Where several parties propose
the same wording, one change carries all their names ("EU, Norway"); where
they propose different wordings for the same words, each wording is its own
insertion after the base words' deletion, so accepting everything at once has
no meaning there — the bracketed .docx is the text to negotiate on. A party's
proposal to delete a whole paragraph is a comment by that party; a paragraph a
party adds is an inserted paragraph by that party.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..consolidate import BASE, against_base
from ..model import Consolidated, Document, Option, Segment, Unit
from .wordml import DocxWriter, Para, Run


def _who(parties: list[str]) -> str:
    return ", ".join(p for p in parties if p != BASE)


def _against_base_piece(seg: Segment) -> tuple[str, list[Option], list[str]]:
    """A divergent segment as the base's own piece, the other options, and the parties whose
    options leave the base's piece out (they propose deleting it)."""
    options = seg.options or []   # set whenever shared is not
    kept = next((o for o in options if BASE in o.parties), None)
    others = [o for o in options if o is not kept]
    return (kept.text if kept else ""), others, [p for o in others for p in o.parties]


def _base_paragraph(u: Unit, lang: str, date: str) -> Para:
    runs = [Run(u.label + "\t")] if u.label else []
    for seg in against_base(u, lang):
        if seg.shared is not None:
            runs.append(Run(seg.shared))
            continue
        base_piece, others, deleting = _against_base_piece(seg)
        if base_piece and deleting:
            runs.append(Run(base_piece, delete=(_who(deleting), date)))
        elif base_piece:
            runs.append(Run(base_piece))
        for o in others:
            if o.text:
                runs.append(Run(o.text, ins=(_who(o.parties), date)))
    for p in u.absent:
        what = f"paragraph {u.label.rstrip('.')}" if u.label else "this paragraph"
        runs.append(Run("", comment=(p, f"{p} proposes to delete {what}.")))
    return Para(runs, style="Heading1" if u.kind == "heading" and len(u.path) <= 1 else "")


def _new_paragraphs(u: Unit, date: str) -> list[Para]:
    by_text: dict[str, list[str]] = {}
    for p in u.present:
        by_text.setdefault(u.text_of(p), []).append(p)
    out = []
    for text, parties in by_text.items():
        who = (_who(parties), date)
        runs = ([Run(u.label + "\t", ins=who)] if u.label else []) + [Run(text, ins=who)]
        out.append(Para(runs, mark_ins=who))
    return out


def build(c: Consolidated, date: str | None = None) -> DocxWriter:
    date = date or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    lang = c.base.token_language
    w = DocxWriter(f"Proposals by {', '.join(c.parties)} on {c.base.symbol or c.base.path}")
    for u in c.units:
        if u.in_base:
            w.add(_base_paragraph(u, lang, date))
        elif u.labels:
            for para in _new_paragraphs(u, date):
                w.add(para)
    return w


def count_changes(w: DocxWriter) -> int:
    """Tracked changes as Word and LibreOffice list them: maximal stretches of
    inserted or deleted text by one author, paragraph marks included."""
    n, prev = 0, None
    for p in w.body:
        for r in p.runs:
            key = ("ins", r.ins[0]) if r.ins else ("del", r.delete[0]) if r.delete else None
            if r.text == "" and key is None:
                continue            # an empty run carrying a comment
            n += key is not None and key != prev
            prev = key
        mark = ("ins", p.mark_ins[0]) if p.mark_ins else None
        n += mark is not None and mark != prev
        prev = mark
    return n


@dataclass
class _Words:
    """Words the output inserts, and where they stand in each proposing party's own text:
    (party index, unit index, offset in that party's text of the unit), in the parties'
    order. `runs`: the words as runs in a party's own formatting, once found."""
    text: str
    at: list[tuple[int, int, int]]
    runs: list[Any] | None = None       # lxml w:r elements


def in_package(c: Consolidated, date: str | None = None, base_data: bytes | None = None,
               party_data: dict[str, bytes] | None = None) -> bytes | None:
    """The proposals written into the base's own .docx package (None when the base
    is not a .docx read as is). Earlier tracked changes and comments of the base
    stay with their authors.

    The words a party inserts keep that party's own run formatting (bold, italic,
    superscript note letters, fonts) when its proposal is a .docx: read again from
    its file (or from `party_data`, party → the bytes it was read from), or from
    the kept parse when it was read inside `package.keeping`; for a proposal made
    by `proposals_from_revisions`, from the base file's changes by its author.
    Otherwise they take the base's formatting where they go."""
    from . import package as docx
    if c.base.revisions_mode not in ("accept", "reject"):
        return None          # a base read in markup mode is not a text of the package
    base = docx.base_side(c.base, base_data)
    if base is None:
        return None
    date = date or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    lang = c.base.token_language
    ed = docx.BaseEditor(base, date)
    index = {p: k for k, p in enumerate(c.parties)}
    # Where each party's words stand in its own text is worked out only when some
    # proposal is a .docx (the formatting it could give).
    track = any(d.format == "docx" for d in c.proposals)
    words: list[_Words] = []

    def wanted(text: str, ui: int, at: dict[str, int]) -> _Words | None:
        if not track:
            return None
        w = _Words(text, sorted((index[p], ui, off) for p, off in at.items()))
        words.append(w)
        return w

    # One pass to plan the edits (and the words wanted), one to find the parties' runs, one to edit.
    plan: list[tuple[str, int, list[Any]]] = []
    cuts_of = _cuts_by_unit(c)
    for ui, u in enumerate(c.units):
        if u.in_base:
            pos = 0
            mine = dict.fromkeys(u.present, 0) if track else {}   # each party's offset in its own text
            edits = []
            for seg in against_base(u, lang, cuts_of.get(ui)):
                if seg.shared is not None:
                    pos += len(seg.shared)
                    for p in mine:
                        mine[p] += len(seg.shared)
                    continue
                base_piece, others, deleting = _against_base_piece(seg)
                edits.append((pos, base_piece, _who(deleting) if base_piece and deleting else "",
                              [(o.text, _who(o.parties), wanted(o.text, ui, {p: mine[p] for p in o.parties if p in mine}))
                               for o in others if o.text]))
                pos += len(base_piece)
                for o in seg.options or []:
                    for p in o.parties:
                        if p in mine:
                            mine[p] += len(o.text)
            plan.append(("base", ui, edits))
        elif u.labels:
            by_text: dict[str, list[str]] = {}
            for p in u.present:
                by_text.setdefault(u.text_of(p), []).append(p)
            plan.append(("new", ui, [(text, parties, wanted(text, ui, dict.fromkeys(parties, 0)))
                                     for text, parties in by_text.items()]))
    if words:
        _party_formatting(c, ed, words, party_data or {})

    k, anchor = -1, None
    for what, ui, items in plan:
        u = c.units[ui]
        if what == "base":
            k += 1
            src = base.sources[k]
            anchor = src.paras[-1] if src.paras else anchor
            for at, piece, deleter, inserts in items:
                if deleter:
                    ed.track(k, at, at + len(piece), "w:del", deleter)
                for text, who, w in inserts:
                    ed.insert_at(k, at + len(piece), text, who, runs=w.runs if w is not None else None)
            if src.paras:
                for p in u.absent:
                    label = f"paragraph {u.label.rstrip('.')}" if u.label else "this paragraph"
                    ed.comment(src.paras[0], p, f"{p} proposes to delete {label}.")
        elif anchor is not None:
            like = anchor
            before = ed.replaced_cell(c.units, ui)
            if before is not None:
                like = before
            lab = u.label + "\t" if u.label else ""
            for text, parties, w in items:
                if w is not None and w.runs:
                    pieces, runs = [(lab, False)], w.runs     # the label as today; the words as the party wrote them
                else:
                    pieces, runs = [(lab + text, False)], []
                anchor = ed.paragraph_after(anchor, like, pieces, ins_author=_who(parties), before=before, runs=runs)
                before = None
    return ed.to_bytes()


def _cuts_by_unit(c: Consolidated) -> dict[int, dict[str, list[int]]]:
    """Per base unit, the offsets where the base's and each party's words are cut: where
    their letters become superscript, subscript or highlighted (`compare.cuts_of`), so
    that a delegation's changed note letter ("IDd" → "IDc") is tracked as that letter."""
    from ..compare import cuts_of
    out: dict[int, dict[str, list[int]]] = {}
    base_units = [ui for ui, u in enumerate(c.units) if u.in_base]     # base block k's unit
    for k, ui in enumerate(base_units[:len(c.base.blocks)]):
        b = c.base.blocks[k]
        cuts = cuts_of(b) if b.text == c.units[ui].base_text else []
        if cuts:
            out.setdefault(ui, {})[BASE] = cuts
    for p, doc in zip(c.parties, c.proposals):
        for j, ui in enumerate(c.order.get(p, [])[:len(doc.blocks)]):
            b = doc.blocks[j]
            u = c.units[ui]
            cuts = cuts_of(b) if b.marks and u.in_base and p in u.labels and b.text == u.text_of(p) else []
            if cuts:
                out.setdefault(ui, {})[p] = cuts
    return out


def _party_formatting(c: Consolidated, ed: Any, words: list[_Words], party_data: dict[str, bytes]) -> None:
    """Each of `words` as runs in the formatting of the first of its parties (in the
    order the parties were given) whose proposal is a .docx that reads as it did and
    holds those words. Several parties proposing the same words are one insertion, which
    has one formatting: the first party's is taken, as the parties' order is the user's,
    and so the output does not depend on anything else. One party's document is open
    at a time (thirty proposals are not all held in memory)."""
    todo: dict[int, list[tuple[_Words, int, int]]] = {}
    for w in words:
        for pk, ui, off in w.at:
            todo.setdefault(pk, []).append((w, ui, off))
    marked: dict[tuple[str, str], tuple[Any, list[Any]]] = {}      # proposals made from one file's tracked changes share its one read
    for pk in sorted(todo):
        mine = [x for x in todo[pk] if x[0].runs is None]    # not already found with an earlier party
        sources = _party_sources(c, pk, party_data, marked) if mine else None
        if sources is None:
            continue
        doc = c.proposals[pk]
        block_of = {ui: j for j, ui in enumerate(c.order[c.parties[pk]])}
        reject = doc.revisions_mode == "reject"
        for w, ui, off in mine:
            j = block_of.get(ui)
            if j is None or doc.blocks[j].text[off:off + len(w.text)] != w.text:
                continue
            w.runs = ed.party_runs(sources[j], doc.blocks[j].text, off, off + len(w.text), reject=reject)
        release = getattr(sources, "release", None)
        if release is not None:
            release()


def _party_sources(c: Consolidated, k: int, party_data: dict[str, bytes],
                   marked: dict[tuple[str, str], tuple[Any, list[Any]]]) -> Any:
    """Party k's blocks' sources (j → `Source`, in its text's coordinates), or None when
    its proposal is not a .docx, its bytes are not at hand or no longer the ones it was
    read from, or it does not read as that proposal again. `marked`: the reads with
    changes as marks made so far, by file (see `_AuthorSources`)."""
    import hashlib

    from ..errors import NegotiateError
    from . import package as docx
    if k >= len(c.proposals):
        return None
    doc = c.proposals[k]
    if doc.format != "docx" or len(c.order.get(c.parties[k], ())) != len(doc.blocks):
        return None
    data = party_data.get(c.parties[k])
    if data is None:
        if not (doc.path and os.path.isfile(doc.path)):
            return None
        with open(doc.path, "rb") as fh:
            data = fh.read()
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        return None
    author = doc.accepts
    try:
        if author is None:
            side = docx.Side(doc, data)
            return side.sources if side.ok else None
        key = (doc.path, doc.sha256)
        if key not in marked:
            from ..ingest.docx import read_docx
            srcs: list[Any] = []
            marked[key] = (read_docx(doc.path, data, "markup", sources=srcs), srcs)
    except NegotiateError:
        return None
    got = _AuthorSources(*marked[key], author)
    return got if got.texts == [b.text for b in doc.blocks] else None


class _AuthorSources:
    """The sources of one author's proposal made by `proposals_from_revisions`, from
    one read of its file with the changes as marks (not a read a proposal: with thirty
    delegations' changes in one file, the file is read once): block j's pieces are the
    marked block's that the proposal keeps (`kept_spans`), placed in its text."""

    def __init__(self, marked: Document, sources: list[Any], author: str) -> None:
        from ..ingest.revisions import kept_spans
        self.sources = sources
        self.blocks: list[tuple[int, list[tuple[int, int]], int]] = []   # (marked block, its spans, stripped lead)
        self.texts: list[str] = []
        for i, b in enumerate(marked.blocks):
            spans = kept_spans(b, author)
            text = "".join(b.text[s:e] for s, e in spans)
            kept = text.strip()
            if kept or b.label:      # as proposals_from_revisions keeps blocks
                self.blocks.append((i, spans, len(text) - len(text.lstrip())))
                self.texts.append(kept)

    def __getitem__(self, j: int) -> Any:
        from ..ingest.docx import Source
        i, spans, lead = self.blocks[j]
        src = self.sources[i]
        pieces, at = [], -lead
        for s, e in spans:
            for ps, pe, kind, el, off in src.pieces:
                if pe > s and ps < e:
                    lo, hi = max(ps, s), min(pe, e)
                    pieces.append((at + lo - s, at + hi - s, kind, el, off + (lo - ps) if kind == "t" else off))
            at += e - s
        return Source(src.story, src.paras, pieces)


def to_bytes(c: Consolidated, date: str | None = None, base_data: bytes | None = None,
             party_data: dict[str, bytes] | None = None) -> tuple[bytes, int]:
    """(the .docx, its number of tracked changes): written into the base's package when
    the base is a .docx (`base_data`: the bytes it was read from, when it has no file —
    the app's stored files; `party_data` the same for the parties, see `in_package`)."""
    data = in_package(c, date, base_data, party_data)
    if data is not None:
        from ..ooxml import Package
        from . import package as docx
        return data, docx.count_stretches(Package("proposals.docx", data))
    w = build(c, date)
    return w.to_bytes(), count_changes(w)


def write(c: Consolidated, path: str | os.PathLike[str], date: str | None = None) -> int:
    """Writes the .docx (atomically); returns the number of tracked changes in it."""
    from .redline import _atomic_write
    data, n = to_bytes(c, date)
    _atomic_write(path, data)
    return n
