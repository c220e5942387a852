"""Library functions behind the community, compare and city pages, worked out by hand.

``report.csv.csv_bytes`` (the one CSV-with-BOM writer), ``paths.inside``,
``community.portfolio_upload.read_portfolio`` (a portfolio from file bytes, confined for
uploads), ``report._portfolio_xlsx.portfolio_xlsx_bytes`` and the portfolio chart data
``report.charts.portfolio_bars`` / ``portfolio_figure``.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from costshare.community.portfolio import Portfolio
from costshare.community.portfolio_upload import read_portfolio
from costshare.community.scenario import Scenario, default_scenario_path
from costshare.errors import InputError
from costshare.paths import inside
from costshare.report.charts import comparison_table, portfolio_bars, portfolio_figure
from costshare.report.csv import csv_bytes
from costshare.report.portfolio_xlsx import portfolio_xlsx_bytes, write_portfolio_xlsx

ROOT = Path(__file__).resolve().parent.parent
PORTFOLIOS = ROOT / "portfolios"
FUJIAN_CITY = PORTFOLIOS / "fujian_city_example.yaml"

# Three communities, two districts, district finance keyed "district" (the old collision).
#        cost     municipal  district_finance  sources  gap
# a 甲   100.00     60.00        30.00          90.00   +10.00
# b 乙   200.00    150.00        70.00         220.00   -20.00 (surplus)
# c 甲   300.00    100.00       150.00         250.00   +50.00
# by district: 甲 municipal 160.00, district 180.00, positive gaps 60.00;
#              乙 municipal 150.00, district 70.00, positive gaps 0.
CITY = pd.DataFrame(
    {
        "id": ["a", "b", "c"],
        "district": ["甲", "乙", "甲"],
        "households": [10, 20, 30],
        "area_m2": [700, 1400, 2100],
        "cost": ["100", "200", "300"],
        "municipal": [60, 150, 100],
        "district_finance": [30, 70, 150],
    }
)


@pytest.fixture(scope="module")
def city():
    return Portfolio.from_frame(CITY, name="city").run()


class TestCsvBytes:
    def test_bom_escaping_and_exact_decimals(self):
        """BOM first, no index, formulas escaped in cells and headers, Decimals as typed."""
        frame = pd.DataFrame({"=名称": ["@x", "甲"], "amount": [Decimal("0.10"), Decimal("-5")]})
        data = csv_bytes(frame)
        assert data.startswith(b"\xef\xbb\xbf")
        assert data.decode("utf-8-sig").splitlines() == ["'=名称,amount", "'@x,0.10", "甲,-5"]

    def test_reads_back(self, city):
        """The portfolio's wide table survives a round trip (ids, households, yuan)."""
        back = pd.read_csv(io.BytesIO(csv_bytes(city.wide())), encoding="utf-8-sig")
        assert back["id"].tolist() == city.communities["id"].tolist()
        assert back["gap"].tolist() == [50.0, 10.0, -20.0]


class TestInside:
    def test_dotdot_and_prefix(self, tmp_path):
        """``..`` is resolved and a folder whose name merely starts alike is not inside."""
        (tmp_path / "app" / "p").mkdir(parents=True)
        assert inside(tmp_path / "app" / "p" / "x.yaml", tmp_path / "app")
        assert inside(tmp_path / "app", tmp_path / "app")
        assert not inside(tmp_path / "app" / "p" / ".." / ".." / "x", tmp_path / "app")
        assert not inside(tmp_path / "application", tmp_path / "app")

    def test_symlink_out_is_outside(self, tmp_path):
        """A link inside the folder that points outside it is outside."""
        (tmp_path / "app").mkdir()
        (tmp_path / "secret").mkdir()
        (tmp_path / "app" / "link").symlink_to(tmp_path / "secret")
        assert not inside(tmp_path / "app" / "link" / "x", tmp_path / "app")


