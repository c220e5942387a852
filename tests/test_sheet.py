"""Contribution sheets: hand-computed examples for each basis, elevator, scope, fund, properties."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare import rules
from costshare.errors import InputError
from costshare.households.basis import custom_floor_scale, floor_scale
from costshare.households.elevator import Elevator, elevator_net
from costshare.households.explain import explain_sheet, reason_text, sheet_parameters
from costshare.households.fairness import compare_bases, fairness_summary
from costshare.households.roster import read_roster
from costshare.households.sheet import (
    ContributionSheet,
    SheetMeta,
    SheetSpec,
    contribution_sheet,
    from_scenario,
)
from costshare.money import to_fen

ROOT = Path(__file__).parent.parent
DAY = "2024-06-01"
NATIONAL = rules.load("national", on=DAY)
GUANGZHOU = floor_scale(rules.load("guangzhou", on=DAY))
HANGZHOU = floor_scale(rules.load("hangzhou", on=DAY))


def share(
    roster: pd.DataFrame, total: Any = None, rs: rules.RuleSet = NATIONAL, **spec: Any
) -> ContributionSheet:
    """The sheet for `total` yuan (None: from the elevator or fixed) under `spec`."""
    return contribution_sheet(
        roster, None if total is None else to_fen(total), SheetSpec(**spec), rs
    )


def area_note(rs: rules.RuleSet = NATIONAL) -> str:
    """The "(依据 …)" note of the area basis when the rule set has one (Civil Code Art. 283)."""
    rule = next((r for r in getattr(rs, "sharing_bases", ()) if r.basis == "area"), None)
    return "" if rule is None else f"（依据 {rule.source.document} {rule.source.article}）"


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
        s = share(ten, "1000.00")
        assert s.table["share_fen"].tolist() == [
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
        assert s.table["share_fen"].sum() == 100_000
        # 1.4286 would print "60.00 × 1.4286 = 85.71" (85.716 → 85.72): five decimals
        # make every "=" line recompute (60 × 1.42857 = 85.7142 → 85.71)
        assert explain_sheet(s)[0] == "面积 50.00 m² × 每平方米 1.42857 元 = 71.43 元" + area_note()

    def test_elevator_guangzhou(self, ten: pd.DataFrame) -> None:
        """Cost 400,000 − Beijing subsidy 240,000 − provident fund 10,000 = 150,000 net.

        Floors 1–2 exempt; weights coefficient × area: 301 0.7×60 = 42, 302 0.7×80 = 56,
        401 0.8×60 = 48, 402 0.8×80 = 64, 501/502 0.9×90 = 81; Σ = 372.
        15,000,000 fen / 372 = 40,322.58 fen per unit: quotas 1,693,548.39; 2,258,064.52;
        1,935,483.87; 2,580,645.16; 3,266,129.03 ×2. Floors add to 14,999,998; the 2 fen
        go to 401 (.871) and 302 (.516).
        """
        e = Elevator(cost=400_000, city="beijing", provident_fund=10_000)
        s = share(ten, rs=rules.load("beijing", on=DAY), elevator=e, floor_rule=GUANGZHOU)
        assert s.table["share_fen"].tolist() == [
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
        assert s.table["exempt"].tolist() == [True] * 4 + [False] * 6
        assert reason_text(s)[0] == "1–2层不出资（加装电梯惯例）"
        assert explain_sheet(s)[0] == "免缴：1–2层不出资（加装电梯惯例）"
        assert explain_sheet(s)[6].startswith(
            "楼层系数 0.8 × 面积 60.00 m² × 每单位（系数×面积）403.22581 元 = 19,354.84 元"
        )
        assert s.meta.total_fen == 15_000_000
        assert [r.rule for r in s.sources] == ["guangzhou.floor_coefficient", "beijing.elevator"]

    def test_elevator_hangzhou_percent(self, ten: pd.DataFrame) -> None:
        """Hangzhou 10/20/30/40 % by floor; no 6th floor here, so 3–5 get 1/6, 1/3, 1/2 of 150,000.

        Floor 3: 25,000 split 60:80 → 10,714.29 / 14,285.71; floor 4: 50,000 → 21,428.57 /
        28,571.43; floor 5: 75,000 → 37,500 each.
        """
        e = Elevator(cost=400_000, city="beijing", provident_fund=10_000)
        s = share(ten, rs=rules.load("beijing", on=DAY), elevator=e, floor_rule=HANGZHOU)
        assert s.table["share_fen"].tolist()[4:] == [
            1_071_429,
            1_428_571,
            2_142_857,
            2_857_143,
            3_750_000,
            3_750_000,
        ]
        assert explain_sheet(s)[4].startswith(
            "3层分担比例 10%（出资楼层合计 60%，按比例折算），本层合计（25,000.00 元），"
            "按本层面积分摊：25,000.00 元 × 60.00 m² ÷ 本层 140.00 m²"
        )

    def test_elevator_default_floor_rule(self, ten: pd.DataFrame) -> None:
        """Without a floor rule the elevator city's own rule applies (Hangzhou's percent)."""
        e = Elevator(cost=400_000, city="hangzhou")
        s = share(ten, rs=rules.load("hangzhou", on=DAY), elevator=e)
        assert s.meta.floor_rule is not None and s.meta.floor_rule.id == "hangzhou.floor_percent"

    def test_headcount(self, ten: pd.DataFrame) -> None:
        """250 yuan by headcount (Σ 25 people): 10 yuan per person."""
        s = share(ten, 250, basis="headcount")
        assert s.table["share_fen"].tolist() == [
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
        s = share(ten, "100.05", basis="equal")
        assert s.table["share_fen"].tolist() == [1001] * 5 + [1000] * 5
        # 10.005 rounds half-up to 10.01; the rows that got 10.00 say "≈", not "="
        assert " = 10.01 元" in explain_sheet(s)[0]
        assert " ≈ 10.00 元" in explain_sheet(s)[9]

    def test_fixed(self, ten: pd.DataFrame) -> None:
        """200 yuan per household, 101 exempt: 9 × 200 = 1,800 yuan."""
        s = share(ten, basis="fixed", fixed_yuan=200, exempt=("101",))
        assert s.table["share_fen"].tolist() == [0] + [20000] * 9
        assert s.meta.total_fen == 180_000
        assert reason_text(s)[0] == "名单豁免"

    def test_mix(self, ten: pd.DataFrame) -> None:
        """1,400 yuan 50% by area (700 → 1 yuan/m²) and 50% equal (70 each)."""
        s = share(ten, 1400, basis={"area": "0.5", "equal": "0.5"})
        t = s.table
        assert t["share_area_fen"].tolist() == [
            a * 100 for a in (50, 70, 50, 70, 60, 80, 60, 80, 90, 90)
        ]
        assert (t["share_equal_fen"] == 7000).all()
        assert t["share_fen"].sum() == 140_000
        assert "合计 120.00 元" in explain_sheet(s)[0]

    def test_floor_basis_without_elevator(self, ten: pd.DataFrame) -> None:
        """Basis 'floor' alone follows the rule: floors 1–2 have no Guangzhou coefficient and pay 0."""
        s = share(ten, 372, basis="floor", floor_rule=GUANGZHOU)
        assert s.table["share_fen"].tolist()[4:] == [4200, 5600, 4800, 6400, 8100, 8100]
        assert reason_text(s)[0].startswith("楼层规则不出资（广州式")

    def test_custom_floor_scale(self, ten: pd.DataFrame) -> None:
        """User coefficients {1: 0, …, 5: 2}: floor 5 (2 × 90 m² each) pays 2/3 of 540 yuan."""
        scale = custom_floor_scale({1: 0, 2: 0, 3: 0, 4: 1, 5: 2})
        s = share(ten, 500, basis="floor", floor_rule=scale)
        # weights: 401 60, 402 80, 501 180, 502 180 → Σ 500, 1 yuan per unit
        assert s.table["share_fen"].tolist()[6:] == [6000, 8000, 18000, 18000]


class TestTyped:
    """The result is typed: table, metadata model and sources, nothing in DataFrame.attrs."""

    def test_no_attrs(self, ten: pd.DataFrame) -> None:
        """The table carries no metadata; meta and sources are typed objects."""
        s = share(ten, 1000, rs=rules.load("ningbo", on=DAY), fund={"ratio": "0.7"})
        assert s.table.attrs == {}
        assert isinstance(s.meta, SheetMeta)
        assert s.meta.total_fen == 100_000 and s.meta.payers == 10
        assert s.meta.basis == {"area": Decimal(1)}
        assert s.meta.fund is not None and s.meta.fund.subsidy_ratio == Decimal("0.5")
        fund_rules = {r.rule for r in s.sources if r.rule.startswith("fund.")}
        assert {"fund.subsidy_ratio", "fund.topup_ratio_min", "fund.topup_ratio_max"} <= fund_rules
        with pytest.raises(dataclasses.FrozenInstanceError):
            s.meta = s.meta  # type: ignore[misc]

    def test_no_text_in_engine(self, ten: pd.DataFrame) -> None:
        """Exemption reasons in the table are codes; the words come from explain."""
        s = share(ten, 100, basis="equal", exempt=("101",), exempt_floors=(5,))
        assert set(s.table["exempt_reason"]) == {"", "listed", "floors"}
        assert "explanation" not in s.table
        assert ("出资户数", "7") in sheet_parameters(s)


class TestDatedRules:
    """The rule set the caller resolves for the project's date decides the outcome."""

    def test_elevator_subsidy_before_rule(self, ten: pd.DataFrame) -> None:
        """Beijing's subsidy is undated (an assumption, no document gives a start): it applies
        on 2019-06-30 too; rules without a subsidy (national) name the day."""
        e = Elevator(cost=400_000, city="beijing")
        early = elevator_net(e, rules.load("beijing", on="2019-06-30"))
        assert early.subsidy_fen == 24_000_000
        with pytest.raises(InputError, match="no elevator-subsidy rule in force"):
            elevator_net(e, rules.load("national", on="2019-06-30"))
        with pytest.raises(InputError, match="2019-06-30"):
            share(ten, rs=rules.load("national", on="2019-06-30"), elevator=e, floor_rule=GUANGZHOU)

    def test_rules_date_in_meta(self, ten: pd.DataFrame) -> None:
        """The sheet records which jurisdiction and day its rules are of."""
        s = share(ten, 1, rs=rules.load("beijing", on="2020-06-30"))
        assert (s.meta.jurisdiction, s.meta.rules_on.isoformat()) == ("beijing", "2020-06-30")

    def test_fund_rules_dated(self, ten: pd.DataFrame) -> None:
        """Ningbo's fund rules are undated (the list does not say when they began): a 0.5
        ratio is refused on 2020-06-30 as on any day; national rules have no range."""
        spec = {"fund": {"ratio": "0.5", "standard": 80, "subsidy_ratio": "0.5"}}
        plain = share(ten, 7000, rs=rules.load("national", on="2020-06-30"), **spec)
        assert not {r.rule for r in plain.sources} & {"fund.subsidy_ratio"}
        for day in ("2020-06-30", DAY):
            with pytest.raises(InputError, match="allowed"):
                share(ten, 7000, rs=rules.load("ningbo", on=day), **spec)

    def test_area_basis_rule_dated(self, ten: pd.DataFrame) -> None:
        """The area basis cites its rule only on days the rule is in force."""
        early_rs = rules.load("national", on="2020-06-30")
        before, after = share(ten, 1, rs=early_rs), share(ten, 1)
        assert explain_sheet(after)[0].endswith("元" + area_note(NATIONAL))
        assert explain_sheet(before)[0].endswith("元" + area_note(early_rs))
        assert ("area" in after.meta.basis_rules) == bool(area_note(NATIONAL))
        assert ("area" in before.meta.basis_rules) == bool(area_note(early_rs))


