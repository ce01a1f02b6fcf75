"""A comparison → a .docx whose differences are real Word tracked changes.

Accepting every change gives the new version; rejecting every change gives the
old one. Labels are typed at the start of each paragraph (followed by a tab)
and tracked like the text, so renumbering shows and survives accept/reject.
Inserted and deleted paragraphs are whole-paragraph revisions (their paragraph
mark too); a split inserts paragraph marks, a merge deletes them; a moved
paragraph is a `w:moveFrom` at its old place and a `w:moveTo` at its new one
(see `plan` for how the order of both versions is kept).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from os import PathLike

from ..align import lis
from ..model import PARA_SEP, Block, Comparison, Link, PairDiff
from .wordml import DocxWriter, Para, Run

SEP = PARA_SEP   # paragraph separator inside a group of paragraphs (split, merge)

Who = tuple[str, str]                                # (author, date) of a revision
Piece = tuple[str, str] | tuple[str, str, bool]      # (text, eq/ins/del[, a bold label])
Item = tuple[list[Para], list[int], list[int]]       # (paragraphs, OLD blocks, NEW blocks)


def _line(b: Block) -> str:
    if b.label and b.text:
        return b.label + "\t" + b.text
    return b.label or b.text


def _style(b: Block) -> str:
    if b.kind == "heading":
        return "Heading1" if len(b.path) <= 1 else "Heading2"
    return ""


def _paras_from_pieces(pieces: Iterable[Piece], who: Who, styles: list[str]) -> list[Para]:
    """(text, kind) pieces, kind in eq/ins/del, cut into paragraphs at SEP; a
    separator that only one side has is an inserted or deleted paragraph mark."""
    paras: list[Para] = []
    cur = Para()
    k = 0
    for text, kind, *bold in pieces:
        parts = text.split(SEP)
        for n, part in enumerate(parts):
            if n:
                if kind == "ins":
                    cur.mark_ins = who
                elif kind == "del":
                    cur.mark_del = who
                cur.style = styles[min(k, len(styles) - 1)] if styles else ""
                paras.append(cur)
                cur = Para()
                k += 1
            if part:
                run = Run(part, bold=bool(bold and bold[0]), label=bool(bold and bold[0]))
                if kind == "ins":
                    run.ins = who
                elif kind == "del":
                    run.delete = who
                cur.runs.append(run)
    cur.style = styles[min(k, len(styles) - 1)] if styles else ""
    paras.append(cur)
    return paras


def _group(pair: PairDiff, old_blocks: list[Block], new_blocks: list[Block], who: Who) -> list[Para]:
    """One aligned group rendered from the comparison's own opcodes (`pair.ops`,
    over the texts joined by the paragraph separator): no second diff here.
    Labels, typed at each paragraph's start, are tracked where they differ."""
    styles = [_style(x) for x in (new_blocks or old_blocks)]
    a, b = pair.old_text, pair.new_text
    pieces: list[Piece] = []

    def lab(blk: Block) -> str:
        return (blk.label + "\t") if blk.label and blk.text else blk.label

    def labels(oi: int | None, ni: int | None) -> None:
        ol = lab(old_blocks[oi]) if oi is not None and oi < len(old_blocks) else None
        nl = lab(new_blocks[ni]) if ni is not None and ni < len(new_blocks) else None
        # Labels in bold, as in UN documents.
        if ol is not None and nl is not None and ol == nl:
            pieces.append((nl, "eq", True))
            return
        if ol:
            pieces.append((ol, "del", True))
        if nl:
            pieces.append((nl, "ins", True))

    oi = ni = 0
    labels(0, 0)
    for tag, a1, a2, b1, b2 in pair.ops:
        if tag == "equal":
            for k, part in enumerate(b[b1:b2].split(SEP)):
                if k:
                    pieces.append((SEP, "eq"))
                    oi, ni = oi + 1, ni + 1
                    labels(oi, ni)
                if part:
                    pieces.append((part, "eq"))
            continue
        if tag in ("delete", "replace"):
            for k, part in enumerate(a[a1:a2].split(SEP)):
                if k:
                    pieces.append((SEP, "del"))
                    oi += 1
                    labels(oi, None)
                if part:
                    pieces.append((part, "del"))
        if tag in ("insert", "replace"):
            for k, part in enumerate(b[b1:b2].split(SEP)):
                if k:
                    pieces.append((SEP, "ins"))
                    ni += 1
                    labels(None, ni)
                if part:
                    pieces.append((part, "ins"))
    return _paras_from_pieces(pieces, who, styles)


