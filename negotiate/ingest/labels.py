"""The paragraph-label grammar.

`match(line)` finds the label printed at the start of a line or paragraph and
says what kind of label it is. Several types may fit one label — `(i)` is the
first roman item or the ninth letter — and the structure builder decides from
context (see `structure.py`). Label words come from `negotiate.lang`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import lang, numerals

ORD = "|".join(numerals.ORDINALS)
# The characters a label's number may be written in besides digits (lang/*.LABEL_NUMERALS: 第一条, 一、).
ZH_NUM = "".join(getattr(mod, "LABEL_NUMERALS", "") for mod in lang.all_languages())
DIGIT = r"[0-9\u0660-\u0669\u06F0-\u06F9]"

# Types whose rank is fixed: a new one closes everything at or below its rank.
HEADING_RANK = {"annex": 0, "part": 1, "chapter": 2, "section-roman": 3,
                "subsection-letter": 4, "article": 5}


@dataclass(frozen=True)
class Candidate:
    type: str        # e.g. "para-arabic", "sub-letter", "sub-roman"
    value: int       # ordinal value, for telling (i) the letter from (i) the roman
    kind: str        # heading | paragraph | subparagraph


@dataclass(frozen=True)
class LabelMatch:
    label: str                      # exactly as printed
    start: int                      # offset of the label in the matched string
    end: int
    candidates: tuple[Candidate, ...]
    components: tuple[str, ...]     # path parts ("12", "Alt 1") for "12. Alt 1"
    heading_like: bool              # the rest of the line reads like a title

    @property
    def best(self) -> Candidate:
        return self.candidates[0]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in words)


_SPACES = re.compile(r"\s+")


def component(label: str) -> str:
    """The path part for a label: trailing punctuation dropped, spaces folded."""
    s = _SPACES.sub(" ", label.strip())
    s = s.rstrip(".:：、").strip()
    return s


_ORDINAL_WORDS = {w: v for mod in lang.all_languages() for w, v in getattr(mod, "ORDINAL_WORDS", {}).items()}


# Labels built around their number (附件一, 第一条: lang/*.NUMBERED_LABELS, per type a regex in which
# {N} is ZH_NUM): their words stay out of the "word number" rules, and each type's numbered forms
# follow its "word number" rule.
_NUMBERED = {t: [(mod, rx.replace("{N}", ZH_NUM)) for mod in lang.all_languages()
                 for t2, rx in getattr(mod, "NUMBERED_LABELS", ()) if t2 == t]
             for t in ("annex", "part", "chapter", "article")}


def _words(attr: str, type_: str) -> str:
    around = {w for mod, _ in _NUMBERED[type_] for w in getattr(mod, attr, ())}
    return _alt([w for w in lang.words(attr) if w not in around])


def _numbered(type_: str) -> list[tuple[str, str, str]]:
    return [(type_, "heading", rx) for _, rx in _NUMBERED[type_]]


def _build():
    annex = _words("ANNEX", "annex")
    part = _words("PART", "part")
    chapter = _words("CHAPTER", "chapter")
    article = _words("ARTICLE", "article")
    alt_words = _alt([w for w in lang.words("ALTERNATIVE")])
    pre = _alt(lang.words("PREAMBLE"))
    num = rf"(?:{DIGIT}{{1,3}}|[IVXLC]+|[A-Z])"
    ordsfx = rf"(?:[ \t]*(?:{ORD}))?"
    R = []  # (type, kind, regex) in order of preference
    # "المرفق الأول": an annex numbered by an ordinal word (lang/*.ORDINAL_WORDS).
    ordw = "|".join(re.escape(w) for w in sorted(_ORDINAL_WORDS, key=lambda w: (-len(w), w))) or "(?!)"
    R.append(("annex", "heading", rf"(?:{annex})(?:[ \t]+(?:[IVXLC]+|{DIGIT}+|[A-Z]|{ordw})(?!\w))?\.?"))
    R += _numbered("annex")
    R.append(("part", "heading", rf"(?:{part})[ \t]+(?:[IVXLC]+|{DIGIT}+|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)\b\.?"))
    R += _numbered("part")
    R.append(("chapter", "heading", rf"(?:{chapter})[ \t]+(?:[IVXLC]+|{DIGIT}+|[A-Z])\b\.?"))
    R += _numbered("chapter")
    R.append(("article", "heading", rf"(?:{article})[ \t]*(?:{DIGIT}+|premier\b|1er\b){ordsfx}(?:[ \t]*(?:{ORD}))?\b\.?"))
    R += _numbered("article")
    R.append(("alt-to", "paragraph", r"(?:Alternative|Alternatives|Variante|Alternativa)[ \t]+(?:to|à|al|a)[ \t]+"
                                     rf"(?:paragraph|paragraphe|párrafo|para\.?)[ \t]+{DIGIT}+{ordsfx}"))
    R.append(("alt", "paragraph",
              rf"(?:{DIGIT}{{1,3}}{ordsfx}\.[ \t]*)?(?:{alt_words})[ \t]*(?:{num}|\([a-zA-Z0-9]{{1,3}}\)){ordsfx}[.:：]?"))
    R.append(("pp", "paragraph", rf"(?:{pre})\.?[ \t]*{DIGIT}{{1,3}}{ordsfx}\.?"))
    # Paragraph labels of a language's own (一、, （一）: lang/*.NUMBERED_ITEMS, {N} being ZH_NUM).
    R += [(t, k, rx.replace("{N}", ZH_NUM)) for mod in lang.all_languages()
          for t, k, rx in getattr(mod, "NUMBERED_ITEMS", ())]
    R.append(("para-decimal", "paragraph", rf"{DIGIT}{{1,3}}(?:\.{DIGIT}{{1,3}})+{ordsfx}\.?"))
    # Four digits only outside 1900–2099, so that "2015. In that year" stays text.
    # "1．" with a full-width full stop, as Chinese texts number their items.
    R.append(("para-arabic", "paragraph", rf"(?:{DIGIT}{{1,3}}|1[0-8]\d\d|2[1-9]\d\d|[3-9]\d\d\d){ordsfx}[.．]"))
    R.append(("para-paren", "paragraph", rf"{DIGIT}{{1,3}}{ordsfx}\)"))
    R.append(("para-paren2", "paragraph", rf"[(（]{DIGIT}{{1,3}}{ordsfx}[)）]"))   # （1） in Chinese texts
    R.append(("paren-lower", "subparagraph", rf"\((?:[a-z]{{1,6}}|[а-я]{{1,2}})(?:[ \t]+(?:{ORD}))?\)"))
    R.append(("paren-upper", "subparagraph", rf"\([A-Z]{{1,6}}(?:[ \t]+(?:{ORD}))?\)"))
    R.append(("bare-lower", "subparagraph", r"(?:[a-z]{1,6}|[а-я])\)"))
    R.append(("dot-upper", "heading", r"[A-Z]{1,6}\."))
    R.append(("dot-lower", "subparagraph", rf"(?:[a-z]{{1,6}}|[а-я]){ordsfx}\."))
    return [(t, k, re.compile(rx)) for t, k, rx in R]


_RULES = _build()
_LEAD = re.compile(r"[ \t]*")


def _first_chars(items) -> tuple[frozenset | None, bool]:
    """The characters a parsed pattern can begin with (None: any) and whether it can match empty."""
    out: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            f, empty = {chr(av)}, False
        elif name == "IN":
            f, empty = set(), False
            for iop, iav in av:
                if str(iop) == "LITERAL":
                    f.add(chr(iav))
                elif str(iop) == "RANGE" and iav[1] - iav[0] < 5000:
                    f.update(map(chr, range(iav[0], iav[1] + 1)))
                else:           # NEGATE, CATEGORY (\w, \s), a huge range: anything
                    return None, False
        elif name == "BRANCH":
            f, empty = set(), False
            for alt in av[1]:
                g, e = _first_chars(alt)
                if g is None:
                    return None, False
                f |= g
                empty |= e
        elif name == "SUBPATTERN":
            if av[1] & re.IGNORECASE:
                return None, False
            f, empty = _first_chars(av[3])
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            f, empty = _first_chars(av[2])
            empty = empty or av[0] == 0
        elif name in ("AT", "ASSERT", "ASSERT_NOT"):
            f, empty = set(), True    # zero-width: what follows begins the match
        else:
            return None, False
        if f is None:
            return None, False
        out |= f
        if not empty:
            return frozenset(out), False
    return frozenset(out), True


def _rule_firsts() -> list[frozenset | None]:
    from re import _parser
    out = []
    for _, _, rx in _RULES:
        tree = _parser.parse(rx.pattern)
        f, empty = _first_chars(tree.data)
        out.append(None if empty or tree.state.flags & re.IGNORECASE else f)
    return out


_FIRSTS = _rule_firsts()
_BY_FIRST: dict[str, tuple] = {}


def _candidates(ch: str) -> tuple:
    """The rules that can match at a position starting with `ch`, in the list's
    order of preference (5 of the 22 for a digit, none for most letters)."""
    got = _BY_FIRST.get(ch)
    if got is None:
        got = tuple(r for r, f in zip(_RULES, _FIRSTS) if f is None or ch in f)
        if len(_BY_FIRST) < 4096:
            _BY_FIRST[ch] = got
    return got


_HEADING_WORD_TYPES = {"annex", "part", "chapter", "article"}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _heading_like(rest: str) -> bool:
    r = rest.strip().strip("*_ ")
    if not r:
        return True
    if _CJK.search(r[:5]):
        return len(r) <= 30 and not r.endswith(("。", "；", "，"))
    return len(r) <= 120 and not r.endswith((".", ";", ","))


def _split_letter_roman(body: str, type_stem: str, kind: str) -> list[Candidate]:
    """`(i)`, `v)`, `I.`: letter and roman readings, best guess first (the
    structure builder re-ranks with context)."""
    cands = []
    rv = numerals.from_roman(body)
    lv = numerals.from_letters(body)
    if rv is not None:
        cands.append(Candidate(f"{type_stem}-roman", rv, kind))
    if lv is not None:
        cands.append(Candidate(f"{type_stem}-letter", lv, kind))
    # Without context the smaller value is the likelier reading: (i)=1 not 9,
    # (c)=3 not 100.
    cands.sort(key=lambda c: c.value)
    return cands


def match(line: str, pos: int = 0) -> LabelMatch | None:
    """The label at `line[pos:]` (after spaces), or None."""
    m0 = _LEAD.match(line, pos)
    p = m0.end()
    for typ, kind, rx in _candidates(line[p:p + 1]):
        m = rx.match(line, p)
        if not m:
            continue
        label = m.group(0)
        end = m.end()
        nxt = line[end:end + 1]
        is_cjk_label = typ in ("zh-section", "zh-item") or (label and _CJK.search(label))
        if not is_cjk_label:
            # A Latin label is a whole token: followed by space, end, or markup.
            # Chinese runs the text on without a space: "1.关于提案……".
            if nxt and not (nxt.isspace() or nxt in "*_:[“\"«(—–-" or (typ == "alt" and nxt in ".:")
                            or (typ in ("para-arabic", "para-paren2") and _CJK.match(nxt))):
                continue
        nl = line.find("\n", end)
        rest = line[end:] if nl < 0 else line[end:nl]
        heading_like = _heading_like(rest)
        if typ in _READS_REST:
            res = _interpret(typ, kind, label, rest, heading_like)
            if res is None:
                continue
            cands, comps, heading_like = res
            return LabelMatch(label, p, end, tuple(cands), comps, heading_like)
        # Every other type's reading depends on the label and heading_like alone, and
        # labels repeat ("1." to "40." in every section): read each once (Candidate and
        # LabelMatch are frozen, so the tuples can be shared).
        key = (typ, kind, label, heading_like)
        hit = _READ.get(key, _UNREAD)
        if hit is _UNREAD:
            res = _interpret(typ, kind, label, rest, heading_like)
            hit = None if res is None else (tuple(res[0]), res[1], res[2])
            if len(_READ) < 8192:
                _READ[key] = hit
        if hit is None:
            continue
        # The match itself is kept too (frozen, so shared): a frozen dataclass's
        # __init__ costs a fifth of a match, and "1." at column 0 recurs in every section.
        lm = _MATCHES.get((key, p, end))
        if lm is None:
            lm = LabelMatch(label, p, end, hit[0], hit[1], hit[2])
            if len(_MATCHES) < 8192:
                _MATCHES[(key, p, end)] = lm
        return lm
    return None


# The types whose reading also looks at the rest of the line (see _interpret).
_READS_REST = frozenset({"zh-section", "zh-item", "para-decimal"})
_READ: dict[tuple[str, str, str, bool], tuple[tuple[Candidate, ...], tuple[str, ...], bool] | None] = {}
_UNREAD = object()
_MATCHES: dict[tuple[tuple[str, str, str, bool], int, int], LabelMatch] = {}


_PARENS_WORD = re.compile(r"[().]|\s+\w+$")
_ORD_END = re.compile(rf"\s+(?:{ORD})$")
_PREMIER = re.compile(r"\bpremier\b")
_ALT_SPLIT = re.compile(rf"^({DIGIT}{{1,3}}(?:[ \t]*(?:{ORD}))?)\.[ \t]*(.+)$")


def _interpret(typ, kind, label, rest, heading_like):
    comp = component(label)
    if typ in _HEADING_WORD_TYPES:
        # Words such as "Article" also open ordinary sentences ("Article 4 of
        # the Convention provides …"): a label only when the rest reads as a title.
        if not _CJK.search(label) and not heading_like:
            return None
        return [Candidate(typ, _value_of(label), "heading")], (comp,), True
    if typ == "alt":
        m = _ALT_SPLIT.match(comp)
        if m:
            return [Candidate("alt", 0, kind)], (component(m.group(1)), component(m.group(2))), heading_like
        return [Candidate("alt", _value_of(label), kind)], (comp,), heading_like
    if typ in ("paren-lower", "paren-upper", "bare-lower", "dot-upper", "dot-lower"):
        body = _PARENS_WORD.sub("", label) if typ != "dot-upper" else label[:-1]
        body = _ORD_END.sub("", body.strip("()"))
        if typ == "dot-lower":
            body = _ORD_END.sub("", label[:-1])
        stem = {"paren-lower": "sub", "paren-upper": "subu", "bare-lower": "subb", "dot-upper": "sec",
                "dot-lower": "subd"}[typ]
        k = kind
        cands = _split_letter_roman(body, stem, k)
        if not cands:
            return None
        if typ == "dot-upper":
            # "I." opens a section, "A." a sub-section: headings when they
            # read like a title, otherwise lettered paragraphs.
            out = []
            for c in cands:
                t = "section-roman" if c.type.endswith("roman") else "subsection-letter"
                out.append(Candidate(t, c.value, "heading" if heading_like else "paragraph"))
            return out, (comp,), heading_like
        return cands, (comp,), heading_like
    if typ == "zh-section":
        k = "heading" if heading_like and rest.strip() else "paragraph"
        return [Candidate(typ, numerals.from_chinese(label[:-1]) or 0, k)], (comp,), heading_like
    if typ == "zh-item":
        # "(一) 目标" is a sub-section title; "(一) “公约”是指……。" an item.
        r = rest.strip()
        k = "heading" if r and len(r) <= 20 and not r.endswith(("。", "；", "，", "：")) else kind
        return [Candidate(typ, numerals.from_chinese(label[1:-1]) or 0, k)], (comp,), heading_like
    if typ == "para-decimal" and rest[:1].isspace() and rest.lstrip()[:1] in ("°", "%") or (
            typ == "para-decimal" and rest.lstrip()[:1].islower()):
        return None  # "1.5 °C", "2.5 per cent" wrapped onto a new line
    return [Candidate(typ, _value_of(label), kind)], (comp,), heading_like


_NUM_IN = re.compile(rf"{DIGIT}+|[IVXLC]+\b|[{ZH_NUM}]+|\b[A-Z]\b")


def _value_of(label: str) -> int:
    if _PREMIER.search(label):     # "Article premier": French for Article 1
        return 1
    # The number follows the word: "ANNEX I" is 1, not the X of ANNEX.
    words = label.rstrip(".:：、").split()
    if len(words) > 1 and words[-1] in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[words[-1]]
    m = _NUM_IN.search(words[-1]) if len(words) > 1 else None
    if m is None or m.start() > 0:
        m = _NUM_IN.search(label)
    if not m:
        return 0
    t = m.group(0)
    for f in (numerals.from_digits, numerals.from_roman, numerals.from_chinese, numerals.from_letters):
        v = f(t)
        if v is not None:
            return v
    return 0


_DEBRIS = re.compile(r"[ \t]*(?:[-–]?[ \t]*\d{1,2}[ \t]+)?")


def match_article(line: str, pos: int = 0) -> LabelMatch | None:
    """An article (or annex) label even when the rest of the line is the article's whole
    text ("المادة 1 استخدام المصطلحات لأغراض …", an OCR extraction with one
    article a line), where `match` declines, since "Article 4 of the
    Convention provides …" also opens sentences. Callers accept it only when
    the number is the next in sequence."""
    p = _DEBRIS.match(line, pos).end()     # "-1 المادة 14": list numbers left over by OCR
    for typ, _kind, rx in _RULES:
        if typ not in ("article", "annex"):
            continue
        m = rx.match(line, p)
        if typ == "annex" and m and _value_of(m.group(0)) == 0:
            continue    # "Annex" alone opening a sentence is no label; "المرفق الأول …" is
        if m and (m.end() == len(line) or line[m.end()].isspace()):
            label = m.group(0)
            return LabelMatch(label, p, m.end(), (Candidate(typ, _value_of(label), "heading"),),
                              (component(label),), False)
    return None


def classify(label: str) -> LabelMatch | None:
    """Classify a label computed elsewhere (Word's automatic numbering)."""
    m = match(label.strip() + " ")
    if m and m.label == label.strip():
        return m
    return None
