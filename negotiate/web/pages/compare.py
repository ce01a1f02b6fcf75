"""The Compare page: two versions by section, side by side or inline, word-level diffs,
each row linked to its trace; print, PDF and the other downloads."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote_plus

import streamlit as st

from ...errors import NegotiateError
from ...export.html import pair_html
from .. import cache
from ..precedents import agreed_language_marker  # issue 19
from .common import current, esc, from_address, html, key, link, md_html, md_text, notes_of, pick, to_address, two_or_more

SHOW = ["only changes", "everything", "only moves"]
VIEW = ["side by side", "inline"]


def page() -> None:
    vs = two_or_more("Compare")
    if not vs:
        return
    store, nid = current()
    # What shows only sometimes sits in a container that is always there: the browser matches
    # elements by position, and an element appearing above the rows would make it rebuild them.
    with st.container():
        _first_time(store)
    c1, c2 = st.columns(2)
    old = pick(c1, "Old", vs, "cmp_old", len(vs) - 2, param="old")
    new = pick(c2, "New", vs, "cmp_new", len(vs) - 1, param="new")
    try:
        with st.spinner("Reading, aligning paragraphs and diffing words…"):
            langs = cache.language(*key(old)), cache.language(*key(new))
            if _different_languages(*langs) and _parallel(old, new, cache.document(*key(old)), cache.document(*key(new))):
                return
            cmp = cache.comparison(key(old), key(new))
    except NegotiateError as e:
        st.error(md_text(e.oneline()))
        return
    s = cmp.summary()
    ch, p = s["changes"], s["paragraphs"]
    m = st.columns(7)
    m[0].metric("Modified", p["modified"])
    m[1].metric("Moved", p["moved"])
    m[2].metric("Split / merged", p["split"] + p["merged"])
    m[3].metric("Inserted", p["inserted"])
    m[4].metric("Deleted", p["deleted"])
    m[5].metric("Brackets added", ch["bracket-added"])
    m[6].metric("Brackets lifted", ch["bracket-removed"])
    with st.container():
        for w in cmp.alignment.warnings:
            if not _different_languages(*langs):
                st.warning(md_text(w))
    f1, f2, f3, f4 = st.columns([3, 2, 3, 3])
    from_address("cmp_show", "show", str, lambda v: v in SHOW)
    show = f1.radio("Show", SHOW, horizontal=True, key="cmp_show")
    to_address("cmp_show", "show", show, SHOW[0])
    from_address("cmp_view", "view", str, lambda v: v in VIEW)
    view = f2.radio("View", VIEW, horizontal=True, key="cmp_view")
    to_address("cmp_view", "view", view, VIEW[0])
    sections = [k for k, _ in cmp.by_section()]
    from_address("cmp_sections", "sec", list, lambda v: all(x in sections for x in v))
    wanted = f3.multiselect("Sections", sections, key="cmp_sections")
    to_address("cmp_sections", "sec", wanted, [])
    from_address("cmp_search", "q")
    query = f4.text_input("Search label or text", key="cmp_search")
    to_address("cmp_search", "q", query.strip(), "")
    query = query.strip().casefold()
    para = st.query_params.get("p", "")
    with st.container():
        if para:
            st.info(md_text(f"Showing one paragraph: {para}."))
            if st.button("Show every paragraph", key="cmp_all"):
                del st.query_params["p"]
                st.rerun()

    # Every row is laid out once per pair of versions and view, and the filters only hide rows
    # (a <style> of their ids): the browser then keeps the big block as it is (same HTML, no new
    # sanitizing, parsing or layout) and a filter change costs a restyle.
    a, b = key(old), key(new)
    spec = (show, tuple(wanted), query, para)
    body, rows = _layout(a, b, nid, old.id, new.id, old.label, new.label, view, None)
    if len(rows) >= _CAP:       # a very long comparison: only the rows the filters keep are laid out
        body, rows = _layout(a, b, nid, old.id, new.id, old.label, new.label, view, spec)
    hide, shown = _hidden(rows, *spec)
    st.caption(f"{shown} of {len(cmp.pairs)} aligned paragraphs shown")
    st.html(f"<style>{hide}</style>")
    html(_LEGEND + body)
    agreed_language_marker(cmp)   # issue 19: proposals whose new wording is agreed language
    st.caption("Each paragraph's “trace” link follows it through every version; its “link” is an address "
               "to send a colleague. To print, use the browser's Print: the page prints without its controls.")
    st.subheader("Download")
    author = st.text_input("Author of the tracked changes", value="negotiate", key="cmp_author")
    base = f"{old.label}-to-{new.label}".replace(" ", "_").replace("/", "_")
    d1, d2, d3, d4 = st.columns(4)
    # Files are made when a button is pressed (on a thread of their own), not on every render.
    d1.download_button("Redline (.docx)", lambda: cache.exports(a, b, author)["docx"], f"{base}.docx", key="dl_docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    d2.download_button("PDF", lambda: cache.comparison_pdf(a, b, f"{old.label} → {new.label}"), f"{base}.pdf",
                       key="dl_pdf", mime="application/pdf")
    d3.download_button("HTML", lambda: cache.exports(a, b, author)["html"], f"{base}.html", key="dl_html",
                       mime="text/html")
    d4.download_button("JSON", lambda: cache.exports(a, b, author)["json"], f"{base}.json", key="dl_json",
                       mime="application/json")


def warm(store) -> None:
    """What the first screen shows, into the caches (negotiate.web.serve, at server start):
    the first negotiation's last two versions side by side, as page() would choose them."""
    negs = store.negotiations()
    vs = store.entries(negs[0]["id"], "version") if negs else []
    if len(vs) < 2:
        return
    old, new = vs[-2], vs[-1]
    if _different_languages(cache.language(*key(old)), cache.language(*key(new))):
        return
    cache.comparison(key(old), key(new))
    _layout(key(old), key(new), negs[0]["id"], old.id, new.id, old.label, new.label, VIEW[0], None)


