"""The document model: plain dataclasses shared by every stage.

A `Document` is what a reader returns. Its `text` is the document's plain text;
each `Block` covers `text[start:end]`, so any later stage can point back into the
input (line and column for .txt/.md, paragraph for everything).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, NoReturn

# -- constants with one home (issue #16) -------------------------------------------------------
# The bracket pairs that count in negotiating texts: square, full-width (Chinese), lenticular.
BRACKET_PAIRS = {"[": "]", "［": "］", "【": "】"}
BRACKET_CHARS = "".join(c for pair in BRACKET_PAIRS.items() for c in pair)   # "[]［］【】"
BRACKET_CLASS = "[" + re.escape(BRACKET_CHARS) + "]"   # a regex character class matching any of them
# Joins the texts of the several blocks of a split or merge (compare's offsets index the joined text).
PARA_SEP = "\u2029"

KINDS = ("heading", "paragraph", "subparagraph", "table cell", "footnote", "note", "header", "footer")


class _Empty(list[Any]):
    """The empty list that the blocks (and sources) with none share — most of a long
    document's blocks have no revisions, marks or notes, and an empty list each was
    22 MB per 100,000 paragraphs. It refuses to change, loudly: give the block a
    list of its own instead (`b.notes = b.notes + [k]`)."""
    __slots__ = ()

    def _refuse(self, *a: object, **k: object) -> NoReturn:
        raise TypeError("a shared empty list: assign a new list instead of changing it")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse


EMPTY = _Empty()


class Shared(_Empty):
    """A list of items that many objects share and that refuses to change the same
    way (e.g. compare's one opcode of every unchanged pair of one length: a list, a
    tuple and two ints a pair, ~15 MB per 100,000 paragraphs). A copy or a pickle
    of it is a plain list of its own."""
    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[list[Any]]]:
        return (list, (list(self),))


@dataclass(slots=True)
class Revision:
    """A tracked change kept in `--revisions markup` mode.

    `start`/`end` index the block's `text`; `kind` is `ins`, `del`, `moveFrom`
    or `moveTo` as in WordprocessingML.
    """
    kind: str
    start: int
    end: int
    author: str = ""
    date: str = ""


@dataclass(slots=True)
class Mark:
    """Character formatting that carries meaning in compilation texts
    (bold = proposed addition, strike = proposed deletion), offsets into `text`."""
    kind: str  # "bold" | "strike" | "italic" | "underline" | "superscript" | "subscript" | "highlight"
    start: int
    end: int


@dataclass
class Comment:
    id: str
    author: str
    date: str
    text: str
    anchor: str = ""          # the document text the comment is attached to
    block: int | None = None  # index of the block where the anchor starts


@dataclass(slots=True)   # a 100,000-paragraph pair is 200,000 blocks: no __dict__ each
class Block:
    index: int
    kind: str
    label: str
    path: tuple[str, ...]
    text: str
    start: int
    end: int
    # Where `text` starts in the document's plain text (after marker and label).
    text_start: int = 0
    # Characters before the label that are markup, not label: "## ", "- ", "**".
    marker: str = ""
    style: str = ""
    level: int = 0
    revisions: list[Revision] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    ref: int | None = None        # footnote → index of the block that cites it
    notes: list[int] = field(default_factory=list)  # block → its footnote blocks
    label_type: str = ""          # grammar type of the label, e.g. "sub-letter"

    @property
    def heading(self) -> bool:
        return self.kind == "heading"


@dataclass
class Document:
    path: str
    sha256: str
    format: str
    language: str
    text: str
    blocks: list[Block]
    title: str = ""
    symbol: str = ""
    comments: list[Comment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    revisions_mode: str = "accept"
    # A proposal made by `ingest.revisions.proposals_from_revisions`: the author whose
    # changes it accepts (its blocks are the file's, with `kept_spans` of each). Not in
    # the parse contract (`contracts.document_json` names its fields).
    accepts: str | None = field(default=None, compare=False, repr=False)

    def block_at(self, offset: int) -> Block | None:
        """The block whose span contains `offset` of the plain text."""
        lo, hi = 0, len(self.blocks)
        while lo < hi:
            mid = (lo + hi) // 2
            b = self.blocks[mid]
            if b.end <= offset:
                lo = mid + 1
            elif b.start > offset:
                hi = mid
            else:
                return b
        return None

    @property
    def token_language(self) -> str:
        """The language to tokenize and diff in: English when it could not be told."""
        return self.language if self.language not in ("", "und") else "en"

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a plain-text offset."""
        starts = self.__dict__.get("_line_starts")
        if starts is None or starts[-1] != len(self.text):
            text = self.text
            starts, i = [0], text.find("\n")
            while i >= 0:     # one step a line, not a character
                starts.append(i + 1)
                i = text.find("\n", i + 1)
            starts.append(len(text))
            self.__dict__["_line_starts"] = starts
        line = bisect_right(starts, offset, 0, len(starts) - 1)
        return line, offset - starts[line - 1] + 1



