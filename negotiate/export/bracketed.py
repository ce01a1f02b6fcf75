"""The bracketed consolidated text as a .docx.

When the base is a .docx, the output is the base's own package: each divergent
paragraph's text is replaced by its bracketed options (attributions in
italics), `Alt` paragraphs and parties' new paragraphs follow it with its
properties, and everything else — styles, automatic numbering, headers, notes —
is the base's. Otherwise a new document is built from the rendered text.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime

from ..model import Consolidated
from .consolidated import Style, render_unit

_ATTR = re.compile(r"(\((?:delete: |not in: )?[^()]*\))")
# The renderer marks each attribution it writes between these two noncharacters (Unicode
# keeps U+FDD0–U+FDEF for a program's internal use), so the writer knows them without
# guessing; a text that somehow holds one falls back to recognising parties' names.
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"
_SPLIT = re.compile(f"({_OPEN}[^{_CLOSE}]*{_CLOSE})")


def _marked(attribution: str) -> str:
    return _OPEN + attribution + _CLOSE


def _pieces(text: str, parties: set[str]) -> list[tuple[str, bool]]:
    """Rendered text → (text, italic) pieces: the supporters' parentheses in italics.
    Attributions the renderer marked are taken as marked; in a text the user wrote
    (the app's chosen wording) a parenthesis naming only parties is taken for one."""
    if _OPEN in text:
        return [(p[1:-1], True) if p.startswith(_OPEN) else (p, False) for p in _SPLIT.split(text) if p]
    out = []
    for piece in _ATTR.split(text):
        inner = piece[1:-1].replace("delete: ", "").replace("not in: ", "")
        if piece.startswith("(") and all(x.strip() in parties for x in inner.split(",")):
            out.append((piece, True))
        elif piece:
            out.append((piece, False))
    return out


def paragraphs(c: Consolidated, st: Style | None = None, picks: dict[int, str] | None = None):
    """(unit index, label, text) for every paragraph of the consolidated text;
    `picks` replaces a unit's rendering by a chosen text (the app's choices)."""
    return _paragraphs(c, st, picks, marked=False)


def _paragraphs(c: Consolidated, st: Style | None, picks: dict[int, str] | None, marked: bool):
    # marked: each attribution the renderer writes is wrapped in our marks (read by `_pieces`).
    mark = _marked if marked and not _holds_marks(c) else None
    for i, u in enumerate(c.units):
        if not u.labels:
            continue
        if picks and i in picks:
            yield i, u.label, picks[i]
            continue
        for lab, text in (render_unit(u, st, mark) if mark else render_unit(u, st)):
            yield i, lab, text


def _holds_marks(c: Consolidated) -> bool:
    # Our marks must not meet a text that already has them (they would be taken for ours).
    texts = [b.text for b in c.base.blocks]
    for u in c.units:
        texts += [a.text for a in u.alternatives or []]
        for s in u.segments:
            texts += [s.shared] if s.shared is not None else [x.text for x in s.options or []]
    return any(_OPEN in t or _CLOSE in t for t in texts)


def to_bytes(c: Consolidated, st: Style | None = None, picks: dict[int, str] | None = None,
             base_data: bytes | None = None) -> bytes:
    from . import package as docx
    base = docx.base_side(c.base, base_data) if c.base.blocks else None
    if base is None:
        return _new_document(c, st, picks)
    names = set(c.parties)
    ed = docx.BaseEditor(base, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    k = -1                    # base block of the last base unit
    anchor = None             # the last paragraph written
    rendered: dict[int, list[tuple[str, str]]] = {}
    for i, lab, text in _paragraphs(c, st, picks, marked=True):
        rendered.setdefault(i, []).append((lab, text))
    for i, u in enumerate(c.units):
        if u.in_base:
            k += 1
            src = base.sources[k]
            anchor = src.paras[-1] if src.paras else anchor
            if i not in rendered:
                # Nobody keeps this paragraph: the text output leaves it out too. Emptied,
                # not removed, so that the automatic numbers after it stay the base's; its
                # mark hidden, so that Word and LibreOffice show no number with no text
                # (the docx reader reads a shown one as a label).
                ed.replace_text(k, [])
                for para in src.paras:
                    _hide_mark(para)
                continue
            parts = rendered[i]
            lab0, text0 = parts[0]
            if len(parts) == 1 and lab0 == u.label and text0 == c.base.blocks[k].text:
                continue          # the base's own words: left as they are, runs and all
            first = text0
            if lab0 != u.label and lab0.startswith(u.label):
                first = lab0[len(u.label):].strip() + "\t" + text0     # "Alt 1" after an automatic "12."
            ed.replace_text(k, _pieces(first, names))
            like_run = next(iter(ed.text_runs(k)), None)
            for lab, text in parts[1:]:
                anchor = ed.paragraph_after(anchor, src.paras[0], _pieces((lab + "\t" if lab else "") + text, names), like_run)
        else:
            if i not in rendered or anchor is None:
                continue
            before = ed.replaced_cell(c.units, i)
            like_p = anchor if before is None else before
            for lab, text in rendered[i]:
                anchor = ed.paragraph_after(anchor, like_p, _pieces((lab + "\t" if lab else "") + text, names), before=before)
                before = None
    return ed.to_bytes()


def _hide_mark(p) -> None:
    """Hide a paragraph's mark (w:vanish in its w:pPr/w:rPr): an empty paragraph so marked is not shown."""
    from ..ooxml import qn
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = p.makeelement(qn("w:pPr"), {})
        p.insert(0, ppr)
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = ppr.makeelement(qn("w:rPr"), {})
        # w:rPr comes before w:sectPr and w:pPrChange in w:pPr
        later = [c for c in ppr if c.tag in (qn("w:sectPr"), qn("w:pPrChange"))]
        if later:
            later[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    if rpr.find(qn("w:vanish")) is None:
        rpr.append(rpr.makeelement(qn("w:vanish"), {}))


def _new_document(c: Consolidated, st: Style | None, picks) -> bytes:
    from .wordml import DocxWriter, Para, Run
    w = DocxWriter(f"Consolidated text: {', '.join(c.parties)}")
    names = set(c.parties)
    for i, lab, text in _paragraphs(c, st, picks, marked=True):
        u = c.units[i]
        runs = [Run(lab + "\t")] if lab else []
        runs += [Run(t, italic=it) for t, it in _pieces(text, names)]
        w.add(Para(runs, style="Heading1" if u.kind == "heading" and len(u.path) <= 1 else ""))
    return w.to_bytes()


def write(c: Consolidated, path, st: Style | None = None, picks: dict[int, str] | None = None) -> None:
    from .redline import _atomic_write
    _atomic_write(path, to_bytes(c, st, picks))
