"""Calls for inputs, the proposal lifecycle, the compilation and publication (issue 18, items 4 and 5)."""
from datetime import UTC, datetime, timedelta

import pytest

from negotiate.store import AccessDenied, Amendment

from . import test_store_access
from .test_store_access import PEOPLE, TEXT

world = test_store_access.world           # the fixture, shared


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


# -- deadlines in time zones --------------------------------------------------------------------------
def test_deadline_on_the_calls_own_clock(world):
    """A naive deadline is read on the call's clock (23:59 in Geneva, Europe/Zurich), kept as the
    instant it is, and shown in that zone with UTC beside it."""

    from negotiate.store.workflow import deadline_text, when
    w = world
    cid = w.op.open_call(w.nid, w.v.id, "Geneva inputs", datetime(2030, 3, 10, 23, 59), timezone="Europe/Zurich")
    call = w.obs.call(cid)
    assert call["timezone"] == "Europe/Zurich"
    assert call["deadline"] == datetime(2030, 3, 10, 22, 59, tzinfo=UTC)       # CET = UTC+1
    assert deadline_text(call["deadline"], call["timezone"]) == \
        "2030-03-10 23:59 CET (Europe/Zurich; 2030-03-10 22:59 UTC)"
    summer = w.op.open_call(w.nid, w.v.id, "Summer", datetime(2030, 7, 1, 12, 0), timezone="Europe/Zurich")
    assert w.obs.call(summer)["deadline"].hour == 10                                    # CEST = UTC+2
    assert when(call["deadline"], "America/New_York") == "2030-03-10 18:59 EDT"          # a reader's own clock
    with pytest.raises(ValueError, match="unknown time zone"):
        w.op.open_call(w.nid, w.v.id, "Nowhere", datetime(2030, 1, 1), timezone="Mars/Olympus")


def test_closing_compares_instants_not_wall_clocks(world):
    """Half an hour left on Kiritimati's clock (UTC+14) is open although that wall
    time is 13 h past in UTC; half an hour past in Los Angeles is closed although
    that wall time is hours ahead of UTC. Read as naive UTC, both would flip."""
    from zoneinfo import ZoneInfo
    w = world
    now = datetime.now(UTC)

    def wall(zone, delta):
        return (now + delta).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    open_ = w.op.open_call(w.nid, w.v.id, "Kiritimati", wall("Pacific/Kiritimati", timedelta(minutes=30)),
                           timezone="Pacific/Kiritimati")
    shut = w.op.open_call(w.nid, w.v.id, "Los Angeles", wall("America/Los_Angeles", -timedelta(minutes=30)),
                          timezone="America/Los_Angeles")
    assert w.eu.propose(open_, "EU", amendments_=[Amendment("delete", "2")], submit=True).status == "submitted"
    p = w.eu.propose(shut, "EU", amendments_=[Amendment("delete", "2")])
    with pytest.raises(ValueError, match=r"closed at .* PDT|closed at .* PST"):
        w.eu.submit(p.id)
    # Reopened with an aware deadline in yet another zone: the same instant, whatever its zone.
    w.sec.reopen_call(shut, (now + timedelta(hours=1)).astimezone(ZoneInfo("Asia/Tokyo")))
    assert w.sec.call(shut)["deadline"] == (now + timedelta(hours=1)).replace(microsecond=now.microsecond)
    assert w.eu.submit(p.id).status == "submitted"
    for x in (w.eu.proposal(p.id).submitted, w.sec.activity()[0]["at"]):
        assert x.tzinfo is not None and x.utcoffset() == timedelta(0)


# -- a .docx with moves and splits becomes the amendments a secretariat writes -----------------------------
LONG = [f"{i}. {t}" for i, t in enumerate([
    "The Conference of the Parties shall keep the implementation of this framework under regular review.",
    "Each Party shall designate a national focal point for the exchange of information.",
    "Developed countries shall provide financial resources Parties shall report on their use every year.",
    "The secretariat shall compile the national reports and make them publicly available online.",
    "Stakeholders are invited to contribute to the work of the subsidiary bodies as observers.",
    "A scientific panel shall assess the risks of highly hazardous pesticides to human health.",
    "Capacity-building shall be country-driven and respond to the needs of developing countries.",
    "This framework shall enter into force on the ninetieth day after its adoption by the Conference.",
], 1)]


