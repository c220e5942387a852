"""Operation after renovation: break-even fee, public income, fund projection, scenarios, CLI."""

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare import kinds, ppp, rules
from costshare.cli import app
from costshare.errors import InputError
from costshare.money import to_fen
from costshare.operation import (
    OperationScenario,
    SpaceLine,
    breakeven_fee,
    fund_projection,
    ppp_revenues,
    public_income_vote,
    run_scenario,
    split_public_income,
)
from costshare.operation.engine import breakeven_fee_fen, line_amounts
from costshare.operation.space import space_values
from costshare.ppp.model import PPPProject

ROOT = Path(__file__).resolve().parent.parent
OPS = ROOT / "scenarios" / "operation"
NATIONAL = rules.load("national", on="2024-01-01")


class TestBreakevenFee:
    def test_exact_case(self):
        """(1,200,000 − 240,000) ÷ (100,000 m² × 12 × 0.8) = 1.00 yuan exactly."""
        assert breakeven_fee("1200000", 100_000, "0.8", other_revenue="240000") == Decimal("1.00")

    def test_rounds_up_to_the_fen(self):
        """(1,000,000 − 100,000) ÷ (30,000 × 12 × 0.9) = 2.7777… → 2.78, never 2.77."""
        assert breakeven_fee(1_000_000, 30_000, 0.9, subsidy=100_000) == Decimal("2.78")

    def test_covered_costs_need_no_fee(self):
        """When other revenue and subsidy cover the costs the fee is 0.00."""
        assert breakeven_fee(100, 50, 1, other_revenue=80, subsidy=30) == Decimal("0.00")

    def test_bad_collection_rate(self):
        """A collection rate of 0 is refused, naming the field."""
        with pytest.raises(InputError, match="collection_rate"):
            breakeven_fee(100, 50, 0)

    @settings(max_examples=200, deadline=None)
    @given(
        net=st.integers(1, 10**11),
        area=st.integers(1, 10**7).map(lambda x: Decimal(x) / 100),
        rate=st.integers(1, 100).map(lambda x: Decimal(x) / 100),
    )
    def test_fee_covers_the_gap_and_one_fen_less_does_not(self, net, area, rate):
        """Revenue at the fee covers the gap; a fee one fen lower falls short."""
        fee = int(breakeven_fee_fen([net], [area], [rate])[0])
        yearly = Fraction(area) * 12 * Fraction(rate)
        assert fee * yearly >= net
        assert (fee - 1) * yearly < net


class TestPublicIncomeSplit:
    def test_largest_remainder(self):
        """100,001 fen at 0.5/0.3/0.2: quotas 50,000.5 / 30,000.3 / 20,000.2 → the fen to the fund."""
        shares = [[Fraction(1, 2), Fraction(3, 10), Fraction(1, 5)]]
        assert split_public_income([100_001], shares).tolist() == [[50_001, 30_000, 20_000]]

    def test_tie_goes_to_the_lower_index(self):
        """1 fen at 0.4/0.4/0.2: equal remainders, the fund (first) gets it."""
        shares = [[Fraction(2, 5), Fraction(2, 5), Fraction(1, 5)]]
        assert split_public_income([1], shares).tolist() == [[1, 0, 0]]

    def test_vote_flag_and_tally(self):
        """Common income is flagged for Art. 278 (3/4 + 3/4); a 3-of-4 vote passes, 2-of-4 fails."""
        result = run_scenario(OperationScenario.from_yaml(OPS / "changping_closed_estate.yaml"))
        assert result.vote["needed"] and result.vote["approve_area"] == "3/4"
        units = pd.DataFrame({"unit_id": list("abcd"), "area": [80, 80, 80, 80]})
        yes3 = {"a": "yes", "b": "yes", "c": "yes", "d": "no"}
        assert public_income_vote(units, yes3, NATIONAL).passed
        yes2 = {"a": "yes", "b": "yes", "c": "no", "d": "no"}
        assert not public_income_vote(units, yes2, NATIONAL).passed


