"""The Parity page and Compare's parallel view for two versions in different languages (AppTest)."""
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from .test_parity import EN, FR, ZH


@pytest.fixture()
def negotiation(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGOTIATE_HOME", str(tmp_path / "home"))
    st.cache_resource.clear()
    st.cache_data.clear()
    from negotiate.web import cache
    s = cache.store()
    nid = s.create_negotiation("Three languages (ours)", "TEST/1")
    # A French version that departs: another article cited, and a hostile label and text.
    fr = FR.replace("l'article 3", "l'article 4").replace("« Partie »", "<script>alert(1)</script>")
    for label, name, text in (("EN", "en.txt", EN), ("FR", "fr.txt", fr), ("ZH", "zh.txt", ZH)):
        s.add(nid, text.encode("utf-8"), name, label)
    yield nid
    st.cache_resource.clear()
    st.cache_data.clear()


def _run(script: str, nid: int, **state) -> AppTest:
    at = AppTest.from_string(script, default_timeout=120)
    at.session_state["negotiation"] = nid
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def test_parity_page_columns_highlights_filters_links(negotiation):
    at = _run("from negotiate.web import parity_page\nparity_page.page()\n", negotiation)
    assert not at.exception and not at.error
    assert [m.label for m in at.metric][:2] == ["Rows", "Paired in every version"]
    assert at.metric[1].value == "100.0%"
    body = at.get("html")[0].proto.body
    assert body.count("<th") == 4                               # the row column and three versions
    assert 'class="bad"' in body and "reference: article 4 where the others have article 3" in body
    assert "./document?e=" in body and "&amp;block=" in body   # each paragraph linked, attribute escaped
    # Filters by kind: choosing only 'missing' leaves no row.
    at.multiselect(key="par_kinds").set_value(["missing"]).run()
    assert "article 4 where" not in at.get("html")[0].proto.body
    # Every row, not only those that differ: the hostile text is there, escaped.
    at.multiselect(key="par_kinds").set_value(["reference"]).run()
    at.toggle(key="par_only").set_value(False).run()
    body = at.get("html")[0].proto.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body


def test_compare_shows_a_parallel_text_for_two_languages(negotiation):
    from negotiate.web import cache
    ids = [e.id for e in cache.store().entries(negotiation, "version")]
    at = _run("from negotiate.web.pages import compare\ncompare.page()\n", negotiation, cmp_old=ids[0], cmp_new=ids[2])
    assert not at.exception
    assert any("different languages (English and Chinese)" in w.value and "not as a diff" in w.value
               for w in at.warning)
    assert not at.metric                                       # no diff metrics: no "Modified", "Deleted"
    body = at.get("html")[0].proto.body
    assert 'class="par"' in body and "<del" not in body and "<ins" not in body


def test_compare_in_one_language_is_still_a_diff(negotiation, tmp_path):
    from negotiate.web import cache
    s = cache.store()
    s.add(negotiation, EN.replace("30 days", "31 days").encode("utf-8"), "en2.txt", "EN 2")
    ids = [e.id for e in s.entries(negotiation, "version")]
    at = _run("from negotiate.web.pages import compare\ncompare.page()\n", negotiation, cmp_old=ids[0], cmp_new=ids[-1])
    assert not at.exception
    assert not any("different languages" in w.value for w in at.warning)
    assert [m.label for m in at.metric][0] == "Modified"


def test_a_parity_link_opens_that_paragraph_in_the_document_page(negotiation):
    """The Parity page's links (`./document?e=ENTRY&block=I`) land on that paragraph."""
    from negotiate.web import cache
    e = cache.store().entries(negotiation, "version")[1]
    doc = cache.document(e.sha256, e.filename, e.reading)
    i = next(b.index for b in doc.blocks if b.text.strip())
    at = AppTest.from_string("from negotiate.web.pages import document\ndocument.page()\n", default_timeout=120)
    at.session_state["negotiation"] = negotiation
    at.query_params["e"] = str(e.id)
    at.query_params["block"] = str(i)
    at.run()
    assert not at.exception and not at.error
    assert any(f"Paragraph #{i}" in m.value for m in at.markdown)
    assert at.info and doc.blocks[i].text.split()[0] in at.info[0].value
    at.query_params["block"] = "99999"          # a block the version does not have: nothing shown
    at.run()
    assert not at.exception and not at.info
