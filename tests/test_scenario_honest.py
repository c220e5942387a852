"""Community outputs say no more than the figures support (issue: provenance that never overstates)."""

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from costshare.cli import app
from costshare.community.portfolio import Portfolio
from costshare.community.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
runner = CliRunner()


def run(name):
    return Scenario.from_yaml(ROOT / "scenarios" / f"{name}.yaml").run()


def fen_keys(data, path="$"):
    """(path, value) of every key ending in _fen, anywhere in a JSON document."""
    if isinstance(data, dict):
        for k, v in data.items():
            if isinstance(k, str) and k.endswith("_fen"):
                yield f"{path}.{k}", v
            yield from fen_keys(v, f"{path}.{k}")
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from fen_keys(v, f"{path}[{i}]")


class TestResidentsBurden:
    def test_ningbo_full_burden_and_subsidy(self):
        """Ningbo: top-up 25,200 m² × 80 × 0.7 − 300,000 = 1,111,200.00 = 3,086.67 per household
        (1,111,200 / 360 = 3,086.666…); the 50% subsidy 252,000.00 is a memo source line."""
        r = run("ningbo_fund_topup")
        ind = r.indicators()
        assert str(ind["residents_per_household"]) == "1400.00"  # the fund-paid contribution
        assert str(ind["residents_burden"]) == "1111200.00"
        assert str(ind["residents_burden_per_household"]) == "3086.67"
        assert str(ind["fiscal_subsidy"]) == "252000.00"
        memo = r.table().set_index("key")
        assert memo.loc["fiscal_subsidy", "section"] == "memo"
        assert memo.loc["fiscal_subsidy", "amount_fen"] == 25_200_000
        assert memo.loc["residents_burden", "amount_fen"] == 111_120_000
        # the memo lines are not counted in the balance
        assert memo.loc["total_sources", "amount_fen"] == r.sources_fen

    def test_without_fund_burden_is_the_residents_lines(self):
        """Fujian default: 480 households × 600 = 288,000.00, the same as residents_total."""
        ind = run("fujian_default").indicators()
        assert ind["residents_burden"] == ind["residents_total"]
        assert str(ind["residents_burden"]) == "288000.00"
        assert "fiscal_subsidy" not in ind


class TestWarnings:
    def test_fujian_local_finance_exceeds_local_lines(self):
        """Local finance is assigned 1,674,000 by rules + 1,430,000 drainage by the scenario =
        3,104,000.00; provincial + municipal + district = 2,050,000.00; 1,054,000.00 short."""
        r = run("fujian_default")
        assert r.local_finance_fen() == (167_400_000, 143_000_000, 205_000_000)
        (w,) = r.warnings()
        assert "3104000.00" in w and "2050000.00" in w and "1054000.00" in w
        assert r.to_dict()["warnings"] == [w]

    def test_warning_on_stderr(self):
        """costshare run prints the warning on stderr."""
        out = runner.invoke(app, ["run", str(ROOT / "scenarios" / "fujian_default.yaml")])
        assert out.exit_code == 0 and "warning: local finance" in out.stderr

    def test_portfolio_warns_per_community(self):
        """The Fujian city example: FZ01 is the default scenario, 3,104,000.00 vs 2,050,000.00."""
        r = Portfolio.from_file(ROOT / "portfolios" / "fujian_city_example.yaml").run()
        fz01 = [w for w in r.warnings() if "'FZ01'" in w]
        assert fz01 and "3104000.00" in fz01[0] and "2050000.00" in fz01[0]
        assert r.to_dict()["warnings"] == r.warnings()

    def test_no_warning_without_rule_shares(self):
        """Ningbo has no rule-assigned local-finance share: no warning."""
        assert run("ningbo_fund_topup").warnings() == []


class TestLabels:
    def test_zaozhuang_payer_is_not_a_rule(self):
        """No Zaozhuang rule exists: the utilities' line says the scenario assigned it."""
        src = run("zaozhuang").sources.set_index("channel")
        note = src.loc["payer:utility_enterprises", "note"]
        assert "按规则分担" not in note and "方案指定" in note

    def test_fujian_rule_payers_keep_the_rule_note(self):
        """Fujian's water company pays by rule fj.water: 按规则分担."""
        src = run("fujian_default").sources.set_index("channel")
        assert src.loc["payer:water_company", "note"] == "按规则分担"


class TestFenKeys:
    @pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
    def test_scenario_json_fen_keys_hold_integers(self, path):
        """Every *_fen key in a scenario's JSON holds an integer (fen), never yuan text."""
        out = runner.invoke(app, ["run", str(path), "--format", "json", "--audit"])
        assert out.exit_code == 0, out.output
        data = json.loads(out.stdout)
        for where, v in fen_keys(data):
            assert isinstance(v, int), f"{where} = {v!r}"

    def test_ningbo_fund_memo_fen_and_yuan(self):
        """The fund memo keeps fen under topup_fen and the yuan text under topup."""
        fund = run("ningbo_fund_topup").to_dict()["fund"]
        assert fund["topup_fen"] == 111_120_000 and fund["topup"] == "1111200.00"

    def test_portfolio_community_dict_matches(self):
        """A portfolio community's JSON uses the same fen/yuan keys as its scenario."""
        p = Portfolio.from_frame(
            pd.DataFrame({"id": ["a"], "households": [2], "area_m2": [100],
                          "cost": [10], "municipal": [4]})
        )  # fmt: skip
        data = p.run().community_dict("a")
        assert all(isinstance(v, int) for _, v in fen_keys(data))
        assert [r["key"] for r in data["sources_and_uses"]][-1] == "gap"  # no fund: no memo
