"""The secretariat's pages: delegations and memberships; the activity log."""
from __future__ import annotations

import streamlit as st

from ...store import ROLES, AccessDenied
from .. import cache
from . import refused


def members() -> None:
    st.title("Members")
    s = cache.store()
    me = s.me()
    if not (me["secretariat"] or me["everything"]):
        st.info("Memberships are managed by the secretariat. Yours:")
        st.dataframe(_rows(s.memberships()), hide_index=True, width="stretch")
        return
    ds = s.delegations()
    st.subheader("Delegations")
    st.dataframe([{"delegation": d["name"], "group": "yes" if d["group"] else ""} for d in ds], hide_index=True)
    with st.form("add_delegation", clear_on_submit=True):
        c1, c2 = st.columns([3, 1])
        name = c1.text_input("New delegation", placeholder="G-77 and China", key="adm_dname")
        group = c2.checkbox("a group (its focal points submit)", key="adm_dgroup")
        if st.form_submit_button("Add the delegation"):
            try:
                s.add_delegation(name, group=group)
                st.rerun()
            except (ValueError, AccessDenied) as e:
                refused(e)
    st.subheader("Memberships")
    ms = s.memberships()
    st.dataframe(_rows(ms), hide_index=True, width="stretch")
    negs = {n["id"]: n["name"] for n in s.negotiations()}
    with st.form("grant"):
        c1, c2, c3 = st.columns(3)
        email = c1.text_input("E-mail (as the identity provider gives it)", key="adm_email")
        role = c2.selectbox("Role", ROLES, key="adm_role")
        where = c3.selectbox("Delegation (member) or negotiation (co-facilitator)",
                             [""] + [d["name"] for d in ds] + [f"negotiation: {n}" for n in negs.values()], key="adm_where")
        focal = st.checkbox("Focal point (submits for a group)", key="adm_focal")
        if st.form_submit_button("Grant"):
            try:
                nid = next((i for i, n in negs.items() if where == f"negotiation: {n}"), None)
                s.grant(email, role, negotiation_id=nid, delegation=where if role == "member" else None, focal_point=focal)
                st.rerun()
            except (ValueError, AccessDenied) as e:
                refused(e)
    if ms:
        with st.form("revoke"):
            mid = st.selectbox("End a membership (kept in the history)", [m["id"] for m in ms], key="adm_revoke",
                               format_func=lambda i: next(f"{m['email']} — {m['role']} {m['delegation'] or ''}"
                                                          for m in ms if m["id"] == i))
            if st.form_submit_button("Revoke"):
                try:
                    s.revoke(mid)
                    st.rerun()
                except (ValueError, AccessDenied) as e:
                    refused(e)


def _rows(ms) -> list[dict]:
    return [{"id": m["id"], "e-mail": m["email"], "role": m["role"],
             "of": m["delegation"] or (f"negotiation {m['negotiation_id']}" if m["negotiation_id"] else ""),
             "focal point": "yes" if m["focal_point"] else "", "since": f"{m['created']:%Y-%m-%d}"} for m in ms]


def activity() -> None:
    st.title("Activity")
    s = cache.store()
    try:
        log = s.activity(limit=2000)
    except AccessDenied as e:
        refused(e)
        st.caption("The activity log is for the secretariat.")
        return
    st.caption("Every action, appended and never changed: who, when, what (sha256 of files).")
    st.download_button("Export as CSV", lambda: cache.store().activity_csv().encode("utf-8"), "activity.csv",
                       mime="text/csv", key="dl_activity")
    st.dataframe([{"when (UTC)": f"{x['at']:%Y-%m-%d %H:%M:%S}", "who": x["actor"], "action": x["action"],
                   "negotiation": x["negotiation_id"], "subject": x["subject"], "detail": x["detail"],
                   "sha256": x["sha256"][:16]} for x in log], hide_index=True, width="stretch")
