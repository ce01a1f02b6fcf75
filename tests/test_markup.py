"""The markup parser: one case per construct, in English, French, Spanish and Chinese."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiate.markup import parse, render
from negotiate.parties import Parties


def nodes(text, kind=None):
    t = parse(text)
    assert render(t.root) == text
    return [n for n in t.walk() if n.kind not in ("root", "text") and (kind is None or n.kind == kind)]


def spans(text, kind, role=None):
    return [text[n.start:n.end] for n in nodes(text, kind) if role is None or n.role == role]


# -- brackets and nesting -------------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("Parties [shall] act.", ["[shall]"]),
    ("[Governments [shall][should] report [every three years]].",
     ["[Governments [shall][should] report [every three years]]", "[shall]", "[should]", "[every three years]"]),
    ("Les Parties [doivent] [agir rapidement].", ["[doivent]", "[agir rapidement]"]),
    ("Las Partes [deberán] informar [cada tres años].", ["[deberán]", "[cada tres años]"]),
    ("各国政府［应］报告。", ["［应］"]),
    ("各国政府【应】报告。", ["【应】"]),
    ("[[[deep]]]", ["[[[deep]]]", "[[deep]]", "[deep]"]),
    ("no brackets at all", []),
    ("[]", ["[]"]),
    ("[a] [b]", ["[a]", "[b]"]),
])
def test_brackets_found(text, expected):
    assert spans(text, "bracket") == expected


@pytest.mark.parametrize("text,depth", [("[x]", 1), ("[a [b [c]]]", 3), ("x", 0), ("[a][b]", 1), ("［a【b】］", 2)])
def test_depth(text, depth):
    assert max((n.depth for n in nodes(text, "bracket")), default=0) == depth


# -- alternative sets ---------------------------------------------------------------------------
@pytest.mark.parametrize("text,sets", [
    ("Parties [shall][should][may] report.", ["[shall][should][may]"]),
    ("Les Parties [doivent][devraient] agir.", ["[doivent][devraient]"]),
    ("Las Partes [deberán][deberían] actuar.", ["[deberán][deberían]"]),
    ("各国政府[应][宜]报告。", ["[应][宜]"]),
    ("各国政府［应］［宜］报告。", ["［应］［宜］"]),
    ("[shall] [should]", []),                    # a space: two separate brackets
    ("[NDMCs*1][INDC]", ["[NDMCs*1][INDC]"]),
    ("[a [x][y]] [b]", ["[x][y]"]),
])
def test_alternative_sets(text, sets):
    assert spans(text, "altset") == sets


@pytest.mark.parametrize("text,options", [
    ("Parties [shall/should] report.", ["shall", "should"]),
    ("Les Parties [doivent/devraient] agir.", ["doivent", "devraient"]),
    ("[developed/developing] countries", ["developed", "developing"]),
    ("[may/shall/must]", ["may", "shall", "must"]),
])
def test_slash_options(text, options):
    b = [n for n in nodes(text, "bracket") if n.role == "slash"]
    assert len(b) == 1
    assert [text[s:e] for s, e in b[0].options] == options


@pytest.mark.parametrize("text", [
    "[G77/China proposal]", "[and/or]", "[decision 1/CP.21]", "[FCCC/CP/2015/L.9/Rev.1]", "[1/2 of the Parties]",
    "[his/her]", "[as set out in the long text of this paragraph/and another long clause here]", "[y/o]",
])
def test_slashes_that_are_not_options(text):
    assert not [n for n in nodes(text, "bracket") if n.role == "slash"]


# -- placeholders, no-text, notes, deletions ----------------------------------------------------------
@pytest.mark.parametrize("text", ["[...]", "[…]", "[X]", "[XX]", "[20XX]", "[Placeholder: targets]",
                                  "[Placeholder for article 3.8 and 3.9]", "[*Placeholder* for \"climate finance\"]",
                                  "[Reserved]", "[TBD]"])
def test_placeholders(text):
    assert [n.role for n in nodes(text, "bracket")] == ["placeholder"]


@pytest.mark.parametrize("text", ["[No text]", "[no text]", "[Delete paragraph]", "[Pas de texte]", "[Sin texto]",
                                  "[无案文]", "[{No text required}]", "[NT]"])
def test_no_text_options(text):
    assert [n.role for n in nodes(text, "bracket")] == ["no-text"]


@pytest.mark.parametrize("text", ["[Co-facilitators' note: to be discussed.]", "[Co-facilitators’ note: x]",
                                  "[Note by the secretariat: x]", "[Chair's note: x]", "[Note: x]"])
def test_notes(text):
    assert [n.role for n in nodes(text, "bracket")] == ["note"]


def test_deletion_proposal():
    text = "Parties [shall act promptly] (delete: EU) and report."
    a = nodes(text, "attribution")
    assert len(a) == 1 and a[0].role == "delete" and a[0].parties == [("EU", "proposed")]


# -- attributions --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,parties", [
    ("[text] (EU)", [("EU", "proposed")]),
    ("[text] (EU, Norway)", [("EU", "proposed"), ("Norway", "proposed")]),
    ("[text](Canada)", [("Canada", "proposed")]),
    ("[text] (proposed by Canada; supported by Norway)", [("Canada", "proposed"), ("Norway", "supported")]),
    ("[text] (G77/China; opposed by EU, Japan)", [("G77/China", "proposed"), ("EU", "opposed"), ("Japan", "opposed")]),
    ("[texte] (Union européenne)", None),
    ("[texte] (proposé par le Canada)", [("Canada", "proposed")]),
    ("[texto] (propuesto por México)", [("México", "proposed")]),
    ("[shall][should] (African Group)", [("African Group", "proposed")]),
    ("The whole paragraph. (Canada, Norway)", [("Canada", "proposed"), ("Norway", "proposed")]),
    ("Text ending with (Brazil).", [("Brazil", "proposed")]),
    ("[EU: the proposal text]", [("EU", "proposed")]),
    ("[African Group: texte proposé]", [("African Group", "proposed")]),
    ("[Friends of the Ocean: x]", [("Friends of the Ocean", "proposed")]),
    ("[Placeholder: targets]", None),
    ("[Option 1: x]", None),
    ("[text] (see paragraph 12)", None),
    ("[text] (delete, move to Agreement as modified)", []),
])
def test_attributions(text, parties):
    got = [p for n in nodes(text) for p in n.parties]
    assert got == (parties or [])


def test_attribution_configurable_party_list():
    custom = Parties(names=("Atlantis",))
    t = parse("[text] (Atlantis)", parties=custom)
    assert [n.parties for n in t.walk() if n.kind == "attribution"] == [[("Atlantis", "proposed")]]
    t = parse("[text] (EU)", parties=custom)
    assert not [n for n in t.walk() if n.kind == "attribution"]


# -- errors -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,kind,offset", [
    ("stray ] here", "stray", 6),
    ("a [b】 c", "mismatch", 4),
    ("［中文]", "mismatch", 3),
])
def test_problems(text, kind, offset):
    t = parse(text)
    assert [(p.kind, p.offset) for p in t.problems] == [(kind, offset)]
    assert render(t.root) == text


def test_unclosed_left_open():
    t = parse("open [here and [there]")
    assert t.left_open == [("[", 5)]
    assert render(t.root) == "open [here and [there]"


def test_carried_brackets_close_in_a_later_block():
    t = parse("(b) last item.]", carried=["["])
    assert not t.problems and t.left_open == [] and t.closed_carried == 1
    assert render(t.root) == "(b) last item.]"


def test_markdown_footnote_marks_are_not_brackets():
    assert spans("[NDMCs[^1]][INDC] text[^5]", "bracket") == ["[NDMCs[^1]]", "[INDC]"]


def test_ten_thousand_levels_do_not_recurse():
    text = "[" * 10_000 + "core" + "]" * 10_000
    t = parse(text)
    assert render(t.root) == text
    assert max(n.depth for n in t.walk()) == 10_000
    assert not t.problems


def test_megabyte_paragraph():
    text = ("Parties [shall][should] report [every [three] years] (EU). " * 17000)[:1_000_000]
    t = parse(text)
    assert render(t.root) == text


# -- lossless, as a property ----------------------------------------------------------------------------
PIECES = st.sampled_from(["[", "]", "［", "］", "【", "】", "[shall]", "[should]", "/", "(EU)", "(EU, Norway)",
                          " (proposed by Canada; supported by Norway)", "[X]", "[^3]", "text ", "Parties ", "应",
                          "(delete)", "[EU: ", "G77/China", "[No text]", "\n", " ", ".", "[Co-facilitators' note: "])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_render_is_lossless(text):
    t = parse(text)
    assert render(t.root) == text
    for n in t.walk():
        if n.kind != "root":
            assert 0 <= n.start <= n.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_render_is_lossless_on_any_text(text):
    assert render(parse(text).root) == text
