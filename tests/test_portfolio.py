"""City portfolios: exact totals, gap-first order, equality with per-community scenarios,
xlsx round trip, the synthetic generator, the plotly figure and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import hypothesis
import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import costshare
from costshare.cli import app
from costshare.community.portfolio import Portfolio, PortfolioResult
from costshare.community.scenario import Scenario
from costshare.errors import InputError
from costshare.money import allocate, to_fen
from costshare.report.charts import portfolio_figure
from costshare.report.portfolio_xlsx import write_portfolio_xlsx
from costshare.scale.synth import YANCHENG_CHANNELS, synthetic_city, synthetic_portfolio
from costshare.yamlio import load_yaml

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
EXAMPLE = ROOT / "portfolios" / "fujian_city_example.yaml"


@pytest.fixture(scope="module")
def yancheng() -> PortfolioResult:
    return synthetic_portfolio(seed=7).run()


@pytest.fixture(scope="module")
def example() -> PortfolioResult:
    return Portfolio.from_file(EXAMPLE).run()


def _scenario_for(row: dict, template: Path) -> Scenario:
    """The community as a stand-alone scenario, built by hand from the row's overrides."""
    d = Scenario.from_yaml(template).to_dict()
    scale = Decimal(repr(row.get("cost_scale", 1.0)))
    fscale = Decimal(repr(row.get("funding_scale", 1.0)))
    for w in d["work_items"]:
        w["cost"] = str((Decimal(str(w["cost"])) * scale).quantize(Decimal("0.01"), ROUND_HALF_UP))
    for k, v in list(d["funding"].items()):
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            d["funding"][k] = str(
                (Decimal(str(v)) * fscale).quantize(Decimal("0.01"), ROUND_HALF_UP)
            )
    for k in ("households", "area_m2"):
        if k in row:
            d["community"][k] = row[k] if k == "households" else str(row[k])
    for k in ("central_subsidy", "social_capital"):
        if k in row:
            d["funding"][k] = row[k]
    if "district_finance" in row:
        d["funding"]["district"] = row["district_finance"]
    for b in ("ratio", "per_household"):
        if f"residents_{b}" in row:
            d["funding"]["residents"] = {b: row[f"residents_{b}"]}
    return Scenario.from_dict(d)


class TestTotals:
    def test_channel_totals_equal_the_sum_of_communities(self, yancheng):
        """Each channel's total is the exact int sum of the communities' amounts."""
        bc = yancheng.by_channel().set_index("key")
        for k in yancheng.sources.columns:
            assert bc.loc[k, "amount_fen"] == int(yancheng.sources[k].sum())

    def test_yancheng_channels_are_exact(self, yancheng):
        """The generator's channels add up to the seed's figures to the fen."""
        bc = yancheng.by_channel().set_index("key")["amount_fen"]
        for k, v in YANCHENG_CHANNELS.items():
            assert bc[k] == to_fen(v)

    def test_city_totals(self, yancheng):
        """City totals: 412 communities, 158,890 households, 17,238,000 m², 574,930,000 yuan."""
        t = yancheng.totals()
        assert t["communities"] == 412
        assert t["households"] == 158_890
        assert t["area_m2"] == Decimal("17238000.00")
        assert t["sources"] == Decimal("574930000.00")
        assert t["uses"] == Decimal("574930000.00")
        assert t["gap"] == Decimal("0.00")
        # 574,930,000 / 158,890 = 3,618.42 (see tests/test_scenarios.py::TestYancheng)
        assert t["uses_per_household"] == Decimal("3618.42")
        assert t["uses_per_m2"] == Decimal("33.35")

    def test_community_rows_balance(self, yancheng):
        """For every community uses = sources + gap, and sources = the sum of its lines."""
        c = yancheng.communities
        assert (c["uses_fen"] == c["sources_fen"] + c["gap_fen"]).all()
        assert (yancheng.sources.sum(axis=1).to_numpy() == c["sources_fen"].to_numpy()).all()
        assert c["uses_fen"].dtype == np.int64

    def test_payer_totals_equal_uses(self, example):
        """Rule obligations (payers + pooled) add up to total uses exactly."""
        assert int(example.by_payer()["amount_fen"].sum()) == int(
            example.communities["uses_fen"].sum()
        )

    def test_by_district_sums(self, yancheng):
        """District sums add back to the city total."""
        d = yancheng.by_district()
        assert int(d["uses_fen"].sum()) == int(yancheng.communities["uses_fen"].sum())
        assert int(d["households"].sum()) == 158_890


