"""The Brackets page: brackets per section per version, bracket errors."""
from __future__ import annotations

import streamlit as st

from .. import cache
from .common import key, md_text, versions


def page() -> None:
    import altair as alt

    from ...brackets import sections_table
    st.title("Brackets")
    vs = versions()
    if not vs:
        st.info("Add versions in the Workspace.")
        return
    bar = st.progress(0.0, text="Counting brackets")
    reports = []
    for k, v in enumerate(vs):
        reports.append(cache.brackets_report(key(v)))
        bar.progress((k + 1) / len(vs), text=f"Counting brackets: {v.label}")
    bar.empty()
    table = sections_table(reports)
    totals = [r.totals() for r in reports]
    m = st.columns(min(len(vs), 6))
    for k, (v, t) in enumerate(zip(vs[-len(m):], totals[-len(m):])):
        prev = totals[len(totals) - len(m) + k - 1]["brackets"] if len(totals) - len(m) + k > 0 else None
        m[k].metric(md_text(v.label), t["brackets"], None if prev is None else t["brackets"] - prev, delta_color="inverse")
    # At most 12 sections get a colour of their own (tableau20 has 20, distinct); the rest are summed,
    # so no two sections share a colour and the legend beside the chart is never cut.
    ranked = sorted(table[:-1], key=lambda r: -sum(r[1]))
    own = {name for name, _ in ranked[:12]} if len(ranked) > 13 else {name for name, _ in ranked}
    rest = [r for r in table[:-1] if r[0] not in own]
    shown = [r for r in table[:-1] if r[0] in own]
    if rest:
        shown.append((f"{len(rest)} other sections", [sum(r[1][k] for r in rest) for k in range(len(vs))]))
    data = [{"version": f"{k + 1}. {v.label}", "section": name, "brackets": counts[k]}
            for name, counts in shown for k, v in enumerate(vs)]
    chart = alt.Chart(alt.Data(values=data)).mark_bar().encode(
        x=alt.X("version:N", sort=None, title=None, axis=alt.Axis(labelAngle=-20, labelOverlap=False, labelLimit=200)),
        y=alt.Y("sum(brackets):Q", title="brackets"),
        color=alt.Color("section:N", sort=[n for n, _ in shown], scale=alt.Scale(scheme="tableau20"),
                        legend=alt.Legend(orient="right", labelLimit=0, symbolLimit=0, title=None)),
        tooltip=["version:N", "section:N", "brackets:Q"]).properties(height=260)
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
