"""Tests for costshare.ppp: the 21号 subsidy, the scenario model, cash flows, fiscal tests."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from costshare import finance, ppp, rules
from costshare.errors import InputError
from costshare.money import allocate, allocate_rows, to_fen
from costshare.ppp.engine import metrics_arrays, simulate

EXAMPLE = Path(__file__).resolve().parents[1] / "scenarios" / "ppp" / "ppp_example.yaml"

NATIONAL = rules.load("national", on="2025-01-01")


@pytest.fixture(scope="module")
def project() -> ppp.PPPProject:
    return ppp.PPPProject.from_yaml(EXAMPLE)


def _data() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


class TestOperatingSubsidy:
    def test_hand_computed_21(self) -> None:
        """The 21号 formula, by hand.

        C = 100,000,000; p = 6 %; i = 5 %; Y = 10; O = 2,000,000; U = 3,000,000
        n = 1: 100,000,000 x 1.06 x 1.05 / 10   = 11,130,000
               + 2,000,000 x 1.06                =  2,120,000
               - 3,000,000                       = 10,250,000.00
        n = 2: 100,000,000 x 1.06 x 1.1025 / 10 = 11,686,500
               + 2,120,000 - 3,000,000           = 10,806,500.00
        """
        args = (100_000_000, 0.06, 0.05, 10, 2_000_000, 3_000_000)
        assert ppp.operating_subsidy(*args, year=1) == Decimal("10250000.00")
        assert ppp.operating_subsidy(*args, year=2) == Decimal("10806500.00")

    def test_government_pay_rounds_half_up(self) -> None:
        """No user payments: 1,000 x 1.05 x 1.141166125 (1.045^3) / 3 = 399.4081... -> 399.41."""
        got = ppp.operating_subsidy("1000", "0.05", "0.045", 3, 0, year=3)
        assert got == Decimal("399.41")

    def test_never_negative(self) -> None:
        """User payments above the formula amount give no subsidy."""
        assert ppp.operating_subsidy(100, 0, 0, 1, 0, 1_000) == Decimal("0.00")

    @pytest.mark.parametrize("kw", [{"year": 11}, {"subsidy_years": 0}, {"om_cost": "x"}])
    def test_bad_input(self, kw: dict) -> None:
        """Out-of-range n, a zero period or a non-number are refused."""
        args = {
            "construction_cost": 1,
            "profit_rate": 0,
            "discount_rate": 0,
            "subsidy_years": 10,
            "om_cost": 0,
        } | kw
        with pytest.raises(ValueError):
            ppp.operating_subsidy(**args)


class TestModel:
    def test_example_loads(self, project: ppp.PPPProject) -> None:
        """The example scenario loads and is labelled illustrative."""
        assert "并非真实项目" in project.name and "NOT a real project" in project.name_en
        assert (project.construction_years, project.operating_years) == (2, 13)

    def test_new_mechanism_refuses_construction_subsidy(self, tmp_path: Path) -> None:
        """Under new_mechanism_2023 a 21号 construction-cost term is refused, clearly."""
        d = _data() | {"regime": "new_mechanism_2023"}
        f = tmp_path / "s.yaml"
        f.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
        with pytest.raises(InputError, match="115号") as e:
            ppp.PPPProject.from_yaml(f)
        assert "s.yaml" in str(e.value)

    def test_new_mechanism_refuses_grant(self) -> None:
        """A construction grant is refused under the new mechanism too."""
        d = _data() | {"regime": "new_mechanism_2023"}
        d["subsidy"] = {"kind": "operating_only", "construction_grant": 1000}
        with pytest.raises(InputError, match="construction_grant"):
            ppp.PPPProject.from_dict(d)

    def test_new_mechanism_operating_only_is_fine(self) -> None:
        """An O&M-only subsidy is allowed under the new mechanism."""
        d = _data() | {"regime": "new_mechanism_2023"}
        d["subsidy"] = d["subsidy"] | {"kind": "operating_only"}
        p = ppp.PPPProject.from_dict(d)
        fl = simulate(p)
        user = fl.revenue_user[0]
        expected = np.maximum(np.rint(fl.om[0] * 1.06).astype(np.int64) - user, 0)
        assert (fl.subsidy[0][fl.operating] == expected[fl.operating]).all()

    @pytest.mark.parametrize(
        ("patch", "text"),
        [
            ({"construction": {"cost": 100, "schedule": [0.5, 0.4]}}, "add up to 1"),
            ({"cooperation_years": 2}, "must exceed"),
            ({"unknown_key": 1}, "unknown_key"),
            ({"sensitivity": {"tornado": [{"driver": "weather"}]}}, "unknown driver"),
        ],
    )
    def test_errors_name_the_problem(self, patch: dict, text: str) -> None:
        """Bad scenarios give an InputError that says what is wrong."""
        with pytest.raises(InputError, match=text):
            ppp.PPPProject.from_dict(_data() | patch, "x.yaml")


class TestCashFlows:
    def test_subsidy_matches_formula(self, project: ppp.PPPProject) -> None:
        """Each year's engine subsidy equals operating_subsidy with that year's n."""
        t = ppp.cash_flow_table(project)
        for row in t[t["n"] > 0].itertuples():
            want = ppp.operating_subsidy(
                project.construction.cost,
                0.06,
                0.045,
                13,
                Decimal(int(row.om_fen)) / 100,
                Decimal(int(row.revenue_user_fen)) / 100,
                year=int(row.n),
            )
            assert Decimal(int(row.subsidy_fen)) / 100 == want

    def test_totals_exact(self, project: ppp.PPPProject) -> None:
        """Capex sums to the cost, principal to the loan, to the fen."""
        t = ppp.cash_flow_table(project)
        assert t["capex_fen"].sum() == 10_000_000_000
        assert t["principal_fen"].sum() == t["loan_draw_fen"].sum() == 7_000_000_000
        assert t["project_cf_fen"].dtype == np.int64

    def test_equity_view_identity(self, project: ppp.PPPProject) -> None:
        """Equity flow = project flow + loan - debt service + income-tax shield."""
        fl = simulate(project)
        lhs = fl.equity_cf
        rhs = (
            fl.project_cf
            + fl.loan_draw
            - fl.debt_service
            + fl.income_tax_project
            - fl.income_tax_equity
        )
        assert (lhs == rhs).all()

    def test_metrics_consistent(self, project: ppp.PPPProject) -> None:
        """Headline metrics agree with the finance functions on the table."""
        m = ppp.metrics(project)
        pcf = [0, *ppp.cash_flow_table(project)["project_cf_fen"]]
        assert m.project_irr == pytest.approx(finance.irr(pcf), abs=1e-12)
        assert m.payback_years == pytest.approx(finance.payback(pcf))
        assert m.dscr_min is not None
        assert m.dscr_min > 1

    def test_allocate_rows_equals_allocate(self) -> None:
        """The vectorized split equals money.allocate row by row (same tie rule)."""
        rng = np.random.default_rng(0)
        totals = rng.integers(0, 10**9, 50)
        w = [0.6, 0.4, 0.0, 0.25]
        got = allocate_rows(totals, w)
        for t, row in zip(totals, got, strict=True):
            assert row.tolist() == allocate(int(t), w).tolist()


class TestFiscal:
    def test_equity_and_risk(self, project: ppp.PPPProject) -> None:
        """Equity = 30,000,000 x 10 %; risk = 0.25 x 1,000,000 + 0.05 x 4,000,000."""
        assert ppp.equity_expenditure(project) == Decimal("3000000.00")
        assert ppp.risk_expenditure(project) == Decimal("450000.00")

    def test_affordability_year_by_year(self, project: ppp.PPPProject) -> None:
        """Year 1: (1,800,000 + 60,000,000) / 2,000,000,000 = 3.09 %: pass."""
        a = ppp.affordability(project, NATIONAL)
        assert a.table["share"].iloc[0] == pytest.approx(0.0309)
        assert a.passes
        assert a.warning_years == []
        assert a.table["limit_fen"].iloc[0] == 20_000_000_000  # 10 % of 2,000,000,000 yuan

    def test_affordability_fails_over_ten_percent(self) -> None:
        """Other obligations near the limit push years into warning and fail."""
        d = _data()
        d["fiscal"] = d["fiscal"] | {"other_ppp_obligations": 199_000_000}
        a = ppp.affordability(ppp.PPPProject.from_dict(d), NATIONAL)
        assert not a.passes
        assert set(a.table["status"]) <= {"warning", "fail"}

    def test_lines_come_from_the_rules(self) -> None:
        """10 % and 5 % are national.yaml's ppp.affordability_cap and ppp.warning_line."""
        lines = ppp.affordability_lines(NATIONAL)
        assert (lines.limit, lines.warning) == (Fraction(1, 10), Fraction(1, 20))
        assert lines.sources == ("ppp.affordability_cap", "ppp.warning_line")

    def test_before_2019_there_is_no_warning_line(self) -> None:
        """Dated 2018, the rule set has the 21号 ceiling but not the 10号 warning line."""
        d = _data()
        d["fiscal"] = d["fiscal"] | {"other_ppp_obligations": 150_000_000}
        p = ppp.PPPProject.from_dict(d)
        old = ppp.affordability(p, rules.load("national", on="2018-06-30"))
        assert old.lines.warning is None
        assert old.warning_years == []
        assert ppp.affordability(p, NATIONAL).warning_years != []

    def test_the_ceiling_is_compared_exactly(self) -> None:
        """Obligations of exactly 10 % of the budget pass; one fen more fails."""
        d = _data()
        p = ppp.PPPProject.from_dict(d)
        own = int(simulate(p).gov_obligations[0][0])
        budget = 2_000_000_000_00
        for extra, ok in ((0, "warning"), (1, "fail")):
            other = (budget // 10 - own + extra) / 100
            d["fiscal"] = d["fiscal"] | {"other_ppp_obligations": f"{other:.2f}"}
            a = ppp.affordability(ppp.PPPProject.from_dict(d), NATIONAL)
            assert a.table["status"].iloc[0] == ok

    def test_budget_grows_exactly(self) -> None:
        """Year y's budget is B × 1.03^(y-1), exact, half-up to the fen."""
        p = ppp.PPPProject.from_dict(_data())
        got = ppp.budget_path_fen(p)
        for y, fen in enumerate(got.tolist()):
            exact = Fraction(to_fen(p.fiscal.budget_expenditure)) * Fraction("1.03") ** y
            assert fen == int(exact) + (exact - int(exact) >= Fraction(1, 2))

    def test_vfm(self, project: ppp.PPPProject) -> None:
        """VfM = PSC - PPP and the index is VfM / PSC."""
        v = ppp.value_for_money(project)
        assert v.vfm == v.psc - v.ppp
        assert v.index == pytest.approx(float(v.vfm / v.psc))

    def test_vfm_not_assessed_without_section(self) -> None:
        """No vfm section: value for money is not assessed (None), never a fail verdict."""
        d = _data()
        d.pop("vfm", None)
        assert ppp.value_for_money(ppp.PPPProject.from_dict(d)) is None


class TestSolvers:
    def test_subsidy_for_equity_irr(self, project: ppp.PPPProject) -> None:
        """The solved subsidy reaches the target; one fen less does not."""
        s = ppp.subsidy_for_equity_irr(project, 0.08)
        fen = int(s * 100)
        fl = simulate(project, fixed_subsidy_fen=np.array([fen, fen - 1]))
        irr = finance.irr(np.pad(fl.equity_cf, ((0, 0), (1, 0))))
        assert irr[0] >= 0.08 > irr[1]

    def test_max_loan_for_dscr(self, project: ppp.PPPProject) -> None:
        """At the solved loan the minimum DSCR is >= target; one fen more is below."""
        L = int(ppp.max_loan_for_dscr(project, 1.3) * 100)
        d = metrics_arrays(simulate(project, loan_fen=np.array([L, L + 1])))["dscr_min"]
        assert d[0] >= 1.3 > d[1]

    def test_subsidy_for_payback(self, project: ppp.PPPProject) -> None:
        """The solved subsidy pays back within 10 years; one fen less does not."""
        fen = int(ppp.subsidy_for_payback(project, 10) * 100)
        pb = metrics_arrays(simulate(project, fixed_subsidy_fen=np.array([fen, fen - 1])))
        assert pb["payback"][0] <= 10 < pb["payback"][1]


class TestSensitivity:
    def test_tornado(self, project: ppp.PPPProject) -> None:
        """One row per driver, sorted by swing, base NPV shared by all rows."""
        t = ppp.tornado(project)
        assert len(t) == len(project.sensitivity.tornado)
        assert (t["npv_swing"].diff().dropna() <= 0).all()
        assert t["npv_base"].nunique() == 1

    def test_monte_carlo_seeded_and_vectorized(self, project: ppp.PPPProject) -> None:
        """Same seed, same result; every draw equals the single-scenario evaluation."""
        a = ppp.monte_carlo(project, draws=500, seed=1)
        b = ppp.monte_carlo(project, draws=500, seed=1)
        assert a.summary.equals(b.summary)
        assert 0 <= a.p_payback_within <= 1
        row = a.samples.iloc[7]
        mult = {k: row[k] for k in project.sensitivity.monte_carlo.drivers}
        one = metrics_arrays(simulate(project, mult))
        assert one["project_npv"][0] / 100 == pytest.approx(row["project_npv"])


class TestCli:
    def _run(self, *args: str):
        from costshare.cli import app

        return CliRunner().invoke(app, ["ppp", *args])

    def test_json(self) -> None:
        """JSON output carries regime, metrics and the cash-flow table."""
        r = self._run(str(EXAMPLE), "--format", "json", "--tornado", "--mc", "200")
        assert r.exit_code == 0, r.output
        d = json.loads(r.output)
        assert d["regime"] == "legacy_21"
        assert len(d["cash_flows"]) == 15
        assert "monte_carlo" in d

    def test_bad_input_exits_1(self, tmp_path: Path) -> None:
        """A refused scenario prints the message, exit 1, no traceback."""
        f = tmp_path / "bad.yaml"
        d = _data() | {"regime": "new_mechanism_2023"}
        f.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
        r = self._run(str(f))
        assert r.exit_code == 1
        assert "115号" in r.output
        assert "Traceback" not in r.output


CHONGQING = EXAMPLE.parent / "chongqing_jiulongpo.yaml"


class TestDatedAndFlags:
    def test_year_end_dates_and_xirr_matches_pyxirr(self, project: ppp.PPPProject) -> None:
        """Default timing: t = 0 on 1 January of start_year, flows on 31 December; the
        XIRR and XNPV of those dated flows equal pyxirr's on the same dates and amounts."""
        import pyxirr

        df = ppp.dated_flows(project)
        assert df["date"].iloc[0].date().isoformat() == "2025-01-01"
        assert df["date"].iloc[1].date().isoformat() == "2025-12-31"
        assert df["project_cf_fen"].iloc[0] == 0
        dm = ppp.dated_metrics(project)
        d = [x.date() for x in df["date"]]
        v = df["project_cf_fen"].tolist()
        assert dm.project_xirr == pytest.approx(pyxirr.xirr(d, v), abs=1e-9)
        xnpv_fen = pyxirr.xnpv(project.evaluation.discount_rate, d, v)
        assert abs(to_fen(dm.project_xnpv) - xnpv_fen) <= 0.5 + 1e-6

    def test_dated_differs_from_annual_and_mid_year_draws_move_xirr(self) -> None:
        """Leap days make XNPV differ from NPV; mid-year construction draws (money out
        half a year earlier) lower the XIRR against year-end draws."""
        p = ppp.PPPProject.from_yaml(CHONGQING)
        a = ppp.assess(p, NATIONAL)
        assert a.dated.project_xnpv != a.metrics.project_npv
        d = yaml.safe_load(CHONGQING.read_text(encoding="utf-8"))
        d["timing"] = {"construction": "mid_year", "operation": "mid_year"}
        mid = ppp.dated_metrics(ppp.PPPProject.from_dict(d))
        d["timing"] = {"construction": "mid_year"}
        early = ppp.dated_metrics(ppp.PPPProject.from_dict(d))
        assert early.project_xirr < a.dated.project_xirr
        assert mid.project_xirr != early.project_xirr

    def test_draw_dates_one_per_construction_year(self) -> None:
        """Explicit draw dates must match the construction years."""
        d = yaml.safe_load(CHONGQING.read_text(encoding="utf-8"))
        d["timing"] = {"draw_dates": ["2021-03-01"]}
        with pytest.raises(InputError, match="draw_dates"):
            ppp.PPPProject.from_dict(d)
        d["timing"] = {"draw_dates": ["2021-03-01", "2022-04-01"]}
        df = ppp.dated_flows(ppp.PPPProject.from_dict(d))
        assert df["date"].iloc[2].date().isoformat() == "2022-04-01"

    def test_no_start_date_no_dated_figures(self) -> None:
        """Without start_year or timing.start_date there are no dated figures."""
        d = _data()
        d.pop("start_year", None)
        p = ppp.PPPProject.from_dict(d)
        assert ppp.dated_flows(p) is None and ppp.dated_metrics(p) is None

    def test_dscr_below_one_flagged_per_year(self) -> None:
        """Chongqing: operating years whose CFADS falls short of debt service are listed,
        exactly the years with cfads < debt_service in the table (construction-year
        interest is paid by the shareholders, outside DSCR)."""
        p = ppp.PPPProject.from_yaml(CHONGQING)
        a = ppp.assess(p, NATIONAL)
        t = a.table
        op = t[t["phase"] == "operation"]
        short = op[(op["debt_service_fen"] > 0) & (op["cfads_fen"] < op["debt_service_fen"])]
        assert a.metrics.dscr_below_one == tuple(short["year"].tolist())
        assert len(a.metrics.dscr_below_one) > 0 and a.metrics.dscr_min < 1

    def test_irr_diagnostics_in_metrics(self, project: ppp.PPPProject) -> None:
        """The metrics carry the IRR roots and, when there is none, the reason."""
        m = ppp.metrics(project)
        assert m.project_irr_roots == (pytest.approx(m.project_irr),)
        assert m.project_irr_reason == ""

    def test_cli_prints_dated_and_not_assessed(self) -> None:
        """The CLI shows the dated figures, the DSCR warning, and VfM 'not assessed'."""
        from costshare.cli import app

        d = yaml.safe_load(CHONGQING.read_text(encoding="utf-8"))
        assert "vfm" not in d
        out = CliRunner().invoke(app, ["ppp", str(CHONGQING)]).output
        assert "project_xirr" in out and "below 1 in project years" in out
        assert "value for money: not assessed" in out


class TestBilingualAndAssumptions:
    def test_bundled_scenarios_are_bilingual(self) -> None:
        """Every bundled PPP scenario: Chinese name/description, English in *_en."""
        import re

        for path in sorted(EXAMPLE.parent.glob("*.yaml")):
            p = ppp.PPPProject.from_yaml(path)
            for zh in (p.name, p.description):
                assert re.search(r"[\u4e00-\u9fff]{4}", zh), path.name
            assert p.name_en and p.description_en, path.name
            assert not re.search(r"[A-Za-z]{2,}(?:[ ,;:'-]+[A-Za-z]{2,}){3,}", p.description)

    def test_assumptions_list_the_scenarios_rates(self, project: ppp.PPPProject) -> None:
        """The audit's assumptions: the example's own rates as percentages, in both languages."""
        zh = {a["what"]: a["value"] for a in ppp.project_assumptions(project)}
        en = {a["what"]: a["value"] for a in ppp.project_assumptions(project, "en")}
        assert zh["贷款年利率"] == en["Loan rate"] == "4.20%"
        assert zh["项目基准收益率"] == "6.00%" and zh["资本金折现率"] == "8.00%"
        assert en["Revenue tax rate (flat, on operating income)"] == "6.00%"
        assert en["Income tax rate"] == "25.00%"
        assert len(zh) == len(en) == 8


def test_with_fiscal_lets_a_bare_project_take_the_10_percent_test():
    """Chongqing's scenario has no budget data; with it the 10 % line can be tested."""
    from costshare.ppp.fiscal import affordability, with_fiscal
    from costshare.ppp.model import PPPProject

    root = Path(__file__).resolve().parent.parent / "scenarios" / "ppp"
    bare = PPPProject.from_yaml(root / "chongqing_jiulongpo.yaml")
    rs = rules.load("national", on="2021-01-01")
    big = affordability(with_fiscal(bare, "2000000000"), rs)
    assert big.passes and (big.table["budget_fen"] == 200_000_000_000).all()
    # the budget at which year 1's obligations are exactly 10 %: one fen less fails
    own = int(big.table["obligations_fen"].max())
    edge = with_fiscal(bare, str(Decimal(own * 10) / 100))
    assert affordability(edge, rs).passes
    below = with_fiscal(bare, str(Decimal(own * 10 - 1) / 100))
    assert not affordability(below, rs).passes
    example = PPPProject.from_yaml(root / "ppp_example.yaml")
    kept = with_fiscal(example, "1000000000")
    assert kept.fiscal.risk_scenarios == example.fiscal.risk_scenarios
