"""The Streamlit app, page by page, through ``streamlit.testing.v1.AppTest``.

Each page renders without an exception; changing an input changes what is shown; a bad
upload shows the library's message in an error box while the rest of the page works;
downloads are offered. Pure helpers (``costshare.report.charts``, the xlsx exporter) are tested
here too, since they exist for the app.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from costshare.community.scenario import Scenario, default_scenario_path
from costshare.report.charts import (
    comparison_table,
    sankey_links,
    waterfall_steps,
)
from costshare.report.charts_household import floor_share_frame
from costshare.report.charts_ppp import tornado_figure
from costshare.report.table_xlsx import scenario_result_xlsx

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DEFAULT_YAML = default_scenario_path().read_bytes()


def _k(at: AppTest, field: str, prefix: str = "community_") -> str:
    """Key of the input editing `field` of the page's open document (``{prefix}{doc}:{field}``)."""
    return f"{prefix}{at.session_state[prefix + 'doc']}:{field}"


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _gap_text(at: AppTest) -> str:
    """The third metric is the gap / surplus / balanced figure."""
    return f"{at.metric[2].label} {at.metric[2].value}"


@pytest.fixture(scope="module")
def result():
    return Scenario.from_yaml(default_scenario_path()).run()


class TestFrame:
    def test_default_page_is_the_community_scenario(self):
        """Opening the app shows the community page on the bundled default scenario."""
        at = _app()
        assert not at.exception
        assert at.selectbox(key="community_bundled").value == "fujian_default.yaml"
        assert "资金缺口" in _metrics(at)

    def test_language_switch_changes_labels(self):
        """Switching to English relabels the metrics and the page title."""
        at = _app()
        at.radio(key="lang").set_value("English").run()
        assert not at.exception
        assert "Funding gap" in _metrics(at)
        assert at.title[0].value.startswith("Community scenario")

    def test_edits_survive_language_switch(self):
        """An edited cost is kept when the language (and so the column labels) changes."""
        at = _app()
        at.session_state[_k(at, "items")] = {
            "edited_rows": {0: {"cost": 2_000_000.0}},
            "added_rows": [],
            "deleted_rows": [],
        }
        at.run()
        before = _metrics(at)["改造总投资"]
        at.radio(key="lang").set_value("English").run()
        assert _metrics(at)["Total uses"] == before == "1,114.00 万元"