class TestScopeAndExemptions:
    """Scoped sharing and exemptions."""

    def test_stairwell_scope(self) -> None:
        """An elevator for building 3 stairwell 2 is shared only by its 12 households."""
        r = read_roster(ROOT / "data" / "sample_roster.xlsx")
        e = Elevator(cost=500_000, city="shanghai")
        s = share(
            r,
            rs=rules.load("shanghai", on=DAY),
            elevator=e,
            building="3",
            stairwell="2",
            floor_rule=GUANGZHOU,
        )
        t = s.table
        assert len(t) == 12
        assert set(t["building"]) == {"3"} and set(t["stairwell"]) == {"2"}
        assert t["share_fen"].sum() == 30_000_000  # 500,000 − 40% (200,000)
        assert (t.loc[t["floor"] <= 2, "share_fen"] == 0).all()

    def test_unknown_scope(self, ten: pd.DataFrame) -> None:
        """A building that is not in the roster is an InputError listing what there is."""
        with pytest.raises(InputError, match="no household in building '9'"):
            share(ten, 1, building="9")

    def test_exempt_unknown_household(self, ten: pd.DataFrame) -> None:
        """Exempting a unit that does not exist is an error, not silently ignored."""
        with pytest.raises(InputError, match="no household '909'"):
            share(ten, 1, exempt=("909",))

    def test_exempt_full_label(self, ten: pd.DataFrame) -> None:
        """Households can be named building-stairwell-unit."""
        s = share(ten, 90, basis="equal", exempt=("1-1-502",))
        assert s.table["share_fen"].tolist()[-1] == 0 and s.table["share_fen"].sum() == 9000

    def test_floor_above_rule(self, ten: pd.DataFrame) -> None:
        """A floor above the rule's table is refused rather than charged nothing."""
        with pytest.raises(InputError, match="floor 7 has no value in hangzhou.floor_percent"):
            share(ten.assign(floor=ten["floor"] + 2), 100, basis="floor", floor_rule=HANGZHOU)


