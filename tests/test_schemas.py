"""The JSON contracts against their JSON Schemas (issue #16): the CLI's output
on the corpora and on the real texts validates; a damaged value does not;
added fields are allowed; the library's contract functions give what the CLI prints."""
import copy
import functools
import json
from importlib.resources import files

import jsonschema
import pytest

from negotiate import contracts
from negotiate.cli import main
from negotiate.export import json as nj

from .conftest import CORPORA, REALTEXTS

V = [str(CORPORA / n) for n in ("framework-v1-compilation.txt", "framework-v2-streamlined.txt", "framework-v3-revised.txt")]
PARIS = [str(REALTEXTS / "paris2015" / f"agreement-{d}.md") for d in ("23-oct-2015", "4-dec-2015", "9-dec-2015", "12-dec-2015")]


@functools.cache
def validator(name):
    s = contracts.schema(name)
    jsonschema.Draft202012Validator.check_schema(s)
    return jsonschema.Draft202012Validator(s)


def cli_json(capsys, *argv):
    rc = main(list(argv))
    out = capsys.readouterr().out
    assert rc in (0, 1), argv
    return json.loads(out)


def check(name, data):
    error = jsonschema.exceptions.best_match(validator(name).iter_errors(data))
    assert error is None, f"{name}: {error.message} at {list(error.path)}"


def test_every_contract_has_a_valid_schema_shipped_in_the_package():
    shipped = sorted(p.name for p in files("negotiate").joinpath("schemas").iterdir())
    assert shipped == sorted(f"{n}.json" for n in contracts.SCHEMAS)
    assert set(contracts.SCHEMAS) == {"parse", "brackets", "align", "compare", "trace", "consolidate", "suggest"}
    for name in contracts.SCHEMAS:
        validator(name)
    with pytest.raises(KeyError):
        contracts.schema("nothing")


def real_files():
    if not REALTEXTS.is_dir():
        pytest.skip("../shared/realtexts is not present on this machine")
    # The Chinese BBNJ PDF's text layer is refused (broken fonts): no JSON to check.
    return sorted(p for p in REALTEXTS.rglob("*") if p.suffix in (".txt", ".md", ".docx", ".pdf")
                  and p.name not in ("bbnj-agreement-2023-zh.pdf", "MANIFEST.md"))


def test_parse_and_brackets_json_validate_on_the_corpora_and_the_real_texts(capsys):
    paths = sorted(p for p in CORPORA.iterdir() if p.suffix in (".txt", ".docx")) + real_files()
    assert len(paths) > 25
    for p in paths:
        check("parse", cli_json(capsys, "parse", str(p), "--format", "json"))
    # brackets on one of each kind (the analysis reads what parse read)
    for p in [*sorted(CORPORA.glob("*.docx")), *(REALTEXTS / r for r in (
            "paris2015/adp-compilation-4-dec-2015.pdf", "paris2015/agreement-4-dec-2015.md", "bbnj/bbnj-agreement-2023-zh.txt",
            "art6-2-cop29/art6-2-sbsta-draft-decision-1st-iteration-2024-11-14.docx"))]:
        check("brackets", cli_json(capsys, "brackets", str(p), "--format", "json"))
    for p in (CORPORA / "framework-v2-party-inputs.docx", REALTEXTS / "art6-2-cop29" / "art6-2-cma-draft-decision-party-inputs.docx"):
        data = cli_json(capsys, "parse", str(p), "--format", "json", "--revisions", "markup")
        assert any("revisions" in b for b in data["blocks"])
        check("parse", data)
    check("brackets", cli_json(capsys, "brackets", *PARIS, "--format", "json"))
    check("brackets", cli_json(capsys, "brackets", *V, "--format", "json"))


def test_align_compare_and_trace_json_validate(capsys, tmp_path):
    real_files()
    pairs = [(V[0], V[1]), (str(CORPORA / "zh-framework-v1.docx"), str(CORPORA / "zh-framework-v2.docx")),
             (PARIS[2], PARIS[3]),
             (str(REALTEXTS / "art6-2-cop29" / "art6-2-sbsta-draft-decision-1st-iteration-2024-11-14.docx"),
              str(REALTEXTS / "art6-2-cop29" / "art6-2-cma-draft-decision-party-inputs.docx"))]
    for k, (a, b) in enumerate(pairs):
        check("align", cli_json(capsys, "align", a, b, "--format", "json"))
        if k == 3:      # the Article 6.2 pair: align only (its compare is the slowest here, and the same shape)
            continue
        out = tmp_path / f"c{k}.json"
        assert main(["compare", a, b, "-o", str(out)]) == 0
        assert capsys.readouterr().out.startswith(f"{out}: JSON; paragraphs: ")
        check("compare", json.loads(out.read_text(encoding="utf-8")))
    capsys.readouterr()
    for argv in ([*V, "--label", "1."], [*V, "--search", "stakeholders"],
                 [*PARIS, "--search", "This Agreement, in enhancing the implementation"]):
        data = cli_json(capsys, "trace", *argv, "--format", "json")
        assert any(s["diff"] for c in data["chains"] for s in c["steps"])
        check("trace", data)


def test_the_library_builds_the_trace_json_the_cli_prints(capsys):
    import negotiate
    docs = [negotiate.read(f) for f in V]
    chains, _ = negotiate.trace(docs)
    hits = negotiate.trace.find(chains, docs, search="stakeholders")
    assert nj.trace(V, docs, hits) == cli_json(capsys, "trace", *V, "--search", "stakeholders", "--format", "json")


def test_consolidate_and_suggest_json_validate(capsys, tmp_path):
    import negotiate
    for k, argv in enumerate(([V[0], V[1], V[2], "--party", "EU", "--party", "G77/China"],
                              [str(CORPORA / "framework-v2-party-inputs.docx")])):
        out = tmp_path / f"cons{k}.json"
        assert main(["consolidate", *argv, "-o", str(out)]) == 0
        capsys.readouterr()
        data = json.loads(out.read_text(encoding="utf-8"))
        check("consolidate", data)
        sugg = cli_json(capsys, "suggest", str(out), "--format", "json")
        assert sugg["suggestions"]
        check("suggest", sugg)
        # the library's contract function gives exactly what the CLI prints
        c = negotiate.consolidate.load(str(out))
        assert contracts.suggest_json(c, negotiate.suggest(c)) == sugg
    base, eu, g77 = (negotiate.read(f) for f in V)
    c = negotiate.consolidate(base, [eu, g77], ["EU", "G77/China"])
    assert nj.consolidate(c) == json.loads((tmp_path / "cons0.json").read_text(encoding="utf-8"))


def test_a_damaged_value_is_refused_and_an_added_field_allowed(capsys):
    data = cli_json(capsys, "parse", V[0], "--format", "json")
    nj.validate(data, "parse")
    grown = copy.deepcopy(data)
    grown["document"]["pages"] = 3
    grown["blocks"][0]["new_field"] = {"anything": True}
    grown["added"] = []
    nj.validate(grown, "parse")
    for damage in (lambda d: d.pop("blocks"), lambda d: d["blocks"][0].pop("label"),
                   lambda d: d["blocks"][0].update(start="0"), lambda d: d["document"].update(revisions="maybe"),
                   lambda d: d["blocks"][1].update(path="I/1")):
        broken = copy.deepcopy(data)
        damage(broken)
        with pytest.raises(jsonschema.ValidationError):
            nj.validate(broken, "parse")
    cmp = json.loads(json.dumps({"pairs": [{"op": "renamed"}]}))
    assert list(validator("compare").iter_errors(cmp))
