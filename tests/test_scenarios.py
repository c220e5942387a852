"""The scenarios in ``scenarios/``: each loads, runs, cites its seed, and reproduces the
headline figures of its document.

Every expected number below is worked out by hand from the seed text, with the arithmetic
written next to it (Decimal, never the code under test).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from costshare.community.scenario import Scenario
from costshare.kinds import kind_of
from costshare.money import allocate, to_fen
from costshare.ppp import PPPProject, simulate
from costshare.yamlio import load_yaml

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
SEEDS = ROOT.parent / "shared" / "seeds"
Q = Decimal("0.01")


def _files() -> list[Path]:
    # PPP-format scenarios live in scenarios/ppp/ so that pages listing community
    # scenarios (scenarios/*.yaml) do not pick them up
    return sorted(SCENARIOS.glob("*.yaml")) + sorted(SCENARIOS.glob("ppp/*.yaml"))


def _cited() -> list[Path]:
    """The scenarios built from the seed documents (every community scenario, and the PPP
    case studies; a generic PPP example is not a document case)."""
    return [
        p for p in _files() if _is_community_scenario(p) or p.name == "chongqing_jiulongpo.yaml"
    ]


def _is_community_scenario(path: Path) -> bool:
    return kind_of(load_yaml(path, keep_kind=True), path.name) == "community"


def _run(name: str):
    return Scenario.from_yaml(SCENARIOS / name).run()


def _line(result, key: str, line: str | None = None) -> Decimal:
    t = result.table()
    rows = t[(t["section"] == "sources") & (t["key"] == key)]
    if line is not None:
        rows = rows[rows["line"] == line]
    assert len(rows) == 1, f"expected one source line {key!r} {line or ''}"
    return rows["amount"].iloc[0]


class TestEveryScenario:
    @pytest.mark.parametrize(
        "path", [p for p in _files() if _is_community_scenario(p)], ids=lambda p: p.name
    )
    def test_loads_runs_and_balances_to_the_fen(self, path: Path):
        """Every community scenario runs and uses = sources + gap exactly."""
        r = Scenario.from_yaml(path).run()
        assert r.uses_fen == r.sources_fen + r.gap_fen
        assert r.uses_fen > 0

    @pytest.mark.parametrize(
        "path", [p for p in _files() if not _is_community_scenario(p)], ids=lambda p: p.name
    )
    def test_ppp_scenarios_load(self, path: Path):
        """Every PPP-format scenario validates against the PPP model."""
        assert PPPProject.from_yaml(path).name

    @pytest.mark.parametrize("path", _cited(), ids=lambda p: p.name)
    def test_cites_a_seed_file_that_exists(self, path: Path):
        """Every scenario from the documents names its seed file(s) and a passage."""
        raw = load_yaml(path)
        if not _is_community_scenario(path):  # PPP format: no extra keys, cited in comments
            text = path.read_text(encoding="utf-8")
            assert "SOURCE" in text
            assert "seed 002_8a0447c565a51b86.txt" in text
            return
        assert raw.get("sources"), "no sources"
        for s in raw["sources"]:
            assert s["passage"].strip()
            if SEEDS.exists():
                assert (SEEDS / s["seed"]).exists(), s["seed"]

    @pytest.mark.parametrize("path", _cited(), ids=lambda p: p.name)
    def test_lists_its_assumptions(self, path: Path):
        """Figures not in the documents are listed under assumptions, each with a note."""
        raw = load_yaml(path)
        if not _is_community_scenario(path):
            assert "ASSUMPTIONS" in path.read_text(encoding="utf-8")
            return
        assert raw.get("assumptions")
        assert all(a["note"].strip() for a in raw["assumptions"])

    def test_the_required_scenarios_are_there(self):
        """The scenarios issue 7 asks for (PPP Chongqing aside) are present."""
        names = {p.name for p in _files()}
        assert {
            "fujian_default.yaml",
            "ningbo_fund_topup.yaml",
            "zaozhuang.yaml",
            "tongchuan.yaml",
            "yancheng_2019_2022.yaml",
        } <= names
        assert (SCENARIOS / "ppp" / "chongqing_jiulongpo.yaml").exists()


class TestNingbo:
    """Seed 002 line 107: top up to 60–80% of the new-build standard, use at once, 50% subsidy."""

    def test_fund_memo(self):
        """Top-up, use and subsidy as worked out by hand."""
        r = _run("ningbo_fund_topup.yaml")
        # target = 25,200 m² × 80 yuan/m² × 0.7 = 1,411,200.00
        target = Decimal(25200) * Decimal(80) * Decimal("0.7")
        assert target == Decimal("1411200.0")
        # top-up = target − existing balance 300,000 = 1,111,200.00
        topup = target - Decimal(300000)
        # residents' contribution = 25,200 m² × 20 yuan/m² = 504,000.00, all paid from the fund
        # (balance after top-up 1,411,200 ≥ 504,000)
        used = Decimal(25200) * Decimal(20)
        # subsidy = 50% × 504,000 = 252,000.00, refilling the fund
        subsidy = used * Decimal("0.5")
        # fund after = 1,411,200 − 504,000 + 252,000 = 1,159,200.00
        after = target - used + subsidy
        assert (topup, used, subsidy, after) == (
            Decimal(1111200),
            Decimal(504000),
            Decimal(252000),
            Decimal(1159200),
        )
        assert r.fund["target_fen"] == to_fen(target)
        assert r.fund["topup_fen"] == to_fen(topup)
        assert r.fund["fund_used_fen"] == to_fen(used)
        assert r.fund["subsidy_fen"] == to_fen(subsidy)
        assert r.fund["fund_after_fen"] == to_fen(after)
        assert r.fund["cash_fen"] == 0

    def test_sources_and_uses(self):
        """The contribution is paid through the fund and the plan balances."""
        r = _run("ningbo_fund_topup.yaml")
        # uses = 1,200,000 + 1,500,000 + 800,000 + 300,000 = 3,800,000
        assert r.uses_fen == to_fen(3_800_000)
        # sources = 2,000,000 + 648,000 + 648,000 + 504,000 (fund) = 3,800,000
        assert _line(r, "residents_fund") == Decimal("504000.00")
        assert r.sources_fen == to_fen(2_000_000 + 648_000 + 648_000 + 504_000)
        assert r.gap_fen == 0
        # residents per household = 504,000 / 360 = 1,400.00
        assert r.indicators()["residents_per_household"] == Decimal("1400.00")

    def test_ratio_outside_ningbo_range_is_refused(self):
        """A top-up ratio of 0.9 is outside Ningbo's 60%–80% and is an input error."""
        d = Scenario.from_yaml(SCENARIOS / "ningbo_fund_topup.yaml").to_dict()
        d["funding"]["fund_topup"]["ratio"] = 0.9
        with pytest.raises(ValueError, match="outside"):
            Scenario.from_dict(d).run()