# -- Agreed language (precedents, issue 19) -------------------------------------------------
@dataclass
class LibraryDocument:
    """An adopted text in the library: where it came from and what it is."""
    id: int
    path: str
    symbol: str
    title: str
    date: str            # ISO 8601 when found in the text, else ""
    language: str
    sha256: str
    format: str
    paragraphs: int      # blocks indexed
    added: str           # ISO 8601, UTC


@dataclass
class Source:
    """The library paragraph a reused span comes from; `start`/`end` index its `text`."""
    path: str
    symbol: str
    block: int
    label: str
    start: int
    end: int
    text: str = ""       # the source paragraph's whole text (for showing it beside the draft's)
    title: str = ""
    date: str = ""


@dataclass
class Precedent:
    """A span of a draft block (`start`/`end` index the block's `text`) whose wording
    reuses `source`'s span, with the similarity of the two spans (1 = same words)."""
    block: int
    start: int
    end: int
    source: Source
    similarity: float


@dataclass
class Precedents:
    """Every reused span of a draft, ordered by block, then span, best source first."""
    draft: Document
    matches: list[Precedent]
    warnings: list[str] = field(default_factory=list)

    def by_block(self) -> dict[int, list[Precedent]]:
        out: dict[int, list[Precedent]] = {}
        for m in self.matches:
            out.setdefault(m.block, []).append(m)
        return out


def to_dict(obj: Any) -> Any:
    return asdict(obj)


# -- parity (issue #20): language versions side by side -------------------------------------
PARITY_KINDS = ("missing", "extra", "label", "number", "reference", "symbol", "bracket", "alternative")


@dataclass
class ParityIssue:
    """What version `version` says differently from the others (the majority) in one row."""
    version: int
    kind: str        # one of PARITY_KINDS
    detail: str


@dataclass
class ParityRow:
    """Paired paragraphs: `blocks[k]` is the index of version k's block, or None.

    A block that holds the text of several paragraphs of another version (items
    run into one block, articles merged by OCR) appears in each of their rows;
    `shared[k]` says so for version k."""
    blocks: list[int | None]
    label: str
    issues: list[ParityIssue] = field(default_factory=list)
    shared: list[bool] = field(default_factory=list)


@dataclass
class Parity:
    documents: list[Document]
    languages: list[str]
    rows: list[ParityRow]

    def totals(self) -> dict[str, int]:
        out = {k: 0 for k in PARITY_KINDS}
        for r in self.rows:
            for i in r.issues:
                out[i.kind] = out.get(i.kind, 0) + 1
        return out

    def paired(self) -> float:
        """Share of rows where every version has a block."""
        if not self.rows:
            return 1.0
        return sum(1 for r in self.rows if all(b is not None for b in r.blocks)) / len(self.rows)


# -- result types of the stages (issue #16: the model holds every result; the stage modules
# re-export their own, so `from negotiate.align import Link` keeps working) ----------------

