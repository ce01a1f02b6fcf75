"""What every page shares: the negotiation chosen in the sidebar, entry names,
pickers, the page's state in the address (query string), and safe HTML.

Everything a user or a draft supplied (labels, party names, file names, texts,
error messages) reaches `st.html` only through `esc` or a renderer that escapes
(export/html). Streamlit's own widgets (st.markdown excepted) show plain text;
st.markdown gets `md_text` so that a label like `**EU**` or `<b>` is shown as typed.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from html import escape
from urllib.parse import urlencode

import streamlit as st

from .. import cache


def esc(text) -> str:
    return escape("" if text is None else str(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#!|~$&])")


def md_text(text) -> str:
    """Text for st.markdown / st.subheader shown literally: Markdown and HTML characters escaped."""
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


# -- the page's state in the address ---------------------------------------------------------------
def from_address(widget_key: str, param: str, parse=str, valid=None) -> None:
    """Before a widget is made: give it the value in the query string (a shared link,
    a reload), else the value it had when the user last left the page."""
    in_session = widget_key in st.session_state
    kept = st.session_state.get("_kept", {}).get(widget_key)
    raw = st.query_params.get_all(param) if param else []
    value = None
    if raw:
        try:
            value = list(raw) if parse is list else parse(raw[0])
        except (ValueError, TypeError):
            value = None
    if value is not None and (valid is None or valid(value)):
        # In a session the widget keeps its value, unless the address says otherwise than what
        # the page last wrote there: then it was followed as a link or with Back (Streamlit keeps
        # the session when a link is opened in the same tab), and the address wins.
        if not in_session or (kept is not None and value != kept):
            st.session_state[widget_key] = value
        return
    if not in_session and kept is not None and (valid is None or valid(kept)):
        st.session_state[widget_key] = kept


def to_address(widget_key: str, param: str, value, default=None) -> None:
    """After a widget is made: its value into the query string and kept for the next visit."""
    st.session_state.setdefault("_kept", {})[widget_key] = value
    if value in (None, "", [], default):
        if param in st.query_params:
            del st.query_params[param]
        return
    put(param, value)


def put(param: str, value) -> None:
    """A value into the query string, only if the address does not hold it already: each write is
    a message to the browser, which writes its history entry again for it (a few ms apiece in
    chromium), and a page wrote the same three or four values on every run."""
    new = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    if st.query_params.get_all(param) != new:
        st.query_params[param] = new if isinstance(value, (list, tuple)) else new[0]


def link(page: str, **params) -> str:
    """A relative link to a page with its state; opens in the same tab (a fresh session reads the query)."""
    q = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    return f"{page}?{q}" if q else page


# -- the negotiation ----------------------------------------------------------------------------------
def sidebar() -> None:
    s = cache.store()
    negs = s.negotiations()
    if not negs:
        return
    ids = [n["id"] for n in negs]
    # A page that created or opened a negotiation asks for it here, before the widget exists
    # (setting a widget's value after it is made is an error in Streamlit).
    if "negotiation_next" in st.session_state:
        st.session_state["negotiation"] = st.session_state.pop("negotiation_next")
    from_address("negotiation", "n", int, lambda v: v in ids)
    if st.session_state.get("negotiation") not in ids:
        st.session_state["negotiation"] = ids[0]
    names = {n["id"]: n["name"] for n in negs}
    nid = st.sidebar.selectbox("Negotiation", ids, key="negotiation", format_func=lambda i: names[i])
    put("n", nid)
    st.session_state.setdefault("_kept", {})["negotiation"] = nid


def current():
    s = cache.store()
    nid = st.session_state.get("negotiation")
    if nid is None:
        negs = s.negotiations()
        nid = negs[0]["id"] if negs else None
    return s, nid


def key(e) -> tuple[str, str, str]:
    return (e.sha256, e.filename, e.reading)


def entry_name(e) -> str:
    who = f" — {e.party}" if e.party else ""
    when = f" ({e.date})" if e.date else ""
    return f"{e.label}{who}{when}"


def pick(where, label: str, entries, key: str, index: int = 0, param: str | None = None):
    """A select box of stored versions or proposals; returns the chosen entry. With `param`,
    the choice is read from and written to the query string."""
    by_id = {e.id: e for e in entries}
    if param:
        from_address(key, param, int, lambda v: v in by_id)
    if st.session_state.get(key) is not None and st.session_state[key] not in by_id:
        del st.session_state[key]          # an entry of another negotiation, or removed
    eid = where.selectbox(label, list(by_id), index=min(index, len(by_id) - 1), format_func=lambda i: entry_name(by_id[i]),
                          key=key)
    if param:
        to_address(key, param, eid)
    return by_id[eid]


def two_or_more(title: str):
    """The page's title, and the stored versions when there are two or more to work on."""
    st.title(title)
    vs = versions()
    if len(vs) < 2:
        st.info("Add at least two versions in the Workspace.")
        return None
    return vs


