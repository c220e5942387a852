"""Contribution sheets: hand-computed examples for each basis, elevator, scope, fund, properties."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare.errors import InputError
from costshare.households.elevator import Elevator, elevator_net
from costshare.households.fairness import fairness_summary
from costshare.households.roster import read_roster
from costshare.households.sheet import contribution_sheet, floor_scale

ROOT = Path(__file__).parent.parent


@pytest.fixture
def ten() -> pd.DataFrame:
    """Ten households, floors 1–5, two per floor; Σ area = 700 m²."""
    return pd.DataFrame(
        {
            "row": range(2, 12),
            "building": "1",
            "stairwell": "1",
            "unit_id": ["101", "102", "201", "202", "301", "302", "401", "402", "501", "502"],
            "floor": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
            "area_m2": [50.0, 70.0, 50.0, 70.0, 60.0, 80.0, 60.0, 80.0, 90.0, 90.0],
            "owner_name": [
                "甲一",
                "乙二",
                "丙三",
                "丁四",
                "戊五",
                "己六",
                "庚七",
                "辛八",
                "壬九",
                "癸十",
            ],
            "headcount": pd.array([1, 2, 3, 4, 1, 2, 3, 4, 1, 4], dtype="Int64"),
            "fund_balance": [0.0] * 10,
        }
    )


class TestHandComputed:
    """The 10-household example worked out by hand, fen by fen."""

    def test_area(self, ten: pd.DataFrame) -> None:
        """1,000.00 yuan by area: 100000/700 = 142.857… fen per m².

        Quotas: 50 m² → 7142.857, 70 → 10000, 60 → 8571.429, 80 → 11428.571, 90 → 12857.143.
        Floors add to 99,996 fen; the 4 fen left go to the largest remainders: 101 and 201
        (.857), then 302 and 402 (.571).
        """
        s = contribution_sheet(ten, total="1000.00")
        assert s["share_fen"].tolist() == [
            7143,
            10000,
            7143,
            10000,
            8571,
            11429,
            8571,
            11429,
            12857,
            12857,
        ]
        assert s["share_fen"].sum() == 100_000
        assert s["explanation"][0] == (
            "面积 50.00 m² × 每平方米 1.4286 元 = 71.43 元（依据 civil_code.art283："
            "中华人民共和国民法典；住宅专项维修资金管理办法 民法典第二百八十三条；165号令第二十条）"
        )

    def test_elevator_guangzhou(self, ten: pd.DataFrame) -> None:
        """Cost 400,000 − Beijing subsidy 240,000 − provident fund 10,000 = 150,000 net.

        Floors 1–2 exempt; weights coefficient × area: 301 0.7×60 = 42, 302 0.7×80 = 56,
        401 0.8×60 = 48, 402 0.8×80 = 64, 501/502 0.9×90 = 81; Σ = 372.
        15,000,000 fen / 372 = 40,322.58 fen per unit: quotas 1,693,548.39; 2,258,064.52;
        1,935,483.87; 2,580,645.16; 3,266,129.03 ×2. Floors add to 14,999,998; the 2 fen
        go to 401 (.871) and 302 (.516).
        """
        e = Elevator(cost=400_000, city="beijing", provident_fund=10_000)
        s = contribution_sheet(ten, elevator=e, floor_rule="guangzhou")
        assert s["share_fen"].tolist() == [
            0,
            0,
            0,
            0,
            1_693_548,
            2_258_065,
            1_935_484,
            2_580_645,
            3_266_129,
            3_266_129,
        ]
        assert s["exempt"].tolist() == [True] * 4 + [False] * 6
        assert s["exempt_reason"][0] == "1–2层不出资（加装电梯惯例）"
        assert s["explanation"][0] == "免缴：1–2层不出资（加装电梯惯例）"
        assert s["explanation"][6].startswith(
            "楼层系数 0.8 × 面积 60.00 m² × 每单位 403.2258 元 = 19,354.84 元"
        )
        assert s.attrs["costshare"]["total_fen"] == 15_000_000

    def test_elevator_hangzhou_percent(self, ten: pd.DataFrame) -> None:
        """Hangzhou 10/20/30/40 % by floor; no 6th floor here, so 3–5 get 1/6, 1/3, 1/2 of 150,000.

        Floor 3: 25,000 split 60:80 → 10,714.29 / 14,285.71; floor 4: 50,000 → 21,428.57 /
        28,571.43; floor 5: 75,000 → 37,500 each.
        """
        e = Elevator(cost=400_000, city="beijing", provident_fund=10_000)
        s = contribution_sheet(ten, elevator=e, floor_rule="hangzhou")
        assert s["share_fen"].tolist()[4:] == [
            1_071_429,
            1_428_571,
            2_142_857,
            2_857_143,
            3_750_000,
            3_750_000,
        ]
        assert s["explanation"][4].startswith(
            "3层承担 10%（25,000.00 元），按本层面积分摊：60.00 m² ÷ 本层 140.00 m²"
        )

    def test_headcount(self, ten: pd.DataFrame) -> None:
        """250 yuan by headcount (Σ 25 people): 10 yuan per person."""
        s = contribution_sheet(ten, total=250, basis="headcount")
        assert s["share_fen"].tolist() == [
            1000,
            2000,
            3000,
            4000,
            1000,
            2000,
            3000,
            4000,
            1000,
            4000,
        ]

    def test_equal(self, ten: pd.DataFrame) -> None:
        """100.05 yuan equally: 1000.5 fen each; the 5 extra fen go to the first five rows."""
        s = contribution_sheet(ten, total="100.05", basis="equal")
        assert s["share_fen"].tolist() == [1001] * 5 + [1000] * 5
        # 10.005 rounds half-up to 10.01; the rows that got 10.00 say "≈", not "="
        assert " = 10.01 元" in s["explanation"][0]
        assert " ≈ 10.00 元" in s["explanation"][9]

    def test_fixed(self, ten: pd.DataFrame) -> None:
        """200 yuan per household, 101 exempt: 9 × 200 = 1,800 yuan."""
        s = contribution_sheet(ten, basis="fixed", fixed=200, exempt=["101"])
        assert s["share_fen"].tolist() == [0] + [20000] * 9
        assert s["exempt_reason"][0] == "名单豁免"

    def test_mix(self, ten: pd.DataFrame) -> None:
        """1,400 yuan 50% by area (700 → 1 yuan/m²) and 50% equal (70 each)."""
        s = contribution_sheet(ten, total=1400, basis={"area": 0.5, "equal": 0.5})
        assert s["share_area_fen"].tolist() == [
            a * 100 for a in (50, 70, 50, 70, 60, 80, 60, 80, 90, 90)
        ]
        assert (s["share_equal_fen"] == 7000).all()
        assert s["share_fen"].sum() == 140_000
        assert "合计 120.00 元" in s["explanation"][0]

    def test_floor_basis_without_elevator(self, ten: pd.DataFrame) -> None:
        """Basis 'floor' alone follows the rule: floors 1–2 have no Guangzhou coefficient and pay 0."""
        s = contribution_sheet(ten, total=372, basis="floor")
        assert s["share_fen"].tolist()[4:] == [4200, 5600, 4800, 6400, 8100, 8100]
        assert s["exempt_reason"][0] == "楼层规则不出资"


class TestScopeAndExemptions:
    """Scoped sharing and exemptions."""

    def test_stairwell_scope(self) -> None:
        """An elevator for building 3 stairwell 2 is shared only by its 12 households."""
        r = read_roster(ROOT / "data" / "sample_roster.xlsx")
        s = contribution_sheet(
            r, elevator=Elevator(cost=500_000, city="shanghai"), building=3, stairwell=2
        )
        assert len(s) == 12
        assert set(s["building"]) == {"3"} and set(s["stairwell"]) == {"2"}
        assert s["share_fen"].sum() == 30_000_000  # 500,000 − 40% (200,000)
        assert (s.loc[s["floor"] <= 2, "share_fen"] == 0).all()

    def test_unknown_scope(self, ten: pd.DataFrame) -> None:
        """A building that is not in the roster is an InputError listing what there is."""
        with pytest.raises(InputError, match="no household in building '9'"):
            contribution_sheet(ten, total=1, building=9)

    def test_exempt_unknown_household(self, ten: pd.DataFrame) -> None:
        """Exempting a unit that does not exist is an error, not silently ignored."""
        with pytest.raises(InputError, match="no household '909'"):
            contribution_sheet(ten, total=1, exempt=["909"])

    def test_exempt_full_label(self, ten: pd.DataFrame) -> None:
        """Households can be named building-stairwell-unit."""
        s = contribution_sheet(ten, total=90, basis="equal", exempt=["1-1-502"])
        assert s["share_fen"].tolist()[-1] == 0 and s["share_fen"].sum() == 9000

    def test_floor_above_rule(self, ten: pd.DataFrame) -> None:
        """A floor above the rule's table is refused rather than charged nothing."""
        with pytest.raises(InputError, match="floor 7 has no value in hangzhou.floor_percent"):
            contribution_sheet(
                ten.assign(floor=ten["floor"] + 2), total=100, basis="floor", floor_rule="hangzhou"
            )