class TestGapFirst:
    def test_gap_communities_come_first_largest_first(self, yancheng):
        """Communities with a gap are listed first, largest gap first; the rest in input order."""
        gap = yancheng.communities["gap_fen"].to_numpy()
        k = int((gap > 0).sum())
        assert k > 0
        assert (gap[:k] > 0).all() and (gap[k:] <= 0).all()
        assert (np.diff(gap[:k]) <= 0).all()
        rest = yancheng.communities["id"].iloc[k:].tolist()
        assert rest == sorted(rest)  # ids C0001… are in input order

    def test_small_hand_example(self):
        """Gaps 0, 100, 300 yuan and a surplus → order c (300), b (100), a, d."""
        p = Portfolio.from_frame(
            pd.DataFrame(
                {
                    "id": ["a", "b", "c", "d"],
                    "households": [1, 1, 1, 1],
                    "area_m2": [50, 50, 50, 50],
                    "cost": [1000, 1000, 1000, 1000],
                    "municipal": [1000, 900, 700, 1200],
                }
            )
        )
        r = p.run()
        assert r.communities["id"].tolist() == ["c", "b", "a", "d"]
        assert r.communities["gap_fen"].tolist() == [30000, 10000, 0, -20000]
        assert r.totals()["gap_of_those"] == Decimal("400.00")
        assert r.totals()["gap"] == Decimal("200.00")  # 400 − 200 surplus


class TestTemplates:
    def test_equals_per_community_scenario_runs(self, example):
        """Every community of the example equals the same community run as a Scenario."""
        template = SCENARIOS / "fujian_default.yaml"
        checked = 0
        for row in load_yaml(EXAMPLE)["communities"]:
            if "cost" in row:
                continue  # total-cost rows are checked below
            s = _scenario_for(row, template).run()
            got = example.community(row["id"])
            want = s.table()
            g = got.groupby(["section", "key"])["amount_fen"].sum()
            w = want.groupby(["section", "key"])["amount_fen"].sum()
            pd.testing.assert_series_equal(g, w, check_names=False)
            checked += 1
        assert checked == 5

    def test_total_cost_override_spreads_items_exactly(self, example):
        """FZ04 gives cost 3,100,000: its items add up to it exactly."""
        u = example.uses[example.uses["id"] == "FZ04"]
        assert int(u["amount_fen"].sum()) == to_fen(3_100_000)
        assert len(u) == 11

    def test_utility_rules_apply_per_community(self, example):
        """Fujian's 65/35 telecom split holds in each community to the fen."""
        # FZ02: telecom cabling 640,000 × 0.65 = 416,000 → × 0.65 (rules) = 270,400.00
        cost = Decimal(640_000) * Decimal("0.65")
        assert cost == Decimal(416_000)
        i = example.communities["id"].tolist().index("FZ02")
        tele = example.sources["payer:telecom_operators"].iloc[i]
        assert tele == to_fen(cost * Decimal("0.65"))

    def test_ningbo_fund_topup_template(self):
        """Communities on the Ningbo template pay through the fund; the memo is per community."""
        p = Portfolio.from_frame(
            pd.DataFrame(
                {
                    "id": ["n1", "n2"],
                    "households": [360, 200],
                    "area_m2": [25200, 14000],
                    "fund_balance": [300000, None],
                }
            ),
            template="ningbo_fund_topup.yaml",
            base_dir=SCENARIOS,
        )
        r = p.run()
        memo = r.fund.set_index("id")
        # n2: target 14,000 × 80 × 0.7 = 784,000; contribution 14,000 × 20 = 280,000, all used
        assert memo.loc["n2", "target_fen"] == to_fen(784_000)
        assert memo.loc["n2", "fund_used_fen"] == to_fen(280_000)
        i = r.communities["id"].tolist().index("n2")
        assert r.sources["residents_fund"].iloc[i] == to_fen(280_000)

    def test_missing_template_is_named(self, tmp_path):
        """A template that does not exist is an input error naming the community."""
        p = Portfolio.from_frame(
            pd.DataFrame({"id": ["x"], "template": ["nope.yaml"]}), base_dir=tmp_path
        )
        with pytest.raises(InputError, match="template not found"):
            p.run()


