"""The Compare page: two versions by section, side by side or inline, word-level diffs,
each row linked to its trace; print, PDF and the other downloads."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote_plus

import streamlit as st

from ...errors import NegotiateError
from ...export.html import pair_html
from .. import cache
from ..precedents import agreed_language_marker  # issue 19
from .common import current, esc, from_address, html, key, link, md_html, md_text, new_run, notes_of, pick, to_address, two_or_more

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
    a, b = key(old), key(new)
    _rows_part(cmp, a, b, nid, old, new)
    agreed_language_marker(cmp)   # issue 19: proposals whose new wording is agreed language
    st.caption("Each paragraph's “trace” link follows it through every version; its “link” is an address "
               "to send a colleague. To print, use the browser's Print: the page prints without its controls "
               "(the paragraphs laid out on it: “Show all” first, or download the PDF).")
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


@st.fragment
def _rows_part(cmp, a, b, nid, old, new) -> None:
    """The filters and the rows they keep: a fragment, so that a filter change reruns this part
    only (the pickers, figures and downloads above and below stay as they are, in the browser
    too); "Show more" and a paragraph's link rerun the whole page."""
    new_run()       # this part's block carries the stylesheet, on its own reruns too
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
    # sanitizing, parsing or layout) and a filter change costs a restyle. Only the first rows are
    # sent, a page at a time: the browser sanitizes and parses every element of the block (a
    # whole Paris comparison is 370 KB and 5,700 elements), and the first screen shows a dozen.
    spec = (show, tuple(wanted), query, para)
    plain = show in SHOW[:2] and not wanted and not query and not para
    pages = st.session_state.setdefault("cmp_pages", {}).get((a, b), 1)
    meta, secs, cut, rows = _page(a, b, nid, old, new, view, spec, plain, pages)
    hide, shown = _hidden(meta, *spec, cut=cut)
    here = sum(1 for i in cut if meta[i][0].startswith("r") and _matches(meta[i], *spec))
    more = f" (the first {here} laid out below)" if len(cut) < len(meta) else ""
    st.caption(f"{shown} of {len(cmp.pairs)} aligned paragraphs shown{more}")
    st.html(f"<style>{hide}</style>")
    html(_LEGEND + _block(rows, meta, secs, cut, view, old.label, new.label, _prefix("compare", n=nid, old=old.id, new=new.id)))
    with st.container():
        if len(cut) < len(meta):
            m1, m2, _ = st.columns([2, 2, 6])
            if m1.button(f"Show {_PAGE} more", key="cmp_more"):
                st.session_state["cmp_pages"][(a, b)] = pages + 1
                st.rerun()
            if m2.button("Show all", key="cmp_every"):
                st.session_state["cmp_pages"][(a, b)] = len(meta)
                st.rerun()


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
    _page(key(old), key(new), negs[0]["id"], old, new, VIEW[0], (SHOW[0], (), "", ""), True, 1)


def _page(a, b, nid, old, new, view, spec, plain, pages):
    """What the rows' block shows: every row's filter data and the sections (`_layout`), the rows
    of the first `pages` pages in the order shown (indexes into them), and those rows' HTML by
    index. With `plain` filters ("only changes" or "everything", nothing else) every row is in
    the data and the filters hide rows; with others only the rows they keep."""
    recipes, meta, secs = _layout(a, b, nid, old.id, new.id, old.label, new.label, view, None) if plain else ((), (), ())
    if len(meta) >= _CAP or not plain:      # laid out: only the rows these filters keep
        recipes, meta, secs = _layout(a, b, nid, old.id, new.id, old.label, new.label, view, spec)
        plain = False
    # The cut counts the rows "only changes" keeps, so that "everything" shows the same block.
    order = _order(meta)
    cut = order[:_upto(meta, order, pages, ("only changes", (), "", "") if plain else spec)]
    made = _rows(a, b, nid, old.id, new.id, old.label, new.label, view, tuple(recipes[i] for i in cut))
    return meta, secs, cut, dict(zip(cut, made))


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
_PAGE = 60      # rows the filters keep, sent to the browser at first and with each "Show more"


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


def _hidden(rows, show, wanted, query, para, cut=None) -> tuple[str, int]:
    """CSS hiding the rows the filters drop (of those in `cut`, indexes into `rows`; all without
    it) and the sections they leave empty; the paragraphs shown (of all rows)."""
    laid = set(range(len(rows)) if cut is None else cut)
    hide, shown, groups = [], 0, {}
    for i, row in enumerate(rows):
        rid, group = row[0], row[1]
        if _matches(row, show, wanted, query, para):
            shown += rid.startswith("r")
            groups[group] = True
        else:
            if i in laid:
                hide.append(rid)
            groups.setdefault(group, False)
    hide += [f"s{g}" for g, seen in groups.items() if not seen]
    return (",".join(f".ng #{h}" for h in hide) + "{display:none}") if hide else "", shown


