"""The Compare page: two versions side by side, word-level diffs, downloads."""
from __future__ import annotations

import streamlit as st

from ...errors import NegotiateError
from ...export.html import pair_html
from .. import cache
from .common import key, pick, two_or_more, html


def page() -> None:
    vs = two_or_more("Compare")
    if not vs:
        return
    c1, c2 = st.columns(2)
    old = pick(c1, "Old", vs, "cmp_old", len(vs) - 2)
    new = pick(c2, "New", vs, "cmp_new", len(vs) - 1)
    try:
        with st.spinner("Aligning paragraphs and diffing words…"):
            cmp = cache.comparison(key(old), key(new))
    except NegotiateError as e:
        st.error(e.oneline())
        return
    s = cmp.summary()
    ch = s["changes"]
    p = s["paragraphs"]
    m = st.columns(7)
    m[0].metric("Modified", p["modified"])
    m[1].metric("Moved", p["moved"])
    m[2].metric("Split / merged", p["split"] + p["merged"])
    m[3].metric("Inserted", p["inserted"])
    m[4].metric("Deleted", p["deleted"])
    m[5].metric("Brackets added", ch["bracket-added"])
    m[6].metric("Brackets lifted", ch["bracket-removed"])
    for w in cmp.alignment.warnings:
        st.warning(w)
    f1, f2, f3 = st.columns([2, 2, 3])
    show = f1.radio("Show", ["only changes", "everything", "only moves"], horizontal=True, key="cmp_show")
    sections = [k for k, _ in cmp.by_section()]
    wanted = f2.multiselect("Sections", sections, key="cmp_sections")
    query = f3.text_input("Search label or text", key="cmp_search").strip().casefold()
    rows = []
    for pd in cmp.pairs:
        op = pd.link.op
        if show == "only changes" and op == "equal" and not pd.changes:
            continue
        if show == "only moves" and op != "moved":
            continue
        blk = cmp.new.blocks[pd.link.new[0]] if pd.link.new else cmp.old.blocks[pd.link.old[0]]
        if wanted and (blk.path[0] if blk.path else "(front matter)") not in wanted:
            continue
        if query and query not in (pd.old_label + " " + pd.new_label + " " + pd.old_text + " " + pd.new_text).casefold():
            continue
        _, left, right = pair_html(pd)
        meta = f'<span class="op">{op}{"" if op in ("equal", "inserted", "deleted") else f" {pd.link.similarity:.2f}"}</span>'
        rows.append(f'<tr class="{op}"><td>{"<b>" + pd.old_label + "</b> " if pd.old_label else ""}{left}</td>'
                    f'<td>{meta}{"<b>" + pd.new_label + "</b> " if pd.new_label else ""}{right}</td></tr>')
    st.caption(f"{len(rows)} of {len(cmp.pairs)} aligned paragraphs shown")
    html(f'<table class="sbs"><tr><th>{old.label}</th><th>{new.label}</th></tr>{"".join(rows[:1500])}</table>')
    st.subheader("Download")
    author = st.text_input("Author of the tracked changes", value="negotiate", key="cmp_author")
    a, b = key(old), key(new)
    base = f"{old.label}-to-{new.label}".replace(" ", "_").replace("/", "_")
    d1, d2, d3 = st.columns(3)
    # Files are made when a button is pressed (on a thread of their own), not on every render.
    d1.download_button("Redline (.docx)", lambda: cache.exports(a, b, author)["docx"], f"{base}.docx", key="dl_docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    d2.download_button("HTML", lambda: cache.exports(a, b, author)["html"], f"{base}.html", key="dl_html",
                       mime="text/html")
    d3.download_button("JSON", lambda: cache.exports(a, b, author)["json"], f"{base}.json", key="dl_json",
                       mime="application/json")
