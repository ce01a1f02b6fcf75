"""The store's tables and their migrations.

One explicit scheme, no autogeneration: the database remembers its schema
version in `schema_version`; a new database gets every table of the current
version at once, an older one runs the numbered steps below, each in one
transaction, each written out. Stores made before the table existed (the
single-file store of issues 7 and 9) are recognised by their columns.
To change the schema: add the tables/columns here and one step to STEPS.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    text,
)
from sqlalchemy.types import TypeDecorator

meta = MetaData()


class Moment(TypeDecorator):
    """A point in time, timezone-aware end to end (schema 4). PostgreSQL:
    TIMESTAMP WITH TIME ZONE. SQLite has no such type: ISO 8601 text in UTC
    with its offset ("2026-12-15 22:59:00.000000+00:00"), so that ordering the
    text orders the times. Read back as aware datetimes in UTC; a naive value
    (given by a caller, or written by a store before schema 4, which always
    wrote UTC) is taken as UTC."""
    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = utc(value)
        return value.isoformat(sep=" ", timespec="microseconds") if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


def utc(value: datetime) -> datetime:
    """An aware datetime in UTC; a naive one is taken as UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


negotiations = Table(
    "negotiations", meta,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("symbol", String(200), nullable=False, default=""),
    Column("created", Moment, nullable=False))
files = Table(
    "files", meta,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("created", Moment, nullable=False))
# File bytes when the database is the only place (PostgreSQL: several app replicas share it).
blobs = Table(
    "blobs", meta,
    Column("sha256", String(64), ForeignKey("files.sha256"), primary_key=True),
    Column("data", LargeBinary, nullable=False))
versions = Table(                                       # the workspace's entries: versions and proposals' files
    "versions", meta,
    Column("id", Integer, primary_key=True),
    Column("negotiation_id", Integer, ForeignKey("negotiations.id"), nullable=False),
    Column("kind", String(20), nullable=False),          # version | proposal
    Column("label", String(200), nullable=False),
    Column("party", String(200), nullable=False, default=""),
    Column("date", String(40), nullable=False, default=""),
    Column("filename", String(400), nullable=False),
    Column("sha256", String(64), ForeignKey("files.sha256"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("reading", String(20), nullable=False, default=""),   # "" or "ocr": how the file is read
    Column("removed", Moment, nullable=True),                   # soft delete: nothing is ever deleted
    UniqueConstraint("negotiation_id", "kind", "label", "party", name="uq_entry"))

# -- server mode: people, roles, calls, proposals, the audit trail --------------------------
delegations = Table(
    "delegations", meta,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),     # "EU", "G-77 and China", "Norway"
    Column("group", Boolean, nullable=False, default=False),       # a group: only its focal points submit
    Column("created", Moment, nullable=False))
memberships = Table(
    "memberships", meta,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False),                  # lower-case, as the identity provider gives it
    Column("role", String(20), nullable=False),                    # secretariat | co-facilitator | member | observer
    Column("negotiation_id", Integer, ForeignKey("negotiations.id"), nullable=True),   # co-facilitator
    Column("delegation_id", Integer, ForeignKey("delegations.id"), nullable=True),     # member
    Column("focal_point", Boolean, nullable=False, default=False),
    Column("created", Moment, nullable=False),
    Column("removed", Moment, nullable=True))
calls = Table(
    "calls", meta,
    Column("id", Integer, primary_key=True),
    Column("negotiation_id", Integer, ForeignKey("negotiations.id"), nullable=False),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False),   # the text proposals amend
    Column("title", String(300), nullable=False),
    Column("paragraphs", Text, nullable=False, default=""),       # labels open for proposals, "\n"-separated; "" = all
    Column("deadline", Moment, nullable=False),
    Column("timezone", String(64), nullable=False, default="UTC"),   # the call's own zone: "Europe/Zurich"
    Column("created", Moment, nullable=False),
    Column("created_by", String(320), nullable=False),
    Column("closed", Moment, nullable=True))                    # set when a version is published from it
proposals = Table(
    "proposals", meta,
    Column("id", Integer, primary_key=True),
    Column("call_id", Integer, ForeignKey("calls.id"), nullable=False),
    Column("delegation_id", Integer, ForeignKey("delegations.id"), nullable=False),
    Column("form", String(20), nullable=False),                    # amendments | docx | text
    Column("title", String(300), nullable=False, default=""),
    Column("filename", String(400), nullable=False, default=""),
    Column("sha256", String(64), ForeignKey("files.sha256"), nullable=True),     # docx / text forms
    Column("status", String(20), nullable=False),                 # draft submitted withdrawn accepted rejected merged
    Column("created", Moment, nullable=False),
    Column("created_by", String(320), nullable=False),
    Column("submitted", Moment, nullable=True),
    Column("submitted_by", String(320), nullable=True),
    Column("receipt", String(64), nullable=True),                 # sha256 of what was submitted
    Column("idempotency_key", String(100), nullable=True, unique=True),
    Column("decided", Moment, nullable=True),
    Column("decided_by", String(320), nullable=True),
    Column("fate", Text, nullable=False, default=""))             # "accepted into paragraph 12 bis", …
amendments = Table(
    "amendments", meta,
    Column("id", Integer, primary_key=True),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("op", String(20), nullable=False),                      # replace | insert_after | delete
    Column("paragraph", String(100), nullable=False),              # the label as printed: "12", "12 bis.", "(a)"
    Column("text", Text, nullable=False, default=""),
    Column("target", String(100), nullable=False, default=""))     # move_after: the paragraph it goes after
