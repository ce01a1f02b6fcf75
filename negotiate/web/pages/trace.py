"""The Trace page: a paragraph through every version (by label, path or text; its
address names it, so a delegate can send the link)."""
from __future__ import annotations

import streamlit as st

from ...export.html import diff_html
from .. import cache
from .common import current, esc, from_address, html, key, link, md_html, notes_of, to_address, two_or_more


def page() -> None:
    vs = two_or_more("Trace")
    if not vs:
        return
    _, nid = current()
    ids = [v.id for v in vs]
    c1, c2, c3 = st.columns([2, 2, 2])
    from_address("tr_label", "label")
    label = c1.text_input("Paragraph label or path", key="tr_label", placeholder="12, 7 bis. or Article 4/2")
    to_address("tr_label", "label", label.strip(), "")
    from_address("tr_search", "q")
    search = c2.text_input("…or text it contains", key="tr_search")
    to_address("tr_search", "q", search.strip(), "")
    from_address("tr_in", "v", int, lambda v: v in ids or v == 0)
    names = {v.id: v.label for v in vs}
    where = c3.selectbox("Label read in", [0] + ids, key="tr_in",
                         format_func=lambda i: "the first version that has it" if i == 0 else names[i])
    to_address("tr_in", "v", where, 0)
    if not label.strip() and not search.strip():
        st.info("Give a label (read in the first version that has it), a path such as Article 4/2, or some text.")
        return
    from ...trace import find, step_diffs
    keys = tuple(key(v) for v in vs)
    # A spinner (shown only if this takes more than half a second), not st.status: st.status
    # sleeps 50 ms when it is made, on every run of the page, for its own updates to show.
    with st.spinner("Aligning every pair of consecutive versions…"):
        chains, _ = cache.chains(keys)
        docs = [cache.document(*k) for k in keys]
    st.caption(f"{len(vs)} versions aligned")
    version = ids.index(where) if where else None
    hits = find(chains, docs, label=label.strip() or None, search=None if label.strip() else search.strip(),
                version=version)
    if not hits:
        st.warning("No paragraph found with that " + ("label." if label.strip() else "text."))
        return
    notes = [notes_of(d) if d.format == "md" else {} for d in docs]
    step_diffs(hits[:10], docs)   # each shown step's Step.diff, as the CLI shows it
    # One block of HTML per paragraph (its steps' headings with their texts): drawn as some fifty
    # Markdown and HTML elements, the page cost the browser more than the trace itself.
    for n, chain in enumerate(hits[:10], 1):
        st.subheader(f"Paragraph {n} of {len(hits)}")
        prev, prev_v, out = None, None, []
        for step in chain.steps:
            v, d = vs[step.version], docs[step.version]
            if not step.blocks:
                out.append(f'<p class="step"><b>{esc(v.label)}</b> — <em>{esc(step.op)}</em></p>')
                continue
            text = "\n".join(d.blocks[i].text for i in step.blocks)
            labels = ", ".join(d.blocks[i].label or "(no label)" for i in step.blocks)
            how = step.op if step.op in ("first", "inserted") else f"{step.op} {step.similarity:.2f}"
            path = " › ".join(d.blocks[step.blocks[0]].path)
            out.append(f'<p class="step"><b>{esc(v.label)}</b> · {esc(labels)} · <em>{esc(how)}</em> · {esc(path)}</p>')
            body = diff_html(prev, text, step.diff) \
                if prev is not None and step.diff is not None and step.op != "equal" else esc(text).replace("\n", "<br>")
            if d.format == "md":
                body = md_html(body, notes[step.version])
            more = ""
            if prev_v is not None:
                more = (f' <span class="where"><a href="{esc(link("compare", n=nid, old=prev_v.id, new=v.id, p=path))}" '
                        f'target="_self">compare {esc(prev_v.label)} → {esc(v.label)}</a></span>')
            out.append(f'<div class="p {esc(step.op)}">{body}{more}</div>')
            prev, prev_v = text, v
        html("".join(out))
