"""Numbers as negotiating texts print them: roman, letters, Chinese, Latin
ordinals (bis, ter, …), in both directions."""
from __future__ import annotations

from .lang import zh as _zh

ORDINALS = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies",
            "novies", "decies", "undecies", "duodecies", "terdecies", "quaterdecies", "quindecies",
            "sexdecies", "septdecies", "octodecies", "novodecies")

_ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90),
          ("l", 50), ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def to_roman(n: int, upper: bool = True) -> str:
    if n <= 0:
        return str(n)
    out = []
    for sym, val in _ROMAN:
        while n >= val:
            out.append(sym)
            n -= val
    s = "".join(out)
    return s.upper() if upper else s


def from_roman(s: str) -> int | None:
    """Value of a canonical roman numeral, None when `s` is not one."""
    low = s.lower()
    if not low or any(c not in "ivxlcdm" for c in low):
        return None
    total, i = 0, 0
    for sym, val in _ROMAN:
        while low.startswith(sym, i):
            total += val
            i += len(sym)
    if i != len(low) or to_roman(total, upper=False) != low:
        return None
    return total


def to_letters(n: int, upper: bool = False) -> str:
    """Word's letter numbering: a..z, then aa..zz, aaa.. (repeat, not base-26)."""
    if n <= 0:
        return str(n)
    ch = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
    return ch.upper() if upper else ch


def from_letters(s: str) -> int | None:
    low = s.lower()
    if not low or len(set(low)) != 1:
        return None
    c = low[0]
    if "a" <= c <= "z":
        return (ord(c) - ord("a") + 1) + 26 * (len(low) - 1)
    if "а" <= c <= "я":  # Cyrillic а, б, в …
        return (ord(c) - ord("а") + 1) + 32 * (len(low) - 1)
    return None


_ZH_DIGITS = _zh.NUMERAL_DIGITS   # language data lives in lang/ (issue #16)
_ZH_UNITS = _zh.NUMERAL_UNITS


def from_chinese(s: str) -> int | None:
    if not s or any(c not in _ZH_DIGITS and c not in _ZH_UNITS for c in s):
        return None
    total, cur = 0, 0
    for c in s:
        if c in _ZH_DIGITS:
            cur = _ZH_DIGITS[c]
        else:
            total += (cur or 1) * _ZH_UNITS[c]
            cur = 0
    return total + cur


def to_chinese(n: int) -> str:
    if n <= 0:
        return str(n)
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = digits[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + digits[rest]
        return head + (to_chinese(rest) if rest >= 20 else "一" + to_chinese(rest))
    return str(n)


_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def from_digits(s: str) -> int | None:
    t = s.translate(_ARABIC_INDIC)
    return int(t) if t.isdigit() else None


def ordinal_rank(word: str) -> int:
    """bis → 1, ter → 2 …; 0 for no ordinal."""
    w = word.strip().lower()
    return ORDINALS.index(w) + 1 if w in ORDINALS else 0
