"""Helpers every reader shares: hashing, titles, document symbols."""
from __future__ import annotations

import hashlib
import re

SYMBOL = re.compile(
    r"(?<![\w/])(?:A|E|S|[A-Z]{2,10}(?:\.\d+)?)(?:/(?:[A-Z]{1,10}(?:\.\d+)*|\d{1,4}(?:\.\d+)*|L\.\d+|Rev\.\d+|Add\.\d+|INF(?:\.\d+)?|CRP\.\d+)){2,8}(?![\w/])")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_symbol(text: str, limit: int = 3000) -> str:
    """The first UN document symbol near the top: SAICM/IP.4/2, FCCC/CP/2015/L.9/Rev.1."""
    m = SYMBOL.search(text[:limit])
    return m.group(0) if m else ""


def guess_title(blocks) -> str:
    for b in blocks[:15]:
        t = (b.label + " " + b.text).strip() if b.kind == "heading" else ""
        if t:
            return re.sub(r"\s+", " ", t.strip("#*_ "))[:200]
    for b in blocks[:3]:
        t = re.sub(r"\s+", " ", (b.label + " " + b.text).strip())
        if t:
            return t[:200]
    return ""
