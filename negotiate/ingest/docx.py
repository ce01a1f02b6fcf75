"""Word .docx: body, automatic numbering, tables, footnotes, comments and
tracked changes, read from the XML.

python-docx's `paragraph.text` drops the runs inside `w:ins` and never sees
`w:delText`, so the reader walks the XML itself. Tracked changes are read in
one of three modes: `accept` (the text as if every change were accepted),
`reject` (as if every change were rejected) and `markup` (both, with each
insertion and deletion kept on the block as a Revision).
"""
from __future__ import annotations

import re
import zlib
from array import array
from contextvars import ContextVar
from dataclasses import dataclass, field

from ..errors import NegotiateError
from ..model import EMPTY, Comment, Document, Mark, Revision
from ..ooxml import DC_NS, MC_NS, marks_of, on, qn, wval
from . import common, guards, structure
from .labels import classify
from .labels import match as match_label
from .numbering import Numbering, format_number, level_index

_INS = {qn("w:ins"): "ins", qn("w:moveTo"): "moveTo"}
_DEL = {qn("w:del"): "del", qn("w:moveFrom"): "moveFrom"}
_CONTAINERS = {qn(t) for t in ("w:hyperlink", "w:smartTag", "w:customXml", "w:sdt", "w:sdtContent",
                               "w:fldSimple", "w:bdo", "w:dir", "m:oMathPara", "m:oMath", "m:r", "m:e",
                               "m:num", "m:den", "m:sup", "m:sub", "m:d", "m:f", "m:sSup", "m:sSub")}
OBJECT = "\ufffc"   # an image, shape or embedded object in the text: one character
_RPR, _PPR = qn("w:rPr"), qn("w:pPr")
# Tags compared for every run and paragraph, made once.
_R, _T, _DEL_TEXT, _TAB, _PTAB, _BR, _CR = (qn(t) for t in ("w:r", "w:t", "w:delText", "w:tab", "w:ptab", "w:br", "w:cr"))
_P, _TBL = qn("w:p"), qn("w:tbl")
_NOTE_REFS = (qn("w:footnoteReference"), qn("w:endnoteReference"))
_OBJECTS = {qn("w:drawing"), qn("w:pict"), qn("w:object"), "{%s}AlternateContent" % MC_NS}
_HEADING_STYLE = re.compile(r"^(?:heading\s*\d|title|subtitle|_?\s*H\s*_?\s*(?:Ch|\d))", re.I)


@dataclass
class StyleInfo:
    id: str
    name: str = ""
    based_on: str = ""
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None
    bold: bool = False
    strike: bool = False


def _styles(root) -> dict[str, StyleInfo]:
    out: dict[str, StyleInfo] = {}
    if root is None:
        return out
    for s in root.iter(qn("w:style")):
        sid = s.get(qn("w:styleId")) or ""
        info = StyleInfo(sid, wval(s.find(qn("w:name")), "") or "",
                         wval(s.find(qn("w:basedOn")), "") or "")
        ppr = s.find(qn("w:pPr"))
        if ppr is not None:
            np_ = ppr.find(qn("w:numPr"))
            if np_ is not None:
                nid = np_.find(qn("w:numId"))
                il = np_.find(qn("w:ilvl"))
                info.num_id = wval(nid) if nid is not None else None
                if il is not None:
                    info.ilvl = level_index(wval(il, "0") or "0")
            ol = ppr.find(qn("w:outlineLvl"))
            if ol is not None:
                try:
                    info.outline = int(wval(ol, "9"))
                except ValueError:
                    pass
        rpr = s.find(qn("w:rPr"))
        if rpr is not None:
            info.bold = on(rpr.find(qn("w:b")))
            info.strike = on(rpr.find(qn("w:strike"))) or on(rpr.find(qn("w:dstrike")))
        out[sid] = info
    return out


def _style_chain(styles, sid):
    seen = set()
    while sid and sid in styles and sid not in seen:
        seen.add(sid)
        yield styles[sid]
        sid = styles[sid].based_on


def _heading_hint(styles, sid: str) -> str:
    """"heading" when the style or one it is based on is a heading style or has an outline level."""
    for st in _style_chain(styles, sid):
        if _HEADING_STYLE.match(st.name or "") or (st.outline is not None and st.outline < 9):
            return "heading"
    return ""


@dataclass(slots=True)   # 100,000 paragraphs: no __dict__ each
class _Para:
    """One paragraph as read, before paragraphs are joined by deleted marks."""
    text: list[str] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (kind, id)
    style: str = ""
    num: tuple[str, int] | None = None
    mark_removed: bool = False   # paragraph mark gone in this mode: join with the next
    cell: tuple | None = None
    ordinal: int = 0
    el: object = None            # the w:p element
    # Where each piece of `text` comes from: (start, end, kind, element, offset) with kind
    # "t" (characters of element.text from offset) or "x" (one element standing for one
    # character: a tab, a break, a symbol, an image as U+FFFC).
    src: list = field(default_factory=list)
    boxes: list = field(default_factory=list)   # w:txbxContent elements anchored in this paragraph
    length: int = 0
    parts: list = field(default_factory=list)   # the w:p elements joined into this one (marks removed)

    @property
    def string(self) -> str:
        return "".join(self.text)


