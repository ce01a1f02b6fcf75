"""The public JSON shapes. One function per contract; the CLI, the app's
downloads and the tests all build JSON here, so the shapes cannot drift.

`parse` (issue #2):
  {"document": {path, sha256, format, language, title, symbol, revisions,
                comments: [...], warnings: [...]},
   "blocks": [{index, kind, label, path, text, start, end, ...extras}]}
`brackets` (issue #3), one file:
  {"totals": {brackets, max_depth, alternative_sets, placeholders, bracketed_blocks, errors},
   "blocks": [{index, label, brackets, max_depth, alternative_sets, fully_bracketed, parties}],
   "errors": [{index, label, line, column, message}],
   "spans": [{"open": {index, label, line, column}, "close": {index, label, line, column}}]}
  (spans, added with issue #9: brackets closed outside the paragraph and list that opened
  them; well formed read in order, listed for checking, not errors)
`brackets`, several files (versions in order):
  {"versions": [{"file", "symbol", "totals"}], "sections": [{"section", "brackets": [n per version]}]}

`align` (issue #4):
  {"old": <parse JSON of OLD>, "new": <parse JSON of NEW>,
   "alignment": [{"old": [block indexes], "new": [block indexes], "op", "similarity"}],
   "warnings": [...]}
  ops: equal, modified, moved, split, merged, inserted, deleted; each block index
  appears in exactly one entry on its side.
`trace` (issue #4):
  {"versions": [{"file", "symbol"}], "chains": [{"steps": [{"version", "op", "similarity",
   "blocks": [{"index", "label", "path", "text"}], "diff": [[tag, a1, a2, b1, b2], ...]}]}]}

`consolidate` (issue #6): what `negotiate consolidate -o OUT.json` writes; see
  `consolidated_json` and schemas/consolidate.json.
`suggest` (issue #6): {"suggestions": [{"unit", "label", "candidates": [...]}]}; see `suggest_json`.

`compare` (issue #5):
  {"old": <document JSON>, "new": <document JSON>, "summary": {"paragraphs": {op: n}, "changes": {class: n}},
   "sections": [{"section", "summary"}],
   "pairs": [{"old": [indexes], "new": [indexes], "op", "similarity", "old_label", "new_label",
              "old_text", "new_text", "ops": [[tag, a1, a2, b1, b2]], "changes": [{"class", "old": [a1, a2], "new": [b1, b2]}]}]}
  Offsets index old_text / new_text (several blocks are joined with U+2029).

`parity` (issue #20):
  {"versions": [{"path", "language"}],
   "rows": [{"blocks": [index or null, one per version], "label", "issues": [{"version", "kind", "detail"}],
             "shared": [bool, one per version]}],
   "totals": {kind: count}}
  kinds: missing, extra, label, number, reference, symbol, bracket, alternative; blocks[k] is
  the index `parse` gives the block in version k; shared[k] (added): version k's block also
  appears in other rows (it holds the text of several of the others' paragraphs).

`precedents` (issue #19):
  {"draft": <parse JSON of DRAFT>,
   "matches": [{"block": i, "start": s, "end": e,
                "source": {"path", "symbol", "block": j, "label", "start": s2, "end": e2, "title", "date"},
                "similarity": x}],
   "warnings": [...]}
  start/end index the draft block's text, source.start/end the source block's text; matches
  of one draft span to several sources are listed best first (title, date, warnings: extras).
`library` (issue #19, `negotiate library list --format json`):
  {"library": location, "documents": [{id, path, symbol, title, date, language, sha256, format,
   paragraphs, added}]}

Fields may be added; none is renamed or removed. Each contract has a JSON
Schema in negotiate/schemas/ (`schema(name)`), checked against the CLI's output
by tests/test_schemas.py.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .errors import NegotiateError
from .model import (
    Alignment,
    Block,
    BlockBrackets,
    BracketError,
    Candidate,
    Chain,
    Comparison,
    Consolidated,
    Document,
    LibraryDocument,
    Link,
    Option,
    PairDiff,
    Parity,
    Precedents,
    Report,
    Segment,
    Span,
    Unit,
)

if TYPE_CHECKING:
    from .export.consolidated import Style

CONTRACT_VERSION = 1


def block_json(b: Block) -> dict[str, Any]:
    """One block of the `parse` contract; extras only when they say something."""
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


def document_json(doc: Document) -> dict[str, Any]:
    """The `document` object shared by the parse, align and compare contracts."""
    return {"path": doc.path, "sha256": doc.sha256, "format": doc.format,
            "language": doc.language, "title": doc.title, "symbol": doc.symbol,
            "revisions": doc.revisions_mode,
            "comments": [asdict(c) for c in doc.comments],
            "warnings": list(doc.warnings)}


def parse_json(doc: Document) -> dict[str, Any]:
    """The `parse` contract: {"document": …, "blocks": […]} (`negotiate parse --format json`)."""
    return {"document": document_json(doc), "blocks": [block_json(b) for b in doc.blocks]}


def bracket_error_json(e: BracketError) -> dict[str, Any]:
    """One entry of the `brackets` contract's `errors`."""
    return {"index": e.index, "label": e.label, "line": e.line, "column": e.column, "message": e.message}


