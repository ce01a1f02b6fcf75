import json
import subprocess
import sys

from negotiate import read
from negotiate.trace import find, trace

from .conftest import CORPORA, realtext

V = [CORPORA / f"framework-v{v}.txt" for v in ("1-compilation", "2-streamlined", "3-revised")]


def test_chains_cover_every_block():
    docs = [read(p) for p in V]
    chains, als = trace(docs)
    for v, d in enumerate(docs):
        seen = sorted(i for c in chains for i in c.at(v))
        assert seen == list(range(len(d.blocks)))
    assert len(als) == 2


def test_renumbered_paragraph_followed():
    docs = [read(p) for p in V]
    chains, _ = trace(docs)
    (c,) = find(chains, docs, label="7 bis.")
    labels = [[docs[s.version].blocks[i].label for i in s.blocks] for s in c.steps]
    assert labels[0] == ["7 bis."] and labels[1] == ["8."]
    assert c.steps[1].op == "modified"


def test_search_and_deleted_steps():
    docs = [read(p) for p in V]
    chains, _ = trace(docs)
    hits = find(chains, docs, search="section IX may be merged")
    assert len(hits) == 1
    assert [s.op for s in hits[0].steps] == ["first", "deleted", "absent"]


def test_twenty_versions():
    docs = [read(V[k % 3]) for k in range(20)]
    chains, als = trace(docs)
    assert len(als) == 19 and all(len(c.steps) == 20 for c in chains)


def test_cli_trace_text_and_json():
    res = subprocess.run([sys.executable, "-m", "negotiate", "trace", *map(str, V), "--label", "7 bis."],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "v1 framework-v1-compilation.txt: 7 bis." in res.stdout and "[-" in res.stdout
    res = subprocess.run([sys.executable, "-m", "negotiate", "trace", *map(str, V),
                          "--search", "International Conference [shall][should] meet",
                          "--format", "json"], capture_output=True, text=True)
    data = json.loads(res.stdout)
    assert len(data["versions"]) == 3
    steps = data["chains"][0]["steps"]
    assert steps[1]["diff"] and steps[1]["blocks"][0]["label"]
    bad = subprocess.run([sys.executable, "-m", "negotiate", "trace", *map(str, V), "--label", "999"], capture_output=True, text=True)
    assert bad.returncode == 2 and "no paragraph with label" in bad.stderr


def test_paris_purpose_paragraph_through_five_versions():
    """Article 2 of the adopted text, traced back through the 2015 drafts."""
    names = ["agreement-23-oct-2015.md", "agreement-4-dec-2015.md", "agreement-9-dec-2015.md",
             "agreement-12-dec-2015.md", "agreement-29-jan-2016.md"]
    docs = [read(realtext("paris2015/" + n)) for n in names]
    chains, _ = trace(docs)
    hits = find(chains, docs, search="This Agreement, in enhancing the implementation of the Convention")
    assert hits
    c = hits[0]
    present = [bool(s.blocks) for s in c.steps]
    assert present[3] and present[4]
    assert sum(present) >= 3


def test_alignments_given_are_used_and_the_rest_aligned():
    """An alignment the caller has (the app's Compare of the same pair) is taken as it is; the
    pairs given None are aligned as without it; one per consecutive pair, or a clear error."""
    import dataclasses

    import pytest

    from negotiate.align import align
    docs = [read(p) for p in V]
    chains, als = trace(docs)
    again, als2 = trace(docs, alignments=[als[0], None])
    assert als2[0] is als[0] and als2[1] == align(docs[1], docs[2])
    assert [[(s.blocks, s.op) for s in c.steps] for c in again] == [[(s.blocks, s.op) for s in c.steps] for c in chains]
    # Given, not recomputed: an alignment calling every pair of the first step an insertion
    # and a deletion makes every chain start afresh in the second version.
    links = []
    for link in als[0].links:
        if link.old:
            links.append(dataclasses.replace(link, new=[], op="deleted"))
        if link.new:
            links.append(dataclasses.replace(link, old=[], op="inserted"))
    apart = dataclasses.replace(als[0], links=links)
    split, _ = trace(docs, alignments=[apart, None])
    assert all(not (c.at(0) and c.at(1)) for c in split)
    with pytest.raises(ValueError, match="1 alignments for 2"):
        trace(docs, alignments=[als[0]])
