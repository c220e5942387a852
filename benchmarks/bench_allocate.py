"""The one allocator: 1,000,000 households in one split, and many communities at once.

Run: ``python benchmarks/bench_allocate.py [--quick]``. Measures, in one run:

* ``allocate`` of a total over 1,000,000 area weights (m², two decimals); goal < 0.1 s.
* ``allocate_groups`` of 2,000 communities × 200 households against a Python loop of
  per-community ``allocate`` calls; goal: not slower (ratio ≥ 1×). Both results must be
  identical to the fen.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import Report, best_of

from costshare.money import allocate, allocate_groups


def measure(households: int, communities: int, per: int) -> dict:
    """Times of the one-shot split and of groups vs loop, with their agreement."""
    rng = np.random.default_rng(0)
    area = np.round(rng.uniform(40, 120, households), 2)
    total = 123_456_789_01
    t_one, shares = best_of(lambda: allocate(total, area))
    totals = rng.integers(10**6, 10**9, communities)
    groups = np.repeat(np.arange(communities), per)
    w = np.round(rng.uniform(40, 120, communities * per), 2)
    t_groups, a = best_of(lambda: allocate_groups(totals, groups, w))

    def loop() -> np.ndarray:
        return np.concatenate(
            [allocate(int(totals[i]), w[i * per : (i + 1) * per]) for i in range(communities)]
        )

    t_loop, b = best_of(loop)
    return {
        "one": t_one,
        "sum_ok": int(shares.sum()) == total,
        "groups": t_groups,
        "loop": t_loop,
        "same": bool(np.array_equal(a, b)),
    }


def run(quick: bool = False) -> list[Report]:
    """Reports for run_all.py."""
    n, g, per = (100_000, 200, 200) if quick else (1_000_000, 2_000, 200)
    r = measure(n, g, per)
    return [
        Report(
            f"allocate, {n:,} households by area (one split)",
            r["one"],
            goal="< 0.1 s",
            met=r["one"] < 0.1,
            agreement=f"sum exact: {r['sum_ok']}",
        ),
        Report(
            f"allocate_groups, {g:,} communities × {per} households",
            r["groups"],
            "loop of allocate per community",
            r["loop"],
            ">= 1×",
            r["loop"] / r["groups"] >= 1,
            f"identical to the fen: {r['same']}",
        ),
    ]


def main() -> None:
    for rep in run(quick="--quick" in sys.argv):
        rep.show()


if __name__ == "__main__":
    main()