class TestCommunityPage:
    def test_renders_with_charts_and_figures(self):
        """The page shows six metrics, the sankey and the waterfall."""
        at = _app()
        assert not at.exception
        assert len(at.metric) == 6
        assert len(at.get("plotly_chart")) == 2
        assert _gap_text(at) == "资金缺口 76,000.00 元"

    def test_changing_residents_changes_the_gap(self):
        """Raising the residents' contribution to 800 yuan a household turns the gap into a surplus."""
        at = _app()
        at.number_input(key=_k(at, "res_value")).set_value(800.0).run()
        assert not at.exception
        assert _gap_text(at) == "资金结余 20,000.00 元"

    def test_editing_a_work_item_changes_total_uses(self):
        """Editing a cost in the work-items editor changes total uses."""
        at = _app()
        at.session_state[_k(at, "items")] = {
            "edited_rows": {0: {"cost": 960_000.0}},
            "added_rows": [],
            "deleted_rows": [],
        }
        at.run()
        assert _metrics(at)["改造总投资"] == "1,010.00 万元"

    def test_editing_funding_changes_the_gap(self):
        """Adding 76,000 yuan of district money closes the gap exactly."""
        at = _app()
        at.session_state[_k(at, "funding")] = {
            "edited_rows": {3: {"amount": 726_000.0}},
            "added_rows": [],
            "deleted_rows": [],
        }
        at.run()
        assert _gap_text(at) == "收支平衡 0.00 元"

    def test_other_bundled_scenario(self):
        """Picking another bundled scenario recomputes the page without error."""
        at = _app()
        options = at.selectbox(key="community_bundled").options
        assert len(options) >= 1
        at.selectbox(key="community_bundled").set_value(options[-1]).run()
        assert not at.exception
        assert not at.error

    def test_bad_upload_shows_the_library_message(self):
        """A YAML with a bad field shows the file and field in an error; the default still renders."""
        at = _app()
        at.radio(key="community_source").set_value("upload").run()
        bad = DEFAULT_YAML.replace(b"households: 480", b"households: -5")
        at.file_uploader(key="community_upload").set_value(("bad.yaml", bad, "application/x-yaml"))
        at.run()
        assert not at.exception
        assert len(at.error) == 1
        assert "bad.yaml" in at.error[0].value.replace("\\", "")  # markdown-escaped
        assert "households" in at.error[0].value
        assert len(at.metric) == 6

    def test_malformed_yaml_names_the_line(self):
        """Broken YAML syntax shows the line number, never a traceback."""
        at = _app()
        at.radio(key="community_source").set_value("upload").run()
        at.file_uploader(key="community_upload").set_value(
            ("broken.yaml", b"name: [unclosed\n", "application/x-yaml")
        )
        at.run()
        assert not at.exception
        assert "line" in at.error[0].value

    def test_good_upload_is_used(self):
        """A valid uploaded scenario replaces the bundled one."""
        at = _app()
        at.radio(key="community_source").set_value("upload").run()
        good = DEFAULT_YAML.replace(b"per_household: 600", b"per_household: 900")
        at.file_uploader(key="community_upload").set_value(
            ("mine.yaml", good, "application/x-yaml")
        )
        at.run()
        assert not at.error
        assert _metrics(at)["户均居民自筹"] == "900.00 元"

    def test_invalid_edit_shows_error(self):
        """An unknown payer typed into the editor shows the library's message, not a traceback."""
        at = _app()
        at.session_state[_k(at, "items")] = {
            "edited_rows": {0: {"payer": "nobody"}},
            "added_rows": [],
            "deleted_rows": [],
        }
        at.run()
        assert not at.exception
        assert "nobody" in at.error[0].value

    def test_downloads_offered(self):
        """YAML, xlsx and CSV downloads are offered and do not rerun the page away."""
        at = _app()
        keys = {d.key for d in at.get("download_button")}
        assert {"community_dl_yaml", "community_dl_xlsx", "community_dl_csv"} <= keys


class TestRulesPage:
    def test_renders_and_filters(self):
        """The rules page lists Fujian's rules with sources; another jurisdiction changes the list."""
        at = _app()
        at.switch_page("app_pages/rules.py").run()
        assert not at.exception
        first = at.dataframe[0].value
        assert {"document", "article", "confidence"} <= set(first.columns)
        at.selectbox(key="rules_key__zh").set_value("ningbo").run()
        assert not at.exception
        assert not at.dataframe[0].value.equals(first)
        assert at.get("download_button")


class TestComparePage:
    def test_two_bundled_scenarios(self):
        """Two bundled scenarios are compared side by side with a 'differs' column."""
        at = _app()
        at.switch_page("app_pages/compare.py").run()
        assert not at.exception
        table = at.dataframe[0].value
        assert "differs" in table.columns
        assert table["differs"].any()

    def test_upload_and_bad_upload(self):
        """A good upload joins the comparison; a bad one shows its error and is skipped."""
        at = _app()
        at.switch_page("app_pages/compare.py").run()
        at.multiselect(key="compare_bundled").set_value(["fujian_default.yaml"])
        good = DEFAULT_YAML.replace(b"per_household: 600", b"per_household: 900")
        at.file_uploader(key="compare_uploads").set_value(
            [("b.yaml", good, "application/x-yaml"), ("bad.yaml", b"name: x\n", "text/yaml")]
        )
        at.run()
        assert not at.exception
        assert "bad.yaml" in at.error[0].value.replace("\\", "")  # markdown-escaped
        table = at.dataframe[0].value
        assert list(table.columns) == ["fujian_default.yaml", "b.yaml", "differs"]

    def test_needs_two(self):
        """With one scenario the page asks for a second."""
        at = _app()
        at.switch_page("app_pages/compare.py").run()
        at.multiselect(key="compare_bundled").set_value(["fujian_default.yaml"]).run()
        assert not at.exception
        assert at.info


