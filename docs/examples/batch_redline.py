"""A redline (.docx with real tracked changes) of every consecutive pair of versions in a folder.

    python docs/examples/batch_redline.py FOLDER OUTDIR [--ext .docx] [--author "Secretariat"]

Versions are taken in file-name order (name them so: v1-…, v2-…, or by date);
`--ext` keeps one format when a folder holds the same versions twice. For each
pair, OUTDIR/OLD--NEW.docx: accept all its changes and you have NEW, reject
all and you have OLD.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import negotiate


def batch_redline(folder: Path, outdir: Path, ext: str | None = None, author: str = "negotiate") -> list[tuple[Path, int]]:
    known = negotiate.ingest.extensions()                     # every format a reader is registered for
    files = sorted(p for p in folder.iterdir()
                   if p.suffix.lower() in known and (ext is None or p.suffix.lower() == ext.lower()))
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, int]] = []
    if len(files) < 2:
        return written
    previous = negotiate.read(files[0])
    for old_path, new_path in zip(files, files[1:]):
        new = negotiate.read(new_path)
        cmp = negotiate.compare(previous, new)
        out = outdir / f"{old_path.stem}--{new_path.stem}.docx"
        written.append((out, negotiate.export.docx.redline(cmp, out, author=author)))
        previous = new
    return written


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--ext", help="only files with this extension, e.g. .docx")
    ap.add_argument("--author", default="negotiate", help="author of the tracked changes")
    a = ap.parse_args(argv)
    try:
        written = batch_redline(a.folder, a.outdir, a.ext, a.author)
    except negotiate.NegotiateError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for path, n in written:
        print(f"{path}: {n} tracked changes")
    if not written:
        print(f"{a.folder}: fewer than two versions, nothing to compare", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
