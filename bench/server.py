"""Load and faults on the shared server (issue 18, item 9) — loopback only, bounded.

50 simulated delegates (threads, one delegation each, a think time between
actions) submit proposals and read their lists for DURATION seconds against
one store on a throw-away PostgreSQL cluster; BROWSERS chromium sessions,
each signed in through the mock identity provider, reload the proposals
page of the app running on the same database. Half-way the PostgreSQL
server is restarted (pg_ctl restart -m fast).

Every submission carries an idempotency key. A submission whose call fails
is looked up by its key once the database answers again: found means stored
(the sender is told so), absent means not stored (the sender is told so and
may send again); never half-stored — proposal, amendments, receipt and audit
rows are one transaction. Printed: submissions, their p95 latency (with and
without the restart window), what happened to the in-flight ones, the
exactly-once check against the database, the compilation against the
submissions, browser page loads.

    nice -n 10 .venv/bin/python bench/server.py [--delegates 50] [--duration 60] [--browsers 5]
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from negotiate.store import Amendment, Store, User  # noqa: E402
from negotiate.store.pgcluster import Cluster  # noqa: E402

TEXT = ROOT / "corpora" / "framework-v1-compilation.txt"


def _stat(pid: int):
    """(parent pid, CPU seconds of the process itself and of its waited-for children) from /proc."""
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    tick = os.sysconf("SC_CLK_TCK")
    return int(f[1]), sum(int(x) for x in f[11:15]) / tick


def tree_cpu(root: int, exclude=()) -> float:
    """CPU seconds (user + system) of a process and every descendant, the exited ones included
    (a parent's cutime/cstime hold the children it waited for)."""
    procs = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            st_ = _stat(int(d))
            if st_:
                procs[int(d)] = st_
    kids: dict[int, list[int]] = {}
    for pid, (ppid, _) in procs.items():
        kids.setdefault(ppid, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid in exclude:
            continue
        if pid in procs:
            total += procs[pid][1]
        todo += kids.get(pid, [])
    return total


def cpu_by_party(app_pid, pg_pid) -> dict[str, float]:
    """Where the machine's CPU goes: the bench's own process (the 50 delegates and the
    Playwright drivers' share is separate), the app, chromium, PostgreSQL."""
    import resource
    me = resource.getrusage(resource.RUSAGE_SELF)
    out = {"delegates (bench process)": me.ru_utime + me.ru_stime}
    out["chromium + playwright + identity provider"] = tree_cpu(os.getpid(), exclude={app_pid, pg_pid}) - \
        out["delegates (bench process)"]
    if app_pid:
        out["app (streamlit)"] = tree_cpu(app_pid)
    if pg_pid:
        out["postgresql"] = tree_cpu(pg_pid)
    return out


def p95(xs):
    return statistics.quantiles(xs, n=20)[18] if len(xs) >= 20 else max(xs, default=0.0)


class Delegate(threading.Thread):
    def __init__(self, store, call, k, labels, until, log):
        super().__init__(daemon=True)
        self.s = store.as_user(User.of(f"delegate{k}@bench.example"))
        self.call, self.k, self.labels, self.until, self.log = call, k, labels, until, log
        self.rng = random.Random(k)

    def run(self):
        while time.time() < self.until:
            time.sleep(self.rng.uniform(0.3, 1.2))           # a person between two actions
            if self.rng.random() < 0.6:
                self.submit()
            else:
                t = time.perf_counter()
                try:
                    self.s.proposals(self.call, delegation=f"Delegation {self.k}")
                    self.log["reads"].append(time.perf_counter() - t)
                except Exception:
                    self.log["read_errors"] += 1

    def submit(self):
        key = str(uuid.uuid4())
        label = self.rng.choice(self.labels)
        am = [Amendment("replace", label, f"Delegation {self.k} proposes [new wording {key[:8]}] here.")]
        t0 = time.time()
        t = time.perf_counter()
        try:
            p = self.s.propose(self.call, f"Delegation {self.k}", amendments_=am, submit=True, idempotency_key=key)
            assert p.status == "submitted" and p.receipt
            self.log["submitted"].append((t0, time.perf_counter() - t))
            self.log["stored"][key] = self.k
        except Exception as e:
            # In flight when the database went away: ask, by the key, once it answers again.
            self.log["failed_calls"].append((t0, type(e).__name__))
            for _ in range(120):
                try:
                    found = self.s.proposal_by_key(key)
                    break
                except Exception:
                    time.sleep(0.25)
            else:
                found = None
                self.log["unresolved"] += 1
            if found is not None:
                self.log["stored"][key] = self.k
                self.log["told_stored"] += 1
            else:
                self.log["told_not_stored"][key] = self.k


def browsers(n, url, root, ids, until, log, reload=False):
    """n chromium sessions, each signed in as a delegate, going between the Calls and the proposals
    pages through the sidebar every second (or, with reload, loading the proposals page afresh)."""
    from playwright.sync_api import sync_playwright

    from negotiate.web import trial
    folder = Path(tempfile.mkdtemp(prefix="negotiate-bench-"))
    people = [(f"d{k}", f"delegate{k}@bench.example", f"Delegate {k}") for k in range(n)]
    pport, aport = trial.free_port(), trial.free_port()
    prov = trial.start_provider(pport, people=people)
    trial.write_secrets(folder, aport, pport)
    app = trial.start_app(aport, folder, {"NEGOTIATE_DB": url, "NEGOTIATE_HOME": str(root)})
    ready = threading.Barrier(n + 1)

    def one(k):
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=args)
            page = b.new_page()
            try:
                page.goto(f"http://127.0.0.1:{aport}/")
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(f"http://127.0.0.1:{pport}/**", timeout=120000)
                page.get_by_role("button", name=f"d{k}", exact=True).click()
                page.get_by_text("Signed in as").wait_for(timeout=120000)
            except Exception as e:
                log["browser_errors"].append(f"sign-in {k}: {type(e).__name__}")
            try:                  # start on the proposals page, with every page of the sidebar listed
                page.goto(f"http://127.0.0.1:{aport}/proposals")
                page.get_by_text("proposals in this call").first.wait_for(timeout=120000)
                more = page.get_by_text(re.compile(r"^View \d+ more$"))
                if more.count():
                    more.first.click()
            except Exception as e:
                log["browser_errors"].append(f"first page {k}: {type(e).__name__}")
            ready.wait()
            flip = 0
            while time.time() < until[0]:
                t = time.perf_counter()
                try:
                    if reload:
                        # A full page load each time: a new Streamlit session, the whole front end again.
                        page.goto(f"http://127.0.0.1:{aport}/proposals")
                        page.get_by_text("proposals in this call").wait_for(timeout=60000)
                    else:
                        # As a person uses the app: the sidebar's links, one session, the page re-run.
                        flip ^= 1
                        name = "My delegation's proposals" if flip else "Calls for inputs"
                        page.get_by_role("link", name=name).click()
                        mark = (page.get_by_text("proposals in this call") if flip else
                                page.get_by_role("heading", name="Calls for inputs"))
                        mark.first.wait_for(timeout=60000)
                    log["pages"].append(time.perf_counter() - t)
                except Exception as e:
                    log["browser_errors"].append(type(e).__name__)
                    if len(log["browser_errors"]) <= 2:
                        print(f"browser {k}: {str(e).splitlines()[0][:300]}", flush=True)
                        page.screenshot(path=f"/tmp/negotiate-bench-browser-{k}.png")
                time.sleep(1.0)
            b.close()

    threads = [threading.Thread(target=one, args=(k,), daemon=True) for k in range(n)]
    for t in threads:
        t.start()
    return threads, ready, [prov, app]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--delegates", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--browsers", type=int, default=5)
    ap.add_argument("--reload", action="store_true",
                    help="browsers load the page afresh each second (a new session and the whole front end) "
                         "instead of moving between pages as a person does")
    a = ap.parse_args()
    cluster = Cluster().start()
    procs = []
    try:
        url = cluster.url()
        root = Path(tempfile.mkdtemp(prefix="negotiate-bench-home-"))
        op = Store(url=url, root=root)
        nid = op.create_negotiation("Bench")
        v = op.add(nid, TEXT.read_bytes(), TEXT.name, "Compilation")
        for k in range(a.delegates):
            op.add_delegation(f"Delegation {k}")
            op.grant(f"delegate{k}@bench.example", "member", delegation=f"Delegation {k}")
        call = op.open_call(nid, v.id, "Bench call", datetime.utcnow() + timedelta(days=1))
        from negotiate import read
        labels = [b.label for b in read(TEXT).blocks if b.label and b.label[0].isdigit()][:40]
        log = {"submitted": [], "reads": [], "failed_calls": [], "stored": {}, "told_not_stored": {}, "told_stored": 0,
               "unresolved": 0, "read_errors": 0, "pages": [], "browser_errors": []}
        until = [0.0]
        bthreads, ready = [], None
        if a.browsers:
            print(f"starting the app and {a.browsers} chromium sessions…", flush=True)
            bthreads, ready, procs = browsers(a.browsers, url, root, {"call": call}, until, log,
                                                  reload=a.reload)
        start = time.time()
        until[0] = start + a.duration + 600                    # browsers run until the delegates stop
        if ready is not None:
            ready.wait()
        app_pid = procs[1].pid if procs else None
        pg_pid = int((cluster.data / "postmaster.pid").read_text().split()[0])
        cpu0 = cpu_by_party(app_pid, pg_pid)
        start = time.time()
        until[0] = start + a.duration
        ds = [Delegate(op, call, k, labels, start + a.duration, log) for k in range(a.delegates)]
        for d in ds:
            d.start()
        time.sleep(a.duration / 2)
        t = time.time()
        cluster.restart()
        restart = (t, time.time())
        print(f"PostgreSQL restarted at t={t - start:.1f} s ({restart[1] - t:.1f} s down)", flush=True)
        for d in ds:
            d.join()
        pg_pid = int((cluster.data / "postmaster.pid").read_text().split()[0])   # a new postmaster after the restart
        cpu1 = cpu_by_party(app_pid, pg_pid)
        wall = time.time() - start
        for bt in bthreads:
            bt.join(120)
        # -- checks against the database --------------------------------------------------------
        from sqlalchemy import func, select

        from negotiate.store.schema import amendments, audit, proposals
        with op.engine.connect() as c:
            rows = {r.idempotency_key: r for r in c.execute(select(proposals))}
            n_am = dict(c.execute(select(amendments.c.proposal_id, func.count()).group_by(amendments.c.proposal_id)).all())
            subs = c.execute(select(func.count()).select_from(audit).where(audit.c.action == "proposal submitted")).scalar()
        stored, not_stored = log["stored"], log["told_not_stored"]
        missing = [k for k in stored if k not in rows]
        ghosts = [k for k in not_stored if k in rows]
        unknown = [k for k in rows if k not in stored and k not in not_stored]
        half = [r.id for r in rows.values() if r.status != "submitted" or not r.receipt or n_am.get(r.id) != 1]
        _, parties = op.compilation_inputs(call)
        compiled = sum(len(ids) for _p, _t, ids in parties)
        lat = [x for _, x in log["submitted"]]
        calm = [x for t0, x in log["submitted"] if not (restart[0] - 1 <= t0 <= restart[1] + 1)]
        print(f"delegates {a.delegates} · {a.duration:.0f} s · submissions answered {len(lat)} "
              f"({len(lat) / a.duration:.1f}/s) · reads {len(log['reads'])}")
        print(f"submission latency: median {statistics.median(lat):.3f} s, p95 {p95(lat):.3f} s "
              f"(outside the restart window: p95 {p95(calm):.3f} s); read p95 {p95(log['reads']):.3f} s")
        print(f"in flight when the database restarted: {len(log['failed_calls'])} calls failed "
              f"({', '.join(sorted({n for _, n in log['failed_calls']})) or '-'}); then looked up by key: "
              f"{log['told_stored']} told stored, {len(not_stored)} told not stored, {log['unresolved']} unresolved")
        print(f"exactly once: {len(rows)} proposals in the database, {len(stored)} the senders were told stored; "
              f"told stored but absent {len(missing)}, told not stored but present {len(ghosts)}, "
              f"stored but never reported {len(unknown)}, half-stored {len(half)}; audit 'proposal submitted' rows {subs}")
        print(f"compilation: {compiled} proposals in {len(parties) - 1 if parties else 0} delegations' texts "
              f"(expected {len(rows)})")
        # The restarted PostgreSQL's CPU before the restart is lost with the old postmaster: counted from 0.
        spent = {k: cpu1.get(k, 0.0) - (cpu0.get(k, 0.0) if k != "postgresql" else 0.0) for k in cpu1}
        total = sum(spent.values())
        print(f"CPU over the {wall:.0f} s of load (user+sys): " + ", ".join(f"{k} {v:.1f} s" for k, v in spent.items())
              + f"; total {total:.1f} s = {total / wall:.2f} of the machine's {os.cpu_count()} cores "
              f"(PostgreSQL from its restart only); load average {os.getloadavg()[0]:.1f}")
        n_sub = max(len(lat), 1)
        print(f"per submission (delegates' process CPU / submissions+reads): "
              f"{spent['delegates (bench process)'] / (n_sub + len(log['reads'])) * 1000:.1f} ms")
        if a.browsers:
            pages = log["pages"]
            print(f"browsers {a.browsers}: {len(pages)} page loads, median {statistics.median(pages) if pages else 0:.2f} s, "
                  f"p95 {p95(pages):.2f} s, errors {len(log['browser_errors'])} {sorted(set(log['browser_errors']))[:3]}")
        ok = (not missing and not ghosts and not unknown and not half and subs == len(rows) and compiled == len(rows)
              and p95(lat) <= 0.5)
        print("OK" if ok else "NOT MET: see above")
        op.engine.dispose()
        return 0 if ok else 1
    finally:
        for p in procs:
            p.terminate()
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
