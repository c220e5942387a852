"""The operation page (AppTest): the public-income vote and the store panel.

The sample register has 76 units and the sample ballots 68 votes, 42 of them 同意.
Using common parts for business (Civil Code Art. 278, matter change_use: 2/3 of area and
owners take part, 3/4 of the participating area and owners agree): 68 of 76 owners take
part, 3/4 × 68 = 51 yes votes are needed, so 42 fall 9 short and the vote fails.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def _page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("app_pages/operation.py")
    return at.run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_without_ballots_the_page_flags_the_vote():
    at = _page()
    assert not at.exception
    assert any("须经业主表决" in i.value for i in at.info)
    assert "表决结果" not in _metrics(at)


def test_sample_ballots_are_tallied():
    at = _page()
    at.radio(key="op_vote_source").set_value("sample").run()
    assert not at.exception
    m = _metrics(at)
    assert m["表决结果"] == "未通过"
    assert m["同意（户 · 面积）"].startswith("42 ·")
    assert m["还需同意的户数"] == "9"
    assert not any("须经业主表决" in i.value for i in at.info)


def test_store_save_change_save_diff_and_reopen():
    """Save the Changping scenario, switch to Yancheng's and save under the same name: two
    versions, a diff with the cumulative surplus of each, and version 2 opens after a restart."""
    at = _page()
    at.text_input(key="op_store_name").set_value("运营测算").run()
    at.button(key="op_store_save").click().run()
    assert [s.value for s in at.success if "已保存为第 1 版" in s.value]
    yancheng = "operation/yancheng_leased_rooms.yaml"
    at.selectbox(key="op_bundled").set_value(yancheng).run()
    at.button(key="op_store_save").click().run()
    assert not at.exception
    assert [s.value for s in at.success if "已保存为第 2 版" in s.value]
    shown = [df.value for df in at.dataframe]
    results = next(df for df in shown if "结果" in df.columns)
    assert "累计结余（元）" in results["结果"].tolist()
    assert any("字段" in df.columns for df in shown)  # the field-level diff

    again = _page()
    again.radio(key="op_source").set_value("store").run()
    again.selectbox(key="op_store_ver").set_value(2).run()
    assert not again.exception
    assert any("盐城式" in md.value for md in again.markdown)