# markup: a block's text → bracket tree
@dataclass(slots=True)   # a million brackets are a million nodes: no __dict__ each
class Node:
    """One node of a bracket tree; `start`/`end` index the parsed text."""
    kind: str                     # root | text | bracket | altset | attribution
    start: int                    # offsets into the parsed text
    end: int
    text: str = ""                # raw characters of a text or attribution node
    open: str = ""                # "[": empty when the bracket opened in an earlier block
    close: str = ""               # "]": empty when it closes in a later block, or never
    role: str = ""                # bracket: "" | placeholder | no-text | note | slash | deletion
    children: list[Node] = field(default_factory=list)
    parties: list[tuple[str, str]] = field(default_factory=list)   # (party, relation)
    options: list[tuple[int, int]] = field(default_factory=list)   # slash options' spans
    depth: int = 0                # brackets around and including this one


@dataclass(slots=True)
class TextNode:
    """A node of kind "text": a run of the parsed text between brackets. It has
    only the three fields a run needs, and reads as a Node's defaults for the
    others (no open, close, role, children, parties or options; depth 0), so code
    walking a tree reads every node alike; at 64 bytes instead of a Node's 128,
    a paragraph of 500,000 bracket pairs (a million runs) takes 64 MB less
    (issue 14). Only `markup` makes them; nothing sets the other fields."""
    start: int
    end: int
    text: str
    kind: ClassVar[str] = "text"
    open: ClassVar[str] = ""
    close: ClassVar[str] = ""
    role: ClassVar[str] = ""
    children: ClassVar[tuple[()]] = ()
    parties: ClassVar[tuple[()]] = ()
    options: ClassVar[tuple[()]] = ()
    depth: ClassVar[int] = 0


@dataclass(slots=True)
class Problem:
    """A malformed bracket: where, which character, and what is wrong."""
    kind: str       # unclosed | stray | mismatch
    offset: int     # where in the text
    char: str
    message: str


@dataclass
class Tree:
    """`markup.parse`'s result: the root node, the text, its problems and what is left open."""
    root: Node
    text: str
    problems: list[Problem]
    left_open: list[tuple[str, int | None]]   # (open char, offset or None if carried) still open at the end
    carried_closes: list[int] = field(default_factory=list)   # where brackets carried in closed, innermost first

    @property
    def closed_carried(self) -> int:
        return len(self.carried_closes)

    def walk(self) -> Iterator[Node]:
        """Every node, in document order, without recursion."""
        stack = [self.root]
        while stack:
            n = stack.pop()
            yield n
            if n.children:   # leaves (most nodes) have nothing to push
                stack.extend(reversed(n.children))

    def brackets(self) -> list[Node]:
        return [n for n in self.walk() if n.kind == "bracket"]


# brackets: the analysis of one document
@dataclass(slots=True)
class BracketError:
    """A malformed bracket located in the document: block, label, line and column."""
    index: int          # block index
    label: str
    line: int           # 1-based, in the document's plain text (the input file for .txt/.md)
    column: int
    message: str
    offset: int = 0     # in the document's plain text


@dataclass
class Proposal:
    """A proposed addition or deletion in a block, with its proposers."""
    kind: str                      # add | delete
    start: int                     # offsets into the block text
    end: int
    text: str
    parties: list[str]
    source: str                    # bold | strike | tracked | attribution | prefix


@dataclass
class BlockBrackets:
    """One block's bracket counts, tree, parties and proposals."""
    index: int
    label: str
    tree: Tree
    brackets: int = 0              # matched pairs opened in this block (a slash set is one)
    max_depth: int = 0
    alternative_sets: int = 0
    placeholders: int = 0
    notes: int = 0
    fully_bracketed: bool = False
    has_brackets: bool = False     # a bracket character of its own (not only inside one carried in)
    parties: list[str] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)


@dataclass
class AlternativeGroup:
    """Paragraph-level alternatives: `Alt 1`/`Option A`/no-text blocks and the
    paragraph they replace (`base`, None when the options stand alone)."""
    base: int | None
    alternatives: list[int]
    path: tuple[str, ...]


