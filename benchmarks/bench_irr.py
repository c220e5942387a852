"""Batch IRR and NPV on 10,000 x 30 flows against numpy-financial, pyxirr and plain numpy.

Run: ``python benchmarks/bench_irr.py [--rows N] [--periods T] [--npf-rows M]``.
Everything is timed in one run on the same flows; ratios are baseline time / ours.

Sets of rows:
* conventional -- an outlay, then inflows (one sign change);
* multi-sign -- outlay, inflows, a mid-life refurbishment outlay and a final
  decommissioning cost (three sign changes), as renovation projects have;
* realistic mix -- 80 % conventional, 15 % multi-sign, 5 % without a sign change.

Goals (issue 24): IRR >= 2x looping pyxirr on the mix and on multi-sign rows (>= 1x on
conventional rows); >= 30x numpy-financial; ``npv`` within 1.5x of the plain
discount-factor product ``flows @ (1 + r) ** -t`` with its input checks included
(ratio >= 0.67). Times are medians of 7 rounds in which ours and the baseline alternate
(both see the same load); the load average is stated with every figure. irr runs its
small matrix products on one BLAS thread (threadpoolctl); the baselines run as they are.
numpy-financial is timed on the first M rows (default 1,000) and scaled to N.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pyxirr

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's costshare
from _common import Report, load_average, machine

from costshare.finance import irr, npv

ROUNDS = 7


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def _medians(fns, rounds: int = ROUNDS, calls: int = 1) -> list[float]:
    """Median time per call of each function, over `rounds` rounds in which the
    functions alternate (each round times `calls` calls of one function)."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for fn, ts in zip(fns, times, strict=True):
            t = time.perf_counter()
            for _ in range(calls):
                fn()
            ts.append((time.perf_counter() - t) / calls)
    return [statistics.median(ts) for ts in times]