class _Reader:
    def __init__(self, path, zf, mode):
        self.path, self.zf, self.mode = path, zf, mode
        self.comment_open: dict[str, list[str]] = {}
        self.comment_anchor: dict[str, tuple[str, int]] = {}
        self.comment_start_para: dict[str, int] = {}
        # Each paragraph read goes straight on to `paras` (a `_Joiner`, which turns it
        # into a block): holding them all until the body is read left their
        # per-paragraph lists and tuples freed at once, between the blocks kept —
        # on 100,000 paragraphs ~80 MB of the process's RSS never given back.
        self.paras = []
        self.count = 0    # paragraphs read into `paras` (their ordinals)
        self.table_count = 0
        self.box_count = 0
        self.objects: list[str] = []
        self.pkg = None
        self.track = True   # keep _Para.src (read_docx: only when sources are asked for)

    def xml(self, name):
        if self.pkg is not None:
            return self.pkg.xml(name)
        data = guards.read_member(self.path, self.zf, name)
        if data is None:
            return None
        return guards.parse_xml(self.path, data, name)

    # -- text of one paragraph -------------------------------------------------
    def _append(self, p: _Para, s: str, rev, rpr_flags, el=None, kind="t"):
        if not s:
            return
        start = p.length
        p.text.append(s)
        end = start + len(s)
        p.length = end
        if el is not None and self.track:
            p.src.append((start, end, kind, el, 0))
        if rev is not None and self.mode == "markup":
            kind, author, date = rev
            last = p.revisions[-1] if p.revisions else None
            if last and last.kind == kind and last.end == start and last.author == author and last.date == date:
                last.end = end
            else:
                p.revisions.append(Revision(kind, start, end, author, date))
        for k in rpr_flags:
            last = next((m for m in reversed(p.marks) if m.kind == k), None)
            if last and last.end == start:
                last.end = end
            else:
                p.marks.append(Mark(k, start, end))
        for buf in self.comment_open.values():
            buf.append(s)

    def _visible(self, rev) -> bool:
        if rev is None or self.mode == "markup":
            return True
        kind = rev[0]
        inserted = kind in ("ins", "moveTo")
        return inserted if self.mode == "accept" else not inserted

    def _run(self, p: _Para, r, rev, styles):
        rpr = next(r.iterchildren(_RPR), None)   # = r.find(…), without ElementPath: once per run
        if rpr is not None and self.mode == "reject":
            # A tracked formatting change: rejected, the run has its old properties.
            ch = rpr.find(qn("w:rPrChange"))
            if ch is not None:
                rpr = ch.find(qn("w:rPr"))
        flags = sorted(marks_of(rpr)) if rpr is not None else []
        visible = self._visible(rev)
        # Plain text with nothing to record beside it (no revision, formatting,
        # open comment or piece sources): _append's work is the two lines below.
        plain = rev is None and not flags and not self.comment_open and not self.track
        # Reading an lxml element's `tag` caches a copy of it on the element's proxy
        # (112 bytes), and the text elements' proxies are kept in the sources for the
        # writer (`track`): those are told apart by membership instead.
        texts = set(r.iterchildren(_T, _DEL_TEXT)) if self.track else None
        for c in r:
            if texts is None:
                tag = c.tag
                is_text = tag == _T or tag == _DEL_TEXT
            else:
                is_text = c in texts
                tag = None if is_text else c.tag
            if is_text:
                if plain:
                    t = c.text
                    if t:
                        p.text.append(t)
                        p.length += len(t)
                elif visible:
                    self._append(p, c.text or "", rev, flags, c)
            elif tag == _TAB or tag == _PTAB:
                if visible:
                    self._append(p, "\t", rev, (), c, "x")
            elif tag == _BR or tag == _CR:
                if visible:
                    self._append(p, "\n", rev, (), c, "x")
            elif tag == qn("w:noBreakHyphen"):
                if visible:
                    self._append(p, "-", rev, flags, c, "x")
            elif tag == qn("w:sym"):
                if visible:
                    try:
                        self._append(p, chr(int(c.get(qn("w:char"), "0"), 16)), rev, flags, c, "x")
                    except ValueError:
                        pass
            elif tag in _NOTE_REFS:
                if visible:
                    p.notes.append(("footnote" if tag == qn("w:footnoteReference") else "endnote",
                                    c.get(qn("w:id"), "")))
            elif tag == qn("m:t"):
                if visible:
                    self._append(p, c.text or "", rev, flags, c)
            elif tag in _OBJECTS:
                # An image, a shape, an embedded object: one character (U+FFFC), so
                # that a comparison sees it come and go; a text box's paragraphs are
                # read after this paragraph (from mc:Choice, never again from mc:Fallback).
                if visible:
                    self._append(p, OBJECT, rev, (), c, "x")
                    p.boxes.extend(_boxes(c))
                    self._check_object(c)

    def _inline(self, p: _Para, el, rev, styles):
        """Walk a paragraph's content in document order, iteratively."""
        stack = [(iter(el), rev)]
        while stack:
            it, cur = stack[-1]
            c = next(it, None)
            if c is None:
                stack.pop()
                continue
            tag = c.tag
            if tag == _R:
                self._run(p, c, cur, styles)
                continue
            if not isinstance(tag, str):
                continue
            if tag == _R:
                self._run(p, c, cur, styles)
            elif tag in _INS or tag in _DEL:
                kind = _INS.get(tag) or _DEL.get(tag)
                stack.append((iter(c), (kind, c.get(qn("w:author"), ""), c.get(qn("w:date"), ""))))
            elif tag == qn("w:commentRangeStart"):
                cid = c.get(qn("w:id"), "")
                self.comment_open[cid] = []
                self.comment_start_para[cid] = p.ordinal
            elif tag == qn("w:commentRangeEnd"):
                cid = c.get(qn("w:id"), "")
                if cid in self.comment_open:
                    self.comment_anchor[cid] = ("".join(self.comment_open.pop(cid)), self.comment_start_para.get(cid, p.ordinal))
            elif tag == qn("m:t"):
                if self._visible(cur):
                    self._append(p, c.text or "", cur, (), c)
            elif tag in _CONTAINERS or tag.startswith("{http://schemas.openxmlformats.org/officeDocument/2006/math}"):
                stack.append((iter(c), cur))

    def paragraph(self, el, styles, cell=None, keep=True, ordinal=None) -> _Para:
        p = _Para(ordinal=self.count if ordinal is None else ordinal, cell=cell, el=el)
        ppr = next(el.iterchildren(_PPR), None)   # = el.find(…), without ElementPath
        direct_num = None
        props = ppr
        if ppr is not None and self.mode == "reject":
            # A tracked change of paragraph properties (style, numbering): rejected, the old ones.
            ch = ppr.find(qn("w:pPrChange"))
            if ch is not None and ch.find(qn("w:pPr")) is not None:
                props = ch.find(qn("w:pPr"))
        if ppr is not None:
            ps = props.find(qn("w:pStyle"))
            p.style = wval(ps, "") or ""
            np_ = props.find(qn("w:numPr"))
            if np_ is not None:
                nid = np_.find(qn("w:numId"))
                il = np_.find(qn("w:ilvl"))
                direct_num = (wval(nid) if nid is not None else None,
                              level_index(wval(il, "0") or "0") if il is not None else None)
            rpr = ppr.find(qn("w:rPr"))
            if rpr is not None:
                mark_ins = rpr.find(qn("w:ins")) is not None or rpr.find(qn("w:moveTo")) is not None
                mark_del = rpr.find(qn("w:del")) is not None or rpr.find(qn("w:moveFrom")) is not None
                if (mark_del and self.mode == "accept") or (mark_ins and self.mode == "reject"):
                    p.mark_removed = True
        p.num = self._resolve_num(direct_num, p.style, styles)
        if cell is None and keep and self.comment_open:
            for buf in self.comment_open.values():
                if buf:
                    buf.append("\n")
        self._inline(p, el, None, styles)
        if not keep:
            return p
        self.count += 1
        self.paras.append(p)
        for _k, box in enumerate(p.boxes) if p.boxes else ():
            # A text box's paragraphs: blocks of their own, after the anchoring paragraph.
            self.box_count += 1
            for q in _story_paragraphs(box):
                self.paragraph(q, styles, cell=("box", self.box_count))
        return p

    def _resolve_num(self, direct, style, styles):
        if direct is None and not style:
            return None      # no numbering of its own and no style to inherit one from
        num_id, ilvl = (direct or (None, None))
        # numId and ilvl inherit separately along the style chain.
        s_num, s_ilvl = None, None
        for st in _style_chain(styles, style):
            if s_num is None and st.num_id is not None:
                s_num = st.num_id
            if s_ilvl is None and st.ilvl is not None:
                s_ilvl = st.ilvl
        if num_id is None:
            num_id = s_num
            if ilvl is None:
                ilvl = s_ilvl
        if not num_id or num_id == "0":
            return None
        if ilvl is None:
            lvl = self.numbering.level_of_style(num_id, style) if style else None
            ilvl = lvl if lvl is not None else 0
        return (num_id, ilvl)

    def body(self, body, styles):
        # The paragraphs kept for the writer (`track`) are told apart by membership, not
        # by their `tag` (which would stay cached on each kept proxy: see `_run`).
        def level(el):
            return iter(el), (set(el.iterchildren(_P)) if self.track else None)
        stack = [level(body)]
        while stack:
            it, ps = stack[-1]
            c = next(it, None)
            if c is None:
                stack.pop()
                continue
            if ps is not None and c in ps:
                self.paragraph(c, styles)
                continue
            tag = c.tag
            if tag == _P:
                self.paragraph(c, styles)
            elif tag == _TBL:
                self.table(c, styles)
            elif tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")) or tag in _INS or tag in _DEL:
                stack.append(level(c))

    def table(self, tbl, styles):
        """Each cell's paragraphs, in order; a nested table's cells are cells of
        their own (read where the nested table stands in its cell)."""
        self.table_count += 1
        t = self.table_count
        r = 0
        for tr in _children(tbl, qn("w:tr")):
            r += 1
            for c, tc in enumerate(_children(tr, qn("w:tc")), 1):
                stack = [iter(tc)]
                while stack:
                    el = next(stack[-1], None)
                    if el is None:
                        stack.pop()
                        continue
                    if el.tag == qn("w:p"):
                        self.paragraph(el, styles, cell=(t, r, c))
                    elif el.tag == qn("w:tbl"):
                        self.table(el, styles)
                    elif el.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
                        stack.append(iter(el))

    def _check_object(self, el) -> None:
        """Constructs carried through unchanged but not compared are said so, once each."""
        for x in el.iter():
            if not isinstance(x.tag, str):
                continue
            what = None
            if x.tag == qn("w:object") or x.tag.endswith("}OLEObject"):
                what = "an embedded object (OLE)"
            elif x.tag.endswith("}graphicData") and "chart" in (x.get("uri") or ""):
                what = "a chart"
            if what and what not in self.objects:
                self.objects.append(what)


