"""Language versions of one text → rows of paired paragraphs, and what differs.

Pairing is by structure, never by translation: a block's key is its label path read
as language-neutral values (`Article 5` / `第五条` / `Статья 5` → ("article", 5); `(c)` /
`（三）` / `c)` → third item at that depth), its position, and its language-neutral content
— numbers (in each script's digits, or words), document symbols, cross-references,
brackets, each block's length scaled by the version's length. A stage a function:

  features (per block) → align (each version into the rows, progressively: unique keys as
  anchors, a dynamic programme over content in the gaps) → fill (a block that holds the
  text of several rows of the others takes them on, when its length or its run-in labels
  say so) → compare (per row, the majority against the versions that depart from it).

Language data (reference words, number words, months) lives in `negotiate/lang`.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from . import lang, numerals
from .ingest import labels as _labels
from .ingest.labels import HEADING_RANK
from .model import BRACKET_PAIRS, Document, Parity, ParityIssue, ParityRow


@dataclass(frozen=True)
class Options:
    pair_threshold: float = 0.25  # gap pairing: a block and a row pair when they score above this
    fill_gain: float = 0.15       # a block takes on neighbouring rows when its length fits this much better (log)
    max_fill: int = 120           # rows one block may take on beyond its own


# -- features ---------------------------------------------------------------------------------
_DIG = "0-9\u0660-\u0669\u06F0-\u06F9"
_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")
_NUMBER = re.compile(rf"(?<![{_DIG}A-Za-z\u00c0-\u024f\u0400-\u04ff])[{_DIG}]+(?:[.,٫][{_DIG}]+)*(?:[ \u00a0\u202f][0-9]{{3}}(?![0-9]))*")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[ ,.\u00a0\u202f]\d{3})+$")
_SYMBOL = re.compile(r"(?<![A-Za-z0-9/])[A-Z][A-Za-z0-9.\-]*(?:/[A-Za-z0-9.\-]+){2,}")
_WORD = re.compile(r"[^\W\d_]+")
_ORD = "|".join(numerals.ORDINALS)
_OPENERS, _CLOSERS = "".join(BRACKET_PAIRS), "".join(BRACKET_PAIRS.values())   # "[［【", "]］】"
COMPARED_REFS = ("article", "paragraph", "annex", "part")
_ABSOLUTE = ("article", "annex")


def _norm_number(s: str) -> str:
    t = s.translate(_ARABIC_INDIC)
    if _THOUSANDS.match(t):
        return re.sub(r"\D", "", t)
    t = t.replace(",", ".")
    if "." in t:
        t = t.rstrip("0").rstrip(".") if re.match(r"^\d+\.\d+$", t) else t
    return t.lstrip("0") or "0"


@cache
def _ref_regex(code: str):
    mod = lang.get(code)
    words = sorted(getattr(mod, "ORDINAL_WORDS", {}), key=lambda w: (-len(w), w))
    unit = (rf"[（(]?(?:[{_DIG}]+|[IVXLC]+\b|[〇零一二三四五六七八九十百千两]+"
            + "".join("|" + re.escape(w) for w in words) + rf")(?:[ \t]*(?:{_ORD})\b)?[）)]?")
    joins = sorted(getattr(mod, "LIST_WORDS", ()), key=lambda w: (-len(w), w))
    sep = r"\s*(?:,|、|[–—-]|" + "|".join(re.escape(w) + (r"(?=\s)" if w[-1].isalpha() and w.isascii() else "")
                                      for w in joins) + r")\s*"
    nlist = rf"(?P<n>{unit}(?:{sep}{unit})*)"
    unit_rx = re.compile(unit)
    roman = rf"(?P<n>[IVXLC]+\b(?:{sep}[IVXLC]+\b)*)"
    rules = [(kind, re.compile(rx.replace("{N}", nlist).replace("{R}", roman)))
             for kind, rx in getattr(mod, "REFERENCES", ())]
    return rules, unit_rx, dict(getattr(mod, "ORDINAL_WORDS", {}))


def _zh_value(t: str) -> int | None:
    """一百二十 → 120; without 十百千 the numerals are digits: 二八七 → 287, 一九八二 → 1982."""
    t = t.replace("○", "〇")
    if len(t) >= 2 and not any(c in "十百千" for c in t):
        ds = [numerals.from_chinese(c) for c in t]
        return int("".join(map(str, ds))) if all(d is not None for d in ds) else None
    return numerals.from_chinese(t)


def _unit_value(u: str, ordinals: dict) -> int | None:
    u = re.sub(rf"[（()）]|[ \t]*(?:{_ORD})$", "", u).strip()
    for f in (numerals.from_digits, numerals.from_roman, _zh_value):
        v = f(u)
        if v is not None:
            return v
    return ordinals.get(u)


@cache
def _number_words(code: str):
    """The language's number words (whole words), stems (prefixes), Chinese numerals and the
    words that join number words into one number."""
    mod = lang.get(code)
    words = {w.lower(): v for w, v in getattr(mod, "NUMBER_WORDS", {}).items()}
    stems = {w.lower(): v for w, v in getattr(mod, "NUMBER_STEMS", {}).items()}
    zh = getattr(mod, "NUMERALS", "")
    joins = "|".join(re.escape(w) for w in getattr(mod, "NUMBER_JOINS", ()))
    join = re.compile(r"[\s\-]*" + (rf"(?:(?:{joins})[\s\-]+)?" if joins else ""))
    # Hyphenated words ("soixante-dix") are looked up whole, then part by part.
    token = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
    return words, stems, sorted({len(k) for k in stems}, reverse=True), (re.compile(f"[{zh}]+") if zh else None), \
        join, token


@dataclass
class _Feat:
    key: tuple
    label: tuple | None    # (class, value, ordinal) of the block's own label
    shown: str             # the label as printed
    length: float          # characters, divided by the version's scale later
    numbers: frozenset     # written in digits
    soft: frozenset        # written in words or Chinese numerals: excuse, never accuse
    refs: frozenset        # (kind, n)
    symbols: frozenset
    brackets: tuple        # (opened, closed, depth)
    options: int           # options in alternative sets ([shall][should] → 2)


def _label_tuple(b) -> tuple | None:
    return _label_value(b.label, b.label_type) if b.label else None


@lru_cache(maxsize=4096)
def _label_value(label: str, typ: str) -> tuple:
    m = _labels.match(label.strip() + " ")
    typ = typ or (m.best.type if m else "")
    value = 0
    if m:
        cand = next((c for c in m.candidates if c.type == typ or typ.startswith(c.type)), m.best)
        value = cand.value
    cls = typ if typ in HEADING_RANK else ("alt" if typ == "alt" else "pp" if typ == "pp" else "n")
    om = re.search(rf"\b({_ORD})\b", label)
    return (cls, value, numerals.ordinal_rank(om.group(1)) if om else 0)


_LINE_HYPHEN = re.compile(r"(?<=[^\W\d_])- +(?=[^\W\d_])")
_IN_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def _content(text: str, code: str):
    words_text = text
    if "-" in text:
        # "со ста- тьей 14", "ста-тьей 47": line-end hyphens left by the extraction. References
        # and digits are read without them; number words with them ("twenty-five").
        text = _IN_WORD_HYPHEN.sub("", _LINE_HYPHEN.sub("", text))
    rules, unit_rx, ordinals = _ref_regex(code)
    refs = set()
    spans = []
    for kind, rx in rules:
        for m in rx.finditer(text):
            spans.append((m.start(), m.end()))
            if kind in COMPARED_REFS:
                for u in unit_rx.finditer(m.group("n")):
                    v = _unit_value(u.group(0), ordinals)
                    if v is not None:
                        refs.add((kind, v))
    symbols = set()
    for m in (_SYMBOL.finditer(text) if "/" in text else ()):
        symbols.add(m.group(0).rstrip("."))
        spans.append((m.start(), m.end()))
    if spans:   # what a reference or a symbol holds is not a plain number
        spans.sort()
        parts, pos = [], 0
        for s, e in spans:
            if s > pos:
                parts.append(text[pos:s])
            pos = max(pos, e)
        parts.append(text[pos:])
        rest = " ".join(parts)
    else:
        rest = text
    numbers = {_norm_number(m.group(0)) for m in _NUMBER.finditer(rest)}
    soft = set()
    words, stems, stem_lens, zh, join, token = _number_words(code)
    for m in (zh.finditer(rest) if zh else ()):
        t = m.group(0)
        # Several numerals make a number (一百二十 → 120, 一九八二 → 1982), compared as digits
        # are; a lone one (一个, 统一) is too often a word to accuse anything.
        v = _zh_value(t)
        if v is not None:
            (numbers if len(t) >= 2 else soft).add(str(v))
    # Words in a row make one number ("one hundred and twenty", "cent vingt"): each word and
    # their sum both count.
    total, cur, last_end = 0, 0, -1
    low = words_text.lower()
    hit = False
    if words or stems:
        # Most paragraphs hold no number word: find that out at C speed before walking the words.
        toks = set(token.findall(low))
        hit = not toks.isdisjoint(words) or any("-" in t for t in toks) or (
            stems and any(t[:n] in stems for t in toks for n in stem_lens))
    for m in (token.finditer(low) if hit else ()):
        lw = m.group(0)
        v = words.get(lw)
        if v is None and "-" in lw:
            parts = [words.get(x) for x in lw.split("-")]
            v = sum(parts) if all(x is not None for x in parts) else parts[0]    # "thirty-day"
        if v is None and stems:
            v = next((stems[lw[:n]] for n in stem_lens if lw[:n] in stems), None)
        if v is None:
            continue
        soft.add(str(v))
        if last_end >= 0 and not join.fullmatch(words_text[last_end:m.start()]):
            soft.add(str(total + cur))
            total = cur = 0
        if v in (100, 1000):
            cur = max(cur, 1) * v
        else:
            cur += v
        last_end = m.end()
    if last_end >= 0:
        soft.add(str(total + cur))
    return frozenset(numbers), frozenset(soft), frozenset(refs), frozenset(symbols)


def _brackets(text: str) -> tuple[tuple, int]:
    if not any(c in text for c in _OPENERS + _CLOSERS):
        return (0, 0, 0), 0
    depth = best = opened = closed = 0
    for i, c in enumerate(text):
        if c in _OPENERS and text[i + 1:i + 2] != "^":
            opened += 1
            depth += 1
            best = max(best, depth)
        elif c in _CLOSERS:
            closed += 1
            depth = max(0, depth - 1)
    from .markup import parse
    options = 0
    for n in parse(text).walk():
        if n.kind == "altset":
            options += sum(1 for c in n.children if c.kind == "bracket")
        elif n.kind == "bracket" and n.role == "slash":
            options += len(n.options)
    return (opened, closed, best), options


_CACHE: dict[tuple, list] = {}


def features(doc: Document, code: str) -> list[_Feat]:
    """Each block's key and language-neutral content (fresh copies: callers scale the lengths).
    The last few documents' features are kept, keyed on their bytes and reading, since a
    secretariat checks one version against the same others again and again."""
    code = code if code in lang.CODES else "en"
    ck = (doc.sha256, doc.path, doc.revisions_mode, len(doc.blocks), len(doc.text), code)
    if ck not in _CACHE:
        if len(_CACHE) >= 16:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[ck] = _features(doc, code)
    return [replace(f) for f in _CACHE[ck]]


def _features(doc: Document, code: str) -> list[_Feat]:
    out = []
    prefix: dict[tuple, tuple] = {}
    unlabelled: Counter = Counter()
    for b in doc.blocks:
        lt = _label_tuple(b)
        if lt is not None:
            parent = tuple(b.path[:-1])
            # Articles and annexes are numbered through the whole text: their key does not
            # depend on the part above them (which an OCR text may have lost).
            base = () if lt[0] in _ABSOLUTE else prefix.get(parent, ())
            key = base + ((lt[0], lt[1], lt[2]),)
            prefix[tuple(b.path)] = key
        else:
            pk = prefix.get(tuple(b.path), ())
            unlabelled[pk] += 1
            key = pk + (("u", unlabelled[pk], 0),)
        if b.kind == "footnote":
            key = (("note", b.label),)
        nums, soft, refs, syms = _content(b.text, code)
        br, opts = _brackets(b.text)
        out.append(_Feat(key, lt, b.label, float(len(b.text) + len(b.label)), nums, soft, refs, syms, br, opts))
    return out


# -- align ------------------------------------------------------------------------------------
def _lis(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest run of pairs increasing in both (pairs sorted by their second item)."""
    from .diff import increasing
    return [pairs[i] for i in increasing([r for r, _ in pairs])]