def _whole(blocks: list[Block], kind: str, who: Who, move_name: str = "") -> list[Para]:
    out: list[Para] = []
    for b in blocks:
        style = _style(b)
        head = (b.label + "\t") if b.label and b.text else b.label
        texts = [(head, True), (b.text, False)]
        if kind == "ins":
            p = Para([Run(t, bold=bb, label=bb, ins=who) for t, bb in texts if t], style=style, mark_ins=who)
        elif kind == "del":
            p = Para([Run(t, bold=bb, label=bb, delete=who) for t, bb in texts if t], style=style, mark_del=who)
        elif kind == "to":
            p = Para([Run(t, bold=bb, label=bb, ins=who, move="to") for t, bb in texts if t], style=style,
                     move=("to", move_name, who[0], who[1]))
        else:
            p = Para([Run(t, bold=bb, label=bb, delete=who, move="from") for t, bb in texts if t], style=style,
                     move=("from", move_name, who[0], who[1]))
        out.append(p)
    return out


def _contiguous(xs: list[int]) -> bool:
    return all(b == a + 1 for a, b in zip(xs, xs[1:]))


def plan(links: list[Link]) -> list[tuple[int | None, str, Link]]:
    """The order to write things in, so that accepting every change reads the
    new version in order and rejecting every change reads the old one.

    Links that pair contiguous blocks in order on both sides (a longest
    increasing run of them) are written as one group each; every other link is
    cut into its old side (written where the old text stood) and its new side
    (written where the new text stands): a moved paragraph becomes a
    moveFrom/moveTo pair, anything else a deletion and an insertion."""
    two = [l for l in links if l.old and l.new and l.op != "moved" and _contiguous(l.old) and _contiguous(l.new)]
    two.sort(key=lambda l: (l.old[0], l.new[0]))
    keep_idx = lis([(l.old[0], l.new[0]) for l in two])
    kept = [two[k] for k in keep_idx]
    kept_ids = {id(l) for l in kept}
    old_only: list[tuple[int, str, Link]] = []   # (block, kind, link), one entry a block: groups may be scattered
    new_only: list[tuple[int, str, Link]] = []
    l: Link | None
    for l in links:
        if id(l) in kept_ids:
            continue
        mv = bool(l.old and l.new)
        old_only.extend((i, "from" if mv else "del", l) for i in l.old)
        new_only.extend((j, "to" if mv else "ins", l) for j in l.new)
    old_only.sort(key=lambda x: x[0])
    new_only.sort(key=lambda x: x[0])
    out: list[tuple[int | None, str, Link]] = []   # (block or None for a group, kind, link)
    oi = ni = 0
    for l in kept + [None]:
        o_lim = l.old[0] if l else float("inf")
        n_lim = l.new[0] if l else float("inf")
        while oi < len(old_only) and old_only[oi][0] < o_lim:
            out.append(old_only[oi])
            oi += 1
        while ni < len(new_only) and new_only[ni][0] < n_lim:
            out.append(new_only[ni])
            ni += 1
        if l is not None:
            out.append((None, "group", l))
    return out


def build(cmp: Comparison, author: str = "negotiate", date: str | None = None) -> DocxWriter:
    date = date or datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    who = (author, date)
    ob, nb = cmp.old.blocks, cmp.new.blocks
    w = DocxWriter(cmp.new.title or "Comparison")
    names: dict[int, str] = {}
    markdown = "md" in (cmp.old.format, cmp.new.format)
    pairs = {id(p.link): p for p in cmp.pairs}
    items: list[Item] = []        # (paragraphs, OLD blocks, NEW blocks) in the order they are written
    for k, kind, l in plan(cmp.alignment.links):
        paras: list[Para]
        olds: list[int]
        news: list[int]
        if kind in ("from", "to"):
            assert k is not None   # plan: a block index for every kind but "group"
            name = names.setdefault(id(l), f"move{len(names) + 1}")
            paras = _whole([ob[k] if kind == "from" else nb[k]], kind, who, name)
            olds, news = ([k], []) if kind == "from" else ([], [k])
        elif kind == "del":
            assert k is not None
            paras, olds, news = _whole([ob[k]], "del", who), [k], []
        elif kind == "ins":
            assert k is not None
            paras, olds, news = _whole([nb[k]], "ins", who), [], [k]
        else:
            paras = _group(pairs[id(l)], [ob[i] for i in l.old], [nb[j] for j in l.new], who)
            olds, news = list(l.old), list(l.new)
        items.append(([_emphasis(p) for p in paras] if markdown else paras, olds, news))
    notes = _markdown_notes(items, ob, nb, who) if markdown else set()
    for n, (paras, _, _) in enumerate(items):
        if n not in notes:
            for p in paras:
                w.add(p)
    from .autonum import number
    number(w)
    return w


