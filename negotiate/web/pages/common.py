"""What every page shares: the negotiation chosen in the sidebar, entry names,
pickers, and the HTML wrapper."""
from __future__ import annotations

import streamlit as st

from ...export.html import CSS
from .. import cache

def sidebar() -> None:
    s = cache.store()
    negs = s.negotiations()
    if not negs:
        return
    ids = [n["id"] for n in negs]
    if st.session_state.get("negotiation") not in ids:
        st.session_state["negotiation"] = ids[0]
    st.sidebar.selectbox("Negotiation", ids, key="negotiation",
                         format_func=lambda i: next(n["name"] for n in negs if n["id"] == i))


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


def pick(where, label: str, entries, key: str, index: int = 0):
    """A select box of stored versions or proposals; returns the chosen entry."""
    by_id = {e.id: e for e in entries}
    eid = where.selectbox(label, list(by_id), index=index, format_func=lambda i: entry_name(by_id[i]), key=key)
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


def html(body: str, height: int | None = None) -> None:
    st.html(f"<style>{CSS} body{{margin:0}} .sbs td{{font-size:14px}}</style>{body}")