class TestFundProjection:
    def test_ten_years_two_major_repairs(self):
        """Hand-computed: 100,000 yuan at 2%, 10,000 a year in, repairs 120,000 (yr 4) and 60,000 (yr 8).

        interest = half_up(opening × 2%): yr 4: 136,724.80 × 0.02 = 2,734.496 → 2,734.50;
        closing 4 = 136,724.80 + 2,734.50 + 10,000 − 120,000 = 29,459.30 < 30% × 100,000.
        """
        p = fund_projection(
            "100000", years=10, rate="0.02", contributions=10_000,
            repairs={4: 120_000, 8: 60_000}, trigger="0.3",
        )  # fmt: skip
        closing = [
            "112000.00", "124240.00", "136724.80", "29459.30", "40048.49",
            "50849.46", "61866.45", "13103.78", "23365.86", "33833.18",
        ]  # fmt: skip
        interest = [
            "2000.00", "2240.00", "2484.80", "2734.50", "589.19",
            "800.97", "1016.99", "1237.33", "262.08", "467.32",
        ]  # fmt: skip
        assert p.table["closing_fen"].tolist() == [to_fen(x) for x in closing]
        assert p.table["interest_fen"].tolist() == [to_fen(x) for x in interest]
        assert p.first_below_trigger == 4
        assert p.topup_needed == Decimal("70540.70")  # back to the 100,000 first deposit

    def test_trigger_from_the_rules(self):
        """trigger=None takes 165号 Art. 17's 30% from the rule set."""
        p = fund_projection(1000, years=1, rate=0, repairs={1: 701}, rules=NATIONAL)
        assert p.trigger == Fraction(3, 10) and p.first_below_trigger == 1
        q = fund_projection(1000, years=1, rate=0, repairs={1: 700}, rules=NATIONAL)
        assert q.first_below_trigger is None  # exactly 30% is not below

    def test_ningbo_target(self):
        """With Ningbo's rules and areas, a top-up restores 60% of 80 yuan/m² (4,800 and 2,400 yuan)."""
        nb = rules.load("ningbo", on="2024-06-30")
        p = fund_projection([3000, 1000], years=2, rate=0, repairs={2: 3300}, rules=nb,
                            area=[100.0, 50.0])  # fmt: skip
        assert p.target_fen.tolist() == [480_000, 240_000]
        assert p.repairs_fen[:, 1].tolist() == [220_000, 110_000]  # 3,300 by area 2:1
        # closing 800 < 30% × 3,000 and −100 < 30% × 1,000: both below in year 2
        assert p.first_below_by_account.tolist() == [2, 2]
        assert p.topup_fen.tolist() == [400_000, 250_000]  # 4,800 − 800; 2,400 + 100

    def test_needs_a_trigger(self):
        """Without trigger or rules the projection says what to give."""
        with pytest.raises(InputError, match="trigger"):
            fund_projection(1000, years=3, rate=0.01)

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"years": 0}, "years"),
            ({"years": 3, "repairs": {4: 10}}, "repairs"),
            ({"years": 3, "contributions": [1, 2]}, "contributions"),
        ],
    )
    def test_bad_input_names_the_field(self, kwargs, field):
        """Bad years, repair years or per-year lengths are InputErrors naming the field."""
        with pytest.raises(InputError, match=field):
            fund_projection(1000, rate=0.01, trigger=0.3, **kwargs)

    @settings(max_examples=100, deadline=None)
    @given(
        opening=st.integers(0, 10**9),
        years=st.integers(1, 30),
        rate=st.sampled_from(["0", "0.015", "0.0275", "0.035"]),
        flows=st.lists(st.integers(0, 10**8), min_size=30, max_size=30),
        repairs=st.dictionaries(st.integers(1, 30), st.integers(0, 10**9), max_size=4),
    )
    def test_closing_reconciles_with_flows(self, opening, years, rate, flows, repairs):
        """closing_t = opening_t + flows_t; opening_{t+1} = closing_t; the end is the sum of all flows."""
        reps = {y: Decimal(v) / 100 for y, v in repairs.items() if y <= years}
        cont = [Decimal(v) / 100 for v in flows[:years]]
        p = fund_projection(Decimal(opening) / 100, years=years, rate=rate,
                            contributions=cont, public_income=7, repairs=reps, trigger="0.3")  # fmt: skip
        t = p.table
        flows_t = t.interest_fen + t.contributions_fen + t.public_income_fen - t.repairs_fen
        assert (t.closing_fen == t.opening_fen + flows_t).all()
        assert (t.opening_fen.iloc[1:].to_numpy() == t.closing_fen.iloc[:-1].to_numpy()).all()
        assert t.closing_fen.iloc[-1] == opening + int(flows_t.sum())

    @settings(max_examples=60, deadline=None)
    @given(
        area=st.lists(st.integers(3000, 20000), min_size=1, max_size=40),
        opening=st.integers(0, 10**8),
        contrib=st.integers(0, 10**7),
        repair=st.integers(0, 10**8),
    )
    def test_household_accounts_add_up(self, area, opening, contrib, repair):
        """Per-household flows add up to the community's amounts exactly, and the table to the accounts."""
        a = np.asarray(area) / 100
        p = fund_projection(Decimal(opening) / 100, years=6, rate="0.015", area=a,
                            contributions=Decimal(contrib) / 100, public_income="12.34",
                            repairs={3: Decimal(repair) / 100}, trigger="0.3")  # fmt: skip
        assert p.accounts == len(area)
        assert int(p.opening_fen[:, 0].sum()) == opening
        assert (p.contributions_fen.sum(axis=0) == contrib).all()
        assert (p.public_income_fen.sum(axis=0) == 1234).all()
        assert int(p.repairs_fen[:, 2].sum()) == repair
        for col in ("interest_fen", "closing_fen"):
            assert (getattr(p, col).sum(axis=0) == p.table[col].to_numpy()).all()
        rows = p.by_account()
        assert len(rows) == 6 * len(area)


