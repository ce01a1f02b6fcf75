from negotiate.consolidate import Option, build
from negotiate.suggest import _bridge, candidates, retention

from .conftest import write_doc as write


def test_candidates_ranked_with_retention(tmp_path):
    base = write(tmp_path, "b.txt", "1. Governments should report every year on progress.\n")
    a = write(tmp_path, "a.txt", "1. Governments shall report every year on progress.\n")
    b = write(tmp_path, "c.txt", "1. Governments should report every year on progress.\n")
    c = write(tmp_path, "d.txt", "1. Governments may report every year on progress.\n")
    cons = build(base, [a, b, c], ["EU", "G77/China", "Japan"])
    cands = candidates(cons.units[0])
    kinds = " | ".join(k.kind for k in cands)
    assert "common core" in kinds and "broadest support" in kinds and "median" in kinds and "bridge: modal verbs" in kinds
    bridge = next(k for k in cands if "bridge" in k.kind)
    assert bridge.text == "Governments should report every year on progress."
    mins = [k.minimum for k in cands]
    assert mins == sorted(mins, reverse=True)
    for k in cands:
        assert set(k.retention) == {"EU", "G77/China", "Japan"}
        assert 0 <= k.minimum <= k.mean <= 1


def test_bridges_from_the_table():
    o = lambda *ts: [Option(t, ["x"]) for t in ts]  # noqa: E731
    assert _bridge(o("shall", "may")) == ("modal verbs", "should")
    assert _bridge(o("should", "may")) == ("modal verbs", "are encouraged to")
    assert _bridge(o(" by 2030", "")) == ("dated target", "by 2030, or as soon as possible")
    assert _bridge(o("all countries", "developed countries"))[1] == "all countries, with developed countries taking the lead"
    assert _bridge(o("develop national plans", ""), following=".")[0] == "qualifier"
    assert _bridge(o("develop national plans", ""), following=" of the Parties") is None
    assert _bridge(o("[a]", "a")) is None


def test_retention_counts_tokens_kept():
    r = retention("Parties should report", {"A": "Parties should report", "B": "Parties shall report annually"})
    assert r["A"] == 1.0 and abs(r["B"] - 0.5) < 1e-9
