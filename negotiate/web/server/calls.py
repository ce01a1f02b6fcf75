"""Calls for inputs: the secretariat opens one on a version of the text (the
paragraphs open for proposals, a deadline) and reopens it; everyone sees them."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import available_timezones

import streamlit as st

from ...errors import NegotiateError
from ...store import AccessDenied
from .. import cache
from . import deadline, negotiation, reader_zone, refused


def _zones() -> list[str]:
    return ["UTC"] + sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


def page() -> None:
    st.title("Calls for inputs")
    s = cache.store()
    nid = negotiation(s)
    if nid is None:
        st.info("No negotiation yet.")
        return
    me = s.me()
    calls = s.calls(nid)
    now = datetime.now(UTC)
    if calls:
        st.dataframe([{"call": c["id"], "title": c["title"], "text": _label(s, c["version_id"]),
                       "paragraphs": ", ".join(c["paragraphs"]) or "all",
                       "deadline": deadline(c),
                       "state": "closed (published)" if c["closed"] else ("open" if c["deadline"] > now else "deadline passed")}
                      for c in calls], hide_index=True, width="stretch")
    else:
        st.info("No call for inputs in this negotiation yet.")
    if not (me["secretariat"] or me["everything"]):
        return
    vs = s.entries(nid, "version")
    if not vs:
        st.info("Add a version of the text in the Workspace to open a call on it.")
        return
    st.subheader("Open a call")
    with st.form("open_call"):
        title = st.text_input("Title", placeholder="Written inputs on the co-facilitators' Rev.1", key="call_title")
        by_id = {v.id: v for v in vs}
        vid = st.selectbox("Text", list(by_id), index=len(vs) - 1, format_func=lambda i: by_id[i].label, key="call_text")
        try:
            labels = [b.label for b in cache.document(by_id[vid].sha256, by_id[vid].filename, by_id[vid].reading).blocks
                      if b.label]
        except NegotiateError as e:
            st.error(e.oneline())
            labels = []
        paras = st.multiselect("Paragraphs open for proposals (none: all)", labels, key="call_paras")
        c1, c2, c3 = st.columns(3)
        day = c1.date_input("Deadline", value=(now + timedelta(days=14)).date(), key="call_day")
        hour = c2.time_input("at", value=time(23, 59), key="call_time")
        zones = _zones()
        mine = reader_zone()
        tz = c3.selectbox("on the clock of", zones, index=zones.index(mine) if mine in zones else 0, key="call_tz",
                          help="The time zone of the meeting (e.g. Europe/Zurich for Geneva): the deadline is "
                               "that wall-clock time there, and is shown in it.")
        if st.form_submit_button("Open the call", type="primary"):
            try:
                cid = s.open_call(nid, vid, title, datetime.combine(day, hour), paras, timezone=tz)
                st.success(f"Call {cid} opened.")
                st.rerun()
            except (ValueError, AccessDenied) as e:
                refused(e)
    open_ = [c for c in calls if not c["closed"]]
    if open_:
        st.subheader("Reopen or extend a call")
        with st.form("reopen_call"):
            cid = st.selectbox("Call", [c["id"] for c in open_], key="reopen_id",
                               format_func=lambda i: next(f"{c['id']}. {c['title']}" for c in open_ if c["id"] == i))
            c1, c2 = st.columns(2)
            day = c1.date_input("New deadline (on the call's clock)", value=(now + timedelta(days=7)).date(),
                                key="reopen_day")
            hour = c2.time_input("at", value=time(23, 59), key="reopen_time")
            if st.form_submit_button("Set the new deadline"):
                try:
                    s.reopen_call(cid, datetime.combine(day, hour))
                    st.rerun()
                except (ValueError, AccessDenied) as e:
                    refused(e)


def _label(s, vid: int) -> str:
    try:
        return s.entry(vid).label
    except KeyError:
        return f"entry {vid}"
