import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
REALTEXTS = ROOT.parent / "shared" / "realtexts"


def write_doc(tmp_path, name: str, text: str):
    """A text file of ours in tmp_path, read."""
    from negotiate import read
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return read(p)


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


def libreoffice_views(fodt) -> tuple[str, str]:
    """The text of a LibreOffice flat ODF file with all tracked changes accepted,
    and with all rejected: LibreOffice keeps both insertions and deletions in the
    body between <text:change-start/> and <text:change-end/>, and says in
    <text:tracked-changes> which is which. Paragraphs end with a newline."""
    from lxml import etree
    T = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    O = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    root = etree.parse(str(fodt), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)).getroot()
    kinds = {r.get(f"{{{T}}}id"): etree.QName(r[0]).localname for r in root.iter(f"{{{T}}}changed-region")}
    body = root.find(f".//{{{O}}}text")
    views = []
    for drop in ("deletion", "insertion"):
        parts, active, skip = [], set(), 0
        for ev, el in etree.iterwalk(body, events=("start", "end")):
            tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
            if ev == "start":
                if tag == "tracked-changes":
                    skip += 1
                cid = el.get(f"{{{T}}}change-id")
                if tag == "change-start" and kinds.get(cid) == drop:
                    active.add(cid)
                elif tag == "change-end":
                    active.discard(cid)
                if not skip and not active:
                    parts.append(" " if tag in ("s", "tab", "line-break") else "")
                    parts.append(el.text or "")
            else:
                if tag == "tracked-changes":
                    skip -= 1
                if not skip and not active:
                    parts.append("\n" if tag in ("p", "h") else "")
                    if el is not body:
                        parts.append(el.tail or "")
        views.append("".join(parts))
    return views[0], views[1]


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing in CI: .ci/run should have installed it")
        pytest.skip("LibreOffice (soffice) is not installed")
    return exe
