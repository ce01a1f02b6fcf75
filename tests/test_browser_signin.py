"""Sign-in in a real browser (issue 18): the app on PostgreSQL behind st.login,
a real OpenID Connect provider (PyPI's oidc-provider-mock) on loopback,
Debian's chromium through Playwright — two people sign in and out, each sees
only what is theirs, and a third whose ID token expires has to sign in again."""
import tempfile
import time
from pathlib import Path

import pytest

from negotiate.store import Amendment, Store, User

from .test_browser import ARGS, CHROMIUM, _need_browser

EXPIRES_IN = 25         # seconds: carol's ID token, and with it her session in the app


@pytest.fixture
def site(pg_cluster, tmp_path):
    _need_browser()
    from negotiate.web import trial
    url = pg_cluster.create_database("signin")
    ids = trial.demo(url, tmp_path / "home")
    s = Store(url=url, root=tmp_path / "home")
    alice = s.as_user(User.of("alice@eu.example"))
    draft = alice.propose(ids["call"], "EU", amendments_=[Amendment("replace", "1.", "Acknowledges [EU secret line].")],
                          title="EU secret line")
    pport, aport = trial.free_port(), trial.free_port()
    procs = [trial.start_provider(pport)]
    trial.write_secrets(tmp_path, aport, pport)
    try:
        procs.append(trial.start_app(aport, tmp_path, {"NEGOTIATE_DB": url, "NEGOTIATE_HOME": str(tmp_path / "home")}))
        yield {"app": f"http://127.0.0.1:{aport}", "idp": f"http://127.0.0.1:{pport}", "draft": draft.id, "store": s}
    finally:
        for p in procs:
            p.terminate()
            p.wait(20)
        s.engine.dispose()


def _sign_in(page, site, who: str) -> float:
    page.goto(site["app"] + "/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site["idp"] + "/**", timeout=60000)
    page.get_by_role("button", name=who, exact=True).click()
    page.get_by_text("Signed in as").first.wait_for(timeout=90000)
    return time.time()


def _sign_in_expiring(page, site, sub: str, seconds: int) -> float:
    """Sign in as a person whose ID token expires `seconds` from now: the mock
    provider puts a user's own claims last, so an `exp` claim is the token's."""
    import json
    import urllib.request
    exp = int(time.time()) + seconds
    req = urllib.request.Request(f"{site['idp']}/users/{sub}", method="PUT", headers={"Content-Type": "application/json"},
                                 data=json.dumps({"email": f"{sub}@eu.example", "exp": exp}).encode())
    urllib.request.urlopen(req, timeout=30).close()
    page.goto(site["app"] + "/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site["idp"] + "/**", timeout=60000)
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.get_by_text("Signed in as").first.wait_for(timeout=90000)
    return exp


def _sign_out(page, site) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(site["idp"] + "/**", timeout=60000)        # the provider's end-session page
    page.get_by_role("button", name="End session").click()
    page.get_by_role("button", name="Sign in").wait_for(timeout=60000)


def _body(page, wait_for: str) -> str:
    page.get_by_text(wait_for).first.wait_for(timeout=90000)
    page.wait_for_timeout(1500)                # let the rest of the page arrive
    return page.inner_text("body")


def test_two_people_sign_in_and_out_and_a_session_expires(site):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        # Not signed in: every page is the sign-in page, whatever the address.
        page.goto(site["app"] + f"/proposals?proposal={site['draft']}")
        page.get_by_role("button", name="Sign in").wait_for(timeout=90000)
        assert "EU secret line" not in page.inner_text("body")
        # Alice (EU) sees her delegation's draft.
        _sign_in(page, site, "alice")
        page.goto(site["app"] + "/proposals")
        body = _body(page, "EU secret line")
        assert "alice@eu.example" in body and "draft" in body
        _sign_out(page, site)
        page.goto(site["app"] + "/proposals")
        page.get_by_role("button", name="Sign in").wait_for(timeout=90000)
        assert "EU secret line" not in page.inner_text("body")
        # Bob (Norway) does not: not in his list, not by its address.
        _sign_in(page, site, "bob")
        page.goto(site["app"] + "/proposals")
        body = _body(page, "For the delegation")
        assert "bob@norway.example" in body and "Norway" in body and "EU secret line" not in body
        page.goto(site["app"] + f"/proposals?proposal={site['draft']}")
        body = _body(page, f"No proposal {site['draft']} is visible to you.")
        assert "EU secret line" not in body
        page.screenshot(path=str(Path(tempfile.gettempdir()) / "negotiate-signin-bob.png"))
        _sign_out(page, site)
        # Carol's ID token expires: the next page asks her to sign in again.
        exp = _sign_in_expiring(page, site, "carol", EXPIRES_IN)
        time.sleep(max(0.0, exp + 1 - time.time()))
        page.goto(site["app"] + "/proposals")
        body = _body(page, "Your session has expired")
        assert "carol" not in body and page.get_by_role("button", name="Sign in again").is_visible()
        browser.close()
    log = site["store"].activity()
    actions = [(x["actor"], x["action"]) for x in log]
    assert ("alice@eu.example", "sign-in") in actions and ("alice@eu.example", "sign-out") in actions
    assert ("bob@norway.example", "sign-in") in actions and ("bob@norway.example", "sign-out") in actions
    assert ("carol@eu.example", "sign-in") in actions and ("carol@eu.example", "session expired") in actions
