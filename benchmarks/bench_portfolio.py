"""Benchmark: a Yancheng-shaped city portfolio end to end.

Measures, in one run:

* generate (412 communities, seeded) → ``Portfolio.run()`` → xlsx, the vectorized path,
  both for bare rows (Yancheng: totals only) and for a template portfolio (every
  community on the Fujian default scenario, with utility splits by rule);
* the baseline: one ``Scenario.run()`` per community on a sample, extrapolated to 412;
* peak Python memory (tracemalloc) of the vectorized run.

Usage: ``python benchmarks/bench_portfolio.py [n_communities] [sample]``
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from costshare.portfolio import Portfolio
from costshare.scenario import Scenario
from costshare.synth import synthetic_city

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "scenarios" / "fujian_default.yaml"


def _best(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 412
    sample = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "city.xlsx"

        def bare() -> None:
            Portfolio.from_frame(synthetic_city(n, seed=0)).run().to_xlsx(out)

        table = _template_table(n)

        def templated() -> None:
            Portfolio.from_frame(table).run().to_xlsx(out)

        def templated_run_only() -> None:
            Portfolio.from_frame(table).run()

        t_bare = _best(bare)
        t_tpl = _best(templated)
        t_tpl_run = _best(templated_run_only)
        tracemalloc.start()
        templated()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    per = _scenario_loop(table, sample) / sample
    t_loop = per * n
    print(f"Yancheng-shaped city: {n} communities (best of 3)")
    print(f"  bare rows     generate+run+xlsx : {t_bare:8.3f} s")
    print(f"  template rows run+xlsx          : {t_tpl:8.3f} s   (run only {t_tpl_run:.3f} s)")
    print(
        f"  baseline Scenario.run per row   : {t_loop:8.3f} s   "
        f"({per * 1000:.1f} ms × {n}, from a sample of {sample})"
    )
    print(f"  speed-up of the run vs baseline : {t_loop / t_tpl_run:8.1f} ×")
    print(f"  peak traced memory (template)   : {peak / 2**20:8.1f} MiB")
    print(f"  under 2 s end to end            : {max(t_bare, t_tpl) < 2.0}")


if __name__ == "__main__":
    main()