@dataclass
class Span:
    """A bracket closed outside the paragraph (and list) that opened it, e.g.
    opened in paragraph 4 and closed in paragraph 5. Well formed read in order,
    and real drafts do it, so not an error; but a secretariat checking a draft
    wants to see where they are."""
    open_index: int
    open_label: str
    open_line: int
    open_column: int
    close_index: int
    close_label: str
    close_line: int
    close_column: int


@dataclass
class Report:
    """One document's bracket analysis (what `brackets.analyse` returns)."""
    document: Document
    blocks: list[BlockBrackets]
    errors: list[BracketError]
    groups: list[AlternativeGroup]
    spans: list[Span] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        """Brackets, deepest nesting, alternative sets, placeholders, bracketed blocks and errors."""
        return {"brackets": sum(b.brackets for b in self.blocks),
                "max_depth": max((b.max_depth for b in self.blocks), default=0),
                "alternative_sets": sum(b.alternative_sets for b in self.blocks),
                "placeholders": sum(b.placeholders for b in self.blocks),
                "bracketed_blocks": sum(1 for b in self.blocks if b.has_brackets),
                "errors": len(self.errors)}


# align: two versions → links
OPS = ("equal", "modified", "moved", "split", "merged", "inserted", "deleted")


@dataclass(slots=True)
class Link:
    """Blocks of the old version (`old`, indexes) that became blocks of the new one (`new`)."""
    old: list[int]
    new: list[int]
    op: str
    similarity: float


@dataclass
class Alignment:
    """The links between two versions, in the new version's order, and any warnings."""
    links: list[Link]
    warnings: list[str] = field(default_factory=list)


# compare: linked blocks → token opcodes and classified changes
CLASSES = ("added", "removed", "replaced", "bracket-added", "bracket-removed", "option-dropped",
           "alternative-chosen", "label", "punctuation")
Opcode = tuple[str, int, int, int, int]   # difflib's (tag, a1, a2, b1, b2)


@dataclass(slots=True)
class Change:
    """One classified change (`cls` one of `CLASSES`) with its offsets on both sides."""
    cls: str
    a_start: int          # offsets into the old text (blocks joined with PARA_SEP for merges)
    a_end: int
    b_start: int          # offsets into the new text (blocks joined with PARA_SEP for splits)
    b_end: int


@dataclass(slots=True)   # one a link, as Link and Change: no __dict__ each
class PairDiff:
    """One link's texts, token opcodes and classified changes."""
    link: Link
    old_text: str                       # old blocks' texts joined with PARA_SEP
    new_text: str
    ops: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    old_label: str = ""
    new_label: str = ""


@dataclass
class Comparison:
    """Two versions, their alignment and one `PairDiff` per link."""
    old: Document
    new: Document
    alignment: Alignment
    pairs: list[PairDiff]

    def summary(self) -> dict[str, dict[str, int]]:
        """{"paragraphs": {op: n}, "changes": {class: n}} for the whole document."""
        return summarize(self.pairs)

    def by_section(self) -> list[tuple[str, dict[str, dict[str, int]]]]:
        """`summary()` per top-level section, in document order."""
        groups: dict[str, list[PairDiff]] = {}
        order = []
        for p in self.pairs:
            b = self.new.blocks[p.link.new[0]] if p.link.new else self.old.blocks[p.link.old[0]]
            key = b.path[0] if b.path else "(front matter)"
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(p)
        return [(k, summarize(groups[k])) for k in order]


def summarize(pairs: list[PairDiff]) -> dict[str, dict[str, int]]:
    """Counts of link ops and change classes over `pairs`."""
    ops = Counter(p.link.op for p in pairs)
    classes = Counter(c.cls for p in pairs for c in p.changes)
    return {"paragraphs": {k: ops.get(k, 0) for k in ("equal", "modified", "moved", "split", "merged", "inserted", "deleted")},
            "changes": {k: classes.get(k, 0) for k in CLASSES}}


