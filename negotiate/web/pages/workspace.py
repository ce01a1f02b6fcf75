"""The Workspace page: negotiations, their versions and parties' proposals."""
from __future__ import annotations

from datetime import date

import streamlit as st

from ...errors import NegotiateError
from .. import cache
from .common import current, entry_name


def page() -> None:
    st.title("Workspace")
    if "flash" in st.session_state:
        st.success(st.session_state.pop("flash"))
    s, nid = current()
    with st.expander("New negotiation"):
        with st.form("new_negotiation", clear_on_submit=True):
            name = st.text_input("Name", key="new_name")
            symbol = st.text_input("Document symbol", key="new_symbol", placeholder="SAICM/IP.4/2")
            if st.form_submit_button("Create"):
                try:
                    st.session_state["negotiation"] = s.create_negotiation(name, symbol)
                    st.rerun()
                except ValueError as e:
                    st.error(str(e))
    if nid is None:
        st.info("Create a negotiation to begin.")
        return
    entries = s.entries(nid)
    st.subheader("Versions and proposals")
    st.dataframe([{"kind": e.kind, "label": e.label, "party": e.party, "date": e.date, "file": e.filename,
                   "sha256": e.sha256[:12], "read by": "OCR" if e.reading == "ocr" else ""} for e in entries], hide_index=True, width="stretch")
    st.subheader("Add")
    kind = st.radio("What", ["version", "proposal"], horizontal=True, key="add_kind",
                    format_func=lambda k: "a version of the text" if k == "version" else "a party's proposal")
    c1, c2, c3 = st.columns(3)
    label = c1.text_input("Label", key="add_label", placeholder="Rev.1")
    when = c2.date_input("Date", value=date.today(), key="add_date")
    party = c3.text_input("Party", key="add_party", disabled=kind != "proposal", placeholder="EU")
    # A new key after each addition gives an empty uploader for the next file.
    up = st.file_uploader("Upload .docx, .pdf, .txt, .md or .html", type=["docx", "pdf", "txt", "md", "html", "htm"],
                          key=f"upload_{st.session_state.get('uploads', 0)}")
    corpus = st.selectbox("…or take one from the bundled corpora", [""] + [p.name for p in cache.corpus_files()],
                          key="add_corpus")
    ocr = st.checkbox("Read a PDF's pages by OCR (Tesseract) — for scans and PDFs whose text layer is broken; "
                      "slow: seconds a page", key="add_ocr")
    if st.button("Add to the workspace", type="primary", key="add_button"):
        if up is not None:
            name, data = up.name, up.getvalue()
        elif corpus:
            name, data = corpus, (cache.CORPORA / corpus).read_bytes()
        else:
            st.error("Choose a file to upload or a corpus file.")
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
            message = e.oneline()
            if "--ocr" in message:
                message = message.replace("or --ocr", "or tick “Read a PDF's pages by OCR”").replace(
                    "use --ocr", "tick “Read a PDF's pages by OCR”")
            st.error(message)
            return
        try:
            e = s.add(nid, data, name, label.strip() or doc.symbol or name, kind=kind,
                      party=party.strip() if kind == "proposal" else "", date=str(when), reading=reading)
        except ValueError as err:
            st.error(f"{name}: {err}")
            return
        st.session_state["uploads"] = st.session_state.get("uploads", 0) + 1
        st.session_state["flash"] = f"Added {entry_name(e)}: {len(doc.blocks)} paragraphs, sha256 {e.sha256[:12]}…"
        st.rerun()
