"""views.py: delegations' views noted in comments → who said what, where."""
from types import SimpleNamespace

from negotiate.model import Comment
from negotiate.views import views

from .conftest import realtext


def _doc(*texts):
    return SimpleNamespace(comments=[Comment(id=str(i), author="Note Taker", date="2026-11-16", text=t, anchor="word", block=i)
                                     for i, t in enumerate(texts)])


def test_each_line_names_its_delegations_and_says_what_kind():
    vs = views(_doc("U.S, Canada, Japan: Delete the recalling paras\nEU: As a reminder, recalling paras may be needed",
                    "16 November – IC\nUK, CFRN – “shall”\nUS – “should”",
                    "Pakistan\nInconsistency is not acceptable",
                    "Ailac to be deleted.",
                    "Missing cross-referencing to underlying documentation"))
    got = [(v.parties, v.kind, v.wording, v.meeting) for v in vs]
    assert got == [(("US", "Canada", "Japan"), "delete", "", ""),
                   (("EU",), "view", "", ""),
                   (("UK", "CfRN"), "wording", "shall", "16 November – IC"),
                   (("US",), "wording", "should", "16 November – IC"),
                   (("Pakistan",), "objection", "", ""),
                   (("AILAC",), "delete", "", ""),
                   ((), "view", "", "")]
    assert vs[0].text == "Delete the recalling paras" and vs[4].text == "Inconsistency is not acceptable"
    assert [v.block for v in vs] == [0, 0, 1, 1, 2, 3, 4] and vs[0].noted_by == "Note Taker"


def test_cop29_party_inputs_views_by_delegation():
    from negotiate import read
    d = read(realtext("art6-2-cop29/art6-2-cma-draft-decision-party-inputs.docx"))
    vs = views(d)
    parties = {p for v in vs for p in v.parties}
    assert len(d.comments) == 95 and len(vs) >= 95
    assert {"US", "EU", "Canada", "AOSIS", "LMDC", "Pakistan", "Japan"} <= parties
    assert not parties & {v.noted_by for v in vs}                        # note-takers are not delegations
    assert sum(not v.parties for v in vs) <= 10                           # nearly every view is attributed
    us = [v for v in vs if v.parties == ("US",) and v.kind == "delete" and v.wording == "authorized"]
    assert us and us[0].anchor == "authorized"
