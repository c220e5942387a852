"""Transfers: a pot divided over areas by a weighted formula with floors and caps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare.cli import app
from costshare.community.transfers import allocate_pot
from costshare.community.transfers_model import Pot
from costshare.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "scenarios" / "transfers").glob("*.yaml"))


def _pot(**kw):
    base = {
        "name": "t",
        "pot": 1000,
        "weights": [{"factor": "households", "weight": 1, "confidence": "A", "reason": "t"}],
        "areas": [{"id": "a", "households": 1}, {"id": "b", "households": 3}],
    }
    return Pot.from_dict(base | kw)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_bundled_examples_mark_every_weight_and_cite_a_seed(path):
    p = Pot.from_yaml(path)
    assert all(w.confidence == "A" and w.reason for w in p.weights)
    assert p.sources and p.assumptions
    r = allocate_pot(p)
    assert int(r.table["grant_fen"].sum()) == r.pot_fen


def test_weaker_area_gets_more_per_household():
    r = allocate_pot(Pot.from_yaml(ROOT / "scenarios/transfers/jiangsu_weak_areas.yaml"))
    per = r.table.set_index("area")["per_hh_fen"]
    assert per["苏北戊市"] > per["苏中丙市"] > per["苏南甲市"]


def test_floors_above_the_pot_are_refused():
    with pytest.raises(InputError, match="floors add up"):
        allocate_pot(_pot(min_grant=600))


def test_caps_below_the_pot_are_refused():
    with pytest.raises(InputError, match="caps cannot take"):
        allocate_pot(_pot(cap_share="0.4"))


def test_weight_without_data_is_refused():
    with pytest.raises(InputError, match="lack it"):
        _pot(weights=[{"factor": "need", "weight": 1, "confidence": "A", "reason": "t"}])


def test_assumed_weight_needs_a_reason():
    with pytest.raises(InputError, match="reason"):
        _pot(weights=[{"factor": "households", "weight": 1, "confidence": "A"}])


def test_cli_json_and_explain():
    path = ROOT / "scenarios/transfers/yancheng_reward_subsidy.yaml"
    res = CliRunner().invoke(app, ["transfers", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert sum(a["grant_fen"] for a in data["areas"]) == data["pot_fen"] == 31_000_000_000
    assert "cap 46500000.00 yuan" in data["explain"]["县区甲"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 10_000), min_size=1, max_size=8),
    st.integers(0, 10**8),
    st.integers(0, 100),
    st.integers(1, 100),
)
def test_parts_add_up_and_respect_bounds(households, pot_fen, floor_pct, cap_pct):
    """Σ grants = pot to the fen; no grant below its floor or above its cap when feasible."""
    n = len(households)
    floor = pot_fen * floor_pct // (100 * n)
    cap = pot_fen * cap_pct // 100
    if n * cap < pot_fen:
        return  # infeasible: the caps cannot take the pot (refused, tested above)
    p = _pot(
        pot=f"{pot_fen / 100:.2f}",
        min_grant=f"{floor / 100:.2f}",
        cap_share=f"{cap_pct / 100}",
        areas=[{"id": str(i), "households": h} for i, h in enumerate(households)],
    )
    g = allocate_pot(p).table["grant_fen"]
    assert int(g.sum()) == pot_fen
    assert (g >= floor).all()
    assert (g <= pot_fen * cap_pct // 100).all()
