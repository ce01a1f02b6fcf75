"""bench/app: the Compare page for a 600-paragraph pair in a real browser.

Goals: first render ≤ 3 s; re-render after a filter change ≤ 0.5 s.
Run: .venv/bin/python bench/app.py   (needs Debian chromium and playwright)
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, table

from negotiate.store import Store
from negotiate.synth import make_pair

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main():
    from playwright.sync_api import sync_playwright
    home = Path(tempfile.mkdtemp())
    s = Store(root=home)
    nid = s.create_negotiation("Bench: 600 paragraphs")
    p = make_pair(5, 600, "en")
    s.add(nid, p.old.encode(), "old.txt", "Old")
    s.add(nid, p.new.encode(), "new.txt", "New")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, NEGOTIATE_HOME=str(home))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        rows = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for attempt in ("cold (server caches empty)", "warm (another session)"):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                t = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/", timeout=60000)
                page.locator("table.sbs").first.wait_for(timeout=60000)
                page.get_by_role("button", name="Redline (.docx)").wait_for(timeout=60000)
                first = time.perf_counter() - t
                caption = page.get_by_text("aligned paragraphs shown").inner_text()
                t = time.perf_counter()
                page.get_by_text("everything", exact=True).click()
                page.wait_for_function("c => !document.body.innerText.includes(c)", arg=caption, timeout=30000)
                page.get_by_role("button", name="Redline (.docx)").wait_for(timeout=30000)
                again = time.perf_counter() - t
                rows.append([attempt, f"{len(p.old.split()):,} words", f"{first:.2f}", f"{again:.2f}"])
                page.close()
            browser.close()
        print(table(rows, ["Compare page", "pair", "first render s (goal ≤ 3)", "filter change s (goal ≤ 0.5)"]))
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
