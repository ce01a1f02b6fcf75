"""My delegation's proposals: typed amendments, a Word file with tracked
changes, or a whole revised text; drafts seen only by the delegation; submit
(a receipt), withdraw, co-sponsors. `?proposal=N` opens one proposal — when
the store lets this person see it."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime

import streamlit as st

from ...store import AccessDenied, Amendment
from .. import cache
from . import deadline, md, negotiation_and_calls, refused

OPS = {"replace": "Replace the paragraph", "insert_after": "Insert a new paragraph after it", "delete": "Delete the paragraph",
       "move_after": "Move the paragraph after another"}


def page() -> None:
    st.title("My delegation's proposals")
    s = cache.store()
    linked = st.query_params.get("proposal")
    if linked:
        _linked(s, linked)
        return
    found = negotiation_and_calls(s)
    if found is None:
        return
    nid, calls = found
    me = s.me()
    mine = list(me["delegations"]) if not me["everything"] else [d["name"] for d in s.delegations()]
    if not mine:
        st.info("You are not a member of a delegation: only delegations make proposals.")
        return
    by_id = {c["id"]: c for c in calls}
    now = datetime.now(UTC)
    cid = st.selectbox("Call for inputs", list(by_id), index=len(calls) - 1, key="prop_call",
                       format_func=lambda i: f"{by_id[i]['title']} — until {deadline(by_id[i])}"
                       + (" (closed)" if by_id[i]["closed"] or by_id[i]["deadline"] < now else ""))
    call = by_id[cid]
    delegation = st.selectbox("For the delegation", mine, key="prop_delegation") if len(mine) > 1 else mine[0]
    if len(mine) == 1:
        st.caption(f"For the delegation: **{md(delegation)}**")
    _new(s, call, delegation)
    _ours(s, call, delegation)
    _invitations(s, call, delegation)


def _linked(s, ref: str) -> None:
    try:
        p = s.proposal(int(ref))
    except (ValueError, AccessDenied, KeyError):
        st.error(f"No proposal {md(ref)} is visible to you.")
        return
    _show(s, p, actions=False)


def _base_labels(s, call) -> tuple[list[str], dict[str, str]]:
    v = s.entry(call["version_id"])
    doc = cache.document(v.sha256, v.filename, v.reading)
    from ...store.workflow import _lab
    texts = {b.label: b.text for b in doc.blocks if b.label}
    wanted = {_lab(p) for p in call["paragraphs"]}
    open_ = [l for l in texts if not wanted or _lab(l) in wanted]
    return open_, texts


def _new(s, call, delegation: str) -> None:
    st.subheader("New proposal")
    key = f"draft_{call['id']}_{delegation}"
    ams: list[Amendment] = st.session_state.setdefault(key, [])
    typed, word, whole = st.tabs(["Typed amendments", "Word file with tracked changes", "Whole revised text"])
    with typed:
        labels, texts = _base_labels(s, call)
        c1, c2 = st.columns([1, 2])
        op = c1.radio("Amendment", list(OPS), format_func=OPS.get, key=f"{key}_op")
        para = c2.selectbox("Paragraph", labels, key=f"{key}_para")
        target = ""
        if op == "move_after":
            text = ""
            st.text(texts.get(para, ""))
            target = st.selectbox("After the paragraph", [t for t in texts if t != para], key=f"{key}_target")
        elif op != "delete":
            start = texts.get(para, "") if op == "replace" else ""
            text = st.text_area("Wording (brackets as usual: [shall][should])", value=start, key=f"{key}_text_{op}_{para}")
        else:
            text = ""
            st.text(texts.get(para, ""))
        if st.button("Add this amendment", key=f"{key}_add"):
            ams.append(Amendment(op, para, text, target or ""))
            st.rerun()
        for k, a in enumerate(ams):
            c1, c2 = st.columns([6, 1])
            c1.text(f"{k + 1}. {a.describe()}")
            if c2.button("Remove", key=f"{key}_rm_{k}"):
                ams.pop(k)
                st.rerun()
        title = st.text_input("Title", key=f"{key}_title", placeholder="e.g. Reporting cycle")
        b1, b2 = st.columns(2)
        for col, submit in ((b1, False), (b2, True)):
            if col.button("Submit now" if submit else "Save as draft", key=f"{key}_{submit}", type="primary" if submit else "secondary",
                          disabled=not ams):
                _make(s, call, delegation, key, title=title, amendments_=list(ams), submit=submit)
    for tab, form, types in ((word, "docx", ["docx"]), (whole, "text", cache.upload_types())):
        with tab:
            if form == "docx":
                st.caption("The call's text with your changes tracked in Word: every change becomes an amendment of "
                           f"{md(delegation)}, whatever author name Word shows.")
            up = st.file_uploader("File", type=types, key=f"{key}_{form}_file")
            title = st.text_input("Title", key=f"{key}_{form}_title")
            b1, b2 = st.columns(2)
            for col, submit in ((b1, False), (b2, True)):
                if col.button("Submit now" if submit else "Save as draft", key=f"{key}_{form}_{submit}", disabled=up is None,
                              type="primary" if submit else "secondary"):
                    _make(s, call, delegation, key, title=title, data=up.getvalue(), filename=up.name, submit=submit)


def _make(s, call, delegation, key, **kw) -> None:
    try:
        # One key per press: a retried request (a reconnect) stores the proposal once.
        p = s.propose(call["id"], delegation, idempotency_key=str(uuid.uuid4()), **kw)
    except (ValueError, AccessDenied) as e:
        refused(e)
        return
    st.session_state[key] = []
    st.session_state["prop_flash"] = (f"Submitted proposal {p.id}: receipt {p.receipt} at {p.submitted:%Y-%m-%d %H:%M:%S} UTC"
                                      if p.status == "submitted" else f"Draft {p.id} saved: only {delegation} sees it.")
    st.rerun()


RECENT = 10      # our proposals shown at once, newest first; the rest on request (each is a set of widgets)


def _ours(s, call, delegation: str) -> None:
    if "prop_flash" in st.session_state:
        st.success(md(st.session_state.pop("prop_flash")))
    ps = s.proposals(call["id"], delegation=delegation)
    st.subheader(md(f"{delegation}'s proposals in this call"))
    if not ps:
        st.caption("None yet.")
    ps = ps[::-1]
    if len(ps) > RECENT and not st.toggle(f"Show all {len(ps)} (the {RECENT} newest are shown)", key=f"all_{call['id']}"):
        ps = ps[:RECENT]
    names = [d["name"] for d in s.delegations()] if ps else []
    for p in ps:
        _show(s, p, actions=True, names=names)


def _show(s, p, actions: bool, names: list[str] | None = None) -> None:
    with st.expander(md(f"Proposal {p.id} · {p.title or p.form} · {p.status}"), expanded=not actions):
        st.caption(md(f"{p.delegation} · {p.form} · drafted by {p.created_by} {p.created:%Y-%m-%d %H:%M} UTC"
                      + (f" · submitted {p.submitted:%Y-%m-%d %H:%M:%S} UTC by {p.submitted_by}" if p.submitted else "")))
        if p.receipt:
            st.code(f"receipt sha256 {p.receipt}", language=None)
        if p.fate:
            st.info(md(f"Fate: {p.fate}"))
        for k, a in enumerate(p.amendments, 1):
            st.text(f"{k}. {a.describe()}")
        if p.cosponsors:
            st.caption(md("Co-sponsors: " + ", ".join(f"{d} ({'confirmed' if t else 'invited'})" for d, t in p.cosponsors.items())))
        if not actions:
            return
        c1, c2, c3 = st.columns(3)
        try:
            if p.status == "draft" and c1.button("Submit", key=f"sub_{p.id}", type="primary"):
                r = s.submit(p.id)
                st.session_state["prop_flash"] = f"Submitted proposal {r.id}: receipt {r.receipt}"
                st.rerun()
            if p.status in ("draft", "submitted") and c2.button("Withdraw", key=f"wd_{p.id}"):
                s.withdraw(p.id)
                st.rerun()
            names = names if names is not None else [d["name"] for d in s.delegations()]
            others = [n for n in names if n != p.delegation and n not in p.cosponsors]
            if p.status in ("draft", "submitted") and others:
                who = c3.selectbox("Invite a co-sponsor", [""] + others, key=f"inv_{p.id}")
                if who and c3.button("Invite", key=f"invb_{p.id}"):
                    s.invite_cosponsor(p.id, who)
                    st.rerun()
        except (ValueError, AccessDenied) as e:
            refused(e)


def _invitations(s, call, delegation: str) -> None:
    invited = s.invitations(call["id"], delegation)
    if not invited:
        return
    st.subheader(md(f"Invitations to {delegation} to co-sponsor"))
    for p in invited:
        _show(s, p, actions=False)
        if st.button(md(f"{delegation} co-sponsors proposal {p.id}"), key=f"conf_{p.id}"):
            try:
                s.confirm_cosponsor(p.id, delegation)
                st.rerun()
            except (ValueError, AccessDenied) as e:
                refused(e)
