"""The Store: opening (and refusing a damaged database), files, negotiations,
entries (versions and proposals' files), memberships, the audit trail and the
integrity check. Calls for inputs, proposals, the compilation and publication
are in workflow.py (mixed in).

Every public method acts as `self.user` and asks the rules first; `Store()`
acts as the operator (everything allowed: the CLI, local mode), and
`store.as_user(user)` gives a view of the same store bound to one person.
Every change is written with its audit row in one transaction.
"""
from __future__ import annotations

import copy
import csv
import io
import os
import sqlite3
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import bindparam, create_engine, event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from ..errors import NegotiateError
from . import files as filestore
from .access import LOCAL, OPERATOR, ROLES, AccessDenied, NotVisible, Roles, User
from .schema import audit, delegations, memberships, migrate, negotiations, proposals, publications, versions
from .schema import files as files_table


class StoreDamaged(NegotiateError):
    """The database cannot be trusted; nothing was changed and nothing will be seeded over it."""


@dataclass
class Entry:
    id: int
    negotiation_id: int
    kind: str
    label: str
    party: str
    date: str
    filename: str
    sha256: str
    position: int
    reading: str = ""
    removed: datetime | None = None


_ENTRY = [f.name for f in fields(Entry)]


def _entry(row) -> Entry:
    m = row._mapping
    return Entry(**{k: m[k] for k in _ENTRY})


def home() -> Path:
    return Path(os.environ.get("NEGOTIATE_HOME") or Path.home() / ".negotiate")


def server_mode() -> bool:
    """Server mode: the database is not SQLite (NEGOTIATE_DB=postgresql+psycopg://…)."""
    url = os.environ.get("NEGOTIATE_DB", "")
    return bool(url) and not url.startswith("sqlite")


_AUDIT_INSERT = insert(audit)
_MEMBERSHIPS_OF = select(memberships).where((memberships.c.email == bindparam("email")) & memberships.c.removed.is_(None))


def _now() -> datetime:
    return datetime.now(UTC)


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


from .workflow import Workflow  # noqa: E402  (a mixin that needs the names above)