class TestInputs:
    """Bad parameters name the field."""

    @pytest.mark.parametrize(
        ("total", "spec", "fragment"),
        [
            (None, {}, "give the amount"),
            (1, {"basis": "volume"}, "unknown basis 'volume'"),
            (1, {"basis": {"area": "0.6", "equal": "0.3"}}, "not exactly 1"),
            (-1, {}, "must not be negative"),
            (1, {"basis": "fixed"}, "needs fixed_yuan"),
            (1, {"basis": "fixed", "fixed_yuan": 2}, "not the total"),
            (1, {"elevator": Elevator(cost=1)}, "not both"),
            (1, {"exempt_floors": (1, 2, 3, 4, 5)}, "nobody pays"),
            (1, {"basis": "floor"}, "no floor rule"),
        ],
    )
    def test_errors(self, ten: pd.DataFrame, total: Any, spec: dict, fragment: str) -> None:
        """Each bad call raises an InputError with a clear message."""
        with pytest.raises(InputError, match=fragment.replace("(", r"\(")):
            share(ten, total, **spec)

    def test_missing_headcount(self, ten: pd.DataFrame) -> None:
        """Basis 'headcount' with a blank headcount names the roster row."""
        t = ten.assign(headcount=pd.array([None, *range(9)], dtype="Int64"))
        with pytest.raises(InputError, match="headcount is empty for rows 2"):
            share(t, 1, basis="headcount")


