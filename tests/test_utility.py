"""Utilities after the works: handover table and tax depreciation relief via the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare.cli import app
from costshare.community.utility import depreciation_fen

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def test_handover_cli():
    res = runner.invoke(app, ["handover", str(ROOT / "scenarios/fujian_default.yaml")])
    assert res.exit_code == 0, res.output
    assert "power company's effective assets: 1110000.00 yuan" in res.output


def test_tax_relief_cli_json():
    args = ["tax-relief", "--spend", "153000000", "--life", "20", "--tax-rate", "0.25"]
    res = runner.invoke(app, [*args, "--discount", "0.05", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["table"]  # the tax_relief job's summary
    # 153 M yuan × 25 % = 38.25 M yuan of tax saved either way (seed 002 line 112's 1.53亿元)
    assert sum(r["saving_sl_fen"] for r in rows) == sum(r["saving_ddb_fen"] for r in rows)
    assert sum(r["saving_sl_fen"] for r in rows) == 3_825_000_000


@given(st.integers(0, 10**12), st.integers(1, 40), st.sampled_from(["sl", "ddb"]))
def test_depreciation_adds_up(cost, life, method):
    d = depreciation_fen(cost, life, method)
    assert int(d.sum()) == cost and (d >= 0).all()
