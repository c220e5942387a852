"""Evaluation: satisfaction survey tallies, the acceptance gate, the xlsx report."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from costshare import rules
from costshare.cli import app
from costshare.errors import InputError
from costshare.households.evaluate import evaluate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "scenarios/evaluation/sample_survey.csv"
HEBEI = rules.load("hebei", on="2024-06-30")
runner = CliRunner()


def test_items_and_buildings_hand_counted():
    s = pd.DataFrame({
        "房号": ["1", "2", "3", "4"], "楼栋": ["A", "A", "B", "B"],
        "总体满意度": ["满意", "不满意", "基本满意", "非常满意"], "屋面": [5, 1, 2, None],
    })  # fmt: skip
    e = evaluate(s, HEBEI)
    assert e.items.set_index("item").loc["屋面", ["answered", "satisfied"]].tolist() == [3, 1]
    b = e.buildings.set_index("building")
    assert b.loc["A", "rate"] == "1/2" and b.loc["B", "rate"] == "1"
    assert (e.satisfied, e.base, e.passed) == (3, 4, False)  # 3/4 < 4/5


def test_unknown_answer_names_row_and_column():
    s = pd.DataFrame({"unit_id": ["1", "2"], "overall": ["满意", "还行"]})
    with pytest.raises(InputError, match="unknown answer") as exc:
        evaluate(s, HEBEI, file="s.csv")
    p = exc.value.problems[0]
    assert (p.where, p.field) == ("row 3", "overall")


def test_jurisdiction_without_acceptance_rule_is_refused():
    s = pd.DataFrame({"unit_id": ["1"], "overall": [5]})
    with pytest.raises(InputError, match="no acceptance rule"):
        evaluate(s, rules.load("national", on="2024-06-30"))


def test_cli_json_and_xlsx(tmp_path):
    args = ["evaluate", str(SAMPLE), "--households", "36", "--on", "2024-06-30"]
    res = runner.invoke(app, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    # 27 satisfied of 36 households = 3/4 < 4/5; ceil(28.8) = 29 → short by 2
    assert (data["satisfied"], data["passed"], data["short_by"]) == (27, False, 2)
    out = tmp_path / "e.xlsx"
    assert runner.invoke(app, [*args, "-o", str(out)]).exit_code == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert len(sheets["分项 items"]) == 6 and len(sheets["分楼栋 buildings"]) == 3


def test_report_carries_the_scenarios_cost_indicators(tmp_path):
    out = tmp_path / "e.xlsx"
    args = ["evaluate", str(SAMPLE), "--on", "2024-06-30", "-o", str(out),
            "--scenario", str(ROOT / "scenarios/fujian_default.yaml")]  # fmt: skip
    assert runner.invoke(app, args).exit_code == 0
    ind = pd.read_excel(out, sheet_name="指标 indicators", dtype=str).set_index("指标 indicator")
    assert str(ind.loc["total_uses", "值 value"]) == "10000000.00"  # the Fujian default's uses
