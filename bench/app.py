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
# Idle: the script has finished, and every element is drawn (Streamlit shows a skeleton while an
# element's code is still loading, and marks elements of the last run stale until they are replaced).
IDLE = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')?.innerText.match(/Running|Connecting/)"
        " && !document.querySelector('[data-testid=\"stSkeleton\"], [data-stale=\"true\"]')")


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


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


class _Meter:
    """Per step: wall seconds, the server's CPU seconds, and the page's own main-thread work
    (Chrome's Performance metrics: script, layout and style recalculation, seconds)."""
    def __init__(self, server_pid: int, cdp):
        self.pid, self.cdp = server_pid, cdp
        cdp.send("Performance.enable")

    def _browser(self) -> dict[str, float]:
        return {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}

    def start(self):
        self.t, self.c, self.b = time.perf_counter(), _cpu(self.pid), self._browser()

    def stop(self) -> tuple[float, float, float, float]:
        wall, cpu, b = time.perf_counter() - self.t, _cpu(self.pid) - self.c, self._browser()
        d = {k: b.get(k, 0) - self.b.get(k, 0) for k in ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration")}
        return wall, cpu, d["ScriptDuration"], d["LayoutDuration"] + d["RecalcStyleDuration"]


# The checks read the text of the page's captions, headings, labels and notices only: polling
# document.body.innerText on every frame (as this bench first did) made the browser lay out the
# whole page again and again while it was still building it, and even textContent of a 500-row
# comparison, read every 20 ms, is real work; both were counted as the app's.
_TEXT = ("Array.from(document.querySelectorAll('[data-testid=\"stCaptionContainer\"],[data-testid=\"stMarkdownContainer\"],"
         "[data-testid=\"stHeading\"],[data-testid=\"stMetric\"],[data-testid=\"stAlert\"]'), e => e.textContent).join('|')")


def _text(page) -> str:
    return page.evaluate(f"() => {_TEXT}")


def _settled(page, before: str, what: str, timeout=60000):
    """Wait until the page's text is no longer `before`, contains `what`, the script is idle,
    and the browser has painted a frame after that."""
    page.wait_for_function(f"([b, w]) => {{ const t = {_TEXT}; return t !== b && t.includes(w) }}",
                           arg=[before, what], timeout=timeout, polling=20)
    page.wait_for_function(IDLE, timeout=timeout, polling=20)
    page.wait_for_timeout(50)
    page.wait_for_function(IDLE, timeout=timeout, polling=20)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")


def _choose(page, label: str, option: str):
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=option).first.click()


class _Rows(list):
    meter: _Meter

    def add(self, what: str, goal: str):
        wall, cpu, script, layout = self.meter.stop()
        self.append([what, wall, goal, cpu, script, layout])
        print(f"  {what}: {wall:.2f} s (server CPU {cpu:.2f} s, page script {script:.2f} s, layout+style {layout:.2f} s)",
              file=sys.stderr)


def main():
    from playwright.sync_api import sync_playwright
    home = Path(tempfile.mkdtemp(prefix="negotiate-bench-app-"))
    port = _port()
    env = dict(os.environ, NEGOTIATE_HOME=str(home))
    # As `make run` starts it (negotiate.web.serve: `streamlit run` with the first page warmed).
    # (A tree from before negotiate.web.serve — to compare with — is started with plain `streamlit run`.)
    launcher = ["negotiate.web.serve"] if (ROOT / "negotiate" / "web" / "serve.py").exists() else ["streamlit", "run"]
    proc = subprocess.Popen([sys.executable, "-m", *launcher, str(ROOT / "app.py"), "--server.headless", "true",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
                             "--server.fileWatcherType", "none"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = _Rows()
    started = time.perf_counter()
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        listening = time.perf_counter() - started
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            rows.meter = m = _Meter(proc.pid, page.context.new_cdp_session(page))
            m.start()
            page.goto(f"http://127.0.0.1:{port}/", timeout=60000)
            _settled(page, "", "aligned paragraphs shown", timeout=120000)
            rows.add("first launch, empty home: seeded, Compare page shown", "≤ 3")

            before = _text(page)
            _choose(page, "Negotiation", "Paris Agreement 2015 (real drafts)")
            _settled(page, before, "aligned paragraphs shown")
            before = _text(page)
            _choose(page, "Old", "4 Dec")
            _settled(page, before, "aligned paragraphs shown")
            before = _text(page)
            m.start()
            _choose(page, "New", "9 Dec")
            _settled(page, before, "aligned paragraphs shown")
            rows.add("first Compare of Paris 4 Dec → 9 Dec", "≤ 0.7")

            before = _text(page)
            m.start()
            page.get_by_role("link", name="Trace").first.click()
            _settled(page, before, "text it contains")
            rows.add("page switch Compare → Trace", "≤ 0.3")

            before = _text(page)
            m.start()
            box = page.get_by_label("…or text it contains")
            box.fill("This Agreement, in enhancing the implementation")
            box.press("Enter")
            _settled(page, before, "Paragraph 1 of")
            rows.add("first trace through the five Paris versions", "≤ 0.5")

            before = _text(page)
            m.start()
            page.get_by_role("link", name="Compare").first.click()
            _settled(page, before, "aligned paragraphs shown")
            rows.add("page switch Trace → Compare (cached)", "≤ 0.3")

            before = _text(page)
            m.start()
            page.locator('[data-testid="stRadio"]').get_by_text("everything", exact=True).click()
            _settled(page, before, "aligned paragraphs shown")
            rows.add("filter change (only changes → everything), Paris", "≤ 0.3")
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
        print(table([[a, f"{b:.2f}", c, "yes" if b <= float(c.split()[1]) else "no", f"{cpu:.2f}", f"{sc:.2f}", f"{lay:.2f}"]
                     for a, b, c, cpu, sc, lay in rows],
                    ["app, in chromium", "seconds", "goal s", "met", "server CPU s", "page script s", "page layout+style s"]))
        print(f"streamlit server listening {listening:.2f} s after its start (before the first launch above)")
        print(f"server process with the Paris workspace open: {cur:.0f} MB resident, peak {peak:.0f} MB (goal ≤ 400 MB)")
        print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
