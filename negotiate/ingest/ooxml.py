"""WordprocessingML names shared by the reader and the writer."""
from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DC_NS = "http://purl.org/dc/elements/1.1/"

NSMAP = {"w": W_NS, "r": R_NS, "m": M_NS, "mc": MC_NS}


def qn(tag: str) -> str:
    """'w:p' → '{namespace}p', as python-docx spells it."""
    prefix, local = tag.split(":")
    return "{%s}%s" % (NSMAP[prefix], local)


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
