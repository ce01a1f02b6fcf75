"""OCR for PDFs without a usable text layer: pages rendered with pypdfium2,
read by Tesseract (Debian `tesseract-ocr` and its language packs), then cut
into paragraphs by the plain-text reader."""
from __future__ import annotations

import io
import shutil
import subprocess
import sys

from .. import lang
from ..errors import NegotiateError

# negotiate's language codes → Tesseract's (each language's module in lang/ says its own).
TESSERACT = {c: lang.get(c).TESSERACT for c in lang.CODES}


def available() -> list[str]:
    exe = shutil.which("tesseract")
    if not exe:
        return []
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True).stdout.split()
    return [c for c, t in TESSERACT.items() if t in out]


def ocr_text(path: str, pdf, languages: list[str] | None = None, progress=None, dpi: int = 300) -> str:
    """The text of every page, pages separated by blank lines."""
    exe = shutil.which("tesseract")
    if not exe:
        raise NegotiateError(path, "reading by OCR needs Tesseract: apt-get install tesseract-ocr tesseract-ocr-eng "
                                   "tesseract-ocr-chi-sim (and the other languages' packs)")
    have = available()
    langs = [l for l in (languages or have) if l in have] or have
    if not langs:
        raise NegotiateError(path, "Tesseract has none of the six UN languages installed (tesseract-ocr-eng, -chi-sim, …)")
    spec = "+".join(TESSERACT[l] for l in langs)
    pages = []
    n = len(pdf)
    for i in range(n):
        page = pdf[i]
        img = page.render(scale=dpi / 72).to_pil()
        buf = io.BytesIO()
        img.save(buf, format="PNG")
        res = subprocess.run([exe, "stdin", "stdout", "-l", spec, "--psm", "3"], input=buf.getvalue(),
                             capture_output=True, timeout=300)
        if res.returncode != 0:
            raise NegotiateError(path, f"Tesseract failed on page {i + 1}: {res.stderr.decode(errors='replace').strip()[:200]}")
        pages.append(res.stdout.decode("utf-8", errors="replace").strip())
        page.close()
        if progress:
            progress(i + 1, n)
    return "\n\n".join(p for p in pages if p) + "\n"


def terminal_progress(done: int, total: int) -> None:
    """A progress bar on stderr for the CLI."""
    width = 30
    fill = int(width * done / total)
    sys.stderr.write(f"\rOCR [{'#' * fill}{'.' * (width - fill)}] page {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
