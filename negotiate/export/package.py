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
import posixpath

from ..ingest.docx import Source, read_docx
from ..model import PARA_SEP, Comparison
from ..ooxml import R_NS, REVISION_TAGS, XML_SPACE, Package, flags_of, mark_paragraph, ppr_of, qn, resolve_target, sub, to_deleted, w_el
from .redline import plan

_RUN_TAGS = (qn("w:r"), qn("m:r"))
_DROP_FROM_COPIES = tuple(qn(t) for t in (
    "w:commentRangeStart", "w:commentRangeEnd", "w:commentReference", "w:bookmarkStart", "w:bookmarkEnd",
    "w:footnoteReference", "w:endnoteReference", "w:proofErr", "w:permStart", "w:permEnd",
    "w:moveFromRangeStart", "w:moveFromRangeEnd", "w:moveToRangeStart", "w:moveToRangeEnd"))


class Side:
    """One version's package, re-read so that every block knows its elements."""

    def __init__(self, doc, data: bytes):
        self.doc = doc
        self.pkg = Package(doc.path, data)
        self.sources: list[Source] = []
        d = read_docx(doc.path, data, doc.revisions_mode if doc.revisions_mode in ("accept", "reject", "markup") else "accept",
                      sources=self.sources, pkg=self.pkg)
        self.ok = len(d.blocks) == len(doc.blocks) and all(
            a.text == b.text and a.label == b.label for a, b in zip(d.blocks, doc.blocks))
        styles = self.pkg.xml("word/styles.xml")
        self.style_ids = {s.get(qn("w:styleId")) for s in styles.iter(qn("w:style"))} if styles is not None else set()
        num = self.pkg.xml("word/numbering.xml")
        self.num_ids = {n.get(qn("w:numId")) for n in num.iter(qn("w:num"))} if num is not None else set()


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
            for el in root.iter():
                v = el.get(qn("w:id")) if isinstance(el.tag, str) else None
                if v and v.lstrip("-").isdigit():
                    top = max(top, int(v))
        self._id = top + 1000
        self.cursor: dict[str, object] = {}

    @property
    def _old_first(self) -> dict:
        if not hasattr(self, "_of"):
            self._of = {id(s.paras[0]): s for s in (self.old.sources if self.old else []) if s.paras}
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
            runs, stack = [], [iter(p)]
            while stack:
                c = next(stack[-1], None)
                if c is None:
                    stack.pop()
                    continue
                if not isinstance(c.tag, str) or c.tag == qn("w:pPr") or c.tag in REVISION_TAGS:
                    continue
                if c.tag in _RUN_TAGS:
                    runs.append(c)
                else:
                    stack.append(iter(c))
            self._wrap_runs(runs, tag)
            mark_paragraph(p, tag, self.rid(), self.author, self.date)
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

    def deleted_items(self, a_text: str, a_pieces: list, a1: int, a2: int) -> list:
        """OLD's content over [a1, a2): ("run", element) with OLD's formatting, or
        ("mark", OLD's w:p or None) for a paragraph break NEW does not have."""
        out = []
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
            covered = max(covered, e2)
            if kind == "m":
                out.append(("mark", el))
                nxt = self._old_first.get(id(off)) if hasattr(off, "tag") else None
                if nxt is not None and nxt.label:
                    # The next OLD paragraph's typed label goes with the break.
                    out.extend(self.deleted_items("\x00" * max(e for _, e, *_ in nxt.label), nxt.label,
                                                  0, max(e for _, e, *_ in nxt.label)))
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
        if a2 > covered:
            out.extend(self._plain(a_text[covered:a2]))
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
            self._sanitize(p)
            ppr = p.find(qn("w:pPr"))
            if ppr is not None:
                p.replace(ppr, self._clean_ppr(ppr))
            runs, stack = [], [iter(p)]
            while stack:
                c = next(stack[-1], None)
                if c is None:
                    stack.pop()
                    continue
                if not isinstance(c.tag, str) or c.tag == qn("w:pPr"):
                    continue
                if c.tag in _RUN_TAGS:
                    runs.append(c)
                else:
                    stack.append(iter(c))
            for r in runs:
                self.import_rels(r)
                to_deleted(r)
            self._wrap_runs(runs, tag)
            mark_paragraph(p, tag, self.rid(), self.author, self.date)
            out.append(p)
        if move_name and out:
            rid = self.rid()
            out[0].insert(1 if out[0].find(qn("w:pPr")) is not None else 0,
                          w_el("w:moveFromRangeStart", id=rid, name=move_name, author=self.author, date=self.date))
            out[-1].append(w_el("w:moveFromRangeEnd", id=rid))
        return out

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
            k = parent.index(el)
            for c in list(el):
                parent.insert(k, c)
                k += 1
            parent.remove(el)
        for el in list(p.iter(*_DROP_FROM_COPIES)):
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
        if pair.old_label != pair.new_label:
            self.label(l.old[0], l.new[0], pieces, paras)
        for tag, a1, a2, b1, b2 in pair.ops:
            if tag == "equal":
                if self.formatting and self.old is not None:
                    self.formats(a_pieces, pieces, a1, a2, b1, b2)
                continue
            if tag in ("insert", "replace"):
                self.wrap(pieces, b1, b2, "w:ins")
            if tag in ("delete", "replace"):
                items = self.deleted_items(pair.old_text, a_pieces, a1, a2)
                if items:
                    self.put_deleted(items, self.anchor(pieces, paras, b1))
        self.cursor[nsrc[-1].story if nsrc else "body"] = paras[-1] if paras else None

    def paragraph_props(self, op, np_) -> None:
        """Style or numbering changed (a renumbered level, typed label now automatic):
        w:pPrChange holds OLD's properties, so that rejecting restores OLD's label."""
        def key(p):
            ppr = p.find(qn("w:pPr"))
            if ppr is None:
                return (None, None, None)
            st = ppr.find(qn("w:pStyle"))
            num = ppr.find(qn("w:numPr"))
            nid = num.find(qn("w:numId")) if num is not None else None
            il = num.find(qn("w:ilvl")) if num is not None else None
            return (st.get(qn("w:val")) if st is not None else None,
                    nid.get(qn("w:val")) if nid is not None else None,
                    il.get(qn("w:val")) if il is not None else None)
        if key(op) == key(np_):
            return
        ppr = ppr_of(np_)
        if ppr.find(qn("w:pPrChange")) is not None:
            return
        oppr = op.find(qn("w:pPr"))
        old = self._clean_ppr(oppr) if oppr is not None else w_el("w:pPr")
        ch = w_el("w:pPrChange", id=self.rid(), author=self.author, date=self.date)
        ch.append(old)
        ppr.append(ch)

    def label(self, i, j, pieces, paras) -> None:
        """A typed label that changed: NEW's inserted, OLD's deleted before it
        (automatic labels follow the numbering of the paragraphs on their own)."""
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
        elif not ol and self.old is not None:
            return
        else:
            where = self.anchor(pieces, paras, 0)
        if ol:
            end = max(e for _, e, *_ in ol)
            items = self.deleted_items(old_label.ljust(end), ol, 0, end)
        elif self.old is None and old_label:
            items = [("run", r) for r in _text_runs(old_label + " ", None)]
        else:
            items = []
        if items:
            self.put_deleted(items, where)

    def formats(self, a_pieces, b_pieces, a1, a2, b1, b2) -> None:
        """Bold, italic, underline, strikethrough changed on unchanged text: w:rPrChange."""
        def runs_at(pieces, lo, hi):
            return [(max(s, lo), min(e, hi), el) for s, e, kind, el, off in pieces if kind == "t" and s < hi and e > lo]
        olds = runs_at(a_pieces, a1, a2)
        news = runs_at(b_pieces, b1, b2)
        if not olds or not news:
            return
        cuts = {s - a1 + b1 for s, _, _ in olds} | {e - a1 + b1 for _, e, _ in olds}
        # Only where formatting differs: compare per NEW run, OLD's runs under it.
        for s, e, el in news:
            nf = flags_of(el.getparent().find(qn("w:rPr")))
            for os_, oe, oel in olds:
                lo, hi = max(s, os_ - a1 + b1), min(e, oe - a1 + b1)
                if lo >= hi:
                    continue
                orpr = oel.getparent().find(qn("w:rPr"))
                if flags_of(orpr) == nf:
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
        del cuts

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

    def deleted_note(self, k: int) -> None:
        """A note only OLD has: copied into NEW's notes part, deleted, with a deleted
        reference where its citing paragraph now is."""
        if self.old is None:
            return
        src = self.old.sources[k]
        onote = src.paras[0].getparent() if src.paras else None
        if onote is None or onote.tag not in (qn("w:footnote"), qn("w:endnote")):
            return
        kind = "footnote" if onote.tag == qn("w:footnote") else "endnote"
        part = self.new.pkg.part_of(kind + "s") or self._notes_part(kind)
        root = self.new.pkg.xml(part) if part else None
        cite = self.old_doc.blocks[k].ref
        target = self.old_at.get(cite) if cite is not None else None
        if root is None or target is None:
            self.warnings.append(f"a {kind} deleted from OLD is not carried into the redline")
            return
        ids = [int(x.get(qn("w:id"))) for x in root if (x.get(qn("w:id")) or "").lstrip("-").isdigit()]
        nid = str(max(ids + [0]) + 1)
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
        for k, kind, l in plan(links):
            if kind == "del" and self.old_doc.blocks[k].kind == "footnote":
                notes_gone.append(k)
                continue
            if kind == "ins" and self.new.doc.blocks[k].kind == "footnote":
                self.wrap_paragraphs(self.new.sources[k].paras, "w:ins")
                self.note_reference(self.new.sources[k], "w:ins")
                continue
            if kind in ("del", "from"):
                name = names.setdefault(id(l), f"move{len(names) + 1}") if kind == "from" else None
                b = self.old_doc.blocks[k]
                story = self.old.sources[k].story if self.old is not None else ("body" if b.kind != "footnote" else "note")
                paras = self.old_paragraphs(k, "w:moveFrom" if kind == "from" else "w:del", name)
                otc = None
                if self.old is not None and b.kind == "table cell" and self.old.sources[k].paras:
                    otc = _ancestor(self.old.sources[k].paras[0], qn("w:tc"))
                    if otc is not None and len(otc.findall(qn("w:p"))) != len(self.old.sources[k].paras):
                        otc = None        # the cell holds more than this block: not a whole cell
                self.place_old(story, paras, b.kind == "table cell", otc)
                if paras:
                    self.old_at[k] = paras[-1]
            elif kind in ("ins", "to"):
                src = self.new.sources[k]
                name = names.setdefault(id(l), f"move{len(names) + 1}") if kind == "to" else None
                self.wrap_paragraphs(src.paras, "w:moveTo" if kind == "to" else "w:ins", name)
                self.cursor[src.story] = src.paras[-1]
                tc = _ancestor(src.paras[0], qn("w:tc")) if kind == "ins" and self.new.doc.blocks[k].kind == "table cell" else None
                if tc is not None and len(tc.findall(qn("w:p"))) == len(src.paras):
                    # A whole cell only NEW has.
                    tcpr = tc.find(qn("w:tcPr"))
                    if tcpr is None:
                        tcpr = w_el("w:tcPr")
                        tc.insert(0, tcpr)
                    tcpr.append(w_el("w:cellIns", id=self.rid(), author=self.author, date=self.date))
            else:
                self.group(pairs[id(l)])
        for k in notes_gone:
            self.deleted_note(k)


