"""Calls for inputs, the proposal lifecycle, the compilation and publication (issue 18, items 4 and 5)."""
from datetime import datetime, timedelta

import pytest

from negotiate.store import Amendment

from .test_store_access import PEOPLE, TEXT, world  # noqa: F401  (the fixture)


def test_lifecycle_receipt_withdraw_decide(world):
    w = world
    p = w.eu.propose(w.call, "EU", amendments_=[Amendment("replace", "1", "Parties [shall][should] report.")])
    assert p.status == "draft" and p.receipt is None
    p = w.eu.edit_draft(p.id, [Amendment("replace", "1.", "Parties shall report [annually]."),
                               Amendment("insert_after", "3", "3 bis. Parties may cooperate."),
                               Amendment("delete", "5")])
    s = w.eu2.submit(p.id)
    assert s.status == "submitted" and len(s.receipt) == 64 and s.submitted and s.submitted_by == PEOPLE["eu2"]
    assert w.eu.submit(p.id).receipt == s.receipt                         # twice: harmless, one receipt
    with pytest.raises(ValueError, match="only a draft"):
        w.eu.edit_draft(p.id, [Amendment("delete", "1")])
    d = w.cofac.decide(p.id, "merged", "merged into paragraph 1")
    assert (d.status, d.fate, d.decided_by) == ("merged", "merged into paragraph 1", PEOPLE["cofac"])
    with pytest.raises(ValueError, match="no longer be withdrawn"):
        w.eu.withdraw(p.id)
    q = w.no.propose(w.call, "Norway", amendments_=[Amendment("delete", "4")], submit=True)
    assert w.no.withdraw(q.id).status == "withdrawn"
    with pytest.raises(ValueError, match="only a submitted"):
        w.cofac.decide(q.id, "accepted")


def test_amendments_checked_against_the_call(world):
    w = world
    for bad, msg in (([Amendment("replace", "2", "x")], "not open"),            # paragraph 2 is not open
                     ([Amendment("replace", "42", "x")], "no paragraph"),
                     ([Amendment("replace", "1", "Parties [shall report.")], "never closed|close"),
                     ([Amendment("replace", "1", "  ")], "no text"),
                     ([Amendment("swap", "1", "x")], "unknown operation"),
                     ([], "at least one")):
        with pytest.raises(ValueError, match=msg):
            w.eu.propose(w.call, "EU", amendments_=bad)


def test_deadline_and_reopen(world):
    w = world
    late = w.op.open_call(w.nid, w.v.id, "Closed already", datetime.utcnow() - timedelta(minutes=1))
    p = w.eu.propose(late, "EU", amendments_=[Amendment("delete", "2")])
    with pytest.raises(ValueError, match="reopens"):
        w.eu.submit(p.id)
    w.sec.reopen_call(late, datetime.utcnow() + timedelta(hours=1))
    assert w.eu.submit(p.id).status == "submitted"
    assert any(x["action"] == "call reopened" for x in w.sec.activity())


def test_docx_tracked_changes_are_the_delegations_whatever_the_author(world, tmp_path):
    """A .docx of the text with tracked changes by an author named 'John Smith'
    becomes the EU's amendments."""
    from negotiate import read
    from negotiate.compare import compare
    from negotiate.export import redline
    w = world
    base = read("rev1.txt", data=TEXT.encode(), name="rev1.txt")
    new = read("new.txt", data=TEXT.replace("every three years", "[annually]").encode(), name="new.txt")
    docx = redline.build(compare(base, new), "John Smith").to_bytes()
    p = w.eu.propose(w.call, "EU", data=docx, filename="eu-tracked.docx", submit=True)
    assert p.form == "docx" and p.delegation == "EU"
    assert p.amendments == [Amendment("replace", "1.", "Parties shall report [annually].")]
    cons, ids = w.cofac.compilation(w.call)
    assert cons.parties == ["Rev.1", "EU"] and ids == {"Rev.1": [], "EU": [p.id]}
    assert "John Smith" not in str(cons.units)


