"""Management modes and merged estates through the command line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from costshare.cli import app
from costshare.errors import InputError
from costshare.operation.management import Estate, merge_estates, suggest_mode

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def test_merge_cli_json():
    res = runner.invoke(
        app,
        [
            "merge-estates",
            str(ROOT / "scenarios/management/changping_merge.yaml"),
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["table"]  # the merge_estates job's summary
    assert len(rows) == 37 and rows[-1]["estate"] == "merged" and rows[-1]["households"] == 2160


def test_suggest_cli_cites_the_seed_line():
    res = runner.invoke(app, ["suggest-mode", "--households", "90", "--collection-rate", "0.5",
                              "--current", "backstop", "--format", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["mode"] == "community_custody"
    assert data["alternatives"] == ["social_org_custody", "self_management"]
    assert any("第56行" in r for r in data["reasons"])


def test_unknown_mode_is_refused():
    with pytest.raises(InputError, match="unknown mode"):
        suggest_mode(10, "0.5", current="caretaker")


def test_merging_never_raises_the_variable_cost():
    """Merged cost = merged fixed cost + the estates' variable costs, exactly."""
    e = [Estate(str(i), 10 + i, Decimal(700 + i), Decimal(1000), Decimal("1.5"), Decimal("0.9"))
         for i in range(5)]  # fmt: skip
    t = merge_estates(e, 0)
    assert int(t["cost_fen"].iloc[-1]) == int(t["cost_fen"].iloc[:-1].sum()) - 5 * 100_000
