"""Bulk work without the cyclic garbage collector's passes over it.

Reading, aligning, comparing and bracket-parsing a long text build hundreds of
thousands of small objects (blocks, tokens, tree nodes, opcodes) that live until
the result is returned, so each collection the allocation count triggers walks
all of them again and frees nothing: on a 100,000-paragraph .docx that was 30–45%
of `parse`'s CPU time (bench/limits.py). These structures hold no reference
cycles — reference counting frees them — so the collector is paused for the call
and resumed afterwards. Nested calls and calls from several threads (the app)
share one pause: the first in pauses, the last out resumes, and a collector the
caller had switched off stays off.
"""
from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

F = TypeVar("F", bound=Callable)

_lock = threading.Lock()
_depth = 0
_resume = False


@contextmanager
def paused() -> Iterator[None]:
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()


def bulk(fn: F) -> F:
    """Decorator: run `fn` with the collector paused (see the module's docstring)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with paused():
            return fn(*args, **kwargs)
    return wrapper  # type: ignore[return-value]
