"""Community scenarios: the default Fujian scenario balances to the fen; errors are located."""

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from costshare import Scenario, rules
from costshare.cli import app
from costshare.community.scenario import default_scenario_path
from costshare.errors import InputError

MINIMAL = """
name: t
community: {name: 测试小区, jurisdiction: fujian, households: 100, area_m2: 8000}
rules_date: 2024-01-01
work_items:
  - {item: 缆线, category: telecom_cabling, cost: 100000}
  - {item: 屋面, category: roof, cost: 50000}
funding:
  municipal: 60000
  residents: {ratio: 0.1}
"""


class TestDefaultScenario:
    def test_balances_by_hand(self):
        """Uses 10,000,000; enterprises 3,966,000; plan 5,958,000; gap 76,000 (all yuan).

        Enterprises: water 1,250,000 + gas 980,000 + telecom 65% × 640,000 = 416,000 +
        power 520,000 + 50% × 1,180,000 = 1,110,000 + property unit 210,000 = 3,966,000.
        Plan: 3,500,000 + 600,000 + 800,000 + 650,000 + 120,000 + 480 × 600 = 5,958,000.
        """
        r = Scenario.from_yaml(default_scenario_path()).run()
        assert r.uses_fen == 1_000_000_000
        assert r.sources_fen == 992_400_000
        assert r.gap_fen == 7_600_000
        t = r.table()
        gap = t[t["key"] == "gap"]
        assert gap["amount"].tolist() == [Decimal("76000.00")]
        enterprises = t[t["key"].str.startswith("payer:")]["amount_fen"].sum()
        assert enterprises == 396_600_000
        ind = r.indicators()
        assert ind["uses_per_household"] == Decimal("20833.33")  # 10,000,000 / 480
        assert ind["uses_per_m2"] == Decimal("260.42")  # 10,000,000 / 38,400
        assert ind["residents_per_household"] == Decimal("600.00")

    def test_uses_every_fujian_category(self):
        """The default scenario touches every Fujian utility category and owner."""
        s = Scenario.from_yaml(default_scenario_path())
        pairs = {(w.category, w.owner) for w in s.work_items}
        for cat in ("utility_civil_works", "water", "gas", "telecom_cabling", "drainage"):
            assert any(c == cat for c, _ in pairs)
        assert {o for c, o in pairs if c == "power"} == {
            "power_company",
            "property_unit",
            "residents",
        }

    def test_yaml_round_trip(self):
        """to_yaml → from_yaml gives an equal scenario and the same result."""
        s = Scenario.from_yaml(default_scenario_path())
        again = Scenario.from_yaml("again.yaml", text=s.to_yaml())
        assert again == s
        assert again.run().gap_fen == s.run().gap_fen


class TestScenario:
    def test_residents_ratio_of_total(self):
        """Residents raise 10% of 150,000 = 15,000; sources 65,000 + 60,000 + 15,000 = 140,000 → gap 10,000."""
        r = Scenario.from_yaml("m.yaml", text=MINIMAL).run()
        assert r.sources_fen == 14_000_000
        assert r.gap_fen == 1_000_000

    def test_surplus_line(self):
        """More funding than uses shows a surplus line; uses = sources − surplus."""
        r = Scenario.from_yaml(
            "m.yaml", text=MINIMAL.replace("municipal: 60000", "municipal: 80000")
        ).run()
        t = r.table()
        assert t[t["key"] == "surplus"]["amount_fen"].tolist() == [1_000_000]

    def test_error_names_item_and_field(self):
        """A negative cost names the file, the work item and the field."""
        bad = MINIMAL.replace("cost: 50000", "cost: -5")
        with pytest.raises(InputError, match=r"bad\.yaml, work item 2 \('屋面'\), field 'cost'"):
            Scenario.from_yaml("bad.yaml", text=bad)

    def test_unknown_key_refused(self):
        """Unknown keys in a scenario are errors."""
        with pytest.raises(InputError, match="typo"):
            Scenario.from_yaml("bad.yaml", text=MINIMAL + "typo: 1\n")

    def test_two_resident_bases_refused(self):
        """Residents' money is stated one way only."""
        bad = MINIMAL.replace("{ratio: 0.1}", "{ratio: 0.1, per_household: 5}")
        with pytest.raises(InputError, match="exactly one"):
            Scenario.from_yaml("bad.yaml", text=bad)

    def test_unsplit_utility_needs_a_payer(self):
        """Drainage in Fujian without a payer is an error naming the item."""
        bad = MINIMAL.replace("category: roof", "category: drainage")
        with pytest.raises(InputError, match="item '屋面'.*drainage"):
            Scenario.from_yaml("bad.yaml", text=bad).run()

    def test_ningbo_fund_topup(self):
        """Ningbo: residents' 100,000 is paid from the topped-up fund; 50% subsidy on it.

        10,000 m² × 80 × 0.7 = 560,000 target; balance 100,000 → top-up 460,000;
        fund used = min(100,000, 560,000) = 100,000; subsidy 50,000.
        """
        text = """
name: nb
community: {name: 宁波小区, jurisdiction: ningbo, households: 120, area_m2: 10000}
rules_date: 2024-01-01
work_items: [{item: 屋面, category: roof, cost: 300000}]
funding:
  municipal: 200000
  residents: {amount: 100000}
  fund_topup: {ratio: 0.7, standard_yuan_per_m2: 80, existing_balance: 100000}
"""
        r = Scenario.from_yaml("nb.yaml", text=text).run()
        assert r.gap_fen == 0
        assert r.fund["topup_fen"] == 46_000_000
        assert r.fund["fund_used_fen"] == 10_000_000
        assert r.fund["subsidy_fen"] == 5_000_000
        keys = r.table()["key"].tolist()
        assert "residents_fund" in keys and "residents" not in keys


