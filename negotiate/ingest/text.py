"""Plain text and Markdown: blocks from blank lines and printed labels.

The document's plain text is the decoded file with `\\r\\n` turned into `\\n`;
every block is a span of it, so line and column come straight from offsets.
"""
from __future__ import annotations

import re

from ..model import Block, Document
from . import common, guards, structure
from .labels import match as match_label
from .labels import match_article

_BULLET = re.compile(r"[ \t]*(?:[-*•–·▪][ \t]+)")
_BULLET_FIRST = frozenset("-*•–·▪")
_MD_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]+")
_MD_FOOTDEF = re.compile(r"[ \t]*(\[\^[^\]\s]+\]):")
_EMPH = re.compile(r"\*\*|__|\*|_")


def _head(line: str, markdown: bool):
    """Split the start of a line into (marker end, label match, emphasis closer).

    Returns (marker_end, match or None, kind hint, type suffix)."""
    pos = 0
    hint = ""
    if markdown:
        m = _MD_FOOTDEF.match(line)
        if m:
            return m.start(1), ("footnote", m.group(1), m.end(1)), "footnote", ""
        m = _MD_HEADING.match(line)
        if m:
            pos, hint = m.end(), "heading"
    lead = len(line) - len(line.lstrip(" \t"))
    # _BULLET needs one of its characters first (after spaces): most lines have none.
    m = _BULLET.match(line, pos) if pos or line[lead:lead + 1] in _BULLET_FIRST else None
    if m and not (markdown and line[m.end() - 2:m.end() - 1] == "*" and line[m.end():m.end() + 1] == "*"):
        pos = m.end()
    pos = max(pos, lead)
    emph = ""
    if markdown:
        e = _EMPH.match(line, pos)
        if e:
            emph = e.group(0)
    lm = match_label(line, pos + len(emph)) if emph else None
    if lm is None:
        lm = match_label(line, pos)
        emph = ""
    return pos, lm, hint, emph


def _in_sequence(lm, last: dict[str, int]) -> bool:
    """Articles count up (an annex may start again at 1) and annexes go one at a
    time: a label that breaks the sequence is a cross-reference that a line
    break put at the start of a line."""
    best = lm.candidates[0]   # lm.best, without the property's call
    typ, value = best.type, best.value
    if typ == "article" and value:
        return value > last["article"] or value == 1
    if typ == "annex" and value:
        return value <= last["annex"] + 1
    return True


def read_text(path: str, data: bytes, fmt: str) -> Document:
    warnings: list[str] = []
    raw = guards.decode_text(path, data, warnings)
    text = raw.replace("\r\n", "\n")
    markdown = fmt == "md"
    blocks: list[Block] = []
    matches, suffixes, hints = [], [], []
    cur = None  # [start, end, marker, label, text_start, match, hint, suffix, emph]

    def close():
        nonlocal cur
        if cur is None:
            return
        start, end, marker, label, text_start, lm, hint, suf, emph = cur
        ts = text_start
        if emph:
            # "**Option 1:**": the closing emphasis belongs to the marker.
            j = text.find(emph, ts, end)
            if j == ts or (0 <= j and not text[ts:j].strip()):
                ts = j + len(emph)
        while ts < end and text[ts] in " \t\n":
            ts += 1
        body = text[ts:end]
        blocks.append(Block(index=len(blocks), kind="paragraph", label=label, path=(),
                            text=body, start=start, end=end, text_start=ts, marker=marker))
        matches.append(lm)
        suffixes.append(suf)
        hints.append(hint)
        cur = None

    # Articles whose text runs on after the label, one a line (OCR extractions): when
    # the document's first article is written so, later ones are read so too, each
    # only if it comes next in sequence.
    last_article, run_on = 0, None
    last = {"article": 0, "annex": 0}
    # The lines as one split (a generator and an object a line were a sixth of the time).
    line_start = 0
    for s in text.split("\n"):
        ln_start = line_start
        line_start += len(s) + 1
        if not s.strip():
            if cur is not None:
                close()
            continue
        ln_indent = len(s) - len(s.lstrip(" \t"))
        mpos, lm, hint, emph = _head(s, markdown)
        if lm is None and not hint and run_on is not False:
            art = match_article(s, mpos)
            if art is not None and art.best.type == "article" and last_article < art.best.value <= last_article + 3:
                lm = art            # OCR may have lost an article or two in between
            elif art is not None and art.best.type == "annex" and art.best.value == last["annex"] + 1 and last_article:
                lm = art            # "المرفق الأول …": the next annex, after the articles
        if lm is not None and hint != "footnote":
            if not _in_sequence(lm, last):
                lm = None           # "第七十条不排除……" (Article 70 does not preclude …) wrapped to a line start
            else:
                best = lm.candidates[0]
                if best.type == "article":
                    if run_on is None:
                        run_on = not lm.heading_like
                    last_article = best.value
                if best.type in ("article", "annex"):
                    last[best.type] = best.value
        content_start = ln_start + ln_indent
        content_end = ln_start + len(s.rstrip())
        if hint == "footnote":
            close()
            _, label, lend = lm
            cur = [ln_start + mpos, content_end, "", label, ln_start + lend + 1, None, "footnote", "", ""]
            continue
        starts_block = cur is None or lm is not None or hint == "heading"
        if cur is not None and cur[6] == "heading" and markdown:
            starts_block = True  # a Markdown heading is one line
        if not starts_block:
            cur[1] = content_end
            continue
        if cur is not None:
            close()
        if lm is not None:
            label = lm.label
            marker = s[ln_indent:lm.start]
            suffix = ""
            if lm.candidates[0].type in ("para-arabic", "para-paren", "para-decimal") and ln_indent >= 2:
                # Markdown and typed texts nest lists by indentation: "    1." is
                # a sub-item of "1.", not its sibling.
                suffix = f"@{min(ln_indent // 2, 8)}"
            cur = [content_start, content_end, marker, label,
                   ln_start + lm.end, lm, hint, suffix, emph]
        else:
            marker = s[ln_indent:mpos]
            cur = [content_start, content_end, marker, "", ln_start + mpos, None, hint, "", ""]
    close()

    if not blocks:
        raise guards.NegotiateError(path, "no text found")
    structure.assign(blocks, matches, suffixes, hints)
    _link_md_footnotes(blocks)
    doc = Document(path=path, sha256=common.sha256(data), format=fmt,
                   language="und", text=text, blocks=blocks)
    doc.warnings.extend(warnings)
    return doc


_FNREF = re.compile(r"\[\^([^\]\s]+)\]")


def _link_md_footnotes(blocks: list[Block]) -> None:
    where: dict[str, int] = {}
    for b in blocks:
        if b.kind == "footnote":
            continue
        for m in _FNREF.finditer(b.text):
            where.setdefault(m.group(1), b.index)
    for b in blocks:
        if b.kind == "footnote":
            key = b.label.strip("[]^")
            if key in where:
                b.ref = where[key]
                blocks[where[key]].notes.append(b.index)