def block_brackets_json(b: BlockBrackets) -> dict[str, Any]:
    """One entry of the `brackets` contract's `blocks`."""
    return {"index": b.index, "label": b.label, "brackets": b.brackets, "max_depth": b.max_depth,
            "alternative_sets": b.alternative_sets, "fully_bracketed": b.fully_bracketed,
            "parties": b.parties}


def span_json(s: Span) -> dict[str, Any]:
    """One entry of the `brackets` contract's `spans`."""
    return {"open": {"index": s.open_index, "label": s.open_label, "line": s.open_line, "column": s.open_column},
            "close": {"index": s.close_index, "label": s.close_label, "line": s.close_line,
                      "column": s.close_column}}


def brackets_json(report: Report) -> dict[str, Any]:
    """The `brackets` contract for one file's `negotiate.brackets(doc)` report."""
    return {"totals": report.totals(), "blocks": [block_brackets_json(b) for b in report.blocks],
            "errors": [bracket_error_json(e) for e in report.errors],
            "spans": [span_json(s) for s in report.spans]}


def brackets_versions_json(files: list[str], reports: list[Report],
                           table: list[tuple[str, list[int]]]) -> dict[str, Any]:
    """The `brackets` contract for several versions: totals per version and
    `table = negotiate.brackets.sections_table(reports)`, brackets per section."""
    return {"versions": [{"file": f, "symbol": r.document.symbol, "totals": r.totals()} for f, r in zip(files, reports)],
            "sections": [{"section": name, "brackets": counts} for name, counts in table]}


def link_json(link: Link) -> dict[str, Any]:
    """One entry of the `align` contract's `alignment`."""
    return {"old": list(link.old), "new": list(link.new), "op": link.op, "similarity": round(link.similarity, 4)}


def align_json(old: Document, new: Document, alignment: Alignment) -> dict[str, Any]:
    """The `align` contract: both documents' parse JSON and the links."""
    return {"old": parse_json(old), "new": parse_json(new), "alignment": [link_json(x) for x in alignment.links],
            "warnings": list(alignment.warnings)}


def trace_json(files: list[str], docs: list[Document], chains: list[Chain],
               diffs: dict[tuple[int, int], list[tuple[str, int, int, int, int]]] | None = None) -> dict[str, Any]:
    """The `trace` contract for `chains` (from `negotiate.trace`) through `docs`.

    Each step's `diff` is its `Step.diff` (filled by `negotiate.trace.step_diffs`;
    `[]` when not computed). `diffs`, the older way of passing them, maps
    `(id(chain), version)` to the opcodes and wins when given."""
    out = []
    for c in chains:
        steps = []
        for s in c.steps:
            d = docs[s.version]
            ops = diffs.get((id(c), s.version), []) if diffs is not None else s.diff or []
            steps.append({"version": s.version, "op": s.op, "similarity": round(s.similarity, 4),
                          "blocks": [{"index": i, "label": d.blocks[i].label, "path": list(d.blocks[i].path),
                                      "text": d.blocks[i].text} for i in s.blocks],
                          "diff": [list(op) for op in ops]})
        out.append({"steps": steps})
    return {"versions": [{"file": f, "symbol": d.symbol} for f, d in zip(files, docs)], "chains": out}


