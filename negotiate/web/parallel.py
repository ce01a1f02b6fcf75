"""Language versions side by side: the parallel text that Compare shows for two versions in
different languages (paired by labels, numbers and position, never diffed), and the table the
Parity page shows for any number of them. Every text put into HTML is escaped here."""
from __future__ import annotations

from html import escape

import streamlit as st

from .. import lang
from ..errors import NegotiateError
from ..model import PARITY_KINDS
from . import cache

NAMES = {"en": "English", "fr": "French", "es": "Spanish", "ru": "Russian", "ar": "Arabic", "zh": "Chinese",
         "und": "an undetermined language"}
# The text keeps the theme's own colour (light or dark) over translucent tints: fixed light
# backgrounds under the dark theme's light text fell to 1.1:1 (a chromium check of computed colours).
CSS = """
.par{border-collapse:collapse;width:100%;table-layout:fixed;font-size:14px}
.par th,.par td{border:1px solid rgba(128,128,128,.45);padding:4px 6px;vertical-align:top;overflow-wrap:anywhere}
.par th{background:rgba(128,128,128,.18);position:sticky;top:0}
.par td.bad{background:rgba(255,166,0,.16);border-left:4px solid #b35c00}
.par td.none{background:rgba(128,128,128,.1);font-style:italic;opacity:.85}
.par .lab{font-weight:bold;margin-right:.4em}
.par .iss{display:block;margin-top:3px;font-size:12px;text-decoration:underline dotted}
.par .rowlab{font-size:12px;opacity:.85}
.par a{color:inherit}
[dir=rtl]{text-align:right}
"""


def _key(e) -> tuple[str, str, str]:
    return (e.sha256, e.filename, getattr(e, "reading", ""))


@st.cache_data(max_entries=8, show_spinner=False)
def check(keys: tuple[tuple[str, str, str], ...], languages: tuple[str, ...] | None = None):
    """Parity of stored versions, cached on their sha256 (a pure function of its arguments)."""
    from ..parity import parity
    return parity([cache.document(*k) for k in keys], list(languages) if languages else None)


def _language(doc) -> str:
    return doc.language if doc.language in lang.CODES else "und"


def rows_html(p, names: list[str], links: list[str | None] | None = None, kinds: set[str] | None = None,
              only_issues: bool = True, limit: int = 800) -> tuple[str, int]:
    """The rows as an HTML table, one column a version; a version's cell is highlighted where
    it departs from the others. `links[k]` is a URL prefix for version k's paragraphs."""
    heads = "".join(f"<th>{escape(n)}</th>" for n in names)
    out, shown = [], 0
    for r, row in enumerate(p.rows):
        issues = [i for i in row.issues if kinds is None or i.kind in kinds]
        if only_issues and not issues:
            continue
        shown += 1
        if shown > limit:
            continue
        cells = []
        for k, b in enumerate(row.blocks):
            mine = [i for i in issues if i.version == k]
            notes = "".join(f'<span class="iss">{escape(i.kind)}: {escape(i.detail)}</span>' for i in mine)
            if b is None:
                cells.append(f'<td class="none{" bad" if mine else ""}">(no paragraph){notes}</td>')
                continue
            blk = p.documents[k].blocks[b]
            text = blk.text if len(blk.text) <= 600 else blk.text[:600] + " …"
            label = escape(blk.label) if blk.label else ""
            if links and links[k]:
                label = f'<a href="{escape(links[k] + str(b), quote=True)}" target="_self">{label or "¶"}</a>'
            more = " <i>(continued)</i>" if row.shared[k] and r and p.rows[r - 1].blocks[k] == b else ""
            rtl = ' dir="rtl"' if p.languages[k] == "ar" else ""
            cells.append(f'<td{rtl} class="{"bad" if mine else ""}"><span class="lab">{label}</span>'
                         f'{escape(text) if not more else ""}{more}{notes}</td>')
        out.append(f'<tr id="row-{r}"><td class="rowlab">{escape(row.label)}</td>{"".join(cells)}</tr>')
    table = (f'<style>{CSS}</style><table class="par"><tr><th style="width:12%">row</th>{heads}</tr>'
             f'{"".join(out)}</table>')
    return table, shown


def show(old, new, old_label: str | None = None, new_label: str | None = None) -> bool:
    """Compare's hook: when the two versions are in different languages, show them as a parallel
    text instead of a diff and return True; otherwise do nothing and return False.

    `old` and `new` are stored entries (with sha256 and filename) or Documents."""
    try:
        docs = [x if hasattr(x, "blocks") else cache.document(*_key(x)) for x in (old, new)]
    except NegotiateError as e:
        st.error(e.oneline())
        return True
    langs = [_language(d) for d in docs]
    if langs[0] == langs[1]:
        return False
    names = [old_label or getattr(old, "label", "") or docs[0].path, new_label or getattr(new, "label", "") or docs[1].path]
    st.warning(f"These two versions are in different languages ({NAMES[langs[0]]} and {NAMES[langs[1]]}): "
               f"they are shown as a parallel text, by article and paragraph — paired by labels, numbers and "
               f"position — not as a diff. Highlighted cells are where one version departs from the other "
               f"(a missing paragraph, a label, a number, a reference, brackets).")
    if hasattr(old, "blocks"):
        from ..parity import parity
        p = parity(docs, langs)
    else:
        p = check((_key(old), _key(new)), tuple(langs))
    only = st.toggle("Only paragraphs that differ", value=False, key="par_cmp_only")
    table, shown = rows_html(p, [f"{n} ({langs[k]})" for k, n in enumerate(names)], only_issues=only)
    t = p.totals()
    st.caption(f"{len(p.rows)} rows, {p.paired():.0%} paired · "
               + (", ".join(f"{v} {k}" for k, v in t.items() if v) or "no difference found"))
    st.html(table)
    return True


def kinds_filter(p, key: str) -> set[str]:
    t = p.totals()
    chosen = st.multiselect("Kinds of difference", list(PARITY_KINDS), default=[k for k in PARITY_KINDS if t.get(k)],
                            format_func=lambda k: f"{k} ({t.get(k, 0)})", key=key)
    return set(chosen)
