"""WordprocessingML names shared by the reader and the writer."""
from __future__ import annotations

import copy

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DC_NS = "http://purl.org/dc/elements/1.1/"

NSMAP = {"w": W_NS, "r": R_NS, "m": M_NS, "mc": MC_NS}


_QN: dict[str, str] = {}


def qn(tag: str) -> str:
    """'w:p' → '{namespace}p', as python-docx spells it (memoized: called per element)."""
    q = _QN.get(tag)
    if q is None:
        prefix, local = tag.split(":")
        q = _QN[tag] = "{%s}%s" % (NSMAP[prefix], local)
    return q


def wval(el, default=None):
    if el is None:
        return default
    return el.get(qn("w:val"), default)


def on(el) -> bool:
    """A toggle property (w:b, w:strike): present and not switched off."""
    if el is None:
        return False
    v = el.get(qn("w:val"))
    return v is None or v.lower() not in ("0", "false", "off", "none")


# -- the package: parts as bytes, XML parts parsed on demand, written back in order ---------------

REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
REVISION_TAGS = frozenset(qn(t) for t in ("w:ins", "w:del", "w:moveFrom", "w:moveTo"))
_MEDIA_CT = {"png": "image/png", "jpeg": "image/jpeg", "jpg": "image/jpeg", "gif": "image/gif",
             "bmp": "image/bmp", "tiff": "image/tiff", "emf": "image/x-emf", "wmf": "image/x-wmf",
             "svg": "image/svg+xml"}


