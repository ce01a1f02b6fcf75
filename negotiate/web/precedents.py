"""Agreed language in the app: the Library page, the Precedents view, and the marker that
Compare and Consolidate show on proposals whose new wording is agreed language elsewhere.

Like every page: widgets laid out, the library called (negotiate.precedents), pure calls
cached. Every text put into HTML is escaped.
"""
from __future__ import annotations

from html import escape

import streamlit as st

from ..errors import NegotiateError
from ..precedents import Library, Options, agreed, citation, find, spans
from . import cache

TYPES = cache.upload_types()   # every registered reader's extensions
# Marks carry their own text colour; other text keeps the theme's (light or dark), only faded.
CSS = """<style>
.prec p{margin:.2em 0 .6em 0;line-height:1.5}
.prec mark{background:#fff3b0;color:#1b1b1b;border-bottom:2px solid #e0a800;padding:0 1px}
.prec mark.open{background:#ffd66b}
.prec sup{font-size:.75em}
.prec .lab{font-weight:600;margin-right:.3em}
.prec .src{border-left:3px solid #e0a800;padding-left:.6em}
.prec .cite{font-size:.85em;opacity:.85}
</style>"""


@st.cache_resource
def library() -> Library:
    return Library()


def _mine():
    """The library as this session's person may use it: the store checks every use (issue 18)."""
    return cache.store().library(library())


def _fingerprint(lib: Library) -> tuple:
    """What the library holds, cheaply: cached results are keyed on it, so they refresh on change."""
    docs = lib.documents()
    return (len(docs), max((d.id for d in docs), default=0), sum(d.paragraphs for d in docs))


@st.cache_data(max_entries=16, show_spinner=False)
def _result(doc: tuple[str, str, str], fp: tuple, min_words: int, min_similarity: float):
    opts = Options(min_words=min_words or None, min_similarity=min_similarity)
    return find(cache.document(*doc), library(), opts)


@st.cache_data(max_entries=32, show_spinner=False)
def _agreed(texts: tuple[str, ...], regions: tuple, language: str, fp: tuple):
    return agreed(list(texts), [list(r) for r in regions], library(), language)


def _marked(text: str, groups, first: int, open_: int | None = None) -> str:
    """A paragraph's text with its reused spans as <mark>, each numbered; all of it escaped."""
    out, pos = [], 0
    for g, (s, e, ms) in enumerate(groups):
        cls = ' class="open"' if g == open_ else ""
        tip = escape("; ".join(citation(m) for m in ms), quote=True)
        out.append(escape(text[pos:s]) + f'<mark{cls} title="{tip}">{escape(text[s:e])}</mark>'
                   f"<sup>({first + g})</sup>")
        pos = e
    return "".join(out) + escape(text[pos:])


def _source_html(m) -> str:
    t = m.source.text
    body = (escape(t[:m.source.start]) + f'<mark class="open">{escape(t[m.source.start:m.source.end])}</mark>'
            + escape(t[m.source.end:]))
    lab = f'<span class="lab">{escape(m.source.label)}</span>' if m.source.label else ""
    meta = " · ".join(escape(x) for x in (m.source.symbol, m.source.title[:80], m.source.date, m.source.path) if x)
    return f'<div class="prec src"><p>{lab}{body}</p><p class="cite">{meta}</p></div>'


# -- Library -------------------------------------------------------------------------------
def library_page() -> None:
    st.title("Library")
    lib = _mine()
    st.caption("Adopted texts — resolutions, decisions, treaties — whose wording counts as agreed language. "
               f"Stored in {lib.where}.")
    for kind in ("lib_ok", "lib_err"):
        for msg in st.session_state.pop(kind, []):
            (st.success if kind == "lib_ok" else st.error)(msg)
    if lib.may_change():
        _adding(lib)
    docs = lib.documents()
    if not docs:
        st.info("The library is empty: add adopted texts above, and the Precedents page will show which "
                "paragraphs of a draft reuse their wording.")
        return
    st.subheader(f"{len(docs)} documents, {sum(d.paragraphs for d in docs):,} paragraphs")
    st.dataframe([{"symbol": d.symbol, "date": d.date, "language": d.language, "paragraphs": d.paragraphs,
                   "title": d.title, "file": d.path, "added": d.added} for d in docs], hide_index=True,
                 width="stretch")
    if lib.may_change():
        _removing(lib, docs)


