"""The annual-plan page (AppTest) on the sample candidates (8 communities, 3 districts).

Scores rank 东街 12.0 M, 对湖 13.9 M, 西湖 15.6 M, 宁化 9.8 M, 上海新村 11.3 M, 程埔 6.2 M,
南营 8.5 M, 洋中 7.4 M. Under 40 M: 东街 + 对湖 = 25.9 M, 西湖 would exceed, 宁化 → 35.7 M,
the rest exceed the 4.3 M left.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def _page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("app_pages/plan.py")
    return at.run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_plan_under_the_budget():
    at = _page()
    assert not at.exception
    m = _metrics(at)
    assert m["入选小区"] == "3 / 8"
    assert m["已安排资金"] == "3,570.00 万元"
    table = at.dataframe[1].value
    assert table["decision"].tolist()[:3] == ["入选", "入选", "超出预算"]


def test_budget_and_withdrawal_change_the_plan():
    at = _page()
    # 50 M: 东街, 对湖, 西湖 (41.5 M), 宁化 would exceed, 程埔 → 47.7 M
    at.number_input(key="plan_budget").set_value(50_000_000.0).run()
    assert _metrics(at)["入选小区"] == "4 / 8"
    assert _metrics(at)["已安排资金"] == "4,770.00 万元"
    # back to 40 M with 东街 withdrawn: 对湖, 西湖, 宁化 = 39.3 M
    at.number_input(key="plan_budget").set_value(40_000_000.0).run()
    at.multiselect(key=f"plan_{at.session_state['plan_doc']}:exclude").set_value(
        ["鼓楼区·东街小区"]
    ).run()
    assert _metrics(at)["已安排资金"] == "3,930.00 万元"
    assert "退出" in at.dataframe[1].value["decision"].tolist()


def test_reasons_and_headers_in_the_chosen_language():
    """Reasons from the library's code + parameters: 宁化 comes in at rank 4 with 35.7 M spent;
    西湖 (15.6 M) is over the 14.1 M left after 东街 and 对湖 (25.9 M)."""
    at = _page()
    table = at.dataframe[1].value.set_index("community_id")
    assert table.loc["鼓楼区·西湖新村", "reason"] == (
        "超出预算：投资 15,600,000.00 元，剩余 14,100,000.00 元"
    )
    assert table.loc["台江区·宁化小区", "reason"].startswith("入选：排名第4，得分")
    shown = at.dataframe[3].value.columns.tolist()  # the candidate table, Chinese headers
    assert shown[:3] == ["小区编号", "区县", "投资（元）"]
    at.radio(key="lang").set_value("English").run()
    table = at.dataframe[1].value.set_index("community_id")
    assert table.loc["鼓楼区·西湖新村", "reason"].startswith("over budget: costs 15,600,000.00")
    assert at.dataframe[3].value.columns.tolist()[:3] == ["Community", "District", "Cost (yuan)"]
