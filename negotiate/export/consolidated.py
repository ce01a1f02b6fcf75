"""The consolidated text as printed: options in brackets, each followed by its
supporters (`Style`: which brackets, where the supporters go), `Alt`
paragraphs, deletions — `render_unit` per unit, `render_text` for the whole.

Rendering only: it reads a `model.Consolidated` (from `negotiate.consolidate`)
and never consolidates again. Moved here from `consolidate.py` (issue #16);
`negotiate.consolidate.Style`, `render_unit`, `render_text` still work.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import BRACKET_CHARS, BRACKET_PAIRS, Consolidated, Option, Unit

_BRACKET_CHARS = BRACKET_CHARS

# The styles' names for the model's bracket pairs: ("[", "]"), ("［", "］"), ("【", "】").
BRACKETS = dict(zip(("square", "fullwidth", "lenticular"), BRACKET_PAIRS.items(), strict=True))
ATTRIBUTIONS = ("after", "inside", "prefix")


@dataclass
class Style:
    """How options are printed: bracket characters and where supporters go."""
    brackets: str = "square"        # square | fullwidth | lenticular
    attribution: str = "after"      # after: [a] (EU) · inside: [a (EU)] · prefix: [EU: a]


def _who(parties: list[str]) -> str:
    return ", ".join(parties)


def _plain(attribution: str) -> str:
    return attribution


Mark = Callable[[str], str]   # wraps an attribution "(EU, AOSIS)" so that a writer can set it apart


def _unbracketed(t: str) -> str:
    return " ".join(t.translate({ord(ch): None for ch in _BRACKET_CHARS}).split())


def _set(options: list[Option], st: Style, base_text: str | None = None, mark: Mark = _plain) -> str:
    o, c = BRACKETS[st.brackets]
    if len({_unbracketed(x.text) for x in options}) == 1:
        # The parties differ only in brackets: the text stays disputed as long
        # as anyone brackets it, so the most bracketed wording is shown.
        return max(options, key=lambda x: sum(x.text.count(ch) for ch in _BRACKET_CHARS)).text
    full = [x for x in options if x.text.strip()]
    empty = [p for x in options if not x.text.strip() for p in x.parties]
    lead = " " if full and all(x.text[:1].isspace() for x in full) else ""
    tail = " " if full and all(x.text[-1:].isspace() for x in full) else ""
    parts = []
    for x in full:
        t = x.text.strip()
        if st.attribution == "inside":
            parts.append(f"{o}{t} {mark(f'({_who(x.parties)})')}{c}")
        elif st.attribution == "prefix":
            parts.append(f"{o}{_who(x.parties)}: {t}{c}")
        else:
            parts.append(f"{o}{t}{c} {mark(f'({_who(x.parties)})')}")
    sep = "" if st.attribution in ("inside", "prefix") else " "
    out = sep.join(parts)
    if empty:
        # Text that is not in the base was added by its supporters: the others did not propose
        # a deletion, their texts simply do not have it.
        word = "delete" if base_text is None or not full or any(x.text.strip() in base_text for x in full) else "not in"
        who = mark(f"({word}: {_who(empty)})")
        out += f" {who}" if out else f"{o}{c} {who}"
    return lead + out + tail


def render_unit(u: Unit, st: Style | None = None, mark: Mark = _plain) -> list[tuple[str, str]]:
    """The unit as printed in the consolidated text: (label, text) paragraphs.
    `mark` wraps each attribution in parentheses (the .docx writer sets them in italics)."""
    st = st or Style()
    o, c = BRACKETS[st.brackets]
    if u.alternatives is not None:
        out = []
        for k, alt in enumerate(u.alternatives, 1):
            lab = f"{u.label} Alt {k}".strip() if k == 1 else f"Alt {k}"
            out.append((lab, f"{alt.text} {mark(f'({_who(alt.parties)})')}"))
        if u.absent:
            out.append((f"Alt {len(u.alternatives) + 1}", f"{o}No text{c} {mark(f'({_who(u.absent)})')}"))
        return out
    text = "".join(s.shared if s.shared is not None else _set(s.options or [], st, u.base_text if u.in_base else None, mark)
                   for s in u.segments)
    if u.absent and u.labels:
        if u.in_base:
            text = f"{o}{text}{c} {mark(f'(delete: {_who(u.absent)})')}"
        else:
            text = f"{o}{text}{c} {mark(f'({_who(u.present)})')}"
    return [(u.label, text)]


def render_html(c: Consolidated, st: Style | None = None, picks: dict[int, str] | None = None,
                picked: str = "picked") -> str:
    """The consolidated text as HTML paragraphs, every text escaped; a unit in `picks`
    shows the chosen wording instead, as inserted and marked `(picked)`."""
    from html import escape
    out = []
    for i, u in enumerate(c.units):
        if not u.labels:
            continue
        if picks and i in picks:
            out.append(f"<p><b>{escape(u.label)}</b> <ins>{escape(picks[i])}</ins> <i>({escape(picked)})</i></p>")
            continue
        for lab, t in render_unit(u, st):
            out.append(f"<p><b>{escape(lab)}</b> {escape(t)}</p>")
    return "".join(out)


def render_text(c: Consolidated, st: Style | None = None) -> str:
    """The consolidated text as plain text, paragraphs separated by blank lines."""
    lines = []
    for u in c.units:
        if not u.labels:
            continue
        for lab, t in render_unit(u, st):
            lines.append(f"{lab} {t}".strip() if lab else t)
    return "\n\n".join(lines) + "\n"
