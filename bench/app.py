"""bench/app: the app as a user meets it, in a real browser (Debian chromium).

Goals (issue 15): first launch with the example workspaces ≤ 3 s (an empty
NEGOTIATE_HOME: the store is seeded, the Compare page computed); the first
Compare of the Paris 4 Dec → 9 Dec pair ≤ 0.7 s; a page switch ≤ 0.3 s; the
first trace through the five Paris versions ≤ 0.5 s; then a filter change on a
600-paragraph pair, and the server process's peak memory (≤ 400 MB with the
Paris workspace open).

Each figure is what the user waits for: from their input reaching the page (the
pointerdown of the click or the keydown of Enter, as the page's own clock saw it)
to the first frame painted with the result on it and the script finished (the page
checks at every frame; a result that is replaced within the next 100 ms, by another
run, does not count). The first launch runs from the navigation's start. "bench
wall s" is the older, coarser figure: the bench's own seconds from before the
action (playwright's checks before a click included) to after its waits.
The selectors are the pages' visible labels ("Negotiation", "Old", "New", "Trace",
"…or text it contains"): if the pages change, change them here.

Run: .venv/bin/python bench/app.py [--runs 3] [--tree DIR]
(needs Debian chromium and playwright; nice -n 10 on a shared machine). --tree runs
another checkout's app (e.g. main's, for before/after) with this bench.
"""
from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, table

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# Idle: the script has finished (the app's own run state, which Streamlit writes on its root for
# its tests; the status widget shows "Running" only after a delay), and every element is drawn
# (Streamlit shows a skeleton while an element's code is still loading, and marks elements of the
# last run stale until they are replaced). textContent, not innerText: innerText lays the page out.
IDLE = ("() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState === 'notRunning'"
        " && !document.querySelector('[data-testid=\"stStatusWidget\"]')?.textContent.match(/Running|Connecting/)"
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


# The checks read the text of the page's captions, headings, labels and notices only: polling
# document.body.innerText on every frame (as this bench first did) made the browser lay out the
# whole page again and again while it was still building it, and even textContent of a 500-row
# comparison, read every 20 ms, is real work; both were counted as the app's.
_TEXT = ("Array.from(document.querySelectorAll('[data-testid=\"stCaptionContainer\"],[data-testid=\"stMarkdownContainer\"],"
         "[data-testid=\"stHeading\"],[data-testid=\"stMetric\"],[data-testid=\"stAlert\"]'), e => e.textContent).join('|')")

# In the page before any of its own scripts: when the user's last input reached it (its clock;
# a new document starts at 0, the navigation's start).
_INPUT = """window.__ng = {input: 0, run: null};
for (const t of ['pointerdown', 'keydown'])
  addEventListener(t, e => { if (e.isTrusted) window.__ng.input = performance.now(); }, true);"""

# Armed before an action. At every frame (requestAnimationFrame runs just before the frame is
# rendered) the page checks whether it shows `what`, its text changed from `before`, and the
# script idle; the first such frame's time is kept once it is painted (a task queued from that
# callback runs after the frame), and dropped if the check stops holding (another run replaced it).
_WATCH = f"""([b, w]) => {{
  const ng = window.__ng, run = {{seen: false, drawn: null}};
  ng.run = run;
  const ok = () => {{ const t = {_TEXT}; return t !== b && t.includes(w) && ({IDLE})(); }};
  const tick = () => {{
    if (ng.run !== run) return;
    if (ok()) {{
      if (!run.seen) {{ run.seen = true; setTimeout(() => {{ if (run.seen && run.drawn === null) run.drawn = performance.now(); }}, 0); }}
    }} else {{ run.seen = false; run.drawn = null; }}
    requestAnimationFrame(tick);
  }};
  requestAnimationFrame(tick);
}}"""
_DONE = "() => { const r = window.__ng.run; return r.drawn !== null && performance.now() - r.drawn > 100 }"


class _Meter:
    """Per step: the user's wait (page clock), the bench's own wall seconds, the server's CPU
    seconds, and the page's own main-thread work (Chrome's Performance metrics: script, layout
    and style recalculation, seconds)."""
    def __init__(self, server_pid: int, page, cdp):
        self.pid, self.page, self.cdp = server_pid, page, cdp
        cdp.send("Performance.enable")

    def _browser(self) -> dict[str, float]:
        return {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}

    def start(self, what: str, navigation: bool = False):
        """Before the action: the page's text now, and the watch for `what` armed."""
        self.what, self.navigation = what, navigation
        before = "" if navigation else _text(self.page)
        if not navigation:
            self.page.evaluate(_WATCH, [before, what])
        self.t, self.c, self.b = time.perf_counter(), _cpu(self.pid), self._browser()

    def stop(self, timeout=60000) -> tuple[float, float, float, float, float]:
        if self.navigation:
            self.page.wait_for_function("() => window.__ng", timeout=timeout)
            self.page.evaluate(_WATCH, ["", self.what])
        self.page.wait_for_function(_DONE, timeout=timeout, polling=20)
        wall = time.perf_counter() - self.t
        waited = self.page.evaluate("() => (window.__ng.run.drawn - window.__ng.input) / 1000")
        cpu, b = _cpu(self.pid) - self.c, self._browser()
        d = {k: b.get(k, 0) - self.b.get(k, 0) for k in ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration")}
        return waited, wall, cpu, d["ScriptDuration"], d["LayoutDuration"] + d["RecalcStyleDuration"]


def _text(page) -> str:
    return page.evaluate(f"() => {_TEXT}")


def _choose(page, label: str, option: str):
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=option).first.click()


class _Rows(list):
    meter: _Meter

    def add(self, what: str, goal: str):
        waited, wall, cpu, script, layout = self.meter.stop()
        self.append([what, waited, goal, wall, cpu, script, layout])
        print(f"  {what}: {waited:.2f} s (bench wall {wall:.2f} s, server CPU {cpu:.2f} s, page script {script:.2f} s, "
              f"layout+style {layout:.2f} s)", file=sys.stderr)


def once(tree: Path) -> tuple[_Rows, float, float, float]:
    """One run against a fresh server of `tree`: the steps' rows, the server's start, its memory."""
    from playwright.sync_api import sync_playwright
    home = Path(tempfile.mkdtemp(prefix="negotiate-bench-app-"))
    port = _port()
    env = dict(os.environ, NEGOTIATE_HOME=str(home), PYTHONPATH=str(tree))
    # As `make run` starts it (negotiate.web.serve: `streamlit run` with the first page warmed).
    # (A tree from before negotiate.web.serve — to compare with — is started with plain `streamlit run`.)
    launcher = ["negotiate.web.serve"] if (tree / "negotiate" / "web" / "serve.py").exists() else ["streamlit", "run"]
    proc = subprocess.Popen([sys.executable, "-m", *launcher, str(tree / "app.py"), "--server.headless", "true",
                             "--server.port", str(port), "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
                             "--server.fileWatcherType", "none"],
                            cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = _Rows()
    started = time.perf_counter()
    page = None
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
            page.add_init_script(_INPUT)
            rows.meter = m = _Meter(proc.pid, page, page.context.new_cdp_session(page))
            m.start("aligned paragraphs shown", navigation=True)
            page.goto(f"http://127.0.0.1:{port}/", timeout=60000, wait_until="commit")
            rows.add("first launch, empty home: seeded, Compare page shown", "≤ 3")

            m.start("aligned paragraphs shown")
            _choose(page, "Negotiation", "Paris Agreement 2015 (real drafts)")
            m.stop()
            m.start("aligned paragraphs shown")
            _choose(page, "Old", "4 Dec")
            m.stop()
            m.start("aligned paragraphs shown")
            _choose(page, "New", "9 Dec")
            rows.add("first Compare of Paris 4 Dec → 9 Dec", "≤ 0.7")

            m.start("text it contains")
            page.get_by_role("link", name="Trace").first.click()
            rows.add("page switch Compare → Trace", "≤ 0.3")

            m.start("Paragraph 1 of")
            box = page.get_by_label("…or text it contains")
            box.fill("This Agreement, in enhancing the implementation")
            box.press("Enter")
            rows.add("first trace through the five Paris versions", "≤ 0.5")

            m.start("aligned paragraphs shown")
            page.get_by_role("link", name="Compare").first.click()
            rows.add("page switch Trace → Compare (cached)", "≤ 0.3")

            m.start("aligned paragraphs shown")
            page.locator('[data-testid="stRadio"]').get_by_text("everything", exact=True).click()
            rows.add("filter change (only changes → everything), Paris", "≤ 0.3")
            cur, peak = _rss_mb(proc.pid)
            browser.close()
    except Exception:
        try:
            (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ROOT / "bench" / "out" / "app-failed.png"))
            print("screenshot: bench/out/app-failed.png", file=sys.stderr)
        except Exception:
            pass
        raise
    finally:
        proc.terminate()
        proc.wait(10)
    return rows, listening, cur, peak


def main(argv: list[str] | None = None):
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--runs", type=int, default=1, help="runs, each with a fresh server and home (default 1)")
    ap.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose app is run (default: this one)")
    args = ap.parse_args(argv)
    tree = args.tree.resolve()
    runs = []
    for k in range(args.runs):
        print(f"run {k + 1} of {args.runs} ({tree}), load {os.getloadavg()[0]:.1f}", file=sys.stderr)
        runs.append(once(tree))
    body = []
    for j, (what, _, goal, *_rest) in enumerate(runs[0][0]):
        per = [r[0][j] for r in runs]
        waits = [p[1] for p in per]
        med = lambda i: statistics.median(p[i] for p in per)  # noqa: E731
        body.append([what, ", ".join(f"{w:.2f}" for w in waits), goal,
                     "yes" if all(w <= float(goal.split()[1]) for w in waits) else "no",
                     f"{med(3):.2f}", f"{med(4):.2f}", f"{med(5):.2f}", f"{med(6):.2f}"])
    print(table(body, ["app, in chromium" + (f" ({tree})" if tree != ROOT else ""), "seconds (each run)", "goal s", "met",
                       "bench wall s", "server CPU s", "page script s", "page layout+style s"]))
    print("(medians of the runs beside the seconds; seconds: the user's wait, input to the painted result)")
    print("streamlit server listening " + ", ".join(f"{r[1]:.2f}" for r in runs) + " s after its start (before the first launch above)")
    print("server process with the Paris workspace open: " + ", ".join(f"{r[2]:.0f}" for r in runs) + " MB resident, peak "
          + ", ".join(f"{r[3]:.0f}" for r in runs) + " MB (goal ≤ 400 MB)")
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
