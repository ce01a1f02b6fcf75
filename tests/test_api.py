"""The public API (issue #16): every stage importable from the package top,
imported lazily, documented and annotated; readers found through a registry."""
import inspect
import subprocess
import sys

import pytest

import negotiate
from negotiate import ingest

from .conftest import CORPORA, ROOT

V1, V2 = CORPORA / "framework-v1-compilation.txt", CORPORA / "framework-v2-streamlined.txt"
STAGES = ["read", "brackets", "align", "trace", "compare", "consolidate", "resolve", "suggest", "parity", "precedents"]


def test_import_negotiate_imports_no_stage_and_no_heavy_dependency():
    code = ("import sys, negotiate; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('negotiate') or m.split('.')[0] in "
            "('numpy', 'lxml', 'spacy', 'rapidfuzz', 'docx', 'pypdfium2', 'streamlit', 'diff_match_patch'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()
    assert out == ["negotiate"]


def test_every_stage_is_a_documented_callable_at_the_top():
    for name in STAGES:
        f = getattr(negotiate, name)
        assert callable(f), name
        assert name in negotiate.__all__
    for name in ("export", "Document", "Block", "NegotiateError", "__version__"):
        assert name in negotiate.__all__ and getattr(negotiate, name) is not None


def test_calling_a_stage_module_calls_its_stage_and_the_module_stays_a_module():
    from negotiate.align import Options, align
    from negotiate.brackets import analyse
    old, new = negotiate.read(V1), negotiate.read(V2)
    assert negotiate.align(old, new, Options()) == align(old, new)
    assert negotiate.brackets(old).totals() == analyse(old).totals()
    assert inspect.signature(negotiate.align) == inspect.signature(align)
    assert inspect.signature(negotiate.consolidate).parameters.keys() >= {"base", "proposals", "parties"}
    # the old spellings keep working
    from negotiate import consolidate as cs
    assert cs.build is negotiate.consolidate.build and negotiate.resolve is cs.resolve
    chains, als = negotiate.trace([old, new])
    assert len(als) == 1 and negotiate.trace.find(chains, [old, new], label="1.")
    with pytest.raises(AttributeError):
        negotiate.no_such_thing  # noqa: B018


def test_parity_and_precedents_are_stages_at_the_top(tmp_path):
    from negotiate.parity import parity
    from negotiate.precedents import Library, find
    old, new = negotiate.read(V1), negotiate.read(V2)
    p = negotiate.parity([old, new], ["en", "en"])
    assert [r.blocks for r in p.rows] == [r.blocks for r in parity([old, new], ["en", "en"]).rows]
    assert inspect.signature(negotiate.parity) == inspect.signature(parity)
    assert inspect.signature(negotiate.precedents) == inspect.signature(find)
    lib = Library(tmp_path / "lib")
    try:
        lib.add(old)
        found = negotiate.precedents(new, lib)
        assert found.matches and found.matches == find(new, lib).matches
    finally:
        lib.close()
    # the modules stay modules: their helpers and types are where they were
    assert negotiate.parity.Options and negotiate.precedents.Library is Library
    from negotiate import precedents as pr
    assert pr.find is find and negotiate.precedents.search.find is find


def test_stage_call_in_a_fresh_interpreter_after_internal_imports():
    # compare imports align internally before anyone calls negotiate.align
    # (and the precedents package's own modules import each other before negotiate.precedents is called)
    code = ("import negotiate; from negotiate.compare import compare; from negotiate.precedents.units import units; "
            "d = negotiate.read('corpora/framework-v1-compilation.txt'); "
            "print(type(negotiate.align(d, d)).__name__, type(negotiate.compare(d, d)).__name__, "
            "type(negotiate.parity([d, d])).__name__, type(negotiate.precedents).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.split() == ["Alignment", "Comparison", "Parity", "_Stage"]


def test_exporters_at_the_top(tmp_path):
    old, new = negotiate.read(V1), negotiate.read(V2)
    cmp = negotiate.compare(old, new)
    from negotiate.export import redline
    n = negotiate.export.docx.redline(cmp, tmp_path / "r.docx", author="A", date="2026-01-01T00:00:00Z")
    assert n == redline.count_revisions(redline.build(cmp, "A", "2026-01-01T00:00:00Z")) > 0
    negotiate.export.html.write(cmp, tmp_path / "r.html")
    assert "<ins" in (tmp_path / "r.html").read_text(encoding="utf-8")
    data = negotiate.export.json.compare(cmp)
    negotiate.export.json.write(data, tmp_path / "r.json")
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == negotiate.export.json.dumps(data) + "\n"
    c = negotiate.consolidate(old, [new], ["EU"])
    assert negotiate.export.docx.consolidated(c, tmp_path / "c.docx") == 0
    assert negotiate.export.docx.tracked_proposals(c, tmp_path / "t.docx", date="2026-01-01T00:00:00Z") > 0
    assert negotiate.read(tmp_path / "c.docx").blocks


PUBLIC = {
    "negotiate.ingest": ["read", "register", "formats", "extensions", "format_of"],
    "negotiate.align": ["align"],
    "negotiate.trace": ["trace", "find", "step_diffs"],
    "negotiate.compare": ["compare"],
    "negotiate.brackets": ["analyse", "sections_table"],
    "negotiate.consolidate": ["build", "resolve", "check_parties", "render_text", "to_json", "from_json", "load"],
    "negotiate.suggest": ["suggest"],
    "negotiate.parity": ["parity"],
    "negotiate.precedents": ["find"],
    "negotiate.export.docx": ["redline", "consolidated", "tracked_proposals"],
    "negotiate.export.html": ["render", "write"],
    "negotiate.export.json": ["trace", "dumps", "write", "validate"],
    "negotiate.contracts": ["parse_json", "brackets_json", "brackets_versions_json", "align_json", "trace_json",
                            "compare_json", "consolidated_json", "suggest_json", "parity_json", "precedents_json",
                            "library_json", "schema", "consolidated_from_json", "load_consolidated", "link_json",
                            "bracket_error_json", "block_brackets_json", "span_json"],
    "negotiate.export.consolidated": ["render_unit", "render_text"],
    "negotiate.ingest.revisions": ["proposals_from_revisions"],
}


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_public_functions_have_docstrings_and_full_annotations(module):
    import importlib
    m = importlib.import_module(module)
    for name in PUBLIC[module]:
        f = getattr(m, name)
        assert (f.__doc__ or "").strip(), f"{module}.{name} has no docstring"
        sig = inspect.signature(f)
        missing = [p for p, v in sig.parameters.items() if v.annotation is inspect.Parameter.empty]
        assert not missing, f"{module}.{name}: parameters without a type: {missing}"
        assert sig.return_annotation is not inspect.Signature.empty, f"{module}.{name} has no return type"


def test_the_api_docstrings_examples_run(monkeypatch):
    import doctest
    import importlib
    monkeypatch.chdir(ROOT)
    for module in ("negotiate.ingest", "negotiate.align", "negotiate.compare", "negotiate.trace", "negotiate.brackets",
                   "negotiate.consolidate", "negotiate.suggest", "negotiate.export.json", "negotiate.export.docx",
                   "negotiate.parity", "negotiate.precedents.search"):
        r = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
        assert r.failed == 0, module
    assert r.attempted > 0


# -- the registry of readers -----------------------------------------------------------

def test_registry_lists_the_builtin_formats_once_each():
    assert [f.name for f in ingest.formats()] == ["txt", "md", "html", "docx", "pdf"]
    assert set(ingest.extensions()) == {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf"}
    assert ingest.FORMATS[".markdown"] == "md" and ingest.format_of("A.DOCX") == "docx"


def test_a_registered_format_is_read_everywhere(tmp_path, monkeypatch):
    from negotiate.model import Block, Document
    monkeypatch.setattr(ingest, "_REGISTRY", dict(ingest._REGISTRY))
    monkeypatch.setattr(ingest, "FORMATS", dict(ingest.FORMATS))
    seen = []

    def read_shout(name, data, options):
        seen.append(options)
        text = data.decode().upper()
        return Document(name, "", options.format, "und", text, [Block(0, "paragraph", "", (), text, 0, len(text))])

    ingest.register("shout", [".SHOUT"], read_shout, "test format")
    p = tmp_path / "a.shout"
    p.write_text("1. parties shall report", encoding="utf-8")
    doc = negotiate.read(p, revisions="reject")
    assert doc.text == "1. PARTIES SHALL REPORT" and doc.format == "shout" and doc.revisions_mode == "reject"
    assert seen[0].revisions == "reject" and ".shout" in ingest.extensions()
    from negotiate.cli import main
    assert main(["parse", str(p)]) == 0
    with pytest.raises(ValueError):
        ingest.register("bad", ["odt"], read_shout)


def test_unknown_extension_still_names_every_known_one(tmp_path):
    p = tmp_path / "a.odt"
    p.write_bytes(b"x")
    with pytest.raises(negotiate.NegotiateError) as e:
        negotiate.read(p)
    assert "unknown file type '.odt' (known: .docx, .htm, .html, .markdown, .md, .pdf, .text, .txt)" in str(e.value)


def test_the_app_offers_the_registered_formats():
    from negotiate.web import cache
    src = (ROOT / "negotiate" / "web" / "pages" / "workspace.py").read_text(encoding="utf-8")   # the upload form
    assert "type=cache.upload_types()" in src
    assert set(cache.upload_types()) == {"docx", "pdf", "txt", "text", "md", "markdown", "html", "htm"}
    assert {p.suffix for p in cache.corpus_files()} <= set(ingest.extensions())
    assert "README.md" not in {p.name for p in cache.corpus_files()}
