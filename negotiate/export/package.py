"""A comparison written into the user's own package as Word tracked changes.

NEW's .docx is edited in place: its styles, numbering, sections, headers and
footers, notes, comments, media and relationships are carried through, and
only the comparison's changes are added — the pairs' token opcodes from
`compare`, rendered, never diffed again. Inserted text keeps NEW's runs
(wrapped in `w:ins`); deleted text is brought from OLD with OLD's run
formatting (`w:del`, `w:delText`); a paragraph break only one side has is a
paragraph-mark revision (a merge splits NEW's paragraph, OLD's properties on
the first part); whole paragraphs come and go with their marks; moves are
`w:moveFrom`/`w:moveTo`; bold, italic, underline and strikethrough changed on
unchanged words are `w:rPrChange`. Earlier tracked changes and comments in
NEW stay with their own authors.

Accept all gives NEW, reject all gives OLD (checked with `ooxml.review` and
the reader's accept/reject modes, and by LibreOffice in the tests).
"""
from __future__ import annotations

import copy
import hashlib
import posixpath
import weakref
from contextlib import contextmanager

from lxml import etree

from ..diff import kept_share
from ..ingest.docx import COMPACT, KEEP, Source, read_docx
from ..model import PARA_SEP, Comparison
from ..ooxml import (
    R_NS,
    REVISION_TAGS,
    XML_SPACE,
    Package,
    flags_of,
    mark_paragraph,
    ppr_of,
    qn,
    resolve_target,
    sub,
    to_deleted,
    unwrap,
    w_el,
)
from .redline import plan

