"""The compilation of a call: the bracketed consolidated text of every
submitted proposal, regenerated as proposals arrive; the co-facilitators'
decisions, their pick per divergence, and publication of the next version
with a Word redline and every proposal's fate."""
from __future__ import annotations

import streamlit as st

from ...store import AccessDenied
from .. import cache
from . import md, negotiation_and_calls, refused

KEEP, OWN = "keep the bracketed options", "our own wording"


@st.cache_data(max_entries=8, show_spinner=False)
def _compile(base: tuple[str, str, str], parties: tuple[tuple[str, str], ...]):
    """Pure: the call's text (by sha256) and each party's proposed text → the consolidation."""
    from ... import read
    from ...consolidate import build
    docs = [read(f"{p}.txt", data=t.encode("utf-8"), name=f"{p}.txt") for p, t in parties]
    return build(cache._document(*base), docs, [p for p, _ in parties])


def page() -> None:
    from ...export.consolidated import render_html
    from ...suggest import candidates
    st.title("Compilation")
    s = cache.store()
    found = negotiation_and_calls(s)
    if found is None:
        return
    nid, calls = found
    by_id = {c["id"]: c for c in calls}
    cid = st.selectbox("Call for inputs", list(by_id), index=len(calls) - 1, key="comp_call",
                       format_func=lambda i: by_id[i]["title"] + (" (published)" if by_id[i]["closed"] else ""))
    try:
        base, parties = s.compilation_inputs(cid)
    except AccessDenied as e:
        refused(e)
        st.caption("The compilation is for the secretariat and the negotiation's co-facilitators.")
        return
    props = [p for p in s.proposals(cid) if p.status in ("submitted", "accepted", "merged", "rejected")]
    st.subheader("Submitted proposals")
    if not props:
        st.info("No submitted proposal yet: the compilation appears as proposals arrive.")
        return
    st.dataframe([{"proposal": p.id, "delegation": p.delegation, "co-sponsors": ", ".join(d for d, t in p.cosponsors.items() if t),
                   "title": p.title, "status": p.status, "submitted (UTC)": f"{p.submitted:%Y-%m-%d %H:%M}" if p.submitted else "",
                   "receipt": (p.receipt or "")[:16], "fate": p.fate} for p in props], hide_index=True, width="stretch")
    closed = by_id[cid]["closed"] is not None
    if not closed:
        with st.expander("Decide on a proposal"):
            c1, c2, c3 = st.columns([1, 1, 2])
            pid = c1.selectbox("Proposal", [p.id for p in props], key="dec_pid")
            status = c2.selectbox("Decision", ["accepted", "merged", "rejected"], key="dec_status")
            fate = c3.text_input("Fate", placeholder="accepted into paragraph 12 bis", key="dec_fate")
            if st.button("Record the decision", key="dec_go"):
                try:
                    s.decide(pid, status, fate)
                    st.rerun()
                except (ValueError, AccessDenied) as e:
                    refused(e)
    if not parties:
        st.info("Every proposal was withdrawn or rejected: nothing to compile.")
        return
    with st.spinner("Compiling the proposals…"):
        cons = _compile(base, tuple((p, t) for p, t, _ in parties))
    picks: dict = st.session_state.setdefault(f"comp_picks_{cid}", {})
    div = [i for i, u in enumerate(cons.units) if u.divergent and u.labels]
    st.caption(f"{len(cons.parties)} parties · {len(div)} paragraphs with divergences")
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Consolidated text")
        st.html(render_html(cons, None, picks, "picked"))
    with right:
        if div and not closed:
            st.subheader("Pick per divergence")
            ui = st.selectbox("Paragraph", div, key="comp_unit",
                              format_func=lambda i: f"{cons.units[i].label or '(no label)'} · "
                                                    f"{cons.units[i].text_of(cons.units[i].present[0])[:40]}")
            u = cons.units[ui]
            lang = next((l for l in cons.languages.values() if l not in ("", "und")), "en")
            options = {KEEP: None}
            # Radio labels are Markdown: the wordings are escaped to show as typed.
            for p in u.present:
                options[md(f"{p}: {u.text_of(p)}")] = u.text_of(p)
            for k, cand in enumerate(candidates(u, lang), 1):
                options.setdefault(md(f"suggestion {k} ({cand.kind}): {cand.text}"), cand.text)
            options[OWN] = ""
            choice = st.radio("Wording", list(options), key=f"comp_choice_{cid}_{ui}")
            text = options[choice]
            if choice == OWN:
                text = st.text_area("Our wording", key=f"comp_own_{cid}_{ui}")
            if st.button("Use for this paragraph", key="comp_use"):
                if text is None:
                    picks.pop(ui, None)
                else:
                    picks[ui] = text
                st.rerun()
    if closed:
        st.success("A version was published from this call.")
        for pub in s.publications(nid):
            if pub["call_id"] == cid:
                st.download_button("Redline against the call's text (.docx)", s.get_file(pub["redline_sha256"]),
                                   f"redline-publication-{pub['id']}.docx", key=f"dl_red_{pub['id']}",
                                   mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        return
    st.subheader("Publish the next version")
    with st.form("publish"):
        label = st.text_input("Label of the new version", placeholder="Rev.2", key="pub_label")
        st.caption("Paragraphs not picked stay as bracketed options. Each proposal's fate follows from the picks "
                   "(all its wording kept: accepted; some: merged; none: not retained).")
        if st.form_submit_button("Publish", type="primary"):
            try:
                with st.spinner("Writing the new version and its redline…"):
                    pub = s.publish(cid, label.strip(), picks=dict(picks))
                st.session_state.pop(f"comp_picks_{cid}", None)
                st.success(md(f"Published {pub['version'].label}; "
                              + "; ".join(f"proposal {pid}: {fate}" for pid, (_, fate) in pub["fates"].items())))
            except (ValueError, AccessDenied) as e:
                refused(e)
