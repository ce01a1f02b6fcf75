"""`make server-trial`: the shared server on this machine, for a try-out.

Starts a throw-away PostgreSQL cluster, the mock OpenID Connect provider
(PyPI's oidc-provider-mock) with a few demo people, writes a secrets.toml
for st.login in a temporary folder, fills in a demo negotiation with its
delegations, roles and an open call, and runs the app on it — every
process on loopback, on free ports, stopped with Ctrl-C. The tests and
bench/server.py use the same pieces."""
from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DEMO = [  # sub, e-mail, name, role, of, focal point
    ("sec", "secretariat@un.example", "Sam Secretariat", "secretariat", None, False),
    ("cofac", "cofacilitator@un.example", "Chris Co-facilitator", "co-facilitator", "Demo: chemicals framework", False),
    ("alice", "alice@eu.example", "Alice (EU)", "member", "EU", False),
    ("bob", "bob@norway.example", "Bob (Norway)", "member", "Norway", False),
    ("gina", "gina@g77.example", "Gina (G-77 and China, focal point)", "member", "G-77 and China", True),
    ("olga", "olga@ngo.example", "Olga (observer)", "observer", None, False),
]


def free_port() -> int:
    from ..store.pgcluster import free_port as fp
    return fp()


def wait_http(url: str, timeout: float = 90) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status < 500:
                    return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def start_provider(port: int, people=DEMO, token_max_age: int = 3600) -> subprocess.Popen:
    args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--host", "127.0.0.1",
            "--token-max-age", str(token_max_age)]
    for sub, email, name, *_ in people:
        args += ["--user-claims", json.dumps({"sub": sub, "email": email, "name": name})]
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_http(f"http://127.0.0.1:{port}/.well-known/openid-configuration")
    return p


def write_secrets(folder: Path, app_port: int, provider_port: int) -> Path:
    """secrets.toml for st.login against the mock provider (a real provider: see README)."""
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    path = folder / ".streamlit" / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "negotiate"\n'
        'client_secret = "not-a-secret-with-the-mock"\n'
        f'server_metadata_url = "http://127.0.0.1:{provider_port}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    return path


def start_app(port: int, cwd: Path, env: dict) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                          "--server.address", "127.0.0.1", "--server.port", str(port),
                          "--browser.gatherUsageStats", "false"],
                         cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_http(f"http://127.0.0.1:{port}/_stcore/health")
    return p


def demo(url: str, root: Path) -> dict:
    """The demo negotiation: our corpus text, three delegations, the people above, an open call."""
    from ..store import Store
    s = Store(url=url, root=root)
    nid = s.create_negotiation("Demo: chemicals framework", "SAICM/TEST/IP.1/2")
    text = ROOT / "corpora" / "framework-v1-compilation.docx"
    v = s.add(nid, text.read_bytes(), text.name, "Compilation")
    for d, group in (("EU", False), ("Norway", False), ("G-77 and China", True)):
        s.add_delegation(d, group=group)
    for _sub, email, _name, role, of, focal in DEMO:
        s.grant(email, role, negotiation_id=nid if role == "co-facilitator" else None,
                delegation=of if role == "member" else None, focal_point=focal)
    call = s.open_call(nid, v.id, "Written inputs on the compilation", datetime.now(UTC) + timedelta(days=14))
    s.engine.dispose()
    return {"negotiation": nid, "call": call}


def _interrupt(*_):
    raise KeyboardInterrupt


def main() -> int:
    from ..store.pgcluster import Cluster
    folder = Path(tempfile.mkdtemp(prefix="negotiate-trial-"))
    cluster = Cluster().start()
    procs = []
    try:
        url = cluster.url()
        demo(url, folder / "home")
        pport, aport = free_port(), free_port()
        procs.append(start_provider(pport))
        write_secrets(folder, aport, pport)
        procs.append(start_app(aport, folder, {"NEGOTIATE_DB": url, "NEGOTIATE_HOME": str(folder / "home")}))
        print(f"negotiate server trial: http://127.0.0.1:{aport}  (PostgreSQL {url}, identity provider "
              f"http://127.0.0.1:{pport})")
        print("Sign in as one of: " + ", ".join(f"{sub} ({role}{' of ' + of if of and role != 'co-facilitator' else ''})"
                                                for sub, _e, _n, role, of, _f in DEMO))
        print("Ctrl-C stops everything.", flush=True)
        signal.signal(signal.SIGTERM, _interrupt)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):      # a second Ctrl-C must not leave a cluster behind
            signal.signal(sig, signal.SIG_IGN)
        for p in procs:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
