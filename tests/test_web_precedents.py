"""The Library page, the Precedents view and the agreed-language marker, with AppTest."""
import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from negotiate import read
from negotiate.precedents import Library

from .conftest import CORPORA


@pytest.fixture(autouse=True)
def fresh_store(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGOTIATE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEGOTIATE_DB", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def run(code: str, **state) -> AppTest:
    at = AppTest.from_string(code, default_timeout=120)
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


LIB = "from negotiate.web import precedents as p\np.library_page()\n"
PREC = "from negotiate.web import precedents as p\np.precedents_page()\n"


def _entries():
    from negotiate.web import cache
    s = cache.store()
    nid = s.negotiations()[0]["id"]
    return s.entries(nid)


def test_library_page_adds_from_the_workspace_and_removes():
    at = run(LIB)
    assert not at.exception
    assert any("library is empty" in i.value for i in at.info)
    first = _entries()[0]
    at.multiselect(key="lib_from_ws").set_value([first.id]).run()
    at.button(key="lib_add").click().run()
    assert not at.exception
    assert any("added" in s.value for s in at.success)
    assert "1 documents" in at.subheader[0].value
    at.button(key="lib_remove").click().run()
    assert any("removed" in s.value for s in at.success)
    assert any("library is empty" in i.value for i in at.info)


def test_precedents_view_marks_spans_and_opens_the_source_beside():
    lib = Library()
    lib.add(read(CORPORA / "framework-v1-compilation.txt"))
    streamlined = next(e for e in _entries() if e.label == "Streamlined")
    at = run(PREC, prec_pick=streamlined.id)
    assert not at.exception
    html = [h.proto.body for h in at.get("html")]
    assert any("<mark" in h for h in html)
    assert "reuse agreed language" in at.caption[0].value
    opener = next(b for b in at.button if b.key.startswith("prec_open_"))
    assert re.search(r"(para\. .+|¶\d+), \d\.\d\d$", opener.label), opener.label
    opener.click().run()
    assert not at.exception
    assert any('class="prec src"' in h.proto.body for h in at.get("html"))


def test_precedents_view_escapes_text(tmp_path):
    evil = ("1. The <script>alert(1)</script> Conference of the Parties shall review the implementation "
            "of this Agreement & its annexes at regular intervals.\n")
    p = tmp_path / "evil.txt"
    p.write_text(evil, encoding="utf-8")
    Library().add(read(p))
    from negotiate.web import cache
    s = cache.store()
    nid = s.negotiations()[0]["id"]
    draft = "1. A new <b>first</b> paragraph.\n\n2." + evil[2:]     # not the same file: the same wording
    e = s.add(nid, draft.encode(), "evil-draft.txt", "Evil draft")
    at = run(PREC, prec_pick=e.id)
    assert not at.exception
    body = "".join(h.proto.body for h in at.get("html"))
    assert "<mark" in body and "&lt;script&gt;" in body and "<script>alert" not in body


def test_empty_library_warns_on_precedents_and_marker_stays_quiet():
    at = run(PREC)
    assert not at.exception
    assert any("library is empty" in w.value for w in at.warning)
    at = run("from negotiate.web.pages import compare\ncompare.page()\n")
    assert not at.exception
    assert any("Library page" in c.value for c in at.caption)


def test_compare_marks_new_wording_that_is_agreed_language():
    Library().add(read(CORPORA / "framework-v3-revised.txt"))
    at = run("from negotiate.web.pages import compare\ncompare.page()\n")
    assert not at.exception
    assert any(x.label.startswith("Agreed language:") for x in at.expander)


def test_consolidate_marks_proposals_that_are_agreed_language():
    Library().add(read(CORPORA / "framework-v3-revised.txt"))
    at = run("from negotiate.web.pages import consolidate\nconsolidate.page()\n")
    assert not at.exception
    assert any(x.label.startswith("Agreed language:") for x in at.expander)