def versions():
    s, nid = current()
    return s.entries(nid, "version") if nid is not None else []


# -- HTML ------------------------------------------------------------------------------------------------
# Scoped to .ng so that nothing leaks into Streamlit's own page. Colours are given as pairs
# (text on background) with AA contrast, so they read the same in the light and the dark theme;
# changes are also underlined or struck through, never colour alone.
APP_CSS = """
.ng{font:15px/1.55 "Noto Serif","Times New Roman","Noto Serif CJK SC","Noto Naskh Arabic",serif;color:inherit}
.ng ins{color:#064d09;background:#dff0df;text-decoration:underline}
.ng del{color:#8a1515;background:#f9e3e3;text-decoration:line-through}
.ng ins.bracket-added,.ng del.bracket-removed{background:#fff0c2;color:#5c4300}
.ng ins.alternative-chosen,.ng del.alternative-chosen,.ng del.option-dropped{background:#e3eafb;color:#1a3a85}
.ng table.sbs{border-collapse:collapse;width:100%;table-layout:fixed}
.ng .sbs td{vertical-align:top;border-top:1px solid rgba(128,128,128,.35);padding:.3rem .5rem;width:50%;font-size:14px}
.ng .sbs th{text-align:left;padding:.3rem .5rem}
.ng .res th{width:11rem;vertical-align:top;border-top:1px solid rgba(128,128,128,.35)} .ng .res td{width:auto}
.ng mark{background:#fff59d;color:#1b1b1b}
.ng .op{font:12px sans-serif;text-transform:uppercase;margin-right:.4rem;padding:0 .3rem;
  border:1px solid rgba(128,128,128,.6);border-radius:3px}
.ng .where{font:12px sans-serif;margin-left:.3rem}
.ng a{color:inherit;text-decoration:underline}
.ng a:focus-visible,.ng summary:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}
.ng details{margin:.5rem 0;content-visibility:auto;contain-intrinsic-size:auto 40rem}
.ng summary{font:600 16px sans-serif;cursor:pointer;padding:.3rem 0;border-bottom:1px solid rgba(128,128,128,.5)}
.ng summary .counts{font-weight:400;font-size:13px;margin-left:.5rem}
.ng .p{margin:.4rem 0;padding:.2rem .5rem;border-left:4px solid transparent}
.ng .p.modified{border-color:#d0a000}.ng .p.inserted{border-color:#2e7d32}.ng .p.deleted{border-color:#c62828}
.ng .p.moved{border-color:#6a1b9a}.ng .p.split,.ng .p.merged{border-color:#00838f}
.ng sup.fn{font-size:.75em;border-bottom:1px dotted currentColor;cursor:help}
.ng .ghost td{font:13px sans-serif;font-style:italic;opacity:.85}
.ng .legend{font:13px sans-serif;margin:.2rem 0 .6rem}
.ng .later{font:italic 13px sans-serif;margin:.3rem .5rem .8rem}
.ng .step{font:14px sans-serif;margin:.9rem 0 .2rem}
.ng .legend span{margin-right:1rem}
@media (max-width:640px){.ng .sbs td{display:block;width:auto}.ng .sbs tr{display:block;border-top:1px solid rgba(128,128,128,.5)}
  .ng .sbs th{display:none}.ng .sbs td.old:empty{display:none}}
@media print{
  header,[data-testid="stSidebar"],[data-testid="stToolbar"],[data-testid="stHeader"],[data-testid="stDecoration"],
  .stDownloadButton,.stButton,[data-testid="stSelectbox"],[data-testid="stMultiSelect"],[data-testid="stRadio"],
  [data-testid="stTextInput"],[data-testid="stCheckbox"],[data-testid="stExpander"]{display:none !important}
  [data-testid="stMain"],[data-testid="stAppViewContainer"],.main .block-container{
    padding:0 !important;margin:0 !important;max-width:none !important}
  .ng{color:#000}.ng details{break-inside:auto;content-visibility:visible}.ng .sbs tr{break-inside:avoid}
  .ng a{text-decoration:none}
}
"""


# Streamlit's own widgets where its themes fall below WCAG AA (measured in chromium, computed
# colours): captions are drawn at 60% opacity (3.9:1 on the light theme's white), and the slider's
# value in the primary red (3.9:1 on the dark theme's background). Sent with every run, on every
# page (a <style> alone goes to Streamlit's event container and takes no room).
WIDGET_CSS = """
[data-testid="stCaptionContainer"]{opacity:.8 !important}
[data-testid="stSliderThumbValue"]{color:inherit !important}
"""


