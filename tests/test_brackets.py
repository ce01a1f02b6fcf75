import json
import subprocess
import sys

from negotiate import read
from negotiate.brackets import analyse, excerpt
from negotiate.export.wordml import DocxWriter, Para, Run, paragraph_levels

from .conftest import CORPORA, realtext, write_doc


def doc_of(tmp_path, text, name="d.txt"):
    return write_doc(tmp_path, name, text)


def cli(*args):
    return subprocess.run([sys.executable, "-m", "negotiate", *args], capture_output=True, text=True)


TEXT = """I. Scope

1. Parties [shall][should] report [every [three] years].

2. [The whole paragraph is disputed.] (EU, Norway)

3. Chapeau [text:

(a) first item;

(b) last item.]

4. Stray ] here.

5. Unbalanced [there. [X] and [Placeholder: targets].

Alt 1 Other text for paragraph 5.

Alt 2 [No text]
"""


def test_counts_per_block_and_totals(tmp_path):
    r = analyse(doc_of(tmp_path, TEXT))
    by = {b.label: b for b in r.blocks}
    assert (by["1."].brackets, by["1."].max_depth, by["1."].alternative_sets) == (4, 2, 1)
    assert by["2."].fully_bracketed and by["2."].parties == ["EU", "Norway"]
    assert not by["1."].fully_bracketed
    assert by["3."].brackets == 1          # opened in the chapeau, closed after (b)
    assert by["(b)"].brackets == 0 and by["(a)"].max_depth == 1
    assert by["5."].brackets == 2
    t = r.totals()
    assert t == {"brackets": 9, "max_depth": 2, "alternative_sets": 1, "placeholders": 2,
                 "bracketed_blocks": 6, "errors": 2}   # a stray ']' alone brackets nothing


def test_errors_located_by_line_column_and_label(tmp_path):
    d = doc_of(tmp_path, TEXT)
    r = analyse(d)
    got = [(e.label, e.line, e.column, e.message) for e in r.errors]
    assert got == [("4.", 13, 10, "']' closes nothing"), ("5.", 15, 15, "'[' is never closed")]
    assert excerpt(d, r.errors[0]).splitlines()[1].index("^") == excerpt(d, r.errors[0]).splitlines()[0].index("]")
    assert r.spans == []


def test_brackets_read_in_order_across_paragraphs(tmp_path):
    """A bracket opened in one paragraph may close in a later one (the official
    4 Dec 2015 compilation does this 18 times): a pair, listed as a span, not two errors."""
    text = "1. Parties [shall report.\n\n2. Every two years] as agreed.\n\n3. [Chapeau:\n\n(a) item.]\n"
    r = analyse(doc_of(tmp_path, text))
    assert r.errors == [] and r.totals()["brackets"] == 2
    assert [(s.open_label, s.open_line, s.open_column, s.close_label, s.close_line, s.close_column)
            for s in r.spans] == [("1.", 1, 12, "2.", 3, 19)]   # the chapeau's bracket is the usual kind


def test_footnotes_are_read_on_their_own(tmp_path):
    """A footnote neither closes nor opens body brackets."""
    text = "1. Parties [shall[^1] report.\n\n2. Every two years] as agreed.\n\n[^1]: A note ] with a stray.\n"
    r = analyse(doc_of(tmp_path, text, "d.md"))
    assert [(r.document.blocks[e.index].kind, e.line, e.message) for e in r.errors] == [
        ("footnote", 5, "']' closes nothing")]
    assert r.totals()["brackets"] == 1


def test_paragraph_alternatives_grouped(tmp_path):
    r = analyse(doc_of(tmp_path, TEXT))
    g = r.groups
    assert len(g) == 1
    assert r.document.blocks[g[0].base].label == "5."
    assert [r.document.blocks[i].label for i in g[0].alternatives] == ["Alt 1", "Alt 2"]


def test_standalone_options_group_without_base(tmp_path):
    d = doc_of(tmp_path, "## Article 2\n\n**Option 1:**\n\n1. Text.\n\n**Option 2:** No text\n", name="a.md")
    g = analyse(d).groups
    assert len(g) == 1 and g[0].base is None and len(g[0].alternatives) == 2


