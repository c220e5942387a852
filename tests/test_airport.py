"""Airport-game floor shares and an elevator's lifetime: properties and the CLI."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare import rules
from costshare.cli import app
from costshare.households.airport import airport_weights
from costshare.households.elevator_life import elevator_lifetime

NATIONAL = rules.load("national", "2024-06-30")
floors_st = st.lists(st.integers(1, 12), min_size=2, max_size=12)


@given(floors_st)
def test_weights_sum_to_the_top_increments_and_rise_with_floor(floors):
    """Efficiency: the weights add up to the increments needed (top floor − 1)."""
    pay = [True] * len(floors)
    w = airport_weights(floors, pay)
    assert sum(w) == Fraction(max(floors) - 1)
    order = sorted(range(len(floors)), key=lambda i: floors[i])
    assert all(w[a] <= w[b] for a, b in itertools.pairwise(order))


@settings(max_examples=40, deadline=None)
@given(
    floors_st,
    st.integers(1, 10**7),
    st.integers(0, 10**5),
    st.integers(1, 30),
    st.integers(0, 10**5),
)
def test_lifetime_nets_add_up(floors, cost, maint, years, comp):
    if all(f == 1 for f in floors):
        return  # nobody above the ground floor pays
    roster = pd.DataFrame({"unit_id": [f"u{i}" for i in range(len(floors))], "floor": floors,
                           "area_m2": [50.0] * len(floors)})  # fmt: skip
    if all(f in (1, 2) for f in floors) and comp:
        comp = 0  # nobody left to pay a compensation to floors 1–2
    t = elevator_lifetime(roster, NATIONAL, cost_fen=cost, maintenance_fen=maint, years=years,
                          compensation_fen=comp, compensated_floors=(1, 2))  # fmt: skip
    assert int(t["net_fen"].sum()) == cost + maint * years
    assert int(t["comp_paid_fen"].sum()) == int(t["comp_received_fen"].sum())


def test_sheet_cli_airport_basis(tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("unit_id,floor,area_m2\n101,1,60\n201,2,60\n301,3,60\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["sheet", str(f), "--total", "300", "--basis", "airport",
                                   "--on", "2024-06-30"])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "机场博弈" in res.output and "225.00" in res.output  # 3F: 3/4 of 300 yuan
