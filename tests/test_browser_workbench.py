"""The workbench pages in a real browser (Debian Chromium via Playwright, headless).

For the owners' vote, elevator and annual-plan pages: open the page by its own URL (deep
link), change one input, see the result change, download what the page offers and check
its totals; the community page's store panel saves two versions and shows their diff.
Every page opened by URL renders (no "Page not found"). Screenshots go to ``artifacts/``.

Same pattern as ``tests/test_browser.py`` (its server and browser fixtures): when ``CI``
is set these tests always run and fail if Chromium or Playwright is missing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from costshare import i18n

# the server and browser fixtures of tests/test_browser.py (tests are not a package)
_spec = importlib.util.spec_from_file_location(
    "_browser_base", Path(__file__).with_name("test_browser.py")
)
_base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_base)
server, browser, ARTIFACTS = _base.server, _base.browser, _base.ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(
        accept_downloads=True, viewport={"width": 1400, "height": 2200}, locale="zh-CN"
    )
    p = context.new_page()
    try:
        yield p
    finally:
        context.close()


def _metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    box.wait_for(timeout=60_000)
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _wait_metric(page, label: str, value: str, timeout_ms: int = 30_000) -> None:
    """Wait until metric `label` shows exactly `value` (a rerun replaces the old one)."""
    waited = 0
    while (shown := _metric(page, label)) != value:
        if waited >= timeout_ms:
            raise AssertionError(f"{label}: {shown!r}, expected {value!r}")
        page.wait_for_timeout(250)
        waited += 250


def _download(page, button: str, tmp_path):
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=button).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"browser_{name}.png"), full_page=True)


def _fill(page, label: str, value: str) -> None:
    box = page.get_by_role("spinbutton", name=label, exact=True)
    box.fill(value)
    box.press("Enter")


# each page's URL and the translation key of its title
DEEP_LINKS = [
    ("community", "community.title"),
    ("household", "hh.title"),
    ("compare", "compare.title"),
    ("votes", "votes.title"),
    ("elevator", "elev.title"),
    ("plan", "plan.title"),
    ("ppp", "ppp.title"),
    ("rules", "rules.title"),
    ("city", "city.title"),
    ("operation", "op.title"),
]


@pytest.mark.parametrize(("path", "title"), DEEP_LINKS)
def test_deep_links(server, page, path, title):
    """Every page opens by its URL; switched to English it shows its English title."""
    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
    page.get_by_role("heading", name=i18n.t(title, "zh")).first.wait_for(timeout=60_000)
    assert "Page not found" not in page.content()
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    page.get_by_role("heading", name=i18n.t(title, "en")).first.wait_for(timeout=60_000)
    assert "Page not found" not in page.content()
    assert page.url.rstrip("/").endswith(f"/{path}")


def test_votes_page(server, page, tmp_path):
    page.goto(f"{server}/votes", wait_until="domcontentloaded")
    assert _metric(page, "表决结果") == "未通过"
    assert _metric(page, "还需同意的户数") == "9"
    page.get_by_role("combobox", name="表决事项").click()
    page.get_by_role("option", name="其他共同决定事项").first.click()
    _wait_metric(page, "表决结果", "通过")
    assert _metric(page, "还需同意的户数") == "0"
    _shot(page, "votes")
    target = _download(page, "下载 CSV", tmp_path)
    table = pd.read_csv(target, encoding="utf-8-sig")
    counted = dict(zip(table["threshold"], table["counted"], strict=True))
    assert counted["approve_owners"] == "42 / 68 owners"  # 42 yes of 68 taking part
    assert table["met"].all()


def test_elevator_page(server, page, tmp_path):
    page.goto(f"{server}/elevator", wait_until="domcontentloaded")
    assert _metric(page, "住户分摊净额") == "360,000.00 元"
    _fill(page, "使用维修资金（元）", "60000")
    _wait_metric(page, "住户分摊净额", "300,000.00 元")
    _shot(page, "elevator")
    target = _download(page, "下载出资表 xlsx", tmp_path)
    rows = list(openpyxl.load_workbook(target)["分户出资表"].iter_rows(values_only=True))
    col = rows[0].index("应分摊金额(元)")
    assert rows[-1][0] == "合计"
    assert rows[-1][col] == pytest.approx(300_000.0)
    assert len(rows) == 12 + 2  # header, the stairwell's 12 households, totals


def test_plan_page(server, page, tmp_path):
    page.goto(f"{server}/plan", wait_until="domcontentloaded")
    assert _metric(page, "已安排资金") == "35,700,000.00 元"
    _fill(page, "年度预算（元）", "50000000")
    _wait_metric(page, "已安排资金", "47,700,000.00 元")
    _shot(page, "plan")
    target = _download(page, "下载 CSV", tmp_path)
    table = pd.read_csv(target, encoding="utf-8-sig")
    chosen = table[table["decision"] == "chosen"]
    assert len(chosen) == 4
    assert chosen["cost"].sum() == pytest.approx(47_700_000.0)


def test_community_store_and_goal_seek(server, page):
    page.goto(f"{server}/community", wait_until="domcontentloaded")
    _wait_metric(page, "资金缺口", "76,000.00 元")
    page.get_by_text("保存与版本记录").click()
    page.get_by_role("button", name="保存为新版本").click()
    page.get_by_text("已保存为第 1 版").first.wait_for(timeout=30_000)
    _fill(page, "户数", "500")
    page.get_by_role("button", name="保存为新版本").click()
    page.get_by_text("已保存为第 2 版").first.wait_for(timeout=30_000)
    # the diff table (a canvas grid: its cells are in the DOM for screen readers)
    page.get_by_text("community.households").first.wait_for(state="attached", timeout=30_000)
    page.get_by_text("反求：使资金缺口恰好为零").click()
    page.get_by_text("求解", exact=True).click()
    page.get_by_text("资金缺口为 0 分").first.wait_for(timeout=60_000)
    _shot(page, "community_store")
