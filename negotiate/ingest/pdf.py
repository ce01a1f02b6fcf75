"""PDF: paragraphs rebuilt from the geometry of the text layer (pypdfium2).

UN documents are circulated as PDF first. pypdfium2 gives text segments with
their boxes; segments on one baseline make a line; running headers and footers
(page numbers, the document symbol, the GE.… job number) are recognized by
their place and by repeating across pages, and dropped; smaller lines at the
foot of a page are footnotes. A paragraph starts at a printed label or after a
vertical gap, and runs on across line and page breaks, hyphenated words joined.

A text layer whose fonts map to the wrong characters (the Chinese BBNJ PDF
reads `ㅢпᶗ` where the page shows `第三条`) is refused, never passed on.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from ..errors import NegotiateError
from ..model import Document
from . import common, structure
from .labels import match as match_label

MAX_PAGES = 2000
HYPHEN = "\ufffe"     # PDFium's mark for a hyphen at the end of a line
BROKEN = ("the PDF's text layer does not decode to readable text (broken font encoding); "
          "use the .docx or .txt version")   # reason "ocr-may-help": each face adds its way to OCR


@dataclass
class _Line:
    page: int
    x0: float
    x1: float
    top: float        # distance from the top of the page
    height: float
    text: str
    last_top: float = 0.0   # of its last visual line (PDFium joins hyphenated lines)
    lead: float = 0.0       # width of its first word


_PAGE_NO = re.compile(r"^\s*(?:[-–—]\s*\d+\s*[-–—]|\d+\s*(?:of|/)\s*\d+|page\s+\d+(?:\s+of\s+\d+)?|\d{1,4})\s*$", re.I)
# A list bullet as the text layer gives it: Word's "o" (Courier New) and Symbol/Wingdings glyphs.
_BULLET = re.compile(r"^(?:[o•▪◦§\uf0b7\uf0a7\uf0d8]\s+(?=[A-Z\[(“\"])|[\uf0b7\uf0a7\uf0d8•▪◦])")
_JOB = re.compile(r"^\s*GE\.\d{2}-\d+", re.I)


def _open(path: str, data: bytes):
    import pypdfium2 as pdfium
    if not data.startswith(b"%PDF"):
        raise NegotiateError(path, "not a PDF file (no %PDF header)")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = str(e).lower()
        if "password" in msg:
            raise NegotiateError(path, "the PDF is encrypted (password-protected); save an unprotected copy") from None
        raise NegotiateError(path, f"the PDF is corrupt or truncated ({e})") from None
    n = len(pdf)
    if n > MAX_PAGES:
        raise NegotiateError(path, f"the PDF has {n} pages; the limit is {MAX_PAGES}")
    if n == 0:
        raise NegotiateError(path, "the PDF has no pages")
    return pdf


def _lines(pdf) -> tuple[list[_Line], list[float]]:
    """Lines as pdfium reads them (it breaks the page's text into lines with
    CR LF), each with the box of its characters."""
    out: list[_Line] = []
    heights = []
    for pno in range(len(pdf)):
        page = pdf[pno]
        height = page.get_size()[1]
        tp = page.get_textpage()
        n = tp.count_chars()
        text = tp.get_text_range(0, n) if n else ""
        pos = 0
        for raw in text.split("\r\n"):
            start, pos = pos, pos + len(raw) + 2
            idx = [start + k for k, c in enumerate(raw) if not c.isspace()]
            if not idx or len(text) != n:
                if idx and len(text) != n:    # characters outside the BMP shift indexes: no geometry
                    out.append(_Line(pno, 0.0, 0.0, 0.0, 0.0, " ".join(raw.split()), 0.0))
                continue
            probe = idx if len(idx) <= 12 else idx[:: max(1, len(idx) // 12)] + [idx[-1]]
            boxes = [tp.get_charbox(i, loose=True) for i in probe]
            hs = sorted(b[3] - b[1] for b in boxes)
            h = hs[len(hs) // 2]
            tops = [height - b[3] for b in boxes if b[3] - b[1] >= 0.8 * h]
            # PDFium joins a line ending in a hyphen to the next one and marks the
            # hyphen U+FFFE, so one line may cover two visual lines.
            cut = raw.rfind(HYPHEN)
            last = [height - b[3] for i, b in zip(probe, boxes) if i > start + cut and b[3] - b[1] >= 0.8 * h]
            lead = tp.get_charbox(idx[0] + len(raw.split()[0]) - 1, loose=True)[2] - boxes[0][0]
            raw = _take_marks(tp, raw, start, probe, pno)
            out.append(_Line(pno, boxes[0][0], max(b[2] for b in boxes), min(tops), h, " ".join(raw.split()),
                             min(last) if cut >= 0 and last else min(tops), lead))
            heights.append(h)
        tp.close()
        page.close()
    return out, heights


_MARK = re.compile(r"(?<=[^\s\d])\d{1,3}(?=[\s,.;:\]\[)}]|$)")
# Around a possible footnote mark, with its page, until `_resolve_marks`: "\ue000" n "\ue002" page "\ue001".
MARK_OPEN, MARK_PAGE, MARK_CLOSE = "\ue000", "\ue002", "\ue001"
_WRAPPED = re.compile(f"{MARK_OPEN}(\\d+){MARK_PAGE}(\\d+){MARK_CLOSE}")


def _wrap(digits: str, page: int) -> str:
    return f"{MARK_OPEN}{digits}{MARK_PAGE}{page}{MARK_CLOSE}"


def _take_marks(tp, raw: str, start: int, probe: list[int], page: int) -> str:
    """Digits glued to a word and set smaller than the line ("agreement5") may
    be footnote marks, or an exponent ("W/m2"), or part of a label ("Pp1"):
    wrapped for `_resolve_marks` to decide."""
    if not _MARK.search(raw):
        return raw
    import pypdfium2.raw as pdfium_c
    sizes = sorted(pdfium_c.FPDFText_GetFontSize(tp.raw, i) for i in probe)
    body = sizes[len(sizes) // 2]
    lm = match_label(raw)
    label_end = lm.end if lm is not None and lm.start == 0 else 0

    def wrap(m: re.Match) -> str:
        small = pdfium_c.FPDFText_GetFontSize(tp.raw, start + m.start()) < 0.8 * body
        return _wrap(m.group(0), page) if small and m.start() >= label_end else m.group(0)
    return _MARK.sub(wrap, raw)


def _resolve_marks(text: str, note_pages: dict[str, int]) -> tuple[str, list[str]]:
    """A raised number is a footnote mark when that footnote is printed at the
    foot of the same page (or the next): it comes out of the text, as in a
    .docx. Any other (an exponent, W/m2) stays as the digits it is."""
    marks: list[str] = []

    def one(m: re.Match) -> str:
        n, page = m.group(1), int(m.group(2))
        if note_pages.get(n) in (page, page + 1) and n not in marks:
            marks.append(n)
            return ""
        return n
    return _WRAPPED.sub(one, text), marks


def _attach_marks(lines: list[_Line]) -> list[_Line]:
    """A raised footnote mark that PDFium gives as a line of its own ("1" just
    after "A. [[Preamble]", a little higher) is a mark of the line it follows."""
    out: list[_Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if prev and ln.page == prev.page and re.fullmatch(r"\d{1,3}", ln.text) and ln.height < prev.height \
                and abs(ln.top - prev.top) < 0.6 * prev.height and ln.x0 >= prev.x1 - 1:
            prev.text += _wrap(ln.text, ln.page)
            continue
        out.append(ln)
    return out


def _readable(text: str) -> bool:
    """False when too many characters fall outside the scripts real documents use."""
    sample = [c for c in text[:200_000] if not c.isspace()]
    if len(sample) < 50:
        return True
    odd = 0
    for c in sample:
        o = ord(c)
        if o < 0x250 or 0x2000 <= o < 0x2070 or 0x20A0 <= o < 0x2100 or 0x2190 <= o < 0x2200 \
                or 0x0400 <= o < 0x0530 or 0x0600 <= o < 0x0700 or 0x0750 <= o < 0x0780 or 0xFB50 <= o < 0xFF00 \
                or 0x3000 <= o < 0x3040 or 0x4E00 <= o < 0xA000 or 0x3400 <= o < 0x4DC0 or 0xFF00 <= o < 0xFFF0 \
                or 0x2460 <= o < 0x2500 or 0x25A0 <= o < 0x2600 or 0x2100 <= o < 0x2150 or o in (0xF0B7, 0xF0A7):
            continue
        odd += 1
    return odd / len(sample) < 0.08


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_HYPHENATED = re.compile(r"([^\W\d_]*)\ufffe([^\W\d_]*)")


def _vocabulary(lines: list[_Line]) -> set[str]:
    words: set[str] = set()
    for ln in lines:
        for w in _WORD.findall(ln.text.replace(HYPHEN, " ")):
            words.add(w.lower())
            if "-" in w:
                words.update(p.lower() for p in w.split("-"))
    return words


def _unbreak(m: re.Match, vocab: set[str]) -> str:
    """A hyphen at a line end: UN documents break lines at the hyphens of
    compounds (capacity-building, pre-2020) and rarely hyphenate words, so the
    hyphen stays unless the document spells the joined word without one
    elsewhere and never with one."""
    a, b = m.group(1), m.group(2)
    joined, hyphened = (a + b).lower(), f"{a}-{b}".lower()
    if a and b and b[0].islower() and joined in vocab and hyphened not in vocab:
        return a + b
    return f"{a}-{b}"


_NOTE = re.compile(r"^(\d{1,3})(?:\s+\S|(?=[^\W\d_])|$)")   # "1 See", "1See", or the mark alone on its line


def _note_start(text: str, last: int) -> bool:
    """Does a small line at the foot of a page begin a footnote? Its number
    comes first, with or without a space ("1See document …" from LibreOffice),
    or alone on a line of its own (raised), and footnotes count up, so
    "15 December …" continuing note 3 is not note 15."""
    m = _NOTE.match(text)
    return bool(m) and (last == 0 or last < int(m.group(1)) <= last + 3)


def _paragraph_gap(lines: list[_Line], step: float) -> float:
    """The gap above which a line starts a new paragraph: halfway between the
    line spacing and the usual space between paragraphs (the most common larger
    gap). Documents differ: 1.25 lines in the Paris PDFs, 1.8 in the BBNJ one."""
    bins: dict[int, int] = {}
    for a, b in zip(lines, lines[1:]):
        r = (b.top - a.last_top) / step if a.page == b.page else 0
        if 1.1 < r < 3.5:
            bins[round(r * 20)] = bins.get(round(r * 20), 0) + 1
    if not bins:
        return 1.45 * step
    usual = max(bins, key=lambda k: (bins[k], -k)) / 20
    return (1 + usual) / 2 * step


def _room(prev: _Line, ln: _Line, right: float) -> bool:
    """Would the first word of `ln` have fitted at the end of `prev`? Then
    `prev` ended its paragraph short of the margin on purpose."""
    if not ln.lead:     # no geometry for this line
        return True
    return prev.x1 + 0.55 * prev.height + ln.lead < right     # a space, and a little for error


def _margins(lines: list[_Line], n_pages: int, page_h: float) -> set[int]:
    """Indexes of running headers and footers: in the outer fifth of the page,
    either this page's number (`- 5 -`, `5 of 46`, a bare 5), a job number (GE.15-…),
    the document symbol, or a line that recurs at the same height on many pages
    (digits aside, so "5 of 46" and "6 of 46" are one line)."""
    outer = lambda ln: ln.top < 0.2 * page_h or ln.top > 0.8 * page_h  # noqa: E731
    key = lambda ln: (re.sub(r"\d+", "#", ln.text.lower()), round(ln.top / 4))  # noqa: E731
    pages: dict[tuple, set[int]] = {}
    for ln in lines:
        if outer(ln):
            pages.setdefault(key(ln), set()).add(ln.page)
    edge = lambda ln: ln.top < 0.09 * page_h or ln.top > 0.9 * page_h  # noqa: E731
    drop = set()
    for i, ln in enumerate(lines):
        if not outer(ln):
            continue
        numbered = _PAGE_NO.match(ln.text) and re.search(rf"(?<!\d){ln.page + 1}(?!\d)", ln.text)
        if len(pages.get(key(ln), ())) >= max(2, 0.3 * n_pages) or _JOB.match(ln.text) or numbered \
                or edge(ln) and (_PAGE_NO.match(ln.text) or common.SYMBOL.fullmatch(ln.text.strip())):
            drop.add(i)
    return drop


@dataclass
class _Metrics:
    page_h: float
    body_h: float     # the body text's font box height
    step: float       # line spacing within a paragraph
    brk: float        # a gap above this starts a paragraph
    right: float      # the right margin


def _metrics(lines: list[_Line], heights: list[float], page_h: float) -> _Metrics:
    body_h = statistics.median(heights) if heights else 10.0
    steps = [b.top - a.last_top for a, b in zip(lines, lines[1:])
             if a.page == b.page and 0 < b.top - a.last_top < 3 * body_h]
    step = statistics.median(steps) if steps else 1.3 * body_h
    # The right margin: nearly every full line ends close to it.
    right = statistics.quantiles([l.x1 for l in lines], n=50)[-1] if len(lines) > 50 else max(l.x1 for l in lines)
    return _Metrics(page_h, body_h, step, _paragraph_gap(lines, step), right)


def _group(lines: list[_Line], drop: set[int], m: _Metrics) -> tuple[list[list[_Line]], list[list[_Line]]]:
    """Lines → paragraphs of the body, and footnotes."""
    body: list[list[_Line]] = []
    notes: list[list[_Line]] = []
    last_note, note_page = 0, -1
    prev = None
    for i, ln in enumerate(lines):
        if i in drop:
            continue
        small = ln.height < 0.95 * m.body_h      # loose boxes: the font size, the same on every body line
        low = ln.top > 0.55 * m.page_h
        # Footnotes sit at the foot of the page, numbered in order, usually smaller;
        # a note in body size must be the very next number.
        above = ln.top - lines[i - 1].last_top if i and lines[i - 1].page == ln.page else 0.0
        starts_note = low and _note_start(ln.text, last_note) and (
            small or int(re.match(r"\d+", ln.text).group(0)) == last_note + 1
            and (re.match(r"\d+\s*[A-Z{\[“\"]", ln.text) is not None or above > 2.5 * m.step))
        if starts_note or low and notes and notes[-1][-1].page == ln.page and (small or note_page == ln.page):
            if starts_note or not notes:
                notes.append([ln])
                last_note = int(re.match(r"\d+", ln.text).group(0)) if starts_note else last_note
                note_page = ln.page
            else:
                notes[-1].append(ln)
            continue
        new = prev is None
        if not new:
            lm = match_label(ln.text)
            gap = ln.top - prev.last_top if ln.page == prev.page else None
            new = (lm is not None and lm.start == 0 or bool(_BULLET.match(ln.text))
                   or gap is not None and gap > m.brk
                   or prev.text.rstrip()[-1:] in ".;:]" and _room(prev, ln, m.right))
        if new:
            body.append([ln])
        else:
            body[-1].append(ln)
        prev = ln
    return body, notes


def _join(group: list[_Line], vocab: set[str]) -> str:
    out = group[0].text
    for ln in group[1:]:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and ln.text[:1].isalpha():
            out = out[:-1] + HYPHEN + ln.text
        else:
            out += " " + ln.text
    return _HYPHENATED.sub(lambda mt: _unbreak(mt, vocab), out) if HYPHEN in out else out


def _link_notes(blocks, marks: list[list[str]]) -> None:
    """Each footnote to the paragraph whose text carried its mark (`marks`: per block, in order)."""
    notes = {b.label: b for b in blocks if b.kind == "footnote" and b.label}
    for b, ms in zip(blocks, marks):
        for m in ms:
            fn = notes.get(m)
            if fn is not None and fn.ref is None:
                fn.ref = b.index
                b.notes.append(fn.index)


def read_pdf(path: str, data: bytes, ocr: bool = False, ocr_languages=None, progress=None) -> Document:
    pdf = _open(path, data)
    if ocr:
        from . import ocr as ocr_mod
        from .text import read_text
        try:
            text = ocr_mod.ocr_text(path, pdf, ocr_languages, progress)
        finally:
            pdf.close()
        if not text.strip():
            raise NegotiateError(path, "OCR found no text in the PDF")
        doc = read_text(path, text.encode("utf-8"), "txt")
        doc.format, doc.sha256 = "pdf", common.sha256(data)
        doc.warnings.append("text read by OCR (Tesseract): check it against the page images")
        return doc
    try:
        page_h = pdf[0].get_size()[1]
        lines, heights = _lines(pdf)
        lines = _attach_marks(lines)
        n_pages = len(pdf)
    finally:
        pdf.close()
    if not lines:
        raise NegotiateError(path, "the PDF has no text layer (a scan?)", reason="needs-ocr")
    if not _readable(" ".join(l.text for l in lines)):
        raise NegotiateError(path, BROKEN, reason="ocr-may-help")
    symbol = common.find_symbol("\n".join(l.text for l in lines[:40]))
    body, notes = _group(lines, _margins(lines, n_pages, page_h), _metrics(lines, heights, page_h))
    vocab = _vocabulary(lines)

    out = common.PlainText()
    note_pages: dict[str, int] = {}
    for g in notes:
        m = re.match(r"\d+", g[0].text)
        if m:
            note_pages.setdefault(m.group(0), g[0].page)
    marks = []
    for kind, groups in (("", body), ("footnote", notes)):
        for g in groups:
            text, ms = _resolve_marks(_join(g, vocab), note_pages)
            marks.append(ms)
            label = ""
            lm = None
            if kind == "footnote":
                m = re.match(r"^(\d{1,3})\s*", text)
                label, text = (m.group(1), text[m.end():]) if m else ("", text)
            else:
                # The label is read on the first line: a heading's title may run on below it.
                lm = match_label(g[0].text)
                if lm is not None and lm.start == 0:
                    label = lm.label
                    text = text[lm.end:].strip()
                else:
                    lm = None
            out.add(label, text, lm, kind, style=f"page {g[0].page + 1}")
    if not out.blocks:
        raise NegotiateError(path, "no text found in the PDF")
    blocks = out.blocks
    structure.assign(blocks, out.matches, None, out.hints)
    for b in blocks:
        if b.kind == "footnote":
            b.path = ("footnotes", b.label or str(b.index))
    _link_notes(blocks, marks)
    doc = Document(path=path, sha256=common.sha256(data), format="pdf", language="und", text=out.text,
                   blocks=blocks, symbol=symbol)
    return doc
