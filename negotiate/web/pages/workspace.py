"""The Workspace page: negotiations, their versions and parties' proposals — added,
renamed, re-labelled, re-assigned, removed (softly, with Undo) and restored."""
from __future__ import annotations

from datetime import date

import streamlit as st

from ...errors import NegotiateError
from .. import cache
from .common import current, entry_name, md_text

ADD_FIELDS = ("add_corpus", "add_ocr")
PARIS = "Paris Agreement 2015 (real drafts)"


def page() -> None:
    st.title("Workspace")
    s, nid = current()
    if st.session_state.pop("add_reset", False):
        # The next file is another one: nothing of the last one's label or party is kept.
        for k in ADD_FIELDS:
            st.session_state.pop(k, None)
    if "flash" in st.session_state:
        st.success(md_text(st.session_state.pop("flash")))
    undo = st.session_state.get("undo")
    if undo is not None:
        _undo_bar(s, undo)
    _welcome(s)
    with st.expander("New negotiation", expanded=nid is None):
        with st.form("new_negotiation", clear_on_submit=True):
            err = st.empty()            # errors at the top of the form that caused them
            name = st.text_input("Name", key="new_name")
            symbol = st.text_input("Document symbol", key="new_symbol", placeholder="SAICM/IP.4/2")
            if st.form_submit_button("Create"):
                try:
                    made = s.create_negotiation(name, symbol)
                except ValueError as e:
                    err.error(md_text(str(e)))
                else:
                    # The sidebar's select box already exists in this run: it is set on the next one.
                    st.session_state["negotiation_next"] = made
                    st.session_state["flash"] = f"Negotiation “{name.strip()}” is ready: add its versions below."
                    st.rerun()
    if nid is None:
        st.info("Create a negotiation to begin.")
        return
    entries = s.entries(nid)
    st.subheader("Versions and proposals")
    st.dataframe([{"kind": e.kind, "label": e.label, "party": e.party, "date": e.date, "file": e.filename,
                   "sha256": e.sha256[:12], "read by": "OCR" if e.reading == "ocr" else ""} for e in entries],
                 hide_index=True, width="stretch")
    if entries:
        _edit(s, entries)
    _removed(s, nid)
    _add(s, nid)


def _welcome(s) -> None:
    """First launch: what the app is for, and a real example one click away."""
    if st.session_state.get("welcomed"):
        return
    negs = s.negotiations()
    paris = next((n for n in negs if n["name"] == PARIS), None)
    with st.container(border=True):
        st.markdown("**Welcome to negotiate.** Keep every version of a negotiating text and every delegation's "
                    "proposal here, then **Compare** two versions (a redline as the delegations' own Word file), "
                    "**Trace** a paragraph through every version, count the **Brackets** per section as they fall, "
                    "**Consolidate** the parties' proposals into bracketed text with compromise suggestions, and "
                    "**Search** every version at once.")
        c1, c2 = st.columns([2, 1])
        if paris is not None:
            c1.caption("A ready example: the five Paris Agreement drafts of 2015, from 23 October to the adopted text.")
            if c1.button("Open the Paris 2015 drafts in Compare", key="welcome_paris", type="primary"):
                open_paris(s, paris)
        else:
            c1.caption("The bundled sample negotiation is open; add your own drafts below.")
        if c2.button("Hide this welcome", key="welcome_hide"):
            st.session_state["welcomed"] = True
            st.rerun()


def open_paris(s, paris: dict, here: bool = False) -> None:
    """Compare opened on the Paris example, 4 Dec → 9 Dec 2015 (the welcomes of Workspace and Compare;
    `here`: from Compare itself, where switching to the page one is on keeps its widgets' values)."""
    st.session_state["welcomed"] = True
    vs = s.entries(paris["id"], "version")
    st.session_state["negotiation_next"] = paris["id"]
    for k in ("cmp_old", "cmp_new"):
        st.session_state.pop(k, None)
        st.session_state.get("_kept", {}).pop(k, None)
    old = next((e for e in vs if e.label.startswith("4 Dec")), vs[0])
    new = next((e for e in vs if e.label.startswith("9 Dec")), vs[-1])
    params = {"n": str(paris["id"]), "old": str(old.id), "new": str(new.id)}
    if here:
        st.query_params.from_dict(params)
        st.rerun()
    _open_compare(params)


def _open_compare(params: dict) -> None:
    """Compare with these versions: through the app's navigation when there is one (the app),
    else the state is simply set (a page tested alone)."""
    from . import compare
    try:
        st.switch_page(st.Page(compare.page, title="Compare", url_path="compare"), query_params=params)
    except st.errors.StreamlitAPIException:
        st.query_params.from_dict(params)
        st.rerun()


def _undo_bar(s, entry_id: int) -> None:
    try:
        e = s.entry(entry_id)
    except KeyError:
        st.session_state.pop("undo", None)
        return
    if e.removed is None:
        st.session_state.pop("undo", None)
        return
    c1, c2 = st.columns([4, 1])
    c1.info(md_text(f"Removed {entry_name(e)} — it is kept in the Removed list below."))
    if c2.button("Undo", key="undo_button", type="primary"):
        s.restore(entry_id)
        st.session_state.pop("undo", None)
        st.session_state["flash"] = f"Restored {entry_name(e)}."
        st.rerun()