def _joined(sources, blocks):
    """The pieces of several blocks joined with PARA_SEP (a split or a merge): the
    separator is the paragraph mark of the block before it."""
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
    return data, _count(data), w.warnings + [x for x in cmp.new.warnings if "carried through" in x]


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
    n = 0
    for name in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
        root = pkg.xml(name) if pkg.has(name) else None
        if root is None:
            continue
        prev = None
        wrappers: list = []          # open revision wrappers (kind) inside the current paragraph
        marks: list = []             # per open paragraph: its mark's revision
        for ev, el in etree.iterwalk(root, events=("start", "end")):
            tag = el.tag
            if not isinstance(tag, str):
                continue
            if ev == "start":
                if tag == P:
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

    def make_run(self, text: str, like=None, italic: bool = False, deleted: bool = False):
        r = w_el("w:r")
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

    def paragraph_after(self, anchor, like_p, pieces: list[tuple[str, bool]], like_run=None, ins_author=None):
        """A new paragraph after `anchor` with `like_p`'s properties (no numbering:
        its label is typed)."""
        p = w_el("w:p")
        ppr = like_p.find(qn("w:pPr")) if like_p is not None else None
        if ppr is not None:
            ppr = copy.deepcopy(ppr)
            for tag in ("w:numPr", "w:sectPr", "w:pPrChange", "w:rPr"):
                for x in ppr.findall(qn(tag)):
                    ppr.remove(x)
            p.append(ppr)
        for text, italic in pieces:
            if text:
                r = self.make_run(text, like_run, italic)
                if ins_author:
                    w = sub(p, "w:ins", id=self.rid(), author=ins_author, date=self.date)
                    w.append(r)
                else:
                    p.append(r)
        if ins_author:
            mark_paragraph(p, "w:ins", self.rid(), ins_author, self.date)
        anchor.addnext(p)
        return p

    def comment(self, p, author: str, text: str) -> None:
        """A comment by `author` anchored on paragraph p (comments part made if needed)."""
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

    def insert_at(self, j: int, x: int, text: str, author: str) -> None:
        """Text inserted by `author` at base block j's offset x, in the formatting there."""
        pieces = self.new.sources[j].pieces
        parent, idx = self.anchor(pieces, self.new.sources[j].paras, x)
        like = None
        for s, e, kind, el, _off in pieces:
            if kind == "t" and s < max(x, 1) <= e or (kind == "t" and like is None):
                like = el.getparent()
        w = w_el("w:ins", id=self.rid(), author=author, date=self.date)
        w.append(self.make_run(text, like))
        parent.insert(idx, w)

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
    s = Side(doc, data)
    return s if s.ok else None