class TestInputs:
    """Bad parameters name the field."""

    @pytest.mark.parametrize(
        ("kwargs", "fragment"),
        [
            ({}, "give the amount"),
            ({"total": 1, "basis": "volume"}, "unknown basis 'volume'"),
            ({"total": 1, "basis": {"area": 0.6, "equal": 0.3}}, "not exactly 1"),
            ({"total": -1}, "must not be negative"),
            ({"total": 1, "basis": "fixed"}, "needs fixed="),
            ({"total": 1, "basis": "fixed", "fixed": 2}, "not the total"),
            ({"total": 1, "scenario": "x.yaml"}, "only one of"),
            ({"total": 1, "exempt_floors": [1, 2, 3, 4, 5]}, "nobody pays"),
        ],
    )
    def test_errors(self, ten: pd.DataFrame, kwargs: dict, fragment: str) -> None:
        """Each bad call raises an InputError with a clear message."""
        with pytest.raises(InputError, match=fragment.replace("(", r"\(")):
            contribution_sheet(ten, **kwargs)

    def test_missing_headcount(self, ten: pd.DataFrame) -> None:
        """Basis 'headcount' with a blank headcount names the roster row."""
        t = ten.assign(headcount=pd.array([None, *range(9)], dtype="Int64"))
        with pytest.raises(InputError, match="headcount is empty for rows 2"):
            contribution_sheet(t, total=1, basis="headcount")


