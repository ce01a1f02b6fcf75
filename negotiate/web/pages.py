"""The app's pages: widgets laid out, library calls made (through `cache`)."""
from __future__ import annotations

from datetime import date

import streamlit as st

from ..errors import NegotiateError
from ..export.html import CSS, diff_html, pair_html
from . import cache
from .precedents import agreed_language_marker  # issue 19

OPS = ("modified", "moved", "split", "merged", "inserted", "deleted")


# -- shared ------------------------------------------------------------------------------
def sidebar() -> None:
    s = cache.store()
    negs = s.negotiations()
    if not negs:
        return
    ids = [n["id"] for n in negs]
    if st.session_state.get("negotiation") not in ids:
        st.session_state["negotiation"] = ids[0]
    st.sidebar.selectbox("Negotiation", ids, key="negotiation",
                         format_func=lambda i: next(n["name"] for n in negs if n["id"] == i))


def current():
    s = cache.store()
    nid = st.session_state.get("negotiation")
    if nid is None:
        negs = s.negotiations()
        nid = negs[0]["id"] if negs else None
    return s, nid


def _key(e) -> tuple[str, str, str]:
    return (e.sha256, e.filename, e.reading)


def _name(e) -> str:
    who = f" — {e.party}" if e.party else ""
    when = f" ({e.date})" if e.date else ""
    return f"{e.label}{who}{when}"


def _pick(where, label: str, entries, key: str, index: int = 0):
    """A select box of stored versions or proposals; returns the chosen entry."""
    by_id = {e.id: e for e in entries}
    eid = where.selectbox(label, list(by_id), index=index, format_func=lambda i: _name(by_id[i]), key=key)
    return by_id[eid]


def _two_or_more(title: str):
    """The page's title, and the stored versions when there are two or more to work on."""
    st.title(title)
    vs = _versions()
    if len(vs) < 2:
        st.info("Add at least two versions in the Workspace.")
        return None
    return vs


def _versions():
    s, nid = current()
    return s.entries(nid, "version") if nid is not None else []


def _html(body: str, height: int | None = None) -> None:
    st.html(f"<style>{CSS} body{{margin:0}} .sbs td{{font-size:14px}}</style>{body}")


# -- Workspace -----------------------------------------------------------------------------
def workspace() -> None:
    st.title("Workspace")
    if "flash" in st.session_state:
        st.success(st.session_state.pop("flash"))
    s, nid = current()
    with st.expander("New negotiation"):
        with st.form("new_negotiation", clear_on_submit=True):
            name = st.text_input("Name", key="new_name")
            symbol = st.text_input("Document symbol", key="new_symbol", placeholder="SAICM/IP.4/2")
            if st.form_submit_button("Create"):
                try:
                    st.session_state["negotiation"] = s.create_negotiation(name, symbol)
                    st.rerun()
                except ValueError as e:
                    st.error(str(e))
    if nid is None:
        st.info("Create a negotiation to begin.")
        return
    entries = s.entries(nid)
    st.subheader("Versions and proposals")
    st.dataframe([{"kind": e.kind, "label": e.label, "party": e.party, "date": e.date, "file": e.filename,
                   "sha256": e.sha256[:12], "read by": "OCR" if e.reading == "ocr" else ""} for e in entries], hide_index=True, width="stretch")
    st.subheader("Add")
    kind = st.radio("What", ["version", "proposal"], horizontal=True, key="add_kind",
                    format_func=lambda k: "a version of the text" if k == "version" else "a party's proposal")
    c1, c2, c3 = st.columns(3)
    label = c1.text_input("Label", key="add_label", placeholder="Rev.1")
    when = c2.date_input("Date", value=date.today(), key="add_date")
    party = c3.text_input("Party", key="add_party", disabled=kind != "proposal", placeholder="EU")
    # A new key after each addition gives an empty uploader for the next file.
    up = st.file_uploader("Upload .docx, .pdf, .txt, .md or .html", type=cache.upload_types(),
                          key=f"upload_{st.session_state.get('uploads', 0)}")
    corpus = st.selectbox("…or take one from the bundled corpora", [""] + [p.name for p in cache.corpus_files()],
                          key="add_corpus")
    ocr = st.checkbox("Read a PDF's pages by OCR (Tesseract) — for scans and PDFs whose text layer is broken; "
                      "slow: seconds a page", key="add_ocr")
    if st.button("Add to the workspace", type="primary", key="add_button"):
        if up is not None:
            name, data = up.name, up.getvalue()
        elif corpus:
            name, data = corpus, (cache.CORPORA / corpus).read_bytes()
        else:
            st.error("Choose a file to upload or a corpus file.")
            return
        reading = "ocr" if ocr and name.lower().endswith(".pdf") else ""
        try:
            from .. import read
            bar = st.progress(0.0, text="OCR") if reading else None
            progress = (lambda done, total: bar.progress(done / total, text=f"OCR: page {done} of {total}")) \
                if bar else None
            # Refuse what cannot be read, before storing it.
            doc = read(name, data=data, name=name, ocr=bool(reading), progress=progress)
        except NegotiateError as e:
            message = e.oneline()
            if "--ocr" in message:
                message = message.replace("or --ocr", "or tick “Read a PDF's pages by OCR”").replace(
                    "use --ocr", "tick “Read a PDF's pages by OCR”")
            st.error(message)
            return
        try:
            e = s.add(nid, data, name, label.strip() or doc.symbol or name, kind=kind,
                      party=party.strip() if kind == "proposal" else "", date=str(when), reading=reading)
        except ValueError as err:
            st.error(f"{name}: {err}")
            return
        st.session_state["uploads"] = st.session_state.get("uploads", 0) + 1
        st.session_state["flash"] = f"Added {_name(e)}: {len(doc.blocks)} paragraphs, sha256 {e.sha256[:12]}…"
        st.rerun()


