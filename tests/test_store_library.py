"""The library of adopted texts through the store: read by anyone with a role,
changed by the secretariat, nothing for a person without one — checked in the
library view, whatever a page shows (issue 18; store/library.py)."""
import pytest

from negotiate import read
from negotiate.precedents import Library, find
from negotiate.store import AccessDenied, User

from .test_store_access import PEOPLE

ADOPTED = ("1. Recognizes that the sound management of chemicals and waste throughout their life cycle is "
           "essential for sustainable development.\n\n2. Invites Member States to strengthen national capacities "
           "for the implementation of the framework.\n")
DRAFT = ("1. The Conference, recognizing that the sound management of chemicals and waste throughout their life "
         "cycle is essential for sustainable development, decides to act.\n")


@pytest.fixture
def people(new_store, tmp_path):
    op = new_store()
    op.add_delegation("EU")
    op.grant(PEOPLE["sec"], "secretariat")
    op.grant(PEOPLE["obs"], "observer")
    op.grant(PEOPLE["eu"], "member", delegation="EU")
    lib = Library(tmp_path / "library")
    views = {k: op.as_user(User.of(PEOPLE[k])).library(lib) for k in ("sec", "obs", "eu", "stranger")}
    views["anonymous"] = op.as_user(User("anonymous", "not signed in")).library(lib)
    yield lib, op, views
    lib.close()


def _doc(text, name):
    return read(name, data=text.encode(), name=name)


def test_secretariat_changes_the_library_and_it_is_audited(people):
    lib, op, v = people
    d = v["sec"].add(_doc(ADOPTED, "A-RES-1.txt"), "A-RES-1.txt")
    assert [x.path for x in v["sec"].documents()] == ["A-RES-1.txt"]
    assert v["sec"].remove("A-RES-1.txt")[0].sha256 == d.sha256 and lib.documents() == []
    acts = [(a["actor"], a["action"], a["sha256"]) for a in op.activity()[:2]]
    assert acts == [(PEOPLE["sec"], "library text removed", d.sha256), (PEOPLE["sec"], "library text added", d.sha256)]


@pytest.mark.parametrize("who", ["obs", "eu"])
def test_a_reader_searches_but_may_not_change(people, who):
    lib, _, v = people
    lib.add(_doc(ADOPTED, "A-RES-1.txt"), "A-RES-1.txt")
    assert [x.path for x in v[who].documents()] == ["A-RES-1.txt"] and len(v[who]) == 2
    res = find(_doc(DRAFT, "draft.txt"), v[who])
    assert res.matches and res.matches[0].source.block == 0
    for change in (lambda: v[who].add(_doc(ADOPTED.replace("1.", "3."), "B.txt"), "B.txt"),
                   lambda: v[who].remove("A-RES-1.txt")):
        with pytest.raises(AccessDenied, match="secretariat"):
            change()
    assert [x.path for x in lib.documents()] == ["A-RES-1.txt"] and not v[who].may_change()


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_no_role_no_library(people, who):
    lib, _, v = people
    lib.add(_doc(ADOPTED, "A-RES-1.txt"), "A-RES-1.txt")
    for use in (v[who].documents, lambda: len(v[who]), lambda: find(_doc(DRAFT, "d.txt"), v[who]),
                lambda: v[who].engine, lambda: v[who].add(_doc(DRAFT, "d.txt"))):
        with pytest.raises(AccessDenied):
            use()
    assert len(lib.documents()) == 1