def compare_json(cmp: Comparison, *, lazy_pairs: bool = False) -> dict[str, Any]:
    """The `compare` contract for `negotiate.compare(old, new)`. With `lazy_pairs`,
    `pairs` is a `jsontext.Lazy` that `jsontext.dump` writes pair by pair, the same
    text (`compare -o .json`: on 100,000 paragraphs the pairs' dicts were 85 MB)."""
    from .jsontext import Lazy
    pairs: Any = Lazy(lambda: map(_pair_json, cmp.pairs)) if lazy_pairs else [_pair_json(p) for p in cmp.pairs]
    return {"old": document_json(cmp.old), "new": document_json(cmp.new), "summary": cmp.summary(),
            "sections": [{"section": k, "summary": v} for k, v in cmp.by_section()],
            "warnings": list(cmp.alignment.warnings),
            "pairs": pairs}


def _pair_json(p: PairDiff) -> dict[str, Any]:
    return {"old": list(p.link.old), "new": list(p.link.new), "op": p.link.op,
            "similarity": round(p.link.similarity, 4), "old_label": p.old_label, "new_label": p.new_label,
            "old_text": p.old_text, "new_text": p.new_text, "ops": [list(o) for o in p.ops],
            "changes": [{"class": c.cls, "old": [c.a_start, c.a_end], "new": [c.b_start, c.b_end]}
                        for c in p.changes]}


def parity_json(p: Parity) -> dict[str, Any]:
    """The `parity` contract of `negotiate.parity(docs)` (`negotiate parity FILE... --format json`)."""
    return {"versions": [{"path": d.path, "language": code} for d, code in zip(p.documents, p.languages)],
            "rows": [{"blocks": list(r.blocks), "label": r.label,
                      "issues": [{"version": i.version, "kind": i.kind, "detail": i.detail} for i in r.issues],
                      "shared": list(r.shared)} for r in p.rows],
            "totals": p.totals()}


# -- added with issue #16: every contract reachable from here ------------------------

CONSOLIDATED_FORMAT_VERSION = 1   # the consolidate contract's own "version" field


def consolidated_json(c: Consolidated, style: Style | None = None) -> dict[str, Any]:
    """The `consolidate` contract (schemas/consolidate.json): what `negotiate
    consolidate -o OUT.json` writes and `load_consolidated` reads back (for
    `resolve` and `suggest`); `rendered` holds each unit as printed in `style`."""
    from .export.consolidated import render_unit
    units = []
    for u in c.units:
        units.append({
            "label": u.label, "kind": u.kind, "path": u.path, "in_base": u.in_base, "labels": u.labels,
            "absent": u.absent, "base_text": u.base_text,
            "segments": [{"shared": s.shared} if s.shared is not None else
                         {"options": [{"text": o.text, "parties": o.parties} for o in s.options or []]}
                         for s in u.segments],
            "alternatives": None if u.alternatives is None else [{"text": o.text, "parties": o.parties} for o in u.alternatives],
            "rendered": [list(x) for x in render_unit(u, style)] if u.labels else []})
    return {"format": "negotiate-consolidated", "version": CONSOLIDATED_FORMAT_VERSION, "base": document_json(c.base),
            "parties": c.parties, "languages": c.languages, "order": c.order, "units": units}