# -- Compare -----------------------------------------------------------------------------------
def compare() -> None:
    vs = _two_or_more("Compare")
    if not vs:
        return
    c1, c2 = st.columns(2)
    old = _pick(c1, "Old", vs, "cmp_old", len(vs) - 2)
    new = _pick(c2, "New", vs, "cmp_new", len(vs) - 1)
    from . import parallel
    if parallel.show(old, new):    # different languages: a parallel text, not a diff (issue #20)
        return
    try:
        with st.spinner("Aligning paragraphs and diffing words…"):
            cmp = cache.comparison(_key(old), _key(new))
    except NegotiateError as e:
        st.error(e.oneline())
        return
    s = cmp.summary()
    ch = s["changes"]
    p = s["paragraphs"]
    m = st.columns(7)
    m[0].metric("Modified", p["modified"])
    m[1].metric("Moved", p["moved"])
    m[2].metric("Split / merged", p["split"] + p["merged"])
    m[3].metric("Inserted", p["inserted"])
    m[4].metric("Deleted", p["deleted"])
    m[5].metric("Brackets added", ch["bracket-added"])
    m[6].metric("Brackets lifted", ch["bracket-removed"])
    for w in cmp.alignment.warnings:
        st.warning(w)
    f1, f2, f3 = st.columns([2, 2, 3])
    show = f1.radio("Show", ["only changes", "everything", "only moves"], horizontal=True, key="cmp_show")
    sections = [k for k, _ in cmp.by_section()]
    pick = f2.multiselect("Sections", sections, key="cmp_sections")
    query = f3.text_input("Search label or text", key="cmp_search").strip().casefold()
    rows = []
    for pd in cmp.pairs:
        op = pd.link.op
        if show == "only changes" and op == "equal" and not pd.changes:
            continue
        if show == "only moves" and op != "moved":
            continue
        blk = cmp.new.blocks[pd.link.new[0]] if pd.link.new else cmp.old.blocks[pd.link.old[0]]
        if pick and (blk.path[0] if blk.path else "(front matter)") not in pick:
            continue
        if query and query not in (pd.old_label + " " + pd.new_label + " " + pd.old_text + " " + pd.new_text).casefold():
            continue
        _, left, right = pair_html(pd)
        meta = f'<span class="op">{op}{"" if op in ("equal", "inserted", "deleted") else f" {pd.link.similarity:.2f}"}</span>'
        rows.append(f'<tr class="{op}"><td>{"<b>" + pd.old_label + "</b> " if pd.old_label else ""}{left}</td>'
                    f'<td>{meta}{"<b>" + pd.new_label + "</b> " if pd.new_label else ""}{right}</td></tr>')
    st.caption(f"{len(rows)} of {len(cmp.pairs)} aligned paragraphs shown")
    _html(f'<table class="sbs"><tr><th>{old.label}</th><th>{new.label}</th></tr>{"".join(rows[:1500])}</table>')
    agreed_language_marker(cmp)   # issue 19: proposals whose new wording is agreed language
    st.subheader("Download")
    author = st.text_input("Author of the tracked changes", value="negotiate", key="cmp_author")
    a, b = _key(old), _key(new)
    base = f"{old.label}-to-{new.label}".replace(" ", "_").replace("/", "_")
    d1, d2, d3 = st.columns(3)
    # Files are made when a button is pressed (on a thread of their own), not on every render.
    d1.download_button("Redline (.docx)", lambda: cache.exports(a, b, author)["docx"], f"{base}.docx", key="dl_docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    d2.download_button("HTML", lambda: cache.exports(a, b, author)["html"], f"{base}.html", key="dl_html",
                       mime="text/html")
    d3.download_button("JSON", lambda: cache.exports(a, b, author)["json"], f"{base}.json", key="dl_json",
                       mime="application/json")


