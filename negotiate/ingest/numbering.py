"""Word's automatic numbering, computed the way Word shows it.

The number of a paragraph is not in its text: `w:numPr` (on the paragraph or its
style) points to a `w:num`, which points to an abstract definition with one
`w:lvl` per level: start value, format (decimal, lowerLetter, upperRoman …),
level text (`%1.`, `(%2)`), restart rules. Counters belong to the abstract
definition, so two `w:num` that share one continue one sequence; a
`w:startOverride` restarts the level of the first paragraph of its `w:num`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import numerals
from .ooxml import on, qn, wval

# Word's own range for start values and overrides (ST_DecimalNumber as Word
# accepts it); a crafted w:start="99999999999999999999" must not build a
# numeral of gigabytes. Labels are cut to a bounded length as well.
MAX_VALUE = 32767
MAX_LABEL = 64
MAX_LEVEL_TEXT = 64


def clamp(n: int) -> int:
    return 0 if n < 0 else MAX_VALUE if n > MAX_VALUE else n


def _int(s, default: int) -> int:
    """An integer attribute clamped to Word's range; `default` when unreadable.
    Only the first digits are converted: int() of a 100,000-digit string costs
    time (and fails past 4,300 digits)."""
    t = str(s).strip()
    digits = t.lstrip("+-")
    if not digits.isdecimal() or not digits.isascii():
        return default
    v = int(digits[:12])
    return clamp(-v if t.startswith("-") else v)


MAX_ILVL = 8   # Word has nine list levels, 0–8


def level_index(s) -> int | None:
    """A w:ilvl value, None when unreadable, clamped to Word's levels."""
    t = str(s).strip()
    if not t.isdecimal() or not t.isascii():
        return None
    return min(int(t[:4]), MAX_ILVL)


_BULLET_MAP = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓",
               "\uf06e": "■", "\uf0a8": "◆", "\uf02d": "-", "o": "o"}


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None   # None: after any higher level; 0: never
    legal: bool = False
    pstyle: str = ""


@dataclass
class Abstract:
    id: str
    levels: dict[int, Level] = field(default_factory=dict)
    style_link: str = ""       # numStyleLink: the definition lives in a numbering style


@dataclass
class Num:
    id: str
    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


def _level(el) -> Level:
    lv = Level()
    s = el.find(qn("w:start"))
    if s is not None:
        lv.start = _int(wval(s, "1"), 1)
    f = el.find(qn("w:numFmt"))
    if f is not None:
        lv.fmt = wval(f, "decimal")
    t = el.find(qn("w:lvlText"))
    lv.text = (wval(t, "") if t is not None else "")[:MAX_LEVEL_TEXT]
    r = el.find(qn("w:lvlRestart"))
    if r is not None:
        lv.restart = level_index(wval(r, "0"))
        if lv.restart is not None:
            lv.restart = min(lv.restart, MAX_ILVL + 1)
    lv.legal = on(el.find(qn("w:isLgl")))
    ps = el.find(qn("w:pStyle"))
    lv.pstyle = wval(ps, "") or ""
    return lv


