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


@pytest.fixture
def server(tmp_path):
    _need_browser()
    port = _free_port()
    env = dict(os.environ, NEGOTIATE_HOME=str(tmp_path / "home"))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
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
            page.get_by_label("Label").fill(label)
            page.get_by_label("Label").press("Enter")
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
            page.get_by_label("Label").fill(label)
            page.get_by_label("Label").press("Enter")
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
