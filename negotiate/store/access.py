"""Who may do what. Every store operation asks `Rules` before it acts, so the
rule holds whatever face calls the store (a page, the CLI, a script): the app
hiding a button is not access control.

Roles (README has the table):
  secretariat      creates negotiations and calls for inputs, manages memberships, publishes versions,
                   reads everything, the Activity page
  co-facilitator   of one negotiation: sees submitted proposals, the compilation; decides on proposals,
                   publishes new versions, adds and edits that negotiation's versions
  member           of one delegation: drafts, submits, withdraws and co-sponsors its proposals; a group's
                   (`group` delegation's) proposals are submitted by its focal points only
  observer         reads what is published
A signed-in person with no membership sees nothing. The local user (local mode,
`make run`) and the operator's own `Store()` (the CLI) may do everything.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("secretariat", "co-facilitator", "member", "observer")


class AccessDenied(ValueError):
    """Refused by a rule. A ValueError, so that a face that already reports a
    store's refusals (`except ValueError` → one line) reports these too."""


class NotVisible(AccessDenied, KeyError):
    """Asked for something that does not exist or that one may not see — the
    same answer for both, so that ids cannot be probed. A KeyError too, as a
    missing entry always was."""
    __str__ = Exception.__str__


@dataclass(frozen=True)
class User:
    email: str
    name: str = ""
    everything: bool = False        # the local user / the operator

    @staticmethod
    def of(email: str, name: str = "") -> User:
        return User(email.strip().lower(), name)


LOCAL = User("local", "Local user", everything=True)
OPERATOR = User("operator", "negotiate command line", everything=True)


@dataclass
class Roles:
    """One person's memberships, read once per operation."""
    user: User
    secretariat: bool = False
    observer: bool = False
    cofacilitating: set[int] = field(default_factory=set)        # negotiation ids
    delegations: dict[int, bool] = field(default_factory=dict)   # delegation id → focal point

    @property
    def everything(self) -> bool:
        return self.user.everything

    @property
    def registered(self) -> bool:
        return self.everything or self.secretariat or self.observer or bool(self.cofacilitating or self.delegations)

    # -- the rules ------------------------------------------------------------------------------
    def deny(self, what: str) -> AccessDenied:
        return AccessDenied(f"{self.user.email or 'anonymous'} may not {what}")

    def need(self, ok: bool, what: str) -> None:
        if not (self.everything or ok):
            raise self.deny(what)

    def read_published(self) -> bool:
        return self.registered

    def manage(self) -> bool:                   # memberships, negotiations, calls
        return self.everything or self.secretariat

    def steer(self, negotiation_id: int) -> bool:   # versions, decisions, compilation, publication
        return self.everything or self.secretariat or negotiation_id in self.cofacilitating

    def decide(self, negotiation_id: int) -> bool:
        return self.everything or negotiation_id in self.cofacilitating or self.secretariat

    def member_of(self, delegation_id: int) -> bool:
        return self.everything or delegation_id in self.delegations

    def submit_for(self, delegation_id: int, group: bool) -> bool:
        if self.everything:
            return True
        if delegation_id not in self.delegations:
            return False
        return self.delegations[delegation_id] or not group     # a group submits through its focal points