class TestOperationModel:
    def _one(self, **extra):
        c = {
            "name": "甲", "households": 12, "area_m2": 1000, "fee": 1, "collection_rate": 0.9,
            "revenues": [{"name": "车位", "kind": "parking", "quantity": 10, "price": 100,
                          "common": True}],
            "costs": [{"name": "人员", "kind": "staff", "annual": 20000}],
            "subsidy": [3000], "public_income": {"fund": 0.5, "operator": 0.5},
        } | extra  # fmt: skip
        s = OperationScenario(name="t", rules_date="2024-01-01", years=2, communities=[c])
        return run_scenario(s)

    def test_hand_computed_year(self):
        """Fee 1000 × 1 × 12 × 0.9 = 10,800; parking 12,000 half to the operator; cost 20,000 + 10%.

        Year 1: surplus = 10,800 + 6,000 + 3,000 − 22,000 = −2,200; break-even
        (22,000 − 6,000 − 3,000) ÷ 10,800 = 1.2037… → 1.21; year 2: 16,000 ÷ 10,800 → 1.49.
        """
        r = self._one()
        y = r.yearly
        assert y["fee_revenue_fen"].tolist() == [1_080_000, 1_080_000]
        assert y["to_fund_fen"].tolist() == [600_000, 600_000]
        assert y["cost_fen"].tolist() == [2_200_000, 2_200_000]
        assert y["surplus_fen"].tolist() == [-220_000, -520_000]
        assert y["breakeven_fee_fen"].tolist() == [121, 149]
        s = r.summary.iloc[0]
        assert s["breakeven_fee"] == "1.21" and s["breakeven_fee_without_subsidy"] == "1.49"
        assert s["first_year_unsubsidised_breakeven"] is None

    def test_ningbo_community_fund_target(self):
        """Under Ningbo's rules a community fund's top-up restores 60% × 80 yuan/m² × its area."""
        fund = {"opening": 100_000, "repairs": [{"item": "屋面", "cost": 90_000, "first_year": 1}]}
        c = {"name": "甬", "households": 10, "area_m2": 1000, "fee": 1, "collection_rate": 1,
             "fund": fund}  # fmt: skip
        s = OperationScenario(name="n", jurisdiction="ningbo", rules_date="2024-06-30", years=1,
                              communities=[c])  # fmt: skip
        f = run_scenario(s).funds["甬"]
        assert f.first_below_trigger == 1  # 10,000 < 30% × 100,000
        assert f.target_fen.tolist() == [4_800_000]  # 1,000 m² × 80 × 0.6
        assert f.topup_needed == Decimal("38000.00")

    def test_trusteeship_has_no_management_fee(self):
        """A street/community trusteeship adds no management fee; year 2 then breaks even at 1.30."""
        r = self._one(mode="trusteeship")
        assert r.yearly["management_fee_fen"].tolist() == [0, 0]
        assert r.yearly["breakeven_fee_fen"].tolist()[1] == 130  # 14,000 ÷ 10,800 → 1.2963 → 1.30

    def test_growth_compounds_on_the_fen(self):
        """10,000 fen growing 10% a year: 10,000, 11,000, 12,100, 13,310."""
        assert line_amounts([10_000], 4, growth=[Fraction(1, 10)]).tolist() == [
            [10_000, 11_000, 12_100, 13_310]
        ]

    def test_space_lines(self):
        """Donated 120 m² at 3,000 = 360,000 yuan in kind; 120 m² rented in at 15 a month costs 21,600 a year."""
        given = SpaceLine(name="活动室", kind="donated_room", area_m2=120, unit_value=3000,
                          valuation="assumed")  # fmt: skip
        rented = SpaceLine(
            name="回租", kind="leased_room", area_m2=120, rent=15, valuation="assumed"
        )
        assert space_values(given) == (36_000_000, 0)
        assert space_values(rented) == (0, -2_160_000)

    def test_many_communities_at_once(self):
        """400 communities run in one call; each equals its own single run."""
        base = OperationScenario.from_yaml(OPS / "yancheng_leased_rooms.yaml")
        many = [c.model_copy(update={"name": f"{c.name}{i}"}) for i in range(200)
                for c in base.communities]  # fmt: skip
        big = run_scenario(base.model_copy(update={"communities": many}))
        one = run_scenario(base)
        assert len(big.summary) == 400
        got = big.yearly[big.yearly["community"] == many[1].name]["surplus_fen"].tolist()
        assert got == one.community(base.communities[1].name)["surplus_fen"].tolist()


