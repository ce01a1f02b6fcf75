"""Pictures for the README: the app in Debian's headless chromium, the HTML
comparison, and a page of the .docx redline as LibreOffice prints it.

Run: .venv/bin/python bench/screens/shoot.py [--app-only]   (starts the app on a free port)
"""
from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    port = free_port()
    import os
    import tempfile
    env = dict(os.environ, NEGOTIATE_HOME=tempfile.mkdtemp())   # a fresh workspace: the seeded examples
    app = subprocess.Popen([sys.executable, "-m", "negotiate.web.serve", str(ROOT / "app.py"), "--server.headless", "true",
                            "--server.port", str(port), "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
                            "--server.fileWatcherType", "none"],      # as `make run` starts it
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for _ in range(60):
                try:
                    page.goto(f"http://127.0.0.1:{port}", timeout=2000)
                    break
                except Exception:
                    time.sleep(0.5)
            page.get_by_text("aligned paragraphs shown").wait_for(timeout=60000)
            _settled(page)
            page.screenshot(path=str(HERE / "app-compare.png"), timeout=180000)
            # The real case by its address: Paris Agreement drafts, 4 Dec → 9 Dec 2015.
            sys.path.insert(0, str(ROOT))
            from negotiate.store import Store
            s = Store(root=env["NEGOTIATE_HOME"])
            paris = next(n["id"] for n in s.negotiations() if n["name"].startswith("Paris"))
            ids = {e.label: e.id for e in s.entries(paris, "version")}
            base = f"http://127.0.0.1:{port}"
            shots = [("app-paris-4dec-9dec.png", f"/compare?n={paris}&old={ids['4 Dec']}&new={ids['9 Dec']}",
                      "aligned paragraphs shown", None),
                     ("app-workspace.png", "/workspace?n=1", "Welcome to negotiate", None),
                     ("app-trace.png", f"/trace?n={paris}&label=Article+2%2F1", "Paragraph 1 of", None),
                     ("app-search.png", f"/search?n={paris}&q=technology+transfer", "paragraphs across", None),
                     ("app-brackets.png", f"/brackets?n={paris}", "Bracket errors", None),
                     ("app-narrow.png", f"/compare?n={paris}&old={ids['4 Dec']}&new={ids['9 Dec']}",
                      "aligned paragraphs shown", 414)]
            for name, url, ready, width in shots:
                page.set_viewport_size({"width": width or 1400, "height": 900})
                page.goto(base + url, timeout=60000)
                page.get_by_text(ready).first.wait_for(timeout=90000)
                _settled(page)
                if width:           # the narrow screen, scrolled to the first rows of the comparison
                    page.locator("details summary").nth(1).scroll_into_view_if_needed()
                    page.wait_for_timeout(500)
                page.screenshot(path=str(HERE / name), timeout=180000)
            # The dark theme (the browser's own preference, which Streamlit follows), as drawn.
            dark = browser.new_page(viewport={"width": 1400, "height": 900}, color_scheme="dark")
            for name, url, ready in (("app-paris-dark.png", f"/compare?n={paris}&old={ids['4 Dec']}&new={ids['9 Dec']}",
                                      "aligned paragraphs shown"),
                                     ("app-trace-dark.png", f"/trace?n={paris}&label=Article+2%2F1", "Paragraph 1 of")):
                dark.goto(base + url, timeout=60000)
                dark.get_by_text(ready).first.wait_for(timeout=90000)
                _settled(dark)
                dark.screenshot(path=str(HERE / name), timeout=180000)
                shots.append((name, url, ready, None))
            browser.close()
    finally:
        app.terminate()
        try:
            app.wait(30)
        except subprocess.TimeoutExpired:
            app.kill()
    print("wrote", *(HERE / n for n, *_ in shots))
    if "--app-only" not in sys.argv:
        redline_pictures()


def _settled(page) -> None:
    """Wait until no element is still a loading placeholder (charts and tables load lazily)."""
    idle = "!document.querySelector('[data-testid^=\"stSkeleton\"], [data-stale=\"true\"]')"
    page.wait_for_function(idle, timeout=180000)
    page.wait_for_timeout(2500)
    page.wait_for_function(idle, timeout=180000)    # a rerun (the page writing its address) may draw again
    page.wait_for_timeout(1000)


def redline_pictures() -> None:
    import shutil
    import tempfile

    sys.path.insert(0, str(ROOT))
    from negotiate import read
    from negotiate.compare import compare
    from negotiate.export import html, redline
    c = compare(read(ROOT / "corpora" / "framework-v1-compilation.docx"), read(ROOT / "corpora" / "framework-v2-streamlined.docx"))
    tmp = Path(tempfile.mkdtemp())
    redline.write(c, tmp / "redline.docx", author="Co-facilitators", date="2026-03-01T10:00:00Z")
    html.write(c, tmp / "compare.html")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(tmp / "redline.docx")],
                   check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftoppm", "-r", "70", "-f", "2", "-l", "2", "-png", "-singlefile", str(tmp / "redline.pdf"),
                    str(HERE / "redline-page")], check=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.goto((tmp / "compare.html").as_uri())
        page.locator("#inline").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('inline').scrollIntoView()")
        page.screenshot(path=str(HERE / "compare-html.png"))
        browser.close()
    # The proposals of two delegations as tracked changes, one colour each.
    from negotiate import consolidate
    from negotiate.export import proposals
    cons = consolidate.build(read(ROOT / "corpora" / "framework-v1-compilation.txt"),
                             [read(ROOT / "corpora" / "framework-v2-streamlined.txt"),
                              read(ROOT / "corpora" / "framework-v3-revised.txt")], ["EU", "G77/China"])
    proposals.write(cons, tmp / "proposals.docx", date="2026-03-01T10:00:00Z")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(tmp / "proposals.docx")],
                   check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftoppm", "-r", "70", "-f", "2", "-l", "2", "-png", "-singlefile", str(tmp / "proposals.pdf"),
                    str(HERE / "proposals-page")], check=True)
    shutil.rmtree(tmp)
    print("wrote", HERE / "redline-page.png", HERE / "compare-html.png", HERE / "proposals-page.png")


if __name__ == "__main__":
    main()