class TestElevatorNet:
    """Net elevator cost from the subsidy rule tables."""

    def test_beijing_with_pipes(self) -> None:
        """Beijing: 240,000 per elevator plus pipes up to 40,000."""
        e = Elevator(cost=700_000, city="beijing", pipes_cost=60_000, fund_use=20_000)
        n = elevator_net(e, rules.load("beijing", on=DAY))
        assert (n.subsidy_fen, n.pipes_subsidy_fen, n.net_fen) == (
            24_000_000,
            4_000_000,
            40_000_000,
        )
        assert n.rule is not None and n.rule.id == "beijing.elevator"

    def test_shanghai_cap(self) -> None:
        """Shanghai: 40% of cost, capped at 280,000 per elevator."""
        sh = rules.load("shanghai", on=DAY)
        assert elevator_net(Elevator(cost=1_000_000, city="shanghai"), sh).subsidy_fen == 28_000_000
        two = Elevator(cost=1_000_000, city="shanghai", elevators=2)
        assert elevator_net(two, sh).subsidy_fen == 40_000_000

    def test_subsidy_never_exceeds_cost(self) -> None:
        """A cheap elevator's subsidy stops at its cost; the net is 0."""
        e = Elevator(cost=100_000, city="hangzhou")
        assert elevator_net(e, rules.load("hangzhou", on=DAY)).net_fen == 0

    def test_no_city_no_subsidy(self) -> None:
        """Without a city nothing is subsidised, whatever rules are given."""
        assert elevator_net(Elevator(cost=1000), None).net_fen == 100_000

    def test_no_rule(self) -> None:
        """A city without an elevator-subsidy rule names the rule set and its date."""
        with pytest.raises(InputError, match="no elevator-subsidy rule"):
            elevator_net(Elevator(cost=1, city="ningbo"), rules.load("ningbo", on=DAY))

    def test_deductions_too_large(self) -> None:
        """Fund and provident fund larger than what is left are refused."""
        e = Elevator(cost=300_000, city="beijing", provident_fund=100_000)
        with pytest.raises(InputError, match="exceed"):
            elevator_net(e, rules.load("beijing", on=DAY))