def widget_css() -> None:
    st.html(f"<style>{WIDGET_CSS}</style>")


def new_run() -> None:
    """At the start of each run of the app's script: the next `html` block carries the stylesheet."""
    st.session_state["_ng_css_sent"] = False


def html(body: str, height: int | None = None) -> None:
    """Show HTML built by us; `body` must already be escaped (esc, export.html).

    The stylesheet goes with the first block of a run only: a <style> in any block applies to
    the whole page, and each copy is parsed again and every rule matched against the whole
    page (the Trace page drew some fifty blocks, each with its copy). A page run without the
    app's main script (a test of one page) never resets the flag, so there every block has it.
    A fragment whose block may be the one carrying it (Compare's rows) calls `new_run` first:
    its own reruns replace that block, and the main script does not run for them."""
    sent = st.session_state.get("_ng_css_sent")
    css = "" if sent else f"<style>{APP_CSS}</style>"
    if sent is False:
        st.session_state["_ng_css_sent"] = True
    st.html(f'{css}<div class="ng">{body}</div>')


_FN = re.compile(r"\[\^([^\]\s<>]+)\]")
_BOLD = re.compile(r"(?<!\*)\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*(?!\*)")
_ITAL = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_HEAD = re.compile(r"^#{1,6}[ \t]*")
_TAG = re.compile(r"(<[^>]*>)")


def md_html(body: str, notes: dict[str, str] | None = None) -> str:
    """Markdown emphasis and footnote marks in escaped HTML (a paragraph of a .md draft, with
    its <ins>/<del> marks) shown as formatting: **bold**, *italic*, [^12] as a raised mark
    carrying the note's text, a heading's leading #s dropped. Markers are found in the text
    as a whole, then replaced where they stand, so a change may begin inside emphasis."""
    parts = _TAG.split(body)
    texts = [(k, p) for k, p in enumerate(parts) if k % 2 == 0]
    flat = "".join(p for _, p in texts)
    repl: dict[int, tuple[int, str]] = {}       # position in flat → (length of marker, what replaces it)
    head = _HEAD.match(flat)
    if head and head.end() < len(flat):
        repl[0] = (head.end(), "")
    for rx, tag, n in ((_BOLD, "strong", 2), (_ITAL, "em", 1)):
        for m in rx.finditer(flat):
            if any(m.start() <= p < m.end() and p not in (m.start(), m.end() - n) for p in repl) or \
                    m.start() in repl or m.end() - n in repl:
                continue
            repl[m.start()] = (n, f"\x00{tag}")
            repl[m.end() - n] = (n, f"\x01{tag}")
    for m in _FN.finditer(flat):
        if m.start() in repl:
            continue
        note = (notes or {}).get(m.group(1), "")
        title = f' title="{esc(note)}"' if note else ""
        repl[m.start()] = (m.end() - m.start(), f'<sup class="fn"{title} aria-label="note {m.group(1)}">{m.group(1)}</sup>')
    if not repl:
        return body
    out, pos, open_, keys = [], 0, [], sorted(repl)
    for k, p in enumerate(parts):
        if k % 2:                     # a tag: close emphasis before it, reopen after it
            out.extend(f"</{t}>" for t in reversed(open_))
            out.append(p)
            out.extend(f"<{t}>" for t in open_)
            continue
        # From one marker of this text to the next (the text between copied as a whole); a marker
        # inside one already replaced, or running past the text into a tag, is left as it is.
        i, j, end = 0, bisect_left(keys, pos), pos + len(p)
        while j < len(keys) and keys[j] < end:
            at, (n, what) = keys[j] - pos, repl[keys[j]]
            j += 1
            if at < i or at + n > len(p):
                continue
            out.append(p[i:at])
            if what.startswith("\x00"):
                open_.append(what[1:])
                out.append(f"<{what[1:]}>")
            elif what.startswith("\x01"):
                if what[1:] in open_:
                    open_.remove(what[1:])
                out.append(f"</{what[1:]}>")
            else:
                out.append(what)
            i = at + n
        out.append(p[i:])
        pos = end
    out.extend(f"</{t}>" for t in reversed(open_))
    return "".join(out)


def notes_of(doc) -> dict[str, str]:
    """A Markdown draft's footnotes by their mark: {"12": "text of note 12"}."""
    return {b.label.strip("[]^:"): b.text for b in doc.blocks if b.kind == "footnote" and b.label}
