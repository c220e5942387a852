"""Maintenance-fund projection: 100,000 household accounts × 30 years, exact to the fen.

Run: ``python benchmarks/bench_operation.py [--quick]``. Measures, in one run:

* ``costshare.operation.fund_projection`` over 100,000 accounts (areas 40–120 m²) and
  30 years with yearly contributions, public income and three major repairs split by area
  with the exact allocator; goal < 1 s.
* The baseline: a plain Python loop over accounts and years in ``Decimal`` yuan
  (``quantize(0.01, ROUND_HALF_UP)`` for the interest), given the same per-account flows.
  It is timed on a sample of 10,000 accounts and scaled to the full count (the loop is
  linear in accounts); the sample's closing balances must equal ours to the fen.
"""

from __future__ import annotations

import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import ROOT, Report, best_of

from costshare.operation import fund_projection

CENT = Decimal("0.01")


def _baseline(opening, contrib, public, repairs, rate: Decimal) -> list[list[Decimal]]:
    """Closing balances per account and year, Decimal yuan, one account at a time."""
    out = []
    for i in range(len(opening)):
        bal = Decimal(int(opening[i])) / 100
        row = []
        for k in range(contrib.shape[1]):
            interest = (bal * rate).quantize(CENT, rounding=ROUND_HALF_UP)
            flows = Decimal(int(contrib[i, k]) + int(public[i, k]) - int(repairs[i, k])) / 100
            bal = bal + interest + flows
            row.append(bal)
        out.append(row)
    return out


def measure(accounts: int, years: int, sample: int) -> dict:
    """Our time on every account, the baseline's on a sample, and their agreement."""
    rng = np.random.default_rng(0)
    area = np.round(rng.uniform(40, 120, accounts), 2)
    opening = np.round(area * 60, 2)  # about 60 yuan per m² in the fund
    kwargs = {
        "years": years,
        "rate": "0.015",
        "contributions": 2_000_000,
        "public_income": 350_000,
        "repairs": {8: 30_000_000, 15: 120_000_000, 25: 90_000_000},
        "trigger": "0.3",
        "area": area,
    }
    t_ours, p = best_of(lambda: fund_projection(opening, **kwargs))
    idx = np.arange(sample)
    t0 = time.perf_counter()
    ref = _baseline(
        p.opening_fen[idx, 0],
        p.contributions_fen[idx],
        p.public_income_fen[idx],
        p.repairs_fen[idx],
        Decimal("0.015"),
    )
    t_sample = time.perf_counter() - t0
    same = all(
        int(ref[i][k] * 100) == int(p.closing_fen[i, k])
        for i in range(sample)
        for k in range(years)
    )
    return {
        "ours": t_ours,
        "baseline": t_sample * accounts / sample,
        "same": same,
        "first": p.first_below_trigger,
        "below": int((p.first_below_by_account > 0).sum()),
    }


def city(copies: int) -> tuple[float, int]:
    """Time of one operation run over the Yancheng-like scenario's communities × `copies`."""
    from costshare import rules
    from costshare.operation import OperationScenario, operate

    base = OperationScenario.from_yaml(
        ROOT / "scenarios" / "operation" / "yancheng_leased_rooms.yaml"
    )
    many = [
        c.model_copy(update={"name": f"{c.name}{i}"})
        for i in range(copies)
        for c in base.communities
    ]
    s = base.model_copy(update={"communities": many})
    rs = rules.load(s.jurisdiction, on=s.day())
    t, _ = best_of(lambda: operate(s, rs))
    return t, len(many)


def run(quick: bool = False) -> list[Report]:
    """Reports for run_all.py."""
    n, years, sample = (20_000, 30, 2_000) if quick else (100_000, 30, 10_000)
    r = measure(n, years, sample)
    t_city, n_city = city(50 if quick else 200)
    return [
        Report(
            f"operation model, {n_city} communities × 15 years (accounts, break-even fees, funds)",
            t_city,
            goal="< 1 s",
            met=t_city < 1.0,
            agreement="each community equals its own run (tests/test_operation.py)",
        ),
        Report(
            f"maintenance-fund projection, {n:,} household accounts × {years} years",
            r["ours"],
            f"Python/Decimal loop (timed on {sample:,} accounts, scaled)",
            r["baseline"],
            "< 1 s",
            r["ours"] < 1.0,
            f"closing balances equal to the fen on the sample: {r['same']}; "
            f"first year below the 30% trigger: {r['first']} ({r['below']:,} accounts)",
        ),
    ]


def main() -> None:
    for rep in run(quick="--quick" in sys.argv):
        rep.show()


if __name__ == "__main__":
    main()
