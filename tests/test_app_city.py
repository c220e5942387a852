"""The community, compare and city pages through ``streamlit.testing.v1.AppTest``.

Each page renders without an exception or an error box, shows its tables and charts, and
offers its downloads; the city page draws the district chart from the bundled portfolio
(which has district funding, the case that used to show "chart unavailable").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from costshare.community.portfolio import Portfolio

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
FUJIAN_CITY = ROOT / "portfolios" / "fujian_city_example.yaml"


def _page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(f"app_pages/{page}.py").run()
    return at


def _table_with(at: AppTest, *columns: str):
    """The first table (dataframe or editor) that has all these columns."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _downloads(at: AppTest) -> set[str]:
    return {d.key for d in at.get("download_button")}


class TestCommunityPage:
    def test_sources_table_split_and_downloads(self):
        """The sources-and-uses table lists every section, the split lists payers; 3 downloads."""
        at = _page("community")
        assert not at.exception and not at.error
        table = _table_with(at, "section", "line", "amount")
        assert {"资金使用", "资金来源"} <= set(table["section"])
        split = _table_with(at, "payer", "share", "rule", "source")
        assert len(split) > 0
        assert [f["data"][0]["type"] for f in _figures(at)] == ["sankey", "waterfall"]
        assert {"community_dl_yaml", "community_dl_xlsx", "community_dl_csv"} <= _downloads(at)


class TestComparePage:
    def test_table_and_csv_download(self):
        """Two bundled scenarios side by side, rows that differ flagged, a CSV download."""
        at = _page("compare")
        assert not at.exception and not at.error
        table = at.dataframe[0].value
        names = list(table.columns[:-1])
        assert len(names) == 2 and table.columns[-1] == "differs"
        assert table["differs"].tolist() == [len(set(r)) > 1 for r in table[names].values.tolist()]
        assert "compare_dl_csv" in _downloads(at)


class TestCityPage:
    @pytest.fixture(scope="class")
    def districts(self) -> list[str]:
        r = Portfolio.from_file(FUJIAN_CITY).run()
        return sorted(set(r.communities["district"]))

    def test_district_chart_renders(self, districts):
        """The bundled portfolio (with district funding) draws one stacked bar per district."""
        at = _page("city")
        assert not at.exception and not at.error and not at.warning
        (fig,) = _figures(at)
        assert fig["layout"]["barmode"] == "stack"
        assert all(trace["x"] == districts for trace in fig["data"])
        names = [trace["name"] for trace in fig["data"]]
        assert "区县财政资金" in names  # the funding line keyed "district"

    def test_district_table_and_downloads(self, districts):
        """The districts tab lists each district once; xlsx and CSV downloads are offered."""
        at = _page("city")
        dist = _table_with(at, "district", "households", "uses", "gap")
        assert sorted(dist["district"]) == districts
        assert {"city_dl_xlsx", "city_dl_csv"} <= _downloads(at)

    def test_by_community(self):
        """Per community: one bar per community (6), gap-first order, titled with the programme."""
        at = _page("city")
        at.radio(key="city_by").set_value("community").run()
        assert not at.exception and not at.error
        (fig,) = _figures(at)
        ids = Portfolio.from_file(FUJIAN_CITY).run().communities["id"].tolist()
        assert fig["data"][0]["x"] == ids and len(ids) == 6
        assert "资金来源构成" in fig["layout"]["title"]["text"]