class TestInput:
    def test_unknown_column_is_refused(self):
        """A misspelt column is an error, not silently ignored."""
        with pytest.raises(InputError, match="unknown column"):
            Portfolio.from_frame(pd.DataFrame({"househlds": [1]}))

    def test_negative_money_names_row_and_field(self):
        """A negative amount names the community and the field."""
        df = pd.DataFrame({"id": ["a"], "households": [1], "area_m2": [1], "cost": [-5]})
        with pytest.raises(InputError, match=r"community 'a', field 'cost'"):
            Portfolio.from_frame(df)

    def test_duplicate_ids(self):
        """Duplicate community ids are refused."""
        df = pd.DataFrame(
            {"id": ["a", "a"], "households": [1, 1], "area_m2": [1, 1], "cost": [1, 1]}
        )
        with pytest.raises(InputError, match="duplicate"):
            Portfolio.from_frame(df)

    def test_bare_row_needs_cost(self):
        """Without a template a community must give its total cost."""
        p = Portfolio.from_frame(pd.DataFrame({"id": ["a"], "households": [1], "area_m2": [1]}))
        with pytest.raises(InputError, match="total cost"):
            p.run()

    def test_csv_and_yaml_give_the_same_result(self, tmp_path):
        """The same table read from CSV, XLSX and YAML (with a table path) runs the same."""
        df = synthetic_city(30, households=3000, area_m2=250_000, seed=2)
        df.to_csv(tmp_path / "c.csv", index=False)
        df.to_excel(tmp_path / "c.xlsx", index=False)
        (tmp_path / "p.yaml").write_text("name: t\ncommunities: c.csv\n", encoding="utf-8")
        a = Portfolio.from_file(tmp_path / "c.csv").run()
        b = Portfolio.from_file(tmp_path / "c.xlsx").run()
        c = Portfolio.from_file(tmp_path / "p.yaml").run()
        for other in (b, c):
            pd.testing.assert_frame_equal(a.sources, other.sources)
            assert a.communities["id"].tolist() == other.communities["id"].tolist()

    def test_lazy_export_from_package(self):
        """``costshare.Portfolio`` is the portfolio class."""
        assert costshare.Portfolio is Portfolio


class TestGenerator:
    def test_same_seed_same_city(self):
        """The generator is deterministic for a seed and differs across seeds."""
        a, b = synthetic_city(seed=11), synthetic_city(seed=11)
        pd.testing.assert_frame_equal(a, b)
        assert not synthetic_city(seed=12).equals(a)

    def test_yancheng_shape(self):
        """412 communities, 158,890 households, 17,238,000.00 m², every community ≥ 1 household."""
        df = synthetic_city()
        assert len(df) == 412
        assert int(df["households"].sum()) == 158_890
        assert (df["households"] >= 1).all()
        assert int(np.round(df["area_m2"] * 100).sum()) == 1_723_800_000
        assert df["district"].nunique() > 1


