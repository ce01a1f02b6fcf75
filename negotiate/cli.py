"""The `negotiate` command: argument parsing and printing, nothing else."""
from __future__ import annotations

import argparse
import os
import sys

from . import __version__, outputs
from .errors import NegotiateError

REVISION_MODES = ("accept", "reject", "markup")   # negotiate.ingest.REVISION_MODES (a test checks)


class _Contracts:
    """`contracts`, imported on first use: `negotiate --version` and `--help`
    start without the model and the readers (issue 15: cold start)."""
    def __getattr__(self, name):
        from . import contracts as c
        return getattr(c, name)


contracts = _Contracts()


def read(*a, **k):
    from .ingest import read as _read
    return _read(*a, **k)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, like every other input error
        self.print_usage(sys.stderr)
        print(f"negotiate: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _dump(obj) -> str:
    # json.dumps(obj, ensure_ascii=False, indent=2), without its pure-Python indenting
    from .jsontext import dumps
    return dumps(obj)


def _read(path: str, args, revisions: str | None = None):
    """Read one input with the reading options every command shares."""
    progress = None
    if args.ocr:
        from .ingest.ocr import terminal_progress
        progress = terminal_progress
    doc = read(path, revisions=revisions or getattr(args, "revisions", "accept"), ocr=args.ocr,
               ocr_languages=args.ocr_lang.split(",") if args.ocr_lang else None, progress=progress)
    for w in doc.warnings:   # e.g. how a damaged encoding was read
        print(f"negotiate: warning: {path}: {w}", file=sys.stderr)
    return doc


def cmd_parse(args) -> int:
    doc = _read(args.file, args)
    if args.format == "json":
        sys.stdout.write(_dump(contracts.parse_json(doc)) + "\n")
    else:
        sys.stdout.write(doc.text if doc.text.endswith("\n") else doc.text + "\n")
    return 0


def _table(rows, headers) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)] if rows else [len(h) for h in headers]
    fmt = "  ".join("{:<%d}" % w if i == 0 else "{:>%d}" % w for i, w in enumerate(widths))
    out = [fmt.format(*headers), "  ".join("-" * w for w in widths)]
    out += [fmt.format(*[str(c) for c in r]) for r in rows]
    return "\n".join(out)


def read_party_file(path: str) -> list[str]:
    """One party name per line; blank lines and lines starting with # are skipped."""
    from .ingest import guards
    data = guards.read_bytes(path)
    warnings: list[str] = []
    text = guards.decode_text(path, data, warnings)
    for w in warnings:
        print(f"negotiate: warning: {path}: {w}", file=sys.stderr)
    return [l.strip() for l in text.splitlines() if l.strip() and not l.lstrip().startswith("#")]


_SHOWN_ERRORS = 1000


def cmd_brackets(args) -> int:
    from . import brackets
    from .parties import DEFAULT, Parties
    party_list = Parties()
    if args.parties:
        names = read_party_file(args.parties)
        party_list = Parties(names=() if args.only_listed else DEFAULT, extra=tuple(names))
    docs = [_read(f, args) for f in args.files]
    reports = [brackets.analyse(d, party_list) for d in docs]
    errors = sum(len(r.errors) for r in reports)
    if len(reports) == 1:
        r = reports[0]
        if args.format == "json":
            sys.stdout.write(_dump(contracts.brackets_json(r)) + "\n")
        else:
            rows = [(b.label or f"#{b.index}", b.brackets, b.max_depth, b.alternative_sets,
                     "yes" if b.fully_bracketed else "", ", ".join(b.parties))
                    for b in r.blocks if b.has_brackets or b.parties]
            print(_table(rows, ["paragraph", "brackets", "depth", "alt sets", "whole", "parties"]))
            t = r.totals()
            print(f"\n{args.files[0]}: {t['brackets']} brackets, depth {t['max_depth']}, "
                  f"{t['alternative_sets']} alternative sets, {t['placeholders']} placeholders, "
                  f"{t['bracketed_blocks']} bracketed paragraphs, {t['errors']} errors"
                  + (f"; {len(r.spans)} brackets close outside the paragraph that opened them "
                     f"(listed by --format json)" if r.spans else ""))
    else:
        table = brackets.sections_table(reports)
        if args.format == "json":
            sys.stdout.write(_dump(contracts.brackets_versions_json(args.files, reports, table)) + "\n")
        else:
            names = [os.path.basename(f) for f in args.files]
            print(_table([(k, *v) for k, v in table], ["section", *names]))
    for f, r in zip(args.files, reports):
        # A broken file can have a million errors: the text listing stops at
        # _SHOWN_ERRORS (with how many more); --format json lists every one.
        shown = r.errors if args.format == "json" else r.errors[:_SHOWN_ERRORS]
        for e in shown:
            where = f"{f}:{e.line}:{e.column}" + (f": paragraph {e.label}" if e.label else f": block {e.index}")
            print(f"{where}: {e.message}", file=sys.stderr)
            if args.format != "json":
                print(brackets.excerpt(r.document, e), file=sys.stderr)
        if len(shown) < len(r.errors):
            print(f"{f}: … and {len(r.errors) - len(shown):,} more bracket errors (all listed by --format json)",
                  file=sys.stderr)
    return 1 if errors else 0


