"""Roles enforced in the library: every store operation called directly as the
wrong person is refused; and privacy between delegations (issue 18, items 3, 4, 7)."""
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from negotiate.store import AccessDenied, Amendment, User

TEXT = "\n\n".join([
    "I. Introduction",
    "1. Parties shall report every three years.",
    "2. The secretariat shall compile the reports.",
    "3. [Developed countries][All countries] shall provide financial resources.",
    "4. This framework applies to chemicals and waste.",
    "5. The Conference shall review progress in 2030.",
]) + "\n"

PEOPLE = {
    "sec": "sec@un.example", "cofac": "cofac@un.example", "other_cofac": "cofac2@un.example",
    "eu": "eu1@eu.example", "eu2": "eu2@eu.example", "no": "delegate@norway.example",
    "g77fp": "focal@g77.example", "g77": "member@g77.example", "obs": "observer@ngo.example",
    "stranger": "someone@gmail.example",
}


@pytest.fixture
def world(new_store):
    op = new_store()                       # the operator: `negotiate admin …`
    nid = op.create_negotiation("Framework", "SAICM/TEST/1")
    other = op.create_negotiation("Another process")
    v = op.add(nid, TEXT.encode(), "rev1.txt", "Rev.1")
    for name, group in (("EU", False), ("Norway", False), ("G-77 and China", True)):
        op.add_delegation(name, group=group)
    op.grant(PEOPLE["sec"], "secretariat")
    op.grant(PEOPLE["cofac"], "co-facilitator", negotiation_id=nid)
    op.grant(PEOPLE["other_cofac"], "co-facilitator", negotiation_id=other)
    op.grant(PEOPLE["eu"], "member", delegation="EU")
    op.grant(PEOPLE["eu2"], "member", delegation="EU")
    op.grant(PEOPLE["no"], "member", delegation="Norway")
    op.grant(PEOPLE["g77fp"], "member", delegation="G-77 and China", focal_point=True)
    op.grant(PEOPLE["g77"], "member", delegation="G-77 and China")
    op.grant(PEOPLE["obs"], "observer")
    call = op.open_call(nid, v.id, "Written inputs on Rev.1", datetime.utcnow() + timedelta(days=7),
                        ["1", "3", "4", "5"])
    views = {k: op.as_user(User.of(e)) for k, e in PEOPLE.items()}
    return SimpleNamespace(op=op, nid=nid, other=other, v=v, call=call, **views)


def _amend(text="Parties [shall][should] report every [three][five] years."):
    return [Amendment("replace", "1", text)]


def test_local_user_may_do_everything(new_store):
    from negotiate.store import LOCAL
    s = new_store().as_user(LOCAL)
    nid = s.create_negotiation("Mine")
    e = s.add(nid, TEXT.encode(), "a.txt", "v1")
    s.add_delegation("EU")
    cid = s.open_call(nid, e.id, "Call", datetime.utcnow() + timedelta(days=1))
    p = s.propose(cid, "EU", amendments_=_amend(), submit=True)
    assert p.status == "submitted" and s.activity()