def _children(el, tag):
    """Direct children of that tag, also through content controls and custom XML."""
    for c in el:
        if c.tag == tag:
            yield c
        elif c.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
            yield from _children(c, tag)


def _boxes(el):
    """The outermost text boxes in an object, skipping mc:Fallback (a copy of mc:Choice)."""
    out = []
    stack = [el]
    while stack:
        x = stack.pop()
        for c in x:
            if not isinstance(c.tag, str) or c.tag == "{%s}Fallback" % MC_NS:
                continue
            if c.tag == qn("w:txbxContent"):
                out.append(c)
            else:
                stack.append(c)
    out.reverse()
    return out


def _story_paragraphs(story):
    """A story's paragraphs in order (a text box, a note, a header), tables included,
    without descending into nested text boxes (read from their own anchor)."""
    stack = [iter(story)]
    while stack:
        c = next(stack[-1], None)
        if c is None:
            stack.pop()
            continue
        if c.tag == qn("w:p"):
            yield c
        elif c.tag in (qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")) \
                or c.tag in _INS or c.tag in _DEL:
            stack.append(iter(c))


def _shows_number(el) -> bool:
    """Whether an empty numbered paragraph shows its number as a label of its own: not
    one whose mark holds a section break (Word's section-break paragraphs take the list
    paragraph's numbering before them: layout, not text), nor one whose mark is hidden."""
    ppr = el.find(qn("w:pPr")) if el is not None else None
    if ppr is None:
        return True
    if ppr.find(qn("w:sectPr")) is not None:
        return False
    rpr = ppr.find(qn("w:rPr"))
    return rpr is None or not on(rpr.find(qn("w:vanish")))


class _Joiner:
    """Apply paragraph-mark revisions as paragraphs arrive (`append`), handing each
    finished one to `sink`: a paragraph whose mark is removed in this mode runs on
    into the next one, which gives the paragraph its properties. `close` hands
    over the last."""

    def __init__(self, sink):
        self.sink = sink
        self.carry: _Para | None = None

    def append(self, p: _Para) -> None:
        carry = self.carry
        if carry is not None and p.cell == carry.cell:
            shift = len(carry.string)
            merged = _Para(text=carry.text + p.text,
                           revisions=carry.revisions + [Revision(r.kind, r.start + shift, r.end + shift, r.author, r.date)
                                                        for r in p.revisions],
                           marks=carry.marks + [Mark(m.kind, m.start + shift, m.end + shift) for m in p.marks],
                           notes=carry.notes + p.notes, style=p.style, num=p.num,
                           mark_removed=p.mark_removed, cell=p.cell, ordinal=carry.ordinal, el=p.el,
                           src=carry.src + [(s + shift, e + shift, k, el, o) for s, e, k, el, o in p.src])
            merged.parts = (carry.parts or [carry.el]) + [p.el]
            merged.length = carry.length + p.length
            p = merged
            self.carry = None
        elif carry is not None:
            self.carry = None
            self.sink(carry)
        if p.mark_removed:
            self.carry = p
        else:
            self.sink(p)

    def close(self) -> None:
        if self.carry is not None:
            carry, self.carry = self.carry, None
            self.sink(carry)


@dataclass(slots=True)   # one a block, kept for the writer: no __dict__ each
class Source:
    """Where one block's text comes from in the package, for writers that edit
    the package in place: the paragraphs, and for every piece of the block's
    text its element — (start, end, kind, element, offset) with kind "t"
    (element.text from offset), "x" (one character for one element) or "m"
    (the paragraph mark of the w:p `element`, standing as the "\n" that joins
    a cell's or a note's paragraphs). Typed labels have pieces of their own,
    in the label's coordinates."""
    story: str
    paras: list
    pieces: list = field(default_factory=list)
    label: list = field(default_factory=lambda: EMPTY)   # most blocks have no typed label


def _skip(out: list, src: list, delta: int, lo: int, hi: int) -> None:
    pass


def _place(out: list, src: list, delta: int, lo: int, hi: int) -> None:
    for s, e, k, el, o in src:
        s2, e2 = s + delta, e + delta
        if e2 <= lo or s2 >= hi:
            continue
        if s2 < lo:
            o += lo - s2 if k == "t" else 0
            s2 = lo
        out.append((s2, min(e2, hi), k, el, o))


# The one Source of every block when no writer asked for them (read_docx's
# `place` is then _skip and the cell path leaves it alone: it stays empty).
_UNTRACKED = Source("body", [])

# Set (by `export.package.keeping`) to a callable while reading drafts that will be
# written into again: each .docx read is then parsed into an `ooxml.Package` and
# handed over with its sources, so the writer edits this parse instead of reading
# the file a second time.
KEEP: ContextVar = ContextVar("negotiate_docx_keep", default=None)
# True (set by `keeping(compact=True)`) while reading the version a writer only reads
# from (OLD): its plain top-level paragraphs are then kept serialized, not as a tree.
COMPACT: ContextVar = ContextVar("negotiate_docx_compact", default=False)

# The tags a paragraph kept serialized may hold (anything else, or any attribute in
# another namespace than w:'s, keeps it in the tree): what the writer reads of such a
# paragraph is its own runs and properties, never its neighbours or the package.
_PLAIN_TAGS = (
    "p r t tab br rPr pPr pStyle jc spacing ind b bCs i iCs u strike dstrike sz szCs rFonts lang color "
    "keepNext keepLines widowControl contextualSpacing outlineLvl vertAlign caps smallCaps highlight "
    "noProof lastRenderedPageBreak proofErr shd kern position w vanish emboss imprint outline shadow "
    "rtl cs snapToGrid suppressAutoHyphens adjustRightInd bidi textAlignment numPr ilvl numId tabs").split()
# One search for the first tag not among them, or attribute of another prefix (text
# that merely looks like one keeps its paragraph in the tree: never wrong, only bigger).
_NOT_PLAIN = re.compile(
    rb"<(?!/)(?!w:(?:" + b"|".join(t.encode() for t in sorted(_PLAIN_TAGS, key=len, reverse=True)) + rb")[\s/>])"
    rb"|\s(?!(?:w|xmlns|xml):)[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+=")
_CHUNK = 64     # serialized paragraphs compressed together


def _plain_paragraph(xml: bytes) -> bool:
    return _NOT_PLAIN.search(xml) is None


class CompactSources:
    """The `Source` of every block of a version the writer only reads from (OLD),
    by index like a list. A plain top-level paragraph (`_plain_paragraph`) is not
    kept in the package's tree: its XML is kept serialized, compressed with its
    neighbours', with the offsets its pieces were placed at, and its Source is
    made again from that (parsed on its own, read again) when the writer asks for
    it. On 100,000 paragraphs that is ~4 MB instead of the tree's paragraphs, their
    kept element proxies and piece tuples (~120 MB). Sources made are kept until
    `release()` (the writer's next step), so that one step sees one set of elements."""

    def __init__(self, mode: str):
        self._eager: dict[int, Source] = {}
        self._rec = array("i")        # block → its serialized record, or -1 (in `_eager`)
        self._args = array("i")       # record → pieces' (delta, lo, hi), label's (delta, lo, hi or -1)
        self._chunks: list[bytes] = []
        self._open: list[bytes] = []
        self._made: dict[int, Source] = {}
        self._chunk_at = (-1, [])
        self._reader = _Reader("", None, mode)
        self._parser = guards._parser()

    def add(self, src: Source) -> None:
        self._eager[len(self._rec)] = src
        self._rec.append(-1)

    def add_serialized(self, xml: bytes, pieces: tuple, label: tuple | None) -> None:
        self._rec.append(len(self._args) // 6)
        self._args.extend(pieces + (label if label is not None else (0, 0, -1)))
        self._open.append(xml)
        if len(self._open) == _CHUNK:
            self._close()

    def _close(self) -> None:
        if self._open:
            self._chunks.append(zlib.compress(b"\0".join(self._open), 1))
            self._open = []

    def done(self) -> None:
        self._close()

    def __len__(self) -> int:
        return len(self._rec)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def kept(self):
        """The sources kept in the tree (a serialized paragraph's elements are
        never another source's)."""
        return self._eager.values()

    def release(self) -> None:
        self._made.clear()

    def __getitem__(self, i: int) -> Source:
        if i < 0:
            i += len(self._rec)
        r = self._rec[i]
        if r < 0:
            return self._eager[i]
        src = self._made.get(i)
        if src is not None:
            return src
        c, k = divmod(r, _CHUNK)
        if self._chunk_at[0] != c:
            self._chunk_at = (c, zlib.decompress(self._chunks[c]).split(b"\0"))
        from lxml import etree
        el = etree.fromstring(self._chunk_at[1][k], self._parser)
        p = _Para(el=el)
        self._reader._inline(p, el, None, None)
        a = self._args[6 * r: 6 * r + 6]
        src = Source("body", [el])
        _place(src.pieces, p.src, a[0], a[1], a[2])
        if a[5] >= 0:
            src.label = []
            _place(src.label, p.src, a[3], a[4], a[5])
        self._made[i] = src
        return src


def read_docx(path: str, data: bytes, mode: str = "accept", sources: list | None = None, pkg=None) -> Document:
    """Read a .docx. `sources`, when given a list, receives one `Source` per block
    (with `pkg`, an `ooxml.Package` whose parsed parts the sources point into)."""
    keep = KEEP.get() if sources is None and pkg is None else None
    if keep is not None:
        from ..ooxml import Package
        try:
            pkg, sources = Package(path, data), []
        except NegotiateError:    # e.g. an oversized member the text never needs: read as usual
            keep = None
    if pkg is not None:
        names = set(pkg.raw)
    else:
        zf = guards.open_zip(path, data)
        names = set(zf.namelist())
    if "word/document.xml" not in names:
        raise NegotiateError(path, "not a Word document (no word/document.xml in the archive)")
    rd = _Reader(path, None if pkg is not None else zf, mode)
    rd.pkg = pkg
    # Where each piece of text comes from is kept only for the writers that ask
    # (`sources`): a plain read skips it (a tuple a run and a copy a block).
    rd.track = sources is not None
    place = _place if rd.track else _skip
    styles = _styles(rd.xml("word/styles.xml") if "word/styles.xml" in names else None)
    num_root = rd.xml("word/numbering.xml") if "word/numbering.xml" in names else None
    rd.numbering = Numbering(num_root, styles)
    root = rd.xml("word/document.xml")
    body = root.find(qn("w:body"))
    if body is None:
        raise NegotiateError(path, "not a Word document (no w:body in word/document.xml)")

    out = common.PlainText()
    blocks = out.blocks
    # The version a writer only reads from: its plain paragraphs kept serialized.
    compact = CompactSources(mode) if keep is not None and COMPACT.get() else None
    if compact is not None:
        from lxml import etree
    srcs: list[Source] | CompactSources = compact if compact is not None else []
    suffixes: list[str] = []
    para_block: dict[int, int] = {}
    note_refs: list[tuple[str, str, int | None]] = []
    cell_blocks: dict[tuple, int] = {}
    heading_of: dict[str, str] = {}   # style → "heading" or "": once a style, not once a paragraph

    def emit(label, text, hint, lm, suffix, style, revs, marks, source):
        suffixes.append(suffix)
        if source is not None:    # None: `compact` has it
            if len(source.pieces) == 1:
                source.pieces = [source.pieces[0]]   # most blocks: one piece, in a list of one (not of four)
            srcs.add(source) if compact is not None else srcs.append(source)
        # None of the three is the usual case: the shared empty list (see model.EMPTY).
        return out.add(label, text, lm, hint, style=style, revisions=revs or EMPTY, marks=marks or EMPTY, notes=EMPTY)

    def take(p: _Para) -> None:
        label, abs_id = ("", "")
        if p.num is not None:
            label, abs_id = rd.numbering.next_label(*p.num)
        raw = p.string
        text = raw.strip()
        lead = 0 if text is raw else len(raw) - len(raw.lstrip())   # strip() gives the same object when nothing goes
        revs: list[Revision] = []
        marks: list[Mark] = []
        if p.revisions:
            revs = [Revision(r.kind, max(0, r.start - lead), max(0, min(len(text), r.end - lead)), r.author, r.date)
                    for r in p.revisions]
            revs = [r for r in revs if r.end > r.start or r.start == r.end == len(text)]
        if p.marks:
            marks = [Mark(m.kind, max(0, m.start - lead), min(len(text), m.end - lead)) for m in p.marks]
            marks = [m for m in marks if m.end > m.start]
        els = p.parts or [p.el]
        if not text and not (label.strip() and p.cell is None and not p.mark_removed and _shows_number(p.el)):
            # An empty paragraph carries nothing to read; a numbered one still
            # used up its number above, as in Word. Its notes are kept. A numbered
            # one that shows its number (a label on its own, "3." with no text, as a
            # redline of text inputs numbers it) is a block: its label is all it says
            # (not the last of a document, whose mark is gone in this reading).
            target = cell_blocks.get(p.cell) if p.cell is not None else (len(blocks) - 1 if blocks else None)
            para_block[p.ordinal] = target if target is not None else 0
            for kind, nid in p.notes:
                note_refs.append((kind, nid, target))
            return
        style = styles[p.style].name if p.style in styles else p.style
        if p.cell is not None:
            # A table cell's or a text box's paragraphs: a block each, numbered ones with
            # their label (an empty one belongs to the block before it in its cell or box).
            line = (label + " " + text).strip() if label else text
            off = len(label) + 1 if label else 0
            key = p.cell
            src = Source("body", list(els)) if rd.track else _UNTRACKED
            place(src.pieces, p.src, off - lead, off, off + len(text))
            box = key[0] == "box"
            b = emit("", line, "" if box else "table cell", None, "", style,
                     [Revision(r.kind, r.start + off, r.end + off, r.author, r.date) for r in revs],
                     [Mark(m.kind, m.start + off, m.end + off) for m in marks], src)
            cell_blocks[key] = b.index
            if box:
                b.marker = f"text box {key[1]}"
            else:
                t, r_, c = key
                b.marker = f"table {t}, row {r_}, cell {c}"
            para_block[p.ordinal] = cell_blocks[key]
            for kind, nid in p.notes:
                note_refs.append((kind, nid, cell_blocks[key]))
            return
        hint = heading_of.get(p.style)
        if hint is None:
            hint = heading_of[p.style] = _heading_hint(styles, p.style)
        lm = None
        suffix = ""
        src = Source("body", list(els)) if rd.track else _UNTRACKED
        put = place
        xml = None
        if compact is not None and not p.parts and not p.boxes and not p.mark_removed and p.el.getparent() is body:
            xml = etree.tostring(p.el, with_tail=False)
            if _plain_paragraph(xml):
                # Kept serialized (see CompactSources): only where its pieces go is recorded.
                args: list = [None, None]
                put = lambda out, _src, d, lo, hi: args.__setitem__(0 if out is src.pieces else 1, (d, lo, hi))  # noqa: E731
            else:
                xml = None
        if label:
            lm = classify(label)
            if lm is None:
                suffix = f"@num{abs_id}:{p.num[1]}"
            put(src.pieces, p.src, -lead, 0, len(text))
        else:
            m = match_label(text)
            if m is not None and m.start == 0:
                label = m.label
                body_ = text[m.end:]
                shift = len(text) - len(body_.lstrip())
                if text[:m.end] == label:
                    if rd.track:
                        src.label = []   # a list of its own (not the shared EMPTY)
                    put(src.label, p.src, -lead, 0, len(text) - len(body_.lstrip()))
                text = body_.strip()
                revs = [Revision(r.kind, max(0, r.start - shift), max(0, r.end - shift), r.author, r.date) for r in revs]
                marks = [Mark(k.kind, max(0, k.start - shift), max(0, k.end - shift)) for k in marks if k.end - shift > 0]
                lm = m
                put(src.pieces, p.src, -lead - shift, 0, len(text))
            else:
                put(src.pieces, p.src, -lead, 0, len(text))
        if xml is not None:
            compact.add_serialized(xml, args[0], args[1])
            body.remove(p.el)     # its nodes freed once the body is read (the reader's sets hold them till then)
            src = None
        b = emit(label, text, hint, lm, suffix, style, revs, marks, src)
        para_block[p.ordinal] = b.index
        for kind, nid in p.notes:
            note_refs.append((kind, nid, b.index))

    # The body read paragraph by paragraph, each one a block as soon as it is read.
    joiner = _Joiner(take)
    rd.paras = joiner
    rd.body(body, styles)
    joiner.close()
    # rd → joiner → take → rd is a cycle, and `take` holds the body: left to the cyclic
    # collector, a plain read's whole tree outlived it (into the next read: ~100 MB).
    rd.paras = []

    structure.assign(blocks, out.matches, suffixes, out.hints)
    # Footnotes and endnotes, numbered in order of reference as Word shows them.
    counters = {"footnote": 0, "endnote": 0}
    note_paras = {k: _notes(rd, f"word/{k}s.xml", k) if f"word/{k}s.xml" in names else {} for k in counters}
    for kind, nid, bi in note_refs:
        nps = note_paras[kind].get(nid)
        if nps is None:
            continue
        counters[kind] += 1
        n = counters[kind]
        label = str(n) if kind == "footnote" else format_number(n, "lowerRoman")
        # A note of any number of paragraphs is one block, its paragraphs joined by "\n".
        joined, pieces, pos = [], [], 0
        nrevs, nmarks = [], []        # the notes' own tracked changes and formatting, as in the body
        for k, q in enumerate(nps):
            if k:
                pieces.append((pos, pos + 1, "m", nps[k - 1].el, 0))
                pos += 1
            place(pieces, q.src, pos, pos, pos + len(q.string))
            nrevs += [(r, pos) for r in q.revisions]
            nmarks += [(m, pos) for m in q.marks]
            joined.append(q.string)
            pos += len(q.string)
        raw = "\n".join(joined)
        txt = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        revs = [Revision(r.kind, max(0, r.start + at - lead), max(0, min(len(txt), r.end + at - lead)), r.author, r.date)
                for r, at in nrevs]
        revs = [r for r in revs if r.end > r.start or r.start == r.end == len(txt)]
        marks = [Mark(m.kind, max(0, m.start + at - lead), min(len(txt), m.end + at - lead)) for m, at in nmarks]
        src = Source(f"word/{kind}s.xml", [q.el for q in nps])
        place(src.pieces, pieces, -lead, 0, len(txt))
        fb = emit(label, txt, "footnote", None, "", kind, revs, [m for m in marks if m.end > m.start], src)
        fb.kind = "footnote"
        fb.ref = bi
        fb.path = ("footnotes" if kind == "footnote" else "endnotes", label)
        fb.level = 1
        para_block[("note", kind, nid)] = fb.index
        if bi is not None:
            blocks[bi].notes = blocks[bi].notes + [fb.index]   # a list of its own (not EMPTY)

    # Headers and footers: blocks of their own kinds, after everything else.
    for part, kind in _header_parts(rd, names):
        hroot = rd.xml(part)
        if hroot is None:
            continue
        for q_el in _story_paragraphs(hroot):
            q = rd.paragraph(q_el, styles, keep=False)
            raw = q.string
            txt = raw.strip()
            if not txt:
                continue
            lead = len(raw) - len(raw.lstrip())
            src = Source(part, [q_el])
            place(src.pieces, q.src, -lead, 0, len(txt))
            hb = emit("", txt, kind, None, "", kind, [], [], src)
            hb.kind = kind
            hb.path = (kind, part.rsplit("/", 1)[-1].rsplit(".", 1)[0])
            hb.level = 1

    doc = Document(path=path, sha256=common.sha256(data), format="docx", language="und",
                   text=out.text, blocks=blocks)
    if not blocks:
        # Images, an empty table, shapes: nothing to read, but still a version to compare.
        doc.warnings.append("no text found in the document")
    for what in rd.objects:
        doc.warnings.append(f"{what} is carried through unchanged but not compared")
    doc.comments = _comments(rd, names, para_block)
    if "docProps/core.xml" in names:
        core = rd.xml("docProps/core.xml")
        t = core.find("{%s}title" % DC_NS) if core is not None else None
        if t is not None and (t.text or "").strip():
            doc.title = t.text.strip()
    if compact is not None:
        compact.done()
        sources = compact
    elif sources is not None:
        sources[:] = srcs
    if keep is not None:
        keep(doc, pkg, sources, mode)
    return doc


def _header_parts(rd: _Reader, names) -> list[tuple[str, str]]:
    """Header and footer parts, in the order the document's relationships list them."""
    rels = rd.xml("word/_rels/document.xml.rels") if "word/_rels/document.xml.rels" in names else None
    out = []
    if rels is None:
        return out
    for r in rels:
        typ = (r.get("Type") or "").rsplit("/", 1)[-1]
        if typ in ("header", "footer") and r.get("TargetMode") != "External":
            from ..ooxml import resolve_target
            name = resolve_target("word/document.xml", r.get("Target", ""))
            if name in names:
                out.append((name, typ))
    return out


def _paras_text(rd: _Reader, el) -> str:
    out = []
    for p in el.iter(qn("w:p")):
        tmp = _Para()
        saved = rd.comment_open
        rd.comment_open = {}
        rd._inline(tmp, p, None, {})
        rd.comment_open = saved
        out.append(tmp.string)
    return "\n".join(out)


def _notes(rd: _Reader, name: str, kind: str) -> dict[str, list[_Para]]:
    root = rd.xml(name)
    out = {}
    if root is None:
        return out
    for fn in root.findall(qn(f"w:{kind}")):
        if fn.get(qn("w:type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        saved = rd.comment_open
        rd.comment_open = {}
        nid = fn.get(qn("w:id"), "")
        # Comments anchored in a note belong to the note's block (keyed by the note).
        out[nid] = [rd.paragraph(p, {}, keep=False, ordinal=("note", kind, nid)) for p in _story_paragraphs(fn)]
        rd.comment_open = saved
    return out


def _comments(rd: _Reader, names, para_block) -> list[Comment]:
    if "word/comments.xml" not in names:
        return []
    root = rd.xml("word/comments.xml")
    out = []
    for c in root.findall(qn("w:comment")):
        cid = c.get(qn("w:id"), "")
        anchor, ordinal = rd.comment_anchor.get(cid, ("", None))
        out.append(Comment(id=cid, author=c.get(qn("w:author"), ""), date=c.get(qn("w:date"), ""),
                           text=_paras_text(rd, c).strip(), anchor=anchor.strip(),
                           block=para_block.get(ordinal) if ordinal is not None else None))
    return out
