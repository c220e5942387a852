"""The City page in a real browser: ``streamlit run app.py`` driven by Debian Chromium.

Opens ``/city`` on the bundled portfolio (which has district funding, the case that used
to show "chart unavailable"), checks that the stacked district chart is drawn with one
tick per district and no warning, error or exception, downloads the portfolio CSV and
reads it back, and saves a screenshot to ``artifacts/browser_city.png``.

Same pattern as ``tests/test_browser.py``: when ``CI`` is set this test always runs and
fails if Chromium or Playwright is missing; it is skipped only on a developer machine
without ``/usr/bin/chromium``.
"""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pandas as pd
import pytest

from costshare.community.portfolio import Portfolio

# the server and browser fixtures of tests/test_browser.py (tests are not a package)
_spec = importlib.util.spec_from_file_location(
    "_browser_base", Path(__file__).with_name("test_browser.py")
)
_base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_base)
server, browser, ARTIFACTS, ROOT = _base.server, _base.browser, _base.ARTIFACTS, _base.ROOT
FUJIAN_CITY = ROOT / "portfolios" / "fujian_city_example.yaml"

pytestmark = pytest.mark.browser


class TestCityPageInBrowser:
    def test_district_chart_renders_and_csv_downloads(self, server, browser, tmp_path):
        """The district chart is drawn (three district ticks, stacked bars), nothing fails."""
        expected = Portfolio.from_file(FUJIAN_CITY).run()
        districts = sorted(set(expected.communities["district"]))
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1400, "height": 1800}, locale="zh-CN"
        )
        page = context.new_page()
        try:
            page.goto(f"{server}/city", wait_until="domcontentloaded")
            page.locator('[data-testid="stMetric"]').nth(5).wait_for(timeout=60_000)
            chart = page.locator('[data-testid="stPlotlyChart"]').first
            chart.wait_for(timeout=60_000)
            chart.locator(".xtick text").first.wait_for(timeout=30_000)
            ticks = [t.strip() for t in chart.locator(".xtick text").all_text_contents()]
            assert ticks == districts
            assert chart.locator(".barlayer .trace").count() >= 2  # stacked funding lines
            assert "资金来源构成" in (chart.locator(".gtitle").text_content() or "")
            body = page.locator("body").inner_text()
            assert "暂不可用" not in body and "unavailable" not in body
            for testid in ("stException", "stAlertContentWarning", "stAlertContentError"):
                assert page.locator(f'[data-testid="{testid}"]').count() == 0, testid

            ARTIFACTS.mkdir(exist_ok=True)
            page.set_viewport_size({"width": 1400, "height": 2600})
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "browser_city.png"), full_page=True)

            button = page.locator('[data-testid="stDownloadButton"] button').nth(1)
            with page.expect_download(timeout=30_000) as info:
                button.click()
            target = tmp_path / info.value.suggested_filename
            info.value.save_as(target)
            assert target.suffix == ".csv" and target.read_bytes().startswith(b"\xef\xbb\xbf")
            back = pd.read_csv(io.BytesIO(target.read_bytes()), encoding="utf-8-sig")
            assert back["id"].tolist() == expected.communities["id"].tolist()
        finally:
            context.close()
