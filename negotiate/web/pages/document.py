"""The Document page: one version's paragraphs, its tracked changes read three ways,
and a Word file's comments with author, date and the text they are anchored to."""
from __future__ import annotations

import streamlit as st

from ...errors import NegotiateError
from .. import cache
from .common import current, from_address, key, md_text, pick, to_address

READINGS = {"accept": "accepted", "reject": "rejected", "markup": "shown as marks"}


def page() -> None:
    st.title("Document")
    s, nid = current()
    entries = s.entries(nid) if nid is not None else []
    if not entries:
        st.info("Add versions in the Workspace.")
        return
    e = pick(st, "Version or proposal", entries, "doc_pick", param="e")
    revisions = "accept"
    if e.filename.lower().endswith(".docx"):
        from_address("doc_rev", "rev", str, lambda v: v in READINGS)
        revisions = st.radio("Tracked changes", list(READINGS), horizontal=True, key="doc_rev",
                             format_func=lambda k: READINGS[k])
        to_address("doc_rev", "rev", revisions, "accept")
    try:
        d = cache.document_as(*key(e), revisions=revisions)
    except NegotiateError as x:
        st.error(md_text(x.oneline()))
        return
    c = st.columns(5)
    c[0].metric("Blocks", len(d.blocks))
    c[1].metric("Numbered", sum(1 for b in d.blocks if b.label))
    c[2].metric("Language", d.language)
    c[3].metric("Tracked changes", sum(len(b.revisions) for b in d.blocks) if revisions == "markup" else "—")
    c[4].metric("Comments", len(d.comments))
    st.markdown(f"**{md_text(d.title or e.filename)}**" + (f" — {md_text(d.symbol)}" if d.symbol else ""))
    for w in d.warnings:            # e.g. text read by OCR, a damaged encoding repaired
        st.warning(md_text(w))
    if d.comments:
        with st.expander(f"{len(d.comments)} comments", expanded=True):
            authors = sorted({x.author for x in d.comments})
            who = st.multiselect("By", authors, key="doc_authors", placeholder=f"all {len(authors)} authors")
            shown = [x for x in d.comments if not who or x.author in who]
            st.caption(f"{len(shown)} of {len(d.comments)} comments")
            st.dataframe([{"author": x.author, "date": x.date,
                           "paragraph": (d.blocks[x.block].label or f"#{x.block}") if x.block is not None else "",
                           "anchored to": x.anchor, "comment": x.text} for x in shown],
                         hide_index=True, width="stretch",
                         column_config={"anchored to": st.column_config.TextColumn(width="medium"),
                                        "comment": st.column_config.TextColumn(width="large")})
    shown_block = _block_param(len(d.blocks))
    if shown_block is not None:       # a link from another page (Parity, Search) to one paragraph
        b = d.blocks[shown_block]
        st.markdown(f"**Paragraph #{b.index}** {md_text(b.label or '')} — {md_text(' › '.join(b.path))}")
        st.info(md_text(b.text) or "(no text)")
    rows = []
    for b in d.blocks:
        row = {"#": b.index, "kind": b.kind, "label": b.label, "path": " › ".join(b.path), "text": b.text}
        if revisions == "markup":
            row["changes"] = "; ".join(f"{r.author or '?'} {'adds' if r.kind in ('ins', 'moveTo') else 'deletes'} "
                                       f"“{b.text[r.start:r.end][:40]}”" for r in b.revisions)
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch", column_config={"text": st.column_config.TextColumn(width="large")})


def _block_param(n: int) -> int | None:
    """The `block` of the address (`./document?e=ENTRY&block=I`), when it names one of the n blocks."""
    raw = st.query_params.get("block", "")
    try:
        i = int(raw)
    except (TypeError, ValueError):
        return None
    return i if 0 <= i < n else None
