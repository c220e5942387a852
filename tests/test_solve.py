"""Goal seek on a community scenario: hand-computed values, bounds, impossibility, CLI."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare.cli import app
from costshare.community.scenario import Scenario, default_scenario_path
from costshare.community.solve import solve, targets
from costshare.errors import InputError


@pytest.fixture(scope="module")
def fujian() -> Scenario:
    # uses 10,000,000 yuan; sources 9,924,000 (residents 600 × 480 = 288,000); gap 76,000
    return Scenario.from_yaml(default_scenario_path())


def test_hand_computed_values(fujian):
    assert fujian.run().gap_fen == 7_600_000
    # municipal 800,000 + 76,000
    assert solve(fujian, "municipal").value == Decimal(876_000)
    # residents need 288,000 + 76,000 = 364,000 yuan in all
    assert solve(fujian, "residents.amount").value == Decimal(364_000)
    # 364,000 / 10,000,000 uses
    assert solve(fujian, "residents.ratio").value == Decimal("0.0364")
    # 364,000 / 480 = 758.3333…; exactly: 480 × 758.33333 = 363,999.9984 → 364,000.00 half-up
    sol = solve(fujian, "residents.per_household", payable=False)
    assert sol.value == Decimal("758.33333")
    assert sol.result.gap_fen == 0 and sol.rounding == "" and sol.leftover_fen == 0
    # payable (the default): 758.34 a household, 480 × 0.00667 = 3.20 yuan left over
    pay = solve(fujian, "residents.per_household")
    assert pay.value == Decimal("758.34") and pay.leftover_fen == 320
    assert pay.result.gap_fen == -320 and "多筹 3.20 元" in pay.rounding
    # 758.33 leaves a gap: 480 × 758.33 = 363,998.40
    with pytest.raises(InputError, match="gap of 1.60 元"):
        solve(fujian, "residents.per_household", lo="758.33", hi="758.33")
    # one place fewer: 480 × 758.3333 = 363,999.984 → a gap of 0.02 yuan is left
    with pytest.raises(InputError, match="gap of 0.02 元"):
        solve(fujian, "residents.per_household", lo="758.3333", hi="758.3333", payable=False)


def test_solution_is_the_smallest(fujian):
    sol = solve(fujian, "residents.per_household", payable=False)
    below = sol.value - Decimal("0.00001")
    with pytest.raises(InputError, match="gap of"):
        solve(fujian, "residents.per_household", lo=below, hi=below)


def test_bounds_too_tight_say_what_is_left(fujian):
    # at 700 per household: 480 × (758.333… − 700) = 28,000 yuan left
    with pytest.raises(InputError, match="even at 700 a gap of 28,000.00 元"):
        solve(fujian, "residents.per_household", hi=700)
    # municipal at least 900,000: 24,000 yuan surplus
    with pytest.raises(InputError, match="surplus of 24,000.00 元"):
        solve(fujian, "municipal", lo=900_000, hi=1_000_000)
    with pytest.raises(InputError, match="bounds"):
        solve(fujian, "residents.ratio", hi="1.5")
    with pytest.raises(InputError, match="unknown target"):
        solve(fujian, "nobody")


def test_targets_include_other_lines():
    s = Scenario.from_yaml(default_scenario_path())
    raw = s.to_dict()
    raw["funding"]["other"] = [{"name": "企业捐赠", "amount": 1000}]
    s2 = Scenario.from_dict(raw)
    assert "other:企业捐赠" in targets(s2)
    assert solve(s2, "other:企业捐赠").value == Decimal(
        76_000
    )  # 1,000 given + the 75,000 still missing


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=1_000_000_000))
def test_any_municipal_start_solves_exactly_or_says_surplus(start_fen):
    raw = Scenario.from_yaml(default_scenario_path()).to_dict()
    raw["funding"]["municipal"] = str(Decimal(start_fen) / 100)
    raw["funding"]["residents"] = {"ratio": 0}
    s = Scenario.from_dict(raw)
    gap0 = s.run().gap_fen  # the gap with no residents' money
    if gap0 < 0:
        with pytest.raises(InputError, match="surplus"):
            solve(s, "residents.ratio")
        return
    sol = solve(s, "residents.ratio")
    assert sol.result.gap_fen == 0
    assert sol.value >= 0


def test_cli_solve(tmp_path):
    out = tmp_path / "solved.yaml"
    r = CliRunner().invoke(
        app, ["solve", str(default_scenario_path()), "municipal", "-o", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert "municipal = 876000" in r.output
    assert Scenario.from_yaml(out).run().gap_fen == 0
    r = CliRunner().invoke(
        app, ["solve", str(default_scenario_path()), "residents.per_household", "--hi", "700"]
    )
    assert r.exit_code == 1
    assert "28,000.00" in r.output


@pytest.mark.parametrize("target", ["residents.per_m2", "residents.per_household", "municipal"])
def test_payable_is_the_smallest_fen(fujian, target):
    """A payable value has at most 2 decimals, leaves no gap, and one fen less leaves a gap."""
    sol = solve(fujian, target)
    assert sol.value == sol.value.quantize(Decimal("0.01"))
    assert sol.result.gap_fen == -sol.leftover_fen <= 0
    below = sol.value - Decimal("0.01")
    with pytest.raises(InputError, match="gap of"):
        solve(fujian, target, lo=below, hi=below)