class TestZaozhuang:
    """Seed 002 line 112: utilities 1.53亿元 over 56 communities; social capital 1.7亿元."""

    def test_headline_figures(self):
        """Utilities 153,000,000 and social capital 170,000,000: 323,000,000 in all."""
        r = _run("zaozhuang.yaml")
        assert _line(r, "payer:utility_enterprises") == Decimal("153000000.00")
        assert _line(r, "social_capital") == Decimal("170000000.00")
        # 1.53亿 + 1.7亿 = 3.23亿
        assert r.uses_fen == r.sources_fen == to_fen(Decimal("153000000") + Decimal("170000000"))
        assert r.gap_fen == 0

    def test_utilities_share_and_per_community_average(self):
        """Utilities pay 153/323 = 47.37% of the total; 153,000,000 / 56 = 2,732,142.86 each."""
        r = _run("zaozhuang.yaml")
        share = (Decimal(153) / Decimal(323) * 100).quantize(Q, ROUND_HALF_UP)
        assert share == Decimal("47.37")
        assert r.obligations()["utility_enterprises"] == Decimal("153000000.00")
        # 56 × 2,732,142 = 152,999,952; remainder 48 yuan → average 2,732,142.857… → .86
        avg = (Decimal(153_000_000) / 56).quantize(Q, ROUND_HALF_UP)
        assert avg == Decimal("2732142.86")
        # split exactly: 56 × 273,214,285 fen = 15,299,999,960; 40 fen left → 40 get one more
        per = allocate(to_fen(153_000_000), [1] * 56)
        assert int(per.sum()) == 15_300_000_000
        assert sorted(set(per.tolist())) == [273_214_285, 273_214_286]
        assert int((per == 273_214_286).sum()) == 40

    def test_per_household_indicator_on_the_assumed_households(self):
        """323,000,000 / 9,912 assumed households = 32,586.76 yuan."""
        r = _run("zaozhuang.yaml")
        # 9,912 × 32,586 = 322,992,432; remainder 7,568 / 9,912 = 0.7635 → 32,586.76
        assert r.indicators()["uses_per_household"] == Decimal("32586.76")


class TestTongchuan:
    """Seed 002 line 119: 2787万元 energy-retrofit subsidy, 22 communities, used with central money."""

    def test_line_department_funds(self):
        """The bundled line-department money is 27,870,000.00 yuan."""
        r = _run("tongchuan.yaml")
        assert _line(r, "line_department") == Decimal("27870000.00")
        assert r.gap_fen == 0

    def test_per_community_share(self):
        """27,870,000 / 22 = 1,266,818.18…: 18 communities get .18 and 4 get .19."""
        # 2,787,000,000 fen / 22 = 126,681,818 rem 4 (22 × 126,681,818 = 2,786,999,996)
        per = allocate(to_fen(27_870_000), [1] * 22)
        assert int(per.sum()) == 2_787_000_000
        assert int((per == 126_681_818).sum()) == 18
        assert int((per == 126_681_819).sum()) == 4
        assert (Decimal(27_870_000) / 22).quantize(Q, ROUND_HALF_UP) == Decimal("1266818.18")

    def test_share_of_line_department_money(self):
        """27.87 / (27.87 + 33.00 assumed) = 45.79% of the programme."""
        r = _run("tongchuan.yaml")
        got = (Decimal(to_fen(_line(r, "line_department"))) / r.uses_fen * 100).quantize(
            Q, ROUND_HALF_UP
        )
        assert got == (Decimal("27.87") / Decimal("60.87") * 100).quantize(Q, ROUND_HALF_UP)
        assert got == Decimal("45.79")