def test_each_operation_refused_to_the_wrong_person(world):
    w = world
    p = w.eu.propose(w.call, "EU", amendments_=_amend())
    future = datetime.utcnow() + timedelta(days=30)
    refused = [
        (w.stranger, lambda s: s.negotiations()),
        (w.stranger, lambda s: s.entries(w.nid)),
        (w.eu, lambda s: s.create_negotiation("Rogue")),
        (w.cofac, lambda s: s.create_negotiation("Rogue")),
        (w.eu, lambda s: s.add(w.nid, b"1. X.\n", "x.txt", "Rev.2")),
        (w.obs, lambda s: s.add(w.nid, b"1. X.\n", "x.txt", "Rev.2")),
        (w.other_cofac, lambda s: s.add(w.nid, b"1. X.\n", "x.txt", "Rev.2")),
        (w.eu, lambda s: s.update_entry(w.v.id, label="Mine")),
        (w.no, lambda s: s.remove(w.v.id)),
        (w.obs, lambda s: s.restore(w.v.id)),
        (w.eu, lambda s: s.add_delegation("Rogue")),
        (w.cofac, lambda s: s.grant("x@y.example", "secretariat")),
        (w.eu, lambda s: s.grant("friend@eu.example", "member", delegation="EU")),
        (w.eu, lambda s: s.revoke(1)),
        (w.cofac, lambda s: s.open_call(w.nid, w.v.id, "Mine", future)),
        (w.eu, lambda s: s.reopen_call(w.call, future)),
        (w.no, lambda s: s.propose(w.call, "EU", amendments_=_amend())),           # for another delegation
        (w.obs, lambda s: s.propose(w.call, "Norway", amendments_=_amend())),
        (w.cofac, lambda s: s.propose(w.call, "EU", amendments_=_amend())),
        (w.no, lambda s: s.proposal(p.id)),                                           # another's draft
        (w.cofac, lambda s: s.proposal(p.id)),                                        # a draft: its delegation only
        (w.no, lambda s: s.edit_draft(p.id, _amend("Parties report."))),
        (w.no, lambda s: s.submit(p.id)),
        (w.sec, lambda s: s.submit(p.id)),
        (w.no, lambda s: s.withdraw(p.id)),
        (w.eu, lambda s: s.decide(p.id, "accepted")),
        (w.other_cofac, lambda s: s.decide(p.id, "accepted")),
        (w.no, lambda s: s.invite_cosponsor(p.id, "Norway")),
        (w.eu, lambda s: s.confirm_cosponsor(p.id, "Norway")),                        # only Norway says so
        (w.eu, lambda s: s.compilation(w.call)),
        (w.obs, lambda s: s.compilation(w.call)),
        (w.eu, lambda s: s.publish(w.call, "Rev.2")),
        (w.other_cofac, lambda s: s.publish(w.call, "Rev.2")),
        (w.cofac, lambda s: s.activity()),
        (w.eu, lambda s: s.activity_csv()),
        (w.eu, lambda s: s.check()),
        (w.stranger, lambda s: s.get_file(w.v.sha256)),
    ]
    for who, op in refused:
        with pytest.raises(AccessDenied):
            op(who)
    # A group submits through its focal points only.
    g = w.g77.propose(w.call, "G-77 and China", amendments_=_amend("Parties shall report [as appropriate]."))
    with pytest.raises(AccessDenied, match="focal point"):
        w.g77.submit(g.id)
    assert w.g77fp.submit(g.id).status == "submitted"
    # Nothing refused was done.
    assert [n["name"] for n in w.op.negotiations()] == ["Framework", "Another process"]
    assert w.op.proposal(p.id).status == "draft" and w.op.entry(w.v.id).label == "Rev.1"


def test_drafts_private_to_their_delegation(world):
    w = world
    d = w.eu.propose(w.call, "EU", amendments_=_amend(), title="EU draft")
    assert [x.id for x in w.eu2.proposals(w.call)] == [d.id]          # the whole delegation sees it
    for who in (w.no, w.g77fp, w.obs, w.cofac, w.sec):
        assert w.eu.proposal(d.id).title == "EU draft"
        assert [x.id for x in who.proposals(w.call)] == []
        with pytest.raises(AccessDenied):
            who.proposal(d.id)
    # …whatever id is asked for: a missing proposal and another's look the same.
    with pytest.raises(AccessDenied) as hidden:
        w.no.proposal(d.id)
    with pytest.raises(AccessDenied) as missing:
        w.no.proposal(99999)
    assert str(hidden.value).replace(str(d.id), "N") == str(missing.value).replace("99999", "N")


def test_submitted_visible_to_secretariat_and_cofacilitators_not_other_delegations(world):
    w = world
    p = w.eu.propose(w.call, "EU", amendments_=_amend(), submit=True)
    for who in (w.eu, w.eu2, w.sec, w.cofac):
        assert [x.id for x in who.proposals(w.call)] == [p.id]
    for who in (w.no, w.g77, w.obs, w.other_cofac):
        assert who.proposals(w.call) == []
        with pytest.raises(AccessDenied):
            who.proposal(p.id)
    # A delegation invited to co-sponsor sees it, and confirms for itself.
    w.eu.invite_cosponsor(p.id, "Norway")
    assert w.no.proposal(p.id).cosponsors == {"Norway": None}
    w.no.confirm_cosponsor(p.id, "Norway")
    assert w.eu.proposal(p.id).cosponsors["Norway"] is not None