class Store(Workflow):
    def __init__(self, url: str | None = None, root: str | os.PathLike | None = None, *, user: User = OPERATOR,
                 files: str | None = None):
        self.root = Path(root) if root else home()
        self.url = url or os.environ.get("NEGOTIATE_DB") or f"sqlite:///{self.root / 'negotiate.db'}"
        self.user = user
        self._documents: dict = {}          # parsed texts by sha256, shared by every view (workflow._read_entry)
        self._label_sets: dict = {}         # their paragraph labels (workflow._labels_of)
        self.sqlite = self.url.startswith("sqlite")
        where = files or ("disk" if self.sqlite else "database")
        if self.sqlite:
            self.root.mkdir(parents=True, exist_ok=True)
            db = make_url(self.url).database
            self.db_path = Path(db) if db and db != ":memory:" else None
            if self.db_path:
                _refuse_damage(self.db_path, self.root / "files")
        else:
            self.db_path = None
        self.files = filestore.DiskFiles(self.root / "files") if where == "disk" else filestore.DatabaseFiles()
        if self.sqlite:
            self.engine = create_engine(self.url, future=True)
            _sqlite_setup(self.engine)
        else:
            # pre_ping: after the database server restarts, stale pooled connections are replaced.
            self.engine = create_engine(self.url, future=True, pool_pre_ping=True, pool_size=20, max_overflow=40)
        try:
            migrate(self.engine)
        except sqlite3.DatabaseError as e:      # pragma: no cover - quick_check passed, yet it failed
            raise StoreDamaged(str(self.db_path), f"the workspace database is damaged ({e}); {_WHAT_TO_DO}") from None
        except Exception as e:
            from sqlalchemy.exc import DBAPIError
            if isinstance(e, DBAPIError):
                where_ = self.db_path or make_url(self.url).render_as_string(hide_password=True)
                raise StoreDamaged(str(where_), f"cannot open the database ({str(e.orig).strip().splitlines()[0]})") from None
            raise
        self.cleaned = self._clean()

    # -- views bound to a person ------------------------------------------------------------------
    def as_user(self, user: User) -> Store:
        """The same store (one engine, one pool), every operation checked as `user`."""
        view = copy.copy(self)
        view.user = user
        return view

    def roles(self, c=None) -> Roles:
        if self.user.everything:
            return Roles(self.user)
        if c is None:
            with self.engine.connect() as c2:
                return self.roles(c2)
        r = Roles(self.user)
        for m in c.execute(_MEMBERSHIPS_OF, {"email": self.user.email}):
            if m.role == "secretariat":
                r.secretariat = True
            elif m.role == "observer":
                r.observer = True
            elif m.role == "co-facilitator" and m.negotiation_id is not None:
                r.cofacilitating.add(m.negotiation_id)
            elif m.role == "member" and m.delegation_id is not None:
                r.delegations[m.delegation_id] = r.delegations.get(m.delegation_id, False) or bool(m.focal_point)
        return r

    def me(self) -> dict:
        """What the acting person is: for the app's header and its gate."""
        r = self.roles()
        with self.engine.connect() as c:
            names = {d.id: d.name for d in c.execute(select(delegations))}
        return {"email": self.user.email, "name": self.user.name, "registered": r.registered,
                "everything": r.everything, "secretariat": r.secretariat, "observer": r.observer,
                "co-facilitator": sorted(r.cofacilitating),
                "delegations": {names.get(d, str(d)): fp for d, fp in r.delegations.items()}}

    def _audit(self, c, action: str, *, negotiation_id: int | None = None, subject: str = "", detail: str = "",
               sha256: str = "") -> None:
        # The statement built once and given its values as parameters: cheaper for SQLAlchemy, every time.
        c.execute(_AUDIT_INSERT, dict(at=_now(), actor=self.user.email, action=action, negotiation_id=negotiation_id,
                                      subject=subject, detail=detail, sha256=sha256))

    # -- opening: clean what killed writers left ------------------------------------------------
    def _clean(self) -> list[str]:
        if not isinstance(self.files, filestore.DiskFiles):
            return []
        with self.engine.connect() as c:
            known = {r[0] for r in c.execute(select(files_table.c.sha256))}
        return self.files.clean(known)

    # -- files --------------------------------------------------------------------------------------
    def path_of(self, sha256: str) -> Path:
        if not isinstance(self.files, filestore.DiskFiles):
            raise ValueError("this store keeps its files in the database")
        return self.files.path(sha256)

    def _put(self, c, data: bytes) -> str:
        sha = filestore.sha256(data)
        filestore.ensure_row(c, sha, len(data), _now())     # first: a blob row refers to it
        self.files.write(c, sha, data)
        return sha

    def put_file(self, data: bytes) -> str:
        with self.engine.begin() as c:
            return self._put(c, data)

    def get_file(self, sha256: str) -> bytes:
        with self.engine.connect() as c:
            if not self.user.everything and not self._may_read_file(c, sha256):
                raise AccessDenied(f"no stored file {sha256[:12]}… is visible to {self.user.email}")
            data = self.files.read(c, sha256)
        if data is None:
            raise OSError(f"stored file {sha256} is missing (run `negotiate store check`)")
        if filestore.sha256(data) != sha256:
            raise OSError(f"stored file {sha256} is damaged: its sha256 no longer matches (run `negotiate store check`)")
        return data

    def may_read(self, sha256: str) -> bool:
        """Whether the acting person may read this stored file (without reading it)."""
        if self.user.everything:
            return True
        with self.engine.connect() as c:
            return self._may_read_file(c, sha256)

    def _may_read_file(self, c, sha: str) -> bool:
        r = self.roles(c)
        for row in c.execute(select(versions).where(versions.c.sha256 == sha)):
            if self._sees_entry(c, r, row):
                return True
        for row in c.execute(select(proposals).where(proposals.c.sha256 == sha)):
            if self._sees_proposal(c, r, row):
                return True
        return c.execute(select(publications.c.id).where(publications.c.redline_sha256 == sha)).first() is not None \
            and r.read_published()

    # -- negotiations -------------------------------------------------------------------------------
    def negotiations(self) -> list[dict]:
        r = self.roles()
        r.need(r.read_published(), "see the negotiations (ask the secretariat for a membership)")
        with self.engine.connect() as c:
            return [dict(x._mapping) for x in c.execute(select(negotiations).order_by(negotiations.c.id))]

    def create_negotiation(self, name: str, symbol: str = "") -> int:
        name = name.strip()
        if not name:
            raise ValueError("a negotiation needs a name")
        with self.engine.begin() as c:
            r = self.roles(c)
            row = c.execute(select(negotiations.c.id).where(negotiations.c.name == name)).first()
            if row and r.read_published():
                return row[0]
            r.need(r.manage(), "create a negotiation")
            try:
                with c.begin_nested():
                    nid = c.execute(insert(negotiations).values(name=name, symbol=symbol.strip(),
                                                                created=_now())).inserted_primary_key[0]
            except IntegrityError:
                return c.execute(select(negotiations.c.id).where(negotiations.c.name == name)).first()[0]
            self._audit(c, "negotiation created", negotiation_id=nid, subject=name, detail=symbol.strip())
            return nid

    # -- entries: versions and proposals' files ---------------------------------------------------
    def _sees_entry(self, c, r: Roles, row) -> bool:
        if r.everything or r.steer(row.negotiation_id):
            return True
        if row.removed is not None:
            return False
        if row.kind == "version":
            return r.read_published()
        if r.delegations and row.party:       # a party's file: its own members see it
            names = {_norm(d.name) for d in c.execute(select(delegations).where(delegations.c.id.in_(list(r.delegations))))}
            return _norm(row.party) in names
        return False

    def add(self, negotiation_id: int, data: bytes, filename: str, label: str, kind: str = "version",
            party: str = "", date: str = "", reading: str = "", replace: bool = False) -> Entry:
        """Store a version (or a party's proposal file). An entry of the same
        kind, label and party is never replaced silently: the same file again
        is harmless (the entry comes back), another file is refused unless
        `replace=True` (the earlier bytes stay in the store, by their sha256).
        A removed entry of that name keeps its place in the Removed list, renamed."""
        if kind not in ("version", "proposal"):
            raise ValueError(f"unknown kind {kind!r}")
        if kind == "proposal" and not party.strip():
            raise ValueError("a proposal needs a party")
        label, party = label.strip(), party.strip()
        if not label:
            raise ValueError("an entry needs a label")
        with self.engine.begin() as c:
            return self._add(c, negotiation_id, data, filename, label, kind, party, date, reading, replace)

    def _add(self, c, negotiation_id, data, filename, label, kind, party, date, reading, replace) -> Entry:
        r = self.roles(c)
        r.need(r.steer(negotiation_id), f"add {kind}s to negotiation {negotiation_id}")
        existing = c.execute(select(versions).where(
            (versions.c.negotiation_id == negotiation_id) & (versions.c.kind == kind) &
            (versions.c.label == label) & (versions.c.party == party))).first()
        sha = filestore.sha256(data)
        if existing is not None and existing.removed is not None:
            # A removed entry keeps its place in the Removed list under a new label.
            c.execute(update(versions).where(versions.c.id == existing.id).values(
                label=_free_label(c, existing, f"{label} (removed {existing.removed:%Y-%m-%d %H:%M:%S})")))
            existing = None
        if existing is not None and existing.sha256 == sha and existing.filename == filename and not replace:
            return _entry(existing)                   # the same file again: harmless
        if existing is not None and not replace:
            who = f" of {party}" if party else ""
            raise ValueError(f"there is already a {kind}{who} labelled {label!r} ({existing.filename}); "
                             f"choose another label, or replace it")
        self._put(c, data)
        if existing is not None:
            c.execute(update(versions).where(versions.c.id == existing.id).values(
                filename=filename, sha256=sha, date=date, reading=reading))
            vid = existing.id
            action, detail = "entry replaced", f"was {existing.filename} sha256 {existing.sha256}"
        else:
            pos = c.execute(select(func.count()).select_from(versions).where(
                versions.c.negotiation_id == negotiation_id)).scalar()
            vid = c.execute(insert(versions).values(negotiation_id=negotiation_id, kind=kind, label=label,
                                                    party=party, date=date, filename=filename, sha256=sha,
                                                    position=pos, reading=reading)).inserted_primary_key[0]
            action, detail = "entry added", ""
        self._audit(c, action, negotiation_id=negotiation_id, subject=f"{kind} {label}" + (f" ({party})" if party else ""),
                    detail=(f"{filename}; " + detail).strip("; "), sha256=sha)
        return _entry(c.execute(select(versions).where(versions.c.id == vid)).first())

    def entry(self, vid: int) -> Entry:
        with self.engine.connect() as c:
            row = c.execute(select(versions).where(versions.c.id == vid)).first()
            if row is None or not self._sees_entry(c, self.roles(c), row):
                raise NotVisible(f"no entry {vid} is visible to {self.user.email}")
            return _entry(row)

    def entries(self, negotiation_id: int, kind: str | None = None, removed: bool = False) -> list[Entry]:
        """The entries in their order; removed=True lists only the removed ones."""
        q = select(versions).where(versions.c.negotiation_id == negotiation_id)
        if kind:
            q = q.where(versions.c.kind == kind)
        if removed:         # newest removal first
            q = q.where(versions.c.removed.is_not(None)).order_by(versions.c.removed.desc(), versions.c.id)
        else:
            q = q.where(versions.c.removed.is_(None)).order_by(versions.c.position, versions.c.id)
        with self.engine.connect() as c:
            r = self.roles(c)
            r.need(r.read_published(), "see this negotiation")
            rows = c.execute(q).all()
            return [_entry(x) for x in rows if self._sees_entry(c, r, x)]

    def _entry_for_change(self, c, vid: int, what: str):
        row = c.execute(select(versions).where(versions.c.id == vid)).first()
        r = self.roles(c)
        if row is None:
            raise NotVisible(f"no entry {vid} is visible to {self.user.email}")
        r.need(r.steer(row.negotiation_id), f"{what} entries of negotiation {row.negotiation_id}")
        return row

    def update_entry(self, entry_id: int, *, label: str | None = None, party: str | None = None,
                     date: str | None = None) -> Entry:
        with self.engine.begin() as c:
            row = self._entry_for_change(c, entry_id, "change")
            values = {k: str(v).strip() for k, v in (("label", label), ("party", party), ("date", date)) if v is not None}
            if row.kind != "proposal" and "party" in values:
                values["party"] = ""
            if "label" in values and not values["label"]:
                raise ValueError("an entry needs a label")
            if row.kind == "proposal" and "party" in values and not values["party"]:
                raise ValueError("a proposal needs a party")
            if not values:
                return _entry(row)
            new = {"label": row.label, "party": row.party, **values}
            other = c.execute(select(versions).where(
                (versions.c.negotiation_id == row.negotiation_id) & (versions.c.kind == row.kind) &
                (versions.c.label == new["label"]) & (versions.c.party == new["party"]) &
                (versions.c.id != entry_id))).first()
            if other is not None:
                if other.removed is None:
                    who = f" of {new['party']}" if new["party"] else ""
                    raise ValueError(f"there is already a {row.kind}{who} labelled {new['label']!r} ({other.filename})")
                c.execute(update(versions).where(versions.c.id == other.id).values(
                    label=_free_label(c, other, f"{new['label']} (removed {other.removed:%Y-%m-%d %H:%M:%S})")))
            c.execute(update(versions).where(versions.c.id == entry_id).values(**values))
            self._audit(c, "entry changed", negotiation_id=row.negotiation_id, subject=f"entry {entry_id}",
                        detail="; ".join(f"{k}: {getattr(row, k)!r} → {v!r}" for k, v in values.items()))
            return _entry(c.execute(select(versions).where(versions.c.id == entry_id)).first())

    def remove(self, entry_id: int) -> None:
        """Soft removal: the entry leaves entries() and keeps its file and history."""
        with self.engine.begin() as c:
            row = self._entry_for_change(c, entry_id, "remove")
            if row.removed is None:
                c.execute(update(versions).where(versions.c.id == entry_id).values(removed=_now()))
                self._audit(c, "entry removed", negotiation_id=row.negotiation_id,
                            subject=f"{row.kind} {row.label}", sha256=row.sha256)

    def restore(self, entry_id: int) -> Entry:
        with self.engine.begin() as c:
            row = self._entry_for_change(c, entry_id, "restore")
            if row.removed is not None:
                c.execute(update(versions).where(versions.c.id == entry_id).values(removed=None))
                self._audit(c, "entry restored", negotiation_id=row.negotiation_id,
                            subject=f"{row.kind} {row.label}", sha256=row.sha256)
            return _entry(c.execute(select(versions).where(versions.c.id == entry_id)).first())

    # -- delegations and memberships --------------------------------------------------------------
    def delegations(self) -> list[dict]:
        r = self.roles()
        r.need(r.read_published(), "see the delegations")
        with self.engine.connect() as c:
            return [dict(x._mapping) for x in c.execute(select(delegations).order_by(delegations.c.name))]

    def delegation_id(self, name_or_id: str | int, c=None) -> int:
        if isinstance(name_or_id, int):
            return name_or_id
        if c is None:
            with self.engine.connect() as c2:
                return self._delegation_row(c2, name_or_id).id
        return self._delegation_row(c, name_or_id).id

    def _delegation_row(self, c, name_or_id: str | int):
        if isinstance(name_or_id, int):
            row = c.execute(select(delegations).where(delegations.c.id == name_or_id)).first()
            if row is None:
                raise ValueError(f"no delegation {name_or_id}")
            return row
        exact = c.execute(select(delegations).where(delegations.c.name == name_or_id.strip())).first()
        if exact is not None:                   # the usual case, one row; else compare names loosely
            return exact
        for d in c.execute(select(delegations)):
            if _norm(d.name) == _norm(name_or_id):
                return d
        raise ValueError(f"no delegation named {name_or_id!r} (add it first: negotiate admin add-delegation)")

    def add_delegation(self, name: str, group: bool = False) -> int:
        name = name.strip()
        if not name:
            raise ValueError("a delegation needs a name")
        with self.engine.begin() as c:
            r = self.roles(c)
            r.need(r.manage(), "add delegations")
            for d in c.execute(select(delegations)):
                if _norm(d.name) == _norm(name):
                    return d.id
            did = c.execute(insert(delegations).values(name=name, group=group, created=_now())).inserted_primary_key[0]
            self._audit(c, "delegation added", subject=name, detail="group" if group else "")
            return did

    def grant(self, email: str, role: str, *, negotiation_id: int | None = None,
              delegation: str | int | None = None, focal_point: bool = False) -> int:
        """Give a person (by the e-mail their identity provider gives) a role."""
        email = email.strip().lower()
        if "@" not in email:
            raise ValueError(f"{email!r} is not an e-mail address")
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
        if role == "co-facilitator" and negotiation_id is None:
            raise ValueError("a co-facilitator is of one negotiation: give the negotiation")
        if role == "member" and delegation is None:
            raise ValueError("a member is of one delegation: give the delegation")
        with self.engine.begin() as c:
            r = self.roles(c)
            r.need(r.manage(), "manage memberships")
            did = self.delegation_id(delegation, c) if role == "member" else None
            if role == "co-facilitator" and c.execute(select(negotiations.c.id).where(
                    negotiations.c.id == negotiation_id)).first() is None:
                raise ValueError(f"no negotiation {negotiation_id}")
            q = select(memberships).where((memberships.c.email == email) & (memberships.c.role == role) &
                                          memberships.c.removed.is_(None))
            q = q.where(memberships.c.negotiation_id == negotiation_id if role == "co-facilitator"
                        else memberships.c.negotiation_id.is_(None))
            q = q.where(memberships.c.delegation_id == did if did is not None else memberships.c.delegation_id.is_(None))
            old = c.execute(q).first()
            if old and bool(old.focal_point) == focal_point:
                return old.id
            if old:
                c.execute(update(memberships).where(memberships.c.id == old.id).values(removed=_now()))
            mid = c.execute(insert(memberships).values(
                email=email, role=role, negotiation_id=negotiation_id if role == "co-facilitator" else None,
                delegation_id=did, focal_point=focal_point and role == "member", created=_now())).inserted_primary_key[0]
            self._audit(c, "membership granted", negotiation_id=negotiation_id, subject=email,
                        detail=role + (f" of delegation {delegation}" if did else "")
                        + (f" of negotiation {negotiation_id}" if role == "co-facilitator" else "")
                        + (" (focal point)" if focal_point and did else ""))
            return mid

    def revoke(self, membership_id: int) -> None:
        with self.engine.begin() as c:
            r = self.roles(c)
            r.need(r.manage(), "manage memberships")
            m = c.execute(select(memberships).where(memberships.c.id == membership_id)).first()
            if m is None:
                raise ValueError(f"no membership {membership_id}")
            if m.removed is None:
                c.execute(update(memberships).where(memberships.c.id == membership_id).values(removed=_now()))
                self._audit(c, "membership revoked", negotiation_id=m.negotiation_id, subject=m.email,
                            detail=f"{m.role} (membership {membership_id})")

    def memberships(self, include_revoked: bool = False) -> list[dict]:
        """Everyone's memberships for the secretariat; one's own for anyone else."""
        with self.engine.connect() as c:
            r = self.roles(c)
            q = select(memberships, delegations.c.name.label("delegation")).select_from(
                memberships.outerjoin(delegations, memberships.c.delegation_id == delegations.c.id))
            if not r.manage():
                q = q.where(memberships.c.email == self.user.email)
            if not include_revoked:
                q = q.where(memberships.c.removed.is_(None))
            return [dict(x._mapping) for x in c.execute(q.order_by(memberships.c.email, memberships.c.id))]

    # -- the audit trail ---------------------------------------------------------------------------
    def record(self, action: str, subject: str = "", detail: str = "") -> None:
        """An event the faces see and the store does not (a sign-in, a sign-out)."""
        if action not in ("sign-in", "sign-out", "session expired"):
            raise ValueError(f"not an event a face may record: {action!r}")
        with self.engine.begin() as c:
            self._audit(c, action, subject=subject or self.user.email, detail=detail)

    def _note(self, action: str, subject: str = "", detail: str = "", sha256: str = "") -> None:
        """An action of the acting person done elsewhere than in these tables (the library's)."""
        with self.engine.begin() as c:
            self._audit(c, action, subject=subject, detail=detail, sha256=sha256)

    def library(self, library=None):
        """The library of adopted texts (the default one unless given) as the
        acting person may use it: read by anyone with a role, changed by the
        secretariat (store/library.py)."""
        from .library import LibraryView
        if library is None:
            from ..precedents import Library
            library = Library()
        return LibraryView(library, self)

    def activity(self, negotiation_id: int | None = None, limit: int | None = None) -> list[dict]:
        r = self.roles()
        r.need(r.manage(), "read the activity log")
        q = select(audit).order_by(audit.c.id.desc())
        if negotiation_id is not None:
            q = q.where(audit.c.negotiation_id == negotiation_id)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as c:
            return [dict(x._mapping) for x in c.execute(q)]

    def activity_csv(self, negotiation_id: int | None = None) -> str:
        out = io.StringIO()
        w = csv.writer(out)
        cols = ["id", "at", "actor", "action", "negotiation_id", "subject", "detail", "sha256"]
        w.writerow(cols)
        for row in reversed(self.activity(negotiation_id)):
            w.writerow([_csv_safe(row[k]) for k in cols])
        return out.getvalue()

    # -- the integrity check --------------------------------------------------------------------
    def check(self) -> list[dict]:
        """Entries, proposals and redlines whose file is missing or whose sha256 no longer matches."""
        r = self.roles()
        r.need(r.manage(), "check the store")
        problems = []
        with self.engine.connect() as c:
            refs: list[tuple[str, str]] = []
            for e in c.execute(select(versions)):
                refs.append((e.sha256, f"{e.kind} {e.label!r}" + (f" of {e.party}" if e.party else "")
                             + f" (entry {e.id}, negotiation {e.negotiation_id}, {e.filename})"))
            for p in c.execute(select(proposals).where(proposals.c.sha256.is_not(None))):
                refs.append((p.sha256, f"proposal {p.id} ({p.filename})"))
            for p in c.execute(select(publications)):
                refs.append((p.redline_sha256, f"the redline of publication {p.id}"))
            seen: dict[str, str | None] = {}
            for sha, what in refs:
                if sha not in seen:
                    data = self.files.read(c, sha)
                    seen[sha] = "missing" if data is None else (
                        None if filestore.sha256(data) == sha else "sha256 no longer matches")
                if seen[sha]:
                    problems.append({"sha256": sha, "what": what, "problem": seen[sha]})
        return problems


