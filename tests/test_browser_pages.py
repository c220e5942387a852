"""The community, city and compare pages in a real browser, in Chinese and in English.

For each page and language: open the page by its URL (switching the sidebar's language
radio to English for ``en``), change one input, wait for the result to change, download
what the page offers and check its totals against the figures shown, and save a
screenshot to ``artifacts/browser_<page>_<lang>.png``. One page load per page and language.

Same pattern as ``tests/browser_kit.py`` (the shared server and browser fixtures): when ``CI``
is set these tests always run and fail if Chromium or Playwright is missing.
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from browser_kit import ROOT
from browser_kit import download as _download
from browser_kit import metric as _metric
from browser_kit import shot as _shot
from browser_kit import wait_metric as _wait_metric

from costshare import i18n
from costshare.community.portfolio import Portfolio
from costshare.community.scenario import Scenario
from costshare.money import format_amount, to_fen
from costshare.report import charts

pytestmark = pytest.mark.browser
LANGS = ["zh", "en"]


def _open(page, server: str, path: str, lang: str) -> None:
    """Open `path` by its URL and switch to `lang`; wait for the page's title."""
    title = {"community": "community.title", "city": "city.title", "compare": "compare.title"}
    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
    page.get_by_role("heading", name=i18n.t(title[path], "zh")).first.wait_for(timeout=60_000)
    if lang == "en":
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        page.get_by_role("heading", name=i18n.t(title[path], "en")).first.wait_for(timeout=60_000)
    assert "Page not found" not in page.content()


@pytest.mark.parametrize("lang", LANGS)
def test_community_page(server, page, lang, tmp_path):
    """Residents at 800 yuan per household turn the 76,000 gap into a 20,000 surplus."""
    _open(page, server, "community", lang)
    _wait_metric(page, i18n.t("m.gap", lang), "76,000.00 元")
    box = page.get_by_role("spinbutton", name=i18n.t("community.res_value", lang), exact=True)
    box.fill("800")
    box.press("Enter")
    _wait_metric(page, i18n.t("m.surplus", lang), "20,000.00 元")
    grouped = i18n.t("community.grouped", lang, amount="800.00")
    page.get_by_text(grouped).first.wait_for(timeout=30_000)
    _shot(page, f"community_{lang}")
    target = _download(page, i18n.t("dl.xlsx", lang), tmp_path)
    rows = list(openpyxl.load_workbook(target)["资金来源与使用"].iter_rows(values_only=True))
    assert rows[-1][2] == "surplus"
    assert rows[-1][3] == pytest.approx(20_000.0)
    uses = next(r for r in rows if r[2] == "total_uses")
    assert format_amount(to_fen(Decimal(str(uses[3]))), "万元") == _metric(
        page, i18n.t("m.uses", lang)
    )


@pytest.mark.parametrize("lang", LANGS)
def test_city_page(server, page, lang, tmp_path):
    """The district chart is drawn; leaving out 仓山区 drops its communities from the totals
    and the CSV."""
    full = Portfolio.from_file(ROOT / "portfolios" / "fujian_city_example.yaml").run()
    comm = full.communities
    kept = comm[comm["district"] != "仓山区"]
    _open(page, server, "city", lang)
    households = i18n.t("city.households", lang)
    _wait_metric(page, households, f"{int(comm['households'].sum()):,}")
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".xtick text").first.wait_for(timeout=60_000)
    assert sorted(t.strip() for t in chart.locator(".xtick text").all_text_contents()) == sorted(
        set(comm["district"])
    )
    assert chart.locator(".barlayer .trace").count() >= 2  # stacked funding lines
    page.get_by_role("button", name="Remove 仓山区").click()
    _wait_metric(page, households, f"{int(kept['households'].sum()):,}")
    _shot(page, f"city_{lang}")
    target = _download(page, i18n.t("dl.csv", lang), tmp_path)
    back = pd.read_csv(target, encoding="utf-8-sig")
    assert back["id"].tolist() == kept["id"].tolist()
    assert f"{int(back['households'].sum()):,}" == _metric(page, households)
    uses_fen = to_fen(Decimal(str(back["uses"].sum().round(2))))
    assert format_amount(uses_fen, "万元") == _metric(page, i18n.t("m.uses", lang))


@pytest.mark.parametrize("lang", LANGS)
def test_compare_page(server, page, lang, tmp_path):
    """Adding a third scenario adds its column; the CSV's figures are the library's."""
    _open(page, server, "compare", lang)
    grid = page.locator('[data-testid="stDataFrame"] [role="grid"]').first
    grid.wait_for(state="attached", timeout=60_000)
    before = int(grid.get_attribute("aria-colcount"))
    page.locator('[data-testid="stMultiSelect"]').first.locator("input").click()
    page.get_by_role("option").filter(has_text="tongchuan.yaml").click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        'n => document.querySelector(\'[data-testid="stDataFrame"] [role="grid"]\')'
        "?.getAttribute('aria-colcount') === String(n)",
        arg=before + 1,
        timeout=30_000,
    )
    _shot(page, f"compare_{lang}")
    target = _download(page, i18n.t("dl.csv", lang), tmp_path)
    back = pd.read_csv(target, encoding="utf-8-sig")
    # the page's default picks come first (the bundled list grows), then the added one
    names = [c for c in back.columns if c.endswith(".yaml")]
    assert len(names) == 3 and names[-1] == "tongchuan.yaml"
    results = {n: Scenario.from_yaml(ROOT / "scenarios" / n).run() for n in names}
    expected = charts.comparison_table(results, lang).reset_index()
    assert back["row"].tolist() == expected["row"].astype(str).tolist()
    for n in names:
        assert pd.to_numeric(back[n]).tolist() == pytest.approx(
            pd.to_numeric(expected[n]).astype(float).tolist()
        )
    # the table's total uses are each scenario's own
    uses = back.iloc[2]
    for n in names:
        assert to_fen(Decimal(str(uses[n]))) == results[n].uses_fen