def format_number(n: int, fmt: str) -> str:
    return _format_number(clamp(n) if not 0 <= n <= MAX_VALUE else n, fmt)[:MAX_LABEL]


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("decimal", "decimalZero") or not fmt:
        return f"{n:02d}" if fmt == "decimalZero" and n < 10 else str(n)
    if fmt == "lowerLetter":
        return numerals.to_letters(n)
    if fmt == "upperLetter":
        return numerals.to_letters(n, upper=True)
    if fmt == "lowerRoman":
        return numerals.to_roman(n, upper=False)
    if fmt == "upperRoman":
        return numerals.to_roman(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional",
               "taiwaneseCounting", "japaneseCounting", "ideographDigital", "chineseLegalSimplified"):
        return numerals.to_chinese(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "russianLower":
        return "абвгдежзиклмнопрстуфхцчшщэюя"[(n - 1) % 28] * ((n - 1) // 28 + 1)
    if fmt == "russianUpper":
        return "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯ"[(n - 1) % 28] * ((n - 1) // 28 + 1)
    if fmt in ("hindiNumbers", "arabicAbjad", "arabicAlpha"):
        return str(n).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    if fmt == "ordinal":
        suf = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suf}"
    if fmt == "none":
        return ""
    return str(n)


_PLACE = re.compile(r"%([1-9])")


class Numbering:
    """Definitions from numbering.xml and styles.xml, plus the running counters."""

    def __init__(self, numbering_root=None, styles=None):
        self.abstracts: dict[str, Abstract] = {}
        self.nums: dict[str, Num] = {}
        self.styles = styles or {}          # styleId → StyleInfo
        self.counters: dict = {}
        self.started: set[str] = set()
        if numbering_root is not None:
            self._load(numbering_root)

    def _load(self, root):
        for a in root.iter(qn("w:abstractNum")):
            ab = Abstract(a.get(qn("w:abstractNumId")))
            for lvl in a.findall(qn("w:lvl")):
                il = level_index(lvl.get(qn("w:ilvl"), "0"))
                if il is not None:
                    ab.levels[il] = _level(lvl)
            link = a.find(qn("w:numStyleLink"))
            if link is not None:
                ab.style_link = wval(link, "")
            self.abstracts[ab.id] = ab
        for n in root.iter(qn("w:num")):
            an = n.find(qn("w:abstractNumId"))
            num = Num(n.get(qn("w:numId")), wval(an, ""))
            for ov in n.findall(qn("w:lvlOverride")):
                il = level_index(ov.get(qn("w:ilvl"), "0"))
                if il is None:
                    continue
                so = ov.find(qn("w:startOverride"))
                if so is not None:
                    num.start_overrides[il] = _int(wval(so, "1"), 1)
                lv = ov.find(qn("w:lvl"))
                if lv is not None:
                    num.level_overrides[il] = _level(lv)
            self.nums[num.id] = num

    def abstract_of(self, num_id: str, depth: int = 0) -> Abstract | None:
        num = self.nums.get(num_id)
        if num is None:
            return None
        ab = self.abstracts.get(num.abstract)
        if ab is not None and ab.style_link and not ab.levels and depth < 5:
            st = self.styles.get(ab.style_link)
            if st is not None and st.num_id and st.num_id != num_id:
                return self.abstract_of(st.num_id, depth + 1)
        return ab

    def level_of_style(self, num_id: str, style_id: str) -> int | None:
        ab = self.abstract_of(num_id)
        if ab is None:
            return None
        for il, lv in ab.levels.items():
            if lv.pstyle == style_id:
                return il
        return None

    def _lvl(self, num: Num, ab: Abstract, il: int) -> Level | None:
        return num.level_overrides.get(il) or ab.levels.get(il)

    def next_label(self, num_id: str, ilvl: int) -> tuple[str, str]:
        """Advance the counters for one numbered paragraph; return (label, abstract id)."""
        num = self.nums.get(num_id)
        ab = self.abstract_of(num_id)
        if num is None or ab is None:
            return "", ""
        ilvl = min(max(ilvl, 0), MAX_ILVL)
        lvl = self._lvl(num, ab, ilvl)
        if lvl is None:
            return "", ab.id
        counters = self.counters.setdefault(ab.id, {})
        if num_id not in self.started and ilvl in num.start_overrides:
            # A list instance's start override takes effect at its first
            # paragraph, for that paragraph's level; the sequence itself stays
            # shared with the other instances of the abstract definition. This
            # reproduces what Word and LibreOffice show on the COP29 drafts.
            counters[ilvl] = num.start_overrides[ilvl]
        elif ilvl in counters:
            counters[ilvl] += 1
        else:
            counters[ilvl] = lvl.start
        self.started.add(num_id)
        for k in range(ilvl):
            # A level never used so far counts as started at its start value:
            # Word numbers the next paragraph at that level start + 1.
            if k not in counters and self._lvl(num, ab, k) is not None:
                counters[k] = self._lvl(num, ab, k).start
        for d in list(k for k in counters if isinstance(k, int) and k > ilvl):
            dl = self._lvl(num, ab, d)
            restart = dl.restart if dl is not None else None
            if restart is None or (restart != 0 and ilvl <= restart - 1):
                del counters[d]
        if lvl.fmt == "bullet":
            ch = lvl.text or "•"
            return _BULLET_MAP.get(ch, ch)[:MAX_LABEL], ab.id

        def sub(m):
            k = int(m.group(1)) - 1
            kl = self._lvl(num, ab, k)
            if kl is None:
                return ""
            val = counters.get(k, kl.start)
            fmt = "decimal" if (lvl.legal and kl.fmt not in ("decimal", "decimalZero")) else kl.fmt
            return format_number(val, fmt)

        return _PLACE.sub(sub, lvl.text).strip()[:MAX_LABEL], ab.id
