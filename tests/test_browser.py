"""The app in a real browser: Debian's chromium driven by Playwright.

Uploads two .docx versions, opens Compare, downloads the .docx redline, checks
it with the library, and saves a screenshot in tests/out/."""
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from negotiate import read

from .conftest import CORPORA

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "out"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _need_browser():
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed")
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run should have installed it")
        pytest.skip("Debian chromium is not installed")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(port, env, *options):
    """The app as `make run` starts it: `streamlit run` through negotiate.web.serve."""
    return subprocess.Popen([sys.executable, "-m", "negotiate.web.serve", str(ROOT / "app.py"), "--server.headless", "true",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
                             "--server.fileWatcherType", "none", *options],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_the_server_warms_the_first_page_before_anyone_connects(tmp_path):
    """Seeding the store and the first comparison happen at server start, not when the first person waits."""
    from negotiate.store import Store
    port, home = _free_port(), tmp_path / "home"
    proc = _serve(port, dict(os.environ, NEGOTIATE_HOME=str(home)))
    try:
        deadline = time.time() + 90
        while time.time() < deadline and not (home / "negotiate.db").exists():
            time.sleep(0.3)
        names = []
        while time.time() < deadline and len(names) < 2:
            try:
                names = [n["name"] for n in Store(root=home).negotiations()]
            except Exception:          # the seeding thread is still creating it
                pass
            time.sleep(0.3)
        assert proc.poll() is None and any("sample" in n for n in names), names
    finally:
        proc.terminate()
        proc.wait(10)


def _wait_for_port(port: int, seconds: float = 60) -> None:
    """Until the app's server accepts connections (or `seconds` pass: the test then fails on its page)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)


@pytest.fixture
def server(tmp_path):
    _need_browser()
    port = _free_port()
    env = dict(os.environ, NEGOTIATE_HOME=str(tmp_path / "home"))
    proc = _serve(port, env)
    url = f"http://127.0.0.1:{port}"
    _wait_for_port(port)
    yield url
    proc.terminate()
    proc.wait(10)


def test_upload_compare_download_in_chromium(server, tmp_path):
    from playwright.sync_api import sync_playwright
    OUT.mkdir(parents=True, exist_ok=True)
    old, new = CORPORA / "framework-v1-compilation.docx", CORPORA / "framework-v2-streamlined.docx"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(server + "/workspace", timeout=60000)
        page.get_by_text("Versions and proposals").wait_for(timeout=60000)
        for path, label in ((old, "Uploaded compilation"), (new, "Uploaded streamlined")):
            page.get_by_label("Label", exact=True).fill(label)
            page.get_by_label("Label", exact=True).press("Enter")
            page.locator('input[type="file"]').set_input_files(str(path))
            # The chip of the uploaded file shows its size once the upload is done.
            page.locator('[data-testid="stFileUploader"]').get_by_text(re.compile(r"\d(\.\d)?\s?KB")).wait_for(timeout=30000)
            page.wait_for_timeout(500)
            page.get_by_role("button", name="Add to the workspace").click()
            page.get_by_text(f"Added {label}").wait_for(timeout=60000)
        page.goto(server + "/", timeout=60000)          # Compare is the default page
        page.get_by_text("Brackets lifted").wait_for(timeout=60000)
        # The selects default to the last two versions: the two just uploaded.
        page.get_by_text("Uploaded streamlined").first.wait_for(timeout=30000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(OUT / "browser-compare.png"), full_page=False)
        with page.expect_download(timeout=60000) as dl:
            page.get_by_role("button", name="Redline (.docx)").click()
        target = tmp_path / "redline.docx"
        dl.value.save_as(str(target))
        shutil.copy(target, OUT / "browser-redline.docx")
        browser.close()
    acc = read(target, revisions="accept")
    rej = read(target, revisions="reject")
    want_new = read(new)
    want_old = read(old)

    def lines(d):
        return [" ".join((b.label + " " + b.text).split()) for b in d.blocks]
    assert lines(acc) == lines(want_new)
    assert lines(rej) == lines(want_old)
    assert (OUT / "browser-compare.png").stat().st_size > 20_000


def test_two_browser_sessions_add_at_once(server, tmp_path):
    """Two people, two browser sessions, each adding a version and clicking Add at
    the same moment: both versions are stored, nothing is lost or damaged."""
    from playwright.sync_api import sync_playwright

    from negotiate.store import Store
    files = [(CORPORA / "framework-v3-revised.docx", "Session A"), (CORPORA / "zh-framework-v2.docx", "Session B")]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pages = [browser.new_context(viewport={"width": 1400, "height": 1000}).new_page() for _ in files]
        for page, (path, label) in zip(pages, files):
            page.goto(server + "/workspace", timeout=60000)
            page.get_by_text("Versions and proposals").wait_for(timeout=60000)
            page.get_by_label("Label", exact=True).fill(label)
            page.get_by_label("Label", exact=True).press("Enter")
            page.locator('input[type="file"]').set_input_files(str(path))
            page.locator('[data-testid="stFileUploader"]').get_by_text(re.compile(r"\d(\.\d)?\s?KB")).wait_for(timeout=30000)
            page.wait_for_timeout(500)
        buttons = [page.get_by_role("button", name="Add to the workspace") for page in pages]
        for b in buttons:                       # both clicks leave before either answer comes back
            b.click(no_wait_after=True)
        for page, (_, label) in zip(pages, files):
            page.get_by_text(f"Added {label}").wait_for(timeout=60000)
        browser.close()
    s = Store(root=tmp_path / "home")
    entries = [e for n in s.negotiations() for e in s.entries(n["id"])]
    for path, label in files:
        [e] = [e for e in entries if e.label == label]
        assert s.get_file(e.sha256) == path.read_bytes()


# -- issue 17 / issue 14 item 8 ----------------------------------------------------------------------
def _chromium(p, width=1440, height=900):
    browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    return browser, browser.new_page(viewport={"width": width, "height": height})


HOSTILE = ("1. Parties <script>window.__pwned=2</script> shall <img src=x onerror=window.__pwned=3> report "
           "& keep emissions < 2 °C and > 1 °C.\n\n2. Second <b>paragraph</b> &amp; more.\n")


def test_hostile_text_and_labels_are_shown_as_text(server):
    """Issue 14 item 8: a draft whose text, labels and negotiation name carry markup is shown as
    text on every page; nothing is injected, nothing runs."""
    from playwright.sync_api import sync_playwright
    evil = '<img src=x onerror="window.__pwned=1">'
    with sync_playwright() as p:
        browser, page = _chromium(p)
        page.goto(server + "/workspace", timeout=60000)
        page.get_by_text("Versions and proposals").wait_for(timeout=60000)
        page.get_by_text("New negotiation").click()
        page.get_by_label("Name", exact=True).fill("<script>window.__pwned=4</script> & Co")
        page.get_by_role("button", name="Create").click()
        page.get_by_text("is ready").wait_for(timeout=30000)
        for n, (label, text) in enumerate(((f"{evil} v1 & <b>", HOSTILE),
                                           ("v2 <script>x</script> > v1", HOSTILE.replace("shall", "should")))):
            page.get_by_label("Label", exact=True).fill(label)
            page.get_by_label("Label", exact=True).press("Enter")
            page.locator('input[type="file"]').set_input_files(
                {"name": f"draft{n}.txt", "mimeType": "text/plain", "buffer": text.encode()})
            page.locator('[data-testid="stFileUploader"]').get_by_text(re.compile(r"\d+(\.\d)?\s?B")).wait_for(timeout=30000)
            page.wait_for_timeout(500)
            page.get_by_role("button", name="Add to the workspace").click()
            page.get_by_text("Added ").first.wait_for(timeout=60000)
            page.wait_for_timeout(1000)
        url = page.url                                   # /workspace?n=…: the new negotiation
        n = re.search(r"n=(\d+)", url).group(1)
        checks = [("/compare?n=" + n + "&show=everything", "<script>window.__pwned=2</script>"),
                  ("/trace?n=" + n + "&label=1", "emissions < 2 °C and > 1 °C"),
                  ("/search?n=" + n + "&q=emissions", "<img src=x onerror=window.__pwned=3>"),
                  ("/document?n=" + n, "Document")]
        for path, shown in checks:
            page.goto(server + path, timeout=60000)
            page.get_by_text(shown, exact=False).first.wait_for(timeout=60000)
            page.wait_for_timeout(1500)
            assert page.evaluate("window.__pwned") is None, path
            assert page.locator('img[src="x"]').count() == 0, path
            assert page.evaluate("[...document.scripts].filter(s => s.textContent.includes('__pwned')).length") == 0, path
            assert page.locator("[data-testid='stMain'] b", has_text="paragraph").count() == 0, path
        page.goto(server + "/compare?n=" + n + "&show=everything", timeout=60000)
        page.get_by_text("& keep emissions < 2 °C and > 1 °C").first.wait_for(timeout=60000)
        page.get_by_role("columnheader", name=evil + " v1 & <b>").first.wait_for(timeout=30000)   # the label, as typed
        # The sidebar's select box shows the negotiation's name as its input's value; Streamlit may draw
        # it a moment after the main column (seen in CI), so wait for it rather than read once.
        name = "<script>window.__pwned=4</script> & Co"
        page.wait_for_function("""name => [...document.querySelectorAll('[data-testid="stSidebar"] input')]
                                             .some(e => e.value === name)""", arg=name, timeout=30000)
        assert page.evaluate("window.__pwned") is None
        browser.close()


def test_addresses_reload_links_keyboard_narrow_and_print(server):
    """Every page has an address holding its state; reload keeps it; a row's trace link opens the
    paragraph's trace; the Compare page can be used from the keyboard, at 414 px, and printed."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser, page = _chromium(p)
        page.goto(server + "/compare?n=1&old=1&new=2&show=everything", timeout=60000)
        page.get_by_text("aligned paragraphs shown").wait_for(timeout=60000)
        page.wait_for_timeout(1000)
        def shown(k):
            box = page.locator(f".st-key-{k}")
            return box.inner_text() + " ".join(box.locator("input").evaluate_all("els => els.map(e => e.value)"))
        assert "Compilation" in shown("cmp_old") and "Streamlined" in shown("cmp_new")
        page.reload()
        page.get_by_text("aligned paragraphs shown").wait_for(timeout=60000)
        page.wait_for_timeout(1000)
        assert "Compilation" in shown("cmp_old")
        assert "show=everything" in page.url and "/compare" in page.url
        # Leaving the page and coming back keeps the choice too.
        page.get_by_role("link", name="Trace").first.click()
        page.get_by_text("Paragraph label or path").wait_for(timeout=30000)
        page.get_by_role("link", name="Compare").first.click()
        page.get_by_text("aligned paragraphs shown").wait_for(timeout=60000)
        page.wait_for_timeout(1000)
        assert "Compilation" in shown("cmp_old")
        # A row's trace link: the paragraph through every version.
        page.locator("a", has_text="trace").nth(3).click()
        page.get_by_text("Paragraph 1 of").wait_for(timeout=60000)
        assert "/trace?" in page.url and "label=" in page.url
        # Keyboard only: Tab reaches the pickers, the filters, a row's links and the downloads.
        page.goto(server + "/compare?n=1", timeout=60000)
        page.get_by_role("button", name="Redline (.docx)").wait_for(timeout=60000)
        page.wait_for_timeout(1000)
        reached = []
        for _ in range(400):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("(() => { const e = document.activeElement; return [e.tagName, "
                                         "e.getAttribute('aria-label') || '', (e.innerText || e.value || '').slice(0, 40)] })()"))
            if reached[-1][2].startswith("Redline"):
                break
        tags = {(t, a, x) for t, a, x in reached}
        assert any(t == "INPUT" and "Old" in a or "Old" in x for t, a, x in tags) or \
            sum(1 for t, _, _ in reached if t == "INPUT") >= 3
        assert any(t == "A" and x == "trace" for t, a, x in reached)
        assert reached[-1][2].startswith("Redline")
        # 414 px wide: nothing wider than the screen; the two sides stack.
        page.set_viewport_size({"width": 414, "height": 900})
        page.wait_for_timeout(1500)
        assert page.evaluate("document.documentElement.scrollWidth") <= 416
        assert page.evaluate("getComputedStyle(document.querySelector('.ng .sbs td')).display") == "block"
        # Print: the controls and the sidebar go, the comparison stays.
        page.set_viewport_size({"width": 1200, "height": 900})
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('[data-testid=\"stSidebar\"]')).display") == "none"
        assert page.locator("table.sbs").first.is_visible()
        pdf = page.pdf()
        assert pdf[:4] == b"%PDF" and len(pdf) > 20_000
        browser.close()


