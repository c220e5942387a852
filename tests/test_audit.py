"""The audit appendix: every number an engine reads from the rules is listed, with its source.

The check is independent of the appendix's own formatting: the rule set records which rules
were read, and each number of each of those rules (a parameter's value, each payer's share,
each vote threshold, each subsidy amount) must appear in the appendix under the rule's id.
"""

import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from costshare import ppp, rules
from costshare.cli import app
from costshare.community.portfolio import Portfolio
from costshare.community.scenario import Scenario
from costshare.households.sheet import SheetSpec, contribution_sheet
from costshare.households.votes import tally
from costshare.report.audit import AUDIT_COLUMNS, audit_frame
from costshare.report.table_xlsx import scenario_result_xlsx
from costshare.rules.schema import ElevatorSubsidy, Parameter, UtilitySplit, VoteRule

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
PPP = sorted((ROOT / "scenarios" / "ppp").glob("*.yaml"))
runner = CliRunner()


def numbers(rule):
    """Every number of `rule` as exact values (Decimal or Fraction)."""
    if isinstance(rule, Parameter):
        return [rule.value]
    if isinstance(rule, UtilitySplit):
        return list(rule.shares.values())
    if isinstance(rule, VoteRule):
        keys = ("quorum_area", "quorum_owners", "approve_area", "approve_owners")
        return [getattr(rule, k) for k in keys if getattr(rule, k) is not None]
    if isinstance(rule, ElevatorSubsidy):
        keys = ("per_elevator", "cost_ratio", "cap", "pipes_max_per_unit")
        return [getattr(rule, k) for k in keys if getattr(rule, k) is not None]
    return []


def exact(text):
    return Fraction(text) if "/" in text else Fraction(Decimal(text))


def assert_all_read_listed(rs, appendix):
    """Each rule `rs` recorded as read, and each of its numbers, is in `appendix`."""
    assert rs.reads, "the run read no rule: nothing to check"
    for rule in rs.all_rules():
        if rule.id not in rs.reads:
            continue
        rows = appendix[appendix["rule"] == rule.id]
        assert len(rows), f"{rule.id} read but not in the appendix"
        listed = [exact(v) for v in rows["value"] if v and v[0].isdigit()]
        for n in numbers(rule):
            assert Fraction(n) in listed, f"{rule.id}: {n} not in the appendix"
        assert set(rows["confidence"]) == {rule.confidence}
        assert (rows["document"] == rule.source.document).all()
        assert (rows["article"].str.startswith(rule.source.article)).all()


class TestEveryReadIsListed:
    @pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
    def test_scenarios(self, path):
        """Each bundled scenario: the rules the engines read are all in its appendix."""
        s = Scenario.from_yaml(path)
        rs = s.rules().fresh()
        result = s.run(rules=rs)
        appendix = audit_frame(result)
        if not rs.reads:  # e.g. Zaozhuang: the scenario assigns every payer, no rule is read
            # no rule row: only assumptions (and a land line's own figures, section input)
            assert appendix["section"].isin(["assumption", "input"]).all()
            return
        assert_all_read_listed(rs, appendix)

    @pytest.mark.parametrize("path", PPP, ids=lambda p: p.stem)
    def test_ppp(self, path):
        """A PPP assessment reads the 10% cap (and the 5% line): both are listed."""
        p = ppp.PPPProject.from_yaml(path)
        rs = rules.load("national", on=ppp.project_date(p) or "2024-06-30").fresh()
        ppp.assess(p, rs)
        assert "ppp.affordability_cap" in rs.reads
        assert_all_read_listed(rs, audit_frame(rules=rs))

    def test_fund_sheet(self):
        """A household sheet under Ningbo's top-up reads fund parameters: all listed."""
        rs = rules.load("ningbo", on="2024-06-30").fresh()
        roster = pd.DataFrame(
            {"unit_id": ["101", "102"], "area_m2": [60.0, 90.0], "fund_balance": [0, 0]}
        )
        spec = SheetSpec(fund={"ratio": "0.7"})
        s = contribution_sheet(roster, 300_000, spec, rs)
        assert_all_read_listed(rs, audit_frame(s, rules=rs))

    def test_vote(self):
        """A vote reads its rule: thresholds listed with the stairwell count."""
        rs = rules.load("national", on="2024-06-30").fresh()
        units = pd.DataFrame({"unit_id": list("ABCD"), "area": [50] * 4})
        tally(units, {"A": "yes", "B": "yes", "C": "yes"}, "elevator", rules=rs)
        appendix = audit_frame(rules=rs)
        assert_all_read_listed(rs, appendix)
        assert "本单元" in appendix["value"].tolist()  # counted over the stairwell

    def test_portfolio(self):
        """A portfolio's appendix lists every rule its templates read."""
        result = Portfolio.from_file(ROOT / "portfolios" / "fujian_city_example.yaml").run()
        appendix = audit_frame(result)
        for rs in result.rules:
            assert_all_read_listed(rs, appendix)