def test_compilation_regenerated_with_cosponsors_and_published(world):
    from negotiate import read
    from negotiate.consolidate import render_text
    w = world
    eu = w.eu.propose(w.call, "EU", amendments_=[Amendment("replace", "1", "Parties shall report every five years.")],
                      submit=True)
    w.eu.invite_cosponsor(eu.id, "Norway")
    w.no.confirm_cosponsor(eu.id, "Norway")
    g = w.g77fp.propose(w.call, "G-77 and China", amendments_=[
        Amendment("replace", "1", "Parties should report every three years."),
        Amendment("insert_after", "4", "4 bis. Developed countries shall take the lead.")], submit=True)
    draft = w.no.propose(w.call, "Norway", amendments_=[Amendment("delete", "5")])    # a draft: not compiled
    cons, ids = w.cofac.compilation(w.call)
    assert cons.parties == ["Rev.1", "EU, Norway", "G-77 and China"] and draft.id not in sum(ids.values(), [])
    text = render_text(cons)
    assert "(EU, Norway)" in text and "(G-77 and China)" in text and "4 bis." in text
    assert "[three] (Rev.1, G-77 and China)" in text     # the call's own wording stays an option
    # A withdrawal regenerates it.
    w.g77fp.withdraw(g.id)
    cons2, _ = w.cofac.compilation(w.call)
    assert cons2.parties == ["Rev.1", "EU, Norway"]
    g2 = w.g77fp.propose(w.call, "G-77 and China", amendments_=[
        Amendment("replace", "1", "Parties should report every three years.")], submit=True)
    cons, ids = w.cofac.compilation(w.call)
    # The co-facilitators pick per divergence: the EU's wording for paragraph 1.
    [u1] = [i for i, u in enumerate(cons.units) if u.label == "1."]
    pub = w.cofac.publish(w.call, "Rev.2", picks={u1: cons.units[u1].text_of("EU, Norway")})
    assert pub["fates"] == {eu.id: ("accepted", "accepted into paragraph 1."), g2.id: ("rejected", "not retained")}
    assert w.eu.proposal(eu.id).status == "accepted" and w.g77fp.proposal(g2.id).fate == "not retained"
    assert w.eu.proposal(eu.id).fate == "accepted into paragraph 1."
    # The new version is published: everyone registered reads it, and its redline.
    labels = [e.label for e in w.obs.entries(w.nid, "version")]
    assert labels == ["Rev.1", "Rev.2"]
    rev2 = w.obs.entries(w.nid, "version")[-1]
    doc = read(rev2.filename, data=w.obs.get_file(rev2.sha256), name=rev2.filename)
    assert any(b.text == "Parties shall report every five years." for b in doc.blocks)
    red = read("r.docx", data=w.obs.get_file(pub["redline_sha256"]), name="r.docx", revisions="markup")
    assert any(b.revisions for b in red.blocks)
    # The call is closed: no more submissions, no second publication.
    late = w.no.propose(w.call, "Norway", amendments_=[Amendment("delete", "5")])
    with pytest.raises(ValueError, match="closed"):
        w.no.submit(late.id)
    with pytest.raises(ValueError, match="closed"):
        w.cofac.publish(w.call, "Rev.3")
    assert "version published" in [x["action"] for x in w.sec.activity()]


def test_idempotency_key_stores_a_submission_once(world):
    w = world
    a = w.eu.propose(w.call, "EU", amendments_=[Amendment("delete", "4")], submit=True, idempotency_key="k-1")
    b = w.eu.propose(w.call, "EU", amendments_=[Amendment("delete", "4")], submit=True, idempotency_key="k-1")
    assert a.id == b.id and len(w.eu.proposals(w.call)) == 1
    assert w.eu.proposal_by_key("k-1").receipt == a.receipt and w.eu.proposal_by_key("k-2") is None
