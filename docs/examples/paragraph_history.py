"""The history of one paragraph through several versions, as a table in a Word document.

    python docs/examples/paragraph_history.py history.docx --label "1." V1 V2 V3 …
    python docs/examples/paragraph_history.py history.docx --search "as appropriate" V1 V2 …

One row per version: the version's file, the paragraph's label there, how it
got there (equal, modified 0.87, moved, split, …, deleted) and its text with
the changes from the previous version marked [-removed-]{+added+} — the
table of a briefing note. Written with python-docx, which negotiate installs.
"""
from __future__ import annotations

import argparse
import os
import sys

import docx

import negotiate
from negotiate.diff import inline
from negotiate.trace import find, step_diffs


def history_rows(files: list[str], label: str | None, search: str | None) -> list[list[str]]:
    docs = [negotiate.read(f) for f in files]
    chains, _ = negotiate.trace(docs)
    found = find(chains, docs, label=label, search=search)
    if not found:
        raise negotiate.NegotiateError(files[0], f"no paragraph with {'label ' + repr(label) if label else 'text ' + repr(search)}")
    chain = found[0]
    step_diffs([chain], docs)   # fills each step's .diff: the word diff from the previous text
    rows = [["Version", "Label", "Change", "Text"]]
    prev = None
    for step in chain.steps:
        doc = docs[step.version]
        name = os.path.basename(files[step.version])
        if not step.blocks:
            rows.append([name, "", step.op, ""])
            continue
        text = "\n".join(doc.blocks[i].text for i in step.blocks)
        ops = step.diff
        shown = inline(prev, text, ops) if prev is not None and ops is not None and step.op != "equal" else text
        how = step.op if step.op in ("first", "equal", "inserted") else f"{step.op} {step.similarity:.2f}"
        rows.append([name, ", ".join(doc.blocks[i].label for i in step.blocks), how, shown])
        prev = text
    return rows


def write_table(rows: list[list[str]], path: str, title: str) -> None:
    d = docx.Document()
    d.add_heading(title, level=1)
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.save(path)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output", metavar="OUT.docx")
    which = ap.add_mutually_exclusive_group(required=True)
    which.add_argument("--label")
    which.add_argument("--search")
    ap.add_argument("files", nargs="+", metavar="V")
    a = ap.parse_args(argv)
    try:
        rows = history_rows(a.files, a.label, a.search)
    except negotiate.NegotiateError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    write_table(rows, a.output, f"History of paragraph {a.label or repr(a.search)}")
    print(f"{a.output}: {len(rows) - 1} versions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
