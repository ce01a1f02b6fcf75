"""One .docx whose tracked changes are the parties' proposals → a base and one
proposal per author, ready for `negotiate.consolidate`.

Reading, not consolidating: moved here from `consolidate.py` (issue #16);
`negotiate.consolidate.proposals_from_revisions` still works.
"""
from __future__ import annotations

from ..errors import NegotiateError
from ..model import Document


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
            out, pos = [], 0
            for r in sorted(b.revisions, key=lambda r: r.start):
                out.append(b.text[pos:r.start])
                mine = keep_author is not None and r.author == keep_author
                inserted = r.kind in ("ins", "moveTo")
                if inserted == mine:      # my insertion, or another's deletion (rejected): keep
                    out.append(b.text[r.start:r.end])
                pos = max(pos, r.end)
            out.append(b.text[pos:])
            b.text = "".join(out).strip()
            b.revisions = []
        d.blocks = [b for b in d.blocks if b.text or b.label]
        for i, b in enumerate(d.blocks):
            b.index = i
        d.revisions_mode = "accept" if keep_author else "reject"
        return d

    return version(None), [version(a) for a in authors], authors
