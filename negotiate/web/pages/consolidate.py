"""The Consolidate page: a base and parties' proposals — stored one per party, or one
party-inputs .docx whose tracked changes' authors are the parties — become bracketed
text; compromise candidates per divergent paragraph; exports."""
from __future__ import annotations

import hashlib

import streamlit as st

from ...errors import NegotiateError
from .. import cache
from ..precedents import agreed_language_marker  # issue 19
from .common import current, entry_name, html, key, md_text, pick, versions

SOURCES = ["stored", "docx"]


def page() -> None:
    st.title("Consolidate")
    s, nid = current()
    if nid is None:
        st.info("Create a negotiation in the Workspace.")
        return
    vs = versions()
    props = s.entries(nid, "proposal")
    docx = [e for e in s.entries(nid) if e.filename.lower().endswith(".docx")]
    source = st.radio("Proposals from", SOURCES, horizontal=True, key="cons_source",
                      format_func=lambda k: "the parties' proposals in the workspace" if k == "stored"
                      else "one .docx whose tracked changes are the delegations' proposals")
    if source == "docx":
        if not docx:
            st.info("Add a .docx with tracked changes (a party-inputs draft) in the Workspace.")
            return
        entry = pick(st, "Party-inputs draft (.docx)", docx, f"cons_inputs_{nid}", len(docx) - 1)
        try:
            with st.spinner("Reading the tracked changes…"):
                _, _, authors = cache.party_inputs(key(entry))
        except NegotiateError as e:
            st.error(md_text(e.oneline()))
            return
        _preview(entry, authors)
        _views(entry, authors)
        if not st.toggle(f"Consolidate the {len(authors)} authors' proposals", key=f"cons_go_{entry.id}"):
            return
        try:
            with st.spinner("Aligning the proposals with the base…"):
                c = cache.consolidation_of_inputs(key(entry))
        except NegotiateError as e:
            st.error(md_text(e.oneline()))
            return
        _show(c, f"docx:{entry.id}:{entry.sha256}", None, ("inputs", key(entry)), entry.sha256)
        return
    if not vs or not props:
        st.info("Add a base version and at least one party's proposal in the Workspace.")
        return
    base = pick(st, "Base", vs, f"cons_base_{nid}", len(vs) - 1)
    # One widget per negotiation: switching negotiation finds its proposals all chosen, as on arrival.
    chosen = st.multiselect("Proposals", [p.id for p in props], default=[p.id for p in props],
                            format_func=lambda i: entry_name(next(p for p in props if p.id == i)), key=f"cons_props_{nid}")
    if not chosen:
        st.info("Choose at least one proposal.")
        return
    sel = [next(p for p in props if p.id == i) for i in chosen]
    seen: dict[str, object] = {}
    for p in sel:
        if p.party in seen:
            a = seen[p.party]
            st.error(md_text(f"{p.party} has two proposals chosen: “{a.label}” ({a.filename}) and “{p.label}” "
                             f"({p.filename}). Choose one of them above, or re-assign one to another party in the Workspace."))
            return
        seen[p.party] = p
    try:
        with st.spinner("Aligning the proposals with the base…"):
            c = cache.consolidation(key(base), tuple(key(p) for p in sel), tuple(p.party for p in sel))
    except NegotiateError as e:
        st.error(md_text(e.oneline()))
        return
    sig = f"{base.id}:{base.sha256}:" + ",".join(f"{p.id}:{p.sha256}:{p.party}" for p in sel)
    made = ("proposals", key(base), tuple(key(p) for p in sel), tuple(p.party for p in sel))
    _show(c, sig, lambda: cache.tracked_proposals(*made[1:]), made, base.sha256)


KIND_NAMES = {"delete": "asks to delete", "wording": "proposes or quotes wording", "objection": "objects",
              "support": "supports", "view": "other view"}


def _views(entry, authors) -> None:
    """The delegations' views that note-takers recorded as comments (the COP29 party-inputs draft:
    95 comments by 9 secretariat staff, naming 29 delegations), by party and paragraph. Listed,
    not consolidated: they are positions, and even a deletion asked for or words quoted do not say
    exactly what text goes where; the secretariat enters those as proposals."""
    from ...parties import DEFAULT_PARTIES
    from ...views import views
    d = cache.document_as(*key(entry), revisions="markup")
    vs = views(d)
    if not vs:
        return
    parties = sorted({p for v in vs for p in v.parties})
    if parties and not any(DEFAULT_PARTIES.known(a) for a in authors):
        st.warning(md_text(f"The {len(authors)} authors of the tracked changes ({', '.join(authors)}) are not delegations, while "
                           f"the comments name {len(parties)} delegations: their inputs are the views listed below."))
    st.subheader("Delegations' views in the comments")
    note_takers = sorted({v.noted_by for v in vs})
    counts = {k: sum(v.kind == k for v in vs) for k in KIND_NAMES}
    st.caption(md_text(f"{len(d.comments)} comments by {len(note_takers)} note-takers record {len(vs)} views of "
                       f"{len(parties)} delegations. They are positions, not wording, so they are listed by paragraph "
                       f"rather than put into the consolidated text; the {counts['delete']} asking to delete and the "
                       f"{counts['wording']} proposing or quoting wording are marked for the secretariat to enter as proposals. "
                       f"The kind is read from the words used (delete, replace, support, against…): check it."))
    by_party = [{"party": p, "views": sum(p in v.parties for v in vs),
                 **{KIND_NAMES[k]: sum(p in v.parties and v.kind == k for v in vs) for k in KIND_NAMES}} for p in parties]
    by_party.sort(key=lambda r: -r["views"])
    st.dataframe(by_party, hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    who = c1.multiselect("Delegations", parties, key=f"cons_vparty_{entry.id}")
    kinds = c2.multiselect("Kinds", list(KIND_NAMES), format_func=KIND_NAMES.get, key=f"cons_vkind_{entry.id}")
    rows = [{"paragraph": (d.blocks[v.block].label or " › ".join(d.blocks[v.block].path) or f"#{v.block}")
             if v.block is not None and v.block < len(d.blocks) else "",
             "delegations": ", ".join(v.parties) or "(not named)", "kind": KIND_NAMES[v.kind], "said": v.text,
             "wording": v.wording, "anchored to": v.anchor, "meeting": v.meeting, "noted by": v.noted_by}
            for v in vs if (not who or set(who) & set(v.parties)) and (not kinds or v.kind in kinds)]
    st.caption(f"{len(rows)} of {len(vs)} views")
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config={"said": st.column_config.TextColumn(width="large")})
    import csv
    import io
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["paragraph"])
    w.writeheader()
    w.writerows(rows)
    st.download_button("These views (.csv)", buf.getvalue().encode("utf-8"), f"{entry.label}-views.csv".replace(" ", "_"),
                       mime="text/csv", key=f"cons_vcsv_{entry.id}")


