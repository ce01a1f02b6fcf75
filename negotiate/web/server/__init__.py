"""Server mode in the app: sign-in (Streamlit's st.login, OpenID Connect),
the acting person, and the pages of the submission cycle (issue 18).

Sign-in is required when NEGOTIATE_DB names a server database (PostgreSQL)
or NEGOTIATE_SIGN_IN=1. The identity provider is configured in
.streamlit/secrets.toml ([auth]; README). The person is known by the e-mail
their provider gives; what they may do is decided by the store's rules, not
by which buttons a page shows."""
from __future__ import annotations

import os
import re
import time

import streamlit as st

from ...store import LOCAL, User, server_mode

ANONYMOUS = User("anonymous", "not signed in")


def sign_in_required() -> bool:
    return server_mode() or os.environ.get("NEGOTIATE_SIGN_IN", "") == "1"


def _claims() -> dict:
    try:
        return st.user.to_dict() if st.user.is_logged_in else {}
    except Exception:           # no script run (a thread of a download button) or no [auth] secrets
        return {}


def acting_user() -> User:
    if not sign_in_required():
        return LOCAL
    claims = _claims()
    email = claims.get("email") or (claims.get("sub") if "@" in str(claims.get("sub", "")) else "")
    if not email or _expired(claims):
        return ANONYMOUS
    return User.of(str(email), str(claims.get("name") or ""))


def _expired(claims: dict) -> bool:
    exp = claims.get("exp")
    try:
        return exp is not None and float(exp) < time.time()
    except (TypeError, ValueError):
        return False


@st.cache_resource
def _recorded() -> set:
    return set()


def _sign_out() -> None:
    from .. import cache
    try:
        cache.store().record("sign-out")
    finally:
        st.logout()


def gate() -> None:
    """Before any page: in server mode, nobody goes further without signing
    in, an expired session signs in again, and a person with no membership
    is told whom to ask."""
    from .. import cache
    if not sign_in_required():
        _integrity_banner(cache)
        return
    claims = _claims()
    if not claims:
        st.title("negotiate")
        st.write("The secretariat's workspace for calls for inputs, submissions and compilations. "
                 "Sign in with your organisation's account.")
        st.button("Sign in", type="primary", key="sign_in", on_click=st.login)
        st.stop()
    if _expired(claims):
        st.title("negotiate")
        st.warning("Your session has expired. Sign in again to go on.")
        key = ("expired", claims.get("email"), claims.get("iat"))
        if key not in _recorded():
            _recorded().add(key)
            cache.store()
            cache._shared_store().as_user(User.of(str(claims.get("email") or claims.get("sub")))).record("session expired")
        st.button("Sign in again", type="primary", key="sign_in_again", on_click=st.login)
        st.stop()
    s = cache.store()
    if s.user is ANONYMOUS:
        st.error("Your identity provider did not give an e-mail address: negotiate needs one to know your role.")
        st.button("Sign out", key="sign_out", on_click=st.logout)
        st.stop()
    key = ("in", s.user.email, claims.get("iat"), claims.get("nonce"))
    if key not in _recorded():
        _recorded().add(key)
        s.record("sign-in", detail=str(claims.get("iss", "")))
    me = s.me()
    with st.sidebar:
        roles = _roles_text(me)
        st.caption(f"Signed in as **{md(me['email'])}**" + (f" · {md(roles)}" if roles else ""))
        st.button("Sign out", key="sign_out", on_click=_sign_out)
    if not me["registered"]:
        st.title("negotiate")
        st.info(f"You are signed in as {md(me['email'])}, but you have no role in this workspace yet. "
                "Ask the secretariat to add you to your delegation.")
        st.stop()
    if me["secretariat"]:
        _integrity_banner(cache)


def _roles_text(me: dict) -> str:
    bits = []
    if me["secretariat"]:
        bits.append("secretariat")
    if me["co-facilitator"]:
        bits.append("co-facilitator")
    for d, fp in me["delegations"].items():
        bits.append(f"{d}" + (" (focal point)" if fp else ""))
    if me["observer"]:
        bits.append("observer")
    return ", ".join(bits)


def _integrity_banner(cache) -> None:
    cache.store()                  # a damaged store stops here with its one line
    s = cache._shared_store()
    problems = getattr(s, "problems", [])
    if problems:
        with st.sidebar:
            st.warning(f"The store check found {len(problems)} problem(s): run `negotiate store check`.")
            for p in problems[:5]:
                st.caption(md(f"{p['what']}: {p['problem']}"))


def pages() -> list:
    """The pages of the submission cycle, for the navigation list."""
    from . import admin, calls, compilation, proposals
    return [
        st.Page(calls.page, title="Calls for inputs", icon=":material/campaign:", url_path="calls"),
        st.Page(proposals.page, title="My delegation's proposals", icon=":material/edit_note:", url_path="proposals"),
        st.Page(compilation.page, title="Compilation", icon=":material/library_books:", url_path="compilation"),
        st.Page(admin.members, title="Members", icon=":material/group:", url_path="members"),
        st.Page(admin.activity, title="Activity", icon=":material/history:", url_path="activity"),
    ]


def negotiation(s) -> int | None:
    """The negotiation chosen in the sidebar (or the first)."""
    nid = st.session_state.get("negotiation")
    if nid is None:
        negs = s.negotiations()
        nid = negs[0]["id"] if negs else None
    return nid


def negotiation_and_calls(s):
    """The chosen negotiation and its calls for inputs, or None after saying which is missing."""
    nid = negotiation(s)
    if nid is None:
        st.info("No negotiation yet.")
        return None
    calls = s.calls(nid)
    if not calls:
        st.info("No call for inputs in this negotiation yet.")
        return None
    return nid, calls


_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(text: str) -> str:
    """Text from a delegation put where Streamlit reads Markdown (labels, captions): shown as typed."""
    return _MD.sub(r"\\\1", str(text))


def reader_zone() -> str:
    """The reader's own time zone, as their browser reports it (UTC when it says nothing)."""
    try:
        tz = st.context.timezone
    except Exception:           # noqa: BLE001 - no browser (AppTest, a thread)
        tz = None
    from ...store.workflow import zone
    try:
        zone(tz)
        return tz or "UTC"
    except ValueError:
        return "UTC"


def deadline(call: dict) -> str:
    """A call's deadline on the call's clock (UTC beside it), and on the reader's when that is another."""
    from ...store.workflow import deadline_text, when
    own = deadline_text(call["deadline"], call.get("timezone") or "UTC")
    mine = reader_zone()
    if mine not in ("UTC", call.get("timezone")):
        own += f" — your time {when(call['deadline'], mine)}"
    return own


def refused(e: Exception) -> None:
    """A refusal of the store, shown as one line."""
    st.error(str(e))