# A paragraph written at two places (moved, or out of order) that was also edited is a
# move only when the edit is one (a renumbered typed label, a word) and most of its words
# stay (2·kept / words of both ≥ MOVE_KEPT): its edit is then shown at both ends, inside
# the move. More edits, and it is a deletion at its old place and an insertion at its
# new one — each edit inside a move shows twice and splits the move, and a move whose
# two ends differ would hide them.
MOVE_KEPT, MOVE_EDITS = 0.8, 1
_RUN_TAGS = (qn("w:r"), qn("m:r"))
_COMMENT_TAGS = frozenset(qn(t) for t in ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference"))
_DROP_FROM_COPIES = tuple(qn(t) for t in (
    "w:commentRangeStart", "w:commentRangeEnd", "w:commentReference", "w:bookmarkStart", "w:bookmarkEnd",
    "w:footnoteReference", "w:endnoteReference", "w:proofErr", "w:permStart", "w:permEnd",
    "w:moveFromRangeStart", "w:moveFromRangeEnd", "w:moveToRangeStart", "w:moveToRangeEnd"))


# Parses kept from the reads made inside `keeping()`: id(Document) → (weak ref, Package, sources, mode).
_KEPT: dict[int, tuple] = {}


def _keep(doc, pkg, sources, mode) -> None:
    # The body's bytes are not kept beside its tree: OLD's is never written and NEW's
    # is always written from its (edited) tree.
    if "word/document.xml" in pkg.trees:
        pkg.raw.pop("word/document.xml", None)
    key = id(doc)
    _KEPT[key] = (weakref.ref(doc), pkg, sources, mode)
    weakref.finalize(doc, _KEPT.pop, key, None)


@contextmanager
def keeping(compact: bool = False):
    """Around reads whose .docx will be written into (`compare … -o R.docx`): each
    read's parsed package and block sources are kept for `Side`, which then edits
    that parse instead of unzipping, parsing and reading the file again (on a
    100,000-paragraph pair that second read was most of the writer's time).
    `compact`: around the read of OLD, which the writer only reads from — its plain
    paragraphs are kept serialized rather than in the tree (`docx.CompactSources`)."""
    token, ctoken = KEEP.set(_keep), COMPACT.set(compact)
    try:
        yield
    finally:
        COMPACT.reset(ctoken)
        KEEP.reset(token)


def _kept(doc, data: bytes):
    """The kept parse of `doc` if it was read from exactly these bytes, taken (the
    writer edits it, so it serves once)."""
    k = _KEPT.get(id(doc))
    if k is None or k[0]() is not doc or doc.sha256 != hashlib.sha256(data).hexdigest():
        return None
    mode = doc.revisions_mode if doc.revisions_mode in ("accept", "reject", "markup") else "accept"
    if k[3] != mode:
        return None
    del _KEPT[id(doc)]
    return k[1], k[2]


class Side:
    """One version's package, with every block's elements: the parse kept from
    the read when there is one, else the package read again."""

    def __init__(self, doc, data: bytes):
        self.doc = doc
        kept = _kept(doc, data)
        if kept is not None:
            self.pkg, self.sources = kept
            self.ok = len(self.sources) == len(doc.blocks)
        else:
            self.pkg = Package(doc.path, data)
            self.sources = []
            d = read_docx(doc.path, data, doc.revisions_mode if doc.revisions_mode in ("accept", "reject", "markup") else "accept",
                          sources=self.sources, pkg=self.pkg)
            self.ok = len(d.blocks) == len(doc.blocks) and all(
                a.text == b.text and a.label == b.label for a, b in zip(d.blocks, doc.blocks))
        styles = self.pkg.xml("word/styles.xml")
        self.style_ids = {s.get(qn("w:styleId")) for s in styles.iter(qn("w:style"))} if styles is not None else set()
        num = self.pkg.xml("word/numbering.xml")
        self.num_ids = {n.get(qn("w:numId")) for n in num.iter(qn("w:num"))} if num is not None else set()


def _runs_in(p, skip=frozenset()) -> list:
    """The runs of paragraph `p` in document order, inside hyperlinks, fields and
    other containers too; its pPr and elements tagged in `skip` (with what they hold)
    are passed over."""
    runs, stack = [], [iter(p)]
    while stack:
        c = next(stack[-1], None)
        if c is None:
            stack.pop()
            continue
        if not isinstance(c.tag, str) or c.tag == qn("w:pPr") or c.tag in skip:
            continue
        if c.tag in _RUN_TAGS:
            runs.append(c)
        else:
            stack.append(iter(c))
    return runs

class Writer:
    def __init__(self, new: Side, old: Side | None, old_doc, author: str, date: str, formatting: bool = True):
        self.new, self.old, self.old_doc = new, old, old_doc
        self.author, self.date, self.formatting = author, date, formatting
        self.warnings: list[str] = []
        self.imported: dict[str, str] = {}     # OLD relationship id → NEW's
        top = 0
        for name in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml", "word/comments.xml"):
            root = new.pkg.xml(name) if new.pkg.has(name) else None
            if root is None:
                continue
            # Elements only (no comments or PIs), without reading each one's tag: lxml
            # would keep a copy of it on every proxy the reader kept (the blocks' sources).
            for el in root.iter(etree.Element):
                v = el.get(qn("w:id"))
                if v and v.lstrip("-").isdigit():
                    top = max(top, int(v))
        self._id = top + 1000
        self.cursor: dict[str, object] = {}
        self._move_modes: dict = {}
        # Does NEW carry tracked deletions of its own (earlier revisions)?
        body = new.pkg.xml("word/document.xml")
        self.has_earlier = body is not None and next(body.iter(qn("w:del"), qn("w:moveFrom")), None) is not None
        for name in ("word/footnotes.xml", "word/endnotes.xml"):
            root = new.pkg.xml(name) if new.pkg.has(name) else None
            if root is not None and next(root.iter(qn("w:del"), qn("w:moveFrom")), None) is not None:
                self.has_earlier = True
        self._used_earlier: set = set()
        self.gone_comments: dict[str, dict] = {}
        self._ins_paras: list = []     # whole paragraphs inserted, in the order written

    @property
    def _old_first(self) -> dict:
        if not hasattr(self, "_of"):
            olds = self.old.sources if self.old else []
            # A serialized OLD paragraph (CompactSources) is never another source's mark element.
            self._of = {id(s.paras[0]): s for s in (olds.kept() if hasattr(olds, "kept") else olds) if s.paras}
        return self._of

    @property
    def _new_first(self) -> dict:
        if not hasattr(self, "_nf"):
            self._nf = {id(s.paras[0]): s for s in self.new.sources if s.paras}
        return self._nf

    def wrap_label(self, lp: list, pieces: list, tag: str) -> None:
        """A typed label's runs wrapped in `tag`, split from the text it shares a w:t with."""
        for k in range(len(lp)):
            for end in (True, False):
                s, e, kind, el, off = lp[k]
                if kind != "t":
                    continue
                at = off + (e - s) if end else off
                if 0 < at < len(el.text or ""):
                    both = lp + pieces
                    self._split_piece(both, k, at)
                    lp[:], pieces[:] = both[:len(lp)], both[len(lp):]
        runs = []
        for _s, _e, kind, el, _off in lp:
            if kind != "m" and el.getparent() not in runs:
                runs.append(el.getparent())
        self._wrap_runs(runs, tag)

    def rid(self) -> str:
        self._id += 1
        return str(self._id)

    # -- pieces ---------------------------------------------------------------------------------
    @staticmethod
    def cut(pieces: list, x: int) -> None:
        """Make `x` a run boundary: split the w:t (and its run) that spans it."""
        for k, (s, e, kind, _el, off) in enumerate(pieces):
            if kind == "t" and s < x < e:
                Writer._split_piece(pieces, k, off + (x - s))
                return
        # A piece that starts (or ends) at x but shares its w:t with characters that are
        # not the block's text (a typed label before it, stripped spaces after it).
        for k, (s, _e, kind, _el, off) in enumerate(pieces):
            if kind == "t" and s == x and off > 0:
                Writer._split_piece(pieces, k, off)
        for k, (s, e, kind, el, off) in enumerate(pieces):
            if kind == "t" and e == x and off + (e - s) < len(el.text or ""):
                Writer._split_piece(pieces, k, off + (e - s))

    @staticmethod
    def _split_piece(pieces: list, k: int, at: int) -> None:
        """Split piece k's w:t (and its run) at character `at` of the element's text."""
        s, e, kind, el, off = pieces[k]
        x = s + (at - off)
        run = el.getparent()
        right = copy.copy(run)
        for c in list(right):
            right.remove(c)
        for c in run:
            if c.tag.endswith("}rPr"):
                right.append(copy.deepcopy(c))
        t2 = etree_sub(right, el.tag)
        t2.text = (el.text or "")[at:]
        t2.set(XML_SPACE, "preserve")
        el.text = (el.text or "")[:at]
        el.set(XML_SPACE, "preserve")
        after = False
        for c in list(run):
            if after:
                right.append(c)
            elif c is el:
                after = True
        run.addnext(right)
        for i, (s2, e2, k2, el2, off2) in enumerate(pieces):
            if el2 is el and off2 >= at and i != k:
                pieces[i] = (s2, e2, k2, t2, off2 - at)
        if x <= s:        # the split falls before this piece (a label's text before it)
            pieces[k] = (s, e, kind, t2, off - at)
        elif x >= e:
            pass
        else:
            pieces[k] = (s, x, kind, el, off)
            pieces.insert(k + 1, (x, e, kind, t2, 0))

    @staticmethod
    def _revised(node) -> bool:
        p = node.getparent()
        while p is not None and p.tag != qn("w:p"):
            if p.tag in REVISION_TAGS:
                return True
            p = p.getparent()
        return False

    @staticmethod
    def _outer(node):
        """The node, or the earlier revision wrapper it sits in."""
        while node.getparent() is not None and node.getparent().tag in REVISION_TAGS:
            node = node.getparent()
        return node

    def wrap(self, pieces: list, x: int, y: int, tag: str) -> int:
        """Wrap NEW's runs covering [x, y) in `tag` (w:ins, w:moveTo); paragraph
        marks inside are marked too. Returns the number of wrappers made."""
        if y <= x:
            return 0
        self.cut(pieces, x)
        self.cut(pieces, y)
        runs, seen = [], set()
        for s, e, kind, el, off in pieces:
            if s >= x and e <= y:
                if kind == "m":
                    mark_paragraph(el, tag, self.rid(), self.author, self.date)
                    # Empty paragraphs between the two blocks (a blank line in the source)
                    # belong to the break too: their marks are inserted with it.
                    nxt = el.getnext()
                    while hasattr(off, "tag") and nxt is not None and nxt is not off and nxt.tag == qn("w:p"):
                        mark_paragraph(nxt, tag, self.rid(), self.author, self.date)
                        nxt = nxt.getnext()
                    src = self._new_first.get(id(off)) if hasattr(off, "tag") else None
                    if src is not None and src.label:
                        # The next NEW paragraph's typed label came with the break.
                        self.wrap_label(src.label, pieces, tag)
                else:
                    r = el.getparent()
                    if id(r) not in seen:
                        seen.add(id(r))
                        runs.append(r)
        return self._wrap_runs(runs, tag)

    def _wrap_runs(self, runs, tag) -> int:
        n, last = 0, None
        for r in runs:
            if r.getparent() is None or self._revised(r):
                continue
            if last is not None and last.getnext() is r:
                last.append(r)      # moves r into the wrapper: it stays in place
                continue
            w = w_el(tag, id=self.rid(), author=self.author, date=self.date)
            r.addprevious(w)
            w.append(r)
            last = w
            n += 1
        return n

    def wrap_paragraphs(self, paras, tag, move_name=None) -> None:
        """A whole paragraph inserted (or moved here): every run and its mark."""
        for p in paras:
            self._wrap_runs(_runs_in(p, skip=REVISION_TAGS), tag)
            mark_paragraph(p, tag, self.rid(), self.author, self.date)
            if tag == "w:ins":
                self._ins_paras.append(p)
        if move_name and paras:
            self._range(paras[0], paras[-1], "to", move_name)

    def _range(self, first, last, kind, name) -> None:
        rid = self.rid()
        start = w_el(f"w:move{kind.title()}RangeStart", id=rid, name=name, author=self.author, date=self.date)
        ppr = first.find(qn("w:pPr"))
        first.insert(1 if ppr is not None else 0, start)
        last.append(w_el(f"w:move{kind.title()}RangeEnd", id=rid))

    # -- where deleted things go ------------------------------------------------------------------
    def anchor(self, pieces: list, paras: list, x: int):
        """The place (parent, index) where text deleted at NEW offset `x` is written."""
        self.cut(pieces, x)
        for s, _e, kind, el, _off in pieces:
            if s == x and kind != "m":
                node = self._outer(el.getparent())
                return node.getparent(), node.getparent().index(node)
        for _s, e, kind, el, _off in reversed(pieces):
            if e == x and kind != "m":
                node = self._outer(el.getparent())
                return node.getparent(), node.getparent().index(node) + 1
        for s, _e, kind, el, _off in pieces:
            if s == x and kind == "m":
                return el, len(el)
        before = [pc for pc in pieces if pc[1] <= x]
        if before:
            s, e, kind, el, off = before[-1]
            if kind == "m":
                nxt = el.getnext()
                if nxt is not None and nxt.tag == qn("w:p"):
                    return nxt, 1 if nxt.find(qn("w:pPr")) is not None else 0
                return el, len(el)
            node = self._outer(el.getparent())
            return node.getparent(), node.getparent().index(node) + 1
        p = paras[0]
        return p, 1 if p.find(qn("w:pPr")) is not None else 0

    def deleted_items(self, a_text: str, a_pieces: list, a1: int, a2: int, anchors=()) -> list:
        """OLD's content over [a1, a2): ("run", element) with OLD's formatting, or
        ("mark", OLD's w:p or None) for a paragraph break NEW does not have; with
        `anchors` ((offset, element) of comments only OLD has), their range marks
        ("anchor", element) and reference runs where they stood."""
        starts: list = []
        out = self._deleted_items(a_text, a_pieces, a1, a2, starts)
        if not anchors:
            return out
        picked = [(x, el) for x, el in anchors if a1 <= x <= a2 and not (
            (x == a2 and el.tag == qn("w:commentRangeStart")) or (x == a1 < a2 and el.tag != qn("w:commentRangeStart")))]
        if not picked:
            return out
        res, k = [], 0
        for (kind, el), pos in zip(out, starts):
            while k < len(picked) and picked[k][0] <= pos:
                res.append(self._anchor_item(picked[k][1]))
                k += 1
            res.append((kind, el))
        res.extend(self._anchor_item(el) for _, el in picked[k:])
        return [r for r in res if r is not None]

    def _anchor_item(self, el):
        """A comment anchor copied from OLD, renumbered to the comment's copy."""
        g = self.gone_comments.get(el.get(qn("w:id"), ""))
        if g is None or el.tag in g["placed"]:
            return None
        g["placed"].add(el.tag)
        if el.tag == qn("w:commentReference"):
            r = w_el("w:r")
            orpr = el.getparent().find(qn("w:rPr")) if el.getparent() is not None else None
            if orpr is not None:
                r.append(_clean_rpr(orpr))
            sub(r, "w:commentReference", id=g["new"])
            return ("run", r)
        return ("anchor", w_el("w:" + el.tag.split("}")[1], id=g["new"]))

    def _deleted_items(self, a_text: str, a_pieces: list, a1: int, a2: int, starts: list | None = None) -> list:
        """See `deleted_items`; `starts` receives each item's OLD offset."""
        out = []
        starts = [] if starts is None else starts

        def at(x):
            starts.extend([x] * (len(out) - len(starts)))
        if self.old is None:
            # OLD has no package (a text): plain runs; PARA_SEP and newlines as they are.
            for k, piece in enumerate(a_text[a1:a2].split(PARA_SEP)):
                if k:
                    out.append(("mark", None))
                if piece:
                    out.extend(("run", r) for r in _text_runs(piece, None))
            return out
        covered = a1
        for s, e, kind, el, off in a_pieces:
            if e <= a1 or s >= a2:
                continue
            s2, e2 = max(s, a1), min(e, a2)
            if s2 > covered:
                out.extend(self._plain(a_text[covered:s2]))
                at(covered)
            covered = max(covered, e2)
            if kind == "m":
                out.append(("mark", el))
                nxt = self._old_first.get(id(off)) if hasattr(off, "tag") else None
                if nxt is not None and nxt.label:
                    # The next OLD paragraph's typed label goes with the break.
                    out.extend(self._deleted_items("\x00" * max(e for _, e, *_ in nxt.label), nxt.label,
                                                   0, max(e for _, e, *_ in nxt.label)))
                at(s2)
                continue
            run = el.getparent()
            if run.tag == qn("m:r"):
                # Math: the deleted characters stay a math run (m:r with m:t) inside w:del.
                r = copy.deepcopy(run)
                for c in list(r):
                    if not c.tag.endswith("}rPr"):
                        r.remove(c)
                t = etree_sub(r, qn("m:t"))
                t.text = (el.text or "")[off + (s2 - s): off + (e2 - s)]
                out.append(("run", r))
                at(s2)
                continue
            rpr = next((c for c in run if c.tag.endswith("}rPr") and c.tag == qn("w:rPr")), None)
            r = w_el("w:r")
            if rpr is not None:
                r.append(_clean_rpr(rpr))
            if kind == "t":
                t = sub(r, "w:delText")
                t.text = (el.text or "")[off + (s2 - s): off + (e2 - s)]
                t.set(XML_SPACE, "preserve")
            else:
                c = copy.deepcopy(el)
                self.import_rels(c)
                to_deleted(c)
                r.append(c)
            out.append(("run", r))
            at(s2)
        if a2 > covered:
            out.extend(self._plain(a_text[covered:a2]))
        at(covered)
        return out

    @staticmethod
    def _plain(s: str) -> list:
        """Characters of OLD that no element holds: the paragraph separator of a
        group is a mark; automatic labels and joiners are not content."""
        out = []
        for k, _piece in enumerate(s.split(PARA_SEP)):
            if k:
                out.append(("mark", None))
        return out

    def put_deleted(self, items, where, tag="w:del") -> int:
        """Write deleted items at `where`; a deleted paragraph mark splits the paragraph there."""
        parent, idx = where
        n, last = 0, None
        for kind, el in items:
            if kind == "anchor":
                parent.insert(idx, el)
                idx += 1
                last = None
                continue
            if kind == "run":
                if last is not None and last.getparent() is parent and parent.index(last) == idx - 1:
                    last.append(el)
                    continue
                w = w_el(tag, id=self.rid(), author=self.author, date=self.date)
                w.append(el)
                parent.insert(idx, w)
                idx += 1
                last = w
                n += 1
            else:
                parent, idx = self._split(parent, idx, el)
                last = None
                n += 1
        return n

    def _split(self, parent, idx, old_p):
        """Split NEW's paragraph at (parent, idx): the first part becomes a paragraph
        of its own whose mark is deleted, with OLD's paragraph properties."""
        p = parent
        while p is not None and p.tag != qn("w:p"):
            p = p.getparent()
        if p is None:
            return parent, idx
        if parent is p:
            cut = idx
        else:
            child = parent
            while child.getparent() is not p:
                child = child.getparent()
            cut = p.index(child) + (0 if idx == 0 else 1)
        p0 = w_el("w:p")
        src_ppr = old_p.find(qn("w:pPr")) if old_p is not None else p.find(qn("w:pPr"))
        if src_ppr is not None:
            p0.append(self._clean_ppr(src_ppr))
        for c in [c for c in list(p)[:cut] if c.tag != qn("w:pPr")]:
            p0.append(c)
        mark_paragraph(p0, "w:del", self.rid(), self.author, self.date)
        p.addprevious(p0)
        return p, 1 if p.find(qn("w:pPr")) is not None else 0

    def _clean_ppr(self, ppr):
        ppr = copy.deepcopy(ppr)
        for tag in ("w:sectPr", "w:pPrChange", "w:rPr"):
            for x in ppr.findall(qn(tag)):
                ppr.remove(x)
        st = ppr.find(qn("w:pStyle"))
        if st is not None and st.get(qn("w:val")) not in self.new.style_ids:
            ppr.remove(st)
        np_ = ppr.find(qn("w:numPr"))
        if np_ is not None:
            nid = np_.find(qn("w:numId"))
            if nid is None or nid.get(qn("w:val")) not in self.new.num_ids | {"0"}:
                ppr.remove(np_)
        return ppr

    # -- copies of OLD's paragraphs ---------------------------------------------------------------
    def old_paragraphs(self, i: int, tag: str, move_name=None) -> list:
        """OLD block i's paragraphs, as deleted (or moved-away) paragraphs."""
        if self.old is None:
            b = self.old_doc.blocks[i]
            line = (b.label + "\t" + b.text) if b.label and b.text else (b.label or b.text)
            out = []
            for _k, piece in enumerate(line.split("\n") if b.kind == "table cell" else [line]):
                p = w_el("w:p")
                for r in _text_runs(piece, None):
                    self._wrap_one(p, r, tag)
                mark_paragraph(p, tag, self.rid(), self.author, self.date)
                out.append(p)
            return out
        src = self.old.sources[i]
        out = []
        for op in src.paras:
            p = copy.deepcopy(op)
            self._deleted_copy(p, tag)
            out.append(p)
        if move_name and out:
            self._range(out[0], out[-1], "from", move_name)
        return out

    # -- a moved paragraph that was also edited ---------------------------------------------------
    def move_mode(self, l, pairs_by_blocks):
        """How a link written at both places (moved, or out of order) is written, and
        its pair: (None, pair) its text unchanged — a move; ("edited", pair) one edit
        (MOVE_KEPT, MOVE_EDITS) — a move whose edit stays visible: at the old place the
        words NEW dropped are a plain deletion inside the moved-away text, at the new
        place the words NEW added a plain insertion inside the moved text; ("rewritten",
        pair) more — a deletion and an insertion, no move claimed. Accept all keeps the
        moved and inserted words, reject all the moved-away and deleted ones."""
        key = (tuple(l.old), tuple(l.new))
        got = self._move_modes.get(key)
        if got is not None:
            return got
        pair = pairs_by_blocks.get(key)
        mode = None
        edits = sum(op[0] != "equal" for op in pair.ops) + (pair.old_label != pair.new_label) if pair is not None else 0
        if self.old is not None and edits:
            kept = kept_share(pair.old_text, pair.new_text, pair.ops, empty=0.0)
            mode = "edited" if kept >= MOVE_KEPT and edits <= MOVE_EDITS else "rewritten"
        self._move_modes[key] = got = (mode, pair)
        return got

    def moved_to_edited(self, l, pair) -> None:
        """NEW's moved paragraphs: inserted words (and a changed typed label) as w:ins;
        `wrap_paragraphs` then makes the rest the move's destination."""
        pieces, _ = _joined([self.new.sources[j] for j in l.new], [self.new.doc.blocks[j] for j in l.new])
        for tag, _a1, _a2, b1, b2 in pair.ops:
            if tag in ("insert", "replace"):
                self.wrap(pieces, b1, b2, "w:ins")
        src = self.new.sources[l.new[0]]
        if pair.old_label != pair.new_label and src.label:
            self.wrap_label(src.label, pieces, "w:ins")

    def moved_from_edited(self, i: int, name: str, pair, l) -> list:
        """A copy of OLD's moved paragraph i (one of the link's): the words NEW dropped
        (and a changed typed label) as w:del, the rest as the move's source (w:moveFrom)."""
        src = self.old.sources[i]
        base = 0            # where block i starts in the pair's joined OLD text
        for x in l.old[:l.old.index(i)]:
            base += len(self.old_doc.blocks[x].text) + 1
        copies = [copy.deepcopy(op) for op in src.paras]
        same = {}
        for op, cp in zip(src.paras, copies):
            same.update(zip(op.iter(), cp.iter()))    # OLD's element → its copy's
        pieces = [(s, e, kind, same.get(el, el), off) for s, e, kind, el, off in src.pieces if kind != "m"]
        label = [(s, e, kind, same.get(el, el), off) for s, e, kind, el, off in src.label]
        for p in copies:
            self._clean_copy(p)
        end = len(self.old_doc.blocks[i].text)
        gone = [(max(a1 - base, 0), min(a2 - base, end)) for tag, a1, a2, _b1, _b2 in pair.ops
                if tag in ("delete", "replace") and a1 - base < end and a2 - base > 0]
        for a1, a2 in gone:
            self.cut(pieces, a1)
            self.cut(pieces, a2)
        dropped = []
        for a1, a2 in gone:
            dropped += [el.getparent() for s, e, kind, el, _off in pieces
                        if s >= a1 and e <= a2 and el.getparent() is not None and el.getparent() not in dropped]
        if pair.old_label != pair.new_label and label and i == l.old[0]:
            self.wrap_label(label, pieces, "w:del")
        self._wrap_runs(dropped, "w:del")
        for p in copies:
            self._wrap_deleted(p, "w:moveFrom")     # the rest: the move's source
        if copies:
            self._range(copies[0], copies[-1], "from", name)
        return copies

    def _deleted_copy(self, p, tag) -> None:
        """A copy of an OLD paragraph made deleted (or moved away), in place: OLD's own
        revisions and anchors out, every run and the mark wrapped in `tag`."""
        self._clean_copy(p)
        self._wrap_deleted(p, tag)

    def _clean_copy(self, p) -> None:
        """A copy of an OLD paragraph: OLD's own revisions and anchors out, its
        properties cleaned for NEW's package."""
        self._sanitize(p)
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            p.replace(ppr, self._clean_ppr(ppr))

    def _wrap_deleted(self, p, tag) -> None:
        """Every run of a cleaned copy not already wrapped, and its mark, as `tag`
        (w:del, w:moveFrom): its text made deleted text, its relationships imported."""
        runs = _runs_in(p)
        for r in runs:
            self.import_rels(r)
            to_deleted(r)
        self._wrap_runs(runs, tag)
        mark_paragraph(p, tag, self.rid(), self.author, self.date)

    def deleted_rows(self, el) -> list:
        """A copy of OLD's table or row `el` whose rows are deleted rows (w:trPr/w:del)
        and whose paragraphs are deleted paragraphs; returns its paragraphs."""
        for tr in [el] if el.tag == qn("w:tr") else list(el.iter(qn("w:tr"))):
            trpr = tr.find(qn("w:trPr"))
            if trpr is None:
                trpr = w_el("w:trPr")
                k = 1 if len(tr) and tr[0].tag == qn("w:tblPrEx") else 0
                tr.insert(k, trpr)
            for x in list(trpr):
                if x.tag in REVISION_TAGS or x.tag == qn("w:trPrChange"):
                    trpr.remove(x)
            trpr.append(w_el("w:del", id=self.rid(), author=self.author, date=self.date))
        for x in list(el.iter(qn("w:cellIns"), qn("w:cellDel"), qn("w:cellMerge"), qn("w:tcPrChange"),
                               qn("w:tblPrChange"), qn("w:tblGridChange"))):
            x.getparent().remove(x)
        paras = [p for p in el.iter(qn("w:p")) if _ancestor(p.getparent(), qn("w:p")) is None]
        for p in paras:
            self._deleted_copy(p, "w:del")
        return paras

    def _wrap_one(self, p, r, tag):
        w = sub(p, tag, id=self.rid(), author=self.author, date=self.date)
        w.append(r)

    def _sanitize(self, p) -> None:
        """A copy of OLD's accepted paragraph: OLD's own deletions out, its insertions
        plain, no comment anchors, bookmarks or note references of OLD's."""
        mode = self.old_doc.revisions_mode
        gone = (qn("w:del"), qn("w:moveFrom")) if mode != "reject" else (qn("w:ins"), qn("w:moveTo"))
        for el in list(p.iter(*gone)):
            if el.getparent() is not None and el.getparent().tag != qn("w:rPr"):
                el.getparent().remove(el)
        for el in list(p.iter(*REVISION_TAGS)):
            parent = el.getparent()
            if parent is None or parent.tag in (qn("w:rPr"), qn("w:trPr")):
                if parent is not None:
                    parent.remove(el)
                continue
            unwrap(el)
        for el in list(p.iter(*_DROP_FROM_COPIES)):
            c = self.gone_comments.get(el.get(qn("w:id"), "")) if el.tag in _COMMENT_TAGS else None
            if c is not None and el.tag not in c["placed"]:
                # An anchor of a comment only OLD has: it stays, renumbered to the comment's copy.
                el.set(qn("w:id"), c["new"])
                c["placed"].add(el.tag)
                continue
            g = self._gone_ref(el)
            if g is not None:
                # A reference to a note only OLD has: it stays where it stood, pointing at the copy.
                el.set(qn("w:id"), g["nid"])
                g["placed"] = True
                continue
            parent = el.getparent()
            parent.remove(el)
        for ch in list(p.iter(qn("w:rPrChange"))):
            ch.getparent().remove(ch)

    def import_rels(self, el) -> None:
        """Relationships an element copied from OLD refers to (images, links) are
        added to NEW's package, media copied under a name of its own."""
        if self.old is None:
            return
        for x in el.iter():
            if not isinstance(x.tag, str):
                continue
            for attr, val in list(x.attrib.items()):
                if not attr.startswith("{%s}" % R_NS):
                    continue
                if val in self.imported:
                    x.set(attr, self.imported[val])
                    continue
                rel = self.old.pkg.relationship(val)
                if rel is None:
                    continue
                typ, target = rel.get("Type", ""), rel.get("Target", "")
                if rel.get("TargetMode") == "External":
                    new_id = self.new.pkg.add_relationship(typ, target, external=True)
                else:
                    name = resolve_target("word/document.xml", target)
                    data = self.old.pkg.raw.get(name)
                    if data is None:
                        continue
                    stem, ext = posixpath.splitext(name)
                    dest, n = name, 1
                    while self.new.pkg.has(dest) and self.new.pkg.raw.get(dest) != data:
                        dest = f"{stem}_old{n}{ext}"
                        n += 1
                    self.new.pkg.add_part(dest, data)
                    self.new.pkg.ensure_default_type(ext.lstrip("."))
                    new_id = self.new.pkg.add_relationship(typ, posixpath.relpath(dest, "word"))
                self.imported[val] = new_id
                x.set(attr, new_id)

    def place_old(self, story: str, paras: list, in_cell: bool, old_tc=None) -> None:
        """OLD's paragraphs, deleted, after the last thing written in that story."""
        cur = self.cursor.get(story)
        if cur is None:
            if story != "body":
                self.warnings.append("a note deleted from OLD is not carried into the redline")
                return
            body = self.new.pkg.xml("word/document.xml").find(qn("w:body"))
            for k, p in enumerate(paras):
                body.insert(k, p)
            self.cursor[story] = paras[-1] if paras else None
            return
        if in_cell and _ancestor(cur, qn("w:tc")) is not None and old_tc is not None:
            # A cell only OLD has: a cell of its own beside the cursor's, marked deleted.
            tc = w_el("w:tc")
            tcpr = old_tc.find(qn("w:tcPr"))
            tcpr = copy.deepcopy(tcpr) if tcpr is not None else w_el("w:tcPr")
            tcpr.append(w_el("w:cellDel", id=self.rid(), author=self.author, date=self.date))
            tc.append(tcpr)
            for p in paras:
                tc.append(p)
            _ancestor(cur, qn("w:tc")).addnext(tc)
            self.cursor[story] = paras[-1] if paras else cur
            return
        if not (in_cell and _ancestor(cur, qn("w:tc")) is not None):
            # A body paragraph (or a cell's, where NEW has no table here): at the body's level.
            while cur.getparent() is not None and cur.getparent().tag not in (qn("w:body"), qn("w:footnote"), qn("w:endnote")):
                cur = cur.getparent()
        for p in paras:
            cur.addnext(p)
            cur = p
        self.cursor[story] = cur

    # -- one link ---------------------------------------------------------------------------------
    def group(self, pair) -> None:
        l = pair.link
        nsrc = [self.new.sources[j] for j in l.new]
        pieces, paras = _joined(nsrc, [self.new.doc.blocks[j] for j in l.new])
        for s in nsrc:
            paras.extend(s.paras)
        a_pieces = []
        if self.old is not None:
            a_pieces, _ = _joined([self.old.sources[i] for i in l.old], [self.old_doc.blocks[i] for i in l.old])
        if self.old is not None and l.old and l.new:
            self.paragraph_props(self.old.sources[l.old[0]].paras[0], paras[0])
        earlier = self.earlier_deletions(pieces, paras) if self.has_earlier else []
        anchors = self.comment_anchors(l, a_pieces) if self.gone_comments else []
        new_label = self.label(l.old[0], l.new[0], pieces, paras) if pair.old_label != pair.new_label else None
        for tag, a1, a2, b1, b2 in pair.ops:
            if tag == "equal":
                if anchors:
                    self.kept_anchors(anchors, pieces, paras, a1, a2, b1)
                if self.formatting and self.old is not None:
                    self.formats(a_pieces, pieces, a1, a2, b1, b2)
                continue
            if tag in ("insert", "replace"):
                self.wrap(pieces, b1, b2, "w:ins")
            if tag in ("delete", "replace"):
                where = None
                if a1 == 0 and b1 == 0 and new_label is not None and new_label.getparent() is not None:
                    # Text deleted right after a changed typed label: written before NEW's label,
                    # so that OLD's label and words read as one deletion ("3. To pursue") and
                    # NEW's as one insertion ("2. Increasing"), not four alternating stretches.
                    where = (new_label.getparent(), new_label.getparent().index(new_label))
                self.delete(pair.old_text, a_pieces, a1, a2, pieces, paras, b1, b2, earlier, anchors, where)
        if l.old and l.new:
            self.place_refs(l, a_pieces, pieces, paras, pair.ops)
        self.cursor[nsrc[-1].story if nsrc else "body"] = paras[-1] if paras else None

    def kept_anchors(self, anchors, pieces, paras, a1, a2, b1) -> None:
        """Range marks and references of comments only OLD has that stand in text both
        sides have: written at the same place in NEW's text (a reference run deleted), so
        that a comment running from deleted words into kept ones covers all of them again
        after reject. (A start at an edit's end, or an end at its start, is the edit's:
        `deleted_items` writes it.)"""
        for x, el in anchors:
            if not (a1 <= x < a2 if el.tag == qn("w:commentRangeStart") else a1 < x <= a2):
                continue
            item = self._anchor_item(el)
            if item is not None:
                self.put_deleted([item], self.anchor(pieces, paras, x - a1 + b1))

    def delete(self, a_text, a_pieces, a1, a2, pieces, paras, b1, b2, earlier, anchors=(), where=None) -> None:
        """OLD's [a1, a2) written deleted at NEW's b1 — except the parts that a deletion
        NEW already tracks there holds (a delegation's earlier `w:del`): rejecting all
        would otherwise bring those words back twice."""
        if b1 == b2 and not any(b1 <= q <= b2 for k, (q, t, _) in enumerate(earlier) if k not in self._used_earlier):
            # The diff may have put a deletion's white space on the other side ("every three "
            # where NEW's earlier deletion is " every three"): slide it over equal text.
            for k, (q, t, _) in enumerate(earlier):
                sh = q - b1
                if k in self._used_earlier or not t or not 0 < abs(sh) <= 3 or not 0 <= a1 + sh <= a2 + sh <= len(a_text):
                    continue
                same = a_text[a1 + sh:a1] == a_text[a2 + sh:a2] if sh < 0 else a_text[a1:a1 + sh] == a_text[a2:a2 + sh]
                if same:
                    a1, a2, b1, b2 = a1 + sh, a2 + sh, q, q
                    break
        d = a_text[a1:a2]
        segs, pos = [], 0          # (start, end) of OLD's text before each earlier deletion it contains
        for k, (q, text, el) in enumerate(earlier):
            if k in self._used_earlier or not (b1 <= q <= b2) or not text:
                continue
            at = d.find(text, pos)
            if at < 0:
                if text.strip() and d.find(text.strip(), pos) >= 0:
                    text = text.strip()
                    at = d.find(text, pos)
                else:
                    self.warnings.append("a deletion NEW already tracks overlaps text the comparison deletes: "
                                         "rejecting every change shows some words twice")
                    continue
            self._used_earlier.add(k)
            segs.append((pos, at, el, "before"))
            pos = at + len(text)
        if not segs:
            items = self.deleted_items(a_text, a_pieces, a1, a2, anchors)
            if items:
                self.put_deleted(items, where if where is not None else self.anchor(pieces, paras, b1))
            return
        for lo, hi, el, _ in segs:
            if hi > lo:
                self.put_deleted(self.deleted_items(a_text, a_pieces, a1 + lo, a1 + hi, anchors),
                                 (el.getparent(), el.getparent().index(el)))
        last = segs[-1][2]
        if pos < len(d):
            self.put_deleted(self.deleted_items(a_text, a_pieces, a1 + pos, a2, anchors),
                             (last.getparent(), last.getparent().index(last) + 1))

    def earlier_paragraph(self, k: int, take: bool = False):
        """A paragraph NEW already tracks as deleted (every run and its mark, by anyone)
        whose text is OLD block k's, not yet matched: its w:p, or None."""
        if not hasattr(self, "_gone_paras"):
            self._gone_paras: dict[str, list] = {}
            gone = (qn("w:del"), qn("w:moveFrom"))
            for src in self.new.sources:
                for p in src.paras:
                    ppr = p.find(qn("w:pPr"))
                    rpr = ppr.find(qn("w:rPr")) if ppr is not None else None
                    if rpr is None or not any(rpr.find(t) is not None for t in gone):
                        continue
                    if any(not any(a.tag in gone for a in t.iterancestors()) for t in p.iter(qn("w:t"))):
                        continue
                    text = _norm("".join(t.text or "" for t in p.iter(qn("w:delText"))))
                    if text:
                        self._gone_paras.setdefault(text, []).append(p)
        b = self.old_doc.blocks[k]
        for key in (_norm(b.text), _norm(b.label + " " + b.text)):
            if self._gone_paras.get(key):
                return self._gone_paras[key].pop(0) if take else self._gone_paras[key][0]
        return None

    def new_story(self, p) -> str:
        note = _ancestor(p, qn("w:footnote")) if p is not None else None
        note = note if note is not None else _ancestor(p, qn("w:endnote"))
        return "body" if note is None else next(
            (s.story for s in self.new.sources if s.paras and _ancestor(s.paras[0], note.tag) is note), "body")

    def earlier_deletions(self, pieces, paras) -> list:
        """Deletions NEW already tracks in these paragraphs (by anyone), each with
        its place in NEW's accepted text: [(offset, deleted text, element)]."""
        gone = (qn("w:del"), qn("w:moveFrom"))
        out = []
        for q, el in _positions(pieces, paras, lambda el: el.tag in gone and el.getparent() is not None
                                and el.getparent().tag not in (qn("w:rPr"), qn("w:trPr"))):
            text = "".join(
                (x.text or "") if x.tag == qn("w:delText") else "\t" if x.tag == qn("w:tab") else "\n"
                for x in el.iter(qn("w:delText"), qn("w:tab"), qn("w:br")))
            out.append((q, text, el))
        return out

    def paragraph_props(self, op, np_) -> None:
        """Style or numbering changed (a renumbered level, typed label now automatic):
        w:pPrChange holds OLD's properties, so that rejecting restores OLD's label."""
        if _ppr_key(op) == _ppr_key(np_):
            return
        ppr = ppr_of(np_)
        if ppr.find(qn("w:pPrChange")) is not None:
            return
        oppr = op.find(qn("w:pPr"))
        old = self._clean_ppr(oppr) if oppr is not None else w_el("w:pPr")
        ch = w_el("w:pPrChange", id=self.rid(), author=self.author, date=self.date)
        ch.append(old)
        ppr.append(ch)

    def label(self, i, j, pieces, paras):
        """A typed label that changed: NEW's inserted, OLD's deleted before it
        (automatic labels follow the numbering of the paragraphs on their own).
        Returns the element holding NEW's inserted label, if it is typed."""
        nl = self.new.sources[j].label
        ol = self.old.sources[i].label if self.old is not None else []
        old_label = self.old_doc.blocks[i].label
        if nl:
            lp = list(nl)
            # The label often shares its w:t with the text ("2. Increasing …"): split the
            # element at the label's ends, keeping both piece lists pointing right.
            for k in range(len(lp)):
                s, e, kind, el, off = lp[k]
                if kind != "t":
                    continue
                for at in (off + (e - s), off):
                    s, e, kind, el, off = lp[k]
                    if 0 < at < len(el.text or ""):
                        both = lp + pieces
                        self._split_piece(both, k, at)
                        lp[:], pieces[:] = both[:len(lp)], both[len(lp):]
            first = lp[0][3].getparent()
            where = (self._outer(first).getparent(), self._outer(first).getparent().index(self._outer(first)))
            self.wrap(lp, 0, max(e for _, e, *_ in lp), "w:ins")
            first = self._outer(first)
            where = (first.getparent(), first.getparent().index(first))
            new_label = first
        elif not ol and self.old is not None:
            return None
        else:
            where = self.anchor(pieces, paras, 0)
            new_label = None
        if ol:
            end = max(e for _, e, *_ in ol)
            items = self.deleted_items(old_label.ljust(end), ol, 0, end)
        elif self.old is None and old_label:
            items = [("run", r) for r in _text_runs(old_label + " ", None)]
        else:
            items = []
        if items:
            self.put_deleted(items, where)
        return new_label

    def formats(self, a_pieces, b_pieces, a1, a2, b1, b2) -> None:
        """Bold, italic, underline, strikethrough changed on unchanged text: w:rPrChange."""
        def runs_at(pieces, lo, hi):
            return [(max(s, lo), min(e, hi), el) for s, e, kind, el, off in pieces if kind == "t" and s < hi and e > lo]
        olds = runs_at(a_pieces, a1, a2)
        news = runs_at(b_pieces, b1, b2)
        if not olds or not news:
            return
        # Each run's properties read once (not once per pair of runs).
        olds = [(s, e, rpr, flags_of(rpr)) for s, e, el in olds
                for rpr in (next(el.getparent().iterchildren(_RPR), None),)]
        # Only where formatting differs: compare per NEW run, OLD's runs under it.
        for s, e, el in news:
            nf = flags_of(next(el.getparent().iterchildren(_RPR), None))
            for os_, oe, orpr, of in olds:
                if of == nf:
                    continue
                lo, hi = max(s, os_ - a1 + b1), min(e, oe - a1 + b1)
                if lo >= hi:
                    continue
                self.cut(b_pieces, lo)
                self.cut(b_pieces, hi)
                for s2, e2, kind, el2, _off in b_pieces:
                    if kind == "t" and s2 >= lo and e2 <= hi:
                        run = el2.getparent()
                        if run.tag != qn("w:r"):
                            continue
                        rpr = run.find(qn("w:rPr"))
                        if rpr is None:
                            rpr = w_el("w:rPr")
                            run.insert(0, rpr)
                        if rpr.find(qn("w:rPrChange")) is not None:
                            continue
                        ch = sub(rpr, "w:rPrChange", id=self.rid(), author=self.author, date=self.date)
                        ch.append(_clean_rpr(orpr) if orpr is not None else w_el("w:rPr"))

    def note_reference(self, src: Source, tag: str) -> None:
        """An inserted note's reference in the body, tracked like the note."""
        note = src.paras[0].getparent() if src.paras else None
        if note is None or note.tag not in (qn("w:footnote"), qn("w:endnote")):
            return
        ref_tag = qn("w:footnoteReference") if note.tag == qn("w:footnote") else qn("w:endnoteReference")
        nid = note.get(qn("w:id"))
        body = self.new.pkg.xml("word/document.xml")
        for ref in body.iter(ref_tag):
            if ref.get(qn("w:id")) == nid:
                self._wrap_runs([ref.getparent()], tag)

    def gone_comments_from(self) -> None:
        """Comments OLD has and NEW does not (same author, date and text): they are
        brought back on the text they stood on, which only OLD has (`_sanitize` keeps
        their anchors in deleted copies of OLD's paragraphs, `deleted_items` in OLD's
        deleted text), each under an id of its own."""
        from collections import Counter
        if self.old is None or not self.old_doc.comments:
            return
        part = self.old.pkg.part_of("comments")
        root = self.old.pkg.xml(part) if part else None
        if root is None:
            return
        have = Counter((c.author, c.date, _norm(c.text)) for c in self.new.doc.comments)
        els = {x.get(qn("w:id"), ""): x for x in root.findall(qn("w:comment"))}
        for c in self.old_doc.comments:
            key = (c.author, c.date, _norm(c.text))
            if have[key]:
                have[key] -= 1
                continue
            if c.id in els:
                self.gone_comments[c.id] = {"new": self.rid(), "el": els[c.id], "placed": set(), "author": c.author}

    def comment_anchors(self, l, a_pieces) -> list:
        """The anchors of comments only OLD has in OLD's side of a group, with their offsets."""
        if self.old is None:
            return []
        oparas = [p for i in l.old for p in self.old.sources[i].paras]
        hidden = (qn("w:ins"), qn("w:moveTo")) if self.old_doc.revisions_mode == "reject" else (qn("w:del"), qn("w:moveFrom"))
        return [(x, el) for x, el in _positions(a_pieces, oparas, lambda el: el.tag in _COMMENT_TAGS
                                                 and el.get(qn("w:id"), "") in self.gone_comments)
                if not any(a.tag in hidden for a in el.iterancestors())]

    def finish_comments(self) -> None:
        """Each comment brought back: copied into NEW's comments part, its range and
        reference completed where only part of it could be written; one that found no
        place is said in a warning (never dropped silently)."""
        if not self.gone_comments:
            return
        roots = [self.new.pkg.xml(n) for n in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
                 if self.new.pkg.has(n) and self.new.pkg.xml(n) is not None]
        for _oid, g in self.gone_comments.items():
            found = {}
            for root in roots:
                for el in root.iter(*_COMMENT_TAGS):
                    if el.get(qn("w:id")) == g["new"]:
                        found[el.tag] = el
            if not found:
                self.warnings.append(f"a comment by {g['author'] or 'an unknown author'} on text only OLD has "
                                     "is not carried into the redline")
                continue
            start, end, ref = (found.get(qn(t)) for t in ("w:commentRangeStart", "w:commentRangeEnd", "w:commentReference"))
            ref_run = self._outer(ref.getparent()) if ref is not None else None
            if start is None:
                start = w_el("w:commentRangeStart", id=g["new"])
                (end if end is not None else ref_run).addprevious(start)
            if end is None:
                end = w_el("w:commentRangeEnd", id=g["new"])
                if ref_run is not None:
                    ref_run.addprevious(end)
                else:
                    nxt = start.getnext()
                    (nxt if nxt is not None and nxt.tag != qn("w:pPr") else start).addnext(end)
            if ref is None:
                r = w_el("w:r")
                sub(sub(r, "w:rPr"), "w:rStyle", val="CommentReference")
                sub(r, "w:commentReference", id=g["new"])
                w = w_el("w:del", id=self.rid(), author=self.author, date=self.date)
                w.append(r)
                if _ancestor(end, qn("w:p")) is not None:
                    end.addnext(w)
                else:       # a range mark between paragraphs: the reference goes in the one before
                    p = end.getprevious()
                    while p is not None and p.tag != qn("w:p"):
                        p = p.getprevious()
                    if p is None:
                        self.warnings.append(f"a comment by {g['author'] or 'an unknown author'} on text only OLD has "
                                             "is not carried into the redline")
                        continue
                    p.append(w)
            c = copy.deepcopy(g["el"])
            c.set(qn("w:id"), g["new"])
            for x in c.iter():
                for a in [a for a in x.attrib if a.endswith("}paraId") or a.endswith("}textId")]:
                    del x.attrib[a]
            part = self._comments_part()
            self.new.pkg.xml(part).append(c)
            self.new.pkg.touch(part)

    def _comments_part(self) -> str:
        """NEW's comments part (made, with its relationship and content type, if missing)."""
        from lxml import etree

        from ..ooxml import CT_NS, W_NS
        part = self.new.pkg.part_of("comments")
        if part is None:
            part = "word/comments.xml"
            self.new.pkg.set_tree(part, etree.Element(qn("w:comments"), nsmap={"w": W_NS}))
            self.new.pkg.add_relationship("http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments", "comments.xml")
            ct = self.new.pkg.xml("[Content_Types].xml")
            self.new.pkg.touch("[Content_Types].xml")
            etree.SubElement(ct, "{%s}Override" % CT_NS, PartName="/" + part,
                             ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml")
        return part

    def gone_notes_from(self, steps) -> None:
        """Notes only OLD has, each given its id in NEW's notes part up front, so that
        its reference can be written where it stood (in a deleted copy of its paragraph,
        or at its place in the paragraph that now stands there)."""
        self.gone_notes: dict[tuple[str, str], dict] = {}
        if self.old is None:
            return
        top: dict[str, int] = {}
        for k, kind, _ in steps:
            if kind != "del" or self.old_doc.blocks[k].kind != "footnote" or not self.old.sources[k].paras:
                continue
            onote = self.old.sources[k].paras[0].getparent()
            if onote is None or onote.tag not in (qn("w:footnote"), qn("w:endnote")):
                continue
            nk = "footnote" if onote.tag == qn("w:footnote") else "endnote"
            if nk not in top:
                part = self.new.pkg.part_of(nk + "s")
                root = self.new.pkg.xml(part) if part else None
                top[nk] = max([int(x.get(qn("w:id"))) for x in (root if root is not None else [])
                               if (x.get(qn("w:id")) or "").lstrip("-").isdigit()] + [0])
            top[nk] += 1
            self.gone_notes[(nk, onote.get(qn("w:id"), ""))] = {"k": k, "nid": str(top[nk]), "placed": False}

    def _gone_ref(self, el):
        """The entry of a reference element to a note only OLD has (not yet written), or None."""
        if not getattr(self, "gone_notes", None) or el.tag not in (qn("w:footnoteReference"), qn("w:endnoteReference")):
            return None
        g = self.gone_notes.get(("footnote" if el.tag == qn("w:footnoteReference") else "endnote", el.get(qn("w:id"), "")))
        return g if g is not None and not g["placed"] else None

    def place_refs(self, l, a_pieces, pieces, paras, ops) -> None:
        """References to notes only OLD has, cited from OLD's side of this group: a
        deleted reference at the place in NEW's text that corresponds to where it stood."""
        if not getattr(self, "gone_notes", None) or self.old is None:
            return
        oparas = [p for i in l.old for p in self.old.sources[i].paras]
        hidden = (qn("w:ins"), qn("w:moveTo")) if self.old_doc.revisions_mode == "reject" else (qn("w:del"), qn("w:moveFrom"))
        for x, el in _positions(a_pieces, oparas, lambda el: self._gone_ref(el) is not None):
            if any(a.tag in hidden for a in el.iterancestors()):
                continue
            g = self._gone_ref(el)
            r = w_el("w:r")
            orpr = el.getparent().find(qn("w:rPr")) if el.getparent() is not None else None
            if orpr is not None:
                r.append(_clean_rpr(orpr))
            sub(r, "w:" + el.tag.split("}")[1], id=g["nid"])
            self.put_deleted([("run", r)], self.anchor(pieces, paras, _map_offset(ops, x)))
            g["placed"] = True

    def deleted_note(self, k: int) -> None:
        """A note only OLD has: copied into NEW's notes part, deleted. Its reference was
        written where it stood (see `place_refs`); failing that, at the end of the
        paragraph where its citing paragraph now is."""
        if self.old is None:
            return
        src = self.old.sources[k]
        onote = src.paras[0].getparent() if src.paras else None
        if onote is None or onote.tag not in (qn("w:footnote"), qn("w:endnote")):
            return
        kind = "footnote" if onote.tag == qn("w:footnote") else "endnote"
        g = self.gone_notes.get((kind, onote.get(qn("w:id"), "")))
        part = self.new.pkg.part_of(kind + "s") or self._notes_part(kind)
        root = self.new.pkg.xml(part) if part else None
        cite = self.old_doc.blocks[k].ref
        target = self.old_at.get(cite) if cite is not None else None
        if root is None or g is None or (target is None and not g["placed"]):
            self.warnings.append(f"a {kind} deleted from OLD is not carried into the redline")
            return
        nid = g["nid"]
        note = copy.deepcopy(onote)
        note.set(qn("w:id"), nid)
        for p in note.iter(qn("w:p")):
            self._sanitize(p)
            runs = [r for r in p.iter(qn("w:r")) if r.find(qn("w:footnoteRef")) is None and r.find(qn("w:endnoteRef")) is None]
            for r in runs:
                to_deleted(r)
            self._wrap_runs(list(p.iter(qn("w:r"))), "w:del")
            mark_paragraph(p, "w:del", self.rid(), self.author, self.date)
        root.append(note)
        if g["placed"]:
            return
        g["placed"] = True
        r = w_el("w:r")
        rpr = sub(r, "w:rPr")
        sub(rpr, "w:rStyle", val="FootnoteReference" if kind == "footnote" else "EndnoteReference")
        sub(r, f"w:{kind}Reference", id=nid)
        w = sub(target, "w:del", id=self.rid(), author=self.author, date=self.date)
        w.append(r)

    def _notes_part(self, kind: str) -> str:
        """NEW has no notes of that kind: a notes part of its own, with Word's separators."""
        from lxml import etree

        from ..ooxml import CT_NS, W_NS
        name = f"word/{kind}s.xml"
        root = etree.Element(qn(f"w:{kind}s"), nsmap={"w": W_NS, "r": R_NS})
        for fid, typ in (("-1", "separator"), ("0", "continuationSeparator")):
            n = sub(root, f"w:{kind}", type=typ, id=fid)
            sub(sub(sub(n, "w:p"), "w:r"), "w:" + typ)
        self.new.pkg.set_tree(name, root)
        self.new.pkg.add_relationship(f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}s", f"{kind}s.xml")
        ct = self.new.pkg.xml("[Content_Types].xml")
        self.new.pkg.touch("[Content_Types].xml")
        if ct is not None:
            etree.SubElement(ct, "{%s}Override" % CT_NS, PartName="/" + name,
                             ContentType=f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml")
        return name

    def run(self, cmp: Comparison) -> None:
        pairs = {id(p.link): p for p in cmp.pairs}
        names: dict[int, str] = {}
        self.old_at = {}          # OLD block → the NEW (or copied) paragraph where it now stands
        for l in cmp.alignment.links:
            if l.old and l.new:
                for i in l.old:
                    self.old_at[i] = self.new.sources[l.new[-1]].paras[-1] if self.new.sources[l.new[-1]].paras else None
        notes_gone = []
        # A paragraph that went into a table (or out of one) cannot be edited in place:
        # it is written as a move, from its old container to its new one.
        import dataclasses
        cell = lambda d, i: d.blocks[i].kind == "table cell"  # noqa: E731
        links = [dataclasses.replace(l, op="moved")
                 if l.old and l.new and {cell(self.old_doc, i) for i in l.old} != {cell(self.new.doc, j) for j in l.new}
                 else l for l in cmp.alignment.links]
        steps = plan(links)
        # The pairs of the links written at two places (moved, out of order), by their blocks: the
        # links are copied above (a move into a table). Only those: a dict of every pair would be
        # ~20 MB on a 100,000-paragraph pair.
        two = {(tuple(l.old), tuple(l.new)) for _, kind, l in steps if kind in ("from", "to")}
        pairs_by_blocks = {(tuple(p.link.old), tuple(p.link.new)): p for p in cmp.pairs
                           if (tuple(p.link.old), tuple(p.link.new)) in two} if two else {}
        self.gone_notes_from(steps)
        self.gone_comments_from()
        rows = _Rows(self, steps) if any(b.kind == "table cell" for b in self.old_doc.blocks + self.new.doc.blocks) else None
        old_cells = new_cells = {}
        if rows is not None:
            if self.old is not None:
                old_cells = _whole_cells(self.old, self.old_doc, {k for k, kind, _ in steps if kind == "del"})
            new_cells = _whole_cells(self.new, self.new.doc, {k for k, kind, _ in steps if kind == "ins"})
        release = getattr(self.old.sources, "release", None) if self.old is not None else None
        for k, kind, l in steps:
            if release is not None:
                release()     # OLD's serialized paragraphs made for the last step are let go
            if rows is not None and kind == "del" and rows.deleted(k):
                continue
            if rows is not None and kind == "ins" and rows.inserted(k):
                continue
            if kind == "del" and self.old_doc.blocks[k].kind == "footnote":
                notes_gone.append(k)
                continue
            if kind == "ins" and self.new.doc.blocks[k].kind == "footnote":
                self.wrap_paragraphs(self.new.sources[k].paras, "w:ins")
                self.note_reference(self.new.sources[k], "w:ins")
                continue
            if kind == "del" and self.has_earlier and self.earlier_paragraph(k) is not None:
                # NEW already tracks this paragraph's deletion (a delegation's): it stays theirs.
                p = self.earlier_paragraph(k, take=True)
                self.old_at[k] = p
                self.cursor[self.new_story(p)] = p
                continue
            if kind in ("del", "from"):
                name = names.setdefault(id(l), f"move{len(names) + 1}") if kind == "from" else None
                b = self.old_doc.blocks[k]
                story = self.old.sources[k].story if self.old is not None else ("body" if b.kind != "footnote" else "note")
                whole = old_cells.get(k)
                if whole is not None:
                    # A cell only OLD has (every paragraph of it deleted): written once, whole,
                    # as a deleted cell, at its first paragraph's step.
                    otc, ks = whole
                    if k != ks[0]:
                        continue
                    paras = [p for i in ks for p in self.old_paragraphs(i, "w:del")]
                else:
                    otc, ks = None, [k]
                    mode, pair = self.move_mode(l, pairs_by_blocks) if kind == "from" else (None, None)
                    if mode == "edited":
                        paras = self.moved_from_edited(k, name, pair, l)
                    elif mode == "rewritten":
                        paras = self.old_paragraphs(k, "w:del")
                    else:
                        paras = self.old_paragraphs(k, "w:moveFrom" if kind == "from" else "w:del", name)
                self.place_old(story, paras, b.kind == "table cell", otc)
                if paras:
                    for i in ks:
                        self.old_at[i] = paras[-1]
            elif kind in ("ins", "to"):
                src = self.new.sources[k]
                name = names.setdefault(id(l), f"move{len(names) + 1}") if kind == "to" else None
                mode, pair = self.move_mode(l, pairs_by_blocks) if kind == "to" else (None, None)
                if mode == "edited" and k == l.new[0]:
                    self.moved_to_edited(l, pair)
                if mode == "rewritten":
                    self.wrap_paragraphs(src.paras, "w:ins")
                else:
                    self.wrap_paragraphs(src.paras, "w:moveTo" if kind == "to" else "w:ins", name)
                self.cursor[src.story] = src.paras[-1]
                whole = new_cells.get(k) if kind == "ins" else None
                if whole is not None and k == whole[1][-1]:
                    # A whole cell only NEW has (its last paragraph written).
                    tc = whole[0]
                    tcpr = tc.find(qn("w:tcPr"))
                    if tcpr is None:
                        tcpr = w_el("w:tcPr")
                        tc.insert(0, tcpr)
                    tcpr.append(w_el("w:cellIns", id=self.rid(), author=self.author, date=self.date))
            else:
                self.group(pairs[id(l)])
        for k in notes_gone:
            self.deleted_note(k)
        self.blank_lines_of_insertions()
        self.finish_comments()

    def blank_lines_of_insertions(self) -> None:
        """Empty paragraphs NEW has between two paragraphs it inserted came with them:
        inserted too, so that the insertion is one tracked change rather than one per
        paragraph (a converted text has a blank paragraph between every two), and
        rejecting every change takes them away with the rest."""
        ours = {id(p) for p in self._ins_paras}
        for p in self._ins_paras:
            blanks, q = [], p.getnext()
            while q is not None and q.tag == _P and id(q) not in ours and next(q.iter(*_NOT_BLANK), None) is None \
                    and not any(t.text for t in q.iter(_T, _DELTEXT)):
                blanks.append(q)
                q = q.getnext()
            if blanks and q is not None and id(q) in ours:
                for b in blanks:
                    self._wrap_runs(_runs_in(b, skip=REVISION_TAGS), "w:ins")   # empty runs: in, with the mark
                    mark_paragraph(b, "w:ins", self.rid(), self.author, self.date)


class _Rows:
    """Whole table rows (and whole tables) only one side has, written as row
    revisions: OLD's rows copied in as deleted rows (w:trPr/w:del) where they
    stood, NEW's marked inserted rows (w:trPr/w:ins) — not cells beside other
    cells, which would change the table's shape on reject."""

    def __init__(self, w: Writer, steps):
        self.w = w
        gone = {k for k, kind, _ in steps if kind == "del"}
        came = {k for k, kind, _ in steps if kind == "ins"}
        self.old_row, self.old_texted = self._rows(w.old, w.old_doc, gone) if w.old is not None else ({}, {})
        self.new_row, _ = self._rows(w.new, w.new.doc, came)
        self.done: set = set()
        self.last: dict = {}        # OLD table → the last deleted row written for it

    @staticmethod
    def _rows(side, doc, only) -> tuple[dict, set]:
        """Block → its w:tr, for rows every block of which is in `only` (and no nested
        table); and the rows that hold any block, by id."""
        by_row: dict[int, list] = {}
        trs = {}
        for k, b in enumerate(doc.blocks):
            if b.kind != "table cell" or not side.sources[k].paras:
                continue
            tr = _ancestor(side.sources[k].paras[0], qn("w:tr"))
            if tr is None:
                continue
            by_row.setdefault(id(tr), []).append(k)
            trs[id(tr)] = tr
        out = {}
        for key, ks in by_row.items():
            tr = trs[key]
            if all(k in only for k in ks) and tr.find(".//" + qn("w:tbl")) is None:
                out.update((k, tr) for k in ks)
        return out, trs          # (lxml proxies held, so that their ids stay theirs)

    def deleted(self, k: int) -> bool:
        """OLD block k belongs to a row only OLD has: the row (or its whole table) is written."""
        tr = self.old_row.get(k)
        if tr is None:
            return False
        w = self.w
        if id(tr) in self.done:
            return True
        tbl = tr.getparent()
        while tbl is not None and tbl.tag != qn("w:tbl"):
            tbl = tbl.getparent()
        rows = list(tbl.iter(qn("w:tr"))) if tbl is not None else [tr]
        gone = {id(r) for r in self.old_row.values()}
        if tbl is not None and tbl.find(".//" + qn("w:tbl")) is None and \
                all(id(r) in gone or id(r) not in self.old_texted for r in _own_rows(tbl)):
            # The whole table is OLD's only: a deleted copy of it where it stood.
            copy_ = copy.deepcopy(tbl)
            paras = w.deleted_rows(copy_)
            self._after_cursor(copy_, w.old.sources[k].story, _ancestor(tbl.getparent(), qn("w:tc")) is not None)
            self.done.update(id(r) for r in rows)
        else:
            where = self._place(tr, tbl)
            if where is None:
                return False
            copy_ = copy.deepcopy(tr)
            paras = w.deleted_rows(copy_)
            node, before = where
            (node.addprevious if before else node.addnext)(copy_)
            self.last[id(tbl)] = (tbl, copy_)
            self.done.add(id(tr))
        for i, r in self.old_row.items():
            if id(r) in self.done:
                w.old_at[i] = paras[-1] if paras else None
        if paras:
            w.cursor[w.old.sources[k].story] = paras[-1]
        return True

    def _place(self, tr, tbl):
        """Where an OLD row goes in NEW: before the NEW row of the next OLD row NEW kept,
        or after the previous one (and after the rows already written there)."""
        w = self.w
        own = _own_rows(tbl)
        at = own.index(tr)

        def new_tr(otr):
            for i, b in enumerate(w.old_doc.blocks):
                if b.kind == "table cell" and w.old.sources[i].paras and \
                        _ancestor(w.old.sources[i].paras[0], qn("w:tr")) is otr and w.old_at.get(i) is not None:
                    ntr = _ancestor(w.old_at[i], qn("w:tr"))
                    if ntr is not None and ntr.getparent() is not None and ntr.getparent().tag == qn("w:tbl"):
                        return ntr
            return None
        prev = self.last.get(id(tbl))
        if prev is not None:
            return prev[1], False
        for otr in own[at + 1:]:
            ntr = new_tr(otr)
            if ntr is not None:
                return ntr, True
        for otr in reversed(own[:at]):
            ntr = new_tr(otr)
            if ntr is not None:
                return ntr, False
        return None

    def _after_cursor(self, el, story, nested: bool) -> None:
        """A deleted table after the last thing written: at the story's level, or in
        the cursor's cell when OLD's table was nested in a cell."""
        w = self.w
        cur = w.cursor.get(story)
        if cur is None:
            body = w.new.pkg.xml("word/document.xml").find(qn("w:body"))
            body.insert(0, el)
            return
        stop = (qn("w:body"), qn("w:footnote"), qn("w:endnote")) + ((qn("w:tc"),) if nested else ())
        while cur.getparent() is not None and cur.getparent().tag not in stop:
            cur = cur.getparent()
        cur.addnext(el)

    def inserted(self, j: int) -> bool:
        """NEW block j belongs to a row only NEW has: its content inserted and the row
        marked inserted (w:trPr/w:ins)."""
        tr = self.new_row.get(j)
        if tr is None:
            return False
        w = self.w
        src = w.new.sources[j]
        w.wrap_paragraphs(src.paras, "w:ins")
        w.cursor[src.story] = src.paras[-1]
        if id(tr) not in self.done:
            self.done.add(id(tr))
            trpr = tr.find(qn("w:trPr"))
            if trpr is None:
                trpr = w_el("w:trPr")
                tr.insert(1 if len(tr) and tr[0].tag == qn("w:tblPrEx") else 0, trpr)
            trpr.append(w_el("w:ins", id=w.rid(), author=w.author, date=w.date))
            # The row's empty paragraphs (no block of their own) are inserted with it.
            mine = {id(p) for i, r in self.new_row.items() if r is tr for p in w.new.sources[i].paras}
            for p in tr.iter(qn("w:p")):
                if id(p) not in mine and _ancestor(p.getparent(), qn("w:p")) is None:
                    mark_paragraph(p, "w:ins", w.rid(), w.author, w.date)
        return True


def _whole_cells(side, doc, only) -> dict:
    """Cells every paragraph of which is a block in `only` (no empty paragraph or
    nested table besides): block → (its w:tc, the cell's blocks in order)."""
    by_tc: dict[int, list] = {}
    tcs = {}
    for k, b in enumerate(doc.blocks):
        if b.kind != "table cell" or not side.sources[k].paras:
            continue
        tc = _ancestor(side.sources[k].paras[0], qn("w:tc"))
        if tc is not None:
            by_tc.setdefault(id(tc), []).append(k)
            tcs[id(tc)] = tc
    out = {}
    for key, ks in by_tc.items():
        tc = tcs[key]
        if all(k in only for k in ks) and tc.find(qn("w:tbl")) is None and \
                len(tc.findall(qn("w:p"))) == sum(len(side.sources[k].paras) for k in ks):
            out.update((k, (tc, ks)) for k in ks)
    return out


def _own_rows(tbl) -> list:
    """A table's own rows (not its nested tables'), through content controls."""
    out, stack = [], [iter(tbl)]
    while stack:
        c = next(stack[-1], None)
        if c is None:
            stack.pop()
            continue
        if c.tag == qn("w:tr"):
            out.append(c)
        elif c.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            stack.append(iter(c))
    return out


def _positions(pieces, paras, pick) -> list:
    """Elements of these paragraphs that `pick` chooses (not looking inside them),
    each with its place in the block's text: the end of the text before it."""
    at: dict[int, int] = {}
    marks: dict[int, int] = {}
    for _s, e, kind, el, _off in pieces:
        if kind == "m":
            marks[id(el)] = e
        else:
            at[id(el)] = max(at.get(id(el), 0), e)
    out, cur = [], 0
    for p in paras:
        skip = None
        for el in p.iter():
            if skip is not None:
                if any(a is skip for a in el.iterancestors()):
                    continue
                skip = None
            if not isinstance(el.tag, str):
                continue
            if id(el) in at:
                cur = at[id(el)]
            elif pick(el):
                out.append((cur, el))
                skip = el
        if id(p) in marks:
            cur = marks[id(p)]
    return out


def _map_offset(ops, x: int) -> int:
    """OLD offset x → NEW's: through equal text exactly; inside a change, after OLD's
    deleted text (which is written at the change's start)."""
    for tag, a1, a2, b1, _b2 in ops:
        if tag == "equal" and a1 <= x <= a2:
            return b1 + (x - a1)
    for _tag, a1, a2, b1, _b2 in ops:
        if a1 <= x <= a2:
            return b1
    return ops[-1][4] if ops else 0


_P, _T, _DELTEXT = qn("w:p"), qn("w:t"), qn("w:delText")
# What makes a paragraph more than a blank line (or already revised, or a section's end).
# (An empty run, <w:r><w:rPr/></w:r> as LibreOffice writes blank lines, or an empty w:t is still blank.)
_NOT_BLANK = tuple(qn(t) for t in ("w:tab", "w:br", "w:cr", "w:sym", "w:drawing", "w:pict",
                                   "w:object", "w:fldChar", "w:instrText", "w:fldSimple", "w:footnoteReference",
                                   "w:endnoteReference", "w:commentReference", "m:oMath", "m:oMathPara", "w:ins",
                                   "w:del", "w:moveFrom", "w:moveTo", "w:sectPr", "w:pPrChange"))
_RPR, _PPR, _PSTYLE, _NUMPR, _NUMID, _ILVL, _VAL = (qn(t) for t in ("w:rPr", "w:pPr", "w:pStyle", "w:numPr", "w:numId", "w:ilvl", "w:val"))


def _ppr_key(p):
    """A paragraph's style and numbering (what its automatic label follows)."""
    ppr = next(p.iterchildren(_PPR), None)     # = p.find(…), without ElementPath: once a paragraph
    if ppr is None:
        return (None, None, None)
    st = ppr.find(_PSTYLE)
    num = ppr.find(_NUMPR)
    nid = num.find(_NUMID) if num is not None else None
    il = num.find(_ILVL) if num is not None else None
    return (st.get(_VAL) if st is not None else None,
            nid.get(_VAL) if nid is not None else None,
            il.get(_VAL) if il is not None else None)


def _norm(s: str) -> str:
    return " ".join(s.split())


def _joined(sources, blocks):
    """The pieces of several blocks joined with PARA_SEP (a split or a merge): the
    separator is the paragraph mark of the block before it."""
    if len(sources) == 1:     # the usual pair, one block a side: its pieces as they are (a copy: edits cut it)
        return list(sources[0].pieces), []
    pieces, pos = [], 0
    for k, (s, b) in enumerate(zip(sources, blocks)):
        if k:
            # The break between two blocks: the last paragraph's mark (and, as `offset`,
            # the next block's first paragraph, so that empty paragraphs between go with it).
            pieces.append((pos - 1, pos, "m", sources[k - 1].paras[-1], s.paras[0] if s.paras else 0))
        pieces.extend((a + pos, e + pos, kind, el, off) for a, e, kind, el, off in s.pieces)
        pos += len(b.text) + 1
    return pieces, []


def _clean_rpr(rpr):
    r = copy.deepcopy(rpr)
    for tag in ("w:rPrChange", "w:ins", "w:del", "w:moveFrom", "w:moveTo"):
        for x in r.findall(qn(tag)):
            r.remove(x)
    return r


def _ancestor(el, tag):
    while el is not None and el.tag != tag:
        el = el.getparent()
    return el


def etree_sub(parent, tag):
    from lxml import etree
    return etree.SubElement(parent, tag)


def _text_runs(text: str, rpr) -> list:
    """Plain runs for text that has no run of its own: tabs and breaks as elements."""
    import re
    out = []
    for piece in re.findall(r"\t|\n|[^\t\n]+", text):
        r = w_el("w:r")
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        if piece == "\t":
            sub(r, "w:tab")
        elif piece == "\n":
            sub(r, "w:br")
        else:
            t = sub(r, "w:delText")
            t.text = piece
            t.set(XML_SPACE, "preserve")
        out.append(r)
    return out


def write_package(cmp: Comparison, new_data: bytes, old_data: bytes | None, author: str, date: str,
                  formatting: bool = True) -> tuple[bytes, int, list[str]]:
    """The redline as NEW's own package: (bytes, revisions, warnings)."""
    new = Side(cmp.new, new_data)
    old = Side(cmp.old, old_data) if old_data is not None else None
    if not new.ok or (old is not None and not old.ok):
        raise ValueError("the package reads differently from the compared document")
    w = Writer(new, old, cmp.old, author, date, formatting)
    w.run(cmp)
    new.pkg.touch("word/document.xml")
    for name in new.pkg.trees:
        # A notes part is written again only if a change went into it.
        if name.endswith(("footnotes.xml", "endnotes.xml")) and any(
                el.get(qn("w:author")) == author for el in new.pkg.trees[name].iter() if isinstance(el.tag, str)):
            new.pkg.touch(name)
    data = new.pkg.to_bytes()
    # Counted on the trees just serialized (what parsing `data` again would give).
    return data, count_stretches(new.pkg), w.warnings + [x for x in cmp.new.warnings if "carried through" in x]


def _count(data: bytes) -> int:
    """Revisions as LibreOffice lists them (see `count_stretches`)."""
    return count_stretches(Package("redline.docx", data))


def count_stretches(pkg: Package) -> int:
    """Tracked changes as Word and LibreOffice list them: maximal stretches of
    inserted, deleted or moved content by one author in document order, paragraph
    marks included (a mark comes at its paragraph's end), per story; each
    formatting change counts one. One pass over each story."""
    from lxml import etree
    content = {qn(t) for t in ("w:t", "w:delText", "w:tab", "w:br", "w:drawing", "m:t", "w:sym")}
    fmt = {qn("w:rPrChange"), qn("w:pPrChange")}
    P, PPR, RPR = qn("w:p"), qn("w:pPr"), qn("w:rPr")
    revised = tuple(REVISION_TAGS | fmt)
    n = 0
    for name in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
        root = pkg.xml(name) if pkg.has(name) else None
        if root is None:
            continue
        prev = None
        wrappers: list = []          # open revision wrappers (kind) inside the current paragraph
        marks: list = []             # per open paragraph: its mark's revision
        walk = etree.iterwalk(root, events=("start", "end"))
        for ev, el in walk:
            tag = el.tag
            if not isinstance(tag, str):
                continue
            if ev == "start":
                if tag == P and next(el.iter(*revised), None) is None:
                    # Nothing tracked anywhere in it: it only ends a stretch (as its own
                    # untracked content and mark would), so its inside is not walked.
                    marks.append((None, len(wrappers)))
                    wrappers.append(None)
                    walk.skip_subtree()
                elif tag == P:
                    ppr = el.find(PPR)
                    rpr = ppr.find(RPR) if ppr is not None else None
                    kind = None
                    if rpr is not None:
                        for t in REVISION_TAGS:
                            m = rpr.find(t)
                            if m is not None:
                                kind = ("move" if "move" in t else t, m.get(qn("w:author")))
                    marks.append((kind, len(wrappers)))
                    wrappers.append(None)       # a paragraph resets the wrappers seen inside it
                elif tag in REVISION_TAGS and el.getparent() is not None and el.getparent().tag not in (RPR, qn("w:trPr")):
                    wrappers.append(("move" if "move" in tag else tag, el.get(qn("w:author"))))
                elif tag in content:
                    kind = next((w for w in reversed(wrappers) if w is not None), None) if wrappers and wrappers[-1] is not None else None
                    if kind is not None and kind != prev:
                        n += 1
                    prev = kind
                elif tag in fmt:
                    n += 1
            else:
                if tag == P:
                    kind, depth = marks.pop()
                    del wrappers[depth:]
                    if kind is not None and kind != prev:
                        n += 1
                    prev = kind
                elif tag in REVISION_TAGS and wrappers and wrappers[-1] is not None and el.getparent() is not None \
                        and el.getparent().tag not in (RPR, qn("w:trPr")):
                    wrappers.pop()
    return n


# -- writing into a base's package: consolidated text and proposals ----------------------------------

class BaseEditor(Writer):
    """Edits a base document's own package: a block's text replaced or tracked
    per party, new paragraphs after a block, comments. Used by the bracketed
    consolidated .docx and by the proposals as tracked changes."""

    def __init__(self, base: Side, date: str):
        super().__init__(base, None, base.doc, "negotiate", date, formatting=False)

    def text_runs(self, j: int):
        """Block j's runs that carry its text (not a typed label), and a run to take formatting from."""
        src = self.new.sources[j]
        # Text sharing a w:t with a typed label (or with what the reader stripped): split off.
        for k in range(len(src.pieces)):
            s, e, kind, el, off = src.pieces[k]
            if kind == "t" and off > 0:
                self._split_piece(src.pieces, k, off)
        for k in range(len(src.pieces)):
            s, e, kind, el, off = src.pieces[k]
            if kind == "t" and off + (e - s) < len(el.text or ""):
                self._split_piece(src.pieces, k, off + (e - s))
        runs, seen = [], set()
        for _s, _e, kind, el, _off in src.pieces:
            if kind == "m":
                continue
            r = el.getparent()
            if id(r) not in seen:
                seen.add(id(r))
                runs.append(r)
        return runs

    def make_run(self, text: str, like=None, italic: bool = False, deleted: bool = False, rpr=None):
        """A run of `text` in the formatting of run `like` (or in `rpr`, run properties
        already cleaned, as `party_runs` gives them)."""
        r = w_el("w:r")
        if rpr is not None:
            rpr = copy.deepcopy(rpr)
        else:
            rpr = like.find(qn("w:rPr")) if like is not None and like.tag == qn("w:r") else None
            rpr = _clean_rpr(rpr) if rpr is not None else None
        if italic:
            if rpr is None:
                rpr = w_el("w:rPr")
            if rpr.find(qn("w:i")) is None:
                from ..ooxml import _RPR_ORDER, insert_ordered
                insert_ordered(rpr, w_el("w:i"), _RPR_ORDER)
        if rpr is not None and len(rpr):
            r.append(rpr)
        import re
        for piece in re.findall(r"\t|\n|[^\t\n]+", text):
            if piece == "\t":
                sub(r, "w:tab")
            elif piece == "\n":
                sub(r, "w:br")
            else:
                t = sub(r, "w:delText" if deleted else "w:t")
                t.text = piece
                t.set(XML_SPACE, "preserve")
        return r

    def replace_text(self, j: int, pieces: list[tuple[str, bool]]) -> None:
        """Block j's text replaced by (text, italic) pieces, in its first text run's
        formatting; the paragraph keeps its properties, numbering and typed label."""
        runs = self.text_runs(j)
        src = self.new.sources[j]
        like = runs[0] if runs else None
        if runs:
            parent, idx = runs[0].getparent(), runs[0].getparent().index(runs[0])
        else:
            p = src.paras[0]
            parent, idx = p, (1 if p.find(qn("w:pPr")) is not None else 0)
        if not pieces:
            # Emptied: the typed label goes too (an automatic one stays, keeping the count).
            runs += [el.getparent() for s, e, kind, el, off in src.label if kind != "m"]
        for r in runs:
            if r.getparent() is not None:
                r.getparent().remove(r)
        if parent.getparent() is None and parent.tag != qn("w:p"):
            parent, idx = src.paras[0], len(src.paras[0])
        idx = min(idx, len(parent))
        for text, italic in pieces:
            if text:
                parent.insert(idx, self.make_run(text, like, italic))
                idx += 1
        # The block's other paragraphs (a cell's) had their text removed with the runs:
        # they are left empty rather than removed, so the cell keeps its shape.

    def paragraph_after(self, anchor, like_p, pieces: list[tuple[str, bool]], like_run=None, ins_author=None,
                        before=None, runs=()):
        """A new paragraph after `anchor` (or right before `before`, when given) with
        `like_p`'s properties (no numbering: its label is typed); `runs`, runs made
        already (a party's own, `party_runs`), follow the pieces'. Inserted (`ins_author`),
        all its runs are one insertion."""
        p = w_el("w:p")
        ppr = like_p.find(qn("w:pPr")) if like_p is not None else None
        if ppr is not None:
            ppr = copy.deepcopy(ppr)
            for tag in ("w:numPr", "w:sectPr", "w:pPrChange", "w:rPr"):
                for x in ppr.findall(qn(tag)):
                    ppr.remove(x)
            p.append(ppr)
        made = [self.make_run(text, like_run, italic) for text, italic in pieces if text] + list(runs)
        if ins_author and made:
            w = sub(p, "w:ins", id=self.rid(), author=ins_author, date=self.date)
            w.extend(made)
        else:
            p.extend(made)
        if ins_author:
            mark_paragraph(p, "w:ins", self.rid(), ins_author, self.date)
        if before is not None:
            before.addprevious(p)
        else:
            anchor.addnext(p)
        return p

    def replaced_cell(self, units, ui: int):
        """Where new unit `ui` (a table cell paragraph) goes when it replaces the next base
        cell's paragraph — that paragraph, to insert before; else None (after the anchor).

        A new unit follows the last base paragraph its parties keep; when they drop the
        next base paragraph, a table cell, their text (too unlike it to be paired) stands in
        that cell, not at the end of the cell before."""
        u = units[ui]
        if u.kind != "table cell":
            return None
        if getattr(self, "_next_base", (None,))[0] is not units:
            # unit index → (the next base unit, its block), made once per consolidation
            nxt: list = [None] * len(units)
            k, after = sum(x.in_base for x in units), None
            for i in range(len(units) - 1, -1, -1):
                nxt[i] = after
                if units[i].in_base:
                    k -= 1
                    after = (units[i], k)
            self._next_base = (units, nxt)
        after = self._next_base[1][ui]
        if after is None or after[0].kind != "table cell" or not set(u.present) <= set(after[0].absent):
            return None
        paras = self.new.sources[after[1]].paras
        return paras[0] if paras else None

    def comment(self, p, author: str, text: str) -> None:
        """A comment by `author` anchored on paragraph p (comments part made if needed)."""
        part = self._comments_part()
        root = self.new.pkg.xml(part)
        self.new.pkg.touch(part)
        cid = self.rid()
        c = sub(root, "w:comment", id=cid, author=author, date=self.date, initials=author[:2])
        t = sub(sub(sub(c, "w:p"), "w:r"), "w:t")
        t.text = text
        ppr = p.find(qn("w:pPr"))
        p.insert(1 if ppr is not None else 0, w_el("w:commentRangeStart", id=cid))
        p.append(w_el("w:commentRangeEnd", id=cid))
        r = sub(p, "w:r")
        sub(r, "w:commentReference", id=cid)

    def track(self, j: int, x: int, y: int, tag: str, author: str) -> None:
        """Base block j's text [x, y) as a tracked deletion by `author`."""
        self.author = author
        pieces = self.new.sources[j].pieces
        self.cut(pieces, x)
        self.cut(pieces, y)
        runs = []
        for s, e, kind, el, _off in pieces:
            if s >= x and e <= y and kind != "m" and el.getparent() not in runs:
                runs.append(el.getparent())
        for r in runs:
            if not self._revised(r):
                to_deleted(r)
        self._wrap_runs(runs, tag)

    def insert_at(self, j: int, x: int, text: str, author: str, runs=None) -> None:
        """Text inserted by `author` at base block j's offset x: as `runs` when given
        (the party's own, `party_runs`), else in the base's formatting there."""
        pieces = self.new.sources[j].pieces
        parent, idx = self.anchor(pieces, self.new.sources[j].paras, x)
        w = w_el("w:ins", id=self.rid(), author=author, date=self.date)
        if runs:
            w.extend(runs)
        else:
            like = None
            for s, e, kind, el, _off in pieces:
                if kind == "t" and s < max(x, 1) <= e or (kind == "t" and like is None):
                    like = el.getparent()
            w.append(self.make_run(text, like))
        parent.insert(idx, w)

    def party_runs(self, src, text: str, a: int, b: int, reject: bool = False) -> list | None:
        """Runs for `text[a:b]`, text of another document's block (a party's) whose
        `Source` is `src`, each in the formatting of that document's run it comes from
        — bold, italic, underline, strike, superscript, fonts: its w:rPr, cleaned as a
        copied run's is, and without a character style this package lacks. None when
        no run of `src` holds any of it (the caller keeps the base's formatting).

        Runs of one formatting are one run; a character no run holds (a joiner) takes
        the formatting before it. Tabs and breaks are written as elements, as
        `make_run` does; an image or symbol of the party's comes as its character.
        `reject`: `src` was read with its changes rejected, so a run whose formatting
        was changed (w:rPrChange) has its old formatting there."""
        chunks: list = []          # [rPr or None, its serialization, text]
        pos = a
        for s, e, kind, el, _off in src.pieces:
            if e <= a or s >= b:
                continue
            s2, e2 = max(s, a), min(e, b)
            if s2 > pos and chunks:
                chunks[-1][2] += text[pos:s2]
            if kind == "m":
                rpr, key = (chunks[-1][0], chunks[-1][1]) if chunks else (None, b"")
            else:
                run = el.getparent()
                rpr = next(run.iterchildren(qn("w:rPr")), None) if run is not None else None
                if rpr is not None and reject and rpr.find(qn("w:rPrChange")) is not None:
                    rpr = rpr.find(qn("w:rPrChange")).find(qn("w:rPr"))
                if rpr is not None:
                    rpr = _clean_rpr(rpr)
                    st = rpr.find(qn("w:rStyle"))
                    if st is not None and st.get(qn("w:val")) not in self.new.style_ids:
                        rpr.remove(st)
                    if not len(rpr):
                        rpr = None
                key = etree.tostring(rpr) if rpr is not None else b""
            piece = text[(s2 if chunks or s2 == pos else pos):e2]
            if chunks and chunks[-1][1] == key:
                chunks[-1][2] += piece
            else:
                chunks.append([rpr, key, piece])
            pos = e2
        if not chunks:
            return None
        chunks[-1][2] += text[pos:b]
        return [self.make_run(t, rpr=rpr) for rpr, _key, t in chunks if t]

    def to_bytes(self) -> bytes:
        """The package, with the stories this editor may have changed written again."""
        for s in self.new.sources:
            if s.story in ("body", "word/footnotes.xml", "word/endnotes.xml"):
                self.new.pkg.touch("word/document.xml" if s.story == "body" else s.story)
        return self.new.pkg.to_bytes()


def base_side(doc, data: bytes | None) -> Side | None:
    """The base's package when it is a .docx that reads as the consolidated base."""
    if doc.format != "docx":
        return None
    if data is None:
        import os
        if not (doc.path and os.path.isfile(doc.path)):
            return None
        with open(doc.path, "rb") as fh:
            data = fh.read()
    if doc.revisions_mode == "reject":
        # The base is the text with the package's changes rejected (a party-inputs draft whose
        # tracked changes are the proposals): write into that text, or the delegations' own
        # insertions would stay in the output beside their bracketed options. Their comments stay.
        from ..ooxml import review_package
        data = review_package(data, accept=False, path=doc.path or "base.docx", keep_comments=True)
    s = Side(doc, data)
    return s if s.ok else None
