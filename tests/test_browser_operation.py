"""The operation and annual-plan pages in a real browser, in Chinese and in English.

Each page is opened by its own URL, switched to English by the sidebar's language radio
where asked, one input is changed and the result is seen to change; the page's download
is opened and its totals checked against the figure shown; a screenshot goes to
``artifacts/browser_<page>_<lang>.png``. Uses the server and browser fixtures of
``tests/browser_kit.py`` (when ``CI`` is set these tests run and fail without Chromium).
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from browser_kit import download as _download
from browser_kit import metric as _metric
from browser_kit import shot as _shot

pytestmark = pytest.mark.browser

WORDS = {
    "zh": {
        "cum": "测算期累计结余",
        "bundled": "内置运营方案",
        "xlsx": "下载测算结果（xlsx）",
        "budget": "年度预算（元）",
        "spent": "已安排资金",
        "csv": "下载 CSV",
        "op_title": "运营与长效管理",
        "plan_title": "项目库与年度改造计划",
    },
    "en": {
        "cum": "Cumulative surplus",
        "bundled": "Bundled operation scenario",
        "xlsx": "Download the results (xlsx)",
        "budget": "The year's budget (yuan)",
        "spent": "Committed",
        "csv": "Download CSV",
        "op_title": "Operation after renovation",
        "plan_title": "Project library and annual plan",
    },
}


def _open(page, url: str, lang: str, title: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    if lang == "en":
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("English", exact=True).click()
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)


def _wait_change(page, label: str, old: str, timeout_ms: int = 60_000) -> str:
    """Wait until metric `label` shows something other than `old`; the new value."""
    waited = 0
    while (shown := _metric(page, label)) == old:
        if waited >= timeout_ms:
            raise AssertionError(f"{label} stayed {old!r}")
        page.wait_for_timeout(250)
        waited += 250
    return shown


def _yuan(text: str) -> Decimal:
    """A shown amount ("1,234.50 元", "4,770.00 万元") as Decimal yuan."""
    scale = Decimal(10_000) if "万元" in text else Decimal(1)
    return Decimal(text.replace("万元", "").replace("元", "").replace(",", "").strip()) * scale


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_operation_page(server, page, tmp_path, lang):
    w = WORDS[lang]
    _open(page, f"{server}/operation", lang, w["op_title"])
    before = _metric(page, w["cum"])
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=w["bundled"]).first
    box.click()
    page.get_by_role("option", name="operation/yancheng_leased_rooms.yaml").click()
    shown = _yuan(_wait_change(page, w["cum"], before))
    _shot(page, f"operation_{lang}")
    book = openpyxl.load_workbook(_download(page, w["xlsx"], tmp_path), read_only=True)
    rows = list(book["yearly"].values)
    head = list(rows[0])
    first = rows[1][head.index("community")]  # the page shows the first community
    surplus = [Decimal(str(r[head.index("surplus")])) for r in rows[1:] if r[0] == first]
    assert sum(surplus) == shown
    last = [r for r in rows[1:] if r[0] == first][-1]
    assert Decimal(str(last[head.index("cumulative")])) == shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_page(server, page, tmp_path, lang):
    w = WORDS[lang]
    _open(page, f"{server}/plan", lang, w["plan_title"])
    before = _metric(page, w["spent"])
    box = page.get_by_role("spinbutton", name=w["budget"], exact=True)
    box.fill("50000000")
    box.press("Enter")
    shown = _yuan(_wait_change(page, w["spent"], before))
    _shot(page, f"plan_{lang}")
    table = pd.read_csv(_download(page, w["csv"], tmp_path), encoding="utf-8-sig")
    chosen = table[table["decision"] == "chosen"]
    assert Decimal(str(chosen["cost"].sum())) == shown
    assert shown <= Decimal("50000000")
