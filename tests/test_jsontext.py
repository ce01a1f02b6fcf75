"""negotiate.jsontext.dumps is json.dumps(obj, ensure_ascii=False, indent=2), character for character."""
import enum
import json

from hypothesis import given, settings
from hypothesis import strategies as st

import negotiate
from negotiate import contracts, jsontext

from .conftest import CORPORA


def _std(obj):
    return json.dumps(obj, ensure_ascii=False, indent=2)


scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
           | st.text() | st.sampled_from(["", "[x]", "a\nb", "\u2028", "\x00", "é\"\\", "中文"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=5), max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(values)
def test_equal_to_the_standard_library_on_any_json_value(obj):
    assert jsontext.dumps(obj) == _std(obj)


class Colour(enum.StrEnum):
    red = "red"


def test_what_it_does_not_write_itself_is_the_standard_librarys():
    # Keys json coerces, str/int subclasses, and errors are json's own.
    for obj in ({1: "a", None: 2, 1.5: [], False: {}}, {"c": Colour.red}, [enum.IntEnum("E", "a").a],
                {"x": [1, "a", 2.5, None]}, [[[]], [{}], {"": ""}]):
        assert jsontext.dumps(obj) == _std(obj)
    for bad in ({"a": object()}, [set()]):
        try:
            jsontext.dumps(bad)
        except TypeError:
            pass
        else:
            raise AssertionError("no TypeError")
    loop: list = []
    loop.append(loop)
    try:
        jsontext.dumps(loop)
    except ValueError:   # json's "Circular reference detected"
        pass
    else:
        raise AssertionError("no ValueError")


def test_equal_on_the_contracts_of_the_corpora():
    old = negotiate.read(CORPORA / "framework-v1-compilation.txt")
    new = negotiate.read(CORPORA / "framework-v2-streamlined.txt")
    cmp = negotiate.compare(old, new)
    for obj in (contracts.parse_json(old), contracts.align_json(old, new, cmp.alignment), contracts.compare_json(cmp)):
        assert jsontext.dumps(obj) == _std(obj)


def test_lists_of_dicts_of_several_shapes_as_the_standard_library():
    # _records writes a list of dicts column by column, one template per set of keys:
    # shapes interleaved, the same keys in another order, "%" in a key, empty dicts,
    # columns of mixed types, lists of str / int / nothing / mixed, nested dicts.
    rows = []
    for k in range(40):
        d = {"index": k, "kind": "heading" if k % 3 else "paragraph", "path": [str(k), "a%s"][: k % 3],
             "text": f"“{k}”\n\t\\", "sim": k / 7}
        if k % 4 == 0:
            d["extra%d"] = [k, k + 1] if k % 8 else []
        if k % 5 == 0:
            d = dict(reversed(list(d.items())))
        if k % 6 == 0:
            d["mixed"] = [1, "a", None, 2.5, True, {"x": []}] if k % 12 else None
        if k % 7 == 0:
            d = {}
        rows.append(d)
    for obj in (rows, {"blocks": rows, "links": [{"old": [1], "new": [], "op": "deleted"}] * 3}):
        assert jsontext.dumps(obj) == _std(obj)


def test_dump_writes_in_pieces_what_dumps_gives_and_starts_again_on_a_fallback(monkeypatch):
    import io
    monkeypatch.setattr(jsontext, "_CHUNK", 0)   # written out after every nested item
    old = negotiate.read(CORPORA / "framework-v1-compilation.txt")
    new = negotiate.read(CORPORA / "framework-v2-streamlined.txt")
    # The last two fall back to json.dumps after pieces were already written.
    for obj in (contracts.compare_json(negotiate.compare(old, new)), [[1], [2], {3: 4}], [{"a": [1]}, {"b": Colour.red}]):
        fh = io.StringIO()
        fh.write("before ")
        jsontext.dump(obj, fh)
        assert fh.getvalue() == "before " + _std(obj)


def test_a_lazy_list_is_written_as_the_list_it_yields():
    import io
    old = negotiate.read(CORPORA / "framework-v1-compilation.txt")
    new = negotiate.read(CORPORA / "framework-v2-streamlined.txt")
    cmp = negotiate.compare(old, new)
    whole = _std(contracts.compare_json(cmp))
    lazy = contracts.compare_json(cmp, lazy_pairs=True)
    assert isinstance(lazy["pairs"], jsontext.Lazy)
    fh = io.StringIO()
    jsontext.dump(lazy, fh)
    assert fh.getvalue() == whole == jsontext.dumps(lazy)
    for items in ([], [1, "a"], [[], {}], [jsontext.Lazy(lambda: iter([1]))]):
        obj = {"x": jsontext.Lazy(lambda items=items: iter(items)), "y": 1}
        plain = {"x": [list(i.make()) if isinstance(i, jsontext.Lazy) else i for i in items], "y": 1}
        assert jsontext.dumps(obj) == _std(plain)
    # A value only json.dumps writes: the fallback writes the lazy list too; other objects are json's error.
    assert jsontext.dumps([jsontext.Lazy(lambda: iter([{1: 2}]))]) == _std([[{1: 2}]])
    try:
        jsontext.dumps([jsontext.Lazy(lambda: iter([{1: object()}]))])
    except TypeError as e:
        assert "is not JSON serializable" in str(e)
    else:
        raise AssertionError("no TypeError")
