"""Earmarked channels in a scenario: the Tongchuan plan and its shrunk retrofit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare.cli import app
from costshare.community.earmark import earmark_check
from costshare.community.scenario import Scenario
from costshare.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def _balance(path: str) -> dict[str, int]:
    t = Scenario.from_yaml(ROOT / "scenarios" / path).run().table()
    b = t[t["section"] == "balance"]
    return dict(zip(b["key"], b["amount_fen"], strict=True))


def test_tongchuan_as_planned_balances():
    assert _balance("tongchuan.yaml")["balanced"] == 0


def test_shrunk_retrofit_is_never_balanced():
    b = _balance("tongchuan_earmark_test.yaml")
    assert "balanced" not in b
    # 27.87 M − 5 M = 22.87 M idle, diverted and missing
    assert b["earmark_idle:line_department"] == 2_287_000_000
    assert b["earmark_misuse"] == 2_287_000_000
    assert b["gap"] == 2_287_000_000
    assert b["total_uses"] == b["total_sources"] == 6_087_000_000


def test_cli_json_and_warning():
    res = CliRunner().invoke(
        app, ["run", str(ROOT / "scenarios/tongchuan_earmark_test.yaml"), "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["earmarks"]["status"] == "broken"
    assert data["earmarks"]["diverted"] == "22870000.00"
    assert any("渠道不乱" in w for w in data["warnings"])


def test_unknown_earmark_channel_is_refused():
    raw = Scenario.from_yaml(ROOT / "scenarios/tongchuan.yaml").to_dict()
    raw["funding"]["earmarks"] = [{"channel": "lottery", "may_pay": ["facade"]}]
    with pytest.raises(InputError, match="earmark channel"):
        Scenario.from_dict(raw)


def test_enterprise_share_is_not_paid_by_an_earmark():
    raw = Scenario.from_yaml(ROOT / "scenarios/fujian_default.yaml").to_dict()
    raw["funding"]["earmarks"] = [{"channel": "municipal", "may_pay": ["water"]}]
    em = Scenario.from_dict(raw).run().earmarks()
    assert em is not None
    assert all(not k.endswith("〕") for k in em.lines[0].paid)  # water is the enterprise's


fen = st.integers(0, 10**9)


@given(
    st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), fen), min_size=1, max_size=6),
    fen,
    fen,
    st.sets(st.sampled_from(["a", "b", "c"]), min_size=1),
)
def test_conservation(items, earmarked, free, may_pay):
    """uses = sources − idle + free gap; used never exceeds the eligible uses or the amount."""
    uses = [(f"i{k}", c, f) for k, (c, f) in enumerate(items)]
    r = earmark_check(uses, {"e": earmarked, "f": free}, [("e", sorted(may_pay))])
    x = r.lines[0]
    assert r.uses_fen == r.sources_fen - r.idle_fen + r.free_gap_fen
    assert 0 <= x.used_fen <= min(x.amount_fen, x.eligible_fen)
    assert x.used_fen == min(x.amount_fen, x.eligible_fen)  # earmarked money goes first
    assert (r.status == "balanced") == (r.idle_fen == 0 and r.free_gap_fen == 0)


def test_in_kind_line_must_be_earmarked():
    raw = Scenario.from_yaml(ROOT / "scenarios/huangshi_in_kind.yaml").to_dict()
    raw["funding"]["earmarks"] = []
    with pytest.raises(InputError, match="in-kind"):
        Scenario.from_dict(raw)


def test_huangshi_donated_rooms_pay_only_the_rooms():
    r = Scenario.from_yaml(ROOT / "scenarios/huangshi_in_kind.yaml").run()
    em = r.earmarks()
    assert em is not None and em.status == "balanced"
    assert em.lines[0].paid == {"社区服务用房（原产权单位捐赠办公用房，折价入账）": 120_000_000}


def test_zaozhuang_land_money_pays_the_upgrade_projects():
    em = Scenario.from_yaml(ROOT / "scenarios/zaozhuang.yaml").run().earmarks()
    assert em is not None and em.lines[0].used_fen == 17_000_000_000 and em.idle_fen == 0
