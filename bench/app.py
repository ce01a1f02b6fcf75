"""bench/app: the app as a user meets it, in a real browser (Debian chromium).

Goals (issue 15): first launch with the example workspaces ≤ 3 s (an empty
NEGOTIATE_HOME: the store is seeded, the Compare page computed); the first
Compare of the Paris 4 Dec → 9 Dec pair ≤ 0.7 s; a page switch ≤ 0.3 s; the
first trace through the five Paris versions ≤ 0.5 s; then a filter change on a
600-paragraph pair, and the server process's peak memory (≤ 400 MB with the
Paris workspace open).

Each figure runs from the user's action to the page showing its result with the
script finished. The selectors are the pages' visible labels ("Negotiation",
"Old", "New", "Trace", "…or text it contains"): if the pages change, change them here.
Run: .venv/bin/python bench/app.py   (needs Debian chromium and playwright; nice -n 10 on a shared machine)
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

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')?.innerText.match(/Running|Connecting/)"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, MB."""
    cur = peak = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            cur = int(line.split()[1]) / 1024
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    return cur, peak


def _settled(page, before: str, what: str, timeout=60000):
    """Wait until the page's text is no longer `before`, contains `what`, and the script is idle."""
    page.wait_for_function("([b, w]) => document.body.innerText !== b && document.body.innerText.includes(w)",
                           arg=[before, what], timeout=timeout)
    page.wait_for_function(IDLE, timeout=timeout)
    page.wait_for_timeout(50)
    page.wait_for_function(IDLE, timeout=timeout)


def _choose(page, label: str, option: str):
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=option).first.click()


class _Rows(list):
    def append(self, row):
        super().append(row)
        print(f"  {row[0]}: {row[1]:.2f} s", file=sys.stderr)


def main():
    from playwright.sync_api import sync_playwright
    home = Path(tempfile.mkdtemp(prefix="negotiate-bench-app-"))
    port = _port()
    env = dict(os.environ, NEGOTIATE_HOME=str(home))
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = _Rows()
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            t = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/", timeout=60000)
            page.get_by_text("aligned paragraphs shown").first.wait_for(timeout=120000)
            page.wait_for_function(IDLE, timeout=60000)
            rows.append(["first launch, empty home: seeded, Compare page shown", time.perf_counter() - t, "≤ 3"])

            before = page.inner_text("body")
            _choose(page, "Negotiation", "Paris Agreement 2015 (real drafts)")
            _settled(page, before, "aligned paragraphs shown")
            before = page.inner_text("body")
            _choose(page, "Old", "4 Dec")
            _settled(page, before, "aligned paragraphs shown")
            before = page.inner_text("body")
            t = time.perf_counter()
            _choose(page, "New", "9 Dec")
            _settled(page, before, "aligned paragraphs shown")
            rows.append(["first Compare of Paris 4 Dec → 9 Dec", time.perf_counter() - t, "≤ 0.7"])

            before = page.inner_text("body")
            t = time.perf_counter()
            page.get_by_role("link", name="Trace").first.click()
            _settled(page, before, "text it contains")
            rows.append(["page switch Compare → Trace", time.perf_counter() - t, "≤ 0.3"])

            before = page.inner_text("body")
            t = time.perf_counter()
            box = page.get_by_label("…or text it contains")
            box.fill("This Agreement, in enhancing the implementation")
            box.press("Enter")
            _settled(page, before, "Paragraph 1 of")
            rows.append(["first trace through the five Paris versions", time.perf_counter() - t, "≤ 0.5"])

            before = page.inner_text("body")
            t = time.perf_counter()
            page.get_by_role("link", name="Compare").first.click()
            _settled(page, before, "aligned paragraphs shown")
            rows.append(["page switch Trace → Compare (cached)", time.perf_counter() - t, "≤ 0.3"])

            before = page.inner_text("body")
            t = time.perf_counter()
            page.get_by_text("everything", exact=True).click()
            _settled(page, before, "aligned paragraphs shown")
            rows.append(["filter change (only changes → everything), Paris", time.perf_counter() - t, "≤ 0.3"])
            cur, peak = _rss_mb(proc.pid)
            browser.close()
    except Exception:
        try:
            page.screenshot(path=str(ROOT / "bench" / "out" / "app-failed.png"))
            print("screenshot: bench/out/app-failed.png", file=sys.stderr)
        except Exception:
            pass
        raise
    try:
        print(table([[a, f"{b:.2f}", c, "yes" if b <= float(c.split()[1]) else "no"] for a, b, c in rows],
                    ["app, in chromium", "seconds", "goal s", "met"]))
        print(f"server process with the Paris workspace open: {cur:.0f} MB resident, peak {peak:.0f} MB (goal ≤ 400 MB)")
        print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
