"""One .docx whose tracked changes are the parties' proposals → a base and one
proposal per author, ready for `negotiate.consolidate`.

Reading, not consolidating: moved here from `consolidate.py` (issue #16);
`negotiate.consolidate.proposals_from_revisions` still works.
"""
from __future__ import annotations

from ..errors import NegotiateError
from ..model import Block, Document


def proposals_from_revisions(doc: Document) -> tuple[Document, list[Document], list[str]]:
    """A .docx read in markup mode whose tracked changes are the parties'
    proposals → (base, one proposal per author, authors). The base is the
    text with every change rejected; a party's proposal accepts its own
    changes only. Paragraph-mark changes are not split per author."""
    import copy
    authors: list[str] = []
    for b in doc.blocks:
        for r in b.revisions:
            if r.author and r.author not in authors:
                authors.append(r.author)
    if not authors:
        raise NegotiateError(doc.path, "no tracked changes with an author: nothing to consolidate")

    def version(keep_author: str | None) -> Document:
        d = copy.deepcopy(doc)
        for b in d.blocks:
            b.text = "".join(b.text[s:e] for s, e in kept_spans(b, keep_author)).strip()
            b.revisions = []
        d.blocks = [b for b in d.blocks if b.text or b.label]
        for i, b in enumerate(d.blocks):
            b.index = i
        d.revisions_mode = "accept" if keep_author else "reject"
        d.accepts = keep_author
        return d

    return version(None), [version(a) for a in authors], authors


def kept_spans(b: Block, keep_author: str | None) -> list[tuple[int, int]]:
    """The stretches of block `b`'s text (read with its changes as marks) that the
    version accepting `keep_author`'s changes only keeps, in order: that version's
    text of the block is theirs joined, stripped."""
    out, pos = [], 0
    for r in sorted(b.revisions, key=lambda r: r.start):
        if r.start > pos:
            out.append((pos, r.start))
        mine = keep_author is not None and r.author == keep_author
        inserted = r.kind in ("ins", "moveTo")
        if inserted == mine and r.end > r.start:      # my insertion, or another's deletion (rejected): keep
            out.append((r.start, r.end))
        pos = max(pos, r.end)
    if len(b.text) > pos:
        out.append((pos, len(b.text)))
    return out