# WCAG contrast of every piece of text in our own HTML blocks (st.html), as drawn: its colour with
# the opacities above it, over the background it actually sits on (ancestors' colours blended).
_CONTRAST_JS = """() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return [0,0,0,0];
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const blend = (t, b) => [0, 1, 2].map(i => t[i] * t[3] + b[i] * (1 - t[3])).concat([1]);
  const bgOf = el => { const stack = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor); if (c[3] > 0) stack.push(c); if (c[3] >= 1) break; }
    let bg = parse(getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor);
    for (let i = stack.length - 1; i >= 0; i--) bg = blend(stack[i], bg); return bg; };
  const opacity = el => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
  const low = []; let n = 0;
  for (const el of document.querySelectorAll('[data-testid="stMain"] .stHtml *')) {
    if (![...el.childNodes].some(t => t.nodeType === 3 && t.textContent.trim())) continue;
    const cs = getComputedStyle(el); if (!el.getBoundingClientRect().width) continue;
    n++;
    const bg = bgOf(el), c = parse(cs.color), fg = blend([c[0], c[1], c[2], c[3] * opacity(el)], bg);
    const ratio = (Math.max(lum(fg), lum(bg)) + 0.05) / (Math.min(lum(fg), lum(bg)) + 0.05);
    const size = parseFloat(cs.fontSize), large = size >= 24 || (Number(cs.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) low.push(el.tagName + '.' + el.className + ' ' + ratio.toFixed(2) + ' ' + el.textContent.slice(0, 30));
  }
  return {n, low, bg: getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor};
}"""


