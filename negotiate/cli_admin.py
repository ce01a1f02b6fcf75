"""`negotiate admin …` and `negotiate store …`: the workspace's people and its
health, from the command line (arguments and printing only; the store checks
nothing less for the operator than it records: every change is in the audit trail)."""
from __future__ import annotations

import sys

from .errors import NegotiateError


def _store(args):
    from .store import Store
    return Store(url=args.db, root=args.home)


def _fail(what: str, e: Exception) -> int:
    print(f"negotiate: error: {what}: {e}", file=sys.stderr)
    return 2


def _negotiation(s, ref: str) -> int:
    for n in s.negotiations():
        if str(n["id"]) == ref or n["name"] == ref:
            return n["id"]
    raise ValueError(f"no negotiation {ref!r} (negotiate admin negotiations lists them)")


def cmd_admin(args) -> int:
    s = _store(args)
    try:
        if args.admin == "negotiations":
            for n in s.negotiations():
                print(f"{n['id']}\t{n['name']}\t{n['symbol']}")
        elif args.admin == "add-negotiation":
            print(s.create_negotiation(args.name, args.symbol))
        elif args.admin == "add-delegation":
            print(s.add_delegation(args.name, group=args.group))
        elif args.admin == "delegations":
            for d in s.delegations():
                print(f"{d['id']}\t{d['name']}" + ("\tgroup" if d["group"] else ""))
        elif args.admin == "add-member":
            print(s.grant(args.email, "member", delegation=args.delegation, focal_point=args.focal_point))
        elif args.admin == "grant":
            nid = _negotiation(s, args.negotiation) if args.negotiation else None
            print(s.grant(args.email, args.role, negotiation_id=nid, delegation=args.delegation,
                          focal_point=args.focal_point))
        elif args.admin == "revoke":
            s.revoke(args.membership)
        elif args.admin == "members":
            for m in s.memberships(include_revoked=args.all):
                scope = m["delegation"] or (f"negotiation {m['negotiation_id']}" if m["negotiation_id"] else "")
                print("\t".join([str(m["id"]), m["email"], m["role"], scope,
                                 "focal point" if m["focal_point"] else "",
                                 f"revoked {m['removed']:%Y-%m-%d}" if m["removed"] else ""]).rstrip())
        elif args.admin == "activity":
            text = s.activity_csv()
            if args.output:                         # written whole or not at all: temp file, then rename
                import os
                import tempfile
                d = os.path.dirname(os.path.abspath(args.output))
                fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-")
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
                os.replace(tmp, args.output)
            else:
                sys.stdout.write(text)
    except ValueError as e:
        return _fail(f"admin {args.admin}", e)
    return 0


def cmd_store(args) -> int:
    s = _store(args)
    from sqlalchemy.engine import make_url
    where = s.db_path or make_url(s.url).render_as_string(hide_password=True)     # never print a password
    for name in s.cleaned:
        print(f"cleaned: {name} (left by a writer that was stopped)")
    problems = s.check()
    for p in problems:
        print(f"{where}: {p['what']}: file {p['sha256'][:12]}… {p['problem']}")
    if problems:
        print(f"{len(problems)} problem(s): restore the files from a backup, or remove the entries")
        return 1
    print(f"{where}: every stored file is present and matches its sha256")
    return 0


def register(sub) -> None:
    def common(sp):
        sp.add_argument("--db", help="SQLAlchemy URL (default: NEGOTIATE_DB, else SQLite under NEGOTIATE_HOME)")
        sp.add_argument("--home", help="the workspace folder (default: NEGOTIATE_HOME or ~/.negotiate)")

    sa = sub.add_parser("admin", help="negotiations, delegations and memberships of the shared workspace")
    asub = sa.add_subparsers(dest="admin", metavar="ACTION", parser_class=type(sa))
    asub.required = True
    x = asub.add_parser("negotiations", help="list negotiations")
    x = asub.add_parser("add-negotiation", help="create a negotiation")
    x.add_argument("name")
    x.add_argument("--symbol", default="")
    x = asub.add_parser("add-delegation", help="add a delegation (a Party, a group such as 'G-77 and China')")
    x.add_argument("name")
    x.add_argument("--group", action="store_true", help="a group: its proposals are submitted by its focal points")
    asub.add_parser("delegations", help="list delegations")
    x = asub.add_parser("add-member", help="a person's e-mail to a delegation")
    x.add_argument("email")
    x.add_argument("delegation")
    x.add_argument("--focal-point", action="store_true", help="may submit for a group")
    x = asub.add_parser("grant", help="give a role: secretariat, co-facilitator (--negotiation), member (--delegation), observer")
    x.add_argument("email")
    x.add_argument("role", choices=("secretariat", "co-facilitator", "member", "observer"))
    x.add_argument("--negotiation", help="name or id (co-facilitator)")
    x.add_argument("--delegation", help="name (member)")
    x.add_argument("--focal-point", action="store_true")
    x = asub.add_parser("revoke", help="end a membership (kept in the history)")
    x.add_argument("membership", type=int)
    x = asub.add_parser("members", help="list memberships")
    x.add_argument("--all", action="store_true", help="revoked ones too")
    x = asub.add_parser("activity", help="the audit trail as CSV")
    x.add_argument("-o", "--output", metavar="OUT.csv")
    for p in asub.choices.values():
        common(p)
    sa.set_defaults(func=cmd_admin)

    ss = sub.add_parser("store", help="the workspace store: check its files")
    ssub = ss.add_subparsers(dest="store", metavar="ACTION", parser_class=type(ss))
    ssub.required = True
    common(ssub.add_parser("check", help="report entries whose file is missing or whose sha256 no longer matches"))
    ss.set_defaults(func=cmd_store)


__all__ = ["register", "NegotiateError"]