# -- Trace ----------------------------------------------------------------------------------------
def trace() -> None:
    vs = _two_or_more("Trace")
    if not vs:
        return
    c1, c2 = st.columns(2)
    label = c1.text_input("Paragraph label", key="tr_label", placeholder="12 or 7 bis.")
    search = c2.text_input("…or text it contains", key="tr_search")
    if not label.strip() and not search.strip():
        st.info("Give a label (read in the first version that has it) or some text.")
        return
    from ..diff import diff_tokens
    from ..trace import find
    keys = tuple(_key(v) for v in vs)
    with st.status("Aligning every pair of consecutive versions…", expanded=False) as status:
        chains, _ = cache.chains(keys)
        docs = [cache.document(*k) for k in keys]
        status.update(label=f"{len(vs)} versions aligned", state="complete")
    hits = find(chains, docs, label=label.strip() or None, search=None if label.strip() else search.strip())
    if not hits:
        st.warning("No paragraph found with that " + ("label." if label.strip() else "text."))
        return
    for n, chain in enumerate(hits[:10], 1):
        st.subheader(f"Paragraph {n} of {len(hits)}")
        prev = None
        for step in chain.steps:
            v, d = vs[step.version], docs[step.version]
            if not step.blocks:
                st.markdown(f"**{v.label}** — _{step.op}_")
                continue
            text = "\n".join(d.blocks[i].text for i in step.blocks)
            labels = ", ".join(d.blocks[i].label or "(no label)" for i in step.blocks)
            how = step.op if step.op in ("first", "inserted") else f"{step.op} {step.similarity:.2f}"
            st.markdown(f"**{v.label}** · {labels} · _{how}_ · {' › '.join(d.blocks[step.blocks[0]].path)}")
            lang = d.token_language
            body = diff_html(prev, text, diff_tokens(prev, text, lang)) if prev is not None and step.op != "equal" else text
            _html(f'<div class="p {step.op}">{body}</div>')
            prev = text


# -- Brackets ----------------------------------------------------------------------------------------
def brackets() -> None:
    import altair as alt

    from ..brackets import sections_table
    st.title("Brackets")
    vs = _versions()
    if not vs:
        st.info("Add versions in the Workspace.")
        return
    bar = st.progress(0.0, text="Counting brackets")
    reports = []
    for k, v in enumerate(vs):
        reports.append(cache.brackets_report(_key(v)))
        bar.progress((k + 1) / len(vs), text=f"Counting brackets: {v.label}")
    bar.empty()
    table = sections_table(reports)
    totals = [r.totals() for r in reports]
    m = st.columns(min(len(vs), 6))
    for k, (v, t) in enumerate(zip(vs[-len(m):], totals[-len(m):])):
        prev = totals[len(totals) - len(m) + k - 1]["brackets"] if len(totals) - len(m) + k > 0 else None
        m[k].metric(v.label, t["brackets"], None if prev is None else t["brackets"] - prev, delta_color="inverse")
    data = [{"version": f"{k + 1}. {v.label}", "section": name, "brackets": counts[k]}
            for name, counts in table[:-1] for k, v in enumerate(vs)]
    chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=alt.X("version:N", sort=None, title=None), y=alt.Y("sum(brackets):Q", title="brackets"),
        color=alt.Color("section:N", sort=None), tooltip=["version:N", "section:N", "brackets:Q"])
    st.altair_chart(chart, width="stretch")
    st.dataframe([{"section": name, **{v.label: n for v, n in zip(vs, counts)}} for name, counts in table],
                 hide_index=True, width="stretch")
    st.subheader("Bracket errors")
    errs = [{"version": v.label, "paragraph": e.label or f"#{e.index}", "line": e.line, "column": e.column,
             "message": e.message} for v, r in zip(vs, reports) for e in r.errors]
    if errs:
        st.dataframe(errs, hide_index=True, width="stretch")
    else:
        st.success("Every bracket is closed in every version.")
    spans = [{"version": v.label, "opens in": s.open_label or f"#{s.open_index}", "line": s.open_line,
              "column": s.open_column, "closes in": s.close_label or f"#{s.close_index}", "at line": s.close_line}
             for v, r in zip(vs, reports) for s in r.spans]
    if spans:
        with st.expander(f"{len(spans)} brackets close outside the paragraph that opened them"):
            st.caption("Read in order these are well formed; check that each is meant.")
            st.dataframe(spans, hide_index=True, width="stretch")


