"""A small WordprocessingML writer: paragraphs, runs, automatic numbering,
tracked changes, footnotes, comments and tables, as a .docx that Word and
LibreOffice open.

python-docx cannot write `w:ins`/`w:del` or numbering definitions, so we build
the parts with lxml (the same `qn` names as the reader) and zip them ourselves.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from .. import lang
from ..ooxml import CT_NS, DC_NS, PKG_REL_NS, R_NS, W_NS, qn

DEFAULT_DATE = "2026-01-01T00:00:00Z"
_PIECES = re.compile(r"\t|\n|[^\t\n]+")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(s: str) -> str:
    """XML 1.0 cannot carry most control characters: they become U+FFFD."""
    return _NOT_XML.sub("\ufffd", s)


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    ins: tuple[str, str] | None = None      # (author, date): an insertion
    delete: tuple[str, str] | None = None   # (author, date): a deletion
    footnote: object = None                 # footnote (its text, or its paragraphs): a reference after the run
    comment: tuple[str, str] | None = None  # (author, comment text) anchored on the run
    move: str = ""                          # "from" | "to": with ins/delete's author, a moved run
    hidden: bool = False                    # kept in the text, not shown (Markdown's emphasis markers)
    superscript: bool = False
    label: bool = False                     # a typed paragraph label (export.autonum may number it instead)


@dataclass
class Para:
    runs: list[Run] = field(default_factory=list)
    style: str = ""
    num: tuple[int, int] | None = None      # (numId, ilvl)
    mark_ins: tuple[str, str] | None = None  # the paragraph itself was inserted
    mark_del: tuple[str, str] | None = None  # the paragraph mark was deleted
    # A moved paragraph: ("from" | "to", name, author, date); its runs carry move= too.
    move: tuple[str, str, str, str] | None = None


@dataclass
class Level:
    fmt: str          # decimal, lowerLetter, upperRoman, chineseCounting, bullet …
    text: str         # "%1.", "(%2)", "%1、"
    start: int = 1
    restart: int | None = None
    style: str = ""
    depth: int | None = None    # indentation as of this level (None: its own); "12 bis." sits as "12." does


def _w(tag, **attrs):
    el = etree.Element(qn(tag), nsmap={"w": W_NS, "r": R_NS})
    for k, v in attrs.items():
        el.set(qn("w:" + k), str(v))
    return el


def _sub(parent, tag, **attrs):
    el = etree.SubElement(parent, qn(tag))
    for k, v in attrs.items():
        el.set(qn("w:" + k), str(v))
    return el


class DocxWriter:
    def __init__(self, title: str = ""):
        self.title = title
        self.body: list = []          # Para or table rows
        self.abstracts: list[list[Level]] = []
        self.nums: list[tuple[int, dict[int, int]]] = []   # (abstract index, start overrides)
        self.footnotes: list = []     # each a text, or a list of Para (a note with tracked changes)
        self.comments: list[tuple[str, str]] = []
        self._rev = 0

    # -- definitions -----------------------------------------------------------
    def numbering(self, levels: list[Level]) -> int:
        """Define a multilevel list; returns its numId."""
        self.abstracts.append(levels)
        return self.instance(len(self.abstracts) - 1)

    def instance(self, abstract: int, starts: dict[int, int] | None = None) -> int:
        """Another list instance of an abstract definition (restarts with `starts`)."""
        self.nums.append((abstract, dict(starts or {})))
        return len(self.nums)

    def add(self, para: Para) -> Para:
        self.body.append(para)
        return para

    def paragraph(self, text: str = "", **kw) -> Para:
        return self.add(Para([Run(text)] if text else [], **kw))

    def table(self, rows: list[list[str]]) -> None:
        self.body.append(rows)

    # -- XML -------------------------------------------------------------------
    def _rid(self) -> str:
        self._rev += 1
        return str(self._rev)

    def _run_el(self, r: Run, deleted: bool):
        el = _w("w:r")
        if r.bold or r.italic or r.strike or r.hidden or r.superscript:
            rpr = _sub(el, "w:rPr")
            if r.bold:
                _sub(rpr, "w:b")
            if r.italic:
                _sub(rpr, "w:i")
            if r.strike:
                _sub(rpr, "w:strike")
            if r.hidden:
                _sub(rpr, "w:vanish")
            if r.superscript:
                _sub(rpr, "w:vertAlign", val="superscript")
        for piece in _PIECES.findall(r.text):
            if piece == "\t":
                _sub(el, "w:tab")
            elif piece == "\n":
                _sub(el, "w:br")
            else:
                t = _sub(el, "w:delText" if deleted else "w:t")
                t.text = _xml_safe(piece)
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return el

    def _para_el(self, p: Para):
        el = _w("w:p")
        ppr = _sub(el, "w:pPr")
        if p.style:
            _sub(ppr, "w:pStyle", val=p.style)
        if p.num:
            np_ = _sub(ppr, "w:numPr")
            _sub(np_, "w:ilvl", val=p.num[1])
            _sub(np_, "w:numId", val=p.num[0])
        if p.mark_ins or p.mark_del or p.move:
            rpr = _sub(ppr, "w:rPr")
            for tag, who in (("w:ins", p.mark_ins), ("w:del", p.mark_del)):
                if who:
                    _sub(rpr, tag, id=self._rid(), author=who[0], date=who[1] or DEFAULT_DATE)
            if p.move:
                kind, _name, author, date = p.move
                _sub(rpr, "w:moveFrom" if kind == "from" else "w:moveTo", id=self._rid(), author=author,
                     date=date or DEFAULT_DATE)
        range_id = None
        if p.move:
            kind, name, author, date = p.move
            range_id = self._rid()
            _sub(el, "w:moveFromRangeStart" if kind == "from" else "w:moveToRangeStart", id=range_id,
                 name=name, author=author, date=date or DEFAULT_DATE)
        for r in p.runs:
            cid = None
            if r.comment:
                self.comments.append(r.comment)
                cid = len(self.comments) - 1
                _sub(el, "w:commentRangeStart", id=cid)
            if r.ins or r.delete:
                who = r.ins or r.delete
                tag = ("w:moveTo" if r.move == "to" else "w:ins") if r.ins else ("w:moveFrom" if r.move == "from" else "w:del")
                wrap = _sub(el, tag, id=self._rid(), author=who[0], date=who[1] or DEFAULT_DATE)
                wrap.append(self._run_el(r, deleted=bool(r.delete)))
                host = wrap
            else:
                el.append(self._run_el(r, deleted=False))
                host = el
            if r.footnote is not None:
                self.footnotes.append(r.footnote)
                fr = _sub(host, "w:r")
                rpr = _sub(fr, "w:rPr")
                _sub(rpr, "w:rStyle", val="FootnoteReference")
                _sub(fr, "w:footnoteReference", id=len(self.footnotes))
            if cid is not None:
                _sub(el, "w:commentRangeEnd", id=cid)
                cr = _sub(el, "w:r")
                _sub(cr, "w:commentReference", id=cid)
        if range_id is not None:
            _sub(el, "w:moveFromRangeEnd" if p.move[0] == "from" else "w:moveToRangeEnd", id=range_id)
        return el

    def _table_el(self, rows):
        tbl = _w("w:tbl")
        tpr = _sub(tbl, "w:tblPr")
        _sub(tpr, "w:tblStyle", val="TableGrid")
        _sub(tpr, "w:tblW", w=0, type="auto")
        grid = _sub(tbl, "w:tblGrid")
        ncols = max(len(r) for r in rows) if rows else 1
        for _ in range(ncols):
            _sub(grid, "w:gridCol", w=9000 // ncols)
        for row in rows:
            tr = _sub(tbl, "w:tr")
            for cell in row:
                tc = _sub(tr, "w:tc")
                tcpr = _sub(tc, "w:tcPr")
                _sub(tcpr, "w:tcW", w=9000 // ncols, type="dxa")
                tc.append(self._para_el(cell if isinstance(cell, Para) else Para([Run(cell)])))
        return tbl

    def _document(self, out) -> None:
        """Stream document.xml into `out`: each paragraph is built, written and
        dropped in turn, never the whole body as one tree (then one string)."""
        with etree.xmlfile(out, encoding="UTF-8") as xf:
            xf.write_declaration(standalone=True)
            with xf.element(qn("w:document"), nsmap={"w": W_NS, "r": R_NS}):
                with xf.element(qn("w:body")):
                    for item in self.body:
                        xf.write(self._para_el(item) if isinstance(item, Para) else self._table_el(item))
                    sect = _w("w:sectPr")
                    _sub(sect, "w:pgSz", w=11906, h=16838)
                    _sub(sect, "w:pgMar", top=1417, right=1417, bottom=1417, left=1417, header=708, footer=708, gutter=0)
                    xf.write(sect)

    def _numbering(self) -> bytes:
        root = etree.Element(qn("w:numbering"), nsmap={"w": W_NS})
        for i, levels in enumerate(self.abstracts):
            a = _sub(root, "w:abstractNum", abstractNumId=i)
            _sub(a, "w:multiLevelType", val="multilevel")
            for il, lv in enumerate(levels):
                l_ = _sub(a, "w:lvl", ilvl=il)
                _sub(l_, "w:start", val=lv.start)
                _sub(l_, "w:numFmt", val=lv.fmt)
                if lv.restart is not None:
                    _sub(l_, "w:lvlRestart", val=lv.restart)
                if lv.style:
                    _sub(l_, "w:pStyle", val=lv.style)
                _sub(l_, "w:lvlText", val=lv.text)
                _sub(l_, "w:lvlJc", val="left")
                ppr = _sub(l_, "w:pPr")
                _sub(ppr, "w:ind", left=567 * ((il if lv.depth is None else lv.depth) + 1), hanging=567)
        for n, (ab, starts) in enumerate(self.nums, 1):
            num = _sub(root, "w:num", numId=n)
            _sub(num, "w:abstractNumId", val=ab)
            for il, st in starts.items():
                ov = _sub(num, "w:lvlOverride", ilvl=il)
                _sub(ov, "w:startOverride", val=st)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _styles(self) -> bytes:
        root = etree.Element(qn("w:styles"), nsmap={"w": W_NS})
        dd = _sub(root, "w:docDefaults")
        rpd = _sub(_sub(dd, "w:rPrDefault"), "w:rPr")
        _sub(rpd, "w:rFonts", ascii="Times New Roman", hAnsi="Times New Roman", eastAsia="Noto Serif CJK SC", cs="Times New Roman")
        _sub(rpd, "w:sz", val=22)
        ppd = _sub(_sub(dd, "w:pPrDefault"), "w:pPr")
        _sub(ppd, "w:spacing", after=120)

        def style(sid, name, outline=None, bold=False, size=None, based="Normal", typ="paragraph"):
            s = _sub(root, "w:style", type=typ, styleId=sid)
            _sub(s, "w:name", val=name)
            if based and sid != "Normal":
                _sub(s, "w:basedOn", val=based)
            if typ == "paragraph":
                ppr = _sub(s, "w:pPr")
                if outline is not None:
                    _sub(ppr, "w:keepNext")
                    _sub(ppr, "w:outlineLvl", val=outline)
            if bold or size:
                rpr = _sub(s, "w:rPr")
                if bold:
                    _sub(rpr, "w:b")
                if size:
                    _sub(rpr, "w:sz", val=size)
            return s

        style("Normal", "Normal", based="")
        style("Title", "Title", bold=True, size=28)
        style("Heading1", "heading 1", outline=0, bold=True, size=26)
        style("Heading2", "heading 2", outline=1, bold=True, size=24)
        style("FootnoteText", "footnote text", size=18)
        style("CommentText", "annotation text")
        s = style("FootnoteReference", "footnote reference", typ="character", based="")
        rpr = s.find(qn("w:rPr")) if s.find(qn("w:rPr")) is not None else _sub(s, "w:rPr")
        _sub(rpr, "w:vertAlign", val="superscript")
        style("TableGrid", "Table Grid", typ="table", based="")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _footnotes(self) -> bytes:
        root = etree.Element(qn("w:footnotes"), nsmap={"w": W_NS})
        for fid, typ in ((-1, "separator"), (0, "continuationSeparator")):
            fn = _sub(root, "w:footnote", type=typ, id=fid)
            r = _sub(_sub(fn, "w:p"), "w:r")
            _sub(r, "w:separator" if fid < 0 else "w:continuationSeparator")
        for i, text in enumerate(self.footnotes, 1):
            fn = _sub(root, "w:footnote", id=i)
            if not isinstance(text, str):
                # Paragraphs with runs of their own (insertions, deletions): the note's
                # number (w:footnoteRef) first in the first one.
                for k, para in enumerate(text):
                    para.style = "FootnoteText"
                    el = self._para_el(para)
                    if k == 0:
                        r = etree.Element(qn("w:r"))
                        _sub(_sub(r, "w:rPr"), "w:rStyle", val="FootnoteReference")
                        _sub(r, "w:footnoteRef")
                        el.insert(1, r)
                    fn.append(el)
                continue
            p = _sub(fn, "w:p")
            _sub(_sub(p, "w:pPr"), "w:pStyle", val="FootnoteText")
            r = _sub(p, "w:r")
            _sub(_sub(r, "w:rPr"), "w:rStyle", val="FootnoteReference")
            _sub(r, "w:footnoteRef")
            r2 = _sub(p, "w:r")
            t = _sub(r2, "w:t")
            t.text = " " + text
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _comments(self) -> bytes:
        root = etree.Element(qn("w:comments"), nsmap={"w": W_NS})
        for i, (author, text) in enumerate(self.comments):
            c = _sub(root, "w:comment", id=i, author=author, date=DEFAULT_DATE, initials=author[:2])
            p = _sub(c, "w:p")
            _sub(_sub(p, "w:pPr"), "w:pStyle", val="CommentText")
            t = _sub(_sub(p, "w:r"), "w:t")
            t.text = text
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            def put(name, data):
                info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)
            # document.xml first, streamed into the archive: it collects the footnotes
            # and comments that decide the other parts.
            info = zipfile.ZipInfo("word/document.xml", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w") as fh:
                self._document(fh)
            parts = {"word/document.xml": None, "word/styles.xml": self._styles(),
                     "word/numbering.xml": self._numbering(), "word/settings.xml": _settings()}
            rels = [("styles", "styles.xml"), ("numbering", "numbering.xml"), ("settings", "settings.xml")]
            if self.footnotes:
                parts["word/footnotes.xml"] = self._footnotes()
                rels.append(("footnotes", "footnotes.xml"))
            if self.comments:
                parts["word/comments.xml"] = self._comments()
                rels.append(("comments", "comments.xml"))
            parts["word/_rels/document.xml.rels"] = _rels(
                [(f"rId{i}", f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{t}", target)
                 for i, (t, target) in enumerate(rels, 1)])
            parts["_rels/.rels"] = _rels([
                ("rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "word/document.xml"),
                ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml")])
            parts["docProps/core.xml"] = _core(self.title)
            parts["[Content_Types].xml"] = _content_types(parts)
            first = ("[Content_Types].xml", "_rels/.rels")
            for name in list(first) + [n for n in parts if n not in (*first, "word/document.xml")]:
                put(name, parts[name])
        return buf.getvalue()

    def save(self, path) -> None:
        with open(path, "wb") as fh:
            fh.write(self.to_bytes())


def _rels(items) -> bytes:
    root = etree.Element("{%s}Relationships" % PKG_REL_NS, nsmap={None: PKG_REL_NS})
    for rid, typ, target in items:
        etree.SubElement(root, "{%s}Relationship" % PKG_REL_NS, Id=rid, Type=typ, Target=target)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _settings() -> bytes:
    root = etree.Element(qn("w:settings"), nsmap={"w": W_NS})
    _sub(root, "w:defaultTabStop", val=567)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _core(title: str) -> bytes:
    cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    root = etree.Element("{%s}coreProperties" % cp, nsmap={"cp": cp, "dc": DC_NS})
    t = etree.SubElement(root, "{%s}title" % DC_NS)
    t.text = title
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_CT = {"word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
       "word/styles.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
       "word/numbering.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
       "word/settings.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
       "word/footnotes.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
       "word/comments.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
       "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml"}


def _content_types(parts) -> bytes:
    root = etree.Element("{%s}Types" % CT_NS, nsmap={None: CT_NS})
    etree.SubElement(root, "{%s}Default" % CT_NS, Extension="rels",
                     ContentType="application/vnd.openxmlformats-package.relationships+xml")
    etree.SubElement(root, "{%s}Default" % CT_NS, Extension="xml", ContentType="application/xml")
    for name in parts:
        if name in _CT:
            etree.SubElement(root, "{%s}Override" % CT_NS, PartName="/" + name, ContentType=_CT[name])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# Numbering schemes of UN compilation texts, ready to use. Sections and
# paragraphs are separate lists so that paragraph numbers run on through the
# body in Word and in LibreOffice alike (LibreOffice ignores w:lvlRestart).
def section_levels(language: str | None = None) -> list[Level]:
    """I. / A. — or the language's own section numbering (lang/*.SECTION_LEVELS), e.g. 一、 / (一)."""
    mod = lang.get(language) if language in lang.CODES else None
    own = getattr(mod, "SECTION_LEVELS", ())
    if own:
        return [Level(fmt, text, style=f"Heading{k}") for k, (fmt, text) in enumerate(own, 1)]
    return [Level("upperRoman", "%1.", style="Heading1"), Level("upperLetter", "%2.", style="Heading2")]


def paragraph_levels() -> list[Level]:
    """1. / (a) / (i)."""
    return [Level("decimal", "%1."), Level("lowerLetter", "(%2)"), Level("lowerRoman", "(%3)")]


def chinese_section_levels() -> list[Level]:
    """一、 / (一) (lang/zh.py's SECTION_LEVELS)."""
    return section_levels("zh")
