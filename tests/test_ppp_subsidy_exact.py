"""The PPP engine's 21号 subsidy is the exact one: it equals ppp.operating_subsidy in every
year of random projects, exact half fen included."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import numpy as np
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare import ppp
from costshare.ppp.engine import simulate, subsidy_fen

EXAMPLE = Path(__file__).resolve().parents[1] / "scenarios" / "ppp" / "ppp_example.yaml"
BASE = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))

rates = st.decimals(min_value=0, max_value="0.2", places=4, allow_nan=False)
yuan = st.decimals(min_value=1, max_value=10**8, places=2, allow_nan=False)
# O&M of 100 (2k+1) fen at a profit rate of 5 (2j+1) / 1000 is an exact half fen:
half_om = st.integers(0, 10**6).map(lambda k: Decimal(100 * (2 * k + 1)) / 100)
half_p = st.integers(0, 19).map(lambda j: Decimal(5 * (2 * j + 1)) / 1000)


def test_half_fen_rounds_up_as_the_formula() -> None:
    """1,000,003 yuan of O&M at 3.5 % profit: 1,035,003.105 yuan -> 1,035,003.11 (the
    float copy gave .10); with cost 1,000,003 at 3.5 % and n = 0, Y = 1 the same."""
    zero = np.zeros((1, 1), np.int64)
    om = np.array([[100_000_300]])
    got = subsidy_fen(np.array([0]), om, zero, "operating_only", 0.035, 0.0, np.array([1]), 1)
    assert got.tolist() == [[103_500_311]]
    want = ppp.operating_subsidy(0, 0.035, 0, 1, "1000003", 0, year=1)
    assert want == Decimal("1035003.11")
    got = subsidy_fen(np.array([100_000_300]), zero, zero, "government_pay", 0.035, 0.0,
                      np.array([0]), 1)  # fmt: skip
    assert got.tolist() == [[103_500_311]]


@given(
    cost=yuan,
    om=st.one_of(yuan, half_om),
    user=st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False),
    p=st.one_of(rates, half_p),
    i=rates,
    kind=st.sampled_from(["viability_gap", "government_pay", "operating_only"]),
    growth=st.sampled_from([0, 0, "0.03"]),
)
@settings(max_examples=120, deadline=None)
def test_engine_equals_operating_subsidy(cost, om, user, p, i, kind, growth) -> None:
    """Every subsidy year of a random project: engine == operating_subsidy to the fen."""
    d = copy.deepcopy(BASE)
    d["construction"]["cost"] = str(cost)
    d["om_costs"] = [{"name": "om", "annual_amount": str(om), "growth": float(growth)}]
    d["revenues"] = [{"name": "fees", "kind": "user_payment", "annual_amount": str(user)}]
    d["subsidy"] = {"kind": kind, "profit_rate": float(p), "discount_rate": float(i)}
    proj = ppp.PPPProject.from_dict(d, "random.yaml")
    f = simulate(proj)
    Y = proj.subsidy_years
    for t in np.flatnonzero(f.n_index > 0).tolist():
        want = ppp.operating_subsidy(
            0 if kind == "operating_only" else proj.construction.cost,
            float(p),
            float(i),
            Y,
            Decimal(int(f.om[0, t])) / 100,
            0 if kind == "government_pay" else Decimal(int(f.revenue_user[0, t])) / 100,
            year=int(f.n_index[t]),
        )
        assert Decimal(int(f.subsidy[0, t])) / 100 == want, (t, kind)
