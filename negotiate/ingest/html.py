"""HTML: block elements in order, list numbers as the browser would print them."""
from __future__ import annotations

import lxml.html
from lxml import etree

from .. import numerals
from ..errors import NegotiateError
from ..model import Document
from . import common, structure
from .labels import classify
from .labels import match as match_label
from .numbering import MAX_LABEL, clamp

_BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dd", "dt",
          "blockquote", "pre", "caption", "figcaption", "address"}
_CONTAINER = {"div", "section", "article", "main", "body", "ol", "ul", "table", "tbody",
              "thead", "tfoot", "tr", "dl", "header", "footer", "aside", "nav", "html", "form",
              "fieldset", "details", "summary", "center"}
_SKIP = {"script", "style", "head", "template", "noscript", "svg", "math", "iframe", "object"}


def _ol_numbers(ol) -> dict:
    """The number of every <li> of one <ol>, in one pass (a per-item count of
    the preceding siblings was quadratic on a 100,000-item list). Values are
    clamped as Word's are (0–32767): a crafted start must not build a huge numeral."""
    try:
        n = clamp(int(ol.get("start", "1").strip()[:12]))
    except ValueError:
        n = 1
    out = {}
    first = True
    for sib in ol:
        if sib.tag != "li":
            continue
        n = n if first else n + 1
        first = False
        v = sib.get("value", "").strip()
        if v.isdecimal() and v.isascii():
            n = clamp(int(v[:12]))
        out[sib] = n
    return out


def _ol_label(li, cache: dict) -> str:
    parent = li.getparent()
    if parent is None or parent.tag != "ol":
        return ""
    nums = cache.get(parent)
    if nums is None:
        nums = cache[parent] = _ol_numbers(parent)
    n = nums.get(li, 1)
    t = parent.get("type", "1")
    val = (numerals.to_letters(n) if t == "a" else numerals.to_letters(n, True) if t == "A"
           else numerals.to_roman(n, False) if t == "i" else numerals.to_roman(n) if t == "I" else str(n))
    return val[:MAX_LABEL] + "."


def _text(el) -> str:
    """Text of an element without nested block elements, whitespace folded."""
    out = []

    def walk(node):
        todo = [node]
        while todo:
            n = todo.pop()
            if isinstance(n, str):
                out.append(n)
                continue
            if not isinstance(n.tag, str) or n.tag in _SKIP:
                if n is not node and n.tail:
                    out.append(n.tail)
                continue
            if n is not node and (n.tag in _BLOCK or n.tag in ("ol", "ul", "table")):
                if n.tail:
                    todo.append(n.tail)
                continue
            if n.tag == "br":
                out.append("\x00")
            if n.tail and n is not node:
                todo.append(n.tail)
            for c in reversed(list(n)):
                todo.append(c)
            if n.text:
                todo.append(n.text)
    walk(el)
    s = "".join(out)
    # Source line breaks are spaces; <br> is a line break.
    return "\n".join(" ".join(line.split()) for line in s.split("\x00")).strip()


def read_html(path: str, data: bytes) -> Document:
    if b"<!entity" in data.lower():
        raise NegotiateError(path, "HTML with entity declarations (refused: entities are never resolved)")
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                  recover=True, encoding=None)
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise NegotiateError(path, f"not readable as HTML ({e})") from None
    title_el = root.find(".//title")
    out = common.PlainText()
    # Document order, iteratively; nested blocks are read on their own.
    todo = [root]
    ol_cache: dict = {}
    while todo:
        el = todo.pop()
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            continue
        if el.tag in _BLOCK:
            txt = _text(el)
            label = _ol_label(el, ol_cache) if el.tag == "li" else ""
            lm = classify(label) if label else None
            if not label and txt:
                m = match_label(txt)
                if m is not None and m.start == 0:
                    label, lm = m.label, m
                    txt = txt[m.end:].strip()
            if txt or label:
                out.add(label, txt, lm, "heading" if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")
                        else "table cell" if el.tag in ("td", "th") else "", style=el.tag)
        for c in reversed(list(el)):
            if isinstance(c.tag, str) and (c.tag in _BLOCK or c.tag in _CONTAINER or el.tag not in _BLOCK):
                todo.append(c)
    if not out.blocks:
        raise NegotiateError(path, "no text found in the HTML")
    structure.assign(out.blocks, out.matches, None, out.hints)
    doc = Document(path=path, sha256=common.sha256(data), format="html", language="und",
                   text=out.text, blocks=out.blocks)
    if title_el is not None and (title_el.text or "").strip():
        doc.title = title_el.text.strip()
    return doc
