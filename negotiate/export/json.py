"""The public JSON contracts, one function each, as the CLI prints them.

Thin names over `negotiate.contracts` (where each shape is documented and
built) plus the CLI's own formatting:

    >>> import negotiate
    >>> from negotiate.export import json as nj
    >>> doc = negotiate.read("corpora/framework-v1-compilation.txt")
    >>> data = nj.parse(doc)
    >>> sorted(data)
    ['blocks', 'document']
    >>> nj.validate(data, "parse")

`schema(name)` gives each contract's JSON Schema; `validate` checks a value
against it (it needs the `jsonschema` package, which the test extra installs).
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..contracts import SCHEMAS, schema
from ..contracts import align_json as align
from ..contracts import brackets_json as brackets
from ..contracts import brackets_versions_json as brackets_versions
from ..contracts import compare_json as compare
from ..contracts import consolidated_from_json as consolidated_from_json
from ..contracts import consolidated_json as consolidate
from ..contracts import library_json as library
from ..contracts import load_consolidated as load_consolidated
from ..contracts import parity_json as parity
from ..contracts import parse_json as parse
from ..contracts import precedents_json as precedents
from ..contracts import suggest_json as suggest

if TYPE_CHECKING:
    from ..model import Chain, Document


def trace(files: list[str], docs: list[Document], chains: list[Chain],
          diffs: dict[tuple[int, int], list[tuple[str, int, int, int, int]]] | None = None) -> dict[str, Any]:
    """The `trace` contract for `chains` through `docs` (named `files`).

    Args:
        files: the versions' names, as printed in `versions[].file`.
        docs: the versions, oldest first, as given to `negotiate.trace`.
        chains: all of `negotiate.trace(docs)[0]`, or the ones `negotiate.trace.find` picked.
        diffs: each step's opcodes keyed by `(id(chain), version)` (the older form); when
            omitted, each step's `Step.diff`, computed with `negotiate.trace.step_diffs`
            where the steps have none yet.

    Returns:
        {"versions": [...], "chains": [{"steps": [...]}]}.
    """
    from ..contracts import trace_json
    from ..trace import step_diffs
    if diffs is None and any(s.diff is None and s.blocks for c in chains for s in c.steps[1:]):
        step_diffs(chains, docs)
    return trace_json(files, docs, chains, diffs)


def dumps(obj: Any) -> str:
    """JSON text as the CLI prints it: UTF-8 characters kept, indented by two."""
    from ..jsontext import dumps as _dumps  # json.dumps(..., ensure_ascii=False, indent=2), faster
    return _dumps(obj)


def write(obj: Any, path: str | os.PathLike[str]) -> None:
    """Write `dumps(obj)` and a newline to `path` (UTF-8), as `-o OUT.json` does.

    Raises:
        OSError: `path` cannot be written.
    """
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(dumps(obj) + "\n")


def validate(obj: Any, name: str) -> None:
    """Check `obj` against contract `name`'s JSON Schema.

    Raises:
        jsonschema.ValidationError: `obj` does not have the contract's shape.
        ModuleNotFoundError: the `jsonschema` package is not installed.
    """
    import jsonschema
    jsonschema.validate(obj, schema(name), cls=jsonschema.Draft202012Validator)


__all__ = ["parse", "brackets", "brackets_versions", "align", "trace", "compare", "consolidate", "suggest",
           "parity", "precedents", "library", "consolidated_from_json", "load_consolidated",
           "dumps", "write", "schema", "validate", "SCHEMAS"]