class TestReadPortfolio:
    def test_bundled_yaml_bytes_equal_the_file(self):
        """The bundled portfolio read from bytes gives the same result as from its file."""
        a = read_portfolio(FUJIAN_CITY.name, FUJIAN_CITY.read_bytes(), base_dir=PORTFOLIOS).run()
        b = Portfolio.from_file(FUJIAN_CITY).run()
        assert a.totals() == b.totals()
        pd.testing.assert_frame_equal(a.sources, b.sources)

    @pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
    def test_table_bytes_equal_the_file(self, tmp_path, city, suffix):
        """CSV and XLSX bytes read like the same file on disk (no temp file needed)."""
        path = tmp_path / f"city{suffix}"
        if suffix == ".csv":
            CITY.to_csv(path, index=False)
        else:
            CITY.to_excel(path, index=False)
        got = read_portfolio(path.name, path.read_bytes(), base_dir=tmp_path).run()
        pd.testing.assert_frame_equal(got.sources, Portfolio.from_file(path).run().sources)
        assert got.totals()["gap"] == Decimal("40.00")

    def test_upload_confined(self):
        """An upload may not name a table file or a template outside the app's folders."""
        table = b"name: x\ncommunities: /etc/passwd\n"
        with pytest.raises(InputError, match="inline") as exc:
            read_portfolio("p.yaml", table, base_dir=PORTFOLIOS, confine_to=ROOT)
        assert exc.value.problems[0].field == "communities"
        rows = b"communities:\n  - {id: a, households: 5, area_m2: 300}\n"
        for tpl in (b"../../../etc/x.yaml", b"/etc/x.yaml"):
            with pytest.raises(InputError, match="outside"):
                read_portfolio("p.yaml", b"template: " + tpl + b"\n" + rows,
                               base_dir=PORTFOLIOS, confine_to=ROOT)  # fmt: skip
        ok = b"template: ../scenarios/fujian_default.yaml\n" + rows
        p = read_portfolio("p.yaml", ok, base_dir=PORTFOLIOS, confine_to=ROOT)
        assert len(p.run()) == 1

    def test_bad_bytes(self):
        """Unknown suffix, non-UTF-8 YAML and a broken workbook are named input errors."""
        with pytest.raises(InputError, match="unsupported file type '.txt'"):
            read_portfolio("p.txt", b"x", base_dir=".")
        with pytest.raises(InputError, match="UTF-8"):
            read_portfolio("p.yaml", "名称: x".encode("gb18030"), base_dir=".")
        with pytest.raises(InputError, match="xlsx") as exc:
            read_portfolio("p.xlsx", b"not a zip", base_dir=".")
        assert exc.value.problems[0].file == "p.xlsx"


class TestPortfolioXlsxBytes:
    def test_same_workbook_as_the_file(self, tmp_path, city):
        """The bytes and the written file hold the same sheets and cells."""
        path = write_portfolio_xlsx(city, tmp_path / "c.xlsx")
        a = openpyxl.load_workbook(io.BytesIO(portfolio_xlsx_bytes(city)))
        b = openpyxl.load_workbook(path)
        assert a.sheetnames == b.sheetnames
        for name in a.sheetnames:
            assert list(a[name].values) == list(b[name].values)


class TestPortfolioBars:
    def test_by_district_by_hand(self, city):
        """Sums per district (see the table above); a surplus does not fill another gap."""
        bars = portfolio_bars(city)
        assert bars.index.tolist() == ["乙", "甲"]
        assert bars.loc["甲", ["municipal", "district", "gap_fen"]].tolist() == [16000, 18000, 6000]
        assert bars.loc["乙", ["municipal", "district", "gap_fen"]].tolist() == [15000, 7000, 0]

    def test_by_community_gap_first_and_top(self, city):
        """Per community in the result's order (largest gap first), cut at `top`."""
        bars = portfolio_bars(city, "community", top=2)
        assert bars.index.tolist() == ["c", "a"]
        assert bars["gap_fen"].tolist() == [5000, 1000]
        with pytest.raises(ValueError, match="by must be"):
            portfolio_bars(city, "street")  # type: ignore[arg-type]

    def test_figure_in_english(self, city):
        """One series per funding line plus the gap, in 万元, English labels."""
        fig = portfolio_figure(city, "district", "en")
        assert [t.name for t in fig.data][-1] == "funding gap"
        assert list(fig.data[-1].y) == [0.0, 0.006]
        assert "funding by channel" in fig.layout.title.text

    def test_bundled_portfolio_with_district_funding(self):
        """The bundled example (district funding) charts its three districts."""
        r = Portfolio.from_file(FUJIAN_CITY).run()
        fig = portfolio_figure(r)
        assert {tuple(t.x) for t in fig.data} == {("仓山区", "台江区", "鼓楼区")}


class TestComparisonCsv:
    def test_group_and_row_columns(self):
        """The comparison table as CSV: group, row, one column per scenario, differs."""
        r = Scenario.from_yaml(default_scenario_path()).run()
        table = comparison_table({"a": r, "b": r}, "en").reset_index()
        lines = csv_bytes(table).decode("utf-8-sig").splitlines()
        assert lines[0] == "group,row,a,b,differs"
        assert lines[1].startswith("indicator,households,")
