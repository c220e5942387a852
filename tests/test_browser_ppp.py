"""The PPP and rules pages in a real browser (Debian Chromium via Playwright, headless),
in Chinese and in English.

Each page is opened by its own URL; the language is switched with the sidebar's radio.
PPP: change the loan rate, wait for the equity IRR the library computes for that rate,
download the annual cash flows (interest total and capex checked against the library) and
the loan schedule (its payments add up to the "total repaid" metric). Rules: pick Ningbo,
wait for the count of rules in force, download the table (same rows, headers in the
language, values without internal keys). Screenshots go to ``artifacts/``.

Server and browser fixtures are tests/browser_kit.py's: when ``CI`` is set these tests
always run and fail if Chromium or Playwright is missing.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from browser_kit import download as _download
from browser_kit import metric as _metric
from browser_kit import shot as _shot
from browser_kit import wait_metric as _wait_metric

from costshare import i18n, rules
from costshare.ppp import PPPProject, assess

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent


def _open(page, server: str, path: str, lang: str) -> None:
    """Open `path` by its URL and, for English, switch the sidebar's language radio."""
    page.goto(f"{server}/{path}", wait_until="domcontentloaded")
    heading = page.get_by_role("heading", name=i18n.t(f"{path}.title", lang)).first
    if lang == "en":
        page.get_by_role("heading", name=i18n.t(f"{path}.title", "zh")).first.wait_for(
            timeout=60_000
        )
        radio = page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True)
        for _ in range(6):  # a click during the first run's rendering may be lost
            radio.click()
            try:
                heading.wait_for(timeout=10_000)
                break
            except Exception:  # playwright's TimeoutError: click again
                continue
    heading.wait_for(timeout=60_000)


def _wan(text: str) -> float:
    """A metric such as "-1,501.87 万元" in yuan."""
    return float(text.split()[0].replace(",", "")) * 10_000


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ppp_page(server, page, tmp_path, lang):
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    example = PPPProject.from_yaml(ROOT / "scenarios/ppp/ppp_example.yaml")
    data = example.model_dump(mode="json")
    data["financing"]["loan"]["annual_rate"] = 0.06
    changed = PPPProject.model_validate(data)
    national = rules.load("national", on="2025-01-01")
    before, after = (assess(p, national) for p in (example, changed))

    _open(page, server, "ppp", lang)
    irr = t("ppp.m.equity_irr")
    _wait_metric(page, irr, f"{before.metrics.equity_irr:.2%}")
    box = page.get_by_role("spinbutton", name=t("ppp.pct", label=t("ppp.loan_rate")), exact=True)
    assert box.input_value() == "4.20"  # a rate shown as a percentage
    box.fill("6.00")
    box.press("Enter")
    _wait_metric(page, irr, f"{after.metrics.equity_irr:.2%}")
    assert after.metrics.equity_irr != before.metrics.equity_irr
    _shot(page, f"ppp_{lang}")

    flows = pd.read_csv(_download(page, t("dl.ppp_csv"), tmp_path), encoding="utf-8-sig")
    assert flows["capex"].abs().sum() == pytest.approx(100_000_000.0)
    assert flows["interest"].sum() == pytest.approx(after.table["interest_fen"].sum() / 100)
    assert flows["project_cum"].iloc[-1] == pytest.approx(flows["project_cf"].sum())

    loan = pd.read_csv(_download(page, t("dl.csv"), tmp_path), encoding="utf-8-sig")
    shown = _wan(_metric(page, t("ppp.total_payment")))
    assert abs(loan["payment"].sum() - shown) <= 50  # the metric is rounded to 0.01 万元


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rules_page(server, page, tmp_path, lang):
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    today = dt.date.today()
    counts = {k: len(rules.load(k, today).all_rules()) for k in ("fujian", "ningbo")}

    _open(page, server, "rules", lang)
    page.get_by_text(t("rules.count", n=counts["fujian"], on=today.isoformat())).wait_for(
        timeout=60_000
    )
    page.get_by_role("combobox", name=t("rules.pick")).click()
    page.get_by_role("option", name=i18n.label("jur", "ningbo", lang)).first.click()
    page.get_by_text(t("rules.count", n=counts["ningbo"], on=today.isoformat())).wait_for(
        timeout=60_000
    )
    _shot(page, f"rules_{lang}")

    table = pd.read_csv(_download(page, t("dl.csv"), tmp_path), encoding="utf-8-sig")
    assert len(table) == counts["ningbo"]
    row = table[table[t("rules.col.rule")] == "fund.standard_yuan_per_m2"].iloc[0]
    assert row[t("col.value")] == i18n.t("ruleval.yuan_m2", lang, v="80") + i18n.t(
        "ruleval.assumed", lang
    )
    assert row[t("col.kind")] == i18n.label("rule_kind", "Parameter", lang)
    cells = " ".join(
        table.drop(columns=[t("rules.col.rule")]).astype(object).fillna("").astype(str).stack()
    )
    assert not re.search(r"\b(?:quorum|approve)_\w+|\bUtilitySplit\b|\bVoteRule\b", cells)