def _edit(s, entries) -> None:
    by_id = {e.id: e for e in entries}
    with st.expander("Rename, re-label, re-assign or remove an entry"):
        eid = st.selectbox("Entry", list(by_id), format_func=lambda i: f"{by_id[i].kind}: {entry_name(by_id[i])}",
                           key="edit_pick")
        e = by_id[eid]
        err = st.empty()
        c1, c2, c3 = st.columns(3)
        label = c1.text_input("New label", value=e.label, key=f"edit_label_{e.id}")
        party = c2.text_input("Assign to party", value=e.party, key=f"edit_party_{e.id}", disabled=e.kind != "proposal")
        try:
            when = date.fromisoformat(e.date) if e.date else None
        except ValueError:
            when = None
        day = c3.date_input("Dated", value=when, key=f"edit_date_{e.id}")
        b1, b2, _ = st.columns([1, 1, 3])
        if b1.button("Save", key="edit_save"):
            try:
                e2 = s.update_entry(e.id, label=label, party=party if e.kind == "proposal" else None,
                                    date=str(day) if day else "")
            except ValueError as x:
                err.error(md_text(str(x)))
            else:
                st.session_state["flash"] = f"Saved {entry_name(e2)}."
                st.rerun()
        if b2.button("Remove", key="edit_remove"):
            s.remove(e.id)
            st.session_state["undo"] = e.id
            st.rerun()


def _removed(s, nid) -> None:
    gone = s.entries(nid, removed=True)
    if not gone:
        return
    with st.expander(f"Removed ({len(gone)})"):
        st.caption("Removed entries leave Compare, Trace and Consolidate; their files stay in the store.")
        for e in gone:
            c1, c2 = st.columns([4, 1])
            c1.text(f"{e.kind}: {entry_name(e)} — {e.filename}, removed {e.removed:%Y-%m-%d %H:%M}")
            if c2.button("Restore", key=f"restore_{e.id}"):
                s.restore(e.id)
                st.session_state["flash"] = f"Restored {entry_name(e)}."
                st.rerun()


def _add(s, nid) -> None:
    st.subheader("Add")
    err = st.empty()                    # errors at the top of the form, where the eye is
    if "add_error" in st.session_state:
        err.error(md_text(st.session_state.pop("add_error")))
    kind = st.radio("What", ["version", "proposal"], horizontal=True, key="add_kind",
                    format_func=lambda k: "a version of the text" if k == "version" else "a party's proposal")
    c1, c2, c3 = st.columns(3)
    # New keys after each addition: fresh, empty fields for the next file (a widget's old value can
    # come back from the browser when only its session state is dropped).
    n = st.session_state.get("uploads", 0)
    label = c1.text_input("Label", key=f"add_label_{n}", placeholder="Rev.1")
    when = c2.date_input("Date", value=date.today(), key="add_date")
    party = c3.text_input("Party", key=f"add_party_{n}", disabled=kind != "proposal", placeholder="EU")
    # A new key after each addition gives an empty uploader for the next file.
    up = st.file_uploader("Upload .docx, .pdf, .txt, .md or .html", type=cache.upload_types(),
                          key=f"upload_{n}")
    corpus = st.selectbox("…or take one from the bundled corpora", [""] + [p.name for p in cache.corpus_files()],
                          key="add_corpus")
    ocr = st.checkbox("Read a PDF's pages by OCR (Tesseract) — for scans and PDFs whose text layer is broken; "
                      "slow: seconds a page", key="add_ocr")
    replace = False
    if st.session_state.get("add_clash"):
        replace = st.checkbox(f"Replace {st.session_state['add_clash']} (its file stays in the store)",
                              key="add_replace")
    if not st.button("Add to the workspace", type="primary", key="add_button"):
        return
    if up is not None:
        name, data = up.name, up.getvalue()
    elif corpus:
        name, data = corpus, (cache.CORPORA / corpus).read_bytes()
    else:
        err.error("Choose a file to upload or a corpus file.")
        return
    reading = "ocr" if ocr and name.lower().endswith(".pdf") else ""
    try:
        from ... import read
        bar = st.progress(0.0, text="OCR") if reading else None
        progress = (lambda done, total: bar.progress(done / total, text=f"OCR: page {done} of {total}")) \
            if bar else None
        # Refuse what cannot be read, before storing it.
        doc = read(name, data=data, name=name, ocr=bool(reading), progress=progress)
    except NegotiateError as e:
        # The library says what is wrong; the way to OCR here is the checkbox.
        message = e.oneline() + {"needs-ocr": "; tick “Read a PDF's pages by OCR”",
                                 "ocr-may-help": ", or tick “Read a PDF's pages by OCR”"}.get(e.reason, "")
        err.error(md_text(message))
        return
    if kind == "proposal" and not party.strip():
        err.error(md_text(f"{name}: a party's proposal needs the party's name (the Party field)."))
        return
    lab = label.strip() or doc.symbol or name
    try:
        e = s.add(nid, data, name, lab, kind=kind, party=party.strip() if kind == "proposal" else "",
                  date=str(when), reading=reading, replace=replace)
    except ValueError as x:
        st.session_state["add_clash"] = f"the {kind} labelled “{lab}”" + (f" of {party.strip()}" if kind == "proposal" else "")
        st.session_state["add_error"] = f"{name}: {x}."
        st.rerun()          # again, with the choice to replace under the error
    st.session_state.pop("add_clash", None)
    st.session_state.pop("add_replace", None)
    st.session_state["uploads"] = st.session_state.get("uploads", 0) + 1
    st.session_state["add_reset"] = True
    st.session_state["flash"] = f"Added {entry_name(e)}: {len(doc.blocks)} paragraphs, sha256 {e.sha256[:12]}…"
    st.rerun()