# trace: N versions → chains
@dataclass
class Step:
    """Where a paragraph is in one version and how it got there; `diff` holds the
    token opcodes from the chain's previous text (filled by `trace.step_diffs`)."""
    version: int
    blocks: list[int]          # block indexes in that version; [] = not there
    # how it came from the previous version:
    # first | equal | modified | moved | split | merged | inserted | deleted | absent
    op: str
    similarity: float = 1.0
    diff: list[tuple[str, int, int, int, int]] | None = None   # None: not computed (or nothing before it)


@dataclass
class Chain:
    """One paragraph's steps, one per version."""
    steps: list[Step] = field(default_factory=list)

    def at(self, v: int) -> list[int]:
        """The paragraph's block indexes in version `v`."""
        return self.steps[v].blocks


# consolidate: proposals → bracketed consolidated units
@dataclass
class Option:
    """One wording and the parties who propose it."""
    text: str
    parties: list[str]


@dataclass
class Segment:
    """A stretch of a unit: text every present party shares (`shared`), or the
    parties' different wordings (`options`); exactly one of the two is set."""
    shared: str | None = None            # text every present party has here
    options: list[Option] | None = None  # or the parties' different wordings


@dataclass
class Unit:
    """One paragraph of the consolidated text."""
    label: str                           # consolidated label: the base's, or "12 bis." for a new paragraph
    kind: str
    path: list[str]
    in_base: bool
    labels: dict[str, str]               # each present party's own label
    segments: list[Segment] = field(default_factory=list)
    alternatives: list[Option] | None = None   # set when the unit is shown as Alt paragraphs
    absent: list[str] = field(default_factory=list)
    base_text: str = ""

    @property
    def present(self) -> list[str]:
        return list(self.labels)

    def text_of(self, party: str) -> str:
        if self.alternatives is not None:
            return next(o.text for o in self.alternatives if party in o.parties)
        out = []
        for s in self.segments:
            if s.shared is not None:
                out.append(s.shared)
            else:
                assert s.options is not None   # a segment is shared text or options
                out.append(next(o.text for o in s.options if party in o.parties))
        return "".join(out)

    @property
    def divergent(self) -> bool:
        return bool(self.alternatives) or bool(self.absent) or any(s.options for s in self.segments)


@dataclass
class Consolidated:
    """The consolidated text: base, parties, units and each party's order of units."""
    base: Document
    parties: list[str]
    units: list[Unit]
    order: dict[str, list[int]]          # each party's units, in its own order
    languages: dict[str, str] = field(default_factory=dict)
    # The parties' documents, in the order of `parties` (empty when loaded from JSON): a
    # writer takes a party's own formatting from them; `order[p][j]` is the unit of p's block j.
    proposals: list[Document] = field(default_factory=list, compare=False, repr=False)


# suggest: compromise candidates
@dataclass
class Candidate:
    """One compromise text, with the share of each party's tokens it keeps."""
    kind: str
    text: str
    retention: dict[str, float] = field(default_factory=dict)

    @property
    def minimum(self) -> float:
        return min(self.retention.values()) if self.retention else 0.0

    @property
    def mean(self) -> float:
        return sum(self.retention.values()) / len(self.retention) if self.retention else 0.0


# -- delegations' views noted in comments (views.py) --------------------------------------------------
@dataclass
class View:
    """One delegation's view as a note-taker recorded it in a comment."""
    parties: tuple[str, ...]  # () when the line names nobody (a note of the note-taker's own)
    text: str                 # what they said, as written
    kind: str                 # delete · wording · objection · support · view
    wording: str              # the words they quote, if any
    block: int | None         # the paragraph the comment is anchored to (Document.blocks index)
    anchor: str               # the anchored text
    noted_by: str             # the comment's author (the note-taker)
    date: str
    comment: str              # the comment's id
    meeting: str = ""         # "16 November – IC", when the comment says
