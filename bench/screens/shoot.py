"""Screenshots of the app for the README, taken in Debian's headless chromium.

Run: .venv/bin/python bench/screens/shoot.py   (starts the app on a free port)
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
    app = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
                            "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
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
            page.get_by_text("Blocks").first.wait_for(timeout=30000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(HERE / "app-document.png"))
            browser.close()
    finally:
        app.terminate()
        app.wait(10)
    print("wrote", HERE / "app-document.png")


if __name__ == "__main__":
    main()
