"""Shared helpers for the bench scripts: timing, peak memory, generated inputs."""
from __future__ import annotations

import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"


def timed(fn, repeat=3):
    """Best-of-`repeat` seconds, and the Python heap peak of one run in MB."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(times), statistics.median(times), peak / 1e6


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


WORDS = ("Parties shall should may report on progress in implementing the framework including through "
         "national action plans capacity-building technology transfer and financial resources for developing "
         "countries in accordance with national circumstances as appropriate").split()


def generated_text(words: int, seed: int = 1) -> str:
    """A compilation-style text of about `words` words: sections, paragraphs, subparagraphs, brackets."""
    r = random.Random(seed)
    out, n, total, sec = [], 0, 0, 0
    while total < words:
        if n % 40 == 0:
            sec += 1
            out.append(f"{_roman(sec)}. Section heading {sec}\n")
        n += 1
        k = r.randint(20, 60)
        ws = [r.choice(WORDS) for _ in range(k)]
        # About one bracket pair per 14 words, as in the Paris compilation texts:
        # plain, alternative sets and nested ones.
        for _ in range(max(1, k // 14)):
            i = r.randrange(k)
            roll = r.random()
            if roll < 0.5:
                ws[i] = "[" + ws[i] + "]"
            elif roll < 0.8:
                ws[i] = "[" + ws[i] + "][" + r.choice(WORDS) + "]"
            elif i + 2 < k:
                ws[i] = "[" + ws[i]
                ws[i + 1] = "[" + ws[i + 1] + "]"
                ws[i + 2] = ws[i + 2] + "]"
        out.append(f"{n}. " + " ".join(ws) + ".\n")
        total += k + 1
        if r.random() < 0.2:
            for j in range(3):
                ws = [r.choice(WORDS) for _ in range(12)]
                out.append(f"({'abc'[j]}) " + " ".join(ws) + ";\n")
                total += 13
    return "\n".join(out)


def _roman(n: int) -> str:
    from negotiate.numerals import to_roman
    return to_roman(n)


def table(rows, headers) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    return "\n".join([line, sep, *body])