def _adding(lib) -> None:
    n = st.session_state.get("lib_uploads", 0)
    ups = st.file_uploader("Add adopted texts (.docx, .pdf, .txt, .md, .html)", type=TYPES,
                           accept_multiple_files=True, key=f"lib_upload_{n}")
    s = cache.store()
    entries = [e for neg in s.negotiations() for e in s.entries(neg["id"])]
    by_id = {e.id: e for e in entries}
    picked = st.multiselect("…or texts already in the workspace", list(by_id), key="lib_from_ws",
                            format_func=lambda i: f"{by_id[i].label} — {by_id[i].filename}")
    if st.button("Add to the library", type="primary", key="lib_add"):
        files = [(u.name, u.getvalue(), "") for u in ups or []]
        files += [(by_id[i].filename, s.get_file(by_id[i].sha256), by_id[i].reading) for i in picked]
        if not files:
            st.error("Choose files to upload or texts from the workspace.")
            return
        ok, err = [], []
        for name, data, reading in files:        # a file that cannot be read is refused by name; the rest go in
            try:
                from .. import read
                doc = read(name, data=data, name=name, ocr=reading == "ocr")
                d = lib.add(doc, name)
                ok.append(f"{name}: added — {d.symbol or 'no symbol found'}, {d.paragraphs} paragraphs" if d
                          else f"{name}: already in the library")
            except NegotiateError as e:
                err.append(e.oneline())
        st.session_state["lib_ok"], st.session_state["lib_err"] = ok, err
        st.session_state["lib_uploads"] = n + 1
        st.rerun()


def _removing(lib, docs) -> None:
    c1, c2 = st.columns([3, 1])
    which = c1.selectbox("Remove", [d.id for d in docs], key="lib_remove_pick",
                         format_func=lambda i: next(f"{d.symbol or '—'} · {d.path}" for d in docs if d.id == i))
    if c2.button("Remove from the library", key="lib_remove"):
        d = next(d for d in docs if d.id == which)
        lib.remove(d.path)
        st.session_state["lib_ok"] = [f"{d.path}: removed"]
        st.rerun()


# -- Precedents -------------------------------------------------------------------------------
def precedents_page() -> None:
    st.title("Precedents")
    s = cache.store()
    lib = _mine()
    negs = s.negotiations()
    nid = st.session_state.get("negotiation") or (negs[0]["id"] if negs else None)
    entries = s.entries(nid) if nid is not None else []
    if not entries:
        st.info("Add versions in the Workspace.")
        return
    by_id = {e.id: e for e in entries}
    c1, c2, c3 = st.columns([3, 1, 1])
    eid = c1.selectbox("Version or proposal", list(by_id), index=len(by_id) - 1, key="prec_pick",
                       format_func=lambda i: f"{by_id[i].label}{' — ' + by_id[i].party if by_id[i].party else ''}")
    min_words = c2.number_input("Shortest reuse (words; 0: language default)", 0, 200, 0, key="prec_min_words")
    min_sim = c3.slider("Similarity at least", 0.5, 1.0, 0.8, 0.01, key="prec_min_sim")
    e = by_id[eid]
    try:
        with st.spinner("Looking for agreed language…"):
            res = _result((e.sha256, e.filename, e.reading), _fingerprint(lib), int(min_words), float(min_sim))
    except NegotiateError as err:
        st.error(err.oneline())
        return
    for w in res.warnings:
        st.warning(w + (" — add adopted texts on the Library page." if "empty" in w else ""))
    by = res.by_block()
    draft = res.draft
    st.caption(f"{len(by)} of {len(draft.blocks)} paragraphs reuse agreed language · {len(res.matches)} matches. "
               "Click a citation to open the source paragraph beside the draft's.")
    only = st.checkbox("Only paragraphs that reuse agreed language", value=True, key="prec_only")
    open_ = st.session_state.get("prec_open")
    n = 1
    shown = 0
    for b in draft.blocks:
        groups = spans(by.get(b.index, []))
        if only and not groups:
            continue
        shown += 1
        if shown > 400:
            st.caption("… the first 400 paragraphs are shown.")
            break
        lab = f'<span class="lab">{escape(b.label)}</span>' if b.label else ""
        sel = open_[1] if open_ and open_[0] == b.index else None
        para = f'<div class="prec"><p>{lab}{_marked(b.text, groups, n, sel)}</p></div>'
        if sel is not None and sel < len(groups):
            left, right = st.columns(2)
            left.html(CSS + para)
            m = groups[sel][2][open_[2] if open_[2] < len(groups[sel][2]) else 0]
            right.html(CSS + _source_html(m))
            if right.button("Close", key=f"prec_close_{b.index}"):
                st.session_state.pop("prec_open", None)
                st.rerun()
        else:
            st.html(CSS + para)
        for g, (_, _, ms) in enumerate(groups):
            cols = st.columns(min(len(ms), 3) + 1)
            cols[0].caption(f"({n + g})")
            for k, m in enumerate(ms[:3]):
                if cols[k + 1].button(citation(m), key=f"prec_open_{b.index}_{g}_{k}"):
                    st.session_state["prec_open"] = (b.index, g, k)
                    st.rerun()
        n += len(groups)