def flows(kind: str, rows: int, periods: int, seed: int = 0) -> np.ndarray:
    """Synthetic project flows of one kind (see the module docstring)."""
    rng = np.random.default_rng(seed)
    v = np.empty((rows, periods))
    v[:, 0] = -rng.uniform(50, 150, rows)
    v[:, 1:] = rng.uniform(0, 20, (rows, periods - 1))
    if kind == "conventional":
        return v
    if kind == "multi":
        mid = rng.integers(periods // 3, 2 * periods // 3, rows)
        v[np.arange(rows), mid] = -rng.uniform(20, 60, rows)
        v[:, -1] = -rng.uniform(5, 30, rows)
        return v
    k = rng.random(rows)
    multi = flows("multi", rows, periods, seed + 1)
    v[k >= 0.80] = multi[k >= 0.80]
    v[k >= 0.95] = np.abs(v[k >= 0.95])  # no sign change
    return v


def newton_numpy(v: np.ndarray, guess: float = 0.1, iters: int = 50) -> np.ndarray:
    """A plain hand-written vectorized Newton on NPV(r) (no brackets, no diagnostics)."""
    t = np.arange(v.shape[1])
    r = np.full(v.shape[0], guess)
    with np.errstate(all="ignore"):
        for _ in range(iters):
            d = (1 + r[:, None]) ** -t
            f = (v * d).sum(1)
            df = (-t * v * d / (1 + r[:, None])).sum(1)
            step = f / df
            r = r - step
            if np.nanmax(np.abs(step)) < 1e-12:
                break
    return r


def _maxdiff(ref: np.ndarray, mine: np.ndarray) -> float:
    ok = ~np.isnan(ref) & ~np.isnan(mine)
    return float(np.max(np.abs(ref[ok] - mine[ok]))) if ok.any() else float("nan")


def measure(kind: str, rows: int, periods: int, npf_rows: int) -> dict:
    """Time costshare, the pyxirr loop, the numpy-financial loop and a plain Newton."""
    v = flows(kind, rows, periods)
    irr(v[:100])  # warm up
    ours = irr(v)
    lists = [x.tolist() for x in v]
    t_ours, t_pyx = _medians([lambda: irr(v), lambda: [pyxirr.irr(x, silent=True) for x in lists]])
    load = load_average()  # the minute just measured
    ref_pyx = np.array([np.nan if (r := pyxirr.irr(x, silent=True)) is None else r for x in lists])
    m = min(npf_rows, rows)
    t0 = time.perf_counter()
    ref_npf = np.array([npf.irr(x) for x in v[:m]])
    t_npf = (time.perf_counter() - t0) * rows / m
    t_newton = _best(lambda: newton_numpy(v), 3)
    t_default = _default_threads(v) if kind != "conventional" else None
    conv = ~np.isnan(ours) & ~np.isnan(ref_pyx)
    return {
        "kind": kind,
        "rows": rows,
        "periods": periods,
        "ours": t_ours,
        "pyxirr": t_pyx,
        "npf": t_npf,
        "npf_rows": m,
        "newton": t_newton,
        "diff_pyx": _maxdiff(ref_pyx, ours),
        "same_pyx": float(np.mean(np.abs(ours[conv] - ref_pyx[conv]) < 1e-9))
        if conv.any()
        else 1.0,
        "diff_npf": _maxdiff(ref_npf, ours[:m]),
        "nan": int(np.isnan(ours).sum()),
        "load": load,
        "default_threads": t_default,
    }


def _default_threads(v: np.ndarray) -> float:
    """Median time of irr with BLAS left at its default threads (the limit switched off)."""
    import contextlib

    from costshare.finance import _irr

    limit = _irr.one_blas_thread
    _irr.one_blas_thread = lambda cells: contextlib.nullcontext()
    try:
        return _medians([lambda: irr(v)], rounds=5)[0]
    finally:
        _irr.one_blas_thread = limit


def measure_npv(rows: int, periods: int, rate: float = 0.06) -> dict:
    """costshare.npv against the plain product and a numpy-financial loop."""
    v = flows("mix", rows, periods)
    t = np.arange(periods)
    npv(rate, v)  # warm up
    t_ours, t_plain = _medians([lambda: npv(rate, v), lambda: v @ (1 + rate) ** -t], calls=50)
    load = load_average()
    m = min(rows, 2000)
    t0 = time.perf_counter()
    ref = np.array([npf.npv(rate, x) for x in v[:m]])
    t_npf = (time.perf_counter() - t0) * rows / m
    return {
        "ours": t_ours,
        "plain": t_plain,
        "npf": t_npf,
        "diff": float(np.max(np.abs(npv(rate, v)[:m] - ref))),
        "load": load,
    }


def run(quick: bool = False) -> list[Report]:
    """Reports for run_all.py."""
    rows, m = (1_000, 300) if quick else (10_000, 1_000)
    out: list[Report] = []
    goals = {
        "mix": (">= 2× (median of 7)", 2.0),
        "multi": (">= 2× (median of 7)", 2.0),
        "conventional": (">= 1× (median of 7)", 1.0),
    }
    for kind in ("mix", "multi", "conventional"):
        r = measure(kind, rows, 30, m)
        size = f"{rows} x 30 {kind}"
        goal, need = goals[kind]
        out.append(
            Report(
                f"irr {size} vs pyxirr loop",
                r["ours"],
                "pyxirr.irr loop",
                r["pyxirr"],
                goal,
                r["pyxirr"] / r["ours"] >= need,
                f"max |Δ| {r['diff_pyx']:.1e}; same root {r['same_pyx']:.1%}",
                notes=["irr: one BLAS thread (threadpoolctl); pyxirr: one Rust call per row"]
                + (
                    [
                        f"irr with the default BLAS threads: {r['default_threads'] * 1e3:.1f} ms "
                        f"({r['pyxirr'] / r['default_threads']:.2f}× pyxirr)"
                    ]
                    if r["default_threads"]
                    else []
                ),
                load=r["load"],
            )
        )
        out.append(
            Report(
                f"irr {size} vs numpy-financial loop",
                r["ours"],
                "numpy_financial.irr loop",
                r["npf"],
                ">= 30×",
                r["npf"] / r["ours"] >= 30,
                f"max |Δ| {r['diff_npf']:.1e}",
                notes=[f"numpy-financial timed on {r['npf_rows']} rows and scaled"],
                load=r["load"],
            )
        )
        if kind == "conventional":
            out.append(
                Report(
                    f"irr {size} vs plain numpy Newton",
                    r["ours"],
                    "hand-written vectorized Newton",
                    r["newton"],
                    "report",
                    None,
                    load=r["load"],
                )
            )
    n = measure_npv(rows, 30)
    out.append(
        Report(
            f"npv {rows} x 30 vs plain product",
            n["ours"],
            "flows @ (1+r)**-t",
            n["plain"],
            ">= 0.67× (within 1.5×, checks included; median of 7 × 50 calls)",
            n["plain"] / n["ours"] >= 0.67,
            f"max |Δ| vs numpy-financial {n['diff']:.1e}",
            notes=[f"numpy-financial loop (scaled): {n['npf'] * 1e3:.0f} ms"],
            load=n["load"],
        )
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--periods", type=int, default=30)
    ap.add_argument("--npf-rows", type=int, default=1_000)
    a = ap.parse_args()
    print(f"machine: {machine()}")
    for kind in ("mix", "multi", "conventional"):
        r = measure(kind, a.rows, a.periods, a.npf_rows)
        print(
            f"{kind:12} [load {r['load']}] ours {r['ours'] * 1e3:7.1f} ms | pyxirr {r['pyxirr'] * 1e3:7.1f} ms "
            f"({r['pyxirr'] / r['ours']:.2f}x) | npf {r['npf'] * 1e3:8.0f} ms "
            f"({r['npf'] / r['ours']:.0f}x) | plain Newton {r['newton'] * 1e3:6.1f} ms "
            f"({r['newton'] / r['ours']:.2f}x) | max|d| pyxirr {r['diff_pyx']:.1e}, "
            f"same root {r['same_pyx']:.1%}, NaN {r['nan']}"
        )
    n = measure_npv(a.rows, a.periods)
    print(
        f"npv [load {n['load']}] ours {n['ours'] * 1e3:7.3f} ms | plain {n['plain'] * 1e3:7.2f} ms "
        f"({n['plain'] / n['ours']:.2f}x) | npf loop {n['npf'] * 1e3:7.0f} ms"
    )


if __name__ == "__main__":
    main()