class TestEveryPage:
    @pytest.mark.parametrize("page", ["household", "ppp", "rules", "compare", "city"])
    def test_renders_without_error(self, page):
        """Every page renders without an exception or an error box (all engines exist)."""
        at = _app()
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception
        assert not at.error

    def test_community_list_skips_ppp_files(self):
        """The community picker lists community scenarios only; PPP files are on the PPP page."""
        at = _app()
        options = at.selectbox(key="community_bundled").options
        # each option is the scenario's name in the chosen language with its file name
        assert not any("ppp_example.yaml" in o for o in options)
        assert "福建示范小区（默认方案）（fujian_default.yaml）" in options
        at.switch_page("app_pages/ppp.py").run()
        ppp = at.selectbox(key="ppp_m_bundled").options
        for f in ("ppp/ppp_example.yaml", "ppp/chongqing_jiulongpo.yaml"):
            assert any(o.endswith(f"（{f}）") for o in ppp), ppp  # named, with the file
        assert not any("fujian_default.yaml" in o for o in ppp)


SAMPLE_ROSTER_CSV = (ROOT / "costshare" / "data" / "sample_roster_gbk.csv").read_bytes()


class TestHouseholdPage:
    def _hh(self) -> AppTest:
        at = _app()
        at.switch_page("app_pages/household.py").run()
        return at

    def test_renders_sample_roster(self):
        """The sample roster is shared by area: six metrics, the floor chart, three downloads."""
        at = self._hh()
        assert not at.exception
        assert not at.error
        m = _metrics(at)
        assert m["分摊总额"] == "100,000.00 元"
        assert m["户数 / 出资户数"] == "76 / 76"
        assert len(at.get("plotly_chart")) == 1
        keys = {d.key for d in at.get("download_button")}
        assert {"household_dl_xlsx", "household_dl_csv", "household_dl_pdf"} <= keys

    def test_basis_changes_metrics_and_figure(self):
        """Floor coefficients exempt floors 1-2 (coefficient 0) and raise the highest share."""
        at = self._hh()
        before = _metrics(at)
        fig_before = at.get("plotly_chart")[0].proto.spec
        at.selectbox(key="household_basis").set_value("floor").run()
        assert not at.exception
        after = _metrics(at)
        assert after["户数 / 出资户数"] == "76 / 52"
        assert after["出资户户均"] != before["出资户户均"]
        # the chart compares bases with the chosen one first: a new first trace
        assert at.get("plotly_chart")[0].proto.spec != fig_before

    def test_english_preview_headers(self):
        """In English the preview's column headers are English too (files keep Chinese)."""
        at = self._hh()
        at.radio(key="lang").set_value("English").run()
        assert not at.exception
        cols = list(at.dataframe[0].value.columns)
        assert "Share (yuan)" in cols
        assert "应分摊金额(元)" not in cols

    def test_total_scope_and_exemptions(self):
        """A new total, a building scope and an exempt floor change who pays and how much."""
        at = self._hh()
        at.number_input(key="household_total").set_value(50_000.0).run()
        at.selectbox(key="household_building").set_value("2").run()
        at.multiselect(key="household_exempt_floors").set_value([1]).run()
        assert not at.exception
        m = _metrics(at)
        assert m["分摊总额"] == "50,000.00 元"
        assert m["户数 / 出资户数"] == "28 / 24"

    def test_scenario_amount(self):
        """The default scenario's residents' part (600 yuan x 480 households): the whole
        288,000 is refused for the 76-household sample; per household it is 600 x 76."""
        at = self._hh()
        at.radio(key="household_amount").set_value("scenario").run()
        assert not at.exception
        assert "480" in at.error[0].value and not at.metric
        at.radio(key="household_per").set_value("household").run()
        assert _metrics(at)["分摊总额"] == "45,600.00 元"

    def test_names_masked_in_preview_unless_asked(self):
        """The preview masks owners' names by default; the toggle shows them."""
        at = self._hh()
        names = at.dataframe[0].value["业主姓名"]
        assert names.iloc[0] == "黄*"
        at.toggle(key="household_show_names").set_value(True).run()
        assert at.dataframe[0].value["业主姓名"].iloc[0] == "黄涛"

    def test_good_csv_upload(self):
        """An uploaded GBK CSV roster is read (ID numbers dropped) and shared."""
        at = self._hh()
        at.radio(key="household_source").set_value("upload").run()
        at.file_uploader(key="household_upload").set_value(
            ("mine.csv", SAMPLE_ROSTER_CSV, "text/csv")
        ).run()
        assert not at.exception
        assert not at.error
        assert "mine\\.csv" in " ".join(c.value for c in at.caption)  # escaped Markdown
        assert "身份证号" not in at.dataframe[0].value.columns

    def test_bad_upload_names_row_and_field(self):
        """A roster with a bad area shows the library's row-numbered message, and no sample."""
        at = self._hh()
        at.radio(key="household_source").set_value("upload").run()
        bad = "房号,楼层,面积\n101,1,60\n102,1,abc\n".encode()
        at.file_uploader(key="household_upload").set_value(("bad.csv", bad, "text/csv")).run()
        assert not at.exception
        assert len(at.error) == 1
        msg = at.error[0].value.replace("\\", "")  # as shown: the Markdown escapes drop out
        assert "bad.csv" in msg and "row 3" in msg and "area_m2" in msg
        assert not at.metric  # never the sample instead
        assert not at.get("download_button")

    def test_bad_choice_shows_library_message(self):
        """Headcount basis on a roster without headcount names the missing column."""
        at = self._hh()
        at.radio(key="household_source").set_value("upload").run()
        csv = "房号,楼层,面积\n101,1,60\n102,2,80\n".encode()
        at.file_uploader(key="household_upload").set_value(("c.csv", csv, "text/csv")).run()
        at.selectbox(key="household_basis").set_value("headcount").run()
        assert not at.exception
        assert "headcount" in at.error[0].value


