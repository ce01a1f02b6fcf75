"""The `negotiate` command: argument parsing and printing, nothing else."""
from __future__ import annotations

import argparse
import json
import os
import sys

from . import __version__, contracts
from .errors import NegotiateError
from .ingest import REVISION_MODES, read


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, like every other input error
        self.print_usage(sys.stderr)
        print(f"negotiate: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)


def cmd_parse(args) -> int:
    doc = read(args.file, revisions=args.revisions)
    if args.format == "json":
        sys.stdout.write(_dump(contracts.parse_json(doc)) + "\n")
    else:
        sys.stdout.write(doc.text if doc.text.endswith("\n") else doc.text + "\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="negotiate", description="Compare, trace and consolidate negotiating texts.")
    p.add_argument("--version", action="version", version=f"negotiate {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    sp = sub.add_parser("parse", help="read a draft into numbered paragraphs")
    sp.add_argument("file", metavar="FILE")
    sp.add_argument("--format", choices=("text", "json"), default="text")
    sp.add_argument("--revisions", choices=REVISION_MODES, default="accept",
                    help="tracked changes in .docx: accept (default), reject, or markup")
    sp.set_defaults(func=cmd_parse)
    return p


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except NegotiateError as e:
        print(f"negotiate: error: {e.oneline()}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # never a traceback for the user; NEGOTIATE_DEBUG=1 shows it
        if os.environ.get("NEGOTIATE_DEBUG"):
            raise
        where = getattr(args, "file", None) or "negotiate"
        print(f"negotiate: error: {where}: internal error ({type(e).__name__}: {e}); "
              f"please report it with the file", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