def test_files_of_a_proposal_not_readable_by_another_delegation(world):
    w = world
    text = TEXT.replace("every three years", "every [five] years").encode()
    p = w.eu.propose(w.call, "EU", data=text, filename="eu-revised.txt")
    assert p.form == "text" and p.amendments == [Amendment("replace", "1.", "Parties shall report every [five] years.")]
    assert w.eu2.get_file(p.sha256) == text
    for who in (w.no, w.cofac, w.obs, w.stranger):           # a draft's file: not even by its sha256
        with pytest.raises(AccessDenied):
            who.get_file(p.sha256)
    w.eu.submit(p.id)
    assert w.cofac.get_file(p.sha256) == text
    with pytest.raises(AccessDenied):
        w.no.get_file(p.sha256)


def test_published_texts_visible_to_everyone_signed_in_and_registered(world):
    w = world
    for who in (w.eu, w.no, w.obs, w.g77, w.cofac):
        assert [e.label for e in who.entries(w.nid, "version")] == ["Rev.1"]
        assert who.get_file(w.v.sha256) == TEXT.encode()
    # The secretariat's working files of parties' proposals: not for other delegations.
    f = w.op.add(w.nid, b"1. EU wording.\n", "eu.txt", "EU input", kind="proposal", party="EU")
    assert [e.id for e in w.eu.entries(w.nid, "proposal")] == [f.id]
    assert w.no.entries(w.nid, "proposal") == [] and w.obs.entries(w.nid, "proposal") == []
    with pytest.raises(AccessDenied):
        w.no.entry(f.id)
    with pytest.raises(AccessDenied):
        w.no.get_file(f.sha256)
    # Removed entries: only those who steer the negotiation.
    w.cofac.remove(f.id)
    assert w.eu.entries(w.nid, removed=True) == [] and [e.id for e in w.cofac.entries(w.nid, removed=True)] == [f.id]


def test_activity_only_for_the_secretariat_and_names_who(world):
    w = world
    p = w.eu.propose(w.call, "EU", amendments_=_amend(), submit=True)
    w.eu.record("sign-in")
    log = w.sec.activity()
    assert {"proposal submitted", "membership granted", "call opened", "sign-in"} <= {x["action"] for x in log}
    sub = next(x for x in log if x["action"] == "proposal submitted")
    assert sub["actor"] == PEOPLE["eu"] and p.receipt in sub["detail"]
    with pytest.raises(ValueError):
        w.eu.record("proposal accepted")          # a face records sign-ins, not decisions


def test_lists_and_single_lookups_apply_the_same_rule(world):
    """proposals() filters many rows at once, proposal() one: they must agree for everyone."""
    w = world
    a = w.eu.propose(w.call, "EU", amendments_=_amend())                                   # a draft
    b = w.eu.propose(w.call, "EU", amendments_=_amend("Parties shall report."), submit=True)
    w.eu.invite_cosponsor(b.id, "Norway")
    c = w.no.propose(w.call, "Norway", amendments_=[Amendment("delete", "4")], submit=True)
    d = w.g77fp.propose(w.call, "G-77 and China", amendments_=[Amendment("delete", "5")])
    w.eu.invite_cosponsor(a.id, "G-77 and China")                                           # invited to a draft
    for key in PEOPLE:
        view = getattr(w, key)
        try:
            listed = {p.id for p in view.proposals(w.call)}
        except AccessDenied:
            listed = set()
        single = set()
        for pid in (a.id, b.id, c.id, d.id):
            try:
                view.proposal(pid)
                single.add(pid)
            except AccessDenied:
                pass
        assert listed == single, key
    assert {p.id for p in w.no.proposals(w.call)} == {b.id, c.id}
    assert {p.id for p in w.g77.proposals(w.call)} == {d.id}                     # not the EU's draft
