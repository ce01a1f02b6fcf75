"""A throw-away PostgreSQL cluster for tests, the bench and `make server-trial`.

Debian's binaries (/usr/lib/postgresql/NN/bin) in a temporary folder, on a free
loopback port, trusting local connections only. PostgreSQL refuses to run as
root, so when we are root the cluster runs as a dedicated system user
(`negotiate-pg`, created when missing); otherwise as ourselves.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

USER = "negotiate-pg"


def bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    env = os.environ.get("NEGOTIATE_PG_BIN")
    cands = [env] if env else sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for c in cands:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, bin: Path | None = None, port: int | None = None):
        self.bin = bin or bindir()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (no initdb/pg_ctl; Debian: apt-get install postgresql)")
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="negotiate-pg-"))
        self.data = self.dir / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            _ensure_user()
            shutil.chown(self.dir, USER, USER)
        os.chmod(self.dir, 0o700)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", USER, "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True, cwd=self.dir)

    def start(self) -> Cluster:
        self._run("initdb", "-D", str(self.data), "-U", "negotiate", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8" if _has_c_utf8() else "--no-locale")
        with open(self.data / "postgresql.conf", "a") as f:
            f.write(f"\nlisten_addresses = '127.0.0.1'\nport = {self.port}\n"
                    f"unix_socket_directories = '{self.dir}'\nfsync = off\nsynchronous_commit = off\n"
                    "full_page_writes = off\nmax_connections = 200\n")
        self._ctl("start")
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "negotiate", "negotiate")
        return self

    def _ctl(self, what: str) -> None:
        args = ["pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l", str(self.dir / "log"), what]
        if what in ("stop", "restart"):
            args += ["-m", "fast"]
        r = self._run(*args, check=False)
        if r.returncode:
            log = (self.dir / "log").read_text(errors="replace")[-2000:] if (self.dir / "log").exists() else ""
            raise RuntimeError(f"pg_ctl {what} failed: {r.stderr.strip()} {log}")

    def restart(self) -> None:
        self._ctl("restart")

    def stop(self) -> None:
        if self.data.exists():
            self._ctl("stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, db: str = "negotiate") -> str:
        return f"postgresql+psycopg://negotiate@127.0.0.1:{self.port}/{db}"

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "negotiate", name)
        return self.url(name)

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _has_c_utf8() -> bool:
    try:
        out = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    except OSError:
        return False
    return "c.utf8" in out or "c.utf-8" in out


def _ensure_user() -> None:
    import pwd
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER], check=True)


if __name__ == "__main__":      # python -m negotiate.store.pgcluster: start one and wait
    c = Cluster().start()
    print(c.url(), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        c.stop()
