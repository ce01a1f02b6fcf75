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
from datetime import UTC, datetime

from ..consolidate import BASE, against_base
from ..model import Consolidated, Option, Segment, Unit
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


def in_package(c: Consolidated, date: str | None = None, base_data: bytes | None = None) -> bytes | None:
    """The proposals written into the base's own .docx package (None when the base
    is not a .docx read as is). Earlier tracked changes and comments of the base
    stay with their authors."""
    from . import package as docx
    if c.base.revisions_mode not in ("accept", "reject"):
        return None          # a base read in markup mode is not a text of the package
    base = docx.base_side(c.base, base_data)
    if base is None:
        return None
    date = date or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    lang = c.base.token_language
    ed = docx.BaseEditor(base, date)
    k, anchor = -1, None
    for ui, u in enumerate(c.units):
        if u.in_base:
            k += 1
            src = base.sources[k]
            anchor = src.paras[-1] if src.paras else anchor
            pos = 0
            edits = []
            for seg in against_base(u, lang):
                if seg.shared is not None:
                    pos += len(seg.shared)
                    continue
                base_piece, others, deleting = _against_base_piece(seg)
                edits.append((pos, base_piece, _who(deleting) if base_piece and deleting else "",
                              [(o.text, _who(o.parties)) for o in others if o.text]))
                pos += len(base_piece)
            for at, piece, deleter, inserts in edits:
                if deleter:
                    ed.track(k, at, at + len(piece), "w:del", deleter)
                for text, who in inserts:
                    ed.insert_at(k, at + len(piece), text, who)
            if src.paras:
                for p in u.absent:
                    what = f"paragraph {u.label.rstrip('.')}" if u.label else "this paragraph"
                    ed.comment(src.paras[0], p, f"{p} proposes to delete {what}.")
        elif u.labels and anchor is not None:
            by_text: dict[str, list[str]] = {}
            for p in u.present:
                by_text.setdefault(u.text_of(p), []).append(p)
            like = anchor
            before = ed.replaced_cell(c.units, ui)
            if before is not None:
                like = before
            for text, parties in by_text.items():
                anchor = ed.paragraph_after(anchor, like, [((u.label + "\t" if u.label else "") + text, False)],
                                            ins_author=_who(parties), before=before)
                before = None
    return ed.to_bytes()


def to_bytes(c: Consolidated, date: str | None = None, base_data: bytes | None = None) -> tuple[bytes, int]:
    """(the .docx, its number of tracked changes)."""
    data = in_package(c, date, base_data)
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