class TestXlsx:
    def test_round_trip(self, yancheng, tmp_path):
        """The workbook reads back with openpyxl: summary totals and channel sheets to the fen."""
        path = write_portfolio_xlsx(yancheng, tmp_path / "city.xlsx")
        wb = openpyxl.load_workbook(path, read_only=True)
        names = wb.sheetnames
        assert names[:2] == ["summary", "communities"]
        assert len(names) == 2 + yancheng.sources.shape[1] + 1 and names[-1] == "audit"
        summary = {r[0]: r[1] for r in wb["summary"].iter_rows(values_only=True) if r and r[0]}
        assert to_fen(summary["uses"]) == int(yancheng.communities["uses_fen"].sum())
        assert summary["communities"] == 412
        for sheet, key in zip(names[2:-1], yancheng.sources.columns, strict=True):
            rows = list(wb[sheet].iter_rows(values_only=True))
            assert rows[0][1] == key
            body = [r for r in rows[2:] if r[0] != "total"]
            assert sum(to_fen(r[4]) for r in body) == int(yancheng.sources[key].sum())
            assert to_fen(rows[-1][4]) == int(yancheng.sources[key].sum())
        comm = list(wb["communities"].iter_rows(values_only=True))
        assert len(comm) == 413
        assert [r[0] for r in comm[1:]] == yancheng.communities["id"].tolist()

    def test_formula_text_is_escaped(self, tmp_path):
        """A community named like a formula is written as text with a leading quote."""
        p = Portfolio.from_frame(
            pd.DataFrame(
                {
                    "id": ["a"],
                    "name": ["=HYPERLINK(1)"],
                    "households": [1],
                    "area_m2": [1],
                    "cost": [1],
                }
            )
        )
        path = write_portfolio_xlsx(p.run(), tmp_path / "x.xlsx")
        ws = openpyxl.load_workbook(path)["communities"]
        assert ws["B2"].value == "'=HYPERLINK(1)"
        assert ws["B2"].data_type == "s"

    def test_atomic_write_leaves_no_partial_file(self, yancheng, tmp_path, monkeypatch):
        """If writing fails, the target is not created and no temp file is left behind."""
        import xlsxwriter

        def boom(self):
            raise RuntimeError("disk full")

        monkeypatch.setattr(xlsxwriter.Workbook, "close", boom)
        with pytest.raises(RuntimeError):
            write_portfolio_xlsx(yancheng, tmp_path / "x.xlsx")
        assert list(tmp_path.iterdir()) == []


class TestFigure:
    def test_stacked_by_channel_per_district(self, yancheng):
        """One bar series per channel plus the gap, stacked, one x per district."""
        fig = portfolio_figure(yancheng)
        assert fig.layout.barmode == "stack"
        names = [t.name for t in fig.data]
        assert names[: yancheng.sources.shape[1]] == list(yancheng.labels.values())
        assert names[-1] == "资金缺口"
        total = sum(float(np.sum(t.y)) for t in fig.data[:-1])
        assert round(total, 4) == 57_493.0  # 万元

    def test_by_community(self, yancheng):
        """by='community' shows the first `top` communities, gap first."""
        fig = portfolio_figure(yancheng, by="community", top=10)
        assert list(fig.data[0].x) == yancheng.communities["id"].head(10).tolist()


