"""The Parity page: the language versions of one text in parallel columns, row by row, with
what differs highlighted in each version's column (issue #20)."""
from __future__ import annotations

import json

import streamlit as st

from .. import contracts
from ..errors import NegotiateError
from . import cache, parallel


def page() -> None:
    st.title("Parity")
    st.caption("The language versions of one text side by side: the same paragraphs, labels, numbers, "
               "cross-references and brackets in each. Paired by structure, never by translation.")
    s = cache.store()
    nid = st.session_state.get("negotiation")
    if nid is None:
        negs = s.negotiations()
        nid = negs[0]["id"] if negs else None
    vs = s.entries(nid, "version") if nid is not None else []
    if len(vs) < 2:
        st.info("Add the language versions of a text to a negotiation in the Workspace (at least two).")
        return
    by_id = {e.id: e for e in vs}
    chosen = st.multiselect("Language versions", list(by_id), default=list(by_id)[:6], key="par_versions",
                            format_func=lambda i: f"{by_id[i].label} — {by_id[i].filename}")
    if len(chosen) < 2:
        st.info("Choose at least two versions.")
        return
    sel = [by_id[i] for i in chosen]
    try:
        with st.spinner("Pairing paragraphs across the versions…"):
            p = parallel.check(tuple(parallel._key(e) for e in sel))
    except NegotiateError as e:
        st.error(e.oneline())
        return
    t = p.totals()
    m = st.columns(4)
    m[0].metric("Rows", len(p.rows))
    m[1].metric("Paired in every version", f"{p.paired():.1%}")
    m[2].metric("Rows with a difference", sum(1 for r in p.rows if r.issues))
    m[3].metric("Issues", sum(t.values()))
    st.caption(" · ".join(f"{e.label}: {p.languages[k]}" for k, e in enumerate(sel)))
    f1, f2 = st.columns([3, 1])
    kinds = parallel.kinds_filter(p, "par_kinds")
    only = f2.toggle("Only rows that differ", value=True, key="par_only")
    # Each version's paragraph opens in the Document page (its address holds the entry and the block).
    links = [f"./document?e={e.id}&block=" for e in sel]
    table, shown = parallel.rows_html(p, [f"{e.label} ({p.languages[k]})" for k, e in enumerate(sel)],
                                      links, kinds=kinds, only_issues=only)
    f1.caption(f"{shown} of {len(p.rows)} rows shown" + (" (the first 800)" if shown > 800 else ""))
    st.html(table)
    st.download_button("Parity (.json)", lambda: json.dumps(contracts.parity_json(p), ensure_ascii=False, indent=2),
                       "parity.json", mime="application/json", key="par_dl")