class TestPppModel:
    def _ppp(self) -> AppTest:
        at = _app()
        at.switch_page("app_pages/ppp.py").run()
        return at

    def test_renders_model_charts_and_downloads(self):
        """The example shows metrics, cash-flow, affordability, tornado and Monte Carlo charts."""
        at = self._ppp()
        assert not at.exception
        assert not at.error
        m = _metrics(at)
        assert {"项目净现值", "项目 IRR", "资本金 IRR", "物有所值量值"} <= set(m)
        keys = {c.key for c in at.get("plotly_chart")}
        assert {"ppp_m_cf_chart", "ppp_m_afford_chart", "ppp_m_tornado_chart"} <= keys
        assert "ppp_m_mc_chart" in keys
        assert "ppp_m_dl_csv" in {d.key for d in at.get("download_button")}
        assert any("旧" in c.value or "21号" in c.value for c in at.caption)  # regime shown

    def test_construction_cost_changes_npv(self):
        """A higher construction cost changes project NPV."""
        at = self._ppp()
        before = _metrics(at)["项目净现值"]
        at.number_input(key=_k(at, "cost", "ppp_m_")).set_value(130_000_000.0).run()
        assert not at.exception
        assert _metrics(at)["项目净现值"] != before

    def test_monte_carlo_draws_change_the_histogram(self):
        """Fewer draws give a different histogram."""
        at = self._ppp()
        before = next(c for c in at.get("plotly_chart") if c.key == "ppp_m_mc_chart").proto.spec
        at.number_input(key=_k(at, "draws", "ppp_m_")).set_value(500).run()
        after = next(c for c in at.get("plotly_chart") if c.key == "ppp_m_mc_chart").proto.spec
        assert after != before

    def test_new_mechanism_refuses_construction_subsidy(self):
        """Under 国办函〔2023〕115号 a viability-gap subsidy shows the library's refusal; tools still work."""
        at = self._ppp()
        at.selectbox(key=_k(at, "regime__zh", "ppp_m_")).set_value("new_mechanism_2023").run()
        assert not at.exception
        assert "new_mechanism_2023" in at.error[0].value.replace("\\", "")  # markdown-escaped
        assert "利息合计" in _metrics(at)
        at.selectbox(key=_k(at, "subsidy_kind__zh", "ppp_m_")).set_value("operating_only").run()
        assert not at.error
        assert "项目净现值" in _metrics(at)

    def test_scenario_without_fiscal_data(self):
        """Chongqing has no fiscal section: the page says so with the library's message."""
        at = self._ppp()
        at.selectbox(key="ppp_m_bundled").set_value("ppp/chongqing_jiulongpo.yaml").run()
        assert not at.exception
        assert not at.error
        assert any("fiscal" in i.value for i in at.info)

    def test_bad_upload_names_the_field(self):
        """An uploaded PPP file with a bad field shows file and field; the bundled one is used."""
        at = self._ppp()
        at.radio(key="ppp_m_source").set_value("upload").run()
        text = (ROOT / "scenarios" / "ppp" / "ppp_example.yaml").read_bytes()
        bad = text.replace(b"cooperation_years: 15", b"cooperation_years: 1")
        at.file_uploader(key="ppp_m_upload").set_value(("bad.yaml", bad, "text/yaml")).run()
        assert not at.exception
        assert "bad.yaml" in at.error[0].value.replace("\\", "")  # markdown-escaped
        assert "cooperation_years" in at.error[0].value.replace("\\", "")  # escapes drop out
        assert "项目净现值" in _metrics(at)


