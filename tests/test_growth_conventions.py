"""Two growth conventions, each as documented: operation raises the fee actually billed
(compounding on the rounded amount), PPP compounds a forecast from the base year."""

from __future__ import annotations

import copy
from fractions import Fraction
from pathlib import Path

import numpy as np
import yaml

from costshare import ppp
from costshare.money import half_up
from costshare.operation.engine import line_amounts
from costshare.ppp.engine import simulate

EXAMPLE = Path(__file__).resolve().parents[1] / "scenarios" / "ppp" / "ppp_example.yaml"


def test_operation_compounds_on_the_billed_amount() -> None:
    """1,005 fen at 5 %: 1055.25 -> 1055, then 1055 x 1.05 = 1107.75 -> 1108, each year
    from the rounded one; compounding from the base instead differs by a fen or two."""
    got = line_amounts([1005], 8, growth=[Fraction(5, 100)])[0].tolist()
    want, cur = [], 1005
    for _ in range(8):
        want.append(cur)
        cur = half_up(cur * 105, 100)
    assert got == want
    from_base = [half_up(1005 * 105**t, 100**t) for t in range(8)]
    assert got != from_base  # the conventions differ, by a fen here and there
    assert max(abs(a - b) for a, b in zip(got, from_base, strict=True)) <= 2


def test_ppp_compounds_from_the_base_year() -> None:
    """PPP O&M of 2,500,000.07 yuan at 3 %: year t of operation is the base × 1.03**t,
    rounded once (no compounding of rounded amounts)."""
    d = copy.deepcopy(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    d["om_costs"] = [{"name": "om", "annual_amount": "2500000.07", "growth": 0.03}]
    f = simulate(ppp.PPPProject.from_dict(d, "growth.yaml"))
    om = f.om[0][f.operating].tolist()
    want = [half_up(250000007 * 103**t, 100**t) for t in range(len(om))]
    assert om == want
    billed, cur = [], 250000007
    for _ in om:
        billed.append(cur)
        cur = half_up(cur * 103, 100)
    assert np.abs(np.array(om) - np.array(billed)).max() <= len(om)