NINGBO = Path(__file__).resolve().parent.parent / "scenarios" / "ningbo_fund_topup.yaml"


def _ningbo(**changes) -> dict:
    d = Scenario.from_yaml(NINGBO).to_dict()
    for dotted, value in changes.items():
        *path, last = dotted.split(".")
        node = d
        for p in path:
            node = node[p]
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return d


class TestDatedRules:
    def test_ningbo_undated_rule_applies_in_2020(self):
        """Ningbo's 60–80% range is undated (the list's month is not its start): dated
        2020-06-30, a 0.5 ratio is refused as on any other date."""
        d = _ningbo(rules_date="2020-06-30", **{"funding.fund_topup.ratio": 0.5})
        with pytest.raises(InputError, match="outside 宁波市's allowed 0.6–0.8"):
            Scenario.from_dict(d).run()

    def test_same_ratio_refused_when_the_rule_is_in_force(self):
        """Dated 2024-06-30 the same 0.5 is outside Ningbo's 0.6–0.8."""
        d = _ningbo(**{"funding.fund_topup.ratio": 0.5})
        with pytest.raises(InputError, match="outside 宁波市's allowed 0.6–0.8"):
            Scenario.from_dict(d).run()

    def test_no_standard_on_the_date_names_the_field(self):
        """Without a standard in the file and none in the rules given, the field is named."""
        d = _ningbo(**{"funding.fund_topup.standard_yuan_per_m2": None})
        national = rules.load("national", on="2024-06-30")
        with pytest.raises(InputError, match=r"funding\.fund_topup\.standard_yuan_per_m2"):
            Scenario.from_dict(d).run(rules=national)

    def test_rules_passed_in_are_used(self):
        """run(rules=...) uses the RuleSet given (here of 2020) instead of loading one."""
        rs = rules.load("ningbo", on="2020-06-30")
        assert Scenario.from_dict(_ningbo()).run(rules=rs).rules is rs


class TestWorkItems:
    def test_owner_none_means_any(self):
        """A work item whose owner is None (YAML ``owner: ~``) is owned by 'any'."""
        d = Scenario.from_yaml("m.yaml", text=MINIMAL).to_dict()
        d["work_items"][0]["owner"] = None
        s = Scenario.from_dict(d)
        assert s.work_items[0].owner == "any"
        assert s.run().sources_fen == 14_000_000

    def test_misspelt_category_is_named(self):
        """An unknown category is an error naming the item and listing the known ones."""
        bad = MINIMAL.replace("category: roof", "category: teleport")
        with pytest.raises(InputError) as err:
            Scenario.from_yaml("bad.yaml", text=bad).run()
        msg = str(err.value)
        assert "work item 2 ('屋面')" in msg and "'teleport'" in msg
        assert "'roof'" in msg and "'telecom_cabling'" in msg  # the known categories

    def test_ratio_is_exact(self):
        """Residents at ratio 0.35 of 100,001.01 yuan: 35/100 × 10,000,101 fen = 3,500,035.35 → 3,500,035."""
        text = MINIMAL.replace("{ratio: 0.1}", "{ratio: 0.35}").replace(
            "cost: 100000", "cost: 50001.01"
        )
        r = Scenario.from_yaml("m.yaml", text=text).run()
        res = r.sources.set_index("channel").loc["residents", "amount_fen"]
        assert res == 3_500_035


class TestRunOutput:
    """``costshare run -o`` writes the format its suffix names."""

    runner = CliRunner()

    def test_xlsx_is_a_workbook(self, tmp_path):
        """-o x.xlsx writes a real workbook whose amounts read back to the fen."""
        out = tmp_path / "x.xlsx"
        res = self.runner.invoke(app, ["run", str(default_scenario_path()), "-o", str(out)])
        assert res.exit_code == 0, res.output
        wb = openpyxl.load_workbook(out)
        rows = list(wb["资金来源与使用"].iter_rows(values_only=True))
        gap = [r for r in rows if r[2] == "gap"]
        assert len(gap) == 1 and round(gap[0][3] * 100) == 7_600_000

    def test_json_by_suffix(self, tmp_path):
        """-o x.json writes JSON even with the default --format."""
        out = tmp_path / "x.json"
        res = self.runner.invoke(app, ["run", str(default_scenario_path()), "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert json.loads(out.read_text(encoding="utf-8"))["indicators"]["gap"] == "76000.00"

    def test_csv_by_suffix(self, tmp_path):
        """-o x.csv writes CSV with BOM."""
        out = tmp_path / "x.csv"
        res = self.runner.invoke(app, ["run", str(default_scenario_path()), "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")

    def test_unknown_suffix_refused(self, tmp_path):
        """-o x.pdf is refused with a clear message and nothing is written."""
        out = tmp_path / "x.pdf"
        res = self.runner.invoke(app, ["run", str(default_scenario_path()), "-o", str(out)])
        assert res.exit_code != 0
        shown = f"{res.output} {res.exception}"  # printed (CLI error handler) or raised
        assert "unknown output type '.pdf'" in shown
        assert not out.exists()