class TestCli:
    def test_table(self):
        """`costshare portfolio FILE` prints totals, channels, payers and communities."""
        res = CliRunner().invoke(app, ["portfolio", str(EXAMPLE), "--no-progress"])
        assert res.exit_code == 0, res.output
        assert "By funding channel" in res.output
        assert "FZ03" in res.output

    def test_json_and_xlsx(self, tmp_path):
        """--format json prints parseable totals; -o writes the workbook."""
        out = tmp_path / "p.xlsx"
        res = CliRunner().invoke(
            app, ["portfolio", str(EXAMPLE), "--format", "json", "-o", str(out), "--no-progress"]
        )
        assert res.exit_code == 0, res.output
        data = json.loads(res.stdout)
        assert data["totals"]["communities"] == 6
        assert out.exists()

    def test_one_community(self):
        """--community shows one community's lines; as JSON they equal its scenario's."""
        args = ["portfolio", str(EXAMPLE), "--community", "FZ01", "--no-progress"]
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 0, res.output
        assert "资金缺口 funding gap" in res.stdout
        res = CliRunner().invoke(app, [*args, "--format", "json"])
        lines = json.loads(res.stdout)["sources_and_uses"]
        row = next(r for r in load_yaml(EXAMPLE)["communities"] if r["id"] == "FZ01")
        want = _scenario_for(row, SCENARIOS / "fujian_default.yaml").run().to_dict()
        assert lines == want["sources_and_uses"]

    def test_csv_with_progress(self, tmp_path, monkeypatch):
        """CSV goes to stdout; the progress bar goes to stderr, in the chosen words."""
        monkeypatch.setenv("COSTSHARE_LANG", "en")
        synthetic_city(50, households=5000, area_m2=400_000, seed=1).to_csv(
            tmp_path / "c.csv", index=False
        )
        res = CliRunner().invoke(
            app, ["portfolio", str(tmp_path / "c.csv"), "--format", "csv", "--progress"]
        )
        assert res.exit_code == 0, res.output
        lines = res.stdout.strip().splitlines()
        assert len(lines) == 51
        assert "Adding up the city" in res.stderr and "100%" in res.stderr
        assert "Adding up" not in res.stdout

    def test_output_must_be_xlsx(self, tmp_path):
        """-o with another suffix is refused."""
        res = CliRunner().invoke(app, ["portfolio", str(EXAMPLE), "-o", str(tmp_path / "x.csv")])
        assert res.exit_code != 0


class TestSpeed:
    def test_yancheng_scale_under_two_seconds(self, tmp_path):
        """Generate, run and write a Yancheng-scale city in under 2 s (generous on CI)."""
        import time

        t0 = time.perf_counter()
        r = synthetic_portfolio().run()
        write_portfolio_xlsx(r, tmp_path / "y.xlsx")
        assert time.perf_counter() - t0 < 2.0


# --------------------------------------------------------------------------- one engine
DAY = dt.date(2024, 6, 30)
TEMPLATES = {
    "fujian": SCENARIOS / "fujian_default.yaml",
    "ningbo": SCENARIOS / "ningbo_fund_topup.yaml",
}
_RES = ("ratio", "per_household", "per_m2", "amount")


def _dec(x) -> Decimal:
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(str(x))


def _half_up_fen(yuan: Decimal) -> int:
    return int((yuan * 100).quantize(Decimal(1), ROUND_HALF_UP))


def _scenario_of_row(row: dict) -> Scenario:
    """The community of a portfolio row as a stand-alone scenario, built by hand."""
    tpl = row.get("template")
    if tpl is None:
        d = {
            "name": row["id"],
            "community": {"name": row["id"], "jurisdiction": "national"},
            "rules_date": DAY.isoformat(),
            "work_items": [{"item": "改造工程", "category": "general", "cost": row["cost"]}],
            "funding": {},
        }
    else:
        d = Scenario.from_yaml(TEMPLATES[tpl]).to_dict()
        scale = _dec(row.get("cost_scale", 1))
        costs = [_half_up_fen(_dec(w["cost"]) * scale) for w in d["work_items"]]
        if "cost" in row:
            costs = allocate(to_fen(row["cost"]), [to_fen(w["cost"]) for w in d["work_items"]])
        for w, fen in zip(d["work_items"], costs, strict=True):
            w["cost"] = str(Decimal(int(fen)) / 100)
        fscale = _dec(row.get("funding_scale", 1))
        f = d["funding"]
        for k, v in list(f.items()):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                f[k] = str(Decimal(_half_up_fen(_dec(v) * fscale)) / 100)
        for o in f.get("other", []):
            o["amount"] = str(Decimal(_half_up_fen(_dec(o["amount"]) * fscale)) / 100)
        if "fund_balance" in row:
            f["fund_topup"]["existing_balance"] = row["fund_balance"]
    for k in ("households", "area_m2"):
        if k in row:
            d["community"][k] = row[k] if k == "households" else str(_dec(row[k]))
    for k in ("central_subsidy", "municipal", "district_finance"):
        if k in row:
            d["funding"]["district" if k == "district_finance" else k] = row[k]
    for b in _RES:
        if f"residents_{b}" in row:
            d["funding"]["residents"] = {b: row[f"residents_{b}"]}
    if "other:专营单位出资" in row:
        d["funding"].setdefault("other", []).append(
            {"name": "专营单位出资", "amount": row["other:专营单位出资"]}
        )
    return Scenario.from_dict(d)


