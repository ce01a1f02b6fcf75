"""The bundled corpora: each version reads the same from .txt and .docx."""

import pytest

from negotiate import read

from .conftest import CORPORA

VERSIONS = ["framework-v1-compilation", "framework-v2-streamlined", "framework-v3-revised",
            "zh-framework-v1", "zh-framework-v2"]


def _blocks(doc):
    return [(b.label, " ".join(b.text.split()), b.path, b.kind) for b in doc.blocks if b.kind != "footnote"]


@pytest.mark.parametrize("name", VERSIONS)
def test_txt_and_docx_agree(name):
    t = read(CORPORA / f"{name}.txt")
    d = read(CORPORA / f"{name}.docx")
    assert _blocks(t) == _blocks(d)
    assert t.symbol and t.symbol == d.symbol
    assert t.language == d.language == ("zh" if name.startswith("zh") else "en")


def test_english_compilation_is_big_and_rich():
    doc = read(CORPORA / "framework-v1-compilation.docx")
    paras = [b for b in doc.blocks if b.kind in ("paragraph", "subparagraph")]
    assert len(paras) >= 120
    labels = {b.label for b in doc.blocks}
    assert {"I.", "IX.", "A.", "(a)", "(i)", "7 bis.", "Alt 1", "Alt 2"} <= labels
    assert any(b.kind == "note" for b in doc.blocks)
    assert any(b.kind == "footnote" for b in doc.blocks)
    assert any(m.kind == "bold" for b in doc.blocks for m in b.marks)
    assert sum(b.text.count("[") for b in doc.blocks) > 100
    annex = [b for b in doc.blocks if b.path[:1] == ("Annex",)]
    assert annex and annex[2].label == "1."   # the annex restarts its numbering


def test_versions_are_successive_drafts():
    counts = [sum(b.text.count("[") for b in read(CORPORA / f"{v}.txt").blocks) for v in VERSIONS[:3]]
    assert counts[0] > counts[1] > counts[2] > 0


def test_party_inputs_carry_tracked_changes_by_delegations():
    doc = read(CORPORA / "framework-v2-party-inputs.docx", revisions="markup")
    authors = {r.author for b in doc.blocks for r in b.revisions}
    assert {"European Union", "G77 and China", "Canada"} <= authors
    kinds = {r.kind for b in doc.blocks for r in b.revisions}
    assert kinds == {"ins", "del"}
    base = read(CORPORA / "framework-v2-streamlined.txt")
    reject = read(CORPORA / "framework-v2-party-inputs.docx", revisions="reject")
    # Rejecting every proposal gives back the streamlined text.
    assert _blocks(reject) == _blocks(base)


def test_chinese_numbering():
    doc = read(CORPORA / "zh-framework-v1.docx")
    labels = [b.label for b in doc.blocks]
    assert "一、" in labels and "(一)" in labels and "1." in labels and "(a)" in labels
    sub = next(b for b in doc.blocks if b.label == "(a)")
    assert len(sub.path) >= 3


def test_corpora_are_reproducible(tmp_path, monkeypatch):
    """build.py writes exactly the files in the repository."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("corpora_build", CORPORA / "build.py")
    mod = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(__import__("sys").modules, "corpora_build", mod)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "HERE", tmp_path)
    mod.main()
    for name in VERSIONS:
        assert (tmp_path / f"{name}.txt").read_bytes() == (CORPORA / f"{name}.txt").read_bytes()
        assert (tmp_path / f"{name}.docx").read_bytes() == (CORPORA / f"{name}.docx").read_bytes()