def _sim(fa: _Feat, fb: _Feat) -> float:
    s = 0.0
    if fa.label and fb.label:
        if fa.label == fb.label:
            s += 0.35
        elif fa.label[:2] == fb.label[:2]:
            s += 0.2        # 21 against 21 bis
        elif fa.label[0] == fb.label[0]:
            s -= 0.05       # another number of the same kind: a label to report, hardly a reason to part
        else:
            s -= 0.15
    x, y = fa.length + 20, fb.length + 20
    s += 0.4 * min(x, y) / max(x, y)
    a = fa.refs | fa.symbols | fa.numbers
    b = fb.refs | fb.symbols | fb.numbers
    if a or b:
        shared = len(a & (b | fb.soft)) + len((b - a) & fa.soft)
        s += 0.3 * shared / len(a | b)
    return s


def _dp(rows: list[int], blocks: list[int], row_feats, bfeat, thr: float, seg: int = 30) -> list[tuple[int, int]]:
    """Order-preserving pairing of a gap's rows and blocks, maximising the summed score. A
    block may take a run of rows (an OCR block holding a lost heading and its paragraphs);
    the run is scored by the block's length against the rows' summed lengths."""
    n, m = len(rows), len(blocks)
    if not n or not m:
        return []
    if n * m * seg > 300_000:
        seg = 1
    pre = [0.0]
    for r in rows:
        pre.append(pre[-1] + row_feats[r].length)

    def gain(i: int, j: int, t: int) -> float:
        f, fb = row_feats[rows[i]], bfeat[blocks[j]]
        if t == 1:
            return _sim(f, fb) - thr
        x, y = pre[i + t] - pre[i] + 20, fb.length + 20
        lab = 0.0
        if f.label and fb.label:
            lab = 0.35 if f.label == fb.label else 0.2 if f.label[:2] == fb.label[:2] else -0.15
        return lab + 0.45 * min(x, y) / max(x, y) - 0.002 * t - thr

    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[None] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            v, mv = best[i + 1][j], ("r",)
            if best[i][j + 1] > v:
                v, mv = best[i][j + 1], ("b",)
            for t in range(1, min(seg, n - i) + 1):
                g = gain(i, j, t)
                if g > 0 and g + best[i + t][j + 1] > v:
                    v, mv = g + best[i + t][j + 1], ("p", t)
            best[i][j], move[i][j] = v, mv
    out, i, j = [], 0, 0
    while i < n and j < m:
        mv = move[i][j]
        if mv[0] == "p":
            out.extend((rows[i + x], blocks[j]) for x in range(mv[1]))
            i, j = i + mv[1], j + 1
        elif mv[0] == "r":
            i += 1
        else:
            j += 1
    return out