class TestElevatorNet:
    """Net elevator cost from the subsidy rule tables."""

    def test_beijing_with_pipes(self) -> None:
        """Beijing: 240,000 per elevator plus pipes up to 40,000."""
        n = elevator_net(Elevator(cost=700_000, city="beijing", pipes_cost=60_000, fund_use=20_000))
        assert (n.subsidy_fen, n.pipes_subsidy_fen, n.net_fen) == (
            24_000_000,
            4_000_000,
            40_000_000,
        )
        assert n.rule is not None and n.rule.id == "beijing.elevator"

    def test_shanghai_cap(self) -> None:
        """Shanghai: 40% of cost, capped at 280,000 per elevator."""
        assert elevator_net(Elevator(cost=1_000_000, city="shanghai")).subsidy_fen == 28_000_000
        assert (
            elevator_net(Elevator(cost=1_000_000, city="shanghai", elevators=2)).subsidy_fen
            == 40_000_000
        )

    def test_subsidy_never_exceeds_cost(self) -> None:
        """A cheap elevator's subsidy stops at its cost; the net is 0."""
        assert elevator_net(Elevator(cost=100_000, city="hangzhou")).net_fen == 0

    def test_no_rule(self) -> None:
        """A city without an elevator-subsidy rule says which cities have one."""
        with pytest.raises(InputError, match="no elevator-subsidy rule"):
            elevator_net(Elevator(cost=1, city="ningbo"))

    def test_deductions_too_large(self) -> None:
        """Fund and provident fund larger than what is left are refused."""
        with pytest.raises(InputError, match="exceed"):
            elevator_net(Elevator(cost=300_000, city="beijing", provident_fund=100_000))