# -- Consolidate ----------------------------------------------------------------------------------------
def consolidate() -> None:
    from ..consolidate import Style, render_unit
    from ..suggest import candidates
    st.title("Consolidate")
    s, nid = current()
    vs = _versions()
    props = s.entries(nid, "proposal") if nid is not None else []
    if not vs or not props:
        st.info("Add a base version and at least one party's proposal in the Workspace.")
        return
    base = _pick(st, "Base", vs, "cons_base", len(vs) - 1)
    chosen = st.multiselect("Proposals", [p.id for p in props], default=[p.id for p in props],
                            format_func=lambda i: _name(next(p for p in props if p.id == i)), key="cons_props")
    if not chosen:
        st.info("Choose at least one proposal.")
        return
    sel = [next(p for p in props if p.id == i) for i in chosen]
    try:
        with st.spinner("Aligning the proposals with the base…"):
            c = cache.consolidation(_key(base), tuple(_key(p) for p in sel), tuple(p.party for p in sel))
    except NegotiateError as e:
        st.error(e.oneline())
        return
    picks: dict = st.session_state.setdefault("cons_picks", {})
    div = [i for i, u in enumerate(c.units) if u.divergent and u.labels]
    st.caption(f"{len(c.parties)} parties · {len(c.units)} paragraphs · {len(div)} with divergences")
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Consolidated text")
        out = []
        for i, u in enumerate(c.units):
            if not u.labels:
                continue
            if i in picks:
                out.append(f"<p><b>{u.label}</b> <ins>{picks[i]}</ins> <i>(compromise)</i></p>")
                continue
            for lab, t in render_unit(u, Style()):
                out.append(f"<p><b>{lab}</b> {t}</p>")
        _html("".join(out))
        agreed_language_marker(c)   # issue 19: proposals whose new wording is agreed language
    with right:
        st.subheader("Compromise suggestions")
        if not div:
            st.success("No divergences: every party has the same text.")
        else:
            ui = st.selectbox("Paragraph", div, key="cons_unit",
                              format_func=lambda i: f"{c.units[i].label or '(no label)'} · {c.units[i].text_of(c.units[i].present[0])[:50]}")
            lang = next((l for l in c.languages.values() if l not in ("", "und")), "en")
            cands = candidates(c.units[ui], lang)
            st.caption("Suggestions, not decisions. Kept = share of each party's words the candidate keeps.")
            for k, cand in enumerate(cands):
                st.markdown(f"**{k + 1}. {cand.kind}** — smallest kept {cand.minimum:.0%}, mean {cand.mean:.0%}")
                st.write(cand.text)
                st.dataframe([{p: f"{v:.0%}" for p, v in cand.retention.items()}], hide_index=True)
            texts = [cd.text for cd in cands]
            choice = st.radio("Start from", range(len(texts)), format_func=lambda k: f"candidate {k + 1}", key=f"cons_choice_{ui}",
                              horizontal=True)
            edited = st.text_area("Compromise text", value=texts[choice] if texts else "", key=f"cons_edit_{ui}_{choice}")
            b1, b2 = st.columns(2)
            if b1.button("Use this text", key="cons_use"):
                picks[ui] = edited
                st.rerun()
            if ui in picks and b2.button("Back to the bracketed text", key="cons_clear"):
                picks.pop(ui)
                st.rerun()
    d1, d2 = st.columns(2)
    d1.download_button("Consolidated text (.docx)", _consolidated_docx(c, picks), "consolidated.docx", key="dl_cons",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    d2.download_button("Proposals as tracked changes by party (.docx)",
                       lambda: cache.tracked_proposals(_key(base), tuple(_key(p) for p in sel), tuple(p.party for p in sel)),
                       "proposals-tracked.docx", key="dl_tracked",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _consolidated_docx(c, picks) -> bytes:
    from ..export import bracketed
    return bracketed.to_bytes(c, picks=picks)


# -- Document -----------------------------------------------------------------------------------------
def document() -> None:
    st.title("Document")
    s, nid = current()
    entries = s.entries(nid) if nid is not None else []
    if not entries:
        st.info("Add versions in the Workspace.")
        return
    e = _pick(st, "Version or proposal", entries, "doc_pick")
    d = cache.document(*_key(e))
    c = st.columns(4)
    c[0].metric("Blocks", len(d.blocks))
    c[1].metric("Numbered", sum(1 for b in d.blocks if b.label))
    c[2].metric("Language", d.language)
    c[3].metric("Comments", len(d.comments))
    st.markdown(f"**{d.title or e.filename}**" + (f" — `{d.symbol}`" if d.symbol else ""))
    for w in d.warnings:            # e.g. text read by OCR, a damaged encoding repaired
        st.warning(w)
    st.dataframe([{"#": b.index, "kind": b.kind, "label": b.label, "path": " › ".join(b.path), "text": b.text}
                  for b in d.blocks], hide_index=True, width="stretch",
                 column_config={"text": st.column_config.TextColumn(width="large")})
