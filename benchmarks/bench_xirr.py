"""Batch XIRR/XNPV on 10,000 dated series against looping pyxirr (Rust).

Run: ``python benchmarks/bench_xirr.py [--rows N] [--flows T]``. Conventional project
flows (an outlay, then inflows) on sorted random dates over 20 years; one date row per
series (ragged dates are padded to this shape inside costshare). Both timed in one run.
Goals (issue 24): xirr >= 1.5x looping pyxirr, agreement within 1e-9; xnpv >= 1x.
Times are medians of 7 rounds in which ours and pyxirr alternate (both see the same
load); the load average is stated with every figure.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pyxirr

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's costshare
from _common import Report, load_average, machine

from costshare.finance import xirr, xnpv


def _medians(fns, rounds: int = 7) -> list[float]:
    """Median time of each function over `rounds` rounds in which they alternate."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for fn, ts in zip(fns, times, strict=True):
            t = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t)
    return [statistics.median(ts) for ts in times]


def series(rows: int, T: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Flows (rows, T) and their dates (rows, T) as datetime64[D]."""
    rng = np.random.default_rng(seed)
    v = np.empty((rows, T))
    v[:, 0] = -rng.uniform(50, 150, rows)
    v[:, 1:] = rng.uniform(0, 30, (rows, T - 1))
    days = np.sort(rng.integers(1, 365 * 20, (rows, T)), axis=1)
    days[:, 0] = 0
    return v, np.datetime64("2020-01-01") + days


def measure(rows: int, T: int) -> dict:
    v, d = series(rows, T)
    dates = [x.astype("datetime64[D]").tolist() for x in d]
    amounts = [x.tolist() for x in v]
    xirr(v[:50], d[:50])  # warm up
    ours = xirr(v, d)
    t_ours, t_pyx = _medians(
        [
            lambda: xirr(v, d),
            lambda: [pyxirr.xirr(a, b) for a, b in zip(dates, amounts, strict=True)],
        ]
    )
    load = load_average()
    ref = np.array([pyxirr.xirr(a, b) for a, b in zip(dates, amounts, strict=True)], dtype=float)
    t_npv, t_npv_pyx = _medians(
        [
            lambda: xnpv(0.06, v, d),
            lambda: [pyxirr.xnpv(0.06, a, b) for a, b in zip(dates, amounts, strict=True)],
        ]
    )
    load_npv = load_average()
    ref_npv = np.array([pyxirr.xnpv(0.06, a, b) for a, b in zip(dates, amounts, strict=True)])
    ok = ~np.isnan(ref) & ~np.isnan(ours)
    return {
        "rows": rows,
        "T": T,
        "ours": t_ours,
        "pyxirr": t_pyx,
        "diff": float(np.max(np.abs(ours[ok] - ref[ok]))),
        "nan": int((np.isnan(ours) != np.isnan(ref)).sum()),
        "npv_ours": t_npv,
        "npv_pyx": t_npv_pyx,
        "npv_rel": float(np.max(np.abs(xnpv(0.06, v, d) - ref_npv) / np.abs(ref_npv))),
        "load": load,
        "load_npv": load_npv,
    }


def run(quick: bool = False) -> list[Report]:
    """Reports for run_all.py."""
    r = measure(1_000 if quick else 10_000, 30)
    size = f"{r['rows']} x {r['T']} dated"
    return [
        Report(
            f"xirr {size} vs pyxirr loop",
            r["ours"],
            "pyxirr.xirr loop",
            r["pyxirr"],
            ">= 1.5× (median of 7), |Δ| <= 1e-9",
            r["pyxirr"] / r["ours"] >= 1.5 and r["diff"] <= 1e-9,
            f"max |Δ| {r['diff']:.1e}; NaN mismatches {r['nan']}",
            load=r["load"],
        ),
        Report(
            f"xnpv {size} vs pyxirr loop",
            r["npv_ours"],
            "pyxirr.xnpv loop",
            r["npv_pyx"],
            ">= 1× (median of 7)",
            r["npv_pyx"] / r["npv_ours"] >= 1,
            f"max relative |Δ| {r['npv_rel']:.1e}",
            load=r["load_npv"],
        ),
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--flows", type=int, default=30)
    a = ap.parse_args()
    r = measure(a.rows, a.flows)
    print(f"machine: {machine()}")
    print(f"load: {r['load']} (xirr), {r['load_npv']} (xnpv)")
    print(
        f"xirr  ours {r['ours'] * 1e3:7.1f} ms | pyxirr loop {r['pyxirr'] * 1e3:7.1f} ms "
        f"({r['pyxirr'] / r['ours']:.2f}x) | max|d| {r['diff']:.1e} | NaN mismatches {r['nan']}"
    )
    print(
        f"xnpv  ours {r['npv_ours'] * 1e3:7.1f} ms | pyxirr loop {r['npv_pyx'] * 1e3:7.1f} ms "
        f"({r['npv_pyx'] / r['npv_ours']:.2f}x) | max rel|d| {r['npv_rel']:.1e}"
    )


if __name__ == "__main__":
    main()
