"""Delegations' views noted in a draft's comments → who said what, where.

In the party-inputs drafts of a UNFCCC session the delegations' interventions are not tracked
changes: the secretariat's note-takers record them as Word comments anchored to the text, one
line a delegation — "US: Delete “authorized”", "LMDC: should", "Japan, US: no issuance function",
"16 November – IC" for the informal consultation they come from. This module reads those lines
into plain rows (`View`): the party or parties, what they said, a rough kind (a deletion asked
for, wording proposed, support, objection, or another view) and the quoted wording if any.

It does not turn views into consolidated text: most are positions, not wording, and the few
that ask for a deletion or quote new words still say nothing exact about where the new words go.
A secretariat enters those as proposals; the rows show them where to look.
"""
from __future__ import annotations

import re

from .model import View
from .parties import DEFAULT_PARTIES, Parties

# Spellings the note-takers use that are not names in parties.py, with the name they stand for.
ALIASES = {"u.s": "US", "u.s.": "US", "u.s.a": "US", "usa": "US", "nz": "New Zealand", "ch": "Switzerland",
           "turkiye": "Türkiye", "can": "Canada", "groupo sur": "Grupo Sur", "grupo sur": "Grupo Sur"}

_HEADER = re.compile(r"^\s*(\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b.*|\[[^\]]*\])\s*$", re.I)
_SEP = re.compile(r"^\s*(,|;|&|/|\band\b)\s*", re.I)
_LEAD = re.compile(r"^\s*[:–—\-]+\s*")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,})[”\"]|proposed language:\s*(.+)", re.I)
KINDS = (("delete", re.compile(r"\b(delet\w*|detele|del|remov\w*|strike)\b", re.I)),
         ("wording", re.compile(r"\b(replace|proposed language|instead of|insert|add|reword|streamline)\b|[“\"]", re.I)),
         ("objection", re.compile(r"\b(against|not (?:supported|accept\w*|agree\w*|happy|acceptable)|reservations?|"
                                  r"concerns?|problematic|oppos\w*|no\b)", re.I)),
         ("support", re.compile(r"\b(support\w*|retain|ok|agree\w*|happy|appropriate)\b", re.I)))


def _party_at(words: list[str], i: int, parties: Parties) -> tuple[str, int] | None:
    """The longest party name starting at word i: (canonical name, words used)."""
    for n in range(min(7, len(words) - i), 0, -1):
        raw = " ".join(words[i:i + n])
        name = raw.rstrip(":,;–-").strip()
        alias = ALIASES.get(name.casefold())
        if alias:
            return alias, n
        if name and parties.known(name):
            return parties.canonical(name), n
    return None


def _split(line: str, parties: Parties) -> tuple[tuple[str, ...], str]:
    """'U.S, Canada, Japan: Delete the recalling paras' → (('US', 'Canada', 'Japan'), 'Delete the recalling paras')."""
    found: list[str] = []
    rest = line.strip()
    while rest:
        words = rest.split()
        hit = _party_at(words, 0, parties)
        if hit is None:
            break
        name, n = hit
        # the matched words, and any punctuation glued to the last one
        consumed = " ".join(words[:n])
        rest = rest[rest.index(consumed) + len(consumed):]
        found.append(name)
        m = _SEP.match(rest)
        if m:
            rest = rest[m.end():]
        elif not _LEAD.match(rest) and rest[:1] not in ("", " ", "\t"):
            break
    if not found:
        return (), line.strip()
    return tuple(dict.fromkeys(found)), _LEAD.sub("", rest).strip()


def _kind(text: str) -> str:
    for kind, rx in KINDS:
        if rx.search(text):
            return kind
    return "view"


def views(doc, parties: Parties = DEFAULT_PARTIES) -> list[View]:
    """Every delegation's view in a document's comments, in the comments' order, one row a line."""
    extra = Parties(extra=("Grupo Sur",)) if parties is DEFAULT_PARTIES else parties
    out: list[View] = []
    for c in getattr(doc, "comments", []) or []:
        meeting, last = "", ()
        pending: tuple[str, ...] | None = None          # "Pakistan" alone on a line: its view follows
        for line in (c.text or "").splitlines():
            if not line.strip():
                last = ()
                continue
            if _HEADER.match(line):
                meeting = line.strip().strip("[]")
                continue
            who, said = _split(line, extra)
            if who and not said:
                pending = who
                continue
            if not who:
                who = pending or last
            pending = None
            last = who
            q = _QUOTED.search(said)
            out.append(View(parties=who, text=said, kind=_kind(said), wording=(q.group(1) or q.group(2)).strip() if q else "",
                            block=c.block, anchor=c.anchor, noted_by=c.author, date=c.date, comment=c.id, meeting=meeting))
        if pending:
            out.append(View(parties=pending, text="", kind="view", wording="", block=c.block, anchor=c.anchor,
                            noted_by=c.author, date=c.date, comment=c.id, meeting=meeting))
    return out