def _markdown_notes(items: list[Item], ob: list[Block], nb: list[Block], who: Who) -> set[int]:
    """Markdown notes (`[^key]: text` blocks) as real Word footnotes: each note's
    paragraphs (with their tracked changes) go into the footnotes part, referenced
    right after the `[^key]` mark that cites it — as the Markdown reader links them:
    the first mark of a key, on each side, cites every note of that key. A mark both
    versions share cites a note both share with a plain reference; otherwise NEW's
    note is cited by an inserted reference and OLD's by a deleted one. Returns the
    items written as notes (the others, and any note no mark cites, stay paragraphs)."""
    def key(b: Block) -> str | None:
        return b.label.strip()[2:-1] if b.label.strip().startswith("[^") else None
    entry_old: dict[int, int] = {}   # block → its item
    entry_new: dict[int, int] = {}
    for n, (_paras, olds, news) in enumerate(items):
        blocks = [ob[i] for i in olds] + [nb[j] for j in news]
        if blocks and all(b.kind == "footnote" for b in blocks) and len(olds) <= 1 and len(news) <= 1:
            entry_old.update((i, n) for i in olds)
            entry_new.update((j, n) for j in news)
    if not entry_old and not entry_new:
        return set()
    defs_old: dict[str | None, list[int]] = {}   # note key → its items
    defs_new: dict[str | None, list[int]] = {}
    for i in sorted(entry_old):
        defs_old.setdefault(key(ob[i]), []).append(entry_old[i])
    for j in sorted(entry_new):
        defs_new.setdefault(key(nb[j]), []).append(entry_new[j])
    seen_old: set[str] = set()
    seen_new: set[str] = set()
    used: dict[int, str | None] = {}   # item → how it was last cited
    notes = set(entry_old.values()) | set(entry_new.values())
    for n, (paras, _, _) in enumerate(items):
        if n in notes:
            continue
        for p in paras:
            _cite(p, defs_old, defs_new, seen_old, seen_new, used, items, who)
    return set(used)


_NOTE_MARK = re.compile(r"\[\^([^\]\s\[]+)\]")


def _cite(p: Para, defs_old: dict[str | None, list[int]], defs_new: dict[str | None, list[int]], seen_old: set[str],
          seen_new: set[str], used: dict[int, str | None], items: list[Item], who: Who) -> None:
    """The note marks of one paragraph, found in each version's text (a mark the diff
    cut, `[^` `5`→`4` `]`, is still one mark per version), hidden, each followed by its
    notes' references: plain where both versions' marks end on the same character and
    cite the same note, inserted (NEW's) or deleted (OLD's) otherwise."""
    chars = [(k, c) for k, r in enumerate(p.runs) for c in range(len(r.text))]
    acc = [(k, c) for k, c in chars if not p.runs[k].delete]
    rej = [(k, c) for k, c in chars if not p.runs[k].ins]
    ends: dict[tuple[int, int], dict[str, str]] = {}
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for side, pos in (("new", acc), ("old", rej)):
        text = "".join(p.runs[k].text[c] for k, c in pos)
        for m in _NOTE_MARK.finditer(text):
            end = pos[m.end() - 1]
            ends.setdefault(end, {})[side] = m.group(1)
            spans.setdefault(end, []).extend(pos[m.start():m.end()])
    if not ends:
        return
    hide: set[tuple[int, int]] = set()
    # (run, character) of a mark's last character → the reference runs after it (that character ends a run)
    after: dict[tuple[int, int], list[Run]] = {}
    cut: set[tuple[int, int]] = set()
    for end in sorted(ends):
        keys = ends[end]
        mine_new = defs_new.get(keys["new"], []) if "new" in keys and keys["new"] not in seen_new else []
        mine_old = defs_old.get(keys["old"], []) if "old" in keys and keys["old"] not in seen_old else []
        if "new" in keys:
            seen_new.add(keys["new"])
        if "old" in keys:
            seen_old.add(keys["old"])
        refs: Sequence[tuple[int, str | None]] = [(e, None) for e in mine_new if e in mine_old] + \
               [(e, "ins") for e in mine_new if e not in mine_old] + [(e, "del") for e in mine_old if e not in mine_new]
        # A note both versions share but cite from different places is cited once in each
        # reading: the second reference gets that version's text of the note alone.
        refs = [(e, how) for e, how in refs if e not in used or (how is not None and used[e] not in (None, how))]
        if not refs:
            continue
        r = p.runs[end[0]]
        for e, how in refs:
            if e not in used:
                paras = _note_paras(items[e][0])
            else:
                assert how is not None   # the filter above: a note cited again is cited as one version's
                paras = _one_side(items[e][0], how, who)
            used[e] = how if e not in used else None
            after.setdefault(end, []).append(Run(
                "", footnote=paras,
                ins=r.ins or (who if how == "ins" else None), delete=r.delete or (who if how == "del" else None)))
        hide.update(spans[end])
        cut.add(end)
    if not after:
        return
    out: list[Run] = []
    for k, r in enumerate(p.runs):
        # Split the run where hiding starts or stops and after each mark's last character.
        seg, cur = "", None
        for c, ch in enumerate(r.text):
            h = (k, c) in hide
            if cur is not None and h != cur:
                out.append(replace(r, text=seg, hidden=r.hidden or cur, superscript=r.superscript and not cur))
                seg = ""
            seg += ch
            cur = h
            if (k, c) in cut:
                out.append(replace(r, text=seg, hidden=r.hidden or cur, superscript=r.superscript and not cur))
                out.extend(after[(k, c)])
                seg, cur = "", None
        if seg or not r.text:
            out.append(replace(r, text=seg, hidden=r.hidden or bool(cur), superscript=r.superscript and not cur))
    p.runs = [r for r in out if r.text or r.footnote is not None or r.comment is not None]


