import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
REALTEXTS = ROOT.parent / "shared" / "realtexts"


def realtext(rel: str) -> Path:
    p = REALTEXTS / rel
    if not p.exists():
        pytest.skip(f"../shared/realtexts/{rel} is not present on this machine")
    return p


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing in CI: .ci/run should have installed it")
        pytest.skip("LibreOffice (soffice) is not installed")
    return exe
