"""The app in server mode (AppTest): every page behind sign-in, the pages of
the submission cycle, and privacy through the address (issue 18)."""
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from negotiate.store import Amendment, Store, User

from .test_store_access import PEOPLE, TEXT


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A signed-in workspace on SQLite (NEGOTIATE_SIGN_IN=1), with the people
    of test_store_access; `who` sets the identity the provider gave."""
    monkeypatch.setenv("NEGOTIATE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEGOTIATE_SIGN_IN", "1")
    st.cache_resource.clear()
    st.cache_data.clear()
    op = Store(root=tmp_path / "home")
    nid = op.create_negotiation("Framework")
    v = op.add(nid, TEXT.encode(), "rev1.txt", "Rev.1")
    op.add_delegation("EU")
    op.add_delegation("Norway")
    op.grant(PEOPLE["sec"], "secretariat")
    op.grant(PEOPLE["cofac"], "co-facilitator", negotiation_id=nid)
    op.grant(PEOPLE["eu"], "member", delegation="EU")
    op.grant(PEOPLE["no"], "member", delegation="Norway")
    call = op.open_call(nid, v.id, "Inputs on Rev.1", datetime.utcnow() + timedelta(days=3), ["1", "3", "4"])
    claims = {}

    def who(key, **extra):
        claims.clear()
        if key:
            claims.update({"email": PEOPLE.get(key, key), "sub": key, "iss": "test", "iat": time.time(),
                           "exp": time.time() + 3600, **extra})
    import negotiate.web.server as srv
    monkeypatch.setattr(srv, "_claims", lambda: dict(claims))
    yield type("W", (), {"op": op, "nid": nid, "call": call, "who": staticmethod(who), "v": v})
    st.cache_resource.clear()
    st.cache_data.clear()


def run(page: str, **query) -> AppTest:
    mod, fn = page.split(".")
    at = AppTest.from_string(
        "from negotiate.web import server\n"
        "server.gate()\n"
        f"from negotiate.web.server import {mod}\n{mod}.{fn}()\n", default_timeout=120)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _texts(at) -> str:
    out = []
    for kind in ("markdown", "text", "caption", "code", "error", "info", "success", "warning", "title", "subheader"):
        out += [str(getattr(e, "value", "")) for e in at.get(kind)]
    out += [e.value.to_string() for e in at.dataframe]
    out += [o for r in at.radio for o in r.options] + [o for b in at.selectbox for o in b.options]
    out += [e.proto.body for e in at.get("html")]
    return "\n".join(out)


def test_every_page_waits_for_sign_in(server):
    server.who(None)
    for page in ("proposals.page", "calls.page", "compilation.page", "admin.activity", "admin.members"):
        at = run(page)
        assert not at.exception
        assert [b.label for b in at.button] == ["Sign in"]
        assert "Inputs on Rev.1" not in _texts(at) and "Rev.1" not in _texts(at)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120).run()      # the whole app too
    assert [b.label for b in at.button] == ["Sign in"] and not at.metric


def test_expired_session_signs_in_again(server):
    server.who("eu", exp=time.time() - 5)
    at = run("proposals.page")
    assert "expired" in at.warning[0].value and [b.label for b in at.button] == ["Sign in again"]
    assert any(x["action"] == "session expired" for x in server.op.activity())


def test_signed_in_without_a_role_sees_nothing(server):
    server.who("stranger")
    at = run("calls.page")
    assert "no role in this workspace" in at.info[0].value and "Inputs on Rev.1" not in _texts(at)


def test_a_delegate_drafts_and_submits_and_another_cannot_see_it(server):
    server.who("eu")
    at = run("proposals.page")
    assert not at.exception and "EU" in _texts(at)
    key = f"draft_{server.call}_EU"
    at.selectbox(key=f"{key}_para").set_value("3.").run()
    at.text_area(key=f"{key}_text_replace_3.").set_value("[Developed countries] shall provide [new and additional] resources.").run()
    at.button(key=f"{key}_add").click().run()
    at.text_input(key=f"{key}_title").set_value("EU secret line").run()
    at.button(key=f"{key}_False").click().run()            # save as draft
    assert not at.exception
    assert "only EU sees it" in at.success[0].value.replace("\\", "")
    [p] = server.op.proposals(server.call)
    assert p.status == "draft" and p.amendments[0].text.startswith("[Developed countries]")
    assert sum(x["action"] == "sign-in" for x in server.op.activity()) == 1
    # Norway: not in its list, and not through the address either.
    server.who("no")
    at = run("proposals.page")
    assert "EU secret line" not in _texts(at) and "new and additional" not in _texts(at)
    at = run("proposals.page", proposal=str(p.id))
    assert at.error[0].value == f"No proposal {p.id} is visible to you."
    assert "EU secret line" not in _texts(at) and "new and additional" not in _texts(at)
    # Neither do the co-facilitators see a draft…
    server.who("cofac")
    at = run("proposals.page", proposal=str(p.id))
    assert at.error and "new and additional" not in _texts(at)
    # …until it is submitted.
    server.who("eu")
    at = run("proposals.page")
    at.button(key=f"sub_{p.id}").click().run()
    assert "receipt" in at.success[0].value
    server.who("cofac")
    at = run("proposals.page", proposal=str(p.id))
    assert not at.error and "new and additional" in _texts(at)
    at = run("compilation.page")
    assert not at.exception and "(EU)" in _texts(at)
    server.who("no")
    at = run("compilation.page")
    assert at.error and "new and additional" not in _texts(at)


def test_compilation_pick_and_publish(server):
    eu = server.op.as_user(User.of(PEOPLE["eu"]))
    no = server.op.as_user(User.of(PEOPLE["no"]))
    eu.propose(server.call, "EU", amendments_=[Amendment("replace", "1", "Parties shall report every five years.")], submit=True)
    no.propose(server.call, "Norway", amendments_=[Amendment("replace", "1", "Parties shall report annually.")], submit=True)
    server.who("cofac")
    at = run("compilation.page")
    assert not at.exception
    choices = at.radio[0].options
    from negotiate.web.server import md
    pick = next(o for o in choices if o.startswith(md("EU: ")))
    at.radio[0].set_value(pick).run()
    at.button(key="comp_use").click().run()
    _button(at, "Publish").click().run()
    assert "needs a label" in at.error[0].value              # refused, one line
    at.text_input(key="pub_label").set_value("Rev.2")
    _button(at, "Publish").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "Published Rev\\.2" in at.success[0].value
    fates = {p.delegation: (p.status, p.fate) for p in server.op.proposals(server.call)}
    assert fates == {"EU": ("accepted", "accepted into paragraph 1."), "Norway": ("rejected", "not retained")}
    assert [e.label for e in server.op.entries(server.nid, "version")] == ["Rev.1", "Rev.2"]


def test_activity_for_the_secretariat_only(server):
    server.who("sec")
    at = run("admin.activity")
    assert not at.exception and "call opened" in _texts(at)
    assert [d.proto.label for d in at.get("download_button")] == ["Export as CSV"]
    server.who("eu")
    at = run("admin.activity")
    assert at.error and "call opened" not in _texts(at)
    at = run("admin.members")                      # one's own memberships only
    assert PEOPLE["eu"] in _texts(at) and PEOPLE["no"] not in _texts(at)


def test_secretariat_opens_a_call_and_grants(server):
    server.who("sec")
    at = run("calls.page")
    at.text_input(key="call_title").set_value("Second round")
    at.multiselect(key="call_paras").set_value(["5."])
    at.date_input(key="call_day").set_value(datetime(2031, 1, 15).date())
    at.selectbox(key="call_tz").set_value("Asia/Tokyo")
    _button(at, "Open the call").click().run()
    assert not at.exception
    assert [c["title"] for c in server.op.calls(server.nid)] == ["Inputs on Rev.1", "Second round"]
    new = server.op.calls(server.nid)[1]                  # 23:59 in Tokyo is 14:59 UTC, on the call's clock
    assert (new["timezone"], f"{new['deadline']:%Y-%m-%d %H:%M %Z}") == ("Asia/Tokyo", "2031-01-15 14:59 UTC")
    assert "2031-01-15 23:59 JST (Asia/Tokyo; 2031-01-15 14:59 UTC)" in _texts(run("calls.page"))
    at = run("admin.members")
    at.text_input(key="adm_email").set_value("new@norway.example")
    at.selectbox(key="adm_role").set_value("member")
    at.selectbox(key="adm_where").set_value("Norway")
    _button(at, "Grant").click().run()
    assert not at.exception
    assert any(m["email"] == "new@norway.example" and m["delegation"] == "Norway" for m in server.op.memberships())


def test_local_mode_needs_no_sign_in(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGOTIATE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEGOTIATE_SIGN_IN", raising=False)
    monkeypatch.delenv("NEGOTIATE_DB", raising=False)
    st.cache_resource.clear()
    at = run("calls.page")
    assert not at.exception and not [b for b in at.button if b.label == "Sign in"]
    assert at.title[0].value == "Calls for inputs"
    st.cache_resource.clear()


def test_cached_readings_do_not_leak_a_file_by_its_sha256(server):
    """The app caches documents by sha256 across sessions: the store is asked
    first, as this session's person."""
    eu = server.op.as_user(User.of(PEOPLE["eu"]))
    text = TEXT.replace("every three years", "every [EU-only] years").encode()
    p = eu.propose(server.call, "EU", data=text, filename="eu.txt")
    script = ("from negotiate.web import server, cache\nimport streamlit as st\nserver.gate()\n"
              f"try:\n    st.text(cache.document({p.sha256!r}, 'eu.txt').blocks[1].text)\n"
              "except Exception as e:\n    st.error(type(e).__name__)\n")
    server.who("eu")
    at = AppTest.from_string(script, default_timeout=120).run()
    assert "EU-only" in at.text[0].value                       # cached now
    server.who("no")
    at = AppTest.from_string(script, default_timeout=120).run()
    assert [e.value for e in at.error] == ["AccessDenied"] and not at.text