_LEGEND = ('<div class="legend" role="note"><span><ins>underlined</ins> new text</span>'
           '<span><del>struck through</del> removed text</span>'
           '<span><ins class="bracket-added">yellow</ins> brackets added or lifted</span>'
           '<span><ins class="alternative-chosen">blue</ins> alternative chosen or option dropped</span>'
           '<span><span class="op">moved</span> what happened to the paragraph</span></div>')


def _first_time(store) -> None:
    """The first screen points to the Workspace and to a real example."""
    # Decided once per session: after the first run the page itself writes old= into the address,
    # and a welcome that went away on the next run took the click on its button with it.
    if "compare_welcome" not in st.session_state:
        st.session_state["compare_welcome"] = not st.query_params.get("old")
    if st.session_state.get("welcomed") or not st.session_state["compare_welcome"]:
        return
    paris = next((n for n in store.negotiations() if n["name"].startswith("Paris Agreement 2015")), None)
    vs = {e.label for e in store.entries(paris["id"], "version")} if paris is not None else set()
    st.info("New here? This is a comparison of the bundled sample drafts. The [Workspace](workspace) holds your "
            "negotiations' versions and proposals; from there you compare, trace, count brackets and consolidate.",
            icon=":material/waving_hand:")
    # A button, not a Markdown link: Streamlit follows a link to one of the app's pages inside the
    # session and drops its query string, so the link opened the sample again.
    if {"4 Dec", "9 Dec"} <= vs and st.button("A real example: the Paris Agreement drafts, 4 Dec → 9 Dec 2015",
                                              key="compare_welcome_paris", icon=":material/arrow_forward:"):
        from .workspace import open_paris
        open_paris(store, paris, here=True)


def _different_languages(a: str, b: str) -> bool:
    return a != b and "und" not in (a, b)


def _parallel(old, new, od, nd) -> bool:
    """Two versions in different languages are a parallel text, not a diff. The parallel view
    lives in negotiate.web.parallel (issue 20); without it the pages say what the diff is worth."""
    try:
        from .. import parallel
    except ImportError:
        st.warning(md_text(f"{old.label} is in {od.language} and {new.label} in {nd.language}: the rows below pair paragraphs "
                   f"by position and shared numbers, and a word diff between two languages says nothing about "
                   f"their meaning — read the two columns side by side."))
        return False
    return bool(parallel.show(od, nd, old.label, new.label))