def _decimal(lo: int, hi: int, places: int):
    return st.integers(lo * 10**places, hi * 10**places).map(
        lambda v: float(Decimal(v).scaleb(-places))
    )


@st.composite
def _rows(draw) -> list[dict]:
    rows = []
    for i in range(draw(st.integers(1, 4))):
        tpl = draw(st.sampled_from([None, "fujian", "ningbo"]))
        row: dict = {"id": f"c{i}", "households": draw(st.integers(1, 3000))}
        row["area_m2"] = draw(_decimal(10, 90_000, 2))
        if tpl is None:
            row["cost"] = draw(_decimal(0, 50_000_000, 2))
        else:
            row["template"] = tpl
            if draw(st.booleans()):
                row["cost_scale"] = draw(_decimal(0, 3, 3))
            elif draw(st.booleans()):
                row["cost"] = draw(_decimal(1, 30_000_000, 2))
            if draw(st.booleans()):
                row["funding_scale"] = draw(_decimal(0, 3, 2))
            if tpl == "ningbo" and draw(st.booleans()):
                row["fund_balance"] = draw(_decimal(0, 2_000_000, 2))
        for k in ("central_subsidy", "municipal", "district_finance"):
            if draw(st.booleans()):
                row[k] = draw(_decimal(0, 5_000_000, 2))
        if draw(st.booleans()):
            row["other:专营单位出资"] = draw(_decimal(0, 1_000_000, 2))
        basis = draw(st.sampled_from([None, *_RES]))
        if basis is not None:
            hi = {"ratio": 1, "per_household": 5_000, "per_m2": 200, "amount": 3_000_000}[basis]
            row[f"residents_{basis}"] = draw(_decimal(0, hi, 3 if basis == "ratio" else 2))
        rows.append(row)
    return rows


NINGBO_THREE = [
    {"id": i, "template": "ningbo", "households": h, "area_m2": a, "residents_per_m2": 20.03}
    for i, h, a in (("a", 360, 25200.37), ("b", 101, 7001.13), ("c", 77, 5003.71))
]


