"""Brackets across a whole document: per-block trees, counts, located errors,
paragraph-level alternatives and proposals.

A bracket may open in a chapeau and close after its last list item, span the
paragraphs of one option, or run on further, so the body is read in order
(see `analyse`). Anything still open at the end is reported where it opened; a
closing bracket with nothing open is reported where it stands.
"""
from __future__ import annotations

from bisect import bisect_right

from . import markup

# The result types live in the model; the `X as X` imports re-export them here as before.
from .model import AlternativeGroup as AlternativeGroup
from .model import Block, Document
from .model import BlockBrackets as BlockBrackets
from .model import BracketError as BracketError
from .model import Proposal as Proposal
from .model import Report as Report
from .model import Span as Span
from .parties import DEFAULT_PARTIES, Parties


def _expected_span(root: Block, at_start: bool, nxt: Block) -> bool:
    """Is a bracket opened in `root` and closed in `nxt` the usual kind of
    multi-paragraph bracket? Into the blocks nested under `root` (a chapeau's
    list items), yes; into the paragraphs that follow `root` at its own level
    only when the bracket opened `root` itself (`[All Parties shall …`
    bracketing several paragraphs of an option). Anything else is a span."""
    if nxt.kind == "heading":
        return False
    k = len(root.path)
    if len(nxt.path) > k and nxt.path[:k] == root.path:
        return True
    return at_start and len(nxt.path) >= k and nxt.path[:max(0, k - 1)] == root.path[:max(0, k - 1)]


def _opens_block(text: str, off: int) -> bool:
    return not text[:off].strip(" \t*_")


def analyse(doc: Document, parties: Parties = DEFAULT_PARTIES) -> Report:
    """Count brackets, alternative sets, placeholders and proposals per block,
    and locate every malformed bracket (`negotiate.brackets(doc)`).

    The body's brackets are read in order, as a reader does: a bracket may close
    any number of paragraphs later (the official 4 Dec 2015 compilation closes
    17 brackets outside the paragraph and list that opened them; scoping the
    scan to paragraphs turned each into two invented errors). Footnotes are read
    on their own, so a footnote between two pages never closes or opens body
    text. Unusual spans are listed in `Report.spans`, not as errors.

    Args:
        doc: a Document from `negotiate.read`.
        parties: the party names attributions are recognised by
            (`negotiate.parties.Parties`; the built-in list by default).

    Returns:
        A `Report`: `blocks` (one `BlockBrackets` per block), `errors` (each
        with block, line, column, label and message), `groups` (paragraph-level
        alternatives), `spans`, and `totals()`. Malformed brackets are
        reported, never raised.

    Examples:
        >>> import negotiate
        >>> doc = negotiate.read("corpora/framework-v1-compilation.txt")
        >>> report = negotiate.brackets(doc)
        >>> report.totals()["errors"]
        0
    """
    blocks = doc.blocks
    out: list[BlockBrackets] = []
    errors: list[BracketError] = []
    spans: list[Span] = []
    # Body brackets still open: (open char, block index, offset in that block's text)
    body: list[tuple[str, int, int]] = []

    def place(bi: int, off: int) -> tuple[int, int, int]:
        at = blocks[bi].text_start + off
        return (at, *doc.line_col(at))

    def err(bi: int, off: int, msg: str) -> None:
        at, line, col = place(bi, off)
        errors.append(BracketError(bi, blocks[bi].label, line, col, msg, at))

    for b in blocks:
        own = b.kind == "footnote"
        carried = [] if own else body
        tree = markup.parse(b.text, [c[0] for c in carried] if carried else None, parties)
        bb = BlockBrackets(b.index, b.label, tree)
        kids = tree.root.children
        if (not kids or (len(kids) == 1 and kids[0].kind == "text")) and not b.marks and not b.revisions \
                and not tree.problems and not tree.left_open and not tree.carried_closes:
            # Plain text (most paragraphs): no counts, parties, proposals or
            # errors, and nothing carried in or out — what the walk below gives it.
            out.append(bb)
            continue
        if tree.problems:
            # In bulk: a million stray brackets are a million errors to place.
            doc.line_col(0)                         # builds the line table once
            starts = doc.__dict__["_line_starts"]
            last = len(starts) - 1
            base, bi, label = b.text_start, b.index, b.label
            lines = [bisect_right(starts, base + p.offset, 0, last) for p in tree.problems]
            errors.extend([BracketError(bi, label, line, base + p.offset - starts[line - 1] + 1, p.message, base + p.offset)
                           for p, line in zip(tree.problems, lines)])
        # Pairs count in the block where they open.
        n_carried = len(carried)
        for k, close_off in enumerate(tree.carried_closes):
            ch, bi, off = carried[n_carried - 1 - k]
            out[bi].brackets += 1   # `out` holds one entry per block, in order
            if not _expected_span(blocks[bi], _opens_block(blocks[bi].text, off), b):
                _, l1, c1 = place(bi, off)
                _, l2, c2 = place(b.index, close_off)
                spans.append(Span(bi, blocks[bi].label, l1, c1, b.index, b.label, l2, c2))
        carried = carried[:n_carried - tree.closed_carried]
        carried += [(ch, b.index, off) for ch, off in tree.left_open if off is not None]
        if own:
            for ch, bi, off in carried:
                err(bi, off, f"'{ch}' is never closed")
        else:
            body = carried
        seen: dict[str, None] = {}     # parties in order of appearance (a dict: `in` on a list was quadratic)
        nodes = _marked(tree)
        for n in nodes:                 # one walk for the counts, the parties and the proposals
            if n.parties:
                for name, _rel in n.parties:
                    seen.setdefault(name, None)
            if n.kind == "bracket":
                if n.open and n.close:
                    bb.brackets += 1
                if n.open or n.close:
                    bb.has_brackets = True
                if n.depth > bb.max_depth:
                    bb.max_depth = n.depth
                if n.role == "placeholder":
                    bb.placeholders += 1
                elif n.role == "note":
                    bb.notes += 1
                elif n.role == "slash":
                    bb.alternative_sets += 1
            elif n.kind == "altset":
                bb.alternative_sets += 1
        bb.fully_bracketed = fully_bracketed(tree)
        bb.proposals = _proposals(b, tree, nodes)
        for p in bb.proposals:
            for name in p.parties:
                seen.setdefault(name, None)
        bb.parties = list(seen)
        out.append(bb)
    for ch, bi, off in body:
        err(bi, off, f"'{ch}' is never closed")
    errors.sort(key=lambda e: e.offset)
    return Report(doc, out, errors, alternative_groups(blocks), spans)