def _free_label(c, row, label: str) -> str:
    """`label`, or `label #2`, `#3`… — the first one no entry of that kind and party has."""
    cand, n = label, 1
    while c.execute(select(versions.c.id).where(
            (versions.c.negotiation_id == row.negotiation_id) & (versions.c.kind == row.kind) &
            (versions.c.label == cand) & (versions.c.party == row.party))).first() is not None:
        n += 1
        cand = f"{label} #{n}"
    return cand


def _csv_safe(v) -> str:
    """A cell a spreadsheet will not run as a formula."""
    s = "" if v is None else str(v)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


_WHAT_TO_DO = ("nothing was changed. Restore it from a backup, or move it aside to start a new, empty workspace "
               "(the stored files beside it are kept)")


def _refuse_damage(db: Path, folder: Path) -> None:
    """A database that is damaged, or empty while files exist beside it, is
    refused — never taken as a new workspace and seeded over.

    Lost or being created by another process at this moment? No waiting and
    guessing: a store's main file has content (SQLite writes its first page
    when switching to WAL, in the connection's set-up) before its tables are
    committed, files are stored only after that (`_put`, in a transaction of an
    opened store), and the main file never shrinks. So the stored files are
    looked at first and the main file after: files seen, then a missing or
    empty main file, means it was lost — whatever another process does between
    the two looks (tests/test_store.py plays every step in between)."""
    stored = _stored_files(folder)
    _between_looks()
    size = db.stat().st_size if db.exists() else None
    if not size:
        if stored:
            state = "is missing" if size is None else "is empty (0 bytes)"
            logs = [x for x in ("-wal", "-journal") if db.with_name(db.name + x).exists()]
            raise StoreDamaged(str(db), f"the workspace database {state} but {len(stored)} stored file(s) are beside it "
                                        f"({folder}{'; its ' + ' and '.join(logs) + ' file remains' if logs else ''}): "
                                        f"it was lost or truncated. Restore it from a backup; to start "
                                        f"a new workspace instead, move {folder} aside first")
        return              # a new workspace (SQLite takes a 0-byte file as an empty database)
    if not db.is_file():
        raise StoreDamaged(str(db), "the workspace database is not a regular file")
    with open(db, "rb") as f:
        head = f.read(16)
    if head != b"SQLite format 3\x00":
        raise StoreDamaged(str(db), f"not a SQLite database (damaged or overwritten); {_WHAT_TO_DO}")
    try:
        conn = sqlite3.connect(db, timeout=30)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise StoreDamaged(str(db), f"the workspace database is damaged ({e}); {_WHAT_TO_DO}") from None
    if rows != [("ok",)]:
        first = "; ".join(str(r[0]) for r in rows[:2])
        raise StoreDamaged(str(db), f"the workspace database is damaged ({first}); {_WHAT_TO_DO}")


def _stored_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if not p.name.startswith(filestore.TMP)] if folder.exists() else []


def _between_looks() -> None:
    """Nothing: a test puts another process's next step here."""


def _sqlite_setup(engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        # We issue BEGIN ourselves: the driver's deferred BEGIN lets two
        # writers both read, then one fails to upgrade its lock at once
        # ("database is locked"), which the busy timeout cannot help.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=30000")   # first: switching to WAL may wait for a lock
        _wal(cur)
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _wal(cur) -> None:
    """Switch the database to WAL (once: the mode is kept in the file). SQLite
    answers "database is locked" at once, without waiting out the busy timeout,
    when another connection holds a lock during the switch — as when several
    sessions open a new store together — so the switch is retried."""
    import time
    if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    for attempt in range(300):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or attempt == 299:
                raise
            time.sleep(0.1)


def local_user() -> User:
    return LOCAL