@pytest.mark.parametrize("call", [
    "cache.document_as({sha!r}, 'eu.txt', '', 'markup').blocks[1].text",
    "cache.brackets_report(({sha!r}, 'eu.txt', '')).totals()",
    "cache.language({sha!r}, 'eu.txt')",
])
def test_no_cached_result_leaks_another_delegations_file(server, call):
    """Every cached call, not only the reading: a cache hit computed for the EU
    must not reach Norway (each argument's file is checked before the cache)."""
    eu = server.op.as_user(User.of(PEOPLE["eu"]))
    text = TEXT.replace("every three years", "every [EU-only] years").encode()
    p = eu.propose(server.call, "EU", data=text, filename="eu.txt")
    expr = call.format(sha=p.sha256)
    script = ("from negotiate.web import server, cache\nimport streamlit as st\nserver.gate()\n"
              f"try:\n    st.text(str({expr}))\n"
              "except Exception as e:\n    st.error(type(e).__name__)\n")
    server.who("eu")
    at = AppTest.from_string(script, default_timeout=120).run()
    assert at.text and not at.error, [e.value for e in at.error]      # computed and cached for the EU
    server.who("no")
    at = AppTest.from_string(script, default_timeout=120).run()
    assert [e.value for e in at.error] == ["AccessDenied"] and not at.text