# -- the marker on Compare and Consolidate ----------------------------------------------------------
def agreed_language_marker(result) -> None:
    """Mark the proposals whose new wording is agreed language elsewhere. `result` is a
    Comparison (Compare: the new version's inserted and replaced words) or a Consolidated
    (Consolidate: each party's own options). Shows nothing while the library is empty."""
    lib = library()
    fp = _fingerprint(lib)
    if not fp[0]:
        st.caption("Add adopted texts on the Library page to see which proposals are agreed language.")
        return
    rows, texts, regions, language = [], [], [], "en"
    if hasattr(result, "pairs"):               # a Comparison
        language = result.new.token_language
        for p in result.pairs:
            reg = tuple((b1, b2) for tag, _, _, b1, b2 in p.ops if tag in ("insert", "replace") and b2 > b1)
            if reg:
                rows.append((p.new_label, ""))
                texts.append(p.new_text)
                regions.append(reg)
    else:                                      # a Consolidated
        language = next((v for v in result.languages.values() if v not in ("", "und")), "en")
        for u in result.units:
            segs = u.segments if u.alternatives is None else []
            for party in u.present:
                if u.alternatives is not None:
                    reg, text = ((0, len(u.text_of(party))),), u.text_of(party)
                else:
                    reg, pos, parts = [], 0, []
                    for sg in segs:
                        t = sg.shared if sg.shared is not None else next(
                            (o.text for o in sg.options if party in o.parties), "")
                        if sg.shared is None and t:
                            reg.append((pos, pos + len(t)))
                        parts.append(t)
                        pos += len(t)
                    text, reg = "".join(parts), tuple(reg)
                if reg:
                    rows.append((u.label, party))
                    texts.append(text)
                    regions.append(reg)
    if not texts:
        return
    found = _agreed(tuple(texts), tuple(regions), language, fp)
    hits = [(r, t, ms) for r, t, ms in zip(rows, texts, found) if ms]
    if not hits:
        st.caption("No proposal's new wording is agreed language in the library.")
        return
    with st.expander(f"Agreed language: {len(hits)} proposals reuse wording of the library", expanded=False):
        out = []
        for (label, party), text, ms in hits[:300]:
            m = ms[0]
            who = f" ({escape(party)})" if party else ""
            out.append(f'<p><span class="lab">{escape(label or "—")}</span>{who} '
                       f'<mark>{escape(text[m.start:m.end])}</mark> '
                       f'<span class="cite">— {escape(citation(m))}</span></p>')
        st.html(CSS + '<div class="prec">' + "".join(out) + "</div>")
