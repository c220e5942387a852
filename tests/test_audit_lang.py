"""The audit appendix and RuleSet.describe worded in Chinese or English (for the app's screen),
one wording whatever the caller: no language given means Chinese, as the translation table."""

from __future__ import annotations

from costshare import rules
from costshare.community.scenario import Scenario, default_scenario_path
from costshare.report.audit import audit_frame


def _fujian():
    return rules.load("fujian", on="2024-06-30")


def test_default_words_are_the_chinese_words():
    """Regression: without a language the appendix showed internal keys
    (供电线路及设备（power_company）, unit /1); there is one wording now."""
    result = Scenario.from_yaml(default_scenario_path()).run()
    df = audit_frame(result)
    power = df[df["rule"] == "fj.power.power_company"].iloc[0]
    assert power["parameter"] == "供电线路及设备（供电企业）：供电企业"
    assert power["unit"] == "比例"
    zh = audit_frame(result, lang="zh")
    for col in ("parameter", "value", "unit"):
        assert df[col].tolist() == zh[col].tolist(), col


def test_chinese_and_english_words():
    result = Scenario.from_yaml(default_scenario_path()).run()
    zh = audit_frame(result, lang="zh")
    en = audit_frame(result, lang="en")
    pz = zh[zh["rule"] == "fj.power.power_company"].iloc[0]
    pe = en[en["rule"] == "fj.power.power_company"].iloc[0]
    assert pz["parameter"] == "供电线路及设备（供电企业）：供电企业"
    assert (pz["unit"], pz["effective_from"]) == ("比例", "未注明日期")
    assert pe["parameter"] == "Power lines and equipment (Power utility): Power utility"
    assert (pe["unit"], pe["effective_from"]) == ("share", "undated")
    # the same rows, values and rule ids whatever the language
    assert zh["rule"].tolist() == en["rule"].tolist()
    assert zh["value"].tolist() == en["value"].tolist()


def test_describe_in_a_language():
    rs = rules.load("national", on="2024-01-01")
    area = rs.basis_rule("area")
    assert rs.describe(area)["value"] == "按专有部分面积"
    assert rs.describe(area, "zh")["value"] == "按专有部分面积"
    assert rs.describe(area, "en")["value"] == "By exclusive area"
    rs = _fujian()
    tele = next(r for r in rs.all_rules() if r.id == "fj.telecom_cabling")
    assert rs.describe(tele, "zh")["value"] == "通信及广电企业 65%，地方财政 35%"
    assert (
        rs.describe(tele, "en")["value"] == "Telecom and cable-TV operators 65%, Local finance 35%"
    )
    gz = rules.load("guangzhou", on="2024-06-30")
    floors = next(r for r in gz.all_rules() if type(r).__name__ == "FloorRule")
    assert rs.describe(floors, "zh")["value"].startswith("系数：3 层 0.7，4 层 0.8")