def consolidated_from_json(data: dict[str, Any], path: str = "consolidated.json") -> Consolidated:
    """A `Consolidated` from `consolidated_json`'s output (without the base's blocks).

    Raises:
        NegotiateError: `data` is not, or no longer, a consolidated text."""
    if not isinstance(data, dict) or data.get("format") != "negotiate-consolidated":
        raise NegotiateError(path, "not a consolidated text written by 'negotiate consolidate -o …json'")
    if data.get("version", 0) > CONSOLIDATED_FORMAT_VERSION:
        raise NegotiateError(path, f"written by a newer negotiate (format version {data.get('version')})")
    try:
        units = []
        for d in data["units"]:
            u = Unit(label=d["label"], kind=d["kind"], path=list(d["path"]), in_base=d["in_base"],
                     labels=dict(d["labels"]), absent=list(d["absent"]), base_text=d.get("base_text", ""))
            u.segments = [Segment(shared=s["shared"]) if "shared" in s else
                          Segment(options=[Option(o["text"], list(o["parties"])) for o in s["options"]]) for s in d["segments"]]
            if d.get("alternatives") is not None:
                u.alternatives = [Option(o["text"], list(o["parties"])) for o in d["alternatives"]]
            units.append(u)
        b = data["base"]
        base = Document(path=b.get("path", ""), sha256=b.get("sha256", ""), format=b.get("format", ""),
                        language=b.get("language", "und"), text="", blocks=[], title=b.get("title", ""),
                        symbol=b.get("symbol", ""))
        return Consolidated(base, list(data["parties"]), units, {k: list(v) for k, v in data["order"].items()},
                            dict(data.get("languages", {})))
    except (KeyError, TypeError, StopIteration) as e:
        raise NegotiateError(path, f"the consolidated JSON is damaged ({type(e).__name__}: {e})") from None


def load_consolidated(path: str) -> Consolidated:
    """Read a consolidated .json written by `negotiate consolidate -o OUT.json`
    (`negotiate.consolidate.load`).

    Raises:
        NegotiateError: missing, unreadable, not JSON or not a consolidated text."""
    import json

    from .ingest import guards
    data = guards.read_bytes(path)
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise NegotiateError(path, f"not valid JSON ({e})") from None
    except RecursionError:      # [[[[…]]]] nested past the interpreter's stack
        raise NegotiateError(path, "not a consolidated JSON (nested too deeply)") from None
    return consolidated_from_json(obj, path)


def suggest_json(c: Consolidated, found: list[tuple[int, list[Candidate]]]) -> dict[str, Any]:
    """The `suggest` contract for `found = negotiate.suggest(c)`:
    {"suggestions": [{"unit", "label", "candidates": [{"kind", "text",
    "retention": {party: share}, "min_retention", "mean_retention"}]}]}
    (the shape `negotiate suggest --format json` prints)."""
    return {"suggestions": [
        {"unit": i, "label": c.units[i].label,
         "candidates": [{"kind": k.kind, "text": k.text, "retention": {p: round(v, 4) for p, v in k.retention.items()},
                         "min_retention": round(k.minimum, 4), "mean_retention": round(k.mean, 4)} for k in cands]}
        for i, cands in found]}


SCHEMAS = ("parse", "brackets", "align", "compare", "trace", "consolidate", "suggest", "parity", "precedents", "library")


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of contract `name`, one of `SCHEMAS`,
    shipped as `negotiate/schemas/<name>.json`. Every schema allows added
    fields: contracts gain fields, never lose or rename one.

    Raises:
        KeyError: no such contract.
    """
    import json
    from importlib.resources import files
    if name not in SCHEMAS:
        raise KeyError(f"no JSON Schema for {name!r} (known: {', '.join(SCHEMAS)})")
    data: dict[str, Any] = json.loads(files(__package__).joinpath("schemas", f"{name}.json").read_text("utf-8"))
    return data


def precedents_json(result: Precedents) -> dict[str, Any]:
    """The `precedents` contract of `negotiate.precedents.find(draft, library)`."""
    return {"draft": parse_json(result.draft),
            "matches": [{"block": m.block, "start": m.start, "end": m.end,
                         "source": {"path": m.source.path, "symbol": m.source.symbol, "block": m.source.block,
                                    "label": m.source.label, "start": m.source.start, "end": m.source.end,
                                    "title": m.source.title, "date": m.source.date},
                         "similarity": round(m.similarity, 4)} for m in result.matches],
            "warnings": list(result.warnings)}


def library_json(location: str, documents: list[LibraryDocument]) -> dict[str, Any]:
    """What `negotiate library list --format json` prints."""
    return {"library": location, "documents": [asdict(d) for d in documents]}
