"""Benchmark: a Yancheng-shaped city portfolio end to end.

Measures, in one run:

* generate (412 communities, seeded) → ``Portfolio.run()`` → xlsx, the vectorized path,
  both for bare rows (Yancheng: totals only) and for a template portfolio (every
  community on the Fujian default scenario, with utility splits by rule);
* the baseline: one ``Scenario.run()`` per community on a sample, extrapolated to 412;
* peak Python memory (tracemalloc) of the vectorized run.

Usage: ``python benchmarks/bench_portfolio.py [--quick]`` (or through ``run_all.py``)
"""

from __future__ import annotations

import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from _common import Report, best_of, peak_traced

from costshare.community.portfolio import Portfolio
from costshare.community.scenario import Scenario
from costshare.report.portfolio_xlsx import write_portfolio_xlsx
from costshare.scale.synth import synthetic_city

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "scenarios" / "fujian_default.yaml"


def _template_table(n: int):
    """Yancheng-shaped sizes on the Fujian template, cost scaled by area."""
    df = synthetic_city(n, seed=0)
    base = Scenario.from_yaml(TEMPLATE).community
    scale = (df["area_m2"] / float(base.area_m2)).round(6)
    return df[["id", "name", "district", "households", "area_m2"]].assign(
        template=str(TEMPLATE), cost_scale=scale, funding_scale=scale
    )


def _scenario_loop(table, sample: int) -> float:
    """Baseline: build and run one Scenario per community (the first `sample` rows)."""
    base = Scenario.from_yaml(TEMPLATE).to_dict()
    t0 = time.perf_counter()
    for row in table.head(sample).itertuples():
        d = {**base, "community": {**base["community"]}, "funding": {**base["funding"]}}
        sc = Decimal(repr(row.cost_scale))
        d["work_items"] = [
            {
                **w,
                "cost": str(
                    (Decimal(str(w["cost"])) * sc).quantize(Decimal("0.01"), ROUND_HALF_UP)
                ),
            }
            for w in base["work_items"]
        ]
        d["community"]["households"] = int(row.households)
        d["community"]["area_m2"] = str(row.area_m2)
        Scenario.from_dict(d).run()
    return time.perf_counter() - t0


def run(quick: bool = False) -> list[Report]:
    n, sample = 412, (10 if quick else 40)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "city.xlsx"
        table = _template_table(n)
        t_bare, _ = best_of(
            lambda: write_portfolio_xlsx(Portfolio.from_frame(synthetic_city(n, seed=0)).run(), out)
        )
        t_tpl, _ = best_of(lambda: write_portfolio_xlsx(Portfolio.from_frame(table).run(), out))
        t_run, res = best_of(lambda: Portfolio.from_frame(table).run())
        _, peak, _ = peak_traced(
            lambda: write_portfolio_xlsx(Portfolio.from_frame(table).run(), out)
        )
    per = _scenario_loop(table, sample) / sample
    hh = int(res.communities["households"].sum())
    return [
        Report(
            name=f"Yancheng-shaped city end to end ({n} communities, bare rows: generate + run + xlsx)",
            ours_s=t_bare,
            goal="< 2 s",
            met=t_bare < 2,
        ),
        Report(
            name=f"Yancheng-shaped city on the Fujian template ({n} communities, {hh:,} households)",
            ours_s=t_run,
            baseline=f"Scenario.run per community ({per * 1000:.1f} ms × {n}, sampled on {sample})",
            baseline_s=per * n,
            goal="end to end (run + xlsx) < 2 s",
            met=t_tpl < 2,
            agreement="per-community results equal Scenario.run to the fen (tests/test_portfolio.py)",
            memory=f"peak traced {peak / 2**20:.1f} MiB; run + xlsx {t_tpl:.2f} s",
        ),
    ]


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        r.show()
