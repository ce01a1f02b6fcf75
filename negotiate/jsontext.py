"""`json.dumps(obj, ensure_ascii=False, indent=2)`, character for character, faster.

With `indent`, the standard library encodes in pure Python, a generator per
nesting level and a yield per piece: about 0.3 s of CPU for the 8 MB that
`negotiate align --format json` prints for a 200,000-word pair, as much as the
alignment itself (issue 15). Here one recursive function appends every piece to
one flat list (keys encoded once, a list of plain strings or ints — a block's
path, a link's indexes — in one join with the C string encoder); anything but
dict/list/tuple/str/int/float/bool/None (or a dict key that is not a str) goes to
json.dumps, so the result is always the standard library's (tests/test_jsontext.py
compares them on every contract's output).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import chain
from json.encoder import encode_basestring  # the C implementation where there is one
from typing import Any

_FLOAT_REPR = float.__repr__
_INF = float("inf")


class _Fallback(Exception):
    pass


class Lazy:
    """A list written item by item as `make()` yields them, never held whole
    (`contracts.compare_json(…, lazy_pairs=True)`): `dump` and `dumps` write the
    list it yields. `make` is called once for each writing."""
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Iterable[Any]]) -> None:
        self.make = make


def _lazy_default(o: Any) -> Any:
    # json.dumps's `default` for the fallback: a Lazy is its list; anything else, json's own error.
    if isinstance(o, Lazy):
        return list(o.make())
    raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


def _float(x: float) -> str:
    if x != x:
        return "NaN"
    if x == _INF:
        return "Infinity"
    if x == -_INF:
        return "-Infinity"
    return _FLOAT_REPR(x)


def _scalar(x: Any) -> str:
    t = type(x)
    if t is str:
        return encode_basestring(x)
    if t is int:
        return int.__repr__(x)
    if t is float:
        return _float(x)
    if x is None:
        return "null"
    if x is True:
        return "true"
    if x is False:
        return "false"
    raise _Fallback


def dumps(obj: Any) -> str:
    """Equal to json.dumps(obj, ensure_ascii=False, indent=2)."""
    try:
        parts: list[str] = []
        _write(obj, parts, "\n", {})
        return "".join(parts)
    except (_Fallback, RecursionError):
        return json.dumps(obj, ensure_ascii=False, indent=2, default=_lazy_default)


# Pieces held before `dump` writes them out (a few MB of text).
_CHUNK = 50_000


def dump(obj: Any, fh) -> None:
    """`fh.write(dumps(obj))`, written in pieces: the text of a 100,000-paragraph
    comparison (88 MB, and the list of its millions of pieces, 300 MB) is never
    held whole. `fh` must be seekable (a file): the rare object that falls back
    to json.dumps is written again from the start."""
    parts: list[str] = []

    def flush() -> None:
        fh.write("".join(parts))
        parts.clear()
    start = fh.tell()
    try:
        _write(obj, parts, "\n", {}, flush)
        flush()
    except (_Fallback, RecursionError):
        fh.seek(start)
        fh.truncate()
        fh.write(json.dumps(obj, ensure_ascii=False, indent=2, default=_lazy_default))


def _write(o: Any, out: list[str], nl: str, keys: dict[str, str], flush=None) -> None:
    """Append `o` encoded to `out` (one flat list: no string is copied twice);
    `nl` is a newline and the current indentation; `keys` caches each key as
    `"key": ` (the same few keys recur in every block and link); `flush`, when
    given, empties `out` into the output once it holds `_CHUNK` pieces."""
    t = type(o)
    add = out.append
    if t is dict:
        if not o:
            add("{}")
            return
        inner = nl + "  "
        sep = "," + inner
        lead = "{" + inner   # what comes before the first item, then between items
        for k, v in o.items():
            ek = keys.get(k)
            if ek is None:
                if type(k) is not str:
                    raise _Fallback   # json's key coercion (ints, floats, None...): leave it to json
                ek = keys[k] = encode_basestring(k) + ": "
            tv = type(v)
            if tv is str:
                add(lead + ek + encode_basestring(v))
            elif tv is int:
                add(lead + ek + int.__repr__(v))
            elif tv is dict or tv is list or tv is tuple or tv is Lazy:
                add(lead + ek)
                _write(v, out, inner, keys, flush)
            else:
                add(lead + ek + _scalar(v))
            lead = sep
        add(nl + "}")
    elif t is Lazy:
        # As a list's general case below (whose join of plain strings or ints is the same text).
        _items(o.make(), out, nl, keys, flush)
    elif t is list or t is tuple:
        if not o:
            add("[]")
            return
        inner = nl + "  "
        sep = "," + inner
        # A list of plain strings or ints in one join (paths, indexes, opcodes).
        kinds = set(map(type, o))
        if len(kinds) == 1:
            k1 = next(iter(kinds))
            if k1 is str:
                add("[" + inner + sep.join(map(encode_basestring, o)) + nl + "]")
                return
            if k1 is int:
                add("[" + inner + sep.join(map(int.__repr__, o)) + nl + "]")
                return
            if k1 is dict and len(o) > 1:
                add("[" + inner + sep.join(_records(o, inner, keys)) + nl + "]")
                return
        _items(o, out, nl, keys, flush)
    else:
        add(_scalar(o))


def _items(items: Any, out: list[str], nl: str, keys: dict[str, str], flush) -> None:
    """A list's items one by one (a list or a Lazy's iterator): `[]` when there are none."""
    add = out.append
    inner = nl + "  "
    sep = "," + inner
    lead = "[" + inner
    for v in items:
        tv = type(v)
        if tv is dict or tv is list or tv is tuple or tv is Lazy:
            add(lead)
            _write(v, out, inner, keys, flush)
            if flush is not None and len(out) > _CHUNK:
                flush()
        else:
            add(lead + _scalar(v))
        lead = sep
    add("[]" if lead != sep else nl + "]")


def _records(o: list[dict], nl: str, keys: dict[str, str]) -> list[str]:
    """Each dict of `o` encoded (at indentation `nl`), column by column: the dicts
    of one set of keys (a contract's blocks, links) share one %-template, and
    each key's values are encoded by one map when they are all str, int or float —
    the per-item Python loop of `_write` was most of the time of a big output."""
    shapes = list(map(tuple, o))
    groups: dict[tuple, list[int]] = {}
    if len(set(shapes)) == 1:
        groups[shapes[0]] = list(range(len(o)))
    else:
        for at, ks in enumerate(shapes):
            groups.setdefault(ks, []).append(at)
    out: list[str] = [""] * len(o)
    inner = nl + "  "
    for ks, where in groups.items():
        if not ks:
            for at in where:
                out[at] = "{}"
            continue
        rows = o if len(where) == len(o) else [o[at] for at in where]
        cols = []
        for k in ks:
            ek = keys.get(k)
            if ek is None:
                if type(k) is not str:
                    raise _Fallback   # json's key coercion: leave it to json
                ek = keys[k] = encode_basestring(k) + ": "
            cols.append(_column([d[k] for d in rows], inner, keys))
        template = "{" + inner + ("," + inner).join(keys[k].replace("%", "%%") + "%s" for k in ks) + nl + "}"
        done = list(map(template.__mod__, zip(*cols)))
        if len(where) == len(o):
            return done
        for at, text in zip(where, done):
            out[at] = text
    return out


def _column(col: list[Any], nl: str, keys: dict[str, str]) -> list[str] | map:
    """The values of one key, encoded; containers at indentation `nl`."""
    kinds = set(map(type, col))
    if len(kinds) == 1:
        k1 = next(iter(kinds))
        if k1 is str:
            return map(encode_basestring, col)
        if k1 is int:
            return map(int.__repr__, col)
        if k1 is float:
            return map(_float, col)
        if k1 is list:
            # Lists of plain strings or of ints (a block's path, a link's indexes): each in one join.
            items = set(map(type, chain.from_iterable(col)))
            enc = encode_basestring if items == {str} else int.__repr__ if items == {int} else None
            if enc is not None or not items:
                inner = nl + "  "
                lead, sep, end = "[" + inner, "," + inner, nl + "]"
                return [lead + sep.join(map(enc, v)) + end if v else "[]" for v in col]
    return [_value(v, nl, keys) for v in col]


def _value(v: Any, nl: str, keys: dict[str, str]) -> str:
    t = type(v)
    if t is dict or t is list or t is tuple:
        parts: list[str] = []
        _write(v, parts, nl, keys)
        return "".join(parts)
    return _scalar(v)
