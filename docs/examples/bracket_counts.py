"""Bracket counts per article (top-level section) across versions, into a CSV.

    python docs/examples/bracket_counts.py counts.csv V1 V2 V3 …

One row per section, one column per version (oldest first), and a last
`total` row: the figures negotiators watch fall towards zero, ready for a
spreadsheet or a dashboard.
"""
from __future__ import annotations

import csv
import os
import sys

import negotiate
from negotiate.brackets import sections_table


def bracket_counts(files: list[str]) -> list[list[str | int]]:
    reports = [negotiate.brackets(negotiate.read(f)) for f in files]
    table = sections_table(reports)   # [(section, [count per version]), …, ("total", […])]
    header: list[str | int] = ["section", *(os.path.basename(f) for f in files)]
    return [header] + [[name, *counts] for name, counts in table]


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out, files = argv[0], argv[1:]
    try:
        rows = bracket_counts(files)
    except negotiate.NegotiateError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    with open(out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    print(f"{out}: {len(rows) - 2} sections × {len(files)} versions, {rows[-1][1:]} brackets in all")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
