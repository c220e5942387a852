"""Monte Carlo of the example PPP scenario: vectorized draws vs a Python loop over draws.

Run: ``python benchmarks/bench_montecarlo.py [--draws N] [--loop-draws M]``.
The loop evaluates the same engine one draw at a time on the first M draws (default
2,000) and is scaled to N. Goal: >= 20x.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from costshare import ppp
from costshare.ppp.engine import metrics_arrays, simulate
from costshare.ppp.sensitivity import sample_drivers

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import Report, machine

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "ppp" / "ppp_example.yaml"


def measure(draws: int, loop_draws: int) -> dict:
    """Vectorized Monte Carlo vs the same engine looped over draws (first `loop_draws`)."""
    p = ppp.PPPProject.from_yaml(SCENARIO)
    mc = p.sensitivity.monte_carlo
    ppp.monte_carlo(p, draws=100)  # warm up
    t0 = time.perf_counter()
    res = ppp.monte_carlo(p, draws=draws)
    t_vec = time.perf_counter() - t0
    mult = sample_drivers(mc.drivers, draws, mc.seed)
    m = min(loop_draws, draws)
    t0 = time.perf_counter()
    loop_npv = []
    for i in range(m):
        one = metrics_arrays(simulate(p, {k: v[i] for k, v in mult.items()}))
        loop_npv.append(one["project_npv"][0] / 100)
    t_loop = (time.perf_counter() - t0) * draws / m
    diff = float(np.max(np.abs(np.array(loop_npv) - res.samples["project_npv"].to_numpy()[:m])))
    return {"p": p, "res": res, "vec": t_vec, "loop": t_loop, "m": m, "diff": diff}


def run(quick: bool = False) -> list[Report]:
    """Report for run_all.py."""
    draws = 1_000 if quick else 10_000
    r = measure(draws, 200 if quick else 1_000)
    return [
        Report(
            f"PPP Monte Carlo {draws} draws vs loop over draws",
            r["vec"],
            "Python loop over draws",
            r["loop"],
            ">= 20×",
            r["loop"] / r["vec"] >= 20,
            f"max |ΔNPV| {r['diff']:.1e} yuan",
            notes=[f"loop timed on {r['m']} draws and scaled"],
        )
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--loop-draws", type=int, default=2_000)
    a = ap.parse_args()
    r = measure(a.draws, a.loop_draws)
    p, res, m = r["p"], r["res"], r["m"]
    mc = p.sensitivity.monte_carlo
    print(f"machine: {machine()}")
    print(f"draws: {a.draws}, seed {mc.seed}, drivers: {', '.join(sorted(mc.drivers))}")
    print(f"vectorized monte_carlo : {r['vec'] * 1e3:9.1f} ms")
    print(
        f"loop over draws        : {r['loop'] * 1e3:9.1f} ms"
        f"{'' if m == a.draws else f' (timed on {m} draws, scaled)'}"
    )
    print(f"speed-up               : {r['loop'] / r['vec']:9.1f}x  (goal >= 20x)")
    print(f"max |NPV diff| loop vs vectorized: {r['diff']:.2e} yuan")
    print(res.summary.to_string())
    print(f"P(payback within {p.cooperation_years} years) = {res.p_payback_within:.3f}")


if __name__ == "__main__":
    main()