class TestAppendix:
    def test_columns_and_assumptions(self):
        """Assumptions are A with their reason; every row has the audit columns."""
        r = Scenario.from_yaml(ROOT / "scenarios" / "ningbo_fund_topup.yaml").run()
        df = audit_frame(r)
        assert list(df.columns) == AUDIT_COLUMNS
        a = df[df["section"] == "assumption"]
        assert len(a) == len(r.scenario.assumptions)
        assert (a["confidence"] == "A").all() and (a["reason"] != "").all()

    def test_split_rules_are_listed_even_if_read_elsewhere(self):
        """The Fujian default's split rules appear with each payer's share (0.65 / 0.35)."""
        r = Scenario.from_yaml(ROOT / "scenarios" / "fujian_default.yaml").run()
        df = audit_frame(r)
        tel = df[df["rule"] == "fj.telecom_cabling"]
        assert tel["value"].tolist() == ["0.65", "0.35"]
        assert set(tel["effective_from"]) == {"undated"}
        assert set(tel["date"]) == {"undated"}  # the seed gives no date (issue 22)

    def test_scenario_figures_standing_in_for_rules(self):
        """Ningbo's scenario gives 80 and 0.5 (equal to the rules: cited with their sources)
        and the ratio 0.7 (its own figure: an input marked A)."""
        df = audit_frame(Scenario.from_yaml(ROOT / "scenarios" / "ningbo_fund_topup.yaml").run())
        cited = df.set_index("rule")
        assert cited.loc["fund.subsidy_ratio", "confidence"] == "S"
        assert cited.loc["fund.standard_yuan_per_m2", "confidence"] == "A"
        (ratio,) = df[df["parameter"] == "funding.fund_topup.ratio"].itertuples()
        assert (ratio.section, ratio.value, ratio.confidence) == ("input", "0.7", "A")

    def test_assumed_rule_value_carries_reason(self):
        """Ningbo's assumed standard, when read, is A with its reason in the appendix."""
        rs = rules.load("ningbo", on="2024-06-30").fresh()
        rs.param("fund.standard_yuan_per_m2")
        row = audit_frame(rules=rs).iloc[0]
        assert (row["value"], row["confidence"]) == ("80", "A") and "165号" in row["reason"]

    def test_xlsx_has_audit_sheet(self):
        """The scenario workbook ends with the audit sheet, header = the audit columns."""
        r = Scenario.from_yaml(ROOT / "scenarios" / "fujian_default.yaml").run()
        wb = openpyxl.load_workbook(io.BytesIO(scenario_result_xlsx(r)))
        ws = wb["audit"]
        assert [c.value for c in ws[1]] == AUDIT_COLUMNS
        assert ws.max_row == len(audit_frame(r)) + 1


class TestCli:
    def test_run_audit_json(self):
        """run --audit --format json adds the appendix."""
        path = str(ROOT / "scenarios" / "fujian_default.yaml")
        out = runner.invoke(app, ["run", path, "--format", "json", "--audit"])
        assert out.exit_code == 0, out.output
        rows = json.loads(out.stdout)["audit"]
        assert {"fj.telecom_cabling", ""} <= {r["rule"] for r in rows}

    def test_run_audit_table(self):
        """run --audit prints the appendix after the indicators."""
        path = str(ROOT / "scenarios" / "ningbo_fund_topup.yaml")
        out = runner.invoke(app, ["run", path, "--audit"])
        assert out.exit_code == 0, out.output
        assert "audit appendix" in out.stdout and "fund.topup_ratio_min" in out.stdout

    def test_ppp_audit(self):
        """ppp --audit --format json lists the 21号 cap with its unverified article (M)."""
        out = runner.invoke(app, ["ppp", str(PPP[0]), "--format", "json", "--audit"])
        assert out.exit_code == 0, out.output
        rows = {r["rule"]: r for r in json.loads(out.stdout)["audit"]}
        assert rows["ppp.affordability_cap"]["confidence"] == "M"

    def test_portfolio_audit_csv(self):
        """portfolio --audit --format csv writes the appendix with the file's assumptions."""
        path = str(ROOT / "portfolios" / "fujian_city_example.yaml")
        out = runner.invoke(app, ["portfolio", path, "--format", "csv", "--audit"])
        assert out.exit_code == 0, out.output
        df = pd.read_csv(io.StringIO(out.stdout.lstrip("\ufeff")), dtype=str).fillna("")
        assert "fj.water" in df["rule"].tolist()
        assert "fujian_city_example.yaml" in df["document"].tolist()

    def test_sheet_audit(self, tmp_path):
        """sheet --audit prints the rule the area basis rests on (Civil Code Art. 283)."""
        roster = tmp_path / "r.csv"
        roster.write_text("unit_id,area_m2\n101,60\n102,90\n", encoding="utf-8")
        out = runner.invoke(
            app, ["sheet", str(roster), "--total", "1000", "--on", "2024-06-30", "--audit"]
        )
        assert out.exit_code == 0, out.output
        assert "civil_code.art283" in out.stdout
