"""negotiate: read, compare, trace and consolidate multilateral negotiating texts.

The Python API mirrors the CLI, one stage a name, each taking and returning
plain data (dataclasses, lists, tuples):

    read(path)                                   → Document (numbered blocks)
    brackets(doc)                                → brackets.Report (counts, located errors)
    align(old, new)                              → align.Alignment (links between blocks)
    trace([v1, v2, …])                           → (chains, alignments)
    compare(old, new)                            → compare.Comparison (word-level changes, classified)
    consolidate(base, proposals, parties)        → consolidate.Consolidated (bracketed text)
    resolve(consolidated, party)                 → that party's proposal, exactly
    suggest(consolidated)                        → ranked compromise candidates
    export.docx / export.html / export.json      → the renderers

Example:

    import negotiate
    old = negotiate.read("corpora/framework-v1-compilation.docx")
    new = negotiate.read("corpora/framework-v2-streamlined.docx")
    cmp = negotiate.compare(old, new)
    negotiate.export.docx.write(cmp, "redline.docx", author="Secretariat")

Everything is imported on first use, so `import negotiate` costs almost
nothing. `align`, `trace`, `compare`, `brackets`, `consolidate` and `suggest`
are also the modules holding each stage's types and helpers: calling one calls
its stage (`negotiate.brackets(doc)` is `negotiate.brackets.analyse(doc)`,
`negotiate.consolidate(...)` is `negotiate.consolidate.build(...)`), and
`from negotiate.align import Options` works as before.
"""
from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Stage module → the function a call of the module runs.
_STAGES = {"align": "align", "trace": "trace", "compare": "compare", "brackets": "analyse",
           "consolidate": "build", "suggest": "suggest"}
# Public name → (module, attribute), imported on first use.
_LAZY = {"read": ("ingest", "read"), "resolve": ("consolidate", "resolve"),
         "Document": ("model", "Document"), "Block": ("model", "Block"),
         "NegotiateError": ("errors", "NegotiateError")}
_MODULES = ("export", "ingest", "contracts", "model", "errors", "markup", "lang")


class _Stage(types.ModuleType):
    """A stage module that can be called as its stage's function.

    The public names of the API coincide with the stage modules' names
    (`negotiate.align` the function and `negotiate/align.py`); Python's import
    system sets a package attribute to the submodule whenever it is imported, so
    a plain function at the package top would be replaced by the module at the
    first `from negotiate.align import …`. A callable module keeps both uses."""

    def _stage(self) -> Any:
        return getattr(self, _STAGES[self.__name__.rpartition(".")[2]])

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._stage()(*args, **kwargs)

    @property
    def __signature__(self) -> inspect.Signature:
        import inspect  # only when asked: importing it costs more than the rest of `import negotiate`
        return inspect.signature(self._stage())


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        # The import system announces every submodule here: make the stages callable.
        if name in _STAGES and isinstance(value, types.ModuleType) and value.__name__ == f"{__name__}.{name}":
            value.__class__ = _Stage
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name in _STAGES or name in _MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # what type checkers and editors see: the functions
    import inspect

    from . import export as export
    from .align import align as align
    from .brackets import analyse as brackets
    from .compare import compare as compare
    from .consolidate import build as consolidate
    from .consolidate import resolve as resolve
    from .errors import NegotiateError as NegotiateError
    from .ingest import read as read
    from .model import Block as Block
    from .model import Document as Document
    from .suggest import suggest as suggest
    from .trace import trace as trace

__all__ = ["read", "brackets", "align", "trace", "compare", "consolidate", "resolve", "suggest",
           "export", "Document", "Block", "NegotiateError", "__version__"]