class TestOneEngine:
    """A community in a portfolio equals its own Scenario run, to the fen."""

    @hypothesis.example(rows=NINGBO_THREE)
    @given(rows=_rows())
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_each_community_equals_its_scenario(self, rows):
        """All source lines (labels and notes), the gap and the fund memo agree."""
        table = pd.DataFrame(
            [
                {**r, "template": TEMPLATES[r["template"]].name} if "template" in r else r
                for r in rows
            ]
        )
        r = Portfolio.from_frame(table, base_dir=SCENARIOS, date=DAY).run()
        cols = ["section", "line", "key", "amount_fen", "note"]
        for row in rows:
            alone = _scenario_of_row(row).run()
            got = r.community(row["id"])[cols].reset_index(drop=True)
            pd.testing.assert_frame_equal(got, alone.table()[cols].reset_index(drop=True))
            assert r.community_fund(row["id"]) == alone.fund
            as_json, want = r.community_dict(row["id"]), alone.to_dict()
            assert as_json["sources_and_uses"] == want["sources_and_uses"]
            assert as_json["fund"] == want["fund"]
            i = r.communities["id"].tolist().index(row["id"])
            assert r.communities["gap_fen"].iloc[i] == alone.gap_fen

    def test_ningbo_three_by_hand(self):
        """Community c: 5,003.71 m² × 20.03 = 100,224.3113 → 100,224.31 yuan, all from the fund;
        subsidy 50% = 50,112.155 → 50,112.16 yuan (5,011,216 fen), in the portfolio as alone."""
        table = pd.DataFrame([{**r, "template": "ningbo_fund_topup.yaml"} for r in NINGBO_THREE])
        r = Portfolio.from_frame(table, base_dir=SCENARIOS, date=DAY).run()
        memo = r.community_fund("c")
        assert memo["fund_used_fen"] == 10_022_431
        assert memo["subsidy_fen"] == 5_011_216
        assert _scenario_of_row(NINGBO_THREE[2]).run().fund["subsidy_fen"] == 5_011_216

    def test_fund_memo_in_table_json_and_xlsx(self, tmp_path):
        """The portfolio's outputs carry the fund top-up and subsidy of each community."""
        table = pd.DataFrame([{**r, "template": "ningbo_fund_topup.yaml"} for r in NINGBO_THREE])
        r = Portfolio.from_frame(table, base_dir=SCENARIOS, date=DAY).run()
        wide = r.wide().set_index("id")
        assert to_fen(wide.loc["c", "财政补贴 fund subsidy"]) == 5_011_216
        data = r.to_dict()
        c = next(x for x in data["communities"] if x["id"] == "c")
        assert c["财政补贴 fund subsidy"] == "50112.16"
        path = write_portfolio_xlsx(r, tmp_path / "n.xlsx")
        wb = openpyxl.load_workbook(path, read_only=True)
        rows = list(wb["fund"].iter_rows(values_only=True))
        head = list(rows[0])
        got = {row[0]: row for row in rows[1:]}
        assert to_fen(got["c"][head.index("财政补贴 fund subsidy")]) == 5_011_216


class TestDistrictAndDates:
    def test_by_district_with_district_funding(self, example):
        """The bundled example funds districts: by_district sums them per district."""
        d = example.by_district().set_index("district")
        c = example.communities
        assert int(d["uses_fen"].sum()) == int(c["uses_fen"].sum())
        assert int(d["district_finance"].sum()) == int(example.sources["district"].sum())
        gulou = c["district"] == "鼓楼区"
        want = int(example.sources["district"][gulou.to_numpy()].sum())
        assert d.loc["鼓楼区", "district_finance"] == want

    def test_bare_rows_use_the_portfolio_date(self, tmp_path):
        """A ``date`` header sets the rules of rows without a template."""
        text = (
            "name: t\ndate: 2019-01-01\ncommunities:\n  - {households: 1, area_m2: 50, cost: 1}\n"
        )
        (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
        r = Portfolio.from_file(tmp_path / "p.yaml").run()
        assert r.communities["rules_date"].tolist() == ["2019-01-01"]

    def test_cli_date_option(self, tmp_path):
        """`costshare portfolio --date` sets the rules' date of rows without a template."""
        text = "name: t\nrules_date: 2019-01-01\ncommunities:\n  - {households: 1, area_m2: 50, cost: 1}\n"
        (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
        assert Portfolio.from_file(tmp_path / "p.yaml").date == dt.date(2019, 1, 1)
        args = ["portfolio", str(tmp_path / "p.yaml"), "--date", "2020-05-01", "--no-progress"]
        res = CliRunner().invoke(app, [*args, "--format", "json"])
        assert res.exit_code == 0, res.output
        rules_used = json.loads(res.stdout)["rules"]
        assert rules_used == [{"jurisdiction": "national", "rules_date": "2020-05-01"}]

    def test_templates_use_their_own_date(self):
        """A template runs under the rules of its own rules_date, not the portfolio's."""
        table = pd.DataFrame([{"id": "n", "template": "ningbo_fund_topup.yaml"}])
        r = Portfolio.from_frame(table, base_dir=SCENARIOS, date=dt.date(2019, 1, 1)).run()
        assert r.communities["rules_date"].tolist() == ["2024-06-30"]