def test_our_html_keeps_aa_contrast_in_the_dark_theme(tmp_path):
    """Compare (every mark, label, badge, link, section heading, moved-row note) and Trace, as drawn in
    Streamlit's dark theme: no text of ours below WCAG AA (4.5:1, 3:1 for large text)."""
    _need_browser()
    from playwright.sync_api import sync_playwright
    port = _free_port()
    proc = _serve(port, dict(os.environ, NEGOTIATE_HOME=str(tmp_path / "home")), "--theme.base", "dark")
    try:
        _wait_for_port(port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for path, shown in (("/compare?show=everything", "aligned paragraphs shown"), ("/trace?label=1", "Paragraph 1 of")):
                page.goto(f"http://127.0.0.1:{port}{path}", timeout=60000)
                page.get_by_text(shown).first.wait_for(timeout=90000)
                page.locator('[data-testid="stMain"] .stHtml').last.wait_for(timeout=60000)
                page.wait_for_timeout(1000)
                r = page.evaluate(_CONTRAST_JS)
                assert r["bg"] != "rgb(255, 255, 255)", "not the dark theme"
                assert r["n"] > 10 and r["low"] == [], (path, r["low"][:10])
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)


# The same measure for every text the app draws, Streamlit's own widgets included (labels, captions,
# values, placeholders, the sidebar's navigation, alerts). Exempt, as WCAG exempts them: the labels of
# disabled widgets, and icons (graphics: 3:1 applies, checked). A slider's value is drawn above its
# thumb, over the page, though it sits inside the thumb's element: measured against the page.
_ALL_CONTRAST_JS = _CONTRAST_JS.replace(
    """for (const el of document.querySelectorAll('[data-testid="stMain"] .stHtml *')) {
    if (![...el.childNodes].some(t => t.nodeType === 3 && t.textContent.trim())) continue;
    const cs = getComputedStyle(el); if (!el.getBoundingClientRect().width) continue;
    n++;
    const bg = bgOf(el), c = parse(cs.color), fg = blend([c[0], c[1], c[2], c[3] * opacity(el)], bg);""",
    """for (const el of document.querySelectorAll('[data-testid="stApp"] *')) {
    const cs = getComputedStyle(el); if (!el.getBoundingClientRect().width || cs.visibility === 'hidden') continue;
    const field = ['INPUT', 'TEXTAREA'].includes(el.tagName) && !['file', 'checkbox', 'radio', 'range', 'hidden'].includes(el.type);
    const text = [...el.childNodes].some(t => t.nodeType === 3 && t.textContent.trim());
    if (!text && !(field && (el.value || el.placeholder))) continue;
    const widget = el.closest('[data-testid^="st"][class*="st-key-"], [data-testid="stWidgetLabel"]')?.parentElement;
    if (widget && widget.querySelector('input:disabled, textarea:disabled, button:disabled') && !field) continue;
    if (el.disabled || opacity(el) < 0.05) continue;
    const icon = el.closest('[data-testid="stIconMaterial"]');
    const thumb = el.closest('[data-testid="stSliderThumbValue"]');
    const color = field && !el.value ? getComputedStyle(el, '::placeholder').color : cs.color;
    n++;
    const bg = bgOf(thumb ? el.closest('[data-testid="stSlider"]') : el), c = parse(color);
    const fg = blend([c[0], c[1], c[2], c[3] * opacity(el)], bg);""").replace(
    "if (ratio < (large ? 3 : 4.5))", "if (ratio < (large || icon ? 3 : 4.5))").replace(
    "el.textContent.slice(0, 30)",
    "(el.textContent || el.value || el.placeholder).slice(0, 30) + ' ' + (el.closest('[data-testid]')?.dataset.testid || '')")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_text_keeps_aa_contrast_in_both_themes(tmp_path, theme):
    """Streamlit's widgets as well as our HTML, on the pages with the most kinds of widget (Compare,
    Workspace's forms, Parity's table, Precedents' slider), in the light and the dark theme."""
    _need_browser()
    from playwright.sync_api import sync_playwright
    assert _ALL_CONTRAST_JS != _CONTRAST_JS and "stSliderThumbValue" in _ALL_CONTRAST_JS
    port = _free_port()
    proc = _serve(port, dict(os.environ, NEGOTIATE_HOME=str(tmp_path / "home")), "--theme.base", theme)
    try:
        _wait_for_port(port)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for path, shown in (("/compare?show=everything", "aligned paragraphs shown"), ("/workspace", "Versions and proposals"),
                                ("/parity", "rows shown"), ("/precedents", "Similarity at least")):
                page.goto(f"http://127.0.0.1:{port}{path}", timeout=60000)
                page.get_by_text(shown).first.wait_for(timeout=90000)
                page.wait_for_timeout(1500)
                r = page.evaluate(_ALL_CONTRAST_JS)
                assert (r["bg"] == "rgb(255, 255, 255)") == (theme == "light"), r["bg"]
                assert r["n"] > 20 and r["low"] == [], (theme, path, r["low"][:10])
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)