def _one_side(paras: list[Para], how: str, who: Who) -> list[Para]:
    """One version's text of a note ("ins": NEW's, "del": OLD's), all of it inserted or deleted."""
    gone = "delete" if how == "ins" else "ins"
    return [Para([replace(r, ins=who if how == "ins" else None, delete=who if how == "del" else None)
                  for r in q.runs if not getattr(r, gone)]) for q in _note_paras(paras)]


def _note_paras(paras: list[Para]) -> list[Para]:
    """A note's paragraphs for the footnotes part: its typed `[^key]` label goes (Word
    numbers the note), and so do paragraph-mark and move revisions, which a note's
    only paragraph cannot carry; the text keeps its insertions and deletions."""
    out: list[Para] = []
    for p in paras:
        runs = [replace(r, move="") for r in p.runs if not r.label]
        out.append(Para(runs))
    return out


_MD = re.compile(r"\*\*|\*|\[\^[^\]\s\[]+\]")


def _emphasis(p: Para) -> Para:
    """Markdown `*italic*`, `**bold**` and `[^5]` note marks shown as formatting:
    the markers stay in the text as hidden runs (so accepting and rejecting
    still give the texts compared) and the words between them are formatted;
    a note mark shows as a raised number.

    A redline paragraph holds two texts: OLD's (unchanged and deleted runs) and
    NEW's (unchanged and inserted runs). Each has its own emphasis state, so a
    deleted `*` opens or closes italics only in OLD's reading and a deleted
    phrase's emphasis does not spill into the inserted one beside it."""
    runs: list[Run] = []
    state = {"old": [False, False], "new": [False, False]}   # [bold, italic] of each reading
    for r in p.runs:
        sides = ("old",) if r.delete else ("new",) if r.ins else ("old", "new")
        shown = state[sides[-1]]      # a run is formatted as the reading it belongs to
        pos = 0
        for m in _MD.finditer(r.text):
            if m.start() > pos:
                runs.append(replace(r, text=r.text[pos:m.start()], bold=r.bold or shown[0], italic=r.italic or shown[1]))
            tok = m.group(0)
            if tok in ("**", "*"):
                i = 0 if tok == "**" else 1
                for side in sides:
                    state[side][i] = not state[side][i]
                runs.append(replace(r, text=tok, hidden=True))
            else:
                runs.append(replace(r, text="[^", hidden=True))
                runs.append(replace(r, text=tok[2:-1], superscript=True))
                runs.append(replace(r, text="]", hidden=True))
            pos = m.end()
        if pos < len(r.text) or not r.text:
            runs.append(replace(r, text=r.text[pos:], bold=r.bold or shown[0], italic=r.italic or shown[1]))
    p.runs = [r for r in runs if r.text or r.footnote is not None or r.comment is not None]
    return p