def test_chinese_and_french_documents(tmp_path):
    r = analyse(doc_of(tmp_path, "一、总则\n\n1. 各国政府[应][宜]报告［每三年］。\n\n2. 【未闭合\n"))
    assert r.totals()["brackets"] == 3 and r.totals()["alternative_sets"] == 1
    assert [(e.label, e.column) for e in r.errors] == [("2.", 4)]
    r = analyse(doc_of(tmp_path, "1. Les Parties [doivent][devraient] agir (Union européenne, Canada).\n"))
    assert r.blocks[0].alternative_sets == 1


def _proposals_docx(tmp_path):
    w = DocxWriter()
    n = w.numbering(paragraph_levels())
    w.add(Para([Run("Parties "), Run("[should]", bold=True), Run(" (EU) report "),
                Run("every year", strike=True), Run(" (G77/China).")], num=(n, 0)))
    w.add(Para([Run("Governments "), Run("shall", ins=("Canada", "2026-01-01T00:00:00Z")),
                Run("may", delete=("Brazil", "2026-01-01T00:00:00Z")), Run(" act.")], num=(n, 0)))
    p = tmp_path / "prop.docx"
    w.save(p)
    return p


def test_docx_bold_strike_and_tracked_changes_are_proposals(tmp_path):
    p = _proposals_docx(tmp_path)
    r = analyse(read(p, revisions="markup"))
    b0 = r.blocks[0]
    assert [(x.kind, x.text, x.parties, x.source) for x in b0.proposals if x.source in ("bold", "strike")] == [
        ("add", "[should]", ["EU"], "bold"), ("delete", "every year", ["G77/China"], "strike")]
    assert {"EU", "G77/China"} <= set(b0.parties)
    b1 = r.blocks[1]
    assert [(x.kind, x.text, x.parties) for x in b1.proposals] == [("add", "shall", ["Canada"]), ("delete", "may", ["Brazil"])]
    assert b1.parties == ["Canada", "Brazil"]


