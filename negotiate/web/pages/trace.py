"""The Trace page: a paragraph through every version."""
from __future__ import annotations

import streamlit as st

from ...export.html import diff_html
from .. import cache
from .common import key, two_or_more, html


def page() -> None:
    vs = two_or_more("Trace")
    if not vs:
        return
    c1, c2 = st.columns(2)
    label = c1.text_input("Paragraph label", key="tr_label", placeholder="12 or 7 bis.")
    search = c2.text_input("…or text it contains", key="tr_search")
    if not label.strip() and not search.strip():
        st.info("Give a label (read in the first version that has it) or some text.")
        return
    from ...diff import diff_tokens
    from ...trace import find
    keys = tuple(key(v) for v in vs)
    with st.status("Aligning every pair of consecutive versions…", expanded=False) as status:
        chains, _ = cache.chains(keys)
        docs = [cache.document(*k) for k in keys]
        status.update(label=f"{len(vs)} versions aligned", state="complete")
    hits = find(chains, docs, label=label.strip() or None, search=None if label.strip() else search.strip())
    if not hits:
        st.warning("No paragraph found with that " + ("label." if label.strip() else "text."))
        return
    for n, chain in enumerate(hits[:10], 1):
        st.subheader(f"Paragraph {n} of {len(hits)}")
        prev = None
        for step in chain.steps:
            v, d = vs[step.version], docs[step.version]
            if not step.blocks:
                st.markdown(f"**{v.label}** — _{step.op}_")
                continue
            text = "\n".join(d.blocks[i].text for i in step.blocks)
            labels = ", ".join(d.blocks[i].label or "(no label)" for i in step.blocks)
            how = step.op if step.op in ("first", "inserted") else f"{step.op} {step.similarity:.2f}"
            st.markdown(f"**{v.label}** · {labels} · _{how}_ · {' › '.join(d.blocks[step.blocks[0]].path)}")
            lang = d.token_language
            body = diff_html(prev, text, diff_tokens(prev, text, lang)) if prev is not None and step.op != "equal" else text
            html(f'<div class="p {step.op}">{body}</div>')
            prev = text
