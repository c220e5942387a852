"""The app in a real browser: ``streamlit run app.py`` driven by Debian Chromium via Playwright.

Loads the community page, changes the residents' contribution, checks that the gap
metric changes, downloads the sources-and-uses xlsx and opens it with openpyxl, and
saves a screenshot to ``artifacts/browser_community.png``.

When ``CI`` is set this test always runs and fails if Chromium or Playwright is missing;
it is skipped only on a developer machine without ``/usr/bin/chromium``.
"""

from __future__ import annotations

import openpyxl
import pytest
from browser_kit import ARTIFACTS

pytestmark = pytest.mark.browser


def _gap_metric(page) -> str:
    """Label and value of the third metric (gap, surplus or balanced)."""
    metric = page.locator('[data-testid="stMetric"]').nth(2)
    return metric.inner_text().replace("\n", " ").strip()


class TestCommunityPageInBrowser:
    def test_change_input_download_and_screenshot(self, server, browser, tmp_path):
        """Changing the residents' contribution changes the gap; the xlsx downloads and opens."""
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1400, "height": 1800}, locale="zh-CN"
        )
        page = context.new_page()
        try:
            page.goto(server, wait_until="domcontentloaded")
            metrics = page.locator('[data-testid="stMetric"]')
            metrics.nth(5).wait_for(timeout=60_000)
            page.get_by_text("资金缺口").first.wait_for(timeout=30_000)
            before = _gap_metric(page)
            assert "资金缺口" in before
            assert "76,000.00" in before

            box = page.get_by_role("spinbutton", name="数值")
            box.fill("800")
            box.press("Enter")
            page.get_by_text("资金结余").first.wait_for(timeout=30_000)
            after = _gap_metric(page)
            assert after != before
            assert "20,000.00" in after

            page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=30_000)
            ARTIFACTS.mkdir(exist_ok=True)
            # Streamlit scrolls inside its own container: a tall viewport shows the whole page.
            page.set_viewport_size({"width": 1400, "height": 3000})
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "browser_community.png"), full_page=True)

            button = page.get_by_role("button", name="下载资金表 xlsx")
            with page.expect_download(timeout=30_000) as info:
                button.click()
            target = tmp_path / info.value.suggested_filename
            info.value.save_as(target)
            assert target.suffix == ".xlsx"
            wb = openpyxl.load_workbook(target)
            rows = list(wb["资金来源与使用"].iter_rows(values_only=True))
            assert rows[-1][2] == "surplus"
            assert rows[-1][3] == pytest.approx(20000.0)

            # the download did not rerun the page away: the edited input is still there
            assert "20,000.00" in _gap_metric(page)
        finally:
            context.close()


class TestHouseholdPageInBrowser:
    def test_sheet_xlsx_download_opens(self, server, browser, tmp_path):
        """The household page's xlsx (built on click) downloads, opens, and adds up to the total."""
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1400, "height": 1800}, locale="zh-CN"
        )
        page = context.new_page()
        try:
            page.goto(f"{server}/household", wait_until="domcontentloaded")
            page.locator('[data-testid="stMetric"]').nth(5).wait_for(timeout=60_000)
            assert "100,000.00" in page.locator('[data-testid="stMetric"]').first.inner_text()
            button = page.get_by_role("button", name="下载出资表 xlsx")
            with page.expect_download(timeout=60_000) as info:
                button.click()
            target = tmp_path / info.value.suggested_filename
            info.value.save_as(target)
            assert target.suffix == ".xlsx"
            ws = openpyxl.load_workbook(target)["分户出资表"]
            rows = list(ws.iter_rows(values_only=True))
            col = rows[0].index("应分摊金额(元)")
            assert len(rows) == 76 + 2  # header, 76 households, totals
            assert rows[-1][0] == "合计"
            assert rows[-1][col] == pytest.approx(100_000.0)
        finally:
            context.close()