def test_app_refuses_a_damaged_store_with_one_line(tmp_path, monkeypatch):
    home = tmp_path / "home"
    s = Store(root=home)
    s.add(s.create_negotiation("N"), b"1. Precious.\n", "a.txt", "v1")
    s.engine.dispose()
    (home / "negotiate.db").write_bytes(b"garbage" * 1000)
    monkeypatch.setenv("NEGOTIATE_HOME", str(home))
    monkeypatch.delenv("NEGOTIATE_SIGN_IN", raising=False)
    st.cache_resource.clear()
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert str(home / "negotiate.db") in at.error[0].value and "backup" in at.error[0].value
    assert (home / "negotiate.db").read_bytes() == b"garbage" * 1000           # not seeded over
    st.cache_resource.clear()


def test_app_checks_the_store_on_open(tmp_path, monkeypatch):
    home = tmp_path / "home"
    s = Store(root=home)
    e = s.add(s.create_negotiation("N"), b"1. Precious.\n", "a.txt", "v1")
    s.path_of(e.sha256).write_bytes(b"1. Altered.\n")
    monkeypatch.setenv("NEGOTIATE_HOME", str(home))
    monkeypatch.delenv("NEGOTIATE_SIGN_IN", raising=False)
    st.cache_resource.clear()
    at = run("calls.page")
    assert not at.exception
    assert "1 problem" in at.sidebar.warning[0].value and "no longer matches" in at.sidebar.caption[0].value
    st.cache_resource.clear()


