"""A comparison → one standalone HTML page: a summary, an inline view and a
side-by-side view. Changes are marked with underline and strikethrough as
well as colour (readable in print and by people who do not see colour), and
each carries its negotiation class as a CSS class and a tooltip."""
from __future__ import annotations

import os
from collections.abc import Callable
from html import escape

from ..model import CLASSES, PARA_SEP, Comparison, PairDiff

CSS = """
body{font:15px/1.5 "Noto Serif","Times New Roman","Noto Serif CJK SC",serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.3rem} h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #ccc}
table.summary{border-collapse:collapse;margin:.5rem 1rem .5rem 0;display:inline-table;vertical-align:top} .summary td,.summary th{border:1px solid #ccc;padding:.2rem .6rem;text-align:right}
.summary th:first-child,.summary td:first-child{text-align:left}
ins{color:#075e0b;background:#e6f4e6;text-decoration:underline} del{color:#9b1c1c;background:#fbe9e9;text-decoration:line-through}
ins.bracket-added,del.bracket-removed{background:#fff3cd;color:#6b4e00}
ins.alternative-chosen,del.alternative-chosen,del.option-dropped{background:#e8eefc;color:#1d3f8f}
.p{margin:.4rem 0;padding:.2rem .5rem;border-left:4px solid transparent}
.p.modified{border-color:#d0a000}.p.inserted{border-color:#2e7d32}.p.deleted{border-color:#c62828}
.p.moved{border-color:#6a1b9a}.p.split,.p.merged{border-color:#00838f}
.op{font:11px sans-serif;color:#555;text-transform:uppercase;margin-right:.4rem}
.label{font-weight:bold;margin-right:.4rem}
table.sbs{border-collapse:collapse;width:100%} .sbs td{vertical-align:top;border-top:1px solid #eee;padding:.3rem .5rem;width:50%}
nav a{margin-right:1rem}
"""


def _marked(text: str, spans: list[tuple[int, int, str]], tag: str, p: PairDiff, side: str) -> str:
    """`text` with the given (start, end, class) spans wrapped in <ins>/<del>."""
    out, pos = [], 0
    for s, e, cls in sorted(spans):
        if s < pos:
            continue
        out.append(escape(text[pos:s]))
        out.append(f'<{tag} class="{cls}" title="{cls}">{escape(text[s:e])}</{tag}>')
        pos = e
    out.append(escape(text[pos:]))
    return "".join(out).replace("\n", "<br>").replace(PARA_SEP, "<br>")


def _class_at(p: PairDiff, a1: int, a2: int, b1: int, b2: int) -> str:
    for c in p.changes:
        if (c.a_start, c.a_end, c.b_start, c.b_end) == (a1, a2, b1, b2):
            return c.cls
    return "changed"


def _inline(p: PairDiff) -> str:
    return diff_html(p.old_text, p.new_text, p.ops, lambda a1, a2, b1, b2: _class_at(p, a1, a2, b1, b2))


def _label(p: PairDiff) -> str:
    if p.old_label == p.new_label or not p.link.old or not p.link.new:
        lab = p.new_label or p.old_label
        return f'<span class="label">{escape(lab)}</span>' if lab else ""
    return (f'<span class="label"><del class="label" title="label">{escape(p.old_label)}</del>'
            f'<ins class="label" title="label">{escape(p.new_label)}</ins></span>')


def pair_html(p: PairDiff) -> tuple[str, str, str]:
    """One aligned pair as HTML: (inline, old side, new side); used by the page and the app."""
    op = p.link.op
    if op == "inserted":
        inline = f"<ins class=\"added\">{escape(p.new_text)}</ins>".replace("\n", "<br>")
    elif op == "deleted":
        inline = f"<del class=\"removed\">{escape(p.old_text)}</del>".replace("\n", "<br>")
    else:
        inline = _inline(p)
    left = _marked(p.old_text, [(a1, a2, _class_at(p, a1, a2, b1, b2)) for t, a1, a2, b1, b2 in p.ops
                                if t in ("delete", "replace")], "del", p, "a")
    right = _marked(p.new_text, [(b1, b2, _class_at(p, a1, a2, b1, b2)) for t, a1, a2, b1, b2 in p.ops
                                 if t in ("insert", "replace")], "ins", p, "b")
    return _label(p) + inline, left if p.link.old else "", right if p.link.new else ""