cosponsors = Table(
    "cosponsors", meta,
    Column("proposal_id", Integer, ForeignKey("proposals.id"), primary_key=True),
    Column("delegation_id", Integer, ForeignKey("delegations.id"), primary_key=True),
    Column("invited", Moment, nullable=False),
    Column("confirmed", Moment, nullable=True),
    Column("confirmed_by", String(320), nullable=True))
publications = Table(
    "publications", meta,
    Column("id", Integer, primary_key=True),
    Column("call_id", Integer, ForeignKey("calls.id"), nullable=False),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False),   # the new version
    Column("redline_sha256", String(64), ForeignKey("files.sha256"), nullable=False),
    Column("published", Moment, nullable=False),
    Column("published_by", String(320), nullable=False))
audit = Table(                                                     # append-only: no update or delete path exists
    "audit", meta,
    Column("id", Integer, primary_key=True),
    Column("at", Moment, nullable=False),
    Column("actor", String(320), nullable=False),
    Column("action", String(40), nullable=False),
    Column("negotiation_id", Integer, nullable=True),
    Column("subject", String(200), nullable=False, default=""),    # "proposal 12", "entry 3", "alice@…"
    Column("detail", Text, nullable=False, default=""),
    Column("sha256", String(64), nullable=False, default=""))
schema_version = Table("schema_version", meta, Column("version", Integer, nullable=False))

VERSION = 4

_SERVER_TABLES = ("blobs", "delegations", "memberships", "calls", "proposals", "amendments", "cosponsors",
                  "publications", "audit")


def _step2(c) -> None:       # issue 9: how an entry is read
    c.exec_driver_sql("ALTER TABLE versions ADD COLUMN reading VARCHAR(20) NOT NULL DEFAULT ''")


def _step3(c) -> None:       # issue 18: soft removal, and everything of server mode
    c.exec_driver_sql("ALTER TABLE versions ADD COLUMN removed TIMESTAMP NULL")
    for name in _SERVER_TABLES:
        meta.tables[name].create(c)
    _audit_guard(c)


def _step4(c) -> None:       # issue 18: time zones; amendments that move a paragraph
    """Every timestamp becomes timezone-aware. The values were all UTC
    (the store wrote datetime.now(UTC) without its zone), and say so now:
    PostgreSQL converts the columns to TIMESTAMP WITH TIME ZONE reading them
    as UTC; SQLite's text gets its '+00:00'. The audit trail is not rewritten
    on SQLite (its triggers refuse any UPDATE, and so they should): its older
    rows are read as UTC by the same rule."""
    # Step 3 makes its tables from today's definitions, so some of this may be done already: look first.
    insp = inspect(c)
    for t in meta.sorted_tables:
        have = {col["name"]: col for col in insp.get_columns(t.name)}
        for col in t.columns:
            if not isinstance(col.type, Moment) or col.name not in have:
                continue
            if c.dialect.name == "postgresql":
                if getattr(have[col.name]["type"], "timezone", False):
                    continue
                c.exec_driver_sql(f'ALTER TABLE {t.name} ALTER COLUMN "{col.name}" TYPE TIMESTAMP WITH TIME ZONE '
                                  f"USING \"{col.name}\" AT TIME ZONE 'UTC'")
            elif t.name != "audit":
                c.exec_driver_sql(f'UPDATE {t.name} SET "{col.name}" = "{col.name}" || \'+00:00\' '
                                  f'WHERE "{col.name}" IS NOT NULL AND "{col.name}" NOT LIKE \'%+__:__\'')
    if "timezone" not in {col["name"] for col in insp.get_columns("calls")}:
        c.exec_driver_sql("ALTER TABLE calls ADD COLUMN timezone VARCHAR(64) NOT NULL DEFAULT 'UTC'")
    if "target" not in {col["name"] for col in insp.get_columns("amendments")}:
        c.exec_driver_sql("ALTER TABLE amendments ADD COLUMN target VARCHAR(100) NOT NULL DEFAULT ''")


STEPS = {2: _step2, 3: _step3, 4: _step4}


def _audit_guard(c) -> None:
    """The database itself refuses to change or delete an audit row."""
    if c.dialect.name == "sqlite":
        for op in ("UPDATE", "DELETE"):
            c.exec_driver_sql(f"CREATE TRIGGER IF NOT EXISTS audit_no_{op.lower()} BEFORE {op} ON audit "
                              f"BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END")
    elif c.dialect.name == "postgresql":
        c.exec_driver_sql("""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$ LANGUAGE plpgsql""")
        c.exec_driver_sql("DROP TRIGGER IF EXISTS audit_append_only ON audit")
        c.exec_driver_sql("CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit "
                          "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()")


def current_version(c) -> int:
    names = set(inspect(c).get_table_names())
    if "schema_version" in names:
        return c.execute(text("SELECT max(version) FROM schema_version")).scalar() or 0
    if "versions" not in names:
        return 0                                              # a new database
    cols = {col["name"] for col in inspect(c).get_columns("versions")}
    return 2 if "reading" in cols else 1                      # made before schema_version existed


def migrate(engine) -> int:
    """Bring the database to VERSION; returns the version it had."""
    with engine.begin() as c:
        if c.dialect.name == "postgresql":     # one migrator at a time across replicas
            c.exec_driver_sql("SELECT pg_advisory_xact_lock(180018)")
        had = current_version(c)
        if had > VERSION:
            raise RuntimeError(f"the database has schema version {had}, newer than this negotiate ({VERSION}): "
                               "upgrade negotiate")
        if had == 0:
            meta.create_all(c)
            _audit_guard(c)
        else:
            if "schema_version" not in inspect(c).get_table_names():
                schema_version.create(c)
            for v in range(had + 1, VERSION + 1):
                STEPS[v](c)
        if had != VERSION:
            c.execute(schema_version.delete())
            c.execute(schema_version.insert().values(version=VERSION))
    return had
