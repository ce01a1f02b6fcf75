"""Calls for inputs, delegations' proposals, the compilation and publication.

A call names a version of the text, the paragraphs open for proposals and a
deadline. A proposal belongs to one delegation and is typed amendments
(replace / insert after / delete a numbered paragraph), a .docx of the text
with tracked changes, or a whole revised text; the two file forms become
amendments of that delegation, whatever the Word author names say.

Lifecycle: draft (its delegation only) → submitted (a receipt: time and
sha256) → withdrawn, or accepted / rejected / merged by the co-facilitators.
Co-sponsors are other delegations, each confirming for itself. After the
deadline a submission is refused until the secretariat reopens the call.

The compilation is consolidate.build over every submitted proposal, one
party per delegation (its co-sponsors named with it), computed afresh each
time it is asked for; publishing turns the co-facilitators' picks into the
next version, a Word redline against the call's text and every proposal's fate.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import timezone as _tz
from types import SimpleNamespace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from .access import AccessDenied
from .schema import amendments, calls, cosponsors, delegations, proposals, publications, versions

OPS = ("replace", "insert_after", "delete", "move_after")
_TEXT_COLUMNS = ("id", "label", "filename", "sha256", "reading")
# Built once: SQLAlchemy's per-execution cost grows with the statement's size.
_CALL_AND_TEXT = select(calls, *[versions.c[k].label(f"v_{k}") for k in _TEXT_COLUMNS]).join(
    versions, versions.c.id == calls.c.version_id).where(calls.c.id == bindparam("cid"))
FORMS = ("amendments", "docx", "text")
STATUSES = ("draft", "submitted", "withdrawn", "accepted", "rejected", "merged")
COMPILED = ("submitted", "accepted", "merged")        # what the compilation is made of
DECISIONS = ("accepted", "rejected", "merged")


@dataclass
class Amendment:
    op: str                 # replace | insert_after | delete | move_after
    paragraph: str          # the label as printed in the call's text: "12", "12 bis.", "(a)"
    text: str = ""          # the new wording (replace, insert_after); brackets as the conventions describe
    target: str = ""        # move_after: the paragraph it goes after ("move paragraph 5 after 7")

    def describe(self) -> str:
        """As a secretariat writes it: 'Move paragraph 5 after paragraph 7'."""
        p, t = self.paragraph.strip().rstrip("."), self.target.strip().rstrip(".")
        if self.op == "move_after":
            return f"Move paragraph {p} after paragraph {t}"
        if self.op == "delete":
            return f"Delete paragraph {p}"
        if self.op == "insert_after":
            return f"After paragraph {p}, insert: {self.text}"
        return f"Replace paragraph {p} by: {self.text}"


@dataclass
class Proposal:
    id: int
    call_id: int
    negotiation_id: int
    delegation: str
    delegation_id: int
    form: str
    title: str
    status: str
    created: datetime
    created_by: str
    filename: str = ""
    sha256: str | None = None
    submitted: datetime | None = None
    submitted_by: str | None = None
    receipt: str | None = None
    decided: datetime | None = None
    decided_by: str | None = None
    fate: str = ""
    amendments: list[Amendment] = field(default_factory=list)
    cosponsors: dict[str, datetime | None] = field(default_factory=dict)   # delegation → confirmed (None: invited)


def zone(name: str | None) -> ZoneInfo | _tz:
    """The time zone named (IANA: "Europe/Zurich", "America/New_York"; "UTC")."""
    name = (name or "UTC").strip() or "UTC"
    if name.upper() in ("UTC", "Z", "GMT"):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (an IANA name such as Europe/Zurich, or UTC)") from None


def at_deadline(deadline: datetime, zone_name: str = "UTC") -> datetime:
    """A deadline as an aware datetime in UTC: a naive one is a wall-clock time in
    `zone_name` (23:59 in Geneva, Europe/Zurich); an aware one is kept as the instant it is."""
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=zone(zone_name))
    return deadline.astimezone(UTC)


def when(moment: datetime, zone_name: str | None = "UTC") -> str:
    """'2026-12-15 23:59 CET' — an instant as the clock in that zone shows it."""
    local = moment.astimezone(zone(zone_name))
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or zone_name}"


def deadline_text(moment: datetime, zone_name: str = "UTC") -> str:
    """The call's deadline in the call's zone, with UTC beside it when that is another clock."""
    own = when(moment, zone_name)
    return own if zone(zone_name) is UTC or own.endswith(" UTC") else f"{own} ({zone_name}; {when(moment)})"


def _lab(s: str) -> str:
    return " ".join(s.replace("\u00a0", " ").split()).rstrip(".:)").lstrip("(").casefold()


def _check_brackets(text: str, where: str) -> None:
    from ..markup import parse
    t = parse(text)
    if t.problems:
        p = t.problems[0]
        raise ValueError(f"{where}: {p.message} at character {p.offset + 1} — brackets must close within the amendment")
    if t.left_open:
        ch, off = t.left_open[0]
        raise ValueError(f"{where}: '{ch}' at character {(off or 0) + 1} is never closed — "
                         "brackets must close within the amendment")


class Workflow:
    # -- calls ---------------------------------------------------------------------------------
    def _call(self, c, call_id: int):
        row = c.execute(select(calls).where(calls.c.id == call_id)).first()
        if row is None:
            raise ValueError(f"no call {call_id}")
        return row

    def _call_and_text(self, c, call_id: int):
        """The call and the entry of its text, in one query (a submission's path)."""
        row = c.execute(_CALL_AND_TEXT, {"cid": call_id}).first()
        if row is None:
            raise ValueError(f"no call {call_id}")
        m = row._mapping
        return row, SimpleNamespace(**{k: m[f"v_{k}"] for k in _TEXT_COLUMNS})

    def open_call(self, negotiation_id: int, version_id: int, title: str, deadline: datetime,
                  paragraphs: list[str] | tuple[str, ...] = (), timezone: str = "UTC") -> int:
        """`deadline`: an aware datetime, or a naive one read on the clock of the
        call's `timezone` (an IANA name: the meeting's place, "Europe/Zurich")."""
        from .core import _now
        title = title.strip()
        if not title:
            raise ValueError("a call needs a title")
        timezone = (timezone or "UTC").strip() or "UTC"
        deadline = at_deadline(deadline, timezone)
        with self.engine.begin() as c:
            r = self.roles(c)
            r.need(r.manage(), "open calls for inputs")
            v = c.execute(select(versions).where(versions.c.id == version_id)).first()
            if v is None or v.negotiation_id != negotiation_id or v.kind != "version" or v.removed is not None:
                raise ValueError(f"entry {version_id} is not a version of negotiation {negotiation_id}")
            paras = [p.strip() for p in paragraphs if p.strip()]
            if paras:
                labels = {_lab(b.label) for b in self._read_entry(c, v).blocks if b.label}
                missing = [p for p in paras if _lab(p) not in labels]
                if missing:
                    raise ValueError(f"the text {v.label!r} has no paragraph {', '.join(missing)}")
            cid = c.execute(insert(calls).values(negotiation_id=negotiation_id, version_id=version_id, title=title,
                                                 paragraphs="\n".join(paras), deadline=deadline, timezone=timezone,
                                                 created=_now(), created_by=self.user.email)).inserted_primary_key[0]
            self._audit(c, "call opened", negotiation_id=negotiation_id, subject=f"call {cid}",
                        detail=f"{title}; text {v.label}; deadline {deadline_text(deadline, timezone)}; paragraphs "
                               + (", ".join(paras) or "all"), sha256=v.sha256)
            return cid

    def reopen_call(self, call_id: int, deadline: datetime) -> None:
        """A new deadline: aware, or naive on the clock of the call's time zone."""
        with self.engine.begin() as c:
            r = self.roles(c)
            r.need(r.manage(), "reopen calls for inputs")
            row = self._call(c, call_id)
            if row.closed is not None:
                raise ValueError(f"call {call_id} was closed by a publication: open a new call on the new version")
            deadline = at_deadline(deadline, row.timezone)
            c.execute(update(calls).where(calls.c.id == call_id).values(deadline=deadline))
            self._audit(c, "call reopened", negotiation_id=row.negotiation_id, subject=f"call {call_id}",
                        detail=f"deadline {deadline_text(row.deadline, row.timezone)} → "
                               f"{deadline_text(deadline, row.timezone)}")

    def calls(self, negotiation_id: int) -> list[dict]:
        with self.engine.connect() as c:
            r = self.roles(c)
            r.need(r.read_published(), "see calls for inputs")
            rows = c.execute(select(calls).where(calls.c.negotiation_id == negotiation_id).order_by(calls.c.id))
            return [dict(x._mapping, paragraphs=[p for p in x.paragraphs.split("\n") if p]) for x in rows]

    def call(self, call_id: int) -> dict:
        with self.engine.connect() as c:
            r = self.roles(c)
            r.need(r.read_published(), "see calls for inputs")
            x = self._call(c, call_id)
            return dict(x._mapping, paragraphs=[p for p in x.paragraphs.split("\n") if p])

    # -- reading the call's text ------------------------------------------------------------------
    def _read_entry(self, c, v):
        """The entry's Document; kept by sha256 (a stored file never changes) for
        the next proposal checked against the same text."""
        from .. import read
        key = (v.sha256, v.filename, v.reading)
        cache = self._documents
        if key in cache:
            return cache[key]
        data = self.files.read(c, v.sha256)
        if data is None:
            raise OSError(f"the file of {v.label!r} is missing from the store (run `negotiate store check`)")
        doc = read(v.filename, data=data, name=v.filename, ocr=v.reading == "ocr")
        if len(cache) >= 8:
            cache.pop(next(iter(cache)))
        cache[key] = doc
        return doc

    def _labels_of(self, doc) -> set[str]:
        """The paragraph labels of a text, as _lab compares them; kept with the text's reading."""
        sets = self._label_sets
        got = sets.get(id(doc))
        if got is None or got[0] is not doc:
            if len(sets) >= 16:
                sets.clear()
            got = sets[id(doc)] = (doc, {_lab(b.label) for b in doc.blocks if b.label})
        return got[1]

    # -- proposals ---------------------------------------------------------------------------------
    def _sees_proposal(self, c, r, row) -> bool:
        if r.everything or r.member_of(row.delegation_id):
            return True
        if row.status == "draft":
            return False                        # a draft: its own delegation only
        if any(r.member_of(x.delegation_id) for x in c.execute(
                select(cosponsors.c.delegation_id).where(cosponsors.c.proposal_id == row.id))):
            return True                         # invited to co-sponsor it
        nid = self._call(c, row.call_id).negotiation_id
        return r.steer(nid)

    def _proposal(self, c, row) -> Proposal:
        return self._proposals_of(c, [row])[0]

    def _proposals_of(self, c, rows) -> list[Proposal]:
        """Proposals from their rows, in four queries however many there are."""
        if not rows:
            return []
        ids = [r.id for r in rows]
        names = {d.id: d.name for d in c.execute(select(delegations))}
        nids = {x.id: x.negotiation_id for x in c.execute(
            select(calls.c.id, calls.c.negotiation_id).where(calls.c.id.in_({r.call_id for r in rows})))}
        ams: dict[int, list[Amendment]] = {i: [] for i in ids}
        for a in c.execute(select(amendments).where(amendments.c.proposal_id.in_(ids))
                           .order_by(amendments.c.proposal_id, amendments.c.position)):
            ams[a.proposal_id].append(Amendment(a.op, a.paragraph, a.text, a.target))
        cos: dict[int, dict] = {i: {} for i in ids}
        for x in c.execute(select(cosponsors).where(cosponsors.c.proposal_id.in_(ids))):
            cos[x.proposal_id][names[x.delegation_id]] = x.confirmed
        out = []
        for row in rows:
            m = row._mapping
            out.append(Proposal(id=row.id, call_id=row.call_id, negotiation_id=nids[row.call_id],
                                delegation=names[row.delegation_id], delegation_id=row.delegation_id, form=row.form,
                                title=row.title, status=row.status, created=row.created, created_by=row.created_by,
                                filename=row.filename, sha256=row.sha256, submitted=m["submitted"],
                                submitted_by=m["submitted_by"], receipt=m["receipt"], decided=m["decided"],
                                decided_by=m["decided_by"], fate=row.fate, amendments=ams[row.id], cosponsors=cos[row.id]))
        return out

    def _visible(self, c, pid: int):
        row = c.execute(select(proposals).where(proposals.c.id == pid)).first()
        if row is None or not self._sees_proposal(c, self.roles(c), row):
            raise AccessDenied(f"no proposal {pid} is visible to {self.user.email}")
        return row

    def proposal(self, pid: int) -> Proposal:
        with self.engine.connect() as c:
            return self._proposal(c, self._visible(c, pid))

    def proposal_by_key(self, key: str) -> Proposal | None:
        """The proposal a client sent with this idempotency key, if it was stored."""
        with self.engine.connect() as c:
            row = c.execute(select(proposals).where(proposals.c.idempotency_key == key)).first()
            if row is None:
                return None
            if not self._sees_proposal(c, self.roles(c), row):
                raise AccessDenied(f"no proposal with that key is visible to {self.user.email}")
            return self._proposal(c, row)

    def proposals(self, call_id: int, *, delegation: str | int | None = None,
                  status: str | None = None) -> list[Proposal]:
        """The proposals of a call the acting person may see."""
        with self.engine.connect() as c:
            r = self.roles(c)
            r.need(r.read_published(), "see proposals")
            q = select(proposals).where(proposals.c.call_id == call_id)
            if delegation is not None:
                q = q.where(proposals.c.delegation_id == self.delegation_id(delegation, c))
            if status:
                q = q.where(proposals.c.status == status)
            rows = c.execute(q.order_by(proposals.c.id)).all()
            if not r.everything:
                steer = r.steer(self._call(c, call_id).negotiation_id)
                invited = {x.proposal_id for x in c.execute(select(cosponsors.c.proposal_id).where(
                    cosponsors.c.delegation_id.in_(list(r.delegations))))} if r.delegations else set()
                # The same rule as _sees_proposal, for many rows at once: its own delegation's, drafts
                # too; another's only once submitted, by those who steer or were invited to co-sponsor it.
                rows = [x for x in rows if r.member_of(x.delegation_id)
                        or (x.status != "draft" and (steer or x.id in invited))]
            return self._proposals_of(c, rows)

    def invitations(self, call_id: int, delegation: str | int) -> list[Proposal]:
        """The call's proposals that `delegation` was invited to co-sponsor and has
        not confirmed yet — for its members (one query, not every proposal of the call)."""
        with self.engine.connect() as c:
            r = self.roles(c)
            did = self.delegation_id(delegation, c)
            r.need(r.member_of(did), f"see the invitations of delegation {delegation}")
            rows = c.execute(select(proposals).join(cosponsors, cosponsors.c.proposal_id == proposals.c.id).where(
                (proposals.c.call_id == call_id) & (cosponsors.c.delegation_id == did) &
                cosponsors.c.confirmed.is_(None) & (proposals.c.status != "draft")).order_by(proposals.c.id)).all()
            return self._proposals_of(c, rows)

    def _amendments_of_file(self, c, call, form: str, data: bytes, filename: str, text=None) -> list[Amendment]:
        """A .docx (its tracked changes accepted, whoever their author) or a
        whole revised text → the amendments that turn the call's text into it."""
        from .. import read
        from ..align import align
        from ..errors import NegotiateError
        base = self._read_entry(c, text or c.execute(select(versions).where(versions.c.id == call.version_id)).first())
        try:
            doc = read(filename, data=data, name=filename, revisions="accept")
        except NegotiateError as e:
            raise ValueError(e.oneline()) from None
        al = align(base, doc)
        linked = sum(len(l.new) for l in al.links if l.old and l.new)
        if min(len(base.blocks), len(doc.blocks)) >= 5 and linked < 0.3 * min(len(base.blocks), len(doc.blocks)):
            raise ValueError(f"{filename}: does not look like a version of the call's text "
                             f"({linked} of {len(doc.blocks)} paragraphs match)")
        return amendments_between(base, doc, al.links)

    def _validate(self, c, call, ams: list[Amendment], text=None) -> list[Amendment]:
        if not ams:
            raise ValueError("a proposal needs at least one amendment (or a file that changes the text)")
        base = self._read_entry(c, text or c.execute(select(versions).where(versions.c.id == call.version_id)).first())
        labels = self._labels_of(base)
        open_ = {_lab(p) for p in call.paragraphs.split("\n") if p}
        for k, a in enumerate(ams, 1):
            where = f"amendment {k} ({a.op} {a.paragraph})"
            if a.op not in OPS:
                raise ValueError(f"{where}: unknown operation (one of {', '.join(OPS)})")
            if _lab(a.paragraph) not in labels:
                raise ValueError(f"{where}: the call's text has no paragraph {a.paragraph!r}")
            if open_ and _lab(a.paragraph) not in open_:
                raise ValueError(f"{where}: paragraph {a.paragraph} is not open for proposals in this call "
                                 f"(open: {', '.join(call.paragraphs.split(chr(10)))})")
            if a.op == "move_after":
                if _lab(a.target) not in labels:
                    raise ValueError(f"{where}: the call's text has no paragraph {a.target!r} to move it after")
                if _lab(a.target) == _lab(a.paragraph):
                    raise ValueError(f"{where}: a paragraph cannot be moved after itself")
                continue
            if a.op != "delete" and not a.text.strip():
                raise ValueError(f"{where}: no text")
            if a.op != "delete":
                _check_brackets(a.text, where)
        moves = {_lab(a.paragraph): _lab(a.target) for a in ams if a.op == "move_after"}
        for start in moves:
            seen, at = {start}, moves[start]
            while at in moves:
                if at in seen:
                    raise ValueError(f"the moves of paragraphs {', '.join(sorted(seen))} go round in a circle")
                seen.add(at)
                at = moves[at]
        return ams

    def propose(self, call_id: int, delegation: str | int, *, amendments_: list[Amendment] | None = None,
                data: bytes | None = None, filename: str = "", title: str = "", submit: bool = False,
                idempotency_key: str | None = None) -> Proposal:
        """A new proposal of `delegation` (a draft, or submitted at once).
        Give typed amendments, or the bytes of a .docx with tracked changes
        or of a whole revised text (`filename` tells which). An idempotency
        key makes a retried call harmless: the first stored proposal comes back."""
        from .core import _now
        with self.engine.begin() as c:
            r = self.roles(c)
            d = self._delegation(c, delegation)
            r.need(r.member_of(d.id), f"make proposals for delegation {delegation}")
            call, text = self._call_and_text(c, call_id)
            sha = None
            if data is not None:
                if amendments_:
                    raise ValueError("give amendments or a file, not both")
                form = "docx" if filename.lower().endswith(".docx") else "text"
                ams = self._amendments_of_file(c, call, form, data, filename or "proposal.txt", text=text)
            else:
                form, ams = "amendments", list(amendments_ or [])
            ams = self._validate(c, call, ams, text=text)
            if data is not None:
                sha = self._put(c, data)
            now = _now()
            values = dict(call_id=call_id, delegation_id=d.id, form=form, title=title.strip(), filename=filename,
                          sha256=sha, status="draft", created=now, created_by=self.user.email,
                          idempotency_key=idempotency_key)
            # With an idempotency key, a retried call: the key is unique, so the first stored proposal wins
            # and comes back (one statement; a concurrent retry waits for the first instead of failing).
            got = c.execute(_proposal_insert(c.dialect.name, bool(idempotency_key)), values).first()
            if got is None:
                old = c.execute(select(proposals).where(proposals.c.idempotency_key == idempotency_key)).first()
                if old.delegation_id != d.id or old.call_id != call_id:
                    raise ValueError("this idempotency key was used for another proposal")
                return self._proposal(c, old)
            pid = got[0]
            self._write_amendments(c, pid, ams, new=True)
            p = Proposal(id=pid, call_id=call_id, negotiation_id=call.negotiation_id, delegation=d.name,
                         delegation_id=d.id, form=form, title=values["title"], status="draft", created=now,
                         created_by=self.user.email, filename=filename, sha256=sha, amendments=ams)
            if not submit:
                self._audit(c, "proposal drafted", negotiation_id=call.negotiation_id, subject=f"proposal {pid}",
                            detail=f"{form}, {len(ams)} amendment(s), call {call_id}, delegation {d.name}",
                            sha256=sha or "")
                return p
            # Drafted and submitted at once: one transaction, one audit row.
            p.status, p.submitted, p.submitted_by, p.receipt = self._submit(
                c, r, pid, row=SimpleNamespace(id=pid, **values), d=d, call=call, ams=ams,
                note=f"drafted and submitted at once: {form}, {len(ams)} amendment(s)")
            return p

    def _delegation(self, c, name_or_id):
        return self._delegation_row(c, name_or_id)

    def _write_amendments(self, c, pid: int, ams: list[Amendment], new: bool = False) -> None:
        if not new:
            c.execute(amendments.delete().where(amendments.c.proposal_id == pid))
        c.execute(insert(amendments), [dict(proposal_id=pid, position=k, op=a.op, paragraph=a.paragraph.strip(),
                                            text=a.text, target=a.target.strip()) for k, a in enumerate(ams)])

    def edit_draft(self, pid: int, amendments_: list[Amendment], title: str | None = None) -> Proposal:
        with self.engine.begin() as c:
            row = c.execute(select(proposals).where(proposals.c.id == pid)).first()
            r = self.roles(c)
            if row is None or not r.member_of(row.delegation_id):
                raise AccessDenied(f"{self.user.email} may not edit proposal {pid}")
            if row.status != "draft":
                raise ValueError(f"proposal {pid} is {row.status}: only a draft can be edited")
            call = self._call(c, row.call_id)
            ams = self._validate(c, call, list(amendments_))
            self._write_amendments(c, pid, ams)
            if title is not None:
                c.execute(update(proposals).where(proposals.c.id == pid).values(title=title.strip()))
            self._audit(c, "draft edited", negotiation_id=call.negotiation_id, subject=f"proposal {pid}",
                        detail=f"{len(ams)} amendment(s)")
            return self._proposal(c, c.execute(select(proposals).where(proposals.c.id == pid)).first())

    def submit(self, pid: int) -> Proposal:
        with self.engine.begin() as c:
            self._submit(c, self.roles(c), pid)
            return self._proposal(c, c.execute(select(proposals).where(proposals.c.id == pid)).first())

    def _submit(self, c, r, pid: int, *, row=None, d=None, call=None, ams=None, note: str = ""):
        """Submit in the caller's transaction; returns (status, submitted, by, receipt).
        `row`, `d`, `call`, `ams`: what the caller has just written, not read again."""
        from .core import _now
        from .files import sha256
        if row is None:
            row = c.execute(select(proposals).where(proposals.c.id == pid).with_for_update()).first()
        if row is None or not r.member_of(row.delegation_id):
            raise AccessDenied(f"{self.user.email} may not submit proposal {pid}")
        d = d or c.execute(select(delegations).where(delegations.c.id == row.delegation_id)).first()
        r.need(r.submit_for(row.delegation_id, d.group), f"submit for {d.name} (a group submits through its focal points)")
        if row.status == "submitted":
            return row.status, row.submitted, row.submitted_by, row.receipt    # submitting twice is harmless
        if row.status != "draft":
            raise ValueError(f"proposal {pid} is {row.status}: only a draft can be submitted")
        call = call or self._call(c, row.call_id)
        now = _now()
        if call.closed is not None:
            raise ValueError(f"call {call.id} is closed: a version was published from it")
        if now > call.deadline:               # both aware: the instant, whatever the zones
            raise ValueError(f"the call closed at {deadline_text(call.deadline, call.timezone)}: submissions are "
                             "refused unless the secretariat reopens the call")
        if ams is None:
            ams = [Amendment(a.op, a.paragraph, a.text, a.target) for a in c.execute(
                select(amendments).where(amendments.c.proposal_id == pid).order_by(amendments.c.position))]
        listed = [[a.op, a.paragraph.strip(), a.text] + ([a.target] if a.target else []) for a in ams]
        receipt = sha256(json.dumps({"proposal": pid, "call": row.call_id, "delegation": d.name, "form": row.form,
                                     "file": row.sha256, "amendments": listed, "submitted": now.isoformat()},
                                    ensure_ascii=False, sort_keys=True).encode("utf-8"))
        c.execute(update(proposals).where(proposals.c.id == pid).values(
            status="submitted", submitted=now, submitted_by=self.user.email, receipt=receipt))
        self._audit(c, "proposal submitted", negotiation_id=call.negotiation_id, subject=f"proposal {pid}",
                    detail=f"{d.name}; receipt {receipt}" + (f"; {note}" if note else ""), sha256=row.sha256 or receipt)
        return "submitted", now, self.user.email, receipt

    def withdraw(self, pid: int) -> Proposal:
        with self.engine.begin() as c:
            row = c.execute(select(proposals).where(proposals.c.id == pid)).first()
            r = self.roles(c)
            if row is None or not r.member_of(row.delegation_id):
                raise AccessDenied(f"{self.user.email} may not withdraw proposal {pid}")
            if row.status not in ("draft", "submitted"):
                raise ValueError(f"proposal {pid} is {row.status}: it can no longer be withdrawn")
            c.execute(update(proposals).where(proposals.c.id == pid).values(status="withdrawn"))
            call = self._call(c, row.call_id)
            self._audit(c, "proposal withdrawn", negotiation_id=call.negotiation_id, subject=f"proposal {pid}")
            return self._proposal(c, c.execute(select(proposals).where(proposals.c.id == pid)).first())

    def decide(self, pid: int, status: str, fate: str = "") -> Proposal:
        from .core import _now
        if status not in DECISIONS:
            raise ValueError(f"a decision is one of {', '.join(DECISIONS)}")
        with self.engine.begin() as c:
            row = c.execute(select(proposals).where(proposals.c.id == pid)).first()
            r = self.roles(c)
            if row is None:
                raise AccessDenied(f"no proposal {pid} is visible to {self.user.email}")
            call = self._call(c, row.call_id)
            r.need(r.decide(call.negotiation_id), f"decide on proposals of negotiation {call.negotiation_id}")
            self._decide(c, row, call, status, fate, _now())
            return self._proposal(c, c.execute(select(proposals).where(proposals.c.id == pid)).first())

    def _decide(self, c, row, call, status: str, fate: str, now) -> None:
        if row.status not in ("submitted", "accepted", "rejected", "merged"):
            raise ValueError(f"proposal {row.id} is {row.status}: only a submitted proposal can be decided on")
        c.execute(update(proposals).where(proposals.c.id == row.id).values(
            status=status, fate=fate, decided=now, decided_by=self.user.email))
        self._audit(c, "proposal " + status, negotiation_id=call.negotiation_id, subject=f"proposal {row.id}",
                    detail=fate)

    # -- co-sponsors ------------------------------------------------------------------------------
    def invite_cosponsor(self, pid: int, delegation: str | int) -> None:
        from .core import _now
        with self.engine.begin() as c:
            row = c.execute(select(proposals).where(proposals.c.id == pid)).first()
            r = self.roles(c)
            if row is None or not r.member_of(row.delegation_id):
                raise AccessDenied(f"{self.user.email} may not invite co-sponsors to proposal {pid}")
            did = self.delegation_id(delegation, c)
            if did == row.delegation_id:
                raise ValueError("a delegation does not co-sponsor its own proposal")
            try:
                with c.begin_nested():
                    c.execute(insert(cosponsors).values(proposal_id=pid, delegation_id=did, invited=_now()))
            except IntegrityError:
                return
            self._audit(c, "co-sponsor invited", negotiation_id=self._call(c, row.call_id).negotiation_id,
                        subject=f"proposal {pid}", detail=str(delegation))

    def confirm_cosponsor(self, pid: int, delegation: str | int) -> None:
        """A delegation joins a proposal: only its own members may say so."""
        from .core import _now
        with self.engine.begin() as c:
            r = self.roles(c)
            did = self.delegation_id(delegation, c)
            r.need(r.member_of(did), f"co-sponsor for delegation {delegation}")
            inv = c.execute(select(cosponsors).where((cosponsors.c.proposal_id == pid) &
                                                     (cosponsors.c.delegation_id == did))).first()
            if inv is None:
                raise ValueError(f"delegation {delegation} was not invited to co-sponsor proposal {pid}")
            if inv.confirmed is None:
                c.execute(update(cosponsors).where((cosponsors.c.proposal_id == pid) &
                                                   (cosponsors.c.delegation_id == did)).values(
                    confirmed=_now(), confirmed_by=self.user.email))
                row = c.execute(select(proposals).where(proposals.c.id == pid)).first()
                self._audit(c, "co-sponsor confirmed", negotiation_id=self._call(c, row.call_id).negotiation_id,
                            subject=f"proposal {pid}", detail=str(delegation))

    # -- the compilation ----------------------------------------------------------------------------
    def compilation_inputs(self, call_id: int) -> tuple[tuple[str, str, str], list[tuple[str, str, list[int]]]]:
        """What the compilation is made of, as plain data: the call's text (sha256,
        filename, reading) and per party (a delegation with its confirmed
        co-sponsors) its proposed text and the proposals in it — the call's
        text first, as a party named after its label, so that its wording
        stays an option wherever a delegation proposes another."""
        with self.engine.connect() as c:
            call = self._call(c, call_id)
            r = self.roles(c)
            r.need(r.steer(call.negotiation_id), f"see the compilation of negotiation {call.negotiation_id}")
            v = c.execute(select(versions).where(versions.c.id == call.version_id)).first()
            base = self._read_entry(c, v)
            names = {d.id: d.name for d in c.execute(select(delegations))}
            by_party: dict[str, tuple[list[Amendment], list[int]]] = {}
            for p in c.execute(select(proposals).where((proposals.c.call_id == call_id) &
                                                       proposals.c.status.in_(COMPILED)).order_by(proposals.c.id)):
                cos = [names[x.delegation_id] for x in c.execute(select(cosponsors).where(
                    (cosponsors.c.proposal_id == p.id) & cosponsors.c.confirmed.is_not(None)))]
                party = ", ".join([names[p.delegation_id], *sorted(cos)])
                ams, ids = by_party.setdefault(party, ([], []))
                ams += [Amendment(a.op, a.paragraph, a.text, a.target) for a in c.execute(
                    select(amendments).where(amendments.c.proposal_id == p.id).order_by(amendments.c.position))]
                ids.append(p.id)
            out = [(party, apply_amendments(base, ams), ids) for party, (ams, ids) in by_party.items()]
            if out:
                # The call's own wording is an option beside every proposal, attributed to the version.
                name = v.label if v.label not in by_party else f"{v.label} (text)"
                out.insert(0, (name, apply_amendments(base, []), []))
            return (v.sha256, v.filename, v.reading), out

    def compilation(self, call_id: int):
        """The bracketed consolidated text of every submitted proposal (a
        consolidate.Consolidated), with the proposal ids of each party."""
        from .. import read
        from ..consolidate import build
        (sha, name, reading), parties = self.compilation_inputs(call_id)
        if not parties:
            return None, {}
        with self.engine.connect() as c:
            base = read(name, data=self.files.read(c, sha), name=name, ocr=reading == "ocr")
        docs = [read(f"{p}.txt", data=t.encode("utf-8"), name=f"{p}.txt") for p, t, _ in parties]
        return build(base, docs, [p for p, _, _ in parties]), {p: ids for p, _, ids in parties}

    # -- publication ----------------------------------------------------------------------------------
    def publish(self, call_id: int, label: str, picks: dict[int, str] | None = None,
                fates: dict[int, tuple[str, str]] | None = None, date: str = "") -> dict:
        """The next version: each unit of the compilation as picked (unit index →
        the co-facilitators' wording: a proposal, a suggestion or their own) or
        else as bracketed; a Word redline against the call's text; each
        compiled proposal's fate (proposal id → (accepted|rejected|merged, note);
        by default from the picks); the call closed. One transaction."""
        from .. import read
        from ..compare import compare
        from ..export import redline
        from ..export.consolidated import render_unit
        from ..export.wordml import DocxWriter, Para, Run
        from .core import _now
        picks = picks or {}
        label = label.strip()
        if not label:
            raise ValueError("the new version needs a label (e.g. Rev.2)")
        with self.engine.connect() as c:
            call = self._call(c, call_id)
            r = self.roles(c)
            r.need(r.steer(call.negotiation_id), f"publish versions of negotiation {call.negotiation_id}")
            if call.closed is not None:
                raise ValueError(f"call {call_id} is already closed")
            v = c.execute(select(versions).where(versions.c.id == call.version_id)).first()
            base = self._read_entry(c, v)
        cons, ids = self.compilation(call_id)
        w = DocxWriter(label)
        if cons is None:
            raise ValueError("no submitted proposal: nothing to publish from this call")
        for i, u in enumerate(cons.units):
            if not u.labels and i not in picks:
                continue
            if i in picks:
                if picks[i].strip():
                    w.add(Para([Run((u.label + "\t") if u.label else ""), Run(picks[i].strip())]))
                continue
            for lab, t in render_unit(u):
                w.add(Para([Run((lab + "\t") if lab else ""), Run(t)]))
        data = w.to_bytes()
        filename = label.replace("/", "_").replace(" ", "_") + ".docx"
        new = read(filename, data=data, name=filename)
        red = redline.build(compare(base, new), "Co-facilitators").to_bytes()
        fates = fates if fates is not None else default_fates(cons, ids, picks)
        now = _now()
        with self.engine.begin() as c:
            call = c.execute(select(calls).where(calls.c.id == call_id).with_for_update()).first()
            if call.closed is not None:
                raise ValueError(f"call {call_id} is already closed")
            entry = self._add(c, call.negotiation_id, data, filename, label.strip(), "version", "",
                              date or now.date().isoformat(), "", False)
            rsha = self._put(c, red)
            pub = c.execute(insert(publications).values(call_id=call_id, version_id=entry.id, redline_sha256=rsha,
                                                        published=now, published_by=self.user.email)).inserted_primary_key[0]
            for pid, (status, fate) in fates.items():
                row = c.execute(select(proposals).where(proposals.c.id == pid)).first()
                if row is not None and row.call_id == call_id and row.status in COMPILED:
                    self._decide(c, row, call, status, fate, now)
            c.execute(update(calls).where(calls.c.id == call_id).values(closed=now))
            self._audit(c, "version published", negotiation_id=call.negotiation_id, subject=f"publication {pub}",
                        detail=f"{label} from call {call_id}; redline sha256 {rsha}", sha256=entry.sha256)
            return {"id": pub, "version": entry, "redline_sha256": rsha, "fates": fates}

    def publications(self, negotiation_id: int) -> list[dict]:
        with self.engine.connect() as c:
            r = self.roles(c)
            r.need(r.read_published(), "see publications")
            q = select(publications).join(calls, publications.c.call_id == calls.c.id).where(
                calls.c.negotiation_id == negotiation_id).order_by(publications.c.id)
            return [dict(x._mapping) for x in c.execute(q)]


_INSERTS: dict = {}


def _proposal_insert(dialect: str, keyed: bool):
    """INSERT INTO proposals … RETURNING id (ON CONFLICT (idempotency_key) DO NOTHING when keyed), built once."""
    st = _INSERTS.get((dialect, keyed))
    if st is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as ins
        else:
            from sqlalchemy.dialects.sqlite import insert as ins
        st = ins(proposals)
        if keyed:
            st = st.on_conflict_do_nothing(index_elements=["idempotency_key"])
        st = _INSERTS[(dialect, keyed)] = st.returning(proposals.c.id)
    return st


def apply_amendments(base, ams: list[Amendment]) -> str:
    """The call's text with a party's amendments applied, one paragraph a line
    (label and text), as a reader reads it back. What goes after a paragraph
    (insertions, paragraphs moved after it) goes in the amendments' order, and
    a moved paragraph takes what was inserted after it along."""
    at: dict[str, int] = {}
    for i, b in enumerate(base.blocks):
        if b.label:
            at.setdefault(_lab(b.label), i)
    replaced: dict[int, str] = {}
    deleted: set[int] = set()
    after: dict[int, list[str | int]] = {}          # text inserted, or the index of a paragraph moved there
    moved: set[int] = set()
    for a in ams:
        i = at.get(_lab(a.paragraph))
        if i is None:
            continue
        if a.op == "replace":
            replaced[i] = a.text.strip()
        elif a.op == "delete":
            deleted.add(i)
        elif a.op == "move_after":
            j = at.get(_lab(a.target))
            if j is not None and j != i and i not in moved:
                moved.add(i)
                after.setdefault(j, []).append(i)
        else:
            after.setdefault(i, []).append(a.text.strip())
    lines: list[str] = []
    done: set[int] = set()

    def emit(i: int) -> None:
        if i in done:                   # a circle of moves (refused when proposed): each paragraph once
            return
        done.add(i)
        b = base.blocks[i]
        if i not in deleted:
            t = replaced.get(i, b.text)
            lines.append(f"{b.label} {t}".strip() if b.label else t)
        for x in after.get(i, []):
            if isinstance(x, int):
                emit(x)
            else:
                lines.append(x)

    for i in range(len(base.blocks)):
        if i not in moved:
            emit(i)
    for i in sorted(moved - done):      # only a circle leaves some: keep them where they were
        emit(i)
    return "\n\n".join(l.replace("\n", " ") for l in lines) + "\n"


def _inserted_label(anchor: str, n: int) -> str:
    """The label a secretariat gives the n-th paragraph inserted after `anchor`: '5 bis', '5 ter'."""
    from ..numerals import ORDINALS
    base = anchor.strip().rstrip(".")
    word = ORDINALS[n] if n < len(ORDINALS) else f"({n + 1})"
    if base.startswith("(") and base.endswith(")"):
        return f"({base[1:-1]} {word})"
    return f"{base} {word}."


def amendments_between(base, doc, links) -> list[Amendment]:
    """The amendments a secretariat would write for the changes from `base` to
    `doc` (the call's text and a delegation's version of it, aligned by `links`),
    walking `doc` in its order:
      a changed paragraph       replace 5 by …
      a deleted one             delete 5
      an inserted one           after 5, insert 5 bis …   (named after the paragraph it follows)
      a moved one               move paragraph 5 after paragraph 7 (and replace 5 by … if it changed too)
      a split                   replace 5 by its first part; after 5, insert 5 bis, 5 ter … the others
      a merge of 5 and 6        replace 5 by the merged text; delete 6
    Only labelled paragraphs can be named: a change to an unlabelled block (a
    heading) is not expressed, nor an insertion or a move to before the first
    labelled paragraph (there is no paragraph to put it after)."""
    src: dict[int, object] = {}
    for l in links:
        for j in l.new:
            src[j] = l
    out: list[Amendment] = []
    inserted: dict[str, int] = {}         # anchor → how many paragraphs were inserted after it
    anchor = ""                           # the label of the call's paragraph the walk is after

    def insert(after_: str, text: str) -> None:
        n = inserted.get(after_, 0)
        inserted[after_] = n + 1
        out.append(Amendment("insert_after", after_, f"{_inserted_label(after_, n)} {text}".strip()))

    for l in links:
        if l.op == "deleted":
            out += [Amendment("delete", base.blocks[i].label) for i in l.old if base.blocks[i].label]
    for j, b in enumerate(doc.blocks):
        l = src.get(j)
        if l is None or not l.old:                                   # inserted
            if anchor:
                insert(anchor, b.text)
            continue
        olds = [base.blocks[i] for i in l.old]
        first = olds[0]
        if len(l.new) > 1:                                           # a split: this is one of its parts
            if not first.label:
                continue
            if j == l.new[0]:
                if b.text != first.text:
                    out.append(Amendment("replace", first.label, b.text))
            else:
                insert(first.label, b.text)
            anchor = first.label
            continue
        if l.op == "moved" and first.label and anchor:
            out.append(Amendment("move_after", first.label, target=anchor))
            if b.text != first.text:
                out.append(Amendment("replace", first.label, b.text))
            anchor = first.label
            continue
        if first.label and b.text != first.text:                     # modified, or the first of a merge
            out.append(Amendment("replace", first.label, b.text))
        out += [Amendment("delete", o.label) for o in olds[1:] if o.label]     # the rest of a merge
        anchor = next((o.label for o in reversed(olds) if o.label), anchor)
    return [a for a in out if a.paragraph]


def default_fates(cons, ids: dict[str, list[int]], picks: dict[int, str]) -> dict[int, tuple[str, str]]:
    """Each compiled proposal's fate as the picks decide it: every paragraph it
    changed published in its wording → accepted; some of it → merged; none → rejected."""
    out = {}
    for party, pids in ids.items():
        if not pids:
            continue                                  # the call's own text
        kept, lost = [], []
        for i, u in enumerate(cons.units):
            if party not in u.labels and not (u.in_base and party in u.absent):
                continue
            mine = u.text_of(party) if party in u.labels else ""
            if u.in_base and mine == u.base_text:
                continue                              # the party did not change this paragraph
            chosen = picks.get(i)
            label = u.label or u.labels.get(party, "")
            if chosen is not None and " ".join(chosen.split()) == " ".join(mine.split()):
                kept.append(label)
            elif chosen is None:
                lost.append(label)                    # still in brackets in the new version
            else:
                lost.append(label)
        if kept and not lost:
            fate = ("accepted", "accepted into paragraph " + ", ".join(kept))
        elif kept:
            fate = ("merged", "merged into paragraph " + ", ".join(kept))
        else:
            fate = ("rejected", "not retained")
        for pid in pids:
            out[pid] = fate
    return out