class TestFund:
    """Maintenance-fund columns per household."""

    def test_fund_columns_reconcile(self, ten: pd.DataFrame) -> None:
        """Fund used + cash = gross share for every household; the subsidy is half the use."""
        s = share(ten, 7000, rs=rules.load("ningbo", on=DAY), fund={"ratio": "0.7"})
        t = s.table
        assert (t["fund_used_fen"] + t["cash_fen"] == t["share_fen"]).all()
        # 50 m² × 80 × 0.7 = 2,800 target; share 500 → all paid from the topped-up fund
        assert t[["topup_fen", "fund_used_fen", "cash_fen"]].iloc[0].tolist() == [
            280_000,
            50_000,
            0,
        ]
        assert t["subsidy_fen"].sum() == t["fund_used_fen"].sum() // 2

    def test_scenario_amount_and_fund(self) -> None:
        """With a scenario, the residents' self-raise (cash + fund lines) is shared, fund applied."""
        from costshare.community.scenario import Scenario

        res = Scenario.from_yaml(ROOT / "scenarios" / "ningbo_fund_topup.yaml").run()
        src = res.sources
        expected = int(src.loc[src["channel"].str.startswith("residents"), "amount_fen"].sum())
        r = read_roster(ROOT / "data" / "sample_roster.xlsx")
        amount, spec = from_scenario(res, SheetSpec())
        s = contribution_sheet(r, amount, spec, res.rules)
        assert s.table["share_fen"].sum() == expected == amount
        assert {"topup_fen", "fund_used_fen", "subsidy_fen", "cash_fen"} <= set(s.table.columns)
        assert s.meta.spec.scenario is not None and s.meta.rules_on == res.rules.on


class TestFloorScale:
    """Floor rules come from the rule tables (data), not code."""

    def test_unknown(self) -> None:
        """A jurisdiction without floor rules is named in the error."""
        with pytest.raises(InputError, match="no floor rule"):
            floor_scale(rules.load("beijing", on=DAY))


class TestFairness:
    """The fairness summary compares bases on the same amount."""

    def test_summary(self, ten: pd.DataFrame) -> None:
        """Equal has no spread beyond a fen; floor leaves floors 1–2 at zero."""
        spec = SheetSpec(floor_rule=GUANGZHOU)
        f = fairness_summary(ten, 100_000, spec, NATIONAL, ["area", "floor", "equal"])
        f = f.set_index("basis")
        assert f.loc["equal", "spread"] == Decimal("0.00")
        assert f.loc["floor", "zero_payers"] == 4
        assert f.loc["floor", "floor_1"] == 0
        assert f.loc["area", "max_unit"] == "1-1-501"
        assert all(f["total"] == Decimal("1000.00"))

    def test_compare_bases(self, ten: pd.DataFrame) -> None:
        """The chosen basis comes first, then the others at the same total and exemptions."""
        s = share(ten, 1000, basis="equal", exempt=("101",), floor_rule=GUANGZHOU)
        table, notes = compare_bases(ten, s, NATIONAL)
        assert table["basis"].tolist() == ["equal", "area", "floor", "headcount"]
        assert notes == []
        assert (table["total"] == Decimal("1000.00")).all()
        assert (table["zero_payers"] >= 1).all()

    def test_compare_bases_notes(self, ten: pd.DataFrame) -> None:
        """A basis the roster cannot support is left out with the library's message."""
        s = share(ten.drop(columns="headcount"), 1000, floor_rule=GUANGZHOU)
        table, notes = compare_bases(ten.drop(columns="headcount"), s, NATIONAL)
        assert "headcount" not in table["basis"].tolist()
        assert len(notes) == 1 and notes[0].startswith("headcount:")


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
        spec = SheetSpec(basis=b, exempt_floors=tuple(exempt_floors), floor_rule=GUANGZHOU)
        s = contribution_sheet(df, total_fen, spec, NATIONAL).table
        assert int(s["share_fen"].sum()) == total_fen
        assert (s["share_fen"] >= 0).all()
        assert (s.loc[s["exempt"], "share_fen"] == 0).all()
        assert (s.loc[np.isin(s["floor"], exempt_floors), "share_fen"] == 0).all()
