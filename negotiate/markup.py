"""A block's text → a tree of negotiation markup, losslessly.

Nodes: plain text; brackets (`[ ]`, full-width `［ ］`, lenticular `【 】`) nested
to any depth; alternative sets (adjacent brackets `[a][b][c]`, or one bracket
with short slash options `[shall/should]`); placeholders (`[X]`, `[20XX]`,
`[Placeholder: …]`); no-text and deletion options; notes
(`[Co-facilitators' note: …]`); attributions (`(EU, Norway)`,
`(proposed by X; supported by Y)` after a bracket or at the end, `[EU: text]`).

`render(parse(text).root) == text` for every string: each node keeps its raw
characters. Parsing and rendering are iterative, so 10,000 nested brackets or a
megabyte paragraph cost time, not stack.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from . import lang

# The result types live in the model; the `X as X` imports re-export them here as before.
from .model import BRACKET_CLASS, BRACKET_PAIRS
from .model import Node as Node
from .model import Problem as Problem
from .model import TextNode as TextNode
from .model import Tree as Tree
from .parties import DEFAULT_PARTIES, Parties

# The parser gives text nodes, and brackets without parties or options, this one
# immutable empty tuple for those list fields instead of three new lists each (a
# million nodes were ~170 MB of empty lists); nothing appends to them, a new list
# is assigned instead. Typed Any: it stands where the model says list.
_NO: Any = ()
# Text runs are TextNodes (half a Node's size, see the model); typed as Node
# here, which they read as, so that children stay `list[Node]` for callers.
_Text: Any = TextNode
# A bracket's reading by (inside, closed both ends, len(open)): role, slash options
# relative to the inside's start, parties.
_Readings = dict[tuple[str, bool, int], tuple[str, list[tuple[int, int]], list[tuple[str, str]] | None]]

OPEN = BRACKET_PAIRS
CLOSE = {v: k for k, v in OPEN.items()}
DELIMS = re.compile(BRACKET_CLASS)
_MD_FOOTREF = re.compile(r"\[\^[^\]\s\[]+\]")

_PLACEHOLDER = re.compile(
    r"^\s*(?:\.\.\.|…|_+|X{1,3}|x{1,3}|Y|N|\d{0,2}XX|\d{2}xx|year|date|number|"
    r"\*?(?:Placeholder|placeholder|PLACEHOLDER)\*?\b.*|Reserved|reserved|RESERVED|TBD|to be determined|"
    r"\.\.\. ?\w*)\s*$", re.S)
_NOTE = re.compile(r"^\s*\*?(?:co-?facilitators?['’]?s?['’]? note|co-?chairs?['’]?s?['’]? note|chair['’]?s? note|"
                   r"note by|note\b|secretariat['’]?s? note|facilitators?['’]? note|editorial note|drafting note)",
                   re.I)
_NO_TEXT = re.compile(r"^\s*(?:" + "|".join(re.escape(p) for p in sorted(
    {p for m in lang.all_languages() for p in m.NO_TEXT}, key=lambda w: (-len(w), w))) + r")\s*[.:]?\s*$", re.I)
_DELETE = re.compile(r"^\s*(?:delete|deletion|supprimer|suprimir)\b", re.I)
_NOT_SLASH = re.compile(r"(?i:and/or|et/ou|y/o|either/or|his/her|he/she|s/he|https?:|G-?77/)"
                        r"|\b[A-Z][A-Z0-9.-]*/[A-Z0-9.]+/|\d/|/\d|\b[A-Z]{2,}/[A-Z]")
_PREFIX = re.compile(r"^\s*([A-Z][\w.'’()/-]*(?:[ -][A-Za-z][\w.'’()/-]*){0,5})\s*:\s")
_NOT_PROPOSER = {"placeholder", "note", "option", "alt", "alternative", "chair", "co-facilitators", "new",
                 "reserved", "text", "paragraph", "article", "annex", "title", "nb", "n.b", "e.g", "i.e"}


def render(node: Node) -> str:
    out: list[str] = []
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        n, done = stack.pop()
        if n.kind in ("text", "attribution"):
            out.append(n.text)
            continue
        if done:
            out.append(n.close)
            continue
        if n.kind == "bracket":
            out.append(n.open)
            stack.append((n, True))
        stack.extend((c, False) for c in reversed(n.children))
    return "".join(out)


def parse(text: str, carried: list[str] | None = None, parties: Parties = DEFAULT_PARTIES) -> Tree:
    """Parse one block's text. `carried` lists the open characters of brackets
    that opened in earlier blocks and are still open (outermost first)."""
    root = Node("root", 0, len(text))
    if not carried and DELIMS.search(text) is None:
        # Most paragraphs hold no bracket: one text node, and only a trailing
        # attribution to look for (what the general path below gives them).
        if text:
            root.children.append(_Text(0, len(text), text))
        tree = Tree(root, text, [], [], [])
        _trailing_attribution(root, parties)
        return tree
    stack: list[Node] = []
    problems: list[Problem] = []
    wants: list[str] = []     # the closer each open bracket on the stack waits for
    for ch in carried or ():
        b = Node("bracket", 0, len(text), open="", depth=len(stack) + 1)
        b.role = ""
        wants.append(OPEN[ch])
        (stack[-1] if stack else root).children.append(b)
        stack.append(b)
    carried_n = len(stack)
    carried_closes: list[int] = []
    merged: list[Node] = []   # text nodes extended over a stray; their text is cut at the end

    # Text runs are TextNodes (see _Text above).
    def add_text(parent: Node, start: int, end: int) -> None:
        # A run of stray closers (a million `]`) is one text node, not a million.
        kids = parent.children
        if kids and kids[-1].kind == "text" and kids[-1].end == start:
            if kids[-1].text is not None:
                merged.append(kids[-1])
                kids[-1].text = None   # type: ignore[assignment]
            kids[-1].end = end
        else:
            kids.append(_Text(start, end, text[start:end]))
    pos = 0
    skip: set[int] = set()
    if "[^" in text:
        for fm in _MD_FOOTREF.finditer(text):
            skip.update((fm.start(), fm.end() - 1))
    # Every bracket made, and the nodes a bracket was put in (only they can hold
    # an alternative set or an attribution after a bracket): what _annotate
    # reads, without walking the tree's text nodes again.
    brackets: list[Node] = list(stack)
    holders: dict[int, Node] = {id(n): n for n in stack[:-1]}   # by id; the root under 0
    if stack:
        holders[0] = root
    n_text = len(text)
    # Text is merged into the text before it (add_text) only at the root after a
    # stray closer; everywhere else a run is appended as it is.
    merge_root = False
    find = DELIMS.search
    # Cut at the brackets by re.split (text, bracket, text, …), _CUT_AT brackets
    # at a time (the last piece, the rest of the text, is cut again: it starts
    # just after a bracket): no search and no slice a bracket. Not for Markdown
    # footnote marks (their brackets are text), nor for more closers than
    # openers: the search below takes a run of stray closers in one step.
    cut = not skip and sum(map(text.count, CLOSE)) <= sum(map(text.count, OPEN))
    rest: str | None = text if cut else None
    m = None if cut else find(text, 0)
    while rest is not None:
        parts = _CUT.split(rest, _CUT_AT)
        rest = parts[-1] if len(parts) > 2 * _CUT_AT else None
        k, n_parts = 1, len(parts)
        while k < n_parts:
            seg = parts[k - 1]
            ch = parts[k]
            k += 2
            i = pos + len(seg) if seg else pos
            nxt = i + 1
            if not stack and ch in _STRAY:
                e = nxt
                while k < n_parts and not parts[k - 1] and parts[k] in _STRAY:
                    e += 1
                    k += 2
                problems.extend([Problem("stray", j, text[j], _STRAY[text[j]]) for j in range(i, e)])
                add_text(root, pos, e)
                merge_root = True
                pos = e
                continue
            parent = stack[-1] if stack else root
            if seg:
                if merge_root and parent is root:
                    add_text(root, pos, i)
                else:
                    parent.children.append(_Text(pos, i, seg))
            if ch in OPEN:
                b = Node("bracket", i, n_text, "", ch, "", "", [], _NO, _NO, len(stack) + 1)
                wants.append(OPEN[ch])
                parent.children.append(b)
                if stack:
                    holders[id(parent)] = parent
                else:
                    holders[0] = root
                    merge_root = False
                brackets.append(b)
                stack.append(b)
            else:   # a closer with a bracket open (one with none is a stray, above)
                b = stack.pop()
                want = wants.pop()
                if want != ch:
                    problems.append(Problem("mismatch", i, ch, f"'{ch}' closes a bracket opened with '{CLOSE[want]}' (expected '{want}')"))
                b.close = ch
                b.end = nxt
                if len(stack) < carried_n:
                    carried_n = len(stack)
                    carried_closes.append(i)
            pos = nxt
    while m is not None:
        i = m.start()
        ch = text[i]
        # One int object for i + 1, shared by the next search, `pos` and a closed
        # bracket's end (500,000 pairs held a million more ints than needed).
        nxt = i + 1
        m = find(text, nxt)
        if skip and i in skip:
            continue  # inside a Markdown footnote mark such as [^5], not a bracket
        if not stack and ch in _STRAY and not skip:
            # A run of stray closers (a million `]`) in one step: one text node,
            # the problems made in bulk.
            e = _CLOSERS.match(text, i).end()  # type: ignore[union-attr]  # text[i] is a closer
            problems.extend([Problem("stray", k, text[k], _STRAY[text[k]]) for k in range(i, e)])
            add_text(root, pos, e)
            merge_root = True
            pos = e
            m = find(text, e)
            continue
        parent = stack[-1] if stack else root
        if i > pos:
            if merge_root and parent is root:
                add_text(root, pos, i)
            else:
                parent.children.append(_Text(pos, i, text[pos:i]))
        if ch in OPEN:
            b = Node("bracket", i, n_text, "", ch, "", "", [], _NO, _NO, len(stack) + 1)
            wants.append(OPEN[ch])
            parent.children.append(b)
            if stack:
                holders[id(parent)] = parent
            else:
                holders[0] = root
                merge_root = False
            brackets.append(b)
            stack.append(b)
        else:
            if not stack:
                problems.append(Problem("stray", i, ch, _STRAY[ch]))
                add_text(root, i, nxt)
                merge_root = True
            else:
                b = stack.pop()
                want = wants.pop()
                if want != ch:
                    problems.append(Problem("mismatch", i, ch, f"'{ch}' closes a bracket opened with '{CLOSE[want]}' (expected '{want}')"))
                b.close = ch
                b.end = nxt
                if len(stack) < carried_n:
                    carried_n = len(stack)
                    carried_closes.append(i)
        pos = nxt
    parent = stack[-1] if stack else root
    if pos < len(text):
        add_text(parent, pos, len(text))
    for n in merged:
        n.text = text[n.start:n.end]
    left_open = []
    for b, want in zip(stack, wants):
        b.end = len(text)
        left_open.append((CLOSE[want], b.start if b.open else None))
    tree = Tree(root, text, problems, left_open, carried_closes)
    _annotate(tree, parties, brackets, list(holders.values()))
    return tree


_STRAY = {c: f"'{c}' closes nothing" for c in CLOSE}
_CUT = re.compile("(" + BRACKET_CLASS + ")")
_CUT_AT = 32768
_CLOSERS = re.compile("[" + re.escape("".join(CLOSE)) + "]+")


def _iter(root: Node) -> Iterator[Node]:
    stack = [root]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(n.children)


def inner(text: str, b: Node) -> str:
    return text[b.start + len(b.open): b.end - len(b.close)]


def _annotate(tree: Tree, parties: Parties, brackets: list[Node] | None = None,
              holders: list[Node] | None = None) -> None:
    """Read each bracket (role, options, parties), then group each node's bracket
    children into alternative sets and attributions. `brackets` and `holders`
    (every bracket, and every node holding one) are found by walking the tree
    when not given; a node without a bracket child has nothing to group."""
    text = tree.text
    if brackets is None or holders is None:
        nodes = [n for n in _iter(tree.root) if n.children or n.kind == "bracket"]
        brackets = [n for n in nodes if n.kind == "bracket"]
        holders = [n for n in nodes if n.children]
    seen: _Readings = {}   # a bracket's reading depends only on its inside: [a] read once for 500,000 of them
    get = seen.get
    for n in brackets:     # classifying changes no structure
        kids = n.children
        if not kids or (len(kids) == 1 and kids[0].kind == "text"):
            # A bracket holding no other (most): its reading looked up here, as
            # _classify would, without a call for each of 500,000 of them.
            lo = n.start + len(n.open)
            got = get((text[lo:n.end - len(n.close)], bool(n.open and n.close), len(n.open)))
            if got is not None:
                n.role = got[0]
                if got[1]:
                    n.options = [(lo + x, lo + y) for x, y in got[1]]
                if got[2] is not None:
                    n.parties = list(got[2])
                continue
        _classify(text, n, parties, seen)
    for n in holders:
        if n.children:
            _group(text, n, parties)
    _trailing_attribution(tree.root, parties)


# The patterns tried on a bracket that holds others look only at how it begins:
# copying the whole inside of each of 200,000 nested brackets was quadratic.
_HEAD = 400


def _classify(text: str, b: Node, parties: Parties, seen: _Readings | None = None) -> None:
    kids = b.children
    nested = bool(kids) and (len(kids) > 1 or kids[0].kind != "text") and any(c.kind == "bracket" for c in kids)
    lo = b.start + len(b.open)
    hi = b.end - len(b.close)
    s = text[lo:min(hi, lo + _HEAD)] if nested else text[lo:hi]
    key = None
    if not nested and seen is not None:
        # Memoized per tree: role, options (relative to the start) and parties.
        key = (s, bool(b.open and b.close), len(b.open))
        got = seen.get(key)
        if got is not None:
            b.role = got[0]
            if got[1]:
                b.options = [(lo + x, lo + y) for x, y in got[1]]
            if got[2] is not None:
                b.parties = list(got[2])
            return
    _read_bracket(b, s, nested, lo, hi, parties)
    if key is not None and seen is not None:
        seen[key] = (b.role, [(x - lo, y - lo) for x, y in b.options], list(b.parties) if b.parties else None)


def _read_bracket(b: Node, s: str, nested: bool, lo: int, hi: int, parties: Parties) -> None:
    if not nested and _PLACEHOLDER.match(s):
        b.role = "placeholder"
    elif not nested and _NO_TEXT.match(s.strip("{}* ")):
        b.role = "no-text"
    elif _NOTE.match(s):
        b.role = "note"
    elif _DELETE.match(s) and hi - lo < 40:
        b.role = "deletion"
    elif not nested and "/" in s and b.open and b.close:
        parts = s.split("/")
        if (len(parts) >= 2 and not _NOT_SLASH.search(s) and all(0 < len(p.split()) <= 3 for p in parts)
                and all(p.strip() for p in parts)):
            b.role = "slash"
            off = b.start + len(b.open)
            b.options = []
            for p in parts:
                b.options.append((off, off + len(p)))
                off += len(p) + 1
    m = _PREFIX.match(s)
    if m and b.role not in ("note", "placeholder"):
        name = m.group(1).strip()
        first = name.split()[0].lower().rstrip(".:")
        if parties.known(name) or (first not in _NOT_PROPOSER and not any(ch.isdigit() for ch in name)
                                   and len(name.split()) <= 4 and all(w[:1].isupper() for w in name.split() if w.isalpha() and len(w) > 3)):
            b.parties = [(parties.canonical(name), "proposed")]


_PAREN = re.compile(r"^(\s*)\(([^()]{1,300})\)")



def _group(text: str, parent: Node, parties: Parties) -> None:
    kids = parent.children
    # The new list of children is made at the first change (an alternative set,
    # an attribution): most holders have none, and the root of a paragraph of
    # 500,000 brackets would be copied whole for nothing.
    out: list[Node] | None = None
    i = 0
    while i < len(kids):
        k = kids[i]
        if k.kind == "bracket" and k.open and k.close:
            j = i
            while (j + 1 < len(kids) and kids[j + 1].kind == "bracket" and kids[j + 1].open and kids[j + 1].close
                   and kids[j + 1].start == kids[j].end):
                j += 1
            if j > i:
                alt = Node("altset", k.start, kids[j].end, children=kids[i:j + 1], depth=k.depth)
                if out is None:
                    out = kids[:i]
                out.append(alt)
            elif out is not None:
                out.append(k)
            i = j + 1
            # An attribution right after the bracket or the set.
            # (_PAREN can only match a text starting with "(" or a space.)
            if i < len(kids) and kids[i].kind == "text" and ((c0 := kids[i].text[:1]) == "(" or c0.isspace()):
                t = kids[i]
                m = _PAREN.match(t.text)
                if m:
                    got = _attribution(m.group(2), parties)
                    if got is not None:
                        if out is None:
                            out = kids[:i]
                        lead = m.group(1)
                        if lead:
                            out.append(_Text(t.start, t.start + len(lead), lead))
                        a = Node("attribution", t.start + len(lead), t.start + m.end(), text=m.group(0)[len(lead):],
                                 parties=got[0], role=got[1])
                        out.append(a)
                        rest = t.text[m.end():]
                        if rest:
                            kids[i] = _Text(t.start + m.end(), t.end, rest)
                        else:
                            i += 1
            continue
        if out is not None:
            out.append(k)
        i += 1
    if out is not None:
        parent.children = out


def _attribution(s: str, parties: Parties) -> tuple[list[tuple[str, str]], str] | None:
    """(parties, relation) for a parenthetical, or None when it is not one."""
    low = s.strip().lower()
    if _DELETE.match(low):
        rest = re.sub(r"^\s*(?:delete|deletion)\s*[:,-]?\s*", "", s, flags=re.I)
        got = parties.parse_list(rest) if rest.strip() else []
        return (got or [], "delete")
    got = parties.parse_list(s)
    if got:
        return (got, "")
    return None


_TRAIL = re.compile(r"\(([^()]{1,300})\)([\s.;,:]*)$")


def _trailing_attribution(root: Node, parties: Parties) -> None:
    """`… text. (Canada, Norway)` at the very end of the paragraph."""
    if not root.children or root.children[-1].kind != "text":
        return
    t = root.children[-1]
    # _TRAIL needs ")" then only spaces and .;,: to the end: looked at from the
    # end first, without a search over every paragraph's whole text.
    s = t.text
    k = len(s)
    while k and (s[k - 1] in ".;,:" or s[k - 1].isspace()):
        k -= 1
    if not k or s[k - 1] != ")":
        return
    m = _TRAIL.search(s)
    if not m:
        return
    got = parties.parse_list(m.group(1))
    if not got:
        return
    head = t.text[:m.start()]
    nodes = []
    if head:
        nodes.append(_Text(t.start, t.start + len(head), head))
    a_end = t.start + m.start() + len(m.group(0)) - len(m.group(2))
    nodes.append(Node("attribution", t.start + len(head), a_end, text=t.text[m.start():m.start() + len(m.group(0)) - len(m.group(2))],
                      parties=got))
    if m.group(2):
        nodes.append(_Text(a_end, t.end, m.group(2)))
    root.children[-1:] = nodes