class TestHouseholdAndPppCharts:
    def test_floor_share_frame(self):
        """Floor shares per basis in long form, floors as integers."""
        f = pd.DataFrame(
            {"basis": ["area", "equal"], "floor_1": [40.0, 50.0], "floor_2": [60.0, 50.0]}
        )
        long = floor_share_frame(f)
        assert long["floor"].tolist() == [1, 2, 1, 2]
        assert long.groupby("basis")["share"].sum().tolist() == [100.0, 100.0]

    def test_tornado_figure_bars_around_base(self):
        """Tornado bars start at the base NPV and reach the low and high values."""
        from costshare.ppp import PPPProject, tornado

        p = PPPProject.from_yaml(ROOT / "scenarios" / "ppp" / "ppp_example.yaml")
        table = tornado(p)
        fig = tornado_figure(table, "en")
        low = fig.data[0]
        assert low.base == pytest.approx(table["npv_base"].iloc[0])
        assert (low.x + low.base)[-1] == pytest.approx(table["npv_low"].iloc[0])


class TestPppPage:
    def _ppp(self) -> AppTest:
        at = _app()
        at.switch_page("app_pages/ppp.py").run()
        return at

    def test_loan_rate_changes_total_interest(self):
        """Raising the loan rate raises the total interest shown."""
        at = self._ppp()
        assert not at.exception
        before = _metrics(at)["利息合计"]
        at.number_input(key="ppp_rate").set_value(5.0).run()  # percent
        assert not at.exception
        assert _metrics(at)["利息合计"] != before
        keys = {c.key for c in at.get("plotly_chart")}
        assert {"ppp_loan_chart", "ppp_flow_chart"} <= keys
        assert "ppp_dl_loan" in {d.key for d in at.get("download_button")}

    def test_editing_flows_changes_npv(self):
        """A larger initial investment lowers the NPV."""
        at = self._ppp()
        before = _metrics(at)["净现值 NPV"]
        at.session_state["ppp_flows"] = {
            "edited_rows": {0: {"flow": -40_000_000.0}},
            "added_rows": [],
            "deleted_rows": [],
        }
        at.run()
        assert _metrics(at)["净现值 NPV"] != before

    def test_bad_loan_terms_show_error(self):
        """A grace period longer than the term shows the library's message; flows still work."""
        at = self._ppp()
        at.number_input(key="ppp_years").set_value(1).run()
        at.number_input(key="ppp_grace").set_value(3).run()
        assert not at.exception
        assert "grace" in at.error[0].value
        assert "净现值 NPV" in _metrics(at)