def _where(doc, idx: list[int]) -> str:
    return " › ".join(doc.blocks[idx[0]].path) if idx else ""


_CAP = 1500     # rows laid out at most (a 100,000-paragraph pair is read by sections or searched)


def _matches(row, show, wanted, query, para) -> bool:
    """Whether the filters keep a row (the same rules as before rows were laid out once)."""
    _, _, op, sec, where, text = row
    if para:            # a link to one paragraph shows it, changed or not ("Article 4/2" or "Article 4 › 2")
        return para in (where, where.replace(" › ", "/"))
    if show == "only changes" and op == "equal":
        return False
    if show == "only moves" and op != "moved":
        return False
    if wanted and sec not in wanted:
        return False
    return not query or query in text


def _hidden(rows, show, wanted, query, para) -> tuple[str, int]:
    """CSS hiding the rows the filters drop (and sections left empty); the paragraphs shown."""
    hide, shown, groups = [], 0, {}
    for row in rows:
        rid, group = row[0], row[1]
        if _matches(row, show, wanted, query, para):
            shown += rid.startswith("r")
            groups[group] = True
        else:
            hide.append(rid)
            groups.setdefault(group, False)
    hide += [f"s{g}" for g, seen in groups.items() if not seen]
    return (",".join(f".ng #{h}" for h in hide) + "{display:none}") if hide else "", shown


@cache._checked(max_entries=16)
def _layout(a, b, nid, old_id, new_id, old_label, new_label, view, spec):
    """Every row of the comparison of stored files `a` → `b` as HTML (or, with `spec`, only
    those the filters keep), and per row what the filters look at:
    (id, section number, op, section, place, text to search)."""
    from types import SimpleNamespace
    cmp = cache.comparison(a, b)
    old, new = SimpleNamespace(id=old_id, label=old_label), SimpleNamespace(id=new_id, label=new_label)
    od, nd = cmp.old, cmp.new
    md_old, md_new = od.format == "md", nd.format == "md"
    notes_old, notes_new = (notes_of(od) if md_old else {}), (notes_of(nd) if md_new else {})
    # Where each moved paragraph stood in the old version: a row there points to where it went.
    ghosts: dict[int, list] = {}
    order = [(max(pd.link.old) if pd.link.old else None) for pd in cmp.pairs]
    for k, pd in enumerate(cmp.pairs):
        if pd.link.op != "moved" or not pd.link.old:
            continue
        o = min(pd.link.old)
        # after the last non-moved row whose old paragraph comes before this one
        at = -1
        for j, oj in enumerate(order):
            if oj is not None and oj < o and cmp.pairs[j].link.op != "moved":
                at = j
        ghosts.setdefault(at, []).append(k)

    groups: list[tuple[str, list[str], dict]] = []
    by_key: dict[str, int] = {}
    meta: list[tuple] = []

    def filtered(pd, op):
        blk = cmp.new.blocks[pd.link.new[0]] if pd.link.new else cmp.old.blocks[pd.link.old[0]]
        where = _where(cmp.new, pd.link.new) if pd.link.new else _where(cmp.old, pd.link.old)
        text = (pd.old_label + " " + pd.new_label + " " + pd.old_text + " " + pd.new_text).casefold()
        return op, (blk.path[0] if blk.path else "(front matter)"), where, text

    def emit(rid, section, row, op, filt):
        if spec is not None and not _matches((rid, 0, *filt), *spec):
            return
        if section not in by_key:
            by_key[section] = len(groups)
            groups.append((section, [], {}))
        g = groups[by_key[section]]
        g[1].append(row)
        g[2][op] = g[2].get(op, 0) + 1
        meta.append((rid, by_key[section], *filt))

    for k, pd in enumerate([None] + cmp.pairs):
        if len(meta) >= _CAP:
            break
        if pd is not None:
            k -= 1
            op = pd.link.op
            renumbered = op == "equal" and pd.link.old and pd.link.new and pd.old_label != pd.new_label
            shown_op = "renumbered" if renumbered else op
            unchanged = op == "equal" and not renumbered and not pd.changes
            blk = cmp.new.blocks[pd.link.new[0]] if pd.link.new else cmp.old.blocks[pd.link.old[0]]
            section = blk.path[0] if blk.path else "(front matter)"
            emit(f"r{k}", section, _row(k, pd, shown_op, cmp, old, new, nid, view, md_old, md_new, notes_old, notes_new),
                 shown_op, filtered(pd, "equal" if unchanged else shown_op))
        for g in ghosts.get(k if pd is not None else -1, []):
            q = cmp.pairs[g]
            blk = cmp.old.blocks[q.link.old[0]]
            section = blk.path[0] if blk.path else "(front matter)"
            to = f"{esc(new.label)} {esc(_where(cmp.new, q.link.new))}"
            cells = (f'<td class="old" colspan="2">↳ {esc(_where(cmp.old, q.link.old)) or esc(q.old_label)} of {esc(old.label)} '
                     f'was moved to <a href="#r{g}" target="_self">{to}</a></td>')
            if view == "inline":
                row = (f'<div class="p ghost" id="g{g}">↳ {esc(_where(cmp.old, q.link.old))} was moved to '
                       f'<a href="#r{g}" target="_self">{to}</a></div>')
            else:
                row = f'<tr class="ghost" id="g{g}">{cells}</tr>'
            emit(f"g{g}", section, row, "moved", filtered(q, "moved"))
    out = []
    for i, (section, rows, counts) in enumerate(groups):
        summary = ", ".join(f"{n} {op}" for op, n in counts.items())
        body = "".join(rows)
        if view == "side by side":
            body = (f'<table class="sbs"><tr><th scope="col">{esc(old.label)}</th><th scope="col">{esc(new.label)}</th>'
                    f'</tr>{body}</table>')
        out.append(f'<details open id="s{i}"><summary>{esc(section)}<span class="counts">{esc(summary)}</span></summary>'
                   f'{body}</details>')
    return "".join(out), meta


