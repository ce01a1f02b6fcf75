"""The Consolidate page: a base and parties' proposals → bracketed text, compromises."""
from __future__ import annotations

import streamlit as st

from ...errors import NegotiateError
from .. import cache
from .common import current, key, entry_name, pick, versions, html


def page() -> None:
    from ...consolidate import Style, render_unit
    from ...suggest import candidates
    st.title("Consolidate")
    s, nid = current()
    vs = versions()
    props = s.entries(nid, "proposal") if nid is not None else []
    if not vs or not props:
        st.info("Add a base version and at least one party's proposal in the Workspace.")
        return
    base = pick(st, "Base", vs, "cons_base", len(vs) - 1)
    chosen = st.multiselect("Proposals", [p.id for p in props], default=[p.id for p in props],
                            format_func=lambda i: entry_name(next(p for p in props if p.id == i)), key="cons_props")
    if not chosen:
        st.info("Choose at least one proposal.")
        return
    sel = [next(p for p in props if p.id == i) for i in chosen]
    try:
        with st.spinner("Aligning the proposals with the base…"):
            c = cache.consolidation(key(base), tuple(key(p) for p in sel), tuple(p.party for p in sel))
    except NegotiateError as e:
        st.error(e.oneline())
        return
    picks: dict = st.session_state.setdefault("cons_picks", {})
    div = [i for i, u in enumerate(c.units) if u.divergent and u.labels]
    st.caption(f"{len(c.parties)} parties · {len(c.units)} paragraphs · {len(div)} with divergences")
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Consolidated text")
        out = []
        for i, u in enumerate(c.units):
            if not u.labels:
                continue
            if i in picks:
                out.append(f"<p><b>{u.label}</b> <ins>{picks[i]}</ins> <i>(compromise)</i></p>")
                continue
            for lab, t in render_unit(u, Style()):
                out.append(f"<p><b>{lab}</b> {t}</p>")
        html("".join(out))
    with right:
        st.subheader("Compromise suggestions")
        if not div:
            st.success("No divergences: every party has the same text.")
        else:
            ui = st.selectbox("Paragraph", div, key="cons_unit",
                              format_func=lambda i: f"{c.units[i].label or '(no label)'} · {c.units[i].text_of(c.units[i].present[0])[:50]}")
            lang = next((l for l in c.languages.values() if l not in ("", "und")), "en")
            cands = candidates(c.units[ui], lang)
            st.caption("Suggestions, not decisions. Kept = share of each party's words the candidate keeps.")
            for k, cand in enumerate(cands):
                st.markdown(f"**{k + 1}. {cand.kind}** — smallest kept {cand.minimum:.0%}, mean {cand.mean:.0%}")
                st.write(cand.text)
                st.dataframe([{p: f"{v:.0%}" for p, v in cand.retention.items()}], hide_index=True)
            texts = [cd.text for cd in cands]
            choice = st.radio("Start from", range(len(texts)), format_func=lambda k: f"candidate {k + 1}", key=f"cons_choice_{ui}",
                              horizontal=True)
            edited = st.text_area("Compromise text", value=texts[choice] if texts else "", key=f"cons_edit_{ui}_{choice}")
            b1, b2 = st.columns(2)
            if b1.button("Use this text", key="cons_use"):
                picks[ui] = edited
                st.rerun()
            if ui in picks and b2.button("Back to the bracketed text", key="cons_clear"):
                picks.pop(ui)
                st.rerun()
    d1, d2 = st.columns(2)
    d1.download_button("Consolidated text (.docx)", _consolidated_docx(c, picks), "consolidated.docx", key="dl_cons",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    d2.download_button("Proposals as tracked changes by party (.docx)",
                       lambda: cache.tracked_proposals(key(base), tuple(key(p) for p in sel), tuple(p.party for p in sel)),
                       "proposals-tracked.docx", key="dl_tracked",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _consolidated_docx(c, picks) -> bytes:
    from ...consolidate import Style, render_unit
    from ...export.wordml import DocxWriter, Para, Run
    w = DocxWriter("Consolidated text")
    for i, u in enumerate(c.units):
        if not u.labels:
            continue
        if i in picks:
            w.add(Para([Run((u.label + "\t") if u.label else ""), Run(picks[i])]))
            continue
        for lab, t in render_unit(u, Style()):
            w.add(Para([Run((lab + "\t") if lab else ""), Run(t)]))
    return w.to_bytes()