def _align(feats: list[list[_Feat]], opt: Options) -> list[list[int | None]]:
    n = len(feats)
    rows: list[list[int | None]] = [[i] + [None] * (n - 1) for i in range(len(feats[0]))]
    for k in range(1, n):
        fk = feats[k]
        owner: dict[tuple, int] = {}
        dup: set = set()
        for r, cells in enumerate(rows):
            for key in {feats[j][c].key for j, c in enumerate(cells[:k]) if c is not None}:
                if owner.get(key, r) != r:
                    dup.add(key)
                owner[key] = r
        count = Counter(f.key for f in fk)
        pairs = [(owner[f.key], b) for b, f in enumerate(fk)
                 if count[f.key] == 1 and f.key in owner and f.key not in dup]
        anchors = _lis(pairs)
        match: dict[int, int] = {r: b for r, b in pairs}    # a key matched out of order is a move
        # A heading whose paragraphs this version does not have as blocks of their own holds
        # them (an OCR text with one article a line): it takes the rows below it.
        for r, b in anchors:
            key = fk[b].key
            if b + 1 < len(fk) and fk[b + 1].label is not None and fk[b + 1].key[:len(key)] == key:
                continue      # it has labelled paragraphs of its own
            rr, held = r + 1, next(feats[j][c].length for j, c in enumerate(rows[r][:k]) if c is not None)
            while rr < len(rows) and rr not in match and any(
                    c is not None and len(feats[j][c].key) > len(key) and feats[j][c].key[:len(key)] == key
                    for j, c in enumerate(rows[rr][:k])):
                held += next(feats[j][c].length for j, c in enumerate(rows[rr][:k]) if c is not None)
                if held > 1.5 * fk[b].length + 40:
                    break       # too short to hold them: a heading whose paragraphs went elsewhere
                match[rr] = b
                rr += 1
        used_r, used_b = set(match), set(match.values())
        # A row is represented by its first version's block (the others agree with it, or are damaged).
        row_feats = [next(feats[j][c] for j, c in enumerate(cells[:k]) if c is not None) for cells in rows]
        bounds = [(-1, -1)] + anchors + [(len(rows), len(fk))]
        in_order = dict(anchors)
        for (r0, b0), (r1, b1) in zip(bounds, bounds[1:]):
            R = [r for r in range(r0 + 1, r1) if r not in used_r]
            B = [b for b in range(b0 + 1, b1) if b not in used_b]
            for r, b in _dp(R, B, row_feats, fk, opt.pair_threshold):
                match[r] = b
                in_order.setdefault(r, b)
        for r, b in match.items():
            rows[r][k] = b
        # Blocks still unpaired become rows of their own, after the row of the block before them.
        placed = sorted((b, r) for r, b in in_order.items())
        matched = set(match.values())
        inserts: dict[int, list[int]] = {}
        import bisect
        keys = [b for b, _ in placed]
        for b in range(len(fk)):
            if b in matched:
                continue
            i = bisect.bisect_left(keys, b) - 1
            inserts.setdefault(placed[i][1] if i >= 0 else -1, []).append(b)
        if inserts:
            new_rows = [[None] * k + [b] + [None] * (n - k - 1) for b in inserts.get(-1, [])]
            for r, cells in enumerate(rows):
                new_rows.append(cells)
                new_rows.extend([None] * k + [b] + [None] * (n - k - 1) for b in inserts.get(r, []))
            rows = new_rows
    return rows