@lru_cache(maxsize=64)
def _prefix_cached(page: str, items: tuple) -> str:
    return link(page, **dict(items))


def _prefix(page: str, **params) -> str:
    return _prefix_cached(page, tuple(sorted(params.items())))


def _row(k, pd, op, cmp, old, new, nid, view, md_old, md_new, notes_old, notes_new) -> str:
    inline, left, right = pair_html(pd)
    if md_old:
        left = md_html(left, notes_old)
    if md_new:
        right = md_html(right, notes_new)
        inline = md_html(inline, notes_new)
    sim = "" if op in ("equal", "inserted", "deleted", "renumbered") else f" {pd.link.similarity:.2f}"
    what = f'<span class="op">{esc(op)}{sim}</span>'
    if op == "renumbered":
        what = f'<span class="op">renumbered {esc(pd.old_label.rstrip("."))} → {esc(pd.new_label.rstrip("."))}</span>'
    if op == "moved":
        what += (f'<span class="where">moved from <a href="#g{k}" target="_self">{esc(old.label)} '
                 f'{esc(_where(cmp.old, pd.link.old)) or esc(pd.old_label)}</a></span>')
    at_new = bool(pd.link.new)
    doc, ent, idx = (cmp.new, new, pd.link.new) if at_new else (cmp.old, old, pd.link.old)
    path = "/".join(doc.blocks[idx[0]].path) if idx else ""
    links = ""
    if path:
        # Prefixes built once per page (urlencode per row was most of the page's time).
        tr = f"{_prefix('trace', n=nid, v=ent.id)}&label={quote_plus(path)}"
        here = f"{_prefix('compare', n=nid, old=old.id, new=new.id)}&p={quote_plus(path)}"
        links = f' <span class="where"><a href="{esc(tr)}">trace</a> · <a href="{esc(here)}">link</a></span>'
    if view == "inline":
        return f'<div class="p {esc(pd.link.op)}" id="r{k}">{what}{inline}{links}</div>'
    lab_old = f"<b>{esc(pd.old_label)}</b> " if pd.old_label else ""
    lab_new = f"<b>{esc(pd.new_label)}</b> " if pd.new_label else ""
    return (f'<tr class="{esc(pd.link.op)}" id="r{k}"><td class="old">{lab_old}{left}</td>'
            f'<td>{what}{lab_new}{right}{links}</td></tr>')
