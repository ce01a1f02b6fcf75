"""The Search page: every version of a negotiation at once — a label, words or a phrase —
results grouped by paragraph chain (the same paragraph through the versions), each
version's wording shown, each a link to the trace and to the comparison."""
from __future__ import annotations

import re

import streamlit as st

from .. import cache
from .common import current, esc, from_address, html, key, link, md_text, to_address, versions

HOW = ["all the words", "the phrase", "a label or path"]
LIMIT = 50


def page() -> None:
    st.title("Search")
    vs = versions()
    if not vs:
        st.info("Add versions in the Workspace.")
        return
    _, nid = current()
    c1, c2 = st.columns([3, 2])
    from_address("se_q", "q")
    q = c1.text_input("Search every version", key="se_q", placeholder="technology transfer, or 4.2, or Article 6")
    to_address("se_q", "q", q.strip(), "")
    from_address("se_how", "how", str, lambda v: v in HOW)
    how = c2.radio("Find", HOW, horizontal=True, key="se_how")
    to_address("se_how", "how", how, HOW[0])
    q = q.strip()
    if not q:
        st.caption(md_text(f"{len(vs)} versions: " + ", ".join(v.label for v in vs)))
        return
    keys = tuple(key(v) for v in vs)
    with st.spinner("Aligning every pair of consecutive versions…"):
        chains, _ = cache.chains(keys)
        docs = [cache.document(*k) for k in keys]
    match = _matcher(q, how)
    hits = []
    for ch in chains:
        found = [(st_.version, i) for st_ in ch.steps for i in st_.blocks if match(docs[st_.version].blocks[i])]
        if found:
            hits.append((ch, {v for v, _ in found}))
    st.caption(f"{len(hits)} paragraphs" + (f" (the first {LIMIT} shown)" if len(hits) > LIMIT else "")
               + f" across {len(vs)} versions")
    words = _words(q, how)
    out = []
    for ch, where in hits[:LIMIT]:
        last = next(s for s in reversed(ch.steps) if s.blocks)
        d = docs[last.version]
        path = " › ".join(d.blocks[last.blocks[0]].path) or d.blocks[last.blocks[0]].label or "(no label)"
        tr = link("trace", n=nid, label="/".join(d.blocks[last.blocks[0]].path), v=vs[last.version].id)
        rows = []
        prev = None
        for s in ch.steps:
            v = vs[s.version]
            if not s.blocks:
                rows.append(f'<tr><th scope="row">{esc(v.label)}</th><td><i>not in this version</i></td></tr>')
                prev = None
                continue
            dv = docs[s.version]
            text = "\n".join(dv.blocks[i].text for i in s.blocks)
            lab = ", ".join(dv.blocks[i].label for i in s.blocks if dv.blocks[i].label)
            cmp = ""
            if prev is not None:
                p = " › ".join(dv.blocks[s.blocks[0]].path)
                cmp = (f' <span class="where"><a href="{esc(link("compare", n=nid, old=prev.id, new=v.id, p=p))}" '
                       f'target="_self">{esc(s.op)}: compare</a></span>')
            mark = " ✓" if s.version in where else ""
            rows.append(f'<tr><th scope="row">{esc(v.label)}{mark}</th><td><b>{esc(lab)}</b> {_highlight(text, words)}{cmp}</td></tr>')
            prev = v
        out.append(f'<details open><summary>{esc(path)}<span class="counts">found in {len(where)} of {len(vs)} '
                   f'versions · <a href="{esc(tr)}" target="_self">trace</a></span></summary>'
                   f'<table class="sbs res">{"".join(rows)}</table></details>')
    html("".join(out) or "<p>Nothing found.</p>")


def _words(q: str, how: str) -> list[str]:
    if how == "the phrase":
        return [q]
    if how == "all the words":
        return q.split()
    return []


def _matcher(q: str, how: str):
    if how == "a label or path":
        want = q.casefold().rstrip(".")
        return lambda b: b.label.casefold().rstrip(".") == want or " › ".join(b.path).casefold() == want \
            or "/".join(b.path).casefold() == want
    words = [w.casefold() for w in _words(q, how)]
    return lambda b: all(w in b.text.casefold() for w in words)


def _highlight(text: str, words: list[str]) -> str:
    if not words:
        return esc(text).replace("\n", "<br>")
    rx = re.compile("|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))), re.IGNORECASE)
    out, pos = [], 0
    for m in rx.finditer(text):
        out.append(esc(text[pos:m.start()]))
        out.append(f"<mark>{esc(m.group())}</mark>")
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out).replace("\n", "<br>")