def _preview(entry, authors) -> None:
    """Who proposed what, before consolidating: each author's insertions and deletions."""
    d = cache.document_as(*key(entry), revisions="markup")
    counts = {a: {"party": a, "insertions": 0, "deletions": 0, "paragraphs": set()} for a in authors}
    changes = []
    for b in d.blocks:
        for r in b.revisions:
            if r.author not in counts:
                continue
            row = counts[r.author]
            row["insertions" if r.kind in ("ins", "moveTo") else "deletions"] += 1
            row["paragraphs"].add(b.index)
            changes.append({"paragraph": b.label or f"#{b.index}", "party": r.author,
                            "change": "adds" if r.kind in ("ins", "moveTo") else "deletes",
                            "text": b.text[r.start:r.end]})
    st.caption(md_text(f"{entry.filename}: the authors of its tracked changes are taken as the parties; the base is the text "
               f"with every change rejected."))
    st.dataframe([{**r, "paragraphs": len(r["paragraphs"])} for r in counts.values()], hide_index=True, width="stretch")
    with st.expander(f"The {len(changes)} proposed changes"):
        who = st.multiselect("Parties", authors, key=f"cons_who_{entry.id}")
        st.dataframe([c for c in changes if not who or c["party"] in who], hide_index=True, width="stretch",
                     column_config={"text": st.column_config.TextColumn(width="large")})


def _show(c, sig: str, tracked, made: tuple, base_sha: str) -> None:
    from ...export.consolidated import Style, render_html
    from ...suggest import candidates
    # Compromises belong to one choice of base and proposals: another choice starts afresh,
    # so no text from an earlier choice can reach the consolidated text.
    tag = hashlib.sha1(sig.encode()).hexdigest()[:10]
    picks: dict = st.session_state.setdefault("cons_picks", {}).setdefault(tag, {})
    div = [i for i, u in enumerate(c.units) if u.divergent and u.labels]
    st.caption(f"{len(c.parties)} parties · {len(c.units)} paragraphs · {len(div)} with divergences")
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Consolidated text")
        html(render_html(c, Style(), picks, "compromise"))
        agreed_language_marker(c)   # issue 19: proposals whose new wording is agreed language
    with right:
        st.subheader("Compromise suggestions")
        if not div:
            st.success("No divergences: every party has the same text.")
        else:
            ui = st.selectbox("Paragraph", div, key=f"cons_unit_{tag}",
                              format_func=lambda i: f"{c.units[i].label or '(no label)'} · "
                                                    f"{c.units[i].text_of(c.units[i].present[0])[:50]}")
            lang = next((l for l in c.languages.values() if l not in ("", "und")), "en")
            cands = candidates(c.units[ui], lang)
            st.caption("Suggestions, not decisions. Kept = share of each party's words the candidate keeps.")
            for k, cand in enumerate(cands):
                st.markdown(f"**{k + 1}. {cand.kind}** — smallest kept {cand.minimum:.0%}, mean {cand.mean:.0%}")
                st.text(cand.text)
                st.dataframe([{p: f"{v:.0%}" for p, v in cand.retention.items()}], hide_index=True)
            texts = [cd.text for cd in cands]
            choice = st.radio("Start from", range(len(texts)), format_func=lambda k: f"candidate {k + 1}",
                              key=f"cons_choice_{tag}_{ui}", horizontal=True)
            edited = st.text_area("Compromise text", value=texts[choice] if texts else "",
                                  key=f"cons_edit_{tag}_{ui}_{choice}")
            b1, b2 = st.columns(2)
            if b1.button("Use this text", key="cons_use"):
                picks[ui] = edited
                st.rerun()
            if ui in picks and b2.button("Back to the bracketed text", key="cons_clear"):
                picks.pop(ui)
                st.rerun()
    d1, d2 = st.columns(2)
    d1.download_button("Consolidated text (.docx)", cache.consolidated_docx(made, base_sha, tuple(sorted(picks.items()))),
                       "consolidated.docx", key="dl_cons",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    if tracked is not None:
        d2.download_button("Proposals as tracked changes by party (.docx)", tracked, "proposals-tracked.docx",
                           key="dl_tracked", mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")

