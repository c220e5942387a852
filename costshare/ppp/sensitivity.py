"""Tornado table and seeded, vectorized Monte Carlo over driver multipliers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from costshare import limits
from costshare.errors import InputError
from costshare.ppp.engine import metrics_arrays, simulate
from costshare.ppp.model import Distribution, PPPProject, TornadoDriver
from costshare.progress import Progress, as_progress

__all__ = ["MC_CHUNK", "MonteCarloResult", "monte_carlo", "sample_drivers", "tornado"]

_METRICS = ("project_npv", "project_irr", "equity_irr", "payback")


def tornado(p: PPPProject, drivers: list[TornadoDriver] | None = None) -> pd.DataFrame:
    """Each driver at (1 - change) and (1 + change), all in one vectorized run.

    Returns one row per driver, sorted by NPV swing (largest first): ``driver``,
    ``change``, ``npv_low``/``npv_base``/``npv_high`` (yuan, float, for plotting),
    the same for ``irr`` and ``payback`` (NaN = never), and ``npv_swing``.
    """
    drivers = p.sensitivity.tornado if drivers is None else drivers
    if not drivers:
        msg = f"{p.name}: no tornado drivers (sensitivity.tornado is empty)"
        raise InputError(msg)
    D = 1 + 2 * len(drivers)
    mult: dict[str, np.ndarray] = {}
    for j, d in enumerate(drivers):
        col = mult.setdefault(d.driver, np.ones(D))
        col[1 + 2 * j], col[2 + 2 * j] = 1 - d.change, 1 + d.change
    m = metrics_arrays(simulate(p, mult))
    rows = []
    for j, d in enumerate(drivers):
        lo, hi = 1 + 2 * j, 2 + 2 * j
        row = {"driver": d.driver, "change": d.change}
        for key, name in (("project_npv", "npv"), ("project_irr", "irr"), ("payback", "payback")):
            scale = 100.0 if key == "project_npv" else 1.0
            row[f"{name}_low"] = m[key][lo] / scale
            row[f"{name}_base"] = m[key][0] / scale
            row[f"{name}_high"] = m[key][hi] / scale
        row["npv_swing"] = abs(row["npv_high"] - row["npv_low"])
        rows.append(row)
    df = pd.DataFrame(rows)
    return df.sort_values("npv_swing", ascending=False, kind="stable").reset_index(drop=True)


def sample_drivers(
    drivers: dict[str, Distribution], draws: int, seed: int
) -> dict[str, np.ndarray]:
    """Draw multipliers for each driver (sorted by name, so the stream is reproducible).

    ``lognormal`` takes the mean and sd of the multiplier itself. Negative draws are
    clipped to 0.
    """
    rng = np.random.default_rng(seed)
    out = {}
    for name in sorted(drivers):
        d = drivers[name]
        if d.dist == "normal":
            x = rng.normal(d.mean, d.sd, draws)
        elif d.dist == "uniform":
            x = rng.uniform(d.low, d.high, draws)
        elif d.dist == "triangular":
            x = rng.triangular(d.low, d.mode, d.high, draws)
        else:
            s2 = np.log1p((d.sd / d.mean) ** 2)
            x = rng.lognormal(np.log(d.mean) - s2 / 2, np.sqrt(s2), draws)
        out[name] = np.maximum(x, 0.0)
    return out


@dataclass(frozen=True)
class MonteCarloResult:
    draws: int
    seed: int
    samples: pd.DataFrame
    """One row per draw: the multipliers and the metrics (NPV in yuan)."""
    summary: pd.DataFrame
    """Rows: metrics; columns: mean, p5, p10, p50, p90, p95. Never paid back = inf."""
    p_payback_within: float
    """Share of draws whose project pays back within the cooperation period."""


MC_CHUNK = 5_000
"""Draws simulated together: the chunk at whose boundary a Monte Carlo reports progress.

Each draw is computed on its own, so the result does not depend on it (bit for bit)."""


def monte_carlo(
    p: PPPProject,
    draws: int | None = None,
    seed: int | None = None,
    *,
    progress: Progress | None = None,
) -> MonteCarloResult:
    """Seeded Monte Carlo over ``sensitivity.monte_carlo.drivers``.

    The multipliers are drawn all at once (one seeded stream); the draws are simulated
    in chunks of :data:`MC_CHUNK`, after each of which `progress` hears ``mc.draws``
    (and may raise :class:`~costshare.progress.Cancelled`).
    """
    mc = p.sensitivity.monte_carlo
    draws = mc.draws if draws is None else draws
    seed = mc.seed if seed is None else seed
    limits.check("draws", draws, file=p.name, field="draws")  # before anything is drawn
    if not mc.drivers:
        msg = f"{p.name}: no Monte Carlo drivers (sensitivity.monte_carlo.drivers is empty)"
        raise InputError(msg)
    mult = sample_drivers(mc.drivers, draws, seed)
    prog = as_progress(progress)
    prog.step(0, draws, "mc.draws")
    parts = []
    for lo in range(0, draws, MC_CHUNK):
        parts.append(
            metrics_arrays(simulate(p, {k: v[lo : lo + MC_CHUNK] for k, v in mult.items()}))
        )
        prog.step(min(lo + MC_CHUNK, draws), draws, "mc.draws")
    m = {k: np.concatenate([x[k] for x in parts]) for k in parts[0]}
    samples = pd.DataFrame(mult)
    for key in _METRICS:
        samples[key] = m[key] / 100.0 if key == "project_npv" else m[key]
    qs = (5, 10, 50, 90, 95)
    rows = {}
    for key in _METRICS:
        x = samples[key].to_numpy()
        x = np.where(np.isnan(x), np.inf, x) if key == "payback" else x[~np.isnan(x)]
        with np.errstate(invalid="ignore"):
            vals = np.percentile(x, qs) if x.size else np.full(len(qs), np.nan)
        mean = float(np.mean(x)) if x.size else float("nan")
        rows[key] = {"mean": mean} | {f"p{q}": v for q, v in zip(qs, vals, strict=True)}
    pb = m["payback"]
    within = float(np.mean(~np.isnan(pb) & (pb <= p.cooperation_years)))
    return MonteCarloResult(draws, seed, samples, pd.DataFrame(rows).T, within)