def fully_bracketed(tree: markup.Tree) -> bool:
    """Everything after the label sits in one bracket (a trailing attribution
    and punctuation aside)."""
    only = None
    for k in tree.root.children:   # stops at the second node that counts (a million in one paragraph)
        if k.kind == "attribution" or (k.kind == "text" and not k.text.strip(" \t\n.;,:")):
            continue
        if only is not None:
            return False
        only = k
    return only is not None and only.kind == "bracket" and bool(only.open) and bool(only.close) \
        and only.role != "note"


def proposals(block: Block, tree: markup.Tree, parties: Parties = DEFAULT_PARTIES) -> list[Proposal]:
    """Proposed additions and deletions in a block: bold and strikethrough runs
    (attributed when a party list follows in parentheses), tracked changes (by
    their author), bracketed text followed by an attribution, `[EU: …]`."""
    return _proposals(block, tree, _marked(tree))


def _marked(tree: markup.Tree) -> list[markup.Node]:
    """The tree's nodes other than plain text (which carries no counts, parties or
    proposals), in document order."""
    out: list[markup.Node] = []
    stack = [tree.root]
    while stack:          # Tree.walk's order, without a generator step for each text run
        n = stack.pop()
        if n.kind != "text":
            out.append(n)
            if n.children:    # text runs have none
                stack.extend(reversed(n.children))
    return out


