"""Adding a province is one YAML file: no code, no translation entry, every page opens.

Regression: a new province's rule file (Jiangxi, telecom 60/40) crashed the household and
elevator pages with ``KeyError`` (a missing ``jur.jiangxi`` translation). Names now come
from the rule file, with a readable fallback, wherever a jurisdiction is shown.

The file below is a worked example of what a bureau adds (its split is illustrative, so
it is marked A with the reason); the fixture puts it in the rules folder for this module
only and removes it afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from costshare import jobs, rules

ROOT = Path(__file__).resolve().parent.parent
JIANGXI = """\
kind: rules
jurisdiction: {key: jiangxi, name: 江西省（测试）, code: "360000", level: province}
extends: national
description: A province added by one file (test fixture).
utility_categories: [telecom_cabling]
utility_splits:
  - id: jx.telecom_cabling
    label: 通讯、广电网络缆线迁改、规整
    category: telecom_cabling
    shares: {telecom_operators: 0.6, local_finance: 0.4}
    source:
      document: 测试用规则文件
      issuer: 测试
      article: 无
    confidence: A
    reason: illustrative split for the test of adding a province; no document
    effective_from: null
"""
FUJIAN = {"福建省", "Fujian", "Fujian Province", "fujian"}
PAGES = [p.stem for p in sorted((ROOT / "app_pages").glob("[!_]*.py"))]


@pytest.fixture(scope="module")
def jiangxi():
    import streamlit as st

    path = rules.RULES_DIR / "jiangxi.yaml"
    path.write_text(JIANGXI, encoding="utf-8")
    st.cache_data.clear()  # the app lists rule files once per process (a restart in use)
    try:
        yield "jiangxi"
    finally:
        path.unlink()
        st.cache_data.clear()


def test_a_community_of_the_new_province_runs(jiangxi: str) -> None:
    assert jiangxi in rules.available()
    patch = {"community": {"jurisdiction": jiangxi}, "rules_date": "2024-06-30"}
    job = jobs.CommunityJob.parse({"scenario": {"bundled": "fujian_default", "patch": patch}})
    result = job.run()
    split = result.split.table
    tele = split[split["category"] == "telecom_cabling"].set_index("payer")["amount_fen"]
    # the Fujian scenario's cabling costs 640,000 yuan: 60 % / 40 %
    assert tele.to_dict() == {"telecom_operators": 38_400_000, "local_finance": 25_600_000}
    assert result.uses_fen == result.sources_fen + result.gap_fen


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_with_the_new_province(jiangxi: str, page: str, lang: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    if lang == "en":
        at.radio(key="lang").set_value("English").run()
    assert not at.exception, [e.value for e in at.exception]
    # a picker that lists jurisdictions shows the new one by the name its file gives
    for box in [*at.selectbox, *at.multiselect]:
        options = [str(o) for o in box.options]
        if any(o.split("（")[0].split(" (")[0] in FUJIAN for o in options):
            assert "江西省（测试）" in options, (page, options)
            assert "jiangxi" not in options, (page, "the internal key is shown")