def test_cli_json_contract_and_exit_codes(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text(TEXT, encoding="utf-8")
    res = cli("brackets", str(p), "--format", "json")
    assert res.returncode == 1
    data = json.loads(res.stdout)
    assert set(data) == {"totals", "blocks", "errors", "spans"}
    assert set(data["totals"]) == {"brackets", "max_depth", "alternative_sets", "placeholders", "bracketed_blocks", "errors"}
    assert list(data["blocks"][0]) == ["index", "label", "brackets", "max_depth", "alternative_sets", "fully_bracketed", "parties"]
    assert data["errors"][1] == {"index": 7, "label": "5.", "line": 15, "column": 15, "message": "'[' is never closed"}
    assert f"{p}:15:15: paragraph 5.: '[' is never closed" in res.stderr
    assert data["spans"] == []
    ok = cli("brackets", str(CORPORA / "framework-v1-compilation.txt"))
    assert ok.returncode == 0 and "282 brackets" in ok.stdout
    bad = cli("brackets", str(tmp_path / "missing.txt"))
    assert bad.returncode == 2 and bad.stderr.startswith("negotiate: error:")


def test_text_output_has_caret_excerpts(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text(TEXT, encoding="utf-8")
    res = cli("brackets", str(p))
    lines = res.stderr.splitlines()
    i = next(k for k, l in enumerate(lines) if "closes nothing" in l)
    assert lines[i + 2].strip() == "^"
    assert lines[i + 1][lines[i + 2].index("^")] == "]"


def test_versions_table_falls(tmp_path):
    files = [str(CORPORA / f"framework-v{v}.txt") for v in ("1-compilation", "2-streamlined", "3-revised")]
    res = cli("brackets", *files, "--format", "json")
    assert res.returncode == 0
    data = json.loads(res.stdout)
    total = data["sections"][-1]
    assert total["section"] == "total"
    assert total["brackets"][0] > total["brackets"][1] > total["brackets"][2]
    assert [v["totals"]["brackets"] for v in data["versions"]] == total["brackets"]
    names = [s["section"] for s in data["sections"]]
    assert "II Vision" in names
    table = cli("brackets", *files).stdout
    assert table.splitlines()[0].split()[:2] == ["section", "framework-v1-compilation.txt"]


def test_corpora_have_no_bracket_errors():
    for name in ("framework-v1-compilation.docx", "framework-v2-party-inputs.docx", "zh-framework-v1.txt"):
        assert analyse(read(CORPORA / name)).errors == []


def test_real_paris_drafts():
    """Every bracketed Paris transcription has a few more ']' than '[': each is reported, with its place."""
    for rel, lo, hi in [("paris2015/agreement-4-dec-2015.md", 950, 1055), ("paris2015/agreement-9-dec-2015.md", 200, 220)]:
        d = read(realtext(rel))
        r = analyse(d)
        t = r.totals()
        assert lo <= t["brackets"] <= hi
        assert 0 < t["errors"] < 40
        opens, closes = d.text.count("["), d.text.count("]")
        md_marks = sum(1 for b in d.blocks for _ in __import__("re").finditer(r"\[\^[^\]\s\[]+\]", b.marker + b.label + b.text))
        stray = sum(1 for e in r.errors if "closes nothing" in e.message)
        unclosed = sum(1 for e in r.errors if "never closed" in e.message)
        # Every bracket character is in a pair, is a footnote mark, or is reported.
        assert opens - md_marks == t["brackets"] + unclosed
        assert closes - md_marks == t["brackets"] + stray
        for e in r.errors:
            line = d.text.splitlines()[e.line - 1]
            assert line[e.column - 1] in "[]"
    assert analyse(read(realtext("paris2015/agreement-12-dec-2015.md"))).totals()["brackets"] == 0


def test_cli_party_file(tmp_path):
    p = tmp_path / "t.txt"
    p.write_text("1. [text] (Atlantis)\n", encoding="utf-8")
    plist = tmp_path / "parties.txt"
    plist.write_text("# our list\nAtlantis\n", encoding="utf-8")
    without = json.loads(cli("brackets", str(p), "--format", "json").stdout)
    assert without["blocks"][0]["parties"] == []
    with_ = json.loads(cli("brackets", str(p), "--format", "json", "--parties", str(plist)).stdout)
    assert with_["blocks"][0]["parties"] == ["Atlantis"]
    p.write_text("1. [text] (EU)\n", encoding="utf-8")
    only = json.loads(cli("brackets", str(p), "--format", "json", "--parties", str(plist), "--only-listed").stdout)
    assert only["blocks"][0]["parties"] == []


# -- issue 14: linear on a million brackets --------------------------------------------------

def test_a_run_of_stray_closers_is_one_text_node_and_every_error_is_kept(tmp_path):
    from negotiate import markup

    from .conftest import write_doc
    n = 200_000
    t = markup.parse("x" + "]" * n + "y")
    assert [c.kind for c in t.root.children] == ["text"] and markup.render(t.root) == "x" + "]" * n + "y"
    assert len(t.problems) == n
    doc = write_doc(tmp_path, "s.txt", "1. " + "]" * n + "\n")
    r = analyse(doc)
    assert len(r.errors) == n and r.errors[-1].column == 3 + n


def test_deeply_nested_brackets_are_classified_from_how_they_begin():
    from negotiate import markup
    n = 50_000
    t = markup.parse("[Co-facilitators' note: " * 1 + "[" * n + "x" + "]" * (n + 1))
    assert not t.problems
    outer = t.root.children[0]
    assert outer.role == "note"
    assert markup.render(t.root).count("[") == n + 1


def test_cli_text_listing_of_errors_is_capped(tmp_path, capsys):
    from negotiate.cli import main
    p = tmp_path / "many.txt"
    p.write_text("1. " + "]" * 1500 + "\n", encoding="utf-8")
    assert main(["brackets", str(p)]) == 1
    err = capsys.readouterr().err
    assert err.count("closes nothing") == 1000
    assert err.rstrip().endswith("… and 500 more bracket errors (all listed by --format json)")
