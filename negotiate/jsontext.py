"""`json.dumps(obj, ensure_ascii=False, indent=2)`, character for character, faster.

With `indent`, the standard library encodes in pure Python, a generator per
nesting level and a yield per piece: about 0.3 s of CPU for the 8 MB that
`negotiate align --format json` prints for a 200,000-word pair, as much as the
alignment itself (issue 15). Here each container is written by one function call
that joins its items, and a list of plain strings or numbers (a block's path, an
op, a link's indexes) in one join with the C string encoder; anything but
dict/list/tuple/str/int/float/bool/None (or a dict key that is not a str) goes to
json.dumps, so the result is always the standard library's (tests/test_jsontext.py
compares them on every contract's output).
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C implementation where there is one
from typing import Any

_FLOAT_REPR = float.__repr__
_INF = float("inf")


class _Fallback(Exception):
    pass


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


_SCALARS = (str, int, float, bool, type(None))


def dumps(obj: Any) -> str:
    """Equal to json.dumps(obj, ensure_ascii=False, indent=2)."""
    try:
        return _enc(obj, "\n", {})
    except (_Fallback, RecursionError):
        return json.dumps(obj, ensure_ascii=False, indent=2)


def _enc(o: Any, nl: str, keys: dict[str, str]) -> str:
    """`o` encoded; `nl` is a newline and the current indentation; `keys` caches
    each key as `"key": ` (the same few keys recur in every block and link)."""
    t = type(o)
    if t is dict:
        if not o:
            return "{}"
        inner = nl + "  "
        items = []
        add = items.append
        for k, v in o.items():
            ek = keys.get(k)
            if ek is None:
                if type(k) is not str:
                    raise _Fallback   # json's key coercion (ints, floats, None...): leave it to json
                ek = keys[k] = encode_basestring(k) + ": "
            tv = type(v)
            if tv is str:
                add(ek + encode_basestring(v))
            elif tv is int:
                add(ek + int.__repr__(v))
            elif tv is dict or tv is list or tv is tuple:
                add(ek + _enc(v, inner, keys))
            else:
                add(ek + _scalar(v))
        return "{" + inner + ("," + inner).join(items) + nl + "}"
    if t is list or t is tuple:
        if not o:
            return "[]"
        inner = nl + "  "
        sep = "," + inner
        # A list of plain strings or ints in one join (paths, indexes, opcodes).
        kinds = set(map(type, o))
        if len(kinds) == 1:
            k1 = next(iter(kinds))
            if k1 is str:
                return "[" + inner + sep.join(map(encode_basestring, o)) + nl + "]"
            if k1 is int:
                return "[" + inner + sep.join(map(int.__repr__, o)) + nl + "]"
            if k1 is dict or k1 is list or k1 is tuple:
                return "[" + inner + sep.join([_enc(v, inner, keys) for v in o]) + nl + "]"
        return "[" + inner + sep.join([_enc(v, inner, keys) if type(v) in (dict, list, tuple) else _scalar(v)
                                       for v in o]) + nl + "]"
    return _scalar(o)