def _short(text: str, n: int = 60) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"


def cmd_align(args) -> int:
    from .align import align
    old, new = _read(args.old, args), _read(args.new, args)
    al = align(old, new)
    for w in al.warnings:
        print(f"negotiate: warning: {args.new}: {w}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(_dump(contracts.align_json(old, new, al)))   # not + "\n": a copy of megabytes
        sys.stdout.write("\n")
        return 0
    rows = []
    for l in al.links:
        if args.changes_only and l.op == "equal":
            continue
        o = ", ".join(old.blocks[i].label or f"#{i}" for i in l.old)
        n = ", ".join(new.blocks[j].label or f"#{j}" for j in l.new)
        text = new.blocks[l.new[0]].text if l.new else old.blocks[l.old[0]].text
        rows.append((l.op, f"{l.similarity:.2f}", o, n, _short(text, 70)))
    print(_table(rows, ["op", "sim", "old", "new", "text"]))
    from collections import Counter
    c = Counter(l.op for l in al.links)
    print("\n" + ", ".join(f"{c[k]} {k}" for k in ("equal", "modified", "moved", "split", "merged", "inserted", "deleted") if c[k]))
    return 0


def cmd_trace(args) -> int:
    from . import trace as tr
    from .diff import inline
    if len(args.files) < 2:
        raise NegotiateError(args.files[0] if args.files else "negotiate", "trace needs at least two versions")
    docs = [_read(f, args) for f in args.files]
    chains, als = tr.trace(docs)
    for f, al in zip(args.files[1:], als):
        for w in al.warnings:
            print(f"negotiate: warning: {f}: {w}", file=sys.stderr)
    hits = tr.find(chains, docs, label=args.label, search=args.search,
                   version=None if args.version is None else args.version - 1)
    if not hits:
        what = f"label {args.label!r}" if args.label is not None else f"text {args.search!r}"
        raise NegotiateError(args.files[0], f"no paragraph with {what} in any version")
    tr.step_diffs(hits, docs)   # each step's Step.diff, from the chain's previous text
    if args.format == "json":
        sys.stdout.write(_dump(contracts.trace_json(args.files, docs, hits)) + "\n")
        return 0
    for k, c in enumerate(hits, 1):
        if k > 1:
            print()
        print(f"── chain {k} of {len(hits)} " + "─" * 40)
        prev = None
        for s in c.steps:
            d = docs[s.version]
            name = os.path.basename(args.files[s.version])
            if not s.blocks:
                print(f"v{s.version + 1} {name}: {s.op}")
                continue
            labels = ", ".join(d.blocks[i].label or "(no label)" for i in s.blocks)
            path = " › ".join(d.blocks[s.blocks[0]].path)
            how = s.op if s.op in ("first", "inserted") else f"{s.op} {s.similarity:.2f}"
            print(f"v{s.version + 1} {name}: {labels}  [{how}]  {path}")
            text = "\n".join(d.blocks[i].text for i in s.blocks)
            ops = s.diff
            shown = inline(prev, text, ops) if ops is not None and s.op != "equal" else text
            for line in shown.splitlines() or [""]:
                print("    " + line)
            prev = text
    return 0


def cmd_compare(args) -> int:
    from .compare import compare
    ext = os.path.splitext(args.output)[1].lower()
    if ext not in (".docx", ".html", ".htm", ".json"):
        raise NegotiateError(args.output, "the output must end in .docx, .html or .json")
    if args.reference_docx and not os.path.isfile(args.reference_docx):
        raise NegotiateError(args.reference_docx, "no such file (--reference-docx)")
    if ext == ".docx":
        from .export.package import keeping
        # The redline edits these parses: the .docx inputs are not read twice. OLD is
        # only read from: its plain paragraphs are kept serialized (compact).
        with keeping(compact=True):
            old = _read(args.old, args)
        with keeping():
            new = _read(args.new, args)
    else:
        old, new = _read(args.old, args), _read(args.new, args)
    cmp = compare(old, new, granularity=args.granularity)
    for w in cmp.alignment.warnings:
        print(f"negotiate: warning: {args.new}: {w}", file=sys.stderr)
    try:
        if ext == ".docx":
            from .export import redline
            warn: list[str] = []
            with outputs.atomic(args.output) as tmp:
                n = redline.write(cmp, tmp, author=args.author, date=args.date,
                                  formatting=not args.ignore_formatting, warnings=warn,
                                  reference=args.reference_docx)
            for w in dict.fromkeys(warn):
                print(f"negotiate: warning: {args.new}: {w}", file=sys.stderr)
            what = f"{n} tracked changes"
        elif ext in (".html", ".htm"):
            from .export import html
            with outputs.atomic(args.output) as tmp:
                html.write(cmp, tmp)
            what = "HTML"
        else:
            from .jsontext import dump
            obj = contracts.compare_json(cmp, lazy_pairs=True)
            # Written in pieces, the pairs made one at a time (a 100,000-paragraph comparison is 88 MB of JSON).
            outputs.write_text_with(args.output, lambda fh: (dump(obj, fh), fh.write("\n")))
            what = "JSON"
    except OSError as e:
        raise NegotiateError(args.output, f"cannot write ({e.strerror or e})") from None
    s = cmp.summary()
    para = ", ".join(f"{v} {k}" for k, v in s["paragraphs"].items() if v)
    chg = ", ".join(f"{v} {k}" for k, v in s["changes"].items() if v)
    print(f"{args.output}: {what}; paragraphs: {para}; changes: {chg or 'none'}")
    return 0


def cmd_consolidate(args) -> int:
    from . import consolidate as cs
    ext = os.path.splitext(args.output)[1].lower()
    if ext not in (".json", ".txt", ".docx"):
        raise NegotiateError(args.output, "the output must end in .json, .txt or .docx")
    if args.tracked and ext != ".docx":
        raise NegotiateError(args.output, "--tracked writes a .docx: give -o OUT.docx")
    if not args.proposals:
        # One .docx whose tracked changes are the parties' proposals, by author.
        doc = _read(args.base, args, revisions="markup")
        from .ingest.revisions import proposals_from_revisions
        base, proposals, parties = proposals_from_revisions(doc)
        if args.party:
            if len(args.party) != len(parties):
                raise NegotiateError(args.base, f"the tracked changes have {len(parties)} authors "
                                                f"({', '.join(parties)}) but {len(args.party)} --party names were given")
            parties = list(args.party)
    else:
        try:   # the library's check, before reading the files; the wording of the fix is ours
            cs.check_parties(args.base, len(args.proposals), list(args.party or []))
        except NegotiateError as e:
            if e.reason == "party-count":
                raise NegotiateError(args.base, f"{len(args.proposals)} proposals but {len(args.party or [])} --party "
                                                f"names (give one --party per proposal, in order)") from None
            raise
        base = _read(args.base, args)
        if args.tracked and base.format == "docx":
            from .export.package import keeping
            # The tracked proposals take each party's words in its own formatting from its
            # .docx: the parse of each is kept for that (compact: it is only read from).
            with keeping(compact=True):
                proposals = [_read(f, args) for f in args.proposals]
        else:
            proposals = [_read(f, args) for f in args.proposals]
        parties = list(args.party)
    c = cs.build(base, proposals, parties, alt_threshold=args.alt_threshold)
    from .export.consolidated import Style, render_text
    st = Style(brackets=args.brackets, attribution=args.attribution)
    try:
        if ext == ".json":
            outputs.write_text(args.output, _dump(contracts.consolidated_json(c, st)) + "\n")
        elif ext == ".txt":
            outputs.write_text(args.output, render_text(c, st))
        elif args.tracked:
            from .export import proposals as tracked
            with outputs.atomic(args.output) as tmp:
                changes = tracked.write(c, tmp, date=args.date)
        else:
            from .export import bracketed
            with outputs.atomic(args.output) as tmp:
                bracketed.write(c, tmp, st)
    except OSError as e:
        raise NegotiateError(args.output, f"cannot write ({e.strerror or e})") from None
    div = sum(1 for u in c.units if u.divergent and u.labels)
    alts = sum(1 for u in c.units if u.alternatives)
    new = sum(1 for u in c.units if not u.in_base)
    print(f"{args.output}: {len(parties)} parties ({', '.join(parties)}); {len(c.units)} paragraphs, "
          f"{div} with divergences ({alts} as Alt paragraphs), {new} new"
          + (f"; {changes} tracked changes by party" if args.tracked else ""))
    return 0


def cmd_resolve(args) -> int:
    from .consolidate import resolve
    c = contracts.load_consolidated(args.file)
    blocks = resolve(c, args.party)
    text = "\n\n".join((f"{lab} {t}" if lab and t else lab or t) for lab, t in blocks) + "\n"
    if args.output:
        try:
            outputs.write_text(args.output, text)
        except OSError as e:
            raise NegotiateError(args.output, f"cannot write ({e.strerror or e})") from None
    else:
        sys.stdout.write(text)
    return 0


def cmd_suggest(args) -> int:
    from .suggest import suggest
    c = contracts.load_consolidated(args.file)
    found = suggest(c, args.label)
    if args.label is not None and not found:
        raise NegotiateError(args.file, f"no divergent paragraph with label {args.label!r}")
    if args.format == "json":
        sys.stdout.write(_dump(contracts.suggest_json(c, found)) + "\n")
        return 0
    for i, cands in found:
        u = c.units[i]
        print(f"── {u.label or '(no label)'} ── suggestions, not decisions " + "─" * 20)
        for rank, k in enumerate(cands, 1):
            kept = ", ".join(f"{p} {v:.0%}" for p, v in k.retention.items())
            print(f"{rank}. [{k.kind}] min {k.minimum:.0%}, mean {k.mean:.0%} — kept: {kept}")
            print("   " + k.text)
        print()
    return 0


# -- agreed language: library and precedents (issue 19) ----------------------------------------
def _library(args):
    from .precedents import Library
    return Library(args.library)


def cmd_library(args) -> int:
    from .precedents import read_into
    lib = _library(args)
    if args.action == "add":
        added, skipped, errors = read_into(lib, args.files, reader=lambda f: _read(f, args))
        for d in added:
            print(f"{d.path}: added — {d.symbol or '(no symbol)'}{', ' + d.date if d.date else ''}, "
                  f"{d.paragraphs} paragraphs")
        for f in skipped:
            print(f"{f}: already in the library", file=sys.stderr)
        for e in errors:   # refused by name; the others are added all the same
            print(_error_line(e), file=sys.stderr)
        print(f"{lib.where}: {len(added)} added, {len(skipped)} already there, {len(errors)} refused")
        return 2 if errors else 0
    if args.action == "list":
        docs = lib.documents()
        if args.format == "json":
            sys.stdout.write(_dump(contracts.library_json(lib.where, docs)) + "\n")
            return 0
        rows = [(d.symbol or "—", d.date or "—", d.language, d.paragraphs, _short(d.title, 40), d.path) for d in docs]
        print(_table(rows, ["symbol", "date", "lang", "paragraphs", "title", "path"]))
        print(f"\n{lib.where}: {len(docs)} documents, {sum(d.paragraphs for d in docs)} paragraphs")
        return 0
    # remove
    gone = []
    for what in args.files:
        found = lib.remove(what)
        if not found:
            raise NegotiateError(lib.where, f"no document with symbol or path {what!r} in the library "
                                            f"(see `negotiate library list`)")
        gone += found
    for d in gone:
        print(f"{d.path}: removed ({d.symbol or 'no symbol'})")
    return 0


def cmd_precedents(args) -> int:
    from .precedents import Options, citation, find, spans
    lib = _library(args)
    draft = _read(args.draft, args)
    res = find(draft, lib, Options(min_words=args.min_words, min_similarity=args.min_similarity))
    for w in res.warnings:
        hint = " (add adopted texts with `negotiate library add FILE...`)" if "empty" in w else ""
        print(f"negotiate: warning: {lib.where}: {w}{hint}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(_dump(contracts.precedents_json(res)) + "\n")
        return 0
    by_block = res.by_block()
    n = 0
    for b in draft.blocks:
        head = f"{b.label} " if b.label else ""
        groups = spans(by_block.get(b.index, []))
        if not groups:
            print(head + b.text + "\n")
            continue
        out, pos, notes = [], 0, []
        for s0, e0, ms in groups:
            n += 1
            out.append(b.text[pos:s0] + "⟦" + b.text[s0:e0] + f"⟧({n})")
            pos = e0
            notes.append(f"    ({n}) " + "; ".join(citation(m) for m in ms))
        print(head + "".join(out) + b.text[pos:])
        print("\n".join(notes) + "\n")
    reused = sum(1 for b in draft.blocks if b.index in by_block)
    from .precedents.units import settings
    unit, n_default, _ = settings(draft.token_language)
    print(f"{args.draft}: {reused} of {len(draft.blocks)} paragraphs reuse library wording ({n} spans of at least "
          f"{args.min_words or n_default} {unit}s, similarity ≥ {args.min_similarity})")
    return 0


def _add_precedents_commands(sub) -> None:
    where = "the library: a directory, or a database URL (default: NEGOTIATE_HOME/library; " \
            "in server mode the shared database)"
    sl = sub.add_parser("library", help="the library of adopted texts that precedents are found in")
    lsub = sl.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    lsub.required = True
    la = lsub.add_parser("add", help="read adopted texts and index their paragraphs")
    la.add_argument("files", metavar="FILE", nargs="+")
    la.add_argument("--library", metavar="DIR", help=where)
    _reading(la)
    ll = lsub.add_parser("list", help="the documents in the library")
    ll.add_argument("--library", metavar="DIR", help=where)
    ll.add_argument("--format", choices=("text", "json"), default="text")
    lr = lsub.add_parser("remove", help="take documents out, by symbol or path")
    lr.add_argument("files", metavar="SYMBOL|PATH", nargs="+")
    lr.add_argument("--library", metavar="DIR", help=where)
    sl.set_defaults(func=cmd_library)

    sp = sub.add_parser("precedents", help="for each paragraph of a draft, the agreed language it reuses")
    sp.add_argument("draft", metavar="DRAFT")
    sp.add_argument("--library", metavar="DIR", help=where)
    sp.add_argument("--min-words", type=int, default=None, metavar="N",
                    help="shortest reuse counted (default 8 words, 12 characters for Chinese)")
    sp.add_argument("--min-similarity", type=float, default=0.8, metavar="S",
                    help="similarity of the reused span to its source, 0–1 (default 0.8)")
    sp.add_argument("--format", choices=("text", "json"), default="text")
    _reading(sp)
    sp.set_defaults(func=cmd_precedents)


def _reading(sp, revisions: str | None = "tracked changes in .docx: accept (default), reject, or markup") -> None:
    """The reading options every command that reads drafts shares."""
    if revisions:
        sp.add_argument("--revisions", choices=REVISION_MODES, default="accept", help=revisions)
    sp.add_argument("--ocr", action="store_true",
                    help="PDF: read the pages with Tesseract instead of the text layer (scans, broken fonts)")
    sp.add_argument("--ocr-lang", metavar="CODES", help="with --ocr: languages, e.g. en,zh (default: every installed one)")


# -- parity (issue #20): language versions side by side ----------------------------------------
def cmd_parity(args) -> int:
    from . import lang
    from .parity import parity
    codes = [c.strip() for c in args.languages.split(",")] if args.languages else None
    if codes is not None:
        if len(codes) != len(args.files):
            raise NegotiateError(args.files[0], f"{len(args.files)} files but {len(codes)} --languages codes")
        bad = [c for c in codes if c not in lang.CODES]
        if bad:
            raise NegotiateError(args.files[0], f"unknown language code '{bad[0]}' (known: {', '.join(lang.CODES)})")
    docs = [_read(f, args) for f in args.files]
    p = parity(docs, codes)
    if args.format == "json":
        sys.stdout.write(_dump(contracts.parity_json(p)) + "\n")
    else:
        names = [f"{os.path.basename(f)} ({c})" for f, c in zip(args.files, p.languages)]
        for k, n in enumerate(names):
            print(f"v{k + 1} {n}")
        rows = []
        for r in p.rows:
            for i in r.issues:
                rows.append((_short(r.label, 40), f"v{i.version + 1} {p.languages[i.version]}", i.kind, _short(i.detail, 90)))
        print()
        head = ("row", "version", "kind", "what differs")
        w = [max([len(head[c])] + [len(r[c]) for r in rows]) for c in range(3)]
        for r in [head, tuple("-" * x for x in w) + ("-" * 12,)] + rows:
            print("  ".join(str(x).ljust(w[c]) if c < 3 else str(x) for c, x in enumerate(r)).rstrip())
        t = p.totals()
        print(f"\n{len(p.rows)} rows, {p.paired():.1%} paired across all {len(docs)} versions; "
              + (", ".join(f"{v} {k}" for k, v in t.items() if v) or "no issue"))
    return 1 if any(r.issues for r in p.rows) else 0


def _parity_parser(sub) -> None:
    sp = sub.add_parser("parity", help="language versions of one text side by side: what differs between them")
    sp.add_argument("files", metavar="FILE", nargs="+", help="the language versions")
    sp.add_argument("--format", choices=("table", "json"), default="table")
    sp.add_argument("--languages", metavar="CODES", help="one code per file, e.g. en,fr,es,ru,ar,zh (default: detected)")
    _reading(sp)
    sp.set_defaults(func=cmd_parity)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="negotiate", description="Compare, trace and consolidate negotiating texts.")
    p.add_argument("--version", action="version", version=f"negotiate {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    sp = sub.add_parser("parse", help="read a draft into numbered paragraphs")
    sp.add_argument("file", metavar="FILE")
    sp.add_argument("--format", choices=("text", "json"), default="text")
    _reading(sp)
    sp.set_defaults(func=cmd_parse)

    sb = sub.add_parser("brackets", help="count brackets and find malformed ones; several files: per section per version")
    sb.add_argument("files", metavar="FILE", nargs="+")
    sb.add_argument("--format", choices=("table", "json"), default="table")
    _reading(sb, "markup: tracked changes count as proposals by their authors")
    sb.add_argument("--parties", metavar="FILE", help="party names, one a line, added to the built-in list")
    sb.add_argument("--only-listed", action="store_true", help="with --parties: use only the names in FILE")
    sb.set_defaults(func=cmd_brackets)

    sa = sub.add_parser("align", help="pair the paragraphs of two versions")
    sa.add_argument("old", metavar="OLD")
    sa.add_argument("new", metavar="NEW")
    sa.add_argument("--format", choices=("text", "json"), default="text")
    sa.add_argument("--changes-only", action="store_true", help="text format: leave out equal paragraphs")
    _reading(sa)
    sa.set_defaults(func=cmd_align)

    sc = sub.add_parser("compare", help="word-level redline of two versions: .docx tracked changes, HTML or JSON")
    sc.add_argument("old", metavar="OLD")
    sc.add_argument("new", metavar="NEW")
    sc.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.docx, OUT.html or OUT.json")
    sc.add_argument("--author", default="negotiate", help="author of the tracked changes (default: negotiate)")
    sc.add_argument("--date", default=None, help="date of the tracked changes, ISO 8601 (default: now)")
    sc.add_argument("--ignore-formatting", action="store_true",
                    help="OUT.docx: do not track bold/italic/underline/strikethrough changes on unchanged words")
    sc.add_argument("--granularity", choices=("word", "char"), default="word",
                    help="word (default; Chinese per character) or char: a changed word marked letter by letter")
    sc.add_argument("--reference-docx", metavar="FILE",
                    help="OUT.docx from inputs that are not .docx: take the styles from this Word file (a template)")
    _reading(sc)
    sc.set_defaults(func=cmd_compare)

    so = sub.add_parser("consolidate", help="merge parties' proposals into bracketed consolidated text")
    so.add_argument("base", metavar="BASE")
    so.add_argument("proposals", metavar="P", nargs="*",
                    help="one full version per party; none: BASE is a .docx whose tracked changes' authors are the parties")
    so.add_argument("--party", action="append", help="the party of each proposal, in order (repeat)")
    so.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.json (what resolve and suggest read), OUT.txt or OUT.docx")
    so.add_argument("--brackets", choices=("square", "fullwidth", "lenticular"), default="square")
    so.add_argument("--attribution", choices=("after", "inside", "prefix"), default="after",
                    help="after: [text] (EU) · inside: [text (EU)] · prefix: [EU: text]")
    so.add_argument("--alt-threshold", type=float, default=0.35,
                    help="a paragraph whose proposals share less than this share of their text becomes Alt paragraphs")
    so.add_argument("--tracked", action="store_true",
                    help="with OUT.docx: the base text with each party's proposals as tracked changes by that party")
    so.add_argument("--date", default=None, help="with --tracked: date of the changes, ISO 8601 (default: now)")
    _reading(so, None)
    so.set_defaults(func=cmd_consolidate)

    sr = sub.add_parser("resolve", help="one party's proposal, back from a consolidated .json")
    sr.add_argument("file", metavar="CONSOLIDATED.json")
    sr.add_argument("--party", required=True)
    sr.add_argument("-o", "--output", metavar="OUT")
    sr.set_defaults(func=cmd_resolve)

    sg = sub.add_parser("suggest", help="ranked compromise candidates for divergent paragraphs")
    sg.add_argument("file", metavar="CONSOLIDATED.json")
    sg.add_argument("--label", help="only this paragraph")
    sg.add_argument("--format", choices=("text", "json"), default="text")
    sg.set_defaults(func=cmd_suggest)

    st = sub.add_parser("trace", help="follow a paragraph through several versions")
    st.add_argument("files", metavar="V", nargs="+", help="versions, oldest first")
    which = st.add_mutually_exclusive_group(required=True)
    which.add_argument("--label", help="the paragraph's label, e.g. 12 or '12 bis.' or Article 2")
    which.add_argument("--search", help="text the paragraph contains in some version")
    st.add_argument("--version", type=int, help="with --label: the version (1-based) where the label is read")
    st.add_argument("--format", choices=("text", "json"), default="text")
    _reading(st)
    st.set_defaults(func=cmd_trace)
    _parity_parser(sub)
    _add_precedents_commands(sub)

    from .cli_admin import register  # admin and store commands (issue 18)
    register(sub)
    return p


# Names of the arguments that are files the command reads, and those it writes.
_INPUT_ARGS = ("file", "files", "old", "new", "base", "proposals", "parties")
_OUTPUT_ARGS = ("output",)


def _guard_outputs(args) -> None:
    """No output may be one of the inputs (same path, symlink or hard link):
    refused with exit 2 before anything is read. New commands get this for free
    by naming their arguments as above."""
    def paths(names):
        for n in names:
            v = getattr(args, n, None)
            if isinstance(v, (list, tuple)):
                yield from (x for x in v if isinstance(x, str))
            elif isinstance(v, str):
                yield v
    outputs.refuse_inputs(list(paths(_OUTPUT_ARGS)), list(paths(_INPUT_ARGS)))


# A library error says what is wrong; the CLI adds how to fix it with its own flags (issue #16).
_FIXES = {"needs-ocr": "; use --ocr", "ocr-may-help": ", or --ocr"}
_WORDING = {"party-empty": "a --party name is empty"}


def _error_line(e: NegotiateError) -> str:
    if e.reason in _WORDING:
        e = NegotiateError(e.file, _WORDING[e.reason], line=e.line, column=e.column, label=e.label)
    return f"negotiate: error: {e.oneline()}{_FIXES.get(e.reason, '')}"


def main(argv=None) -> int:
    # numpy (align, precedents) loads OpenBLAS, which starts a thread per core and
    # spins them up at import: ~0.05 s of CPU a command, for matrix products no
    # command does. Set before numpy's first import; a user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _guard_outputs(args)
        from .gcpause import paused
        with paused():   # a command builds its results and exits: no collector passes over them
            return args.func(args)
    except NegotiateError as e:
        print(_error_line(e), file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # never a traceback for the user; NEGOTIATE_DEBUG=1 shows it
        if os.environ.get("NEGOTIATE_DEBUG"):
            raise
        where = (getattr(args, "file", None) or " ".join(getattr(args, "files", []) or [])
                 or getattr(args, "new", None) or "negotiate")
        if getattr(args, "output", None) and getattr(args, "old", None):
            where = f"{args.old} {args.new}"
        print(f"negotiate: error: {where}: internal error ({type(e).__name__}: {e}); "
              f"please report it with the file", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
