"""The workspace: negotiations, their versions and the parties' proposals;
in server mode also people and their roles, calls for inputs, delegations'
submissions, publication and an append-only audit trail.

  schema.py    tables and the explicit, numbered migrations
  files.py     where file bytes live (disk under NEGOTIATE_HOME, or the database)
  access.py    users, roles and the rules every operation checks
  core.py      the Store: opening (damage refused), entries, memberships, audit, check
  workflow.py  calls, proposals and their lifecycle, the compilation, publication
  seed.py      the sample workspace of a first launch
  pgcluster.py a throw-away PostgreSQL cluster (tests, bench, `make server-trial`)

Metadata through SQLAlchemy Core: SQLite under NEGOTIATE_HOME by default
(~/.negotiate), PostgreSQL when NEGOTIATE_DB=postgresql+psycopg://… (file
bytes in the database then, so app replicas share everything). Input files
are kept byte for byte under their sha256, never modified.
"""
from .access import LOCAL, OPERATOR, ROLES, AccessDenied, NotVisible, User
from .core import Entry, Store, StoreDamaged, home, server_mode
from .seed import seed
from .workflow import Amendment, Proposal, apply_amendments

__all__ = ["Store", "Entry", "seed", "User", "LOCAL", "OPERATOR", "ROLES", "AccessDenied", "NotVisible", "StoreDamaged",
           "Amendment", "Proposal", "apply_amendments", "home", "server_mode"]