class TestYancheng:
    """Seed 003: 412 communities, 1723.8万 m², 15.889万户; four documented channels."""

    def test_documented_channels(self):
        """1173万 + 1.86亿 + 6720万 + 3.1亿 = 574,930,000 yuan."""
        r = _run("yancheng_2019_2022.yaml")
        assert _line(r, "other:住宅专项维修资金、小区公共收益") == Decimal("11730000.00")
        assert _line(r, "other:通信、广电、供电等渠道争取资金") == Decimal("186000000.00")
        assert _line(r, "social_capital") == Decimal("67200000.00")
        assert _line(r, "municipal") == Decimal("310000000.00")
        # 11.73 + 186 + 67.2 + 310 = 574.93 million
        total = Decimal("11.73") + Decimal(186) + Decimal("67.2") + Decimal(310)
        assert total == Decimal("574.93")
        assert r.sources_fen == to_fen(total * 1_000_000)

    def test_size(self):
        """The community record carries the programme's size from the seed."""
        c = Scenario.from_yaml(SCENARIOS / "yancheng_2019_2022.yaml").community
        assert (c.households, c.area_m2) == (158_890, Decimal(17_238_000))

    def test_per_household_and_per_m2(self):
        """574,930,000 / 158,890 = 3,618.42 per household; / 17,238,000 m² = 33.35 per m²."""
        ind = _run("yancheng_2019_2022.yaml").indicators()
        # 158,890 × 3,618 = 574,864,020; remainder 65,980 / 158,890 = 0.4153 → 3,618.42
        assert Decimal(158_890) * 3618 == Decimal(574_864_020)
        per_hh = (Decimal(574_930_000) / Decimal(158_890)).quantize(Q, ROUND_HALF_UP)
        assert per_hh == Decimal("3618.42")
        # 17,238,000 × 33 = 568,854,000; remainder 6,076,000 / 17,238,000 = 0.3525 → 33.35
        assert Decimal(17_238_000) * 33 == Decimal(568_854_000)
        per_m2 = (Decimal(574_930_000) / Decimal(17_238_000)).quantize(Q, ROUND_HALF_UP)
        assert per_m2 == Decimal("33.35")
        assert ind["uses_per_household"] == per_hh
        assert ind["uses_per_m2"] == per_m2

    def test_municipal_share(self):
        """Municipal special funds are 310 / 574.93 = 53.92% of the documented money."""
        r = _run("yancheng_2019_2022.yaml")
        got = (Decimal(to_fen(_line(r, "municipal"))) / r.sources_fen * 100).quantize(
            Q, ROUND_HALF_UP
        )
        assert got == Decimal("53.92")


class TestChongqingJiulongpo:
    """Seed 002 line 114: a PPP with a 2.8亿 bank loan, facility income and a viability gap."""

    @pytest.fixture
    def project(self):
        return PPPProject.from_yaml(SCENARIOS / "ppp" / "chongqing_jiulongpo.yaml")

    def test_bank_loan_is_280_million(self, project):
        """Debt = cost × (1 − capital share) = 350,000,000 × 0.8 = 280,000,000 (2.8亿)."""
        cost = Decimal(project.construction.cost)
        debt = cost * (1 - Decimal(repr(project.financing.equity_share)))
        # 350,000,000 × 0.8 = 280,000,000
        assert cost == Decimal(350_000_000)
        assert debt == Decimal(280_000_000)

    def test_payback_sources_from_the_document(self, project):
        """Revenue streams are the seed's list, with a viability-gap subsidy (21号, legacy)."""
        names = {r.name for r in project.revenues}
        assert names == {"养老托育医疗设施", "停车位", "充电桩", "农贸市场", "公有房屋", "广告位"}
        assert all(r.kind == "user_payment" for r in project.revenues)
        assert project.subsidy.kind == "viability_gap"
        assert project.regime == "legacy_21"
        assert project.operating_years == 18

    def test_loan_drawn_and_repaid_in_the_cash_flows(self, project):
        """The engine draws 280M as 60% / 40% (168M, 112M by hand) and repays all of it."""
        f = simulate(project)
        # 280,000,000 × 0.6 = 168,000,000; × 0.4 = 112,000,000 (in fen ×100)
        assert f.loan_draw[0][:2].tolist() == [16_800_000_000, 11_200_000_000]
        assert int(f.loan_draw.sum()) == int(f.principal.sum()) == 28_000_000_000
        assert int(f.capex.sum()) == 35_000_000_000
        assert (f.subsidy[0][:2] == 0).all()  # no subsidy in the construction years
