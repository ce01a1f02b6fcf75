"""The model holds every result type (issue #16): plain dataclasses importing nothing
else of ours, the same classes under their old import paths; JSON built by contracts."""
import ast
import dataclasses
import subprocess
import sys

import pytest

import negotiate
from negotiate import contracts, model
from negotiate.errors import NegotiateError

from .conftest import CORPORA, ROOT

MOVED = {"align": ["Link", "Alignment", "OPS"], "compare": ["Change", "PairDiff", "Comparison", "CLASSES", "PARA_SEP",
                                                            "summarize"],
         "trace": ["Step", "Chain"], "markup": ["Node", "Problem", "Tree"],
         "brackets": ["BracketError", "Proposal", "BlockBrackets", "AlternativeGroup", "Span", "Report"],
         "consolidate": ["Option", "Segment", "Unit", "Consolidated"], "suggest": ["Candidate"]}


def test_model_imports_nothing_of_ours():
    tree = ast.parse((ROOT / "negotiate" / "model.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith("negotiate"), ast.dump(node)
        elif isinstance(node, ast.Import):
            assert not any(a.name.startswith("negotiate") for a in node.names)


@pytest.mark.parametrize("module", sorted(MOVED))
def test_the_old_import_paths_give_the_models_types(module):
    import importlib
    m = importlib.import_module(f"negotiate.{module}")
    for name in MOVED[module]:
        assert getattr(m, name) is getattr(model, name), f"negotiate.{module}.{name}"
        if isinstance(getattr(model, name), type) and name not in ("Node", "Problem", "BracketError"):
            assert dataclasses.is_dataclass(getattr(model, name))


def test_consolidate_moved_names_still_resolve():
    from negotiate import consolidate as cs
    from negotiate.export import consolidated as ec
    from negotiate.ingest import revisions
    assert cs.render_text is ec.render_text and cs.Style is ec.Style and cs.render_unit is ec.render_unit
    assert cs.to_json is contracts.consolidated_json and cs.load is contracts.load_consolidated
    assert cs.from_json is contracts.consolidated_from_json
    assert cs.proposals_from_revisions is revisions.proposals_from_revisions
    with pytest.raises(AttributeError):
        _ = cs.no_such_name


def test_consolidate_imports_no_exporter():
    code = "import sys, negotiate.consolidate; print(sorted(m for m in sys.modules if m.startswith('negotiate.export')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def _versions():
    return [negotiate.read(CORPORA / f"framework-v{v}.txt") for v in ("1-compilation", "2-streamlined", "3-revised")]


def test_step_diff_is_a_field_and_trace_json_reads_it():
    from negotiate.trace import find, step_diffs
    docs = _versions()
    chains, _ = negotiate.trace(docs)
    hits = find(chains, docs, label="1.")
    assert all(s.diff is None for c in hits for s in c.steps)
    keyed = step_diffs(hits, docs)
    files = [d.path for d in docs]
    assert contracts.trace_json(files, docs, hits) == contracts.trace_json(files, docs, hits, keyed)
    steps = [s for c in hits for s in c.steps[1:] if s.blocks]
    assert steps and all(s.diff == keyed[(id(c), s.version)] for c in hits for s in c.steps[1:] if s.blocks)


def test_export_json_names_every_contract():
    from negotiate.export import json as nj
    for name in ("parse", "brackets", "align", "trace", "compare", "consolidate", "suggest", "parity", "precedents",
                 "library"):
        assert callable(getattr(nj, name)), name
    assert nj.parity is contracts.parity_json and nj.precedents is contracts.precedents_json
    assert nj.library is contracts.library_json


def test_library_errors_name_no_cli_flag_and_carry_a_reason():
    from negotiate.consolidate import check_parties
    with pytest.raises(NegotiateError) as e:
        check_parties("base.txt", 2, ["EU"])
    assert e.value.reason == "party-count" and "--" not in e.value.message
    with pytest.raises(NegotiateError) as e:
        check_parties("base.txt", 1, [" "])
    assert e.value.reason == "party-empty" and "--" not in e.value.message
    src = "".join((ROOT / "negotiate" / f).read_text(encoding="utf-8")
                  for f in ("consolidate.py", "ingest/pdf.py", "ingest/ocr.py"))
    assert "--ocr" not in src and "--party" not in src


def test_the_cli_adds_its_own_fix(capsys):
    from negotiate.cli import _error_line, main
    assert _error_line(NegotiateError("scan.pdf", "the PDF has no text layer (a scan?)", reason="needs-ocr")) == \
        "negotiate: error: scan.pdf: the PDF has no text layer (a scan?); use --ocr"
    v = [str(CORPORA / f"framework-v{x}.txt") for x in ("1-compilation", "2-streamlined")]
    assert main(["consolidate", *v, "--party", "", "-o", "x.json"]) == 2
    assert capsys.readouterr().err.strip().endswith(": a --party name is empty")


def test_the_shared_empty_list_refuses_to_change_and_adds_into_a_new_list():
    from negotiate.model import EMPTY
    for change in (lambda e: e.append(1), lambda e: e.extend([1]), lambda e: e.insert(0, 1),
                   lambda e: e.__iadd__([1]), lambda e: e.__setitem__(slice(0, 0), [1]), lambda e: e.sort()):
        with pytest.raises(TypeError):
            change(EMPTY)
    got = EMPTY + [1]
    assert got == [1] and type(got) is list and EMPTY == []