class TestScenariosAndKinds:
    @pytest.mark.parametrize("name", ["changping_closed_estate.yaml", "yancheng_leased_rooms.yaml"])
    def test_bundled_scenarios_run(self, name):
        """Each bundled operation scenario is of kind operation, runs and lists assumptions."""
        checked = kinds.check_file(OPS / name)
        assert checked.kind == "operation"
        assert f"operation/{name}" in kinds.bundled("operation")
        r = run_scenario(checked.obj)
        src = r.sources()
        assert (src["kind"] == "assumption").sum() >= 5 and (src["kind"] == "seed").any()
        assert "fund.topup_trigger" in set(src["item"])

    def test_changping_breaks_even_after_the_subsidy(self):
        """The Changping-like estate breaks even unsubsidised from year 4; its fund dips in year 8."""
        s = run_scenario(OperationScenario.from_yaml(OPS / "changping_closed_estate.yaml")).summary
        assert s["first_year_unsubsidised_breakeven"].iloc[0] == 4
        assert s["fund_first_below_trigger"].iloc[0] == 8

    def test_bad_file_names_file_and_field(self, tmp_path):
        """A zero collection rate or an unknown line kind is refused naming the file."""
        text = (OPS / "changping_closed_estate.yaml").read_text(encoding="utf-8")
        bad = tmp_path / "bad.yaml"
        bad.write_text(text.replace("collection_rate: 0.9", "collection_rate: 0"), "utf-8")
        with pytest.raises(InputError, match="bad.yaml.*collection_rate"):
            OperationScenario.from_yaml(bad)
        bad.write_text(text.replace("kind: advertising", "kind: lottery"), "utf-8")
        with pytest.raises(InputError, match="kind must be one of"):
            kinds.check_file(bad)

    def test_zaozhuang_tax_relief_is_rule_data(self):
        """Zaozhuang's depreciation relief is a rule with the seed passage and confidence S."""
        p = rules.load("zaozhuang", on="2024-01-01").param("tax.utility_renovation_depreciation")
        assert p.confidence == "S" and p.source.seed == "002_8a0447c565a51b86.txt"
        assert "计提折旧" in (p.source.passage or "")


class TestPPPLink:
    def test_ppp_project_runs_on_operation_revenues(self):
        """A PPP project whose revenues come from the operation model validates and is assessed."""
        r = run_scenario(OperationScenario.from_yaml(OPS / "yancheng_leased_rooms.yaml"))
        streams = ppp_revenues(r)
        assert {s["name"] for s in streams} >= {"充电桩", "停车位"}
        base = PPPProject.from_yaml(ROOT / "scenarios" / "ppp" / "ppp_example.yaml")
        data = base.model_dump(mode="json") | {"revenues": streams, "sensitivity": {}}
        project = PPPProject.from_dict(data, "linked")
        a = ppp.assess(project, NATIONAL)
        assert len(a.table) == project.cooperation_years

    def test_common_income_counts_with_the_operator_share(self):
        """Parking on common parts enters the PPP with the operator's share only."""
        r = TestOperationModel()._one()
        (parking,) = ppp_revenues(r)
        assert parking["annual_amount"] == "6000.00"  # 12,000 × 0.5


