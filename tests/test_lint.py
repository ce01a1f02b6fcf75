"""The tree is lint-clean (issue #16): ruff with the rules in pyproject.toml (pyflakes,
pycodestyle, bugbear, pyupgrade, isort), so `make test` and CI fail on a finding."""
import subprocess
import sys

from .conftest import ROOT


def test_ruff_finds_nothing():
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, "ruff check . (fix: ruff check --fix ., then by hand)\n" + r.stdout[-4000:] + r.stderr[-1000:]


def test_ruff_would_catch_a_finding(tmp_path):
    # The check can fail: an unused import in a file of the tree's shape is reported.
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"),
                        str(bad)], capture_output=True, text=True)
    assert r.returncode == 1 and "F401" in r.stdout
