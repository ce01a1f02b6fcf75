"""Every page of the app, with streamlit.testing.v1.AppTest."""
import os
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from negotiate import read

from .conftest import CORPORA

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fresh_store(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGOTIATE_HOME", str(tmp_path / "home"))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def page(name: str, **state) -> AppTest:
    at = AppTest.from_string(f"from negotiate.web.pages import common, {name}\ncommon.sidebar()\n{name}.page()\n", default_timeout=120)
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def add_field(at, name: str):
    """The add form's Label or Party: its key changes after each addition (a fresh, empty field)."""
    return at.text_input(key=f"{name}_{at.session_state['uploads'] if 'uploads' in at.session_state else 0}")


def test_first_launch_shows_a_real_comparison():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels[:5] == ["Modified", "Moved", "Split / merged", "Inserted", "Deleted"]
    assert int(at.metric[0].value) > 0
    assert any("sbs" in h.proto.body for h in at.get("html"))


def test_compare_filters_search_and_downloads():
    at = page("compare")
    assert not at.exception
    at.radio(key="cmp_show").set_value("only moves").run()
    moved = int(next(m.value for m in at.metric if m.label == "Moved"))
    assert int(at.caption[0].value.split()[0]) == moved
    at.radio(key="cmp_show").set_value("everything").run()
    at.text_input(key="cmp_search").set_value("International Conference").run()
    shown = int(at.caption[0].value.split()[0])
    assert 0 < shown < 20
    dl = at.get("download_button")
    assert [d.proto.label for d in dl] == ["Redline (.docx)", "PDF", "HTML", "JSON"]
    # The redline offered is one the library reads back: accept gives the new version.
    from negotiate.web import cache
    s = cache.store()
    nid = s.negotiations()[0]["id"]
    vs = s.entries(nid, "version")
    files = cache.exports((vs[-2].sha256, vs[-2].filename), (vs[-1].sha256, vs[-1].filename), "negotiate")
    p = Path(os.environ["NEGOTIATE_HOME"]) / "r.docx"
    p.write_bytes(files["docx"])
    acc = read(p, revisions="accept")
    new = read(CORPORA / "framework-v3-revised.docx")
    assert [(b.label, " ".join(b.text.split())) for b in acc.blocks] == \
           [(b.label, " ".join(b.text.split())) for b in new.blocks if b.kind != "footnote"]


def test_workspace_upload_and_bad_upload():
    at = page("workspace")
    assert not at.exception
    add_field(at, "add_label").set_value("Uploaded draft")
    data = (CORPORA / "framework-v3-revised.docx").read_bytes()
    at.file_uploader[0].set_value(("draft.docx", data,
                                              "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    at.button(key="add_button").click().run()
    assert not at.exception
    assert any("Added Uploaded draft" in s.value for s in at.success)
    # A broken file: a clear error naming the file, and the app goes on.
    at.file_uploader[0].set_value(("broken.docx", b"PK\x03\x04 not really", "application/octet-stream"))
    at.button(key="add_button").click().run()
    assert not at.exception
    assert at.error and at.error[0].value.startswith("broken.docx:") and "corrupt" in at.error[0].value
    at.file_uploader[0].set_value(("empty.txt", b"", "text/plain"))
    at.button(key="add_button").click().run()
    assert at.error and "empty" in at.error[0].value


def test_workspace_persists_across_restarts():
    at = page("workspace")
    at.selectbox(key="add_corpus").set_value("zh-framework-v2.txt")
    add_field(at, "add_label").set_value("Chinese v2")
    at.button(key="add_button").click().run()
    assert at.success
    st.cache_resource.clear()         # a restart: a new Store on the same folder
    st.cache_data.clear()
    from negotiate.web import cache
    s = cache.store()
    labels = [e.label for n in s.negotiations() for e in s.entries(n["id"])]
    assert "Chinese v2" in labels


def test_trace_page():
    at = page("trace")
    at.text_input(key="tr_label").set_value("7 bis.").run()
    assert not at.exception
    text = " ".join(h.proto.body for h in at.get("html"))
    assert "<b>Compilation</b> · 7 bis." in text and "<b>Streamlined</b>" in text


def test_brackets_page():
    at = page("brackets")
    assert not at.exception
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    values = [int(m.value) for m in at.metric]
    assert values[0] > values[1] > values[2]


def test_consolidate_page_pick_and_export():
    at = page("consolidate")
    assert not at.exception
    assert "parties" in at.caption[0].value
    at.button(key="cons_use").click().run()
    assert not at.exception
    assert "(compromise)" in "".join(h.proto.body for h in at.get("html"))
    assert [d.proto.label for d in at.get("download_button")] == [
        "Consolidated text (.docx)", "Proposals as tracked changes by party (.docx)"]
    # The tracked-changes download: rejecting every change gives the base back.
    from negotiate.web import cache
    s = cache.store()
    nid = s.negotiations()[0]["id"]
    base = s.entries(nid, "version")[-1]
    props = s.entries(nid, "proposal")
    data = cache.tracked_proposals((base.sha256, base.filename, base.reading),
                                   tuple((p.sha256, p.filename, p.reading) for p in props), tuple(p.party for p in props))
    path = Path(os.environ["NEGOTIATE_HOME"]) / "tracked.docx"
    path.write_bytes(data)
    rejected = read(path, revisions="reject")
    want = read(CORPORA / base.filename)
    assert [" ".join((b.label + " " + b.text).split()) for b in rejected.blocks] == \
           [" ".join((b.label + " " + b.text).split()) for b in want.blocks if b.kind != "footnote"]
    authors = {a.strip() for b in read(path, revisions="markup").blocks for r in b.revisions for a in r.author.split(",")}
    assert authors and authors <= {p.party for p in props}    # EU's proposal is the base itself: no changes
    # Both downloads are the base's own package (the seeded base is a .docx): its styles and
    # numbering parts as they are, not a new document's.
    import io
    import zipfile
    made = ("proposals", (base.sha256, base.filename, base.reading),
            tuple((p.sha256, p.filename, p.reading) for p in props), tuple(p.party for p in props))
    bracketed = cache.consolidated_docx(made, base.sha256, ())
    original = zipfile.ZipFile(CORPORA / base.filename)
    for out in (data, bracketed):
        z = zipfile.ZipFile(io.BytesIO(out))
        for part in ("word/styles.xml", "word/numbering.xml"):
            assert z.read(part) == original.read(part), part


def test_document_page():
    at = page("document")
    assert not at.exception
    assert at.metric[0].label == "Blocks" and int(at.metric[0].value) > 100


def test_workspace_reads_a_scanned_pdf_by_ocr(tmp_path):
    import shutil
    if not shutil.which("tesseract"):
        if os.environ.get("CI"):
            pytest.fail("tesseract is missing in CI: .ci/run should have installed it")
        pytest.skip("tesseract is not installed")
    from .test_ingest_pdf import _scanned_pdf
    scan = tmp_path / "scan.pdf"
    _scanned_pdf(scan, ["1. Parties shall report every year.", "", "2. Governments should cooperate."])
    at = page("workspace")
    add_field(at, "add_label").set_value("Scanned")
    at.file_uploader[0].set_value(("scan.pdf", scan.read_bytes(), "application/pdf"))
    at.button(key="add_button").click().run()
    # Without OCR: the error says what to do in the app, not on the command line.
    assert at.error and at.error[0].value.startswith("scan.pdf: the PDF has no text layer")
    assert "tick “Read a PDF's pages by OCR”" in at.error[0].value and "--ocr" not in at.error[0].value
    at.checkbox(key="add_ocr").check()
    at.file_uploader[0].set_value(("scan.pdf", scan.read_bytes(), "application/pdf"))
    at.button(key="add_button").click().run()
    assert not at.exception and not at.error
    assert any(s.value.startswith("Added Scanned") and ": 2 paragraphs" in s.value for s in at.success)
    from negotiate.web import cache
    s = cache.store()
    e = next(e for n in s.negotiations() for e in s.entries(n["id"]) if e.label == "Scanned")
    assert e.reading == "ocr"
    doc = cache.document(*((e.sha256, e.filename, e.reading)))
    assert [b.label for b in doc.blocks] == ["1.", "2."]
    at = page("document", doc_pick=e.id)
    assert not at.exception and any("OCR" in w.value for w in at.warning)


# -- issue 17: a real day's work ------------------------------------------------------------------
def _store():
    from negotiate.web import cache
    return cache.store()


def test_new_negotiation_is_created_and_chosen_without_a_traceback():
    at = page("workspace")
    at.text_input(key="new_name").set_value("BBNJ <IGC5> & co")
    at.button[[b.proto.label for b in at.button].index("Create")].click().run()
    assert not at.exception
    s = _store()
    nid = next(n["id"] for n in s.negotiations() if n["name"] == "BBNJ <IGC5> & co")
    assert at.session_state["negotiation"] == nid
    assert any("is ready" in m.value for m in at.success)
    assert at.query_params.get("n") in (str(nid), [str(nid)])


def test_upload_form_forgets_label_and_party_and_names_the_clash():
    at = page("workspace")
    at.radio(key="add_kind").set_value("proposal").run()
    add_field(at, "add_label").set_value("Rev.1")
    add_field(at, "add_party").set_value("EU")
    at.selectbox(key="add_corpus").set_value("framework-v3-revised.txt")
    at.button(key="add_button").click().run()
    assert any("Added Rev.1 — EU" in m.value for m in at.success)
    assert add_field(at, "add_label").value == "" and add_field(at, "add_party").value == ""
    # The same label and party again, with another file: refused, naming the clash, with a way to replace.
    add_field(at, "add_label").set_value("Rev.1")
    add_field(at, "add_party").set_value("EU")
    at.selectbox(key="add_corpus").set_value("framework-v2-streamlined.txt")
    at.button(key="add_button").click().run()
    assert not at.exception
    assert at.error and "already a proposal of EU labelled 'Rev.1'" in at.error[0].value
    at.checkbox(key="add_replace").check()
    at.button(key="add_button").click().run()
    assert not at.error and any("Added Rev.1 — EU" in m.value for m in at.success)
    s = _store()
    nid = at.session_state["negotiation"]
    [e] = [e for e in s.entries(nid, "proposal") if e.label == "Rev.1" and e.party == "EU"]
    assert e.filename == "framework-v2-streamlined.txt"


def test_rename_reassign_remove_undo_restore():
    s = _store()
    at = page("workspace")
    nid = at.session_state["negotiation"]
    prop = s.entries(nid, "proposal")[0]
    at.selectbox(key="edit_pick").set_value(prop.id).run()
    at.text_input(key=f"edit_label_{prop.id}").set_value("Renamed")
    at.text_input(key=f"edit_party_{prop.id}").set_value("Norway")
    at.button(key="edit_save").click().run()
    assert not at.exception and not at.error
    e = s.entry(prop.id)
    assert (e.label, e.party) == ("Renamed", "Norway")
    at.selectbox(key="edit_pick").set_value(prop.id).run()
    at.button(key="edit_remove").click().run()
    assert prop.id not in [x.id for x in s.entries(nid)]
    assert any("Removed Renamed" in m.value for m in at.info)
    at.button(key="undo_button").click().run()
    assert prop.id in [x.id for x in s.entries(nid)]
    at.selectbox(key="edit_pick").set_value(prop.id).run()
    at.button(key="edit_remove").click().run()
    at = page("workspace", negotiation=nid)        # a later visit: restore from the Removed list
    at.button(key=f"restore_{prop.id}").click().run()
    assert not at.exception and s.entry(prop.id).removed is None
    # Compare and Consolidate no longer offer a removed entry.
    s.remove(prop.id)
    at = page("consolidate", negotiation=nid)
    assert all(prop.id not in (ms.options or []) for ms in at.multiselect) or not at.multiselect


def test_consolidate_from_one_party_inputs_docx():
    s = _store()
    nid = s.negotiations()[0]["id"]
    data = (CORPORA / "framework-v2-party-inputs.docx").read_bytes()
    e = s.add(nid, data, "framework-v2-party-inputs.docx", "Party inputs")
    at = page("consolidate", negotiation=nid)
    at.radio(key="cons_source").set_value("docx").run()
    at.selectbox(key=f"cons_inputs_{nid}").set_value(e.id).run()
    assert not at.exception and not at.error
    preview = at.dataframe[0].value
    parties = list(preview["party"])
    assert len(parties) >= 2 and (preview["insertions"] + preview["deletions"]).sum() > 0
    at.toggle(key=f"cons_go_{e.id}").set_value(True).run()
    assert not at.exception
    assert any(c.value.startswith(f"{len(parties)} parties") for c in at.caption)
    body = "".join(h.proto.body for h in at.get("html"))
    assert any(f"({p})" in body or f"{p})" in body for p in parties)


def test_compromise_editor_starts_afresh_when_the_proposals_change():
    s = _store()
    nid = s.negotiations()[0]["id"]
    s.add(nid, (CORPORA / "framework-v2-streamlined.txt").read_bytes(), "framework-v2-streamlined.txt", "Streamlined",
          kind="proposal", party="Canada")
    at = page("consolidate", negotiation=nid)
    props = [p.id for p in s.entries(nid, "proposal")]
    assert at.multiselect(key=f"cons_props_{nid}").value == props
    [area] = at.text_area
    area.set_value("WORDING ONLY EU WANTED").run()
    at.multiselect(key=f"cons_props_{nid}").set_value(props[1:]).run()     # another choice of proposals
    assert all(a.value != "WORDING ONLY EU WANTED" for a in at.text_area)
    at.button(key="cons_use").click().run()
    body = "".join(h.proto.body for h in at.get("html"))
    assert "(compromise)" in body and "WORDING ONLY EU WANTED" not in body


def test_switching_negotiation_on_consolidate_chooses_all_its_proposals():
    s = _store()
    n2 = s.create_negotiation("Second")
    s.add(n2, (CORPORA / "framework-v1-compilation.txt").read_bytes(), "b.txt", "Base")
    ids = [s.add(n2, (CORPORA / f).read_bytes(), f, "P", kind="proposal", party=p).id
           for f, p in (("framework-v2-streamlined.txt", "EU"), ("framework-v3-revised.txt", "GRULAC"))]
    at = page("consolidate")
    at.selectbox(key="negotiation").set_value(n2).run()
    assert not at.exception
    assert at.multiselect(key=f"cons_props_{n2}").value == ids


def test_two_proposals_of_one_party_name_the_clash():
    s = _store()
    nid = s.negotiations()[0]["id"]
    s.add(nid, (CORPORA / "framework-v2-streamlined.txt").read_bytes(), "other.txt", "Second try",
          kind="proposal", party="EU")
    at = page("consolidate", negotiation=nid)
    assert at.error and at.error[0].value.startswith("EU has two proposals chosen")
    assert "other.txt" in at.error[0].value


def test_search_every_version_grouped_by_paragraph():
    at = page("search")
    at.text_input(key="se_q").set_value("International Conference shall review").run()
    assert not at.exception
    body = "".join(h.proto.body for h in at.get("html"))
    assert body.count("<details") >= 1 and "<mark>" in body
    assert "Compilation" in body and "Revised" in body and 'href="trace?' in body
    at.radio(key="se_how").set_value("a label or path").run()
    at.text_input(key="se_q").set_value("7 bis.").run()
    assert "found in" in "".join(h.proto.body for h in at.get("html"))
    assert at.query_params.get("how") in ("a label or path", ["a label or path"])


def test_document_lists_comments_by_author():
    """The COP29 party-inputs draft: its 95 comments by 9 authors, with date and anchor, filterable."""
    from .conftest import REALTEXTS
    src = REALTEXTS / "art6-2-cop29" / "art6-2-cma-draft-decision-party-inputs.docx"
    if not src.exists():
        pytest.skip("../shared/realtexts is not here")
    s = _store()
    nid = s.negotiations()[0]["id"]
    e = s.add(nid, src.read_bytes(), src.name, "COP29 party inputs")
    at = page("document", negotiation=nid, doc_pick=e.id)
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 95 and table["author"].nunique() == 9
    assert {"author", "date", "anchored to", "comment"} <= set(table.columns) and table["anchored to"].str.len().sum() > 0
    first = table["author"][0]
    at.multiselect(key="doc_authors").set_value([first]).run()
    assert set(at.dataframe[0].value["author"]) == {first}
    at.radio(key="doc_rev").set_value("markup").run()
    assert not at.exception and int(next(m.value for m in at.metric if m.label == "Tracked changes")) > 0


def test_compare_by_section_renumbered_moved_and_linked():
    s = _store()
    nid = s.negotiations()[0]["id"]
    v1, v2 = s.entries(nid, "version")[:2]
    at = page("compare", negotiation=nid, cmp_old=v1.id, cmp_new=v2.id)
    assert not at.exception
    body = shown_html(at)
    sections = {k for k, _ in cache_comparison(v1, v2).by_section()}
    assert len(re.findall(r'<details open id="s\d+"><summary>', body)) == len(sections) >= 2   # a heading per section
    # The first rows only are laid out; the sections after them say so and link to themselves alone.
    assert "laid out below" in at.caption[0].value and body.count('<tr class="') < 100
    later = re.findall(r'<p class="later">[^<]*<a href="([^"]+)"', body)
    assert later and all("sec=" in h and f"old={v1.id}" in h for h in later)
    # A moved row whose other end is not laid out links to that paragraph's address instead.
    ids = set(re.findall(r' id="([rg]\d+)"', body))
    assert all(i in ids for i in re.findall(r'href="#([rg]\d+)"', body))
    at.button(key="cmp_every").click().run()
    body = shown_html(at)
    assert "laid out below" not in at.caption[0].value and 'class="later"' not in body
    assert "renumbered " in body and "→" in body                              # 7 → 8, not EQUAL
    assert ">equal<" not in body                                              # under "only changes"
    assert "moved from <a href=\"#g" in body and "was moved to <a href=\"#r" in body   # both ends linked
    assert 'href="trace?n=' in body and f"old={v1.id}" in body and "legend" in body
    assert at.query_params.get("old") in (str(v1.id), [str(v1.id)])
    at.radio(key="cmp_view").set_value("inline").run()
    assert '<div class="p ' in "".join(h.proto.body for h in at.get("html"))
    # A link to one paragraph, as a colleague receives it.
    at = AppTest.from_string("from negotiate.web.pages import common, compare\ncommon.sidebar()\ncompare.page()\n",
                             default_timeout=120)
    at.query_params.update({"n": str(nid), "old": str(v1.id), "new": str(v2.id), "p": "II › 8", "show": "everything"})
    at.run()
    assert not at.exception and at.selectbox(key="cmp_old").value == v1.id
    assert at.radio(key="cmp_show").value == "everything"
    assert int(at.caption[0].value.split()[0]) == 1
    # Linked to one paragraph, it shows whatever the "Show" filter (an unchanged paragraph too).
    at = AppTest.from_string("from negotiate.web.pages import common, compare\ncommon.sidebar()\ncompare.page()\n",
                             default_timeout=120)
    c = cache_comparison(v1, v2)
    same = next(p for p in c.pairs if p.link.op == "equal" and not p.changes and p.link.new)
    where = " › ".join(c.new.blocks[same.link.new[0]].path)
    at.query_params.update({"n": str(nid), "old": str(v1.id), "new": str(v2.id), "p": where})
    at.run()
    assert at.radio(key="cmp_show").value == "only changes" and int(at.caption[0].value.split()[0]) >= 1


def shown_html(at) -> str:
    """The HTML of the page without the rows and sections its filters hide (a <style> of their ids)."""
    from lxml import html as lh
    bodies = [h.proto.body for h in at.get("html")]
    hidden = {i for b in bodies for i in re.findall(r"\.ng #([rgs]\d+)", b) if b.startswith("<style>") and "{display:none}" in b}
    out = []
    for b in bodies:
        if not hidden or 'id="r' not in b:
            out.append(b)
            continue
        tree = lh.fragment_fromstring(b, create_parent="div")
        for el in tree.xpath("//*[@id]"):
            if el.get("id") in hidden:
                el.drop_tree()
        out.append(lh.tostring(tree, encoding="unicode"))
    return "".join(out)


def test_compare_filters_only_hide_rows_laid_out_once():
    """Between "only changes" and "everything" the same block of rows is sent (the browser keeps it)
    with a style hiding rows."""
    s = _store()
    v1, v2 = s.entries(s.negotiations()[0]["id"], "version")[:2]
    at = page("compare", negotiation=s.negotiations()[0]["id"], cmp_old=v1.id, cmp_new=v2.id)
    big = lambda: max((h.proto.body for h in at.get("html")), key=len)        # noqa: E731
    first = big()
    hidden = lambda: "".join(h.proto.body for h in at.get("html") if h.proto.body.startswith("<style>.ng #"))  # noqa: E731
    at.radio(key="cmp_show").set_value("everything").run()
    assert big() == first and hidden() == ""
    # "Only moves" lays out the moved rows alone (a few, where the other filters hide among many).
    at.radio(key="cmp_show").set_value("only moves").run()
    assert big() != first and big().count('<tr class="') == big().count('<tr class="moved"') + big().count('<tr class="ghost"')
    moved = int(next(m.value for m in at.metric if m.label == "Moved"))
    assert shown_html(at).count('<tr class="moved"') == moved == int(at.caption[0].value.split()[0]) > 0
    at.radio(key="cmp_view").set_value("inline").run()
    assert big() != first and '<div class="p ' in big()


def cache_comparison(a, b):
    from negotiate.web import cache
    return cache.comparison((a.sha256, a.filename, a.reading), (b.sha256, b.filename, b.reading))


def test_brackets_chart_never_reuses_a_colour():
    s = _store()
    paris = next((n["id"] for n in s.negotiations() if n["name"].startswith("Paris")), None)
    if paris is None:
        pytest.skip("../shared/realtexts is not here")
    import json
    at = page("brackets", negotiation=paris)
    assert not at.exception
    spec = json.loads((at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"))[0].proto.spec)
    sections = spec["encoding"]["color"]["sort"]          # every section the chart colours, in order
    assert 2 <= len(sections) <= 20 and any(x.endswith("other sections") for x in sections)
    legend = spec["encoding"]["color"]["legend"]
    assert legend["labelLimit"] == 0 and legend["symbolLimit"] == 0


def test_welcome_names_the_jobs_and_opens_the_paris_example():
    s = _store()
    paris = next((n["id"] for n in s.negotiations() if n["name"].startswith("Paris")), None)
    at = page("workspace")
    text = " ".join(m.value for m in at.markdown)
    assert all(job in text for job in ("Compare", "Trace", "Brackets", "Consolidate"))
    if paris is None:
        return
    at.button(key="welcome_paris").click().run()
    assert not at.exception
    vs = {e.id: e.label for e in s.entries(paris, "version")}
    assert at.session_state["negotiation"] == paris
    one = lambda v: v[0] if isinstance(v, list) else v      # noqa: E731
    assert vs[int(one(at.query_params["old"]))] == "4 Dec" and vs[int(one(at.query_params["new"]))] == "9 Dec"


def test_compare_welcome_opens_the_paris_example():
    """The first Compare screen's example opens Paris 4 Dec → 9 Dec: its button survived neither the
    page's own address (old= written on the first run hid the welcome, and the click with it) nor a
    Markdown link (Streamlit follows one inside the session and drops its query string)."""
    s = _store()
    paris = next((n["id"] for n in s.negotiations() if n["name"].startswith("Paris")), None)
    if paris is None:
        pytest.skip("../shared/realtexts is not here")
    at = page("compare")
    assert at.query_params.get("old")                     # the page wrote its state into the address
    at.button(key="compare_welcome_paris").click().run()
    assert not at.exception
    assert at.session_state["negotiation"] == paris
    vs = {e.id: e.label for e in s.entries(paris, "version")}
    assert vs[at.session_state["cmp_old"]] == "4 Dec" and vs[at.session_state["cmp_new"]] == "9 Dec"


def test_an_address_followed_inside_the_session_wins_over_the_kept_state():
    """Streamlit keeps the session when a link to one of the app's pages (or Back) is followed in
    the same tab: an address that differs from what the page last wrote there is the user's choice."""
    s = _store()
    ids = [n["id"] for n in s.negotiations()]
    at = page("compare")
    first = at.session_state["negotiation"]
    other = next(i for i in ids if i != first)
    at.query_params["n"] = str(other)
    at.run()
    assert not at.exception and at.session_state["negotiation"] == other
    at.run()                                   # and a plain rerun keeps it
    assert at.session_state["negotiation"] == other


def test_two_languages_are_not_a_diff_of_meaning():
    s = _store()
    zh = next(n["id"] for n in s.negotiations() if n["name"].startswith("化学品"))
    s.add(zh, (CORPORA / "framework-v1-compilation.docx").read_bytes(), "en.docx", "English")
    vs = s.entries(zh, "version")
    at = page("compare", negotiation=zh, cmp_old=vs[0].id, cmp_new=vs[-1].id)
    assert not at.exception
    # Without the parallel view (negotiate.web.parallel, issue 20) the warning says what the rows are.
    try:
        import negotiate.web.parallel  # noqa: F401
    except ImportError:
        assert any("a word diff between two languages says nothing" in w.value for w in at.warning)
        assert not any("paired by position and shared numbers, not by meaning" in w.value for w in at.warning)


def test_coloured_marks_keep_aa_contrast_in_both_themes():
    """Every coloured mark in the app sets its own text and background colour, with a contrast
    ratio of at least 4.5 (WCAG AA), so it reads the same in the light and the dark theme."""
    import re as _re

    from negotiate.web.pages.common import APP_CSS

    def lum(h):
        c = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
    pairs = []
    for rule in _re.findall(r"([^{}]+)\{([^{}]*)\}", APP_CSS):
        fg = _re.search(r"(?<![-\w])color:(#[0-9a-f]{6})", rule[1])
        bg = _re.search(r"background:(#[0-9a-f]{6})", rule[1])
        assert bool(fg) == bool(bg), f"{rule[0].strip()}: a colour without its background (or the reverse)"
        if fg:
            a, b = sorted((lum(fg.group(1)), lum(bg.group(1))), reverse=True)
            pairs.append((rule[0].strip(), (a + 0.05) / (b + 0.05)))
    assert len(pairs) >= 5
    assert all(ratio >= 4.5 for _, ratio in pairs), pairs


def test_markdown_emphasis_and_footnote_marks_are_formatting():
    from negotiate.web.pages.common import md_html
    assert md_html("*Being* Parties, **Support** <ins>of *the*</ins> need[^12]", {"12": "A <note> & more"}) == (
        '<em>Being</em> Parties, <strong>Support</strong> <ins>of <em>the</em></ins> need'
        '<sup class="fn" title="A &lt;note&gt; &amp; more" aria-label="note 12">12</sup>')
    assert md_html("###4. Title") == "4. Title"
    # Asterisks that are not emphasis stay: footnote stars inside options, arithmetic.
    assert md_html("[NDMCs*1][INDC] and 2*3*4") == "[NDMCs*1][INDC] and 2*3*4"
    # Emphasis that a change cuts through is closed and reopened around the change's tags.
    assert md_html("**a <del>b</del> c**") == "<strong>a </strong><del><strong>b</strong></del><strong> c</strong>"


def test_consolidate_party_inputs_lists_the_delegations_views_in_comments():
    """The COP29 party-inputs draft: the tracked changes are two secretariat staff's, the delegations
    are in the 95 comments — listed by delegation and paragraph, filterable, downloadable."""
    from .conftest import realtext
    path = realtext("art6-2-cop29/art6-2-cma-draft-decision-party-inputs.docx")
    s = _store()
    nid = s.create_negotiation("Article 6.2 (COP29)")
    e = s.add(nid, path.read_bytes(), path.name, "Party inputs")
    at = page("consolidate", negotiation=nid)
    at.radio(key="cons_source").set_value("docx").run()
    assert not at.exception and not at.error
    assert any("are not delegations" in w.value for w in at.warning)
    table = lambda col: next(d.value for d in at.dataframe if col in d.value.columns)       # noqa: E731
    by_party = table("views")
    assert {"US", "EU", "AOSIS"} <= set(by_party["party"]) and by_party["views"].iloc[0] >= by_party["views"].iloc[-1]
    at.multiselect(key=f"cons_vparty_{e.id}").set_value(["AOSIS"]).run()
    at.multiselect(key=f"cons_vkind_{e.id}").set_value(["delete"]).run()
    rows = table("delegations")
    assert len(rows) >= 1 and all("AOSIS" in d for d in rows["delegations"]) and set(rows["kind"]) == {"asks to delete"}
    assert "the achievement of an NDC or" in set(rows["wording"])
    assert any(b.proto.label == "These views (.csv)" for b in at.get("download_button"))


def test_trace_sends_the_stylesheet_once_and_a_block_per_paragraph():
    """A run of a page carries the app's stylesheet in its first block of HTML only (a <style>
    applies to the whole page; each copy was parsed and matched again), and Trace draws one
    block per paragraph, not an element per step."""
    from negotiate.web.pages.common import APP_CSS
    at = AppTest.from_string("from negotiate.web.pages import common, trace\ncommon.new_run()\ncommon.sidebar()\n"
                             "trace.page()\n", default_timeout=120)
    at.session_state["tr_search"] = "the"
    at.run()
    assert not at.exception
    bodies = [h.proto.body for h in at.get("html")]
    chains = [s.value for s in at.subheader if s.value.startswith("Paragraph ")]
    assert len(chains) >= 3 and len(bodies) == len(chains)
    assert sum(APP_CSS in b for b in bodies) == 1 and APP_CSS in bodies[0]
    at.run()                                     # the next run carries it again
    assert sum(APP_CSS in h.proto.body for h in at.get("html")) == 1


def test_make_run_skips_streamlits_collection_after_every_run():
    """negotiate.web.serve starts `streamlit run` without the full garbage collection after each run
    (it held the interpreter, and the run's last elements, 70–100 ms per click); an option given on
    the command line still wins."""
    from streamlit.web import cli

    from negotiate.web.serve import arguments

    def parsed(*argv):
        return cli.main_run.make_context("run", arguments(list(argv))).params
    assert parsed("app.py", "--server.port", "8501")["runner_postScriptGC"] is False
    assert parsed("app.py", "--server.port", "8501")["server_port"] == 8501
    assert parsed("app.py", "--runner.postScriptGC", "true")["runner_postScriptGC"] is True


def test_trace_aligns_only_the_pairs_compare_has_not(monkeypatch):
    """Compare and Trace share each pair's alignment (cache.alignment): after a comparison of two
    consecutive versions, tracing through them aligns the other pairs only; the chains are those
    of a trace that aligns everything itself."""
    import negotiate.align
    from negotiate.trace import trace
    from negotiate.web import cache
    from negotiate.web.pages.common import key
    s = cache.store()
    vs = s.entries(s.negotiations()[0]["id"], "version")
    assert len(vs) >= 3
    keys = tuple(key(v) for v in vs)
    aligned = []
    real = negotiate.align.align
    monkeypatch.setattr(negotiate.align, "align", lambda a, b, o=None: aligned.append((a.sha256, b.sha256)) or real(a, b, o))
    cache.comparison(keys[0], keys[1])
    assert len(aligned) == 1
    chains, _ = cache.chains(keys)
    assert len(aligned) == len(keys) - 1 and aligned.count(aligned[0]) == 1
    monkeypatch.setattr(negotiate.align, "align", real)
    expected, _ = trace([cache.document(*k) for k in keys])
    assert [[(x.blocks, x.op) for x in c.steps] for c in chains] == [[(x.blocks, x.op) for x in c.steps] for c in expected]


def test_a_run_that_changes_nothing_writes_nothing_to_the_address(monkeypatch):
    """Each write to st.query_params is a message to the browser, which rewrites its history
    entry: a run whose address stays the same sends none; a changed filter sends its own."""
    from streamlit.runtime.state.query_params import QueryParams
    sent = []
    real = QueryParams._send_query_param_msg
    monkeypatch.setattr(QueryParams, "_send_query_param_msg", lambda self: sent.append(dict(self._query_params)) or real(self))
    at = page("compare")
    assert not at.exception and sent          # the first run writes the negotiation and the versions
    sent.clear()
    at.run()
    assert sent == []
    at.radio(key="cmp_show").set_value("everything").run()
    assert len(sent) == 1 and sent[0]["show"] == "everything"
