"""The transfers and evaluation pages open with their bundled examples (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from costshare import i18n

ROOT = Path(__file__).resolve().parent.parent


def _run(page: str, lang: str = "中文") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages" / page), default_timeout=60)
    at.session_state["lang"] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["中文", "English"])
def test_transfers_page_shows_the_pot_to_the_fen(lang):
    at = _run("transfers.py", lang)
    assert not at.exception and not at.error
    assert at.metric[0].value == "310,000,000.00"  # the Yancheng example (seed 003 line 18)
    grants = at.dataframe[1].value["grant"]
    assert sum(grants) == 310_000_000


def test_transfers_page_switches_example():
    at = _run("transfers.py")
    at.selectbox(key="tr_pick").set_value("jiangsu_weak_areas").run()
    assert at.metric[0].value == "100,000,000.00"


@pytest.mark.parametrize("lang", ["中文", "English"])
def test_evaluation_page_applies_the_gate(lang):
    at = _run("evaluation.py", lang)
    assert not at.exception and not at.error
    assert at.metric[0].value == "27 / 36"  # sample survey over 36 households
    assert "4" in at.metric[2].value or "2" in at.metric[2].value
    at.number_input(key="ev_hh").set_value(30).run()
    assert at.metric[0].value == "27 / 30"  # 9/10 ≥ 4/5


@pytest.mark.parametrize("lang", ["中文", "English"])
def test_consent_page_gates_the_plan(lang):
    at = _run("consent.py", lang)
    assert not at.exception and not at.error
    plan = at.dataframe[1].value.set_index("community_id")
    # Hebei sample: 洋中 60 of 90 agree (2/3 < 4/5); 程埔 has no vote; shown in words
    words = i18n.t("plan.decision.not_eligible", "en" if lang == "English" else "zh")
    assert plan.loc["台江区·洋中小区", "decision"] == words
    assert plan.loc["仓山区·程埔小区", "decision"] == words


def test_consent_page_yichang_needs_everyone():
    at = _run("consent.py")
    at.selectbox(key="cg_jur").set_value("宜昌市").run()
    consent = at.dataframe[0].value.set_index("community_id")
    assert not consent.loc["鼓楼区·南营小区", "passed"]  # 179 of 180


def test_community_page_never_balanced_while_an_earmark_is_broken():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    box = at.selectbox(key="community_bundled")
    pick = [o for o in box.options if "节能改造缩减" in o or "earmark" in o.lower()]
    box.set_value(pick[0]).run()
    assert not at.exception and not at.error
    gap = {m.label: m.value for m in at.metric}
    assert gap.get("资金缺口") == "22,870,000.00 元"  # the 22.87 M the earmark may not pay
    assert "收支平衡" not in gap


@pytest.mark.parametrize("lang", ["中文", "English"])
def test_after_page_suggests_merges_and_depreciates(lang):
    at = _run("after.py", lang)
    assert not at.exception and not at.error
    values = [m.value for m in at.metric]
    custody, self_managed = (
        ("社区托管", "居民自管") if lang == "中文" else ("Community custody", "Self-management")
    )
    assert values[0] == custody  # 180 households, 60 % collected: custody
    assert "1,086.67" in values[1] and "697.78" in values[2]  # Changping-like merge
    at.checkbox(key="af_will").check().run()
    assert at.metric[0].value.startswith(self_managed)
    words = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert ("seed 001 line 56" in words) == (
        lang == "English"
    )  # the reasons in the page's language