def test_compare_sends_rows_a_page_at_a_time(server):
    """The first rows the filters keep are laid out; "Show 60 more" and "Show all" add the rest; a
    section not laid out yet links to itself alone."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser, page = _chromium(p)
        page.goto(server + "/compare?n=1&old=1&new=2", timeout=60000)
        page.get_by_text("laid out below").wait_for(timeout=60000)
        page.locator(".ng p.later").first.wait_for(state="attached", timeout=60000)
        page.wait_for_timeout(1000)
        rows = lambda: page.evaluate("[...document.querySelectorAll('.ng tr[id^=r]')]"      # noqa: E731
                                     ".filter(r => getComputedStyle(r).display !== 'none').length")
        first = rows()
        assert 0 < first < 100 and page.locator(".ng p.later").count() > 0
        page.get_by_role("button", name="Show 60 more").click()
        page.wait_for_function(f"document.querySelectorAll('.ng tr[id^=r]').length > {first}", timeout=60000)
        page.wait_for_timeout(1000)
        if page.get_by_role("button", name="Show all").count():
            page.get_by_role("button", name="Show all").click()
        page.wait_for_function("!document.querySelector('.ng p.later')", timeout=60000)
        assert "laid out below" not in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
        page.goto(server + "/compare?n=1&old=1&new=2", timeout=60000)     # a new session: the first page again
        page.locator(".ng p.later a").last.wait_for(state="attached", timeout=60000)
        page.wait_for_timeout(1000)
        section, href = page.evaluate("""() => { const d = [...document.querySelectorAll('.ng details')].filter(
            d => d.querySelector(':scope > p.later') && getComputedStyle(d).display !== 'none').pop();
            return [d.querySelector('summary').firstChild.textContent, d.querySelector('p.later a').getAttribute('href')] }""")
        page.locator(f'.ng p.later a[href="{href}"]').click()
        page.wait_for_url("**sec=**", timeout=60000)
        page.get_by_text("aligned paragraphs shown").wait_for(timeout=60000)
        page.wait_for_timeout(1500)
        shown = page.evaluate("[...document.querySelectorAll('.ng details')].filter(d => getComputedStyle(d).display !== 'none')"
                              ".map(d => d.querySelector('summary').firstChild.textContent)")
        assert shown == [section] and page.locator(".ng tr[id^=r]").count() > 0
        browser.close()


def test_a_filter_change_reruns_the_rows_only_and_still_filters(server):
    """Compare's filters and rows are a fragment: a filter change sends them again and nothing
    else (not the pickers, the figures or the downloads), the rows it keeps are shown, the address
    follows, and the stylesheet, which their block carries, is still applied."""
    from playwright.sync_api import sync_playwright
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    sent = []

    def received(payload):
        if isinstance(payload, bytes):
            m = ForwardMsg.FromString(payload)
            if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element":
                sent.append(m.delta.new_element.WhichOneof("type"))
    with sync_playwright() as p:
        browser, page = _chromium(p)
        page.on("websocket", lambda ws: ws.on("framereceived", received))
        page.goto(server + "/compare?n=1&old=1&new=2", timeout=60000)
        page.get_by_text("aligned paragraphs shown").wait_for(timeout=60000)
        page.wait_for_timeout(1500)
        assert {"selectbox", "metric", "download_button"} <= set(sent)
        visible = ("[...document.querySelectorAll('.ng tr[id^=r]')].filter(r => getComputedStyle(r).display !== 'none')"
                   ".map(r => r.className)")
        changed = page.evaluate(visible)
        assert changed
        caption = page.locator('[data-testid="stCaptionContainer"]').first
        before = caption.inner_text()
        moved = int(page.locator('[data-testid="stMetric"]').filter(has_text="Moved").locator(
            '[data-testid="stMetricValue"]').inner_text())
        for choice in ("everything", "only moves"):
            sent.clear()
            page.locator('[data-testid="stRadio"]').get_by_text(choice, exact=True).click()
            page.wait_for_function("t => document.querySelector('[data-testid=\"stCaptionContainer\"]').innerText !== t",
                                   arg=before, timeout=60000)
            page.wait_for_function("document.querySelector('[data-testid=\"stApp\"]').dataset.testScriptState === 'notRunning'",
                                   timeout=60000)
            page.wait_for_timeout(500)
            before = caption.inner_text()
            assert sent and not {"selectbox", "metric", "download_button"} & set(sent), sent
            assert f"show={choice.replace(' ', '+')}" in page.url
            if choice == "everything":
                assert len(page.evaluate(visible)) > len(changed)
        assert int(before.split()[0]) == moved and set(page.evaluate(visible)) <= {"moved", "ghost"}
        # The app's stylesheet still applies to the rows (their block carries it).
        assert page.evaluate("getComputedStyle(document.querySelector('.ng table.sbs')).tableLayout") == "fixed"
        browser.close()