def diff_html(a: str, b: str, ops: list[tuple[str, int, int, int, int]],
              classify: Callable[[int, int, int, int], str] | None = None) -> str:
    """Token opcodes as inline HTML; `classify(a1, a2, b1, b2)` names each
    change's class (the comparison view), or changes stay unclassed (trace)."""
    out = []
    for tag, a1, a2, b1, b2 in ops:
        attr = ""
        if classify is not None and tag != "equal":
            cls = classify(a1, a2, b1, b2)
            attr = f' class="{cls}" title="{cls}"'
        if tag == "equal":
            out.append(escape(b[b1:b2]))
        if tag in ("delete", "replace"):
            out.append(f"<del{attr}>{escape(a[a1:a2])}</del>")
        if tag in ("insert", "replace"):
            out.append(f"<ins{attr}>{escape(b[b1:b2])}</ins>")
    return "".join(out).replace("\n", "<br>").replace(PARA_SEP, "<br>")


def render(cmp: Comparison, title: str = "") -> str:
    """A comparison as one standalone HTML page (summary, inline and
    side-by-side views; every text escaped).

    Args:
        cmp: what `negotiate.compare(old, new)` returned.
        title: the page title (default: "OLD → NEW").

    Returns:
        The page, as a string.
    """
    title = title or f"{cmp.old.path} → {cmp.new.path}"
    s = cmp.summary()
    rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in s["paragraphs"].items())
    crows = "".join(f"<tr><td>{k}</td><td>{s['changes'][k]}</td></tr>" for k in CLASSES)
    sec_rows = "".join(
        f"<tr><td>{escape(name)}</td>"
        + "".join(f"<td>{d['paragraphs'][k]}</td>" for k in ("modified", "moved", "split", "merged", "inserted", "deleted"))
        + f"<td>{d['changes']['bracket-added']}</td><td>{d['changes']['bracket-removed']}</td></tr>"
        for name, d in cmp.by_section())
    inline, sbs = [], []
    for p in cmp.pairs:
        op = p.link.op
        meta = f'<span class="op">{op}{"" if op in ("equal", "inserted", "deleted") else f" {p.link.similarity:.2f}"}</span>'
        body, left, right = pair_html(p)
        inline.append(f'<div class="p {op}">{meta}{body}</div>')
        sbs.append(f'<tr class="{op}"><td>{"<b>" + escape(p.old_label) + "</b> " if p.old_label else ""}{left}</td>'
                   f'<td>{meta}{"<b>" + escape(p.new_label) + "</b> " if p.new_label else ""}{right}</td></tr>')
    return f"""<!DOCTYPE html>
<html lang="{escape(cmp.new.language if cmp.new.language != 'und' else 'en')}"><head><meta charset="utf-8">
<title>{escape(title)}</title><style>{CSS}</style></head><body>
<h1>{escape(title)}</h1>
<nav><a href="#summary">Summary</a><a href="#inline">Inline</a><a href="#side-by-side">Side by side</a></nav>
<h2 id="summary">Summary</h2>
<p>Old: {escape(cmp.old.symbol or cmp.old.path)} · New: {escape(cmp.new.symbol or cmp.new.path)}.
<ins>Underlined</ins> text is new, <del>struck-through</del> text is gone; yellow marks brackets added or lifted,
blue an alternative chosen or an option dropped.</p>
<table class="summary"><tr><th>paragraphs</th><th>n</th></tr>{rows}</table>
<table class="summary"><tr><th>changes</th><th>n</th></tr>{crows}</table>
<table class="summary"><tr><th>section</th><th>modified</th><th>moved</th><th>split</th><th>merged</th><th>inserted</th><th>deleted</th><th>brackets added</th><th>brackets lifted</th></tr>{sec_rows}</table>
<h2 id="inline">Inline</h2>
{''.join(inline)}
<h2 id="side-by-side">Side by side</h2>
<table class="sbs"><tr><th>{escape(cmp.old.path)}</th><th>{escape(cmp.new.path)}</th></tr>{''.join(sbs)}</table>
</body></html>
"""


def write(cmp: Comparison, path: str | os.PathLike[str], title: str = "") -> None:
    """Write `render(cmp, title)` to `path` (UTF-8).

    Raises:
        OSError: `path` cannot be written.
    """
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(render(cmp, title))