def test_a_delegations_markup_is_shown_as_typed(server):
    eu = server.op.as_user(User.of(PEOPLE["eu"]))
    evil = "Parties shall report <img src=x onerror=alert(1)> *every* [five](http://x.example) years & more."
    p = eu.propose(server.call, "EU", amendments_=[Amendment("replace", "1", evil)], title="<b>bold</b> *t*",
                   submit=True)
    server.who("cofac")
    at = run("compilation.page")
    assert not at.exception
    body = "".join(h.proto.body for h in at.get("html"))
    assert "<img" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body and "&amp; more" in body
    from negotiate.web.server import md
    assert any(o == md(f"EU: {evil}") for o in at.radio[0].options)
    at = run("proposals.page", proposal=str(p.id))
    assert not at.exception and at.expander[0].label == md(f"Proposal {p.id} · <b>bold</b> *t* · submitted")


def test_library_page_by_role(server):
    """The Library page in server mode: the secretariat adds texts; an observer
    reads the list with no way to change it; the store refuses them if asked."""
    from negotiate import read
    from negotiate.precedents import Library
    from negotiate.store import AccessDenied
    Library().add(read("A-RES-1.txt", data=b"1. Recognizes the sound management of chemicals and waste.\n",
                       name="A-RES-1.txt"), "A-RES-1.txt")
    page = ("from negotiate.web import server\nserver.gate()\n"
            "from negotiate.web import precedents as p\np.library_page()\n")
    server.who("sec")
    at = AppTest.from_string(page, default_timeout=120).run()
    assert not at.exception and any(b.label == "Add to the library" for b in at.button)
    assert any(b.label == "Remove from the library" for b in at.button)
    server.who("obs")
    server.op.grant(PEOPLE["obs"], "observer")
    at = AppTest.from_string(page, default_timeout=120).run()
    assert not at.exception and "A-RES-1.txt" in _texts(at)
    assert not any(b.label in ("Add to the library", "Remove from the library") for b in at.button)
    view = server.op.as_user(User.of(PEOPLE["obs"])).library(Library())
    with pytest.raises(AccessDenied):
        view.remove("A-RES-1.txt")
    server.who(None)
    at = AppTest.from_string(page, default_timeout=120).run()
    assert "A-RES-1.txt" not in _texts(at) and any(b.label == "Sign in" for b in at.button)


def _unreachable_database_page():
    from sqlalchemy.exc import OperationalError

    from negotiate.web import guarded

    def page():
        raise OperationalError("SELECT 1", {}, Exception("connection failed: server closed the connection unexpectedly"))
    guarded(page)


def _a_bug_page():
    from negotiate.web import guarded

    def page():
        raise KeyError("not a database error")
    guarded(page)


def test_a_database_that_cannot_be_reached_is_one_line_not_a_traceback():
    """PostgreSQL restarting under a signed-in delegate (bench/server.py restarts it) showed
    SQLAlchemy's traceback on the page; now one line says what happened, and a bug still
    shows as one."""
    at = AppTest.from_function(_unreachable_database_page).run()
    assert not at.exception and len(at.error) == 1
    assert "database cannot be reached" in at.error[0].value and "server closed the connection" in at.error[0].value
    at = AppTest.from_function(_a_bug_page).run()
    assert at.exception
