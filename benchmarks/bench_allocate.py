"""The one allocator against a plain numpy largest remainder, and many communities at once.

Run: ``python benchmarks/bench_allocate.py [--quick]``. Measures, in one run (medians of
7 alternating rounds, so both sides see the same load):

* ``allocate`` of a total over 1,000,000 weights against a plain numpy largest remainder
  (``q = T w / sum(w)``, floors, ``argpartition`` of the remainders) for three kinds of
  weights: full-precision floats (area × a coefficient; goal: no slower, ratio ≥ 1×),
  two-decimal floats (m²) and int64 (goal: ratio ≥ 2×); and, with the same goals,
  floats in [0, 1), lognormal floats with 30 % zeros and two-decimal areas over a wide
  range (199,000 distinct values). costshare's answer is exact (the
  plain one is not: its float remainders can rank ties and near-ties wrongly); the rows
  where they differ are counted.
* ``allocate_groups`` of 2,000 communities × 200 households against a Python loop of
  per-community ``allocate`` calls; goal: not slower (ratio ≥ 1×), identical to the fen.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import Report, best_of

from costshare.money import allocate, allocate_groups

TOTAL = 123_456_789_01


def plain(total: int, w: np.ndarray) -> np.ndarray:
    """Largest remainder in plain numpy floats (the baseline)."""
    q = total * (w / w.sum())
    f = np.floor(q).astype(np.int64)
    left = total - int(f.sum())
    idx = np.argpartition(-(q - f), left)[:left]
    f[idx] += 1
    return f


def versus_plain(w: np.ndarray, rounds: int = 7) -> tuple[float, float, int, bool]:
    """Median times of allocate and plain (alternating), rows that differ, sum exact."""
    wf = w.astype(np.float64)
    ours, base = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        a = allocate(TOTAL, w)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        b = plain(TOTAL, wf)
        base.append(time.perf_counter() - t0)
    return (
        statistics.median(ours),
        statistics.median(base),
        int((a != b).sum()),
        int(a.sum()) == TOTAL,
    )


def run(quick: bool = False) -> list[Report]:
    """Reports for run_all.py."""
    n, g, per = (100_000, 200, 200) if quick else (1_000_000, 2_000, 200)
    rng = np.random.default_rng(0)
    kinds = {
        "full-precision floats (area × 1.0137)": (rng.uniform(40, 120, n) * 1.0137, 1.0),
        "two-decimal floats (m²)": (np.round(rng.uniform(40, 120, n), 2), 2.0),
        "int64": (rng.integers(40, 120, n), 2.0),
        # the same goals on other shapes a user may have (any float: no slower)
        "full-precision floats in [0, 1)": (rng.random(n), 1.0),
        "lognormal floats, 30 % zeros": (
            np.where(rng.random(n) < 0.3, 0.0, rng.lognormal(0, 2, n)),
            1.0,
        ),
        "two-decimal floats, 10 to 2,000 m²": (np.round(rng.uniform(10, 2000, n), 2), 2.0),
    }
    out = []
    for label, (w, goal) in kinds.items():
        t_ours, t_base, differ, exact = versus_plain(w)
        out.append(
            Report(
                f"allocate, {n:,} households, {label}",
                t_ours,
                "plain numpy largest remainder",
                t_base,
                f">= {goal:g}× (median of 7)",
                t_base / t_ours >= goal,
                f"sum exact: {exact}; rows differing from the plain float answer: {differ}",
            )
        )
    totals = rng.integers(10**6, 10**9, g)
    groups = np.repeat(np.arange(g), per)
    w = np.round(rng.uniform(40, 120, g * per), 2)
    t_groups, a = best_of(lambda: allocate_groups(totals, groups, w))

    def loop() -> np.ndarray:
        return np.concatenate(
            [allocate(int(totals[i]), w[i * per : (i + 1) * per]) for i in range(g)]
        )

    t_loop, b = best_of(loop)
    out.append(
        Report(
            f"allocate_groups, {g:,} communities × {per} households",
            t_groups,
            "loop of allocate per community",
            t_loop,
            ">= 1×",
            t_loop / t_groups >= 1,
            f"identical to the fen: {bool(np.array_equal(a, b))}",
        )
    )
    return out


def main() -> None:
    for rep in run(quick="--quick" in sys.argv):
        rep.show()


if __name__ == "__main__":
    main()
