"""bench/align: speed and accuracy of paragraph alignment.

Goals: a 25k-word pair ≤ 0.3 s; a 200k-word pair (about 6,000+ paragraphs)
≤ 2 s and ≤ 1 GB peak. In the same run, on the same files: `git diff
--no-index --word-diff` and a difflib.SequenceMatcher paragraph alignment, with
each one's link F1 against the generator's truth.
Run: .venv/bin/python bench/align.py
"""
from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import time

from common import OUT, rss_mb, table, timed

from negotiate import read
from negotiate.align import Link, align, normalize
from negotiate.synth import make_pair, score


def difflib_links(a, b) -> list[Link]:
    ta, tb = [normalize(x) for x in a.blocks], [normalize(x) for x in b.blocks]
    sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out += [Link([i], [j], "equal", 1.0) for i, j in zip(range(i1, i2), range(j1, j2))]
            continue
        k = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        out += [Link([i1 + x], [j1 + x], "modified", 0.5) for x in range(k)]
        out += [Link([i], [], "deleted", 0.0) for i in range(i1 + k, i2)]
        out += [Link([], [j], "inserted", 0.0) for j in range(j1 + k, j2)]
    return out


def git_links(old_path, new_path, a, b) -> list[Link]:
    """Paragraph links from git's line diff (one paragraph a line here), the
    way a reader of `git diff` would pair them: unchanged lines equal, a hunk's
    lines paired in order, the rest inserted or deleted."""
    res = subprocess.run(["git", "diff", "--no-index", "-U0", str(old_path), str(new_path)], capture_output=True, text=True)
    line_block_a = _line_to_block(a)
    line_block_b = _line_to_block(b)
    hunks = [tuple(int(x or 1) for x in m) for m in re.findall(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", res.stdout, re.M)]
    changed_a, changed_b, out = set(), set(), []
    for a0, alen, b0, blen in hunks:
        la = [line_block_a[l] for l in range(a0, a0 + alen) if l in line_block_a] if alen else []
        lb = [line_block_b[l] for l in range(b0, b0 + blen) if l in line_block_b] if blen else []
        changed_a.update(la)
        changed_b.update(lb)
        k = min(len(la), len(lb))
        out += [Link([la[x]], [lb[x]], "modified", 0.5) for x in range(k)]
        out += [Link([i], [], "deleted", 0.0) for i in la[k:]]
        out += [Link([], [j], "inserted", 0.0) for j in lb[k:]]
    rest_a = [i for i in range(len(a.blocks)) if i not in changed_a]
    rest_b = [j for j in range(len(b.blocks)) if j not in changed_b]
    out += [Link([i], [j], "equal", 1.0) for i, j in zip(rest_a, rest_b)]
    return out


def _line_to_block(doc):
    m = {}
    for b in doc.blocks:
        line = doc.text.count("\n", 0, b.start) + 1
        m[line] = b.index
    return m


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    have_git = shutil.which("git") is not None
    for words, paras in (("25k", 880), ("200k", 7700)):
        p = make_pair(7, paras, "en")
        old_path, new_path = OUT / f"align-{words}-old.txt", OUT / f"align-{words}-new.txt"
        old_path.write_text(p.old, encoding="utf-8")
        new_path.write_text(p.new, encoding="utf-8")
        a, b = read(old_path), read(new_path)
        n_words = len(p.old.split())
        best, med, peak = timed(lambda: align(a, b))
        s = score(align(a, b).links, p.truth)
        worst = min(s["per_op"].items(), key=lambda kv: kv[1][0])
        goal = "≤ 0.3 s" if words == "25k" else "≤ 2 s, ≤ 1 GB"
        rows.append([f"negotiate align, {n_words:,} words, {len(a.blocks):,} blocks", f"{best:.2f}", f"{peak:.0f}",
                     f"{s['f1']:.3f}", f"{worst[0]} {worst[1][0]:.3f}", goal])
        t = time.perf_counter()
        dl = difflib_links(a, b)
        t_difflib = time.perf_counter() - t
        rows.append(["  difflib.SequenceMatcher on paragraphs", f"{t_difflib:.2f}", "", f"{score(dl, p.truth)['f1']:.3f}",
                     f"×{t_difflib / best:.1f} negotiate's time", ""])
        if have_git:
            t = time.perf_counter()
            subprocess.run(["git", "diff", "--no-index", "--word-diff", str(old_path), str(new_path)], capture_output=True)
            t_git = time.perf_counter() - t
            gl = git_links(old_path, new_path, a, b)
            rows.append(["  git diff --no-index --word-diff", f"{t_git:.2f}", "", f"{score(gl, p.truth)['f1']:.3f}",
                         f"×{t_git / best:.1f} negotiate's time", ""])
    f1s = []
    for lang in ("en", "zh"):
        for seed in range(6):
            p = make_pair(seed, 200, lang)
            (OUT / "acc-old.txt").write_text(p.old, encoding="utf-8")
            (OUT / "acc-new.txt").write_text(p.new, encoding="utf-8")
            f1s.append(score(align(read(OUT / "acc-old.txt"), read(OUT / "acc-new.txt")).links, p.truth))
    print(table(rows, ["aligner", "best s", "peak heap MB", "link F1", "worst op recall / ratio", "goal"]))
    per = {}
    for s in f1s:
        for op, (r, n) in s["per_op"].items():
            per.setdefault(op, []).append((r, n))
    print("\naccuracy over 12 generated pairs (English and Chinese, 200 paragraphs each):")
    print(f"  link F1 {sum(s['f1'] for s in f1s) / len(f1s):.3f}; recall per op: " +
          ", ".join(f"{op} {sum(r * n for r, n in v) / sum(n for _, n in v):.3f}" for op, v in per.items()))
    print(f"process peak RSS: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
