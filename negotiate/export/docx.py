"""Word documents out: one function per document negotiate writes.

- `redline(cmp, path)`: a comparison as the new version with real tracked
  changes (accept all → NEW, reject all → OLD); `write` is the same function.
- `consolidated(c, path)`: the bracketed consolidated text.
- `tracked_proposals(c, path)`: the base text with each party's proposals as
  tracked changes by that party.

Each writes `path` and returns how many tracked changes it wrote (0 for the
consolidated text, which has none).

Examples:
    >>> import negotiate
    >>> old = negotiate.read("corpora/framework-v1-compilation.docx")
    >>> new = negotiate.read("corpora/framework-v2-streamlined.docx")
    >>> n = negotiate.export.docx.redline(negotiate.compare(old, new), "redline.docx")  # doctest: +SKIP
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Comparison, Consolidated
    from .consolidated import Style

Path = str | os.PathLike[str]


def redline(cmp: Comparison, path: Path, author: str = "negotiate", date: str | None = None) -> int:
    """Write a comparison as a .docx with Word tracked changes.

    Args:
        cmp: what `negotiate.compare(old, new)` returned.
        path: the .docx to write (replaced if it exists).
        author: the tracked changes' author, as Word's review pane shows it.
        date: the changes' date, ISO 8601 (default: now, UTC).

    Returns:
        The number of tracked changes as a reader counts them (a stretch of
        inserted, deleted or moved text, paragraph marks included).

    Raises:
        OSError: `path` cannot be written.
    """
    from . import redline as _redline
    return _redline.write(cmp, path, author=author, date=date)


write = redline


def consolidated(c: Consolidated, path: Path, style: Style | None = None) -> int:
    """Write the consolidated bracketed text as a .docx: labels typed, options
    in brackets, supporters in italics after them.

    Args:
        c: what `negotiate.consolidate(base, proposals, parties)` returned.
        path: the .docx to write.
        style: brackets and attribution style (`negotiate.export.consolidated.Style`).

    Returns:
        0: the document has no tracked changes.

    Raises:
        OSError: `path` cannot be written.
    """
    from .bracketed import write
    write(c, path, style)
    return 0


def tracked_proposals(c: Consolidated, path: Path, date: str | None = None) -> int:
    """Write the base text with each party's proposals as tracked changes by
    that party (reject all → the base; accept one party's → its proposal).
    A .docx base is written into its own package, and the words a party
    inserts keep that party's run formatting (bold, italic, superscript note
    letters, fonts) when its proposal is a .docx; otherwise the base's.

    Args:
        c: what `negotiate.consolidate(base, proposals, parties)` returned.
        path: the .docx to write.
        date: the changes' date, ISO 8601 (default: now, UTC).

    Returns:
        The number of tracked changes written.

    Raises:
        OSError: `path` cannot be written.
    """
    from . import proposals as _proposals
    return _proposals.write(c, path, date=date)


__all__ = ["redline", "write", "consolidated", "tracked_proposals"]