class TestCli:
    def test_operate_table(self):
        """`costshare operate` prints the break-even fee, the yearly table and the fund."""
        out = CliRunner().invoke(app, ["operate", str(OPS / "changping_closed_estate.yaml")])
        assert out.exit_code == 0, out.output
        assert "break-even" in out.output and "maintenance fund" in out.output

    def test_operate_tallies_the_vote(self, tmp_path):
        """--units and --ballots tally the Art. 278 vote: 3 of 4 equal units agreeing pass."""
        (tmp_path / "u.csv").write_text("unit_id,area\n1,80\n2,80\n3,80\n4,80\n", "utf-8")
        (tmp_path / "b.csv").write_text("unit_id,vote\n1,yes\n2,yes\n3,yes\n4,no\n", "utf-8")
        args = ["operate", str(OPS / "changping_closed_estate.yaml"),
                "--units", str(tmp_path / "u.csv"), "--ballots", str(tmp_path / "b.csv")]  # fmt: skip
        out = CliRunner().invoke(app, args)
        assert out.exit_code == 0, out.output
        assert "change_use: PASSED" in out.output

    def test_operate_xlsx_needs_a_file(self, tmp_path):
        """--format xlsx writes a workbook with -o and is refused without it."""
        path = str(OPS / "yancheng_leased_rooms.yaml")
        out = CliRunner().invoke(app, ["operate", path, "--format", "xlsx"])
        assert out.exit_code == 1 and "-o" in out.output
        target = tmp_path / "op.xlsx"
        ok = CliRunner().invoke(app, ["operate", path, "--format", "xlsx", "-o", str(target)])
        assert ok.exit_code == 0 and target.stat().st_size > 0
        assert set(pd.read_excel(target, sheet_name=None)) >= {"summary", "yearly", "fund"}


class TestOperationPage:
    def _page(self):
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        at.switch_page("app_pages/operation.py").run()
        return at

    def test_shows_the_library_figures(self):
        """The page shows the library's fee, break-even fees and first unsubsidised year."""
        at = self._page()
        assert not at.exception and not at.error
        row = run_scenario(OperationScenario.from_yaml(OPS / "changping_closed_estate.yaml"))
        s = row.summary.iloc[0]
        metrics = {m.label: m.value for m in at.metric}
        # the headline fee breaks even over the whole period, not year 1 alone
        assert metrics["期内保本物业费"] == row.period().iloc[0]["breakeven_fee_period"]
        assert any(c.value.startswith("整个测算期（10 年）") for c in at.caption)
        assert metrics["无补贴盈亏平衡物业费"] == s["breakeven_fee_without_subsidy"]
        assert metrics["无补贴首个平衡年"] == f"第{s['first_year_unsubsidised_breakeven']}年"
        assert any("第8年" in w.value for w in at.warning)  # the fund needs topping up
        assert len(at.get("plotly_chart")) == 3
        assert "op_xlsx" in {d.key for d in at.get("download_button")}

    def test_pick_scenario_and_community(self):
        """Choosing the Yancheng-like scenario's second community shows its own break-even fee."""
        at = self._page()
        at.selectbox(key="op_bundled").set_value("operation/yancheng_leased_rooms.yaml").run()
        at.selectbox(key="op_community").set_value("示意小区B（街道社区托底）").run()
        assert not at.exception
        r = run_scenario(OperationScenario.from_yaml(OPS / "yancheng_leased_rooms.yaml"))
        want = r.period().set_index("community").loc["示意小区B（街道社区托底）"]
        assert {m.label: m.value for m in at.metric}["期内保本物业费"] == want[
            "breakeven_fee_period"
        ]
        assert want["deficit_years"]  # year 1 breaks even, later years do not
        at.radio(key="lang").set_value("English").run()
        assert not at.exception and "Break-even fee over the period" in {m.label for m in at.metric}


def test_headline_covers_the_whole_period():
    """Year 1's break-even hides later deficits: the headline gives the whole period."""
    from costshare import rules as _rules
    from costshare.operation import OperationScenario, operate

    s = OperationScenario(
        name="x",
        years=3,
        communities=[
            {
                "name": "a",
                "households": 10,
                "area_m2": 1000,
                "fee": 1,
                "collection_rate": 1,
                "mode": "trusteeship",
                "costs": [
                    {"name": "保洁", "kind": "cleaning_greening", "annual": 12000, "growth": 0.5}
                ],
            }
        ],
    )
    r = operate(s, _rules.load("national", on="2024-01-01"))
    # fees 12,000 a year; costs 12,000, 18,000, 27,000: deficits in years 2 and 3
    p = r.period().iloc[0]
    assert p["deficit_years"] == [2, 3] and p["worst_year"] == 3
    assert p["worst_surplus_fen"] == -1_500_000
    # 57,000 over 3 × 12 × 1,000 m² = 1.5833… → 1.59; year 1 alone needs 1.00
    assert p["breakeven_fee_period"] == "1.59" and r.summary["breakeven_fee"][0] == "1.00"
    line = r.headline()[0]
    assert "break-even over 3 years 1.59" in line and "2 of 3 years in deficit" in line
    assert "from never" not in line
    assert "breaks even without subsidy in 1 of 3 years (years 1)" in line
