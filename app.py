"""negotiate — the Streamlit app. Pages only lay out widgets and call the library."""
from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from negotiate import NegotiateError, contracts, read

CORPORA = Path(__file__).resolve().parent / "corpora"
FORMATS = ("txt", "md", "html", "htm", "docx")


@st.cache_data(show_spinner=False, max_entries=64)
def parse_bytes(name: str, data: bytes, revisions: str, digest: str) -> dict:
    """Parse JSON of an input; `digest` keys the cache on the file's sha256."""
    return contracts.parse_json(read(name, revisions=revisions, data=data, name=name))


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPORA.iterdir() if p.suffix.lstrip(".") in FORMATS and p.name != "README.md")


def document_page() -> None:
    st.title("negotiate")
    st.caption("Read a negotiating text into numbered paragraphs: labels as printed, paths in the hierarchy.")
    files = corpus_files()
    left, right = st.columns([2, 1])
    with left:
        choice = st.selectbox("Bundled corpus", [p.name for p in files], index=0, key="corpus")
    with right:
        revisions = st.radio("Tracked changes", ["accept", "reject", "markup"], horizontal=True, key="revisions")
    upload = st.file_uploader("…or upload a draft", type=list(FORMATS), key="upload")
    if upload is not None:
        name, data = upload.name, upload.getvalue()
    else:
        name, data = choice, (CORPORA / choice).read_bytes()
    try:
        parsed = parse_bytes(name, data, revisions, hashlib.sha256(data).hexdigest())
    except NegotiateError as e:
        st.error(e.oneline())
        return
    doc, blocks = parsed["document"], parsed["blocks"]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Blocks", len(blocks))
    c2.metric("Numbered", sum(1 for b in blocks if b["label"]))
    c3.metric("Language", doc["language"])
    c4.metric("Comments", len(doc["comments"]))
    st.markdown(f"**{doc['title'] or name}**" + (f" — `{doc['symbol']}`" if doc["symbol"] else ""))
    kinds = sorted({b["kind"] for b in blocks})
    shown = st.multiselect("Kinds", kinds, default=kinds, key="kinds")
    rows = [{"#": b["index"], "kind": b["kind"], "label": b["label"], "path": " › ".join(b["path"]),
             "text": b["text"]} for b in blocks if b["kind"] in shown]
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config={"#": st.column_config.NumberColumn(width="small"),
                                "kind": st.column_config.TextColumn(width="small"),
                                "label": st.column_config.TextColumn(width="small"),
                                "path": st.column_config.TextColumn(width="small"),
                                "text": st.column_config.TextColumn(width="large")})
    if doc["comments"]:
        with st.expander(f"Comments ({len(doc['comments'])})"):
            st.dataframe([{k: c[k] for k in ("author", "date", "anchor", "text", "block")} for c in doc["comments"]],
                         hide_index=True, width="stretch")


st.set_page_config(page_title="negotiate", layout="wide")
document_page()