def test_moves_splits_and_insertions_from_a_revised_text():
    from negotiate import read
    from negotiate.align import align
    from negotiate.store.workflow import amendments_between, apply_amendments
    base = read("b.txt", data="\n\n".join(LONG).encode(), name="b.txt")
    first, second = LONG[2].split(" Parties ")
    new = [LONG[0], "2. A new paragraph on capacity-building for developing countries as appropriate.", LONG[1],
           first + ".", "4. Parties " + second, LONG[3].replace("4.", "5."), LONG[5], LONG[6], LONG[4],
           LONG[7]]
    doc = read("n.txt", data="\n\n".join(new).encode(), name="n.txt")
    ams = amendments_between(base, doc, align(base, doc).links)
    assert [a.describe() for a in ams] == [
        "After paragraph 1, insert: 1 bis. A new paragraph on capacity-building for developing countries as appropriate.",
        "Replace paragraph 3 by: " + first.split(". ", 1)[1] + ".",
        "After paragraph 3, insert: 3 bis. Parties " + second,
        "Move paragraph 5 after paragraph 7"]
    again = read("a.txt", data=apply_amendments(base, ams).encode(), name="a.txt")
    assert [b.text for b in again.blocks] == [b.text for b in doc.blocks]      # nothing approximate left
    assert [b.label for b in again.blocks] == ["1.", "1 bis.", "2.", "3.", "3 bis.", "4.", "6.", "7.", "5.", "8."]


def test_moved_docx_paragraph_is_a_move_amendment_and_compiles(world):
    from negotiate import read
    from negotiate.compare import compare
    from negotiate.export import redline
    w = world
    base = read("rev1.txt", data=TEXT.encode(), name="rev1.txt")
    lines = TEXT.strip().split("\n\n")
    moved = [lines[0], lines[1], lines[2], lines[4], lines[5], lines[3]]        # 3 goes after 5
    new = read("new.txt", data="\n\n".join(moved).encode(), name="new.txt")
    docx = redline.build(compare(base, new), "John Smith").to_bytes()
    p = w.eu.propose(w.call, "EU", data=docx, filename="moved.docx", submit=True)
    assert [a.describe() for a in p.amendments] == ["Move paragraph 3 after paragraph 5"]
    assert w.eu.proposal(p.id).amendments == [Amendment("move_after", "3.", "", "5.")]   # stored and read back
    cons, _ = w.cofac.compilation(w.call)
    assert cons.parties == ["Rev.1", "EU"]


def test_move_amendments_checked(world):
    w = world
    for bad, msg in (([Amendment("move_after", "3", target="42")], "no paragraph '42'"),
                     ([Amendment("move_after", "3", target="3.")], "after itself"),
                     ([Amendment("move_after", "3", target="4"), Amendment("move_after", "4", target="3")], "circle")):
        with pytest.raises(ValueError, match=msg):
            w.eu.propose(w.call, "EU", amendments_=bad)


def test_invitations_to_cosponsor_are_the_invited_delegations_only(world):
    w = world
    draft = w.eu.propose(w.call, "EU", amendments_=[Amendment("delete", "4")])
    sub = w.eu.propose(w.call, "EU", amendments_=[Amendment("delete", "5")], submit=True)
    for p in (draft, sub):
        w.eu.invite_cosponsor(p.id, "Norway")
    assert [p.id for p in w.no.invitations(w.call, "Norway")] == [sub.id]        # a draft is the EU's alone
    with pytest.raises(AccessDenied):
        w.eu.invitations(w.call, "Norway")                                         # Norway's, not the EU's
    w.no.confirm_cosponsor(sub.id, "Norway")
    assert w.no.invitations(w.call, "Norway") == []
