"""Batch IRR on 10,000 x 30 flows: costshare.finance.irr vs loops of numpy-financial and pyxirr.

Run: ``python benchmarks/bench_irr.py [--rows N] [--periods T] [--npf-rows M]``.
numpy-financial is timed on the first M rows (default all) and scaled to N if M < N.
Goals: >= 30x numpy-financial, >= 1x pyxirr.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pyxirr

from costshare.finance import irr

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import Report, machine


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def measure(rows: int, periods: int, npf_rows: int | None, seed: int = 0) -> dict:
    """Time all three on the same conventional flows; return times and disagreements."""
    rng = np.random.default_rng(seed)
    v = np.empty((rows, periods))
    v[:, 0] = -rng.uniform(50, 150, rows)  # conventional project flows
    v[:, 1:] = rng.uniform(0, 20, (rows, periods - 1))
    m = min(npf_rows or rows, rows)
    irr(v[:100])  # warm up
    t_ours = _best(lambda: irr(v), 5)
    ours = irr(v)
    t0 = time.perf_counter()
    ref_npf = np.array([npf.irr(x) for x in v[:m]])
    t_npf = (time.perf_counter() - t0) * rows / m
    lists = [x.tolist() for x in v]
    t_pyx = _best(lambda: [pyxirr.irr(x) for x in lists], 3)
    ref_pyx = np.array([np.nan if (r := pyxirr.irr(x)) is None else r for x in lists])

    def maxdiff(ref: np.ndarray, mine: np.ndarray) -> float:
        ok = ~np.isnan(ref) & ~np.isnan(mine)
        return float(np.max(np.abs(ref[ok] - mine[ok]))) if ok.any() else float("nan")

    return {
        "rows": rows,
        "periods": periods,
        "npf_rows": m,
        "ours": t_ours,
        "npf": t_npf,
        "pyxirr": t_pyx,
        "diff_npf": maxdiff(ref_npf, ours[:m]),
        "diff_pyx": maxdiff(ref_pyx, ours),
        "nan": int(np.isnan(ours).sum()),
    }


def run(quick: bool = False) -> list[Report]:
    """Reports for run_all.py: batch irr vs numpy-financial and vs pyxirr loops."""
    r = measure(1_000 if quick else 10_000, 30, 300 if quick else 2_000)
    size = f"{r['rows']} x {r['periods']}"
    scaled = (
        []
        if r["npf_rows"] == r["rows"]
        else [f"numpy-financial timed on {r['npf_rows']} rows and scaled"]
    )
    return [
        Report(
            f"irr batch {size} vs numpy-financial loop",
            r["ours"],
            "numpy_financial.irr loop",
            r["npf"],
            ">= 30×",
            r["npf"] / r["ours"] >= 30,
            f"max |Δ| {r['diff_npf']:.1e}",
            notes=scaled,
        ),
        Report(
            f"irr batch {size} vs pyxirr loop",
            r["ours"],
            "pyxirr.irr loop",
            r["pyxirr"],
            ">= 1×",
            r["pyxirr"] / r["ours"] >= 1,
            f"max |Δ| {r['diff_pyx']:.1e}",
        ),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--periods", type=int, default=30)
    ap.add_argument("--npf-rows", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    r = measure(a.rows, a.periods, a.npf_rows, a.seed)
    m = r["npf_rows"]
    print(f"machine: {machine()}")
    print(f"flows: {a.rows} x {a.periods}, conventional, seed {a.seed}")
    print(f"costshare.finance.irr (batch) : {r['ours'] * 1e3:9.1f} ms")
    print(
        f"numpy_financial.irr loop      : {r['npf'] * 1e3:9.1f} ms"
        f"{'' if m == a.rows else f' (timed on {m} rows, scaled)'}"
    )
    print(f"pyxirr.irr loop               : {r['pyxirr'] * 1e3:9.1f} ms")
    print(f"speed-up vs numpy-financial   : {r['npf'] / r['ours']:9.1f}x  (goal >= 30x)")
    print(f"speed-up vs pyxirr            : {r['pyxirr'] / r['ours']:9.2f}x  (goal >= 1x)")
    print(f"max |diff| vs numpy-financial : {r['diff_npf']:.2e}")
    print(f"max |diff| vs pyxirr          : {r['diff_pyx']:.2e}")
    print(f"NaN in ours: {r['nan']}")


if __name__ == "__main__":
    main()