class Package:
    """A .docx as its parts. Parts that are parsed (`xml`) are serialized once
    when written; every other part is carried through byte for byte, in the
    package's own order and with its own compression."""

    def __init__(self, path: str, data: bytes):
        from .ingest import guards
        self.path = path
        zf = guards.open_zip(path, data)
        self.infos = zf.infolist()
        self.raw: dict[str, bytes] = {}
        for i in self.infos:
            if not i.is_dir():
                b = guards.read_member(path, zf, i.filename)
                self.raw[i.filename] = b if b is not None else b""
        self.trees: dict[str, object] = {}
        self.dirty: set[str] = set()     # parsed parts that were edited: only these are serialized

    def touch(self, name: str) -> None:
        self.dirty.add(name)

    def has(self, name: str) -> bool:
        return name in self.raw or name in self.trees

    def xml(self, name: str):
        """The parsed part (parsed once; edits to it are written back)."""
        from .ingest import guards
        if name not in self.trees:
            if name not in self.raw:
                return None
            self.trees[name] = guards.parse_xml(self.path, self.raw[name], name)
        return self.trees[name]

    def set_tree(self, name: str, root) -> None:
        self.trees[name] = root
        self.dirty.add(name)

    def add_part(self, name: str, data: bytes) -> None:
        self.raw[name] = data

    # relationships of word/document.xml (or another part)
    @staticmethod
    def rels_name(part: str) -> str:
        d, _, f = part.rpartition("/")
        return f"{d}/_rels/{f}.rels" if d else f"_rels/{f}.rels"

    def rels(self, part: str = "word/document.xml"):
        root = self.xml(self.rels_name(part))
        if root is None:
            root = etree.Element("{%s}Relationships" % PKG_REL_NS, nsmap={None: PKG_REL_NS})
            self.set_tree(self.rels_name(part), root)
        return root

    def relationship(self, rid: str, part: str = "word/document.xml"):
        for r in self.rels(part):
            if r.get("Id") == rid:
                return r
        return None

    def add_relationship(self, typ: str, target: str, external: bool = False, part: str = "word/document.xml") -> str:
        root = self.rels(part)
        ids = {r.get("Id") for r in root}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        self.touch(self.rels_name(part))
        el = etree.SubElement(root, "{%s}Relationship" % PKG_REL_NS, Id=f"rId{n}", Type=typ, Target=target)
        if external:
            el.set("TargetMode", "External")
        return f"rId{n}"

    def part_of(self, typ_suffix: str, part: str = "word/document.xml") -> str | None:
        """The part a relationship of that type (e.g. 'footnotes') points to."""
        for r in self.rels(part):
            if r.get("Type", "").endswith("/" + typ_suffix) and r.get("TargetMode") != "External":
                return resolve_target(part, r.get("Target", ""))
        return None

    def ensure_default_type(self, ext: str) -> None:
        ct = self.xml("[Content_Types].xml")
        if ct is None:
            return
        for d in ct:
            if (d.get("Extension") or "").lower() == ext.lower():
                return
        if ext.lower() in _MEDIA_CT:
            self.touch("[Content_Types].xml")
            el = etree.Element("{%s}Default" % CT_NS, Extension=ext, ContentType=_MEDIA_CT[ext.lower()])
            ct.insert(0, el)

    def to_bytes(self) -> bytes:
        import io
        import zipfile
        buf = io.BytesIO()
        seen = set()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            def put(name, info=None):
                seen.add(name)
                zi = zipfile.ZipInfo(name, date_time=info.date_time if info else (2026, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                if name in self.trees and (name in self.dirty or name not in self.raw):
                    # Serialized straight into the archive, in pieces: the bytes of a
                    # 100,000-paragraph body (40 MB, and lxml's buffer doubling towards
                    # them) are never held whole.
                    # (What tostring(root, xml_declaration=True, standalone=True) gives, byte for byte.)
                    with z.open(zi, "w") as f, etree.xmlfile(f, encoding="UTF-8") as xf:
                        xf.write_declaration(standalone=True)
                        xf.write(self.trees[name])
                else:
                    z.writestr(zi, self.raw[name])
            for i in self.infos:
                if not i.is_dir() and i.filename not in seen:
                    put(i.filename, i)
            for name in list(self.raw) + list(self.trees):
                if name not in seen:
                    put(name)
        return buf.getvalue()


def resolve_target(source: str, target: str) -> str:
    """A relationship target, relative to its source part, as a package name."""
    if target.startswith("/"):
        return target.lstrip("/")
    base = source.rpartition("/")[0].split("/") if "/" in source else []
    for piece in target.split("/"):
        if piece == "..":
            if base:
                base.pop()
        elif piece and piece != ".":
            base.append(piece)
    return "/".join(base)


# -- element helpers used by the writers ---------------------------------------------------------

def w_el(tag: str, **attrs):
    el = etree.Element(qn(tag))
    for k, v in attrs.items():
        el.set(qn("w:" + k), str(v))
    return el


def sub(parent, tag: str, **attrs):
    el = etree.SubElement(parent, qn(tag))
    for k, v in attrs.items():
        el.set(qn("w:" + k), str(v))
    return el


def ppr_of(p, create: bool = True):
    ppr = p.find(qn("w:pPr"))
    if ppr is None and create:
        ppr = w_el("w:pPr")
        p.insert(0, ppr)
    return ppr


# The order of a few children of w:pPr and w:rPr that the schema fixes and that we add.
_PPR_TAIL = [qn(t) for t in ("w:rPr", "w:sectPr", "w:pPrChange")]
_RPR_ORDER = [qn("w:" + t) for t in (
    "ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr "
    "shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange").split()]


def insert_ordered(parent, child, order: list[str]) -> None:
    """Put `child` into `parent` where the schema's sequence `order` wants it."""
    rank = {t: k for k, t in enumerate(order)}
    mine = rank.get(child.tag, len(order))
    for k, c in enumerate(parent):
        if rank.get(c.tag, -1) > mine:
            parent.insert(k, child)
            return
    parent.append(child)


def mark_paragraph(p, tag: str, rid: str, author: str, date: str) -> None:
    """A revision of the paragraph mark: w:pPr/w:rPr/w:ins (or del, moveFrom, moveTo)."""
    ppr = ppr_of(p)
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = w_el("w:rPr")
        k = next((i for i, c in enumerate(ppr) if c.tag in (qn("w:sectPr"), qn("w:pPrChange"))), None)
        if k is None:
            ppr.append(rpr)
        else:
            ppr.insert(k, rpr)
    if rpr.find(qn(tag)) is None:
        insert_ordered(rpr, w_el(tag, id=rid, author=author, date=date), _RPR_ORDER)


def run_rpr(r):
    return r.find(qn("w:rPr"))


def flags_of(rpr) -> frozenset:
    """The character formatting negotiators read meaning into, set directly on a run."""
    if rpr is None:
        return frozenset()
    out = set()
    if on(rpr.find(qn("w:b"))):
        out.add("bold")
    if on(rpr.find(qn("w:i"))):
        out.add("italic")
    if on(rpr.find(qn("w:strike"))) or on(rpr.find(qn("w:dstrike"))):
        out.add("strike")
    u = rpr.find(qn("w:u"))
    if u is not None and wval(u, "single") != "none":
        out.add("underline")
    return frozenset(out)


_TOGGLES = {qn("w:b"): "bold", qn("w:i"): "italic", qn("w:strike"): "strike", qn("w:dstrike"): "strike"}
_U, _VERT, _HIGHLIGHT, _VAL = qn("w:u"), qn("w:vertAlign"), qn("w:highlight"), qn("w:val")


def marks_of(rpr) -> frozenset:
    """What the reader records as a run's marks, in one pass over its properties (once
    per run of a long document): `flags_of`'s kinds, and "superscript", "subscript",
    "highlight" — a note letter typed against its word ("yearB"), a formula, a letter a
    delegation highlighted. Where a word's letters change so, the comparison cuts the
    word (`diff.refine_at_cuts`), so that the letter, not the word, is what changes."""
    if rpr is None:
        return frozenset()
    out = set()
    for c in rpr:
        tag = c.tag
        kind = _TOGGLES.get(tag)
        if kind is not None:
            v = c.get(_VAL)
            if v is None or v.lower() not in ("0", "false", "off", "none"):
                out.add(kind)
        elif tag == _U:
            if c.get(_VAL, "single") != "none":
                out.add("underline")
        elif tag == _VERT:
            v = c.get(_VAL, "")
            if v in ("superscript", "subscript"):
                out.add(v)
        elif tag == _HIGHLIGHT:
            if c.get(_VAL, "none") != "none":
                out.add("highlight")
    return frozenset(out)


def to_deleted(el) -> None:
    """Content copied into a w:del: text becomes w:delText, field codes w:delInstrText."""
    for t in list(el.iter(qn("w:t"))):
        t.tag = qn("w:delText")
    for t in list(el.iter(qn("w:instrText"))):
        t.tag = qn("w:delInstrText")


# -- accept all / reject all, on the XML ---------------------------------------------------------


def unwrap(el) -> None:
    """Put `el`'s children in its place and drop `el` (a revision wrapper accepted)."""
    parent = el.getparent()
    k = parent.index(el)
    for c in list(el):
        parent.insert(k, c)
        k += 1
    parent.remove(el)


_ANCHORS = ("w:commentRangeStart", "w:commentRangeEnd")


def _hoist_comment_anchors(el) -> None:
    """Move the comment ranges' ends and references found inside `el` to just before it
    (a reference in a run of its own, with that run's properties: none of the removed text)."""
    parent = el.getparent()
    k = parent.index(el)
    for a in list(el.iter(*(qn(t) for t in _ANCHORS), qn("w:commentReference"))):
        holder = a.getparent()
        holder.remove(a)
        if a.tag == qn("w:commentReference"):
            run = etree.Element(qn("w:r"))
            rpr = holder.find(qn("w:rPr")) if holder.tag == qn("w:r") else None
            if rpr is not None:
                run.append(copy.deepcopy(rpr))
            run.append(a)
            a = run
        parent.insert(k, a)
        k += 1


def review(root, accept: bool, author: str | None = None, keep_comments: bool = False) -> None:
    """Accept (or reject) every tracked change in a story's XML, in place, as
    Word's "Accept All" does: content, paragraph marks, table rows and run
    formatting (w:rPrChange). `author`: only that author's changes. Used by tests and
    the bench to check round trips. `keep_comments`: the comment anchors inside removed
    content are kept where it stood (a delegation's comment on its own insertion survives
    a writer that starts from the rejected text)."""
    mine = (lambda el: True) if author is None else (lambda el: el.get(qn("w:author")) == author)
    keep = (qn("w:ins"), qn("w:moveTo")) if accept else (qn("w:del"), qn("w:moveFrom"))
    drop = (qn("w:del"), qn("w:moveFrom")) if accept else (qn("w:ins"), qn("w:moveTo"))
    # Formatting changes: accept = drop the record; reject = restore the old properties.
    for ch in list(root.iter(qn("w:rPrChange"), qn("w:pPrChange"))):
        if not mine(ch):
            continue
        parent = ch.getparent()
        if accept:
            parent.remove(ch)
            continue
        old = ch.find(qn("w:rPr")) if ch.tag == qn("w:rPrChange") else ch.find(qn("w:pPr"))
        keep_children = [c for c in parent if c.tag in REVISION_TAGS or c.tag in (qn("w:rPr"), qn("w:sectPr"))] \
            if ch.tag == qn("w:pPrChange") else [c for c in parent if c.tag in REVISION_TAGS]
        for c in list(parent):
            parent.remove(c)
        for c in (list(old) if old is not None else []):
            parent.append(c)
        for c in keep_children:
            parent.append(c)
    # Table rows inserted or deleted; a table left without rows goes too.
    for tr in list(root.iter(qn("w:tr"))):
        trpr = tr.find(qn("w:trPr"))
        if trpr is None:
            continue
        if any(x is not None and mine(x) for x in (trpr.find(t) for t in drop)):
            tbl = tr.getparent()
            tbl.remove(tr)
            if tbl.tag == qn("w:tbl") and tbl.find(qn("w:tr")) is None and tbl.getparent() is not None:
                tbl.getparent().remove(tbl)
        else:
            for t in keep:
                for x in trpr.findall(t):
                    if mine(x):
                        trpr.remove(x)
    # Whole cells inserted or deleted (w:cellIns / w:cellDel in the cell's properties).
    gone_cell, kept_cell = (qn("w:cellDel"), qn("w:cellIns")) if accept else (qn("w:cellIns"), qn("w:cellDel"))
    for tc in list(root.iter(qn("w:tc"))):
        tcpr = tc.find(qn("w:tcPr"))
        if tcpr is None:
            continue
        g = tcpr.find(gone_cell)
        if g is not None and mine(g):
            tc.getparent().remove(tc)
            continue
        for x in tcpr.findall(kept_cell):
            if mine(x):
                tcpr.remove(x)
    # Paragraph marks: a removed mark joins the paragraph with the next one.
    paras = list(root.iter(qn("w:p")))
    for p in paras:
        ppr = p.find(qn("w:pPr"))
        rpr = ppr.find(qn("w:rPr")) if ppr is not None else None
        if rpr is None:
            continue
        gone = any(x is not None and mine(x) for x in (rpr.find(t) for t in drop))
        for t in keep + drop:
            for x in rpr.findall(t):
                if mine(x):
                    rpr.remove(x)
        if gone:
            p.set("_join", "1")
    # Run-level content.
    for el in list(root.iter(*drop)):
        if el.getparent() is not None and el.tag in drop and el.getparent().tag not in (qn("w:rPr"), qn("w:trPr")) and mine(el):
            if keep_comments:
                _hoist_comment_anchors(el)
            el.getparent().remove(el)
    for el in list(root.iter(*keep)):
        parent = el.getparent()
        if parent is None or parent.tag in (qn("w:rPr"), qn("w:trPr")) or not mine(el):
            continue
        unwrap(el)
    for tag in ("w:moveFromRangeStart", "w:moveFromRangeEnd", "w:moveToRangeStart", "w:moveToRangeEnd"):
        for el in list(root.iter(qn(tag))):
            el.getparent().remove(el)
    if not accept:
        for t in list(root.iter(qn("w:delText"))):
            if not any(a.tag in (qn("w:del"), qn("w:moveFrom")) for a in t.iterancestors()):
                t.tag = qn("w:t")
        for t in list(root.iter(qn("w:delInstrText"))):
            if not any(a.tag in (qn("w:del"), qn("w:moveFrom")) for a in t.iterancestors()):
                t.tag = qn("w:instrText")
    # Join paragraphs whose mark went away: the next paragraph keeps its properties
    # and receives this one's content in front.
    for p in list(root.iter(qn("w:p"))):
        if p.get("_join") is None:
            continue
        del p.attrib["_join"]
        nxt = p.getnext()
        while nxt is not None and nxt.tag != qn("w:p"):
            nxt = nxt.getnext() if nxt.tag in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")) else None
        content = [c for c in p if c.tag != qn("w:pPr")]
        if nxt is None:
            if not content or all(not "".join(c.itertext()) for c in content):
                p.getparent().remove(p)
            continue
        nppr = nxt.find(qn("w:pPr"))
        k = 1 if nppr is not None else 0
        for c in content:
            nxt.insert(k, c)
            k += 1
        p.getparent().remove(p)


def review_package(data: bytes, accept: bool, path: str = "review.docx", author: str | None = None,
                   keep_comments: bool = False) -> bytes:
    """The package with every tracked change accepted (or rejected), in every story
    (`keep_comments`: as in `review`)."""
    pkg = Package(path, data)
    stories = [name for name in list(pkg.raw) if name.startswith("word/") and name.endswith(".xml") and "/_rels/" not in name
               and any(k in name for k in ("document", "footnotes", "endnotes", "header", "footer", "comments"))]

    def cited():
        return {r.get(qn("w:id")) for name in stories if pkg.xml(name) is not None
                for r in pkg.xml(name).iter(qn("w:commentReference"))}
    before = cited()
    for name in stories:
        root = pkg.xml(name)
        if root is not None:
            review(root, accept, author, keep_comments)
            pkg.touch(name)
    # A comment whose reference went with the content it stood in (a comment on deleted
    # text, deletion accepted) goes too, with what is left of its range, as in Word.
    gone = before - cited()
    if gone:
        for name in stories:
            root = pkg.xml(name)
            for el in list(root.iter(qn("w:comment"), qn("w:commentRangeStart"), qn("w:commentRangeEnd"))):
                if el.get(qn("w:id")) in gone and el.getparent() is not None:
                    el.getparent().remove(el)
    return pkg.to_bytes()
