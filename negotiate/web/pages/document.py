"""The Document page: one version's paragraphs."""
from __future__ import annotations

import streamlit as st

from .. import cache
from .common import current, key, pick


def page() -> None:
    st.title("Document")
    s, nid = current()
    entries = s.entries(nid) if nid is not None else []
    if not entries:
        st.info("Add versions in the Workspace.")
        return
    e = pick(st, "Version or proposal", entries, "doc_pick")
    d = cache.document(*key(e))
    c = st.columns(4)
    c[0].metric("Blocks", len(d.blocks))
    c[1].metric("Numbered", sum(1 for b in d.blocks if b.label))
    c[2].metric("Language", d.language)
    c[3].metric("Comments", len(d.comments))
    st.markdown(f"**{d.title or e.filename}**" + (f" — `{d.symbol}`" if d.symbol else ""))
    for w in d.warnings:            # e.g. text read by OCR, a damaged encoding repaired
        st.warning(w)
    st.dataframe([{"#": b.index, "kind": b.kind, "label": b.label, "path": " › ".join(b.path), "text": b.text}
                  for b in d.blocks], hide_index=True, width="stretch",
                 column_config={"text": st.column_config.TextColumn(width="large")})
