"""The public JSON shapes. One function per contract; the CLI, the app's
downloads and the tests all build JSON here, so the shapes cannot drift.

`parse` (issue #2):
  {"document": {path, sha256, format, language, title, symbol, revisions,
                comments: [...], warnings: [...]},
   "blocks": [{index, kind, label, path, text, start, end, ...extras}]}
Fields may be added; none is renamed or removed.
"""
from __future__ import annotations

from dataclasses import asdict

from .model import Block, Document

CONTRACT_VERSION = 1


def block_json(b: Block) -> dict:
    d = {"index": b.index, "kind": b.kind, "label": b.label, "path": list(b.path),
         "text": b.text, "start": b.start, "end": b.end}
    # Extras, present only when they say something.
    if b.marker:
        d["marker"] = b.marker
    if b.style:
        d["style"] = b.style
    if b.label_type:
        d["label_type"] = b.label_type
    if b.revisions:
        d["revisions"] = [asdict(r) for r in b.revisions]
    if b.marks:
        d["marks"] = [asdict(m) for m in b.marks]
    if b.ref is not None:
        d["ref"] = b.ref
    if b.notes:
        d["notes"] = list(b.notes)
    return d


def document_json(doc: Document) -> dict:
    return {"path": doc.path, "sha256": doc.sha256, "format": doc.format,
            "language": doc.language, "title": doc.title, "symbol": doc.symbol,
            "revisions": doc.revisions_mode,
            "comments": [asdict(c) for c in doc.comments],
            "warnings": list(doc.warnings)}


def parse_json(doc: Document) -> dict:
    return {"document": document_json(doc), "blocks": [block_json(b) for b in doc.blocks]}