def render(cmp: Comparison, author: str = "negotiate", date: str | None = None, new_data: bytes | None = None,
           old_data: bytes | None = None, formatting: bool = True) -> tuple[bytes, int, list[str]]:
    """The redline as .docx bytes: (bytes, revisions, warnings).

    When NEW is a .docx (its bytes given, or read from its path) the changes are
    written into NEW's own package (`export.package`), with OLD's runs for deleted
    text when OLD is a .docx too; otherwise a new document is built."""
    date = date or datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    if cmp.new.format == "docx":
        new_data = new_data if new_data is not None else _bytes_of(cmp.new.path)
        if cmp.old.format == "docx" and old_data is None:
            old_data = _bytes_of(cmp.old.path)
        if new_data is not None:
            from . import package as docx
            try:
                return docx.write_package(cmp, new_data, old_data if cmp.old.format == "docx" else None,
                                          author, date, formatting)
            except ValueError as e:
                warn = [f"written as a new document: {e}"]
            else:
                warn = []
    else:
        warn = []
    w = build(cmp, author, date)
    return w.to_bytes(), count_revisions(w), warn


def with_styles(data: bytes, reference: str) -> bytes:
    """The document with the styles (and theme, fonts) of a reference .docx, e.g.
    the UN template; our style ids (Heading1, Heading2, FootnoteText) are Word's own."""
    from ..errors import NegotiateError
    from ..ooxml import Package
    ref_data = _bytes_of(reference)
    if ref_data is None:
        raise NegotiateError(reference, "cannot read the reference .docx")
    ref = Package(reference, ref_data)
    if not ref.has("word/styles.xml"):
        raise NegotiateError(reference, "the reference .docx has no styles")
    pkg = Package("redline.docx", data)
    ours = pkg.xml("word/styles.xml")
    theirs = ref.xml("word/styles.xml")
    ids = {s.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId") for s in theirs}
    for s in list(ours):
        sid = s.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId")
        if sid is not None and sid not in ids:
            theirs.append(s)      # a style of ours the template lacks (FootnoteReference, say)
    pkg.set_tree("word/styles.xml", theirs)
    return pkg.to_bytes()


def _bytes_of(path: str) -> bytes | None:
    import os
    if path and os.path.isfile(path):
        with open(path, "rb") as fh:
            return fh.read()
    return None


def write(cmp: Comparison, path: str | PathLike[str], author: str = "negotiate", date: str | None = None,
          formatting: bool = True, warnings: list[str] | None = None, reference: str | None = None) -> int:
    """Write the redline (atomically); returns the number of revisions written.
    `reference`: a .docx whose styles a redline of non-.docx inputs takes."""
    data, n, warn = render(cmp, author, date, formatting=formatting)
    if cmp.new.format != "docx":
        # A new document: its styles from the user's template, or from OLD's own package.
        if reference:
            data = with_styles(data, reference)
        elif cmp.old.format == "docx" and _bytes_of(cmp.old.path) is not None:
            data = with_styles(data, cmp.old.path)
    if warnings is not None:
        warnings.extend(warn)
    _atomic_write(path, data)
    return n


def _atomic_write(path: str | PathLike[str], data: bytes) -> None:
    import os
    import tempfile
    d = os.path.dirname(os.path.abspath(str(path)))
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".negotiate-", suffix=".docx")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, str(path))
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def count_revisions(w: DocxWriter) -> int:
    """Revisions as a reader sees them: maximal stretches of inserted (or of
    deleted, or of moved) content in document order, paragraph marks included,
    unbroken by unchanged text. LibreOffice shows each stretch as one tracked
    change."""
    n = 0
    prev = None
    # The body, then each note with tracked changes (a story of its own; the notes are
    # collected while the document is written, so count after `to_bytes`).
    stories = [w.body] + [note for note in w.footnotes if not isinstance(note, str)]
    for p in (q if q is not None else None for story in stories for q in story + [None]):
        if p is None:
            prev = None
            continue
        if not isinstance(p, Para):
            prev = None
            continue
        for r in p.runs:
            kind = ("move" + r.move if r.move else "ins" if r.ins else "del" if r.delete else None)
            if kind and kind != prev:
                n += 1
            prev = kind
        mark = "ins" if p.mark_ins else "del" if p.mark_del else ("move" + p.move[0]) if p.move else None
        if mark and mark != prev:
            n += 1
        prev = mark
    return n