@cache._checked(max_entries=16)
def _layout(a, b, nid, old_id, new_id, old_label, new_label, view, spec):
    """Every row of the comparison of stored files `a` → `b` (or, with `spec`, only those the
    filters keep): how to make its HTML (`_rows` makes it for the rows shown), what the filters
    look at (id, section number, op, section, place, text to search), and per section its name
    and counts ("3 equal, 13 modified")."""
    cmp = cache.comparison(a, b)
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
    recipes: list[tuple] = []

    def filtered(pd, op):
        blk = cmp.new.blocks[pd.link.new[0]] if pd.link.new else cmp.old.blocks[pd.link.old[0]]
        where = _where(cmp.new, pd.link.new) if pd.link.new else _where(cmp.old, pd.link.old)
        text = (pd.old_label + " " + pd.new_label + " " + pd.old_text + " " + pd.new_text).casefold()
        return op, (blk.path[0] if blk.path else "(front matter)"), where, text

    def emit(rid, section, recipe, op, filt):
        if spec is not None and not _matches((rid, 0, *filt), *spec):
            return
        if section not in by_key:
            by_key[section] = len(groups)
            groups.append((section, [], {}))
        g = groups[by_key[section]]
        g[2][op] = g[2].get(op, 0) + 1
        recipes.append(recipe)
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
            emit(f"r{k}", section, ("r", k, shown_op), shown_op, filtered(pd, "equal" if unchanged else shown_op))
        for g in ghosts.get(k if pd is not None else -1, []):
            q = cmp.pairs[g]
            blk = cmp.old.blocks[q.link.old[0]]
            section = blk.path[0] if blk.path else "(front matter)"
            emit(f"g{g}", section, ("g", g, "moved"), "moved", filtered(q, "moved"))
    sections = [(section, ", ".join(f"{n} {op}" for op, n in counts.items())) for section, _, counts in groups]
    return recipes, meta, sections


@cache._checked(max_entries=32)
def _rows(a, b, nid, old_id, new_id, old_label, new_label, view, recipes) -> list[str]:
    """The HTML of the rows `recipes` names (from `_layout`): only the rows shown are made
    (a row's word diff as HTML, its Markdown, its links: most of the layout's time)."""
    from types import SimpleNamespace
    cmp = cache.comparison(a, b)
    old, new = SimpleNamespace(id=old_id, label=old_label), SimpleNamespace(id=new_id, label=new_label)
    od, nd = cmp.old, cmp.new
    md_old, md_new = od.format == "md", nd.format == "md"
    notes_old, notes_new = (notes_of(od) if md_old else {}), (notes_of(nd) if md_new else {})
    out = []
    for kind, k, op in recipes:
        if kind == "r":
            out.append(_row(k, cmp.pairs[k], op, cmp, old, new, nid, view, md_old, md_new, notes_old, notes_new))
            continue
        q = cmp.pairs[k]
        to = f"{esc(new.label)} {esc(_where(cmp.new, q.link.new))}"
        if view == "inline":
            out.append(f'<div class="p ghost" id="g{k}">↳ {esc(_where(cmp.old, q.link.old))} was moved to '
                       f'<a href="#r{k}" target="_self">{to}</a></div>')
        else:
            at = esc(_where(cmp.old, q.link.old)) or esc(q.old_label)
            out.append(f'<tr class="ghost" id="g{k}"><td class="old" colspan="2">↳ {at} of {esc(old.label)} '
                       f'was moved to <a href="#r{k}" target="_self">{to}</a></td></tr>')
    return out


def _upto(meta, order: list[int], pages: int, spec) -> int:
    """How many rows of `order` (the order shown) make `pages` pages of rows that `spec` keeps."""
    need, n = pages * _PAGE, 0
    for j, i in enumerate(order):
        if meta[i][0].startswith("r") and _matches(meta[i], *spec):
            n += 1
            if n > need:
                return j
    return len(meta)


def _order(meta) -> list[int]:
    # Shown section by section (a section's rows together, in the order they were made).
    return sorted(range(len(meta)), key=lambda i: (meta[i][1], i))


def _block(rows, meta, sections, cut, view, old_label, new_label, here) -> str:
    """The HTML of the rows in `cut` (indexes into rows/meta), by section; every section has its
    heading, those whose rows are not all laid out a line saying so (with a link to the section
    alone). A moved row's link to its other end, when that end is not laid out, becomes the
    address of that paragraph."""
    ids = {meta[i][0] for i in cut}
    where = {row[0]: row[4] for row in meta}
    size: dict[int, int] = {}
    for row in meta:
        size[row[1]] = size.get(row[1], 0) + 1
    laid: dict[int, list[str]] = {}
    for i in cut:
        row = rows[i]
        laid.setdefault(meta[i][1], []).append(_HASH.sub(lambda m: _fix(m, ids, where, here), row) if 'href="#' in row else row)
    out = []
    for group, (name, summary) in enumerate(sections):
        body = laid.get(group, [])
        inner = "".join(body)
        if body and view == "side by side":
            inner = (f'<table class="sbs"><tr><th scope="col">{esc(old_label)}</th><th scope="col">{esc(new_label)}</th>'
                     f'</tr>{inner}</table>')
        if len(body) < size.get(group, 0):
            alone = f"{here}&sec={quote_plus(name)}"
            inner += (f'<p class="later">{"More of this section is not" if body else "Not"} laid out yet: “Show more” at the '
                      f'end of the list, or <a href="{esc(alone)}" target="_self">this section alone</a>.</p>')
        out.append(f'<details open id="s{group}"><summary>{esc(name)}<span class="counts">{esc(summary)}</span></summary>'
                   f'{inner}</details>')
    return "".join(out)


def _fix(m, ids, where, here) -> str:
    rid = m.group(1)
    if rid in ids or rid not in where:
        return m.group(0)
    return f'href="{esc(here)}&amp;p={quote_plus(where[rid])}&amp;show=everything"'


_HASH = re.compile(r'href="#([gr]\d+)"')


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
