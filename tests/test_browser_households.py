"""The household, elevator and owners' vote pages in a real browser, in Chinese and English.

For each page and language: open the page by its URL (switching to English with the
sidebar's language radio), change one input, wait for the shown result to change,
download what the page offers and check its totals against the figure shown, and save a
screenshot ``artifacts/browser_<page>_<lang>.png``. One page load per page and language.

Hand-checked figures: the sample roster has 76 households (building 1 stairwell 1: 12);
Shanghai's elevator rule pays 40% of 600,000 (net 360,000; 60,000 from the fund leaves
300,000); the sample ballots are 42 同意, 17 反对, 9 弃权 of 76 units (68 take part).

Same fixtures as every browser test (``tests/browser_kit.py``) (one server and browser per module); under
``CI`` these tests run and fail when Chromium or Playwright is missing.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from browser_kit import download
from browser_kit import fill as _fill
from browser_kit import metric as _metric
from browser_kit import shot as _shot
from browser_kit import wait_metric as _wait_metric

pytestmark = pytest.mark.browser
LANGS = ["zh", "en"]


def _open(page, server: str, path: str, lang: str, title: tuple[str, str]) -> None:
    """Open `path` by URL; in English switch the sidebar radio and wait for the English title."""
    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
    page.get_by_role("heading", name=title[0]).first.wait_for(timeout=60_000)
    if lang == "en":
        page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
        page.get_by_role("heading", name=title[1]).first.wait_for(timeout=60_000)


def _download(page, button: str, tmp_path) -> Path:
    return download(page, button, tmp_path, exact=True)  # these buttons share words


def _pdf_pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def _xlsx_total(path: Path) -> tuple[float, int]:
    """The sheet's 合计 of 应分摊金额(元) and its number of household rows."""
    rows = list(openpyxl.load_workbook(path)["分户出资表"].iter_rows(values_only=True))
    assert rows[-1][0] == "合计"
    return rows[-1][rows[0].index("应分摊金额(元)")], len(rows) - 2


# (zh, en) texts of each page
HH = {
    "title": ("分户分摊 · 居民出资表", "Household sheet · who pays how much"),
    "metric": ("分摊总额", "Total shared"),
    "total": ("分摊总额（元）", "Total to share (yuan)"),
    "xlsx": ("下载出资表 xlsx", "Download sheet xlsx"),
    "csv": ("下载出资表 CSV", "Download sheet CSV"),
}
ELEV = {
    "title": ("加装电梯 · 单元分摊", "Elevator retrofit · one stairwell"),
    "net": ("住户分摊净额", "Net shared by households"),
    "fund": ("使用维修资金（元）", "Maintenance fund used (yuan)"),
    "city": ("补贴政策（城市）", "Subsidy rules (city)"),
    "shanghai": ("上海市", "Shanghai"),
    "xlsx": ("下载出资表 xlsx", "Download sheet xlsx"),
    "pdf": ("下载公示 PDF（隐去姓名）", "Download notice PDF (names masked)"),
}
VOTES = {
    "title": ("业主表决 · 计票", "Owners' vote · tally"),
    "verdict": ("表决结果", "Result"),
    "passed": ("通过", "passed"),
    "failed": ("未通过", "failed"),
    "matter": ("表决事项", "Matter"),
    "ordinary": ("其他共同决定事项", "other common matters"),
    "ballots": ("表决票（PDF）", "Ballot forms (PDF)"),
    "csv": ("下载 CSV", "Download CSV"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_household(server, page, tmp_path, lang):
    i = LANGS.index(lang)
    _open(page, server, "household", lang, HH["title"])
    assert _metric(page, HH["metric"][i]) == "100,000.00 元"
    _fill(page, HH["total"][i], "123456.78")
    _wait_metric(page, HH["metric"][i], "123,456.78 元")
    _shot(page, f"household_{lang}")
    if lang == "zh":
        total, n = _xlsx_total(_download(page, HH["xlsx"][i], tmp_path))
        assert (total, n) == (pytest.approx(123_456.78), 76)
    else:
        table = pd.read_csv(_download(page, HH["csv"][i], tmp_path), encoding="utf-8-sig")
        body = table[table.iloc[:, 0].astype(str) != "合计"]
        assert len(body) == 76
        assert body["应分摊金额(元)"].astype(float).sum() == pytest.approx(123_456.78)


@pytest.mark.parametrize("lang", LANGS)
def test_elevator(server, page, tmp_path, lang):
    i = LANGS.index(lang)
    _open(page, server, "elevator", lang, ELEV["title"])
    # no city is preselected: pick Shanghai's rule first
    page.get_by_role("combobox", name=ELEV["city"][i]).click()
    page.get_by_role("option", name=ELEV["shanghai"][i]).first.click()
    _wait_metric(page, ELEV["net"][i], "360,000.00 元")
    _fill(page, ELEV["fund"][i], "60000")
    _wait_metric(page, ELEV["net"][i], "300,000.00 元")
    _shot(page, f"elevator_{lang}")
    if lang == "zh":
        total, n = _xlsx_total(_download(page, ELEV["xlsx"][i], tmp_path))
        assert (total, n) == (pytest.approx(300_000.0), 12)
    else:
        text = "".join(_pdf_pages(_download(page, ELEV["pdf"][i], tmp_path)))
        flat = re.sub(r"\s+", "", text)
        assert "分摊总额：300,000.00元" in flat and "共12户" in flat


@pytest.mark.parametrize("lang", LANGS)
def test_votes(server, page, tmp_path, lang):
    i = LANGS.index(lang)
    _open(page, server, "votes", lang, VOTES["title"])
    assert _metric(page, VOTES["verdict"][i]) == VOTES["failed"][i]
    page.get_by_role("combobox", name=VOTES["matter"][i]).click()
    page.get_by_role("option", name=VOTES["ordinary"][i]).first.click()
    _wait_metric(page, VOTES["verdict"][i], VOTES["passed"][i])
    _shot(page, f"votes_{lang}")
    if lang == "zh":
        pages = _pdf_pages(_download(page, VOTES["ballots"][i], tmp_path))
        assert len(pages) == 76  # one form per unit of the sample register
        flat = re.sub(r"\s+", "", pages[0])
        assert "其他共同决定事项" in flat and "1号楼1单元101" in flat and "黄*" in flat
        assert not re.search(r"\d{7,}", "".join(pages))
    else:
        table = pd.read_csv(_download(page, VOTES["csv"][i], tmp_path), encoding="utf-8-sig")
        counted = dict(zip(table["threshold"], table["counted"], strict=True))
        assert counted["approve_owners"] == "42 / 68 owners"
        assert counted["quorum_owners"] == "68 / 76 owners"
        assert table["met"].all()