def _proposals(block: Block, tree: markup.Tree, nodes: list[markup.Node]) -> list[Proposal]:
    out: list[Proposal] = []
    # The first attribution (in document order) starting at each offset: the
    # one within 3 characters after a bracket is found by lookup, not by a scan
    # of all of them for each bracket (quadratic on 100,000 attributed brackets).
    starts: dict[int, markup.Node] = {}
    for n in nodes:
        if n.kind == "attribution":
            starts.setdefault(n.start, n)
    order = {id(n): k for k, n in enumerate(starts.values())}

    def follower(end: int) -> list[str]:
        if not starts:
            return []
        hits = [starts[end + d] for d in range(4) if end + d in starts]
        if not hits:
            return []
        a = min(hits, key=lambda n: order[id(n)])
        return [p for p, rel in a.parties if rel != "opposed"]

    for m in block.marks:
        if m.kind in ("bold", "strike"):
            out.append(Proposal("add" if m.kind == "bold" else "delete", m.start, m.end,
                                block.text[m.start:m.end], follower(m.end), m.kind))
    for r in block.revisions:
        out.append(Proposal("add" if r.kind in ("ins", "moveTo") else "delete", r.start, r.end,
                            block.text[r.start:r.end], [r.author] if r.author else [], "tracked"))
    covered = {(p.start, p.end) for p in out}
    for n in nodes:
        if starts and n.kind in ("bracket", "altset") and (n.start, n.end) not in covered:
            who = follower(n.end)
            if who:
                out.append(Proposal("add", n.start, n.end, tree.text[n.start:n.end], who, "attribution"))
        if n.kind == "bracket" and n.parties:
            out.append(Proposal("add", n.start, n.end, tree.text[n.start:n.end], [p for p, _ in n.parties], "prefix"))
    out.sort(key=lambda p: (p.start, p.end))
    return out


def alternative_groups(blocks: list[Block]) -> list[AlternativeGroup]:
    by_path: dict[tuple[str, ...], int] = {}
    groups: dict[tuple[str, ...], AlternativeGroup] = {}
    order: list[tuple[str, ...]] = []
    for b in blocks:
        if b.label_type in ("alt", "alt-to"):
            parent = b.path[:-1]
            if b.label_type == "alt-to":
                parent = b.path
            g = groups.get(parent)
            if g is None:
                base = by_path.get(parent)
                if base is not None and (blocks[base].label_type in ("alt", "alt-to") or blocks[base].kind == "heading"):
                    base = None
                g = AlternativeGroup(base, [], parent)
                groups[parent] = g
                order.append(parent)
            g.alternatives.append(b.index)
        elif b.label:
            by_path.setdefault(b.path, b.index)
    return [groups[k] for k in order]


def section_of(block: Block, doc: Document) -> str:
    """The top-level section a block belongs to, for per-section counts."""
    return block.path[0] if block.path else "(front matter)"


def excerpt(doc: Document, e: BracketError, width: int = 70) -> str:
    """Two lines: the text around the error and a caret under it."""
    line_start = doc.text.rfind("\n", 0, e.offset) + 1
    line_end = doc.text.find("\n", e.offset)
    if line_end < 0:
        line_end = len(doc.text)
    lo = max(line_start, e.offset - width // 2)
    hi = min(line_end, lo + width)
    seg = doc.text[lo:hi].replace("\t", " ")
    lead = "…" if lo > line_start else ""
    tail = "…" if hi < line_end else ""
    return f"    {lead}{seg}{tail}\n    {' ' * (len(lead) + e.offset - lo)}^"


def sections_table(reports: list[Report]) -> list[tuple[str, list[int]]]:
    """Brackets per top-level section per version, sections in the order they
    first appear (named by their heading, e.g. "II Vision"); a section absent
    from a version counts 0 there."""
    order: dict[str, None] = {}     # insertion-ordered set: `in` on a list was quadratic
    names: dict[str, str] = {}
    counts: list[dict[str, int]] = []
    for r in reports:
        c: dict[str, int] = {}
        for bb in r.blocks:
            b = r.document.blocks[bb.index]
            key = section_of(b, r.document)
            if key not in order:
                order[key] = None
            if key not in names and b.kind == "heading" and len(b.path) == 1:
                title = " ".join(b.text.split()).strip("*_ ")
                same = title.casefold() == key.casefold()          # "Preamble" titled "Preamble"
                names[key] = (key + " " + title)[:48].rstrip() if title and not same else key
            c[key] = c.get(key, 0) + bb.brackets
        counts.append(c)
    rows = [(names.get(k, k), [c.get(k, 0) for c in counts]) for k in order]
    rows.append(("total", [sum(c.values()) for c in counts]))
    return rows
