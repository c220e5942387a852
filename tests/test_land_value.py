"""Land-use money: a plot-ratio / land-use change valued as a community funding line.

Seed 002 line 112 (Zaozhuang): plot-ratio and land-use changes on 33 idle plots drew 170
million yuan of social investment. The golden cases are in
``tests/cases/mechanisms/land.yaml``; here: properties, validation, the bundled scenario,
the audit appendix, the CLI, the API and the community page.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from costshare.api import create_app
from costshare.cli import app as cli_app
from costshare.community.land import LandValue, land_value
from costshare.community.scenario import Scenario
from costshare.errors import InputError
from costshare.jobs import CommunityJob
from costshare.money import half_up
from costshare.report.audit import audit_frame

ROOT = Path(__file__).resolve().parent.parent
ZAOZHUANG = ROOT / "scenarios" / "zaozhuang_land_value.yaml"
SEED = Path("/work/shared/seeds") if Path("/work/shared/seeds").exists() else ROOT / "docs/seeds"
FEN = 17_000_000_000  # the seed's 1.7亿元, in fen


def _dec(places: int, hi: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, hi * 10**places).map(lambda n: Decimal(n).scaleb(-places))


@settings(max_examples=200, deadline=None)
@given(
    site=_dec(2, 10**6),
    old=_dec(2, 10),
    extra=_dec(2, 10),
    price=_dec(2, 50_000),
    premium=_dec(2, 10**8),
    share=_dec(4, 1),
    costs=st.lists(_dec(2, 10**7), max_size=3),
)
def test_amount_adds_up_and_is_negative_only_by_a_stated_cost(
    site, old, extra, price, premium, share, costs
):
    """Each step is the exact product rounded half up; captured − costs = amount."""
    x = LandValue(
        name="p",
        site_area_m2=site,
        old_plot_ratio=old,
        new_plot_ratio=old + extra,
        floor_price=price,
        use_change_premium=premium,
        capture_share=share,
        costs=[{"what": f"c{i}", "amount": c} for i, c in enumerate(costs)],
    )
    r = land_value(x)
    exact = Fraction(site) * Fraction(extra) * Fraction(price) * 100
    assert r.floor_value_fen == half_up(exact.numerator, exact.denominator)
    assert r.gross_fen == r.floor_value_fen + int(premium * 100)
    cap = Fraction(r.gross_fen) * Fraction(share)
    assert r.captured_fen == half_up(cap.numerator, cap.denominator)
    assert r.amount_fen == r.captured_fen - sum(int(c * 100) for c in costs)
    assert r.captured_fen >= 0
    if not costs:
        assert r.amount_fen >= 0
    assert r.captured_fen <= r.gross_fen


class TestValidation:
    def test_exactly_one_way_to_state_the_added_area(self):
        with pytest.raises(ValueError, match="exactly one way"):
            LandValue(name="p", floor_price=1, capture_share=1)
        with pytest.raises(ValueError, match="exactly one way"):
            LandValue(
                name="p",
                site_area_m2=1,
                old_plot_ratio=1,
                new_plot_ratio=2,
                added_floor_area_m2=1,
                floor_price=1,
                capture_share=1,
            )

    def test_a_lower_plot_ratio_adds_nothing_and_is_refused(self):
        with pytest.raises(ValueError, match="below old_plot_ratio"):
            LandValue(
                name="p",
                site_area_m2=1,
                old_plot_ratio=2,
                new_plot_ratio=1,
                floor_price=1,
                capture_share=1,
            )

    def test_share_above_one_and_unreasoned_assumption_are_refused(self):
        with pytest.raises(ValueError, match="between 0 and 1"):
            LandValue(name="p", added_floor_area_m2=1, floor_price=1, capture_share="1.2")
        with pytest.raises(ValueError, match="needs a reason"):
            LandValue(
                name="p",
                added_floor_area_m2=1,
                floor_price={"value": 1, "confidence": "A"},
                capture_share=1,
            )
        with pytest.raises(ValueError, match="seed and line"):
            LandValue(
                name="p",
                added_floor_area_m2=1,
                floor_price={"value": 1, "confidence": "S", "seed": "002.txt"},
                capture_share=1,
            )

    def test_scenario_names_the_file_and_field(self):
        raw = yaml.safe_load(ZAOZHUANG.read_text(encoding="utf-8"))
        raw["funding"]["land"][0]["new_plot_ratio"]["value"] = 0.5
        with pytest.raises(InputError) as e:
            Scenario.from_dict(raw, "z.yaml")
        assert "z.yaml" in str(e.value) and "below old_plot_ratio" in str(e.value)

    def test_a_land_name_may_not_repeat_an_other_line(self):
        raw = yaml.safe_load(ZAOZHUANG.read_text(encoding="utf-8"))
        name = raw["funding"]["land"][0]["name"]
        raw["funding"]["other"] = [{"name": name, "amount": 1}]
        with pytest.raises(InputError, match="land line names"):
            Scenario.from_dict(raw, "z.yaml")


class TestZaozhuang:
    @pytest.fixture(scope="class")
    def result(self):
        return Scenario.from_yaml(ZAOZHUANG).run()

    def test_the_line_reproduces_the_seed_170_million_and_balances(self, result):
        (lr,) = result.land()
        assert lr.amount_fen == FEN
        src = result.sources.set_index("channel")["amount_fen"]
        assert int(src[f"other:{lr.line.name}"]) == FEN
        assert result.gap_fen == 0 and result.warnings() == []
        em = result.earmarks()
        assert em is not None and em.status == "balanced" and em.misuse_fen == 0

    def test_the_line_explains_its_arithmetic(self, result):
        note = result.sources.set_index("channel").loc[f"other:{result.land()[0].line.name}"]
        assert "80,000 m² ×（容积率 1.8 − 0.8）" in note["note"]
        assert "× 归入改造比例 80% = 170,000,000.00 元" in note["note"]
        en = result.land()[0].explain("en")
        assert "× floor price 2,500 yuan/m² = 200,000,000.00 yuan" in en

    def test_every_figure_is_assumed_with_a_reason(self, result):
        x = result.scenario.funding.land[0]
        assert x.unsourced() == []
        assert all(f.confidence == "A" and f.reason for _, f in x.figures())
        df = audit_frame(result)
        rows = df[df["rule"].str.startswith(f"land.{x.name}.")]
        assert len(rows) == 6 and set(rows["confidence"]) == {"A"}
        assert (rows["reason"].str.len() > 0).all()

    def test_the_cited_seed_line_holds_the_quoted_figures(self):
        raw = yaml.safe_load(ZAOZHUANG.read_text(encoding="utf-8"))
        line = (SEED / raw["sources"][0]["seed"]).read_text(encoding="utf-8").splitlines()[111]
        for words in ("调增容积率", "改变土地用途", "33处", "1.7亿元"):
            assert words in line

    def test_changing_the_floor_price_opens_a_gap_by_the_hand_computed_amount(self):
        raw = yaml.safe_load(ZAOZHUANG.read_text(encoding="utf-8"))
        raw["funding"]["land"][0]["floor_price"]["value"] = 2000
        r = Scenario.from_dict(raw).run()
        # 80,000 × 1.0 × 2,000 = 160,000,000 + 12,500,000 = 172,500,000 × 0.8 = 138,000,000
        assert r.land()[0].amount_fen == 13_800_000_000
        assert r.gap_fen == FEN - 13_800_000_000


def test_a_bare_number_is_computed_but_flagged():
    raw = yaml.safe_load(ZAOZHUANG.read_text(encoding="utf-8"))
    raw["funding"]["land"][0]["floor_price"] = 2500
    r = Scenario.from_dict(raw).run()
    assert r.land()[0].amount_fen == FEN
    assert any("no source for floor_price" in w for w in r.warnings())
    df = audit_frame(r)
    row = df[df["rule"].str.endswith(".floor_price")].iloc[0]
    assert row["parameter"].endswith(": 楼面地价（元/m²）")
    assert row["confidence"] == "" and row["reason"] == "未注明出处（已标记）"
    en = audit_frame(r, lang="en")
    assert en.loc[en["rule"] == row["rule"], "reason"].tolist() == ["no source given (flagged)"]


def test_cli_run_json_shows_the_line():
    out = CliRunner().invoke(cli_app, ["run", str(ZAOZHUANG), "--format", "json"])
    assert out.exit_code == 0, out.output
    land = json.loads(out.output)["land"][0]
    assert land["amount"] == "170000000.00" and land["added_floor_area_m2"] == "80000"
    assert land["explain_en"].endswith("= 170,000,000.00 yuan")


def test_api_community_answers_the_land_line():
    client = TestClient(create_app(), raise_server_exceptions=False)
    r = client.post("/v1/community", json={"scenario": "zaozhuang_land_value"})
    assert r.status_code == 200, r.text
    body = r.json()
    summary = body["result"]
    assert summary["land"][0]["captured"] == "170000000.00"
    job = CommunityJob.parse({"scenario": {"bundled": "zaozhuang_land_value.yaml"}})
    assert job.summary(job.run())["land"] == summary["land"]


class TestPage:
    @pytest.fixture
    def at(self):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        at.selectbox(key="community_bundled").set_value("zaozhuang_land_value.yaml").run()
        assert not at.exception
        return at

    def _key(self, at, field):
        return f"community_{at.session_state['community_doc']}:land_0_{field}"

    def test_inputs_show_the_figures_and_an_edit_reaches_the_gap(self, at):
        assert at.number_input(key=self._key(at, "floor_price")).value == 2500.0
        shown = [c.value.replace("\\", "") for c in at.caption]  # markdown-escaped on screen
        assert any("= 170,000,000.00 元" in c for c in shown)
        at.number_input(key=self._key(at, "floor_price")).set_value(2000.0).run()
        assert not at.exception
        assert at.metric[2].value == "32,000,000.00 元"  # 170 M − 138 M, as hand-computed
        audit = next(d.value for d in at.dataframe if "confidence" in d.value.columns)
        price = audit[audit["rule"].str.endswith(".floor_price")].iloc[0]
        assert price["value"] == "2000" and price["reason"] == "在页面上输入"  # now the user's
        assert not audit["parameter"].str.contains(r"[a-z]+_[a-z]+").any()  # names, not keys

    def test_english_help_and_labels(self, at):
        at.radio(key="lang").set_value("English").run()
        w = at.number_input(key=self._key(at, "floor_price"))
        assert w.label == "Floor price (yuan/m²)" and "floor area" in w.help
        assert any("captured for the renovation" in c.value for c in at.caption)
        assert not at.exception

    def test_a_scenario_without_land_can_add_a_line(self):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        assert at.metric[2].value == "76,000.00 元"  # fujian_default's gap
        at.toggle(key=f"community_{at.session_state['community_doc']}:land_add").set_value(True)
        at.run()
        assert not at.exception
        # 10,000 m² × (1.5 − 1.0) × 2,000 yuan = 10,000,000.00 × 50% = 5,000,000.00 yuan
        assert f"{at.metric[2].label} {at.metric[2].value}" == "资金结余 4,924,000.00 元"