# -- fill: blocks that hold several rows --------------------------------------------------------
_RUN_LABEL = re.compile(r"^(\W*)(\w+?)(\W*)$")


def _run_in(f: _Feat, text: str, value: int) -> bool:
    """Does `text` hold a label of value `value` written as `f`'s label is ("i)" → "ii)")?"""
    m = _RUN_LABEL.match(f.shown.strip())
    if not m or value <= 0:
        return False
    pre, body, post = m.groups()
    if body.isdigit():
        cand = str(value)
    elif numerals.from_roman(body) is not None and f.label and f.label[1] == numerals.from_roman(body):
        cand = numerals.to_roman(value, upper=body.isupper())
    elif numerals.from_letters(body) is not None:
        cand = numerals.to_letters(value, upper=body.isupper())
    elif numerals.from_chinese(body) is not None:
        cand = numerals.to_chinese(value)
    else:
        return False
    return re.search(rf"(?:^|[\s;:,.；。]){re.escape(pre + cand + post)}(?=\s|$)", text) is not None


def _fill(rows, feats, docs, scales, opt: Options) -> None:
    n = len(feats)

    def nl(k, b):
        return feats[k][b].length / scales[k]

    # A row's expected length: the median of the versions whose block is that row's alone.
    uses = Counter((k, b) for cells in rows for k, b in enumerate(cells) if b is not None)
    cons = []
    for cells in rows:
        vals = sorted(nl(k, b) for k, b in enumerate(cells) if b is not None and uses[(k, b)] == 1) or \
            sorted(nl(k, b) for k, b in enumerate(cells) if b is not None)
        cons.append(vals[len(vals) // 2] if vals else 0.0)

    def err(actual, expected):
        return abs(math.log((actual + 30) / (expected + 30)))

    for k in range(n):
        cover: dict[int, list[int]] = {}
        for r, cells in enumerate(rows):
            if cells[k] is not None:
                cover.setdefault(cells[k], []).append(r)
        r = 0
        while r < len(rows):
            if rows[r][k] is not None:
                r += 1
                continue
            s = r
            while r < len(rows) and rows[r][k] is None:
                r += 1
            e = r - 1                     # rows s..e lack version k
            p = rows[s - 1][k] if s > 0 else None
            q = rows[e + 1][k] if e + 1 < len(rows) else None
            if q is not None and feats[k][q].label is not None:
                q = None      # a labelled block's text begins at its label: it cannot hold the rows before it
            L = e - s + 1
            if L > opt.max_fill:
                continue
            ep = sum(cons[x] for x in cover.get(p, ())) if p is not None else 0.0
            eq = sum(cons[x] for x in cover.get(q, ())) if q is not None else 0.0
            ap = nl(k, p) if p is not None else 0.0
            aq = nl(k, q) if q is not None else 0.0
            base = (err(ap, ep) if p is not None else 0) + (err(aq, eq) if q is not None else 0)
            best, choice = base, (0, 0)
            run = [0.0]
            for x in range(s, e + 1):
                run.append(run[-1] + cons[x])
            for i in range(0, L + 1 if p is not None else 1):
                add_p = run[i]
                for j in range(0, (L - i) + 1 if q is not None else 1):
                    if i == 0 and j == 0:
                        continue
                    add_q = run[L] - run[L - j]
                    tot = (err(ap, ep + add_p) if p is not None else 0) + (err(aq, eq + add_q) if q is not None else 0)
                    if tot < best:
                        best, choice = tot, (i, j)
            i, j = choice
            if p is not None:
                # Labels of the next rows written inside p's text ("…; ii) …") take them on whatever the lengths.
                text = docs[k].blocks[p].text
                run = 0
                for x in range(L):
                    lab = _row_label(rows, s + x, feats, skip=k)
                    if lab is None and 2 * sum(c is not None for c in rows[s + x]) < n:
                        continue    # an unlabelled row only one or two versions have: look through it
                    if lab and feats[k][p].label and lab[0] == feats[k][p].label[0] and _run_in(feats[k][p], text, lab[1]):
                        run = x + 1
                    else:
                        break
                # A heading of the next rows cited in p's text as a reference ("- 1 المادة 32 الإخطار …"):
                # an OCR line that ran two articles together holds that heading and what follows it.
                heads = [x for x in range(L) if (lab := _row_label(rows, s + x, feats, skip=k)) and lab[0] in _ABSOLUTE
                         and (lab[0], lab[1]) in feats[k][p].refs]
                if heads and heads[0] <= 1:
                    run = max(run, L if q is None or len(heads) else heads[-1])
                if run and run >= i:      # the evidence of the text itself: take them on
                    i, j = run, min(j, L - run)
                    best = -1.0
            if best <= base - opt.fill_gain or best < 0:
                for x in range(i):
                    if best >= 0 or _row_label(rows, s + x, feats, skip=k) is not None \
                            or 2 * sum(c is not None for c in rows[s + x]) >= n:
                        rows[s + x][k] = p
                for x in range(j):
                    rows[e - x][k] = q


def _splits(rows, feats, opt: Options) -> None:
    """A row only one version has, with an unlabelled block that completes the block before it
    (a paragraph the extraction cut in two: "2．" alone, its text on the next line): the
    others' blocks of the row before hold it too."""
    n = len(feats)

    def err(actual, expected):
        return abs(math.log((actual + 30) / (expected + 30)))

    for r in range(1, len(rows)):
        present = [k for k, b in enumerate(rows[r]) if b is not None]
        if len(present) != 1 or n < 2:
            continue
        k = present[0]
        b, prev = rows[r][k], rows[r - 1][k]
        if prev is None or feats[k][b].label is not None or prev == b:
            continue
        others = [feats[j][c].length for j, c in enumerate(rows[r - 1]) if j != k and c is not None]
        if not others:
            continue
        want = sorted(others)[len(others) // 2]
        before = err(feats[k][prev].length, want)
        after = err(feats[k][prev].length + feats[k][b].length, want)
        if after <= before - opt.fill_gain:
            for j, c in enumerate(rows[r - 1]):
                if j != k and c is not None:
                    rows[r][j] = c


def _row_label(rows, r: int, feats, skip: int = -1):
    """The label most versions give this row, counting only blocks that begin here."""
    cells = rows[r]
    prev = rows[r - 1] if r else [None] * len(cells)
    c = Counter(feats[j][b].label for j, b in enumerate(cells) if b is not None and j != skip and prev[j] != b)
    return c.most_common(1)[0][0] if c else None


# -- compare ----------------------------------------------------------------------------------
def _majority(values: dict[int, object]):
    """The value most versions give (ties: the one the earliest version gives)."""
    c = Counter(values.values())
    top = max(c.values())
    return next(v for k, v in sorted(values.items()) if c[v] == top)


def _show_label(t) -> str:
    if t is None:
        return "no label"
    cls, value, ordinal = t
    word = {"article": "Article ", "annex": "Annex ", "part": "Part ", "chapter": "Chapter ", "alt": "Alt ",
            "section-roman": "Section ", "subsection-letter": "Section "}.get(cls, "")
    shown = numerals.to_roman(value) if cls in ("annex", "part", "section-roman") else (
        numerals.to_letters(value, upper=True) if cls == "subsection-letter" else str(value))
    return f"{word}{shown}{' ' + numerals.ORDINALS[ordinal - 1] if ordinal else ''}"


def _set_issues(kind: str, sets: dict[int, frozenset], soft: dict[int, frozenset], fmt,
                voters: dict[int, tuple[frozenset, frozenset]] | None = None) -> list[ParityIssue]:
    """Items most versions have that a version lacks, and items a version has that most lack.
    `voters` (hard, soft) are versions whose block also holds other rows: they vote on the items
    the others have, and are never accused here."""
    voters = voters or {}
    vs = sorted(set(sets) | set(voters))
    if len(sets) < 2 and not (sets and voters):
        return []
    union = set().union(*sets.values())
    out = []
    has = {x: {k for k in sets if x in sets[k] or x in soft.get(k, ())} |
           {k for k, (h, so) in voters.items() if x in h or x in so} for x in union}
    hard = {x: {k for k in sets if x in sets[k]} | {k for k, (h, _) in voters.items() if x in h} for x in union}
    first = vs[0]
    for k in sorted(sets):
        # A version lacks what most write in digits; a number word only excuses ("trente jours").
        lacks = sorted((x for x in union if k not in has[x] and _wins(hard[x], vs, first)), key=str)
        extra = sorted((x for x in sets[k] if not _wins(has[x], vs, first)), key=str)
        if not lacks and not extra:
            continue
        if lacks and extra:
            d = f"{fmt(extra)} where the others have {fmt(lacks)}"
        elif extra:
            d = f"{fmt(extra)}, which the others do not have"
        else:
            d = f"no {fmt(lacks)}, which the others have"
        out.append(ParityIssue(k, kind, d))
    return out


def _wins(holders: set, vs: list[int], first: int) -> bool:
    """Is this the majority's item? More than half, or half including the earliest version."""
    return 2 * len(holders) > len(vs) or (2 * len(holders) == len(vs) and first in holders)


def _fmt_numbers(xs) -> str:
    return ", ".join(xs)


def _fmt_refs(xs) -> str:
    return ", ".join(f"{kind} {_show_label((kind, v, 0)).split()[-1] if kind in ('annex', 'part') else v}"
                     for kind, v in xs)


def _compare(rows, feats, n: int) -> list[list[ParityIssue]]:
    issues: list[list[ParityIssue]] = [[] for _ in rows]
    span: dict[tuple[int, int], list[int]] = {}
    for r, cells in enumerate(rows):
        for k, b in enumerate(cells):
            if b is not None:
                span.setdefault((k, b), []).append(r)
    for r, cells in enumerate(rows):
        present = [k for k, b in enumerate(cells) if b is not None]
        # missing / extra
        if len(present) < n:
            absent = [k for k in range(n) if cells[k] is None]
            if _wins(set(present), list(range(n)), 0):
                lab = _show_label(_row_label(rows, r, feats))
                for k in absent:
                    issues[r].append(ParityIssue(k, "missing", f"no paragraph here ({lab} in the others)"))
            else:
                for k in present:
                    issues[r].append(ParityIssue(k, "extra", "a paragraph the others do not have"))
        single = {k: cells[k] for k in present if len(span[(k, cells[k])]) == 1}
        first_rows = {k: cells[k] for k in present if span[(k, cells[k])][0] == r}
        # labels: compared where a block begins
        if len(first_rows) >= 2:
            labs = {k: feats[k][b].label for k, b in first_rows.items()}
            maj = _majority(labs)
            for k, t in labs.items():
                if t != maj:
                    shown = feats[k][first_rows[k]].shown
                    what = f"{shown} ({_show_label(t)})" if shown else "no label"
                    issues[r].append(ParityIssue(k, "label", f"{what} where the others have {_show_label(maj)}"))
        # content, among versions whose block is this row's alone
        if len(single) >= 2:
            shared = {k: feats[k][cells[k]] for k in present if k not in single}
            issues[r].extend(_content_issues({k: [feats[k][b]] for k, b in single.items()}, voters=shared))
    # blocks that hold several rows: their run-in labels, and their content against the rows they hold
    for (k, b), rs in span.items():
        if len(rs) < 2:
            continue
        labs = [t for t in (_row_label(rows, r, feats, skip=k) for r in rs[1:]) if t is not None]
        if labs:
            shown = ", ".join(_show_label(t) for t in labs[:6]) + (" …" if len(labs) > 6 else "")
            issues[rs[1]].append(ParityIssue(k, "label", f"{shown} not found as paragraphs: the text runs into "
                                                         f"{feats[k][b].shown or 'the block before'}"))
        for r in rs[1:]:
            # An unlabelled row that only one version begins: that version cut a paragraph in two.
            starts = [j for j, c in enumerate(rows[r]) if c is not None and j != k and (r == 0 or rows[r - 1][j] != c)]
            if len(starts) == 1 and feats[starts[0]][rows[r][starts[0]]].label is None and \
                    not any(i.version == starts[0] and i.kind == "label" for i in issues[r]):
                issues[r].append(ParityIssue(starts[0], "label", "the paragraph before goes on in a block of its own "
                                                                 "(cut in two)"))
        group, outside = {}, {}
        for r in rs:
            for j, c in enumerate(rows[r]):
                if j != k and c is not None:
                    inside = span[(j, c)][0] >= rs[0] and span[(j, c)][-1] <= rs[-1]
                    (group.setdefault(j, {}) if inside else outside.setdefault(j, {}))[c] = feats[j][c]
        # the labels of the rows it holds, and of the row before (a heading OCR put after its text)
        run_in = {t for t in (_row_label(rows, r, feats, skip=k) for r in [rs[0] - 1] + rs if r >= 0) if t}
        cmp = {j: list(v.values()) for j, v in group.items()}
        cmp[k] = [feats[k][b]]
        # blocks reaching beyond these rows vote, one per version (the first), and are not accused
        voters = {j: next(iter(v.values())) for j, v in outside.items() if j not in cmp}
        found = [i for i in _content_issues(cmp, run_in, voters) if i.version == k]
        for i in found:
            issues[rs[0]].append(i)
    # order: where some versions' blocks run backwards, the fewer depart (the rows follow the
    # first version's order, so when it is the one that swapped, the others look backwards)
    seen_max = [-1] * n
    for r, cells in enumerate(rows):
        own = [k for k, c in enumerate(cells) if c is not None and len(span[(k, c)]) == 1]
        back = [k for k in own if cells[k] < seen_max[k]]
        if back:
            fwd = [k for k in own if k not in back]
            depart = back if len(back) * 2 < len(own) or (len(back) * 2 == len(own) and 0 in fwd) else fwd
            for k in depart:
                issues[r].append(ParityIssue(k, "label", f"out of order: {feats[k][cells[k]].shown or 'this block'} "
                                                         f"is not where the others have it"))
        for k, c in enumerate(cells):
            if c is not None:
                seen_max[k] = max(seen_max[k], c)
    return issues


def _content_issues(blocks: dict[int, list[_Feat]], run_in: set | None = None,
                    voters: dict[int, _Feat] | None = None) -> list[ParityIssue]:
    def u(attr, k):
        return frozenset().union(*(getattr(f, attr) for f in blocks[k]))
    nums = {k: u("numbers", k) for k in blocks}
    soft = {k: u("soft", k) for k in blocks}
    refs = {k: u("refs", k) for k in blocks}
    if run_in:   # "المادة 17" run into an OCR block is the lost heading, not a reference
        drop_refs = {(t[0], t[1]) for t in run_in if t[0] in COMPARED_REFS}
        drop_nums = {str(t[1]) for t in run_in}
        refs = {k: v - drop_refs for k, v in refs.items()}
        nums = {k: v - drop_nums for k, v in nums.items()}
    vote = voters or {}
    out = _set_issues("number", nums, soft, _fmt_numbers, {k: (f.numbers, f.soft) for k, f in vote.items()})
    out += _set_issues("reference", refs, {}, _fmt_refs, {k: (f.refs, frozenset()) for k, f in vote.items()})
    out += _set_issues("symbol", {k: u("symbols", k) for k in blocks}, {}, _fmt_numbers)
    br = {k: tuple(sum(f.brackets[i] for f in blocks[k]) if i < 2 else max(f.brackets[2] for f in blocks[k])
                   for i in range(3)) for k in blocks}
    votes = dict(br)
    votes.update({k: f.brackets for k, f in vote.items()})     # a tie of two is settled by the rest
    if len(set(br.values())) > 1:
        maj = _majority(votes)
        for k, v in br.items():
            if v != maj:
                out.append(ParityIssue(k, "bracket", f"{v[0]} [ and {v[1]} ], depth {v[2]}, where the others have "
                                                     f"{maj[0]} and {maj[1]}, depth {maj[2]}"))
    opts = {k: sum(f.options for f in blocks[k]) for k in blocks}
    if len(set(opts.values())) > 1:
        maj = _majority({**opts, **{k: f.options for k, f in vote.items()}})
        for k, v in opts.items():
            if v != maj:
                out.append(ParityIssue(k, "alternative", f"{v} bracketed options where the others have {maj}"))
    return out


def _alternatives(rows, feats, issues, n: int) -> None:
    """Paragraph alternatives (Option 1, Alt A) counted under each parent, per version."""
    counts: dict[tuple, dict[int, int]] = {}
    first_row: dict[tuple, int] = {}
    for r, cells in enumerate(rows):
        for k, b in enumerate(cells):
            if b is None or not feats[k][b].label or feats[k][b].label[0] != "alt":
                continue
            parent = feats[k][b].key[:-1]
            counts.setdefault(parent, {j: 0 for j in range(n)})[k] += 1
            first_row.setdefault(parent, r)
    for parent, c in counts.items():
        if len(set(c.values())) > 1:
            maj = _majority(c)
            for k, v in c.items():
                if v != maj:
                    issues[first_row[parent]].append(
                        ParityIssue(k, "alternative", f"{v} alternatives where the others have {maj}"))


# -- the stage ---------------------------------------------------------------------------------
def parity(docs: list[Document], languages: list[str] | None = None, options: Options | None = None) -> Parity:
    """Pair the paragraphs of language versions of one text and say what differs.

    Pairing is by structure (labels read as language-neutral values, position,
    numbers, symbols, cross-references, brackets), never by translation; each
    issue is reported on the version that departs from the others (the majority).

    Args:
        docs: the language versions of one text, as `negotiate.read` gives them.
        languages: one code per version (`negotiate.lang.CODES`); default: each
            document's detected language ("und" when not one of the six).
        options: pairing tunables (`negotiate.parity.Options`).

    Returns:
        A `Parity`: `rows` of paired blocks (`blocks[k]`, the index of version k's
        block or None) with their `issues` (kinds in `model.PARITY_KINDS`),
        `totals()` per kind and `paired()`, the share of rows every version has.

    Raises:
        ValueError: `languages` does not have one code per version.

    Examples:
        >>> import negotiate
        >>> v1 = negotiate.read("corpora/framework-v1-compilation.txt")
        >>> p = negotiate.parity([v1, v1], ["en", "en"])
        >>> p.paired(), sum(p.totals().values())
        (1.0, 0)
        >>> v2 = negotiate.read("corpora/framework-v2-streamlined.txt")
        >>> negotiate.parity([v1, v2]).totals()["missing"] > 0
        True
    """
    opt = options or Options()
    if languages is None:
        languages = [d.language if d.language in lang.CODES else "und" for d in docs]
    if len(languages) != len(docs):
        raise ValueError(f"{len(docs)} versions but {len(languages)} languages")
    if not docs:
        return Parity([], [], [])
    feats = [features(d, code) for d, code in zip(docs, languages)]
    total0 = sum(f.length for f in feats[0]) or 1.0
    scales = [max(sum(f.length for f in fs), 1.0) / total0 for fs in feats]
    for fs, sc in zip(feats, scales):   # lengths in the first version's units
        for f in fs:
            f.length = f.length / sc
    scales = [1.0] * len(feats)
    rows = _align(feats, opt) if len(docs) > 1 else [[i] for i in range(len(feats[0]))]
    if len(docs) > 1:
        _fill(rows, feats, docs, scales, opt)
        _splits(rows, feats, opt)
    n = len(docs)
    issues = _compare(rows, feats, n) if n > 1 else [[] for _ in rows]
    if n > 1:
        _alternatives(rows, feats, issues, n)
    span = Counter((k, b) for cells in rows for k, b in enumerate(cells) if b is not None)
    out = []
    for cells, iss in zip(rows, issues):
        k0 = next(k for k, b in enumerate(cells) if b is not None)
        b0 = docs[k0].blocks[cells[k0]]
        label = " › ".join(b0.path) if b0.path else b0.label
        iss.sort(key=lambda i: (i.version, i.kind))
        out.append(ParityRow(list(cells), label, iss, [b is not None and span[(k, b)] > 1 for k, b in enumerate(cells)]))
    return Parity(list(docs), list(languages), out)
