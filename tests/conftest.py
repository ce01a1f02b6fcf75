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


def brackets_in_order(doc):
    """An independent reading of the square brackets, as a person reads them:
    the body's text in order, each footnote on its own, Markdown footnote marks
    (`[^5]`) skipped. Returns (pairs, offsets of stray ']', offsets of unclosed '[')."""
    import re
    pairs, stray, unclosed = 0, [], []
    streams = [[b for b in doc.blocks if b.kind != "footnote"]] + [[b] for b in doc.blocks if b.kind == "footnote"]
    for blocks in streams:
        stack = []
        for b in blocks:
            marks = {m.start() for m in re.finditer(r"\[\^[^\]\s\[]+\]", b.text)}
            marks |= {m.end() - 1 for m in re.finditer(r"\[\^[^\]\s\[]+\]", b.text)}
            for k, c in enumerate(b.text):
                if k in marks:
                    continue
                if c == "[":
                    stack.append(b.text_start + k)
                elif c == "]":
                    if stack:
                        stack.pop()
                        pairs += 1
                    else:
                        stray.append(b.text_start + k)
        unclosed += stack
    return pairs, sorted(stray), sorted(unclosed)


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing in CI: .ci/run should have installed it")
        pytest.skip("LibreOffice (soffice) is not installed")
    return exe