class TestCityPage:
    def _city(self) -> AppTest:
        at = _app()
        at.switch_page("app_pages/city.py").run()
        return at

    def test_bundled_portfolio(self):
        """The bundled portfolio shows its totals and offers xlsx and CSV downloads."""
        at = self._city()
        assert not at.exception
        assert not at.error
        assert _metrics(at)["小区数"] == "6"
        keys = {d.key for d in at.get("download_button")}
        assert {"city_dl_xlsx", "city_dl_csv"} <= keys

    def test_upload_changes_totals(self):
        """An uploaded CSV replaces the bundled portfolio and its totals."""
        at = self._city()
        at.radio(key="city_source").set_value("upload").run()
        csv = "id,households,area_m2,cost,municipal\na,100,8000,1000000,900000\nb,50,4000,500000,520000\n"
        at.file_uploader(key="city_upload").set_value(("c.csv", csv.encode(), "text/csv")).run()
        assert not at.exception
        assert _metrics(at)["小区数"] == "2"
        assert _metrics(at)["资金缺口"] == "8.00 万元"

    def test_bad_upload_names_row_and_field(self):
        """A non-numeric household count is reported with the community and the field."""
        at = self._city()
        at.radio(key="city_source").set_value("upload").run()
        csv = "id,households,area_m2,cost\na,x,8000,1000000\n"
        at.file_uploader(key="city_upload").set_value(("c.csv", csv.encode(), "text/csv")).run()
        assert not at.exception
        assert "households" in at.error[0].value
        assert "'a'" in at.error[0].value

    def test_upload_cannot_read_server_files(self):
        """An uploaded YAML may not point its table or template at files outside the app."""
        at = self._city()
        at.radio(key="city_source").set_value("upload").run()
        at.file_uploader(key="city_upload").set_value(
            ("p.yaml", b"name: x\ncommunities: /etc/passwd\n", "text/yaml")
        ).run()
        assert "communities" in at.error[0].value
        tpl = b"name: x\ntemplate: ../../../etc/x.yaml\ncommunities:\n  - {id: a, households: 5, area_m2: 300}\n"
        at.file_uploader(key="city_upload").set_value(("p.yaml", tpl, "text/yaml")).run()
        assert "outside" in at.error[0].value


class TestSankeyLinks:
    def test_items_receive_all_uses(self, result):
        """Links into work items add up to total uses, to the fen."""
        links = sankey_links(result)
        into_items = links[links.stage == "payer_to_item"]
        assert int(into_items.amount_fen.sum()) == result.uses_fen

    def test_sources_and_gap_cover_uses(self, result):
        """Links out of sources (gap included) add up to total uses when there is a gap."""
        links = sankey_links(result)
        out = links[links.stage == "source_to_payer"]
        assert int(out.amount_fen.sum()) == result.sources_fen + result.gap_fen


class TestWaterfallSteps:
    def test_ends_at_total_uses(self, result):
        """The waterfall ends at total uses after the sources total and the gap."""
        w = waterfall_steps(result, "en")
        assert list(w.label[-3:]) == ["total sources", "funding gap", "total uses"]
        assert int(w.amount_fen.iloc[-1]) == result.uses_fen


class TestComparisonTable:
    def test_flags_differences(self, result):
        """A changed residents' contribution is flagged; equal rows are not."""
        raw = Scenario.from_yaml(default_scenario_path()).to_dict()
        raw["funding"]["residents"] = {"per_household": 900}
        other = Scenario.from_dict(raw).run()
        t = comparison_table({"a": result, "b": other}, "en")
        assert bool(t.loc[("indicator", "residents per household"), "differs"])
        assert not bool(t.loc[("indicator", "total uses"), "differs"])


class TestScenarioResultXlsx:
    def test_opens_with_openpyxl(self, result):
        """The workbook opens and its balance line carries the gap in yuan."""
        wb = openpyxl.load_workbook(io.BytesIO(scenario_result_xlsx(result)))
        rows = [r for r in wb["资金来源与使用"].iter_rows(values_only=True) if r[0] != "memo"]
        assert rows[-1][2] == "gap"
        assert rows[-1][3] == pytest.approx(76000.0)


def test_language_is_in_the_url():
    """?lang=en opens the app in English and the switch writes the language to the URL,
    so a reload or a shared link keeps it."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    assert at.radio(key="lang").value == "English" and not at.exception
    assert all(not any("\u4e00" <= c <= "\u9fff" for c in x.value) for x in at.title)
    plain = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert plain.radio(key="lang").value == "中文"
    assert list(plain.query_params["lang"]) in (["zh"], ["z", "h"])  # written to the URL