class TestFund:
    """Maintenance-fund columns per household."""

    def test_fund_columns_reconcile(self, ten: pd.DataFrame) -> None:
        """Fund used + cash = gross share for every household; the subsidy is half the use."""
        s = contribution_sheet(ten, total=7000, fund={"ratio": "0.7", "jurisdiction": "ningbo"})
        assert (s["fund_used_fen"] + s["cash_fen"] == s["share_fen"]).all()
        # 50 m² × 80 × 0.7 = 2,800 target; share 500 → all paid from the topped-up fund
        assert s[["topup_fen", "fund_used_fen", "cash_fen"]].iloc[0].tolist() == [
            280_000,
            50_000,
            0,
        ]
        assert s["subsidy_fen"].sum() == s["fund_used_fen"].sum() // 2

    def test_scenario_amount_and_fund(self) -> None:
        """With a scenario, the residents' self-raise (cash + fund lines) is shared, fund applied."""
        from costshare.community.scenario import Scenario

        path = ROOT / "scenarios" / "ningbo_fund_topup.yaml"
        res = Scenario.from_yaml(path).run()
        src = res.sources
        expected = int(src.loc[src["channel"].str.startswith("residents"), "amount_fen"].sum())
        r = read_roster(ROOT / "data" / "sample_roster.xlsx")
        s = contribution_sheet(r, scenario=path)
        assert s["share_fen"].sum() == expected
        assert {"topup_fen", "fund_used_fen", "subsidy_fen", "cash_fen"} <= set(s.columns)


class TestFloorScale:
    """Floor rules come from the rule tables (data), not code."""

    def test_unknown(self) -> None:
        """A jurisdiction without floor rules is named in the error."""
        with pytest.raises(InputError, match="no floor rule"):
            floor_scale("beijing")


class TestFairness:
    """The fairness summary compares bases on the same amount."""

    def test_summary(self, ten: pd.DataFrame) -> None:
        """Equal has no spread beyond a fen; floor leaves floors 1–2 at zero."""
        f = fairness_summary(ten, ["area", "floor", "equal"], total=1000).set_index("basis")
        assert f.loc["equal", "spread"] == Decimal("0.00")
        assert f.loc["floor", "zero_payers"] == 4
        assert f.loc["floor", "floor_1"] == 0
        assert f.loc["area", "max_unit"] == "1-1-501"
        assert all(f["total"] == Decimal("1000.00"))


@st.composite
def rosters(draw: st.DrawFn) -> tuple[pd.DataFrame, int]:
    n = draw(st.integers(1, 40))
    areas = draw(
        st.lists(
            st.floats(10, 300, allow_nan=False).map(lambda x: round(x, 2)), min_size=n, max_size=n
        )
    )
    floors = draw(st.lists(st.integers(1, 9), min_size=n, max_size=n))
    heads = draw(st.lists(st.integers(1, 8), min_size=n, max_size=n))
    df = pd.DataFrame(
        {
            "unit_id": [str(i) for i in range(n)],
            "floor": floors,
            "area_m2": areas,
            "headcount": pd.array(heads, dtype="Int64"),
        }
    )
    return df, draw(st.integers(0, 10**11))


class TestProperties:
    """Property tests: exact sums, exempt households pay nothing."""

    @settings(max_examples=60, deadline=None)
    @given(rosters(), st.sampled_from(["area", "floor", "headcount", "equal", "mix"]))
    def test_sum_exact_and_exempt_zero(self, data: tuple[pd.DataFrame, int], basis: str) -> None:
        """Shares add up to the total to the fen, are non-negative, and exempt pay 0."""
        df, total_fen = data
        b = {"area": 0.7, "equal": 0.3} if basis == "mix" else basis
        exempt_floors = [1, 2] if (df["floor"] > 2).any() else []
        if basis == "floor" and not (df["floor"] >= 3).any():
            return
        s = contribution_sheet(
            df, total=Decimal(total_fen) / 100, basis=b, exempt_floors=exempt_floors, explain=False
        )
        assert int(s["share_fen"].sum()) == total_fen
        assert (s["share_fen"] >= 0).all()
        assert (s.loc[s["exempt"], "share_fen"] == 0).all()
        assert (s.loc[np.isin(s["floor"], exempt_floors), "share_fen"] == 0).all()
