"""The PPP page (AppTest): revenues taken from an operation scenario, and the audit appendix.

Issue 14's PPP link (:func:`costshare.operation.ppp_revenues`) on the page: with the toggle
on, the revenue lines are the operator's income of the chosen communities of a bundled
operation scenario, named with its sources, and the project figures follow them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from costshare.operation import OperationScenario, ppp_revenues, run_scenario

ROOT = Path(__file__).resolve().parent.parent
OP = "operation/yancheng_leased_rooms.yaml"


def _ppp() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("app_pages/ppp.py")
    at.run()
    assert not at.exception
    return at


def test_revenues_from_an_operation_scenario():
    """The editor's revenue lines are ppp_revenues of the chosen communities; NPV follows."""
    scenario = OperationScenario.from_yaml(ROOT / "scenarios" / OP)
    first = scenario.communities[0].name
    one = scenario.model_copy(update={"communities": [scenario.communities[0]]})
    expect = ppp_revenues(run_scenario(one, dt.date.today()))

    at = _ppp()
    before = at.metric[0].value
    at.toggle(key="ppp_op_on").set_value(True).run()
    at.selectbox(key="ppp_op_name").set_value(OP).run()
    at.multiselect(key="ppp_op_communities").set_value([first]).run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert shown["name"].tolist() == [r["name"] for r in expect]
    assert shown["annual_amount"].tolist() == [float(r["annual_amount"]) for r in expect]
    assert at.metric[0].value != before
    captions = " ".join(c.value for c in at.caption)
    assert OP in captions and "1 个小区" in captions
    assert any(s.seed in x.value for s in scenario.sources for x in at.text)


def test_audit_appendix_lists_the_affordability_lines_and_assumptions():
    """The audit table shows the 10% and 5% lines with their documents and the rates."""
    at = _ppp()
    audit = next(df.value for df in at.dataframe if "confidence" in df.value.columns)
    rows = dict(zip(audit["rule"], audit["value"], strict=True))
    assert rows["ppp.affordability_cap"] == "10%" and rows["ppp.warning_line"] == "5%"
    assert "政府和社会资本合作项目财政承受能力论证指引" in audit["document"].tolist()
    assumed = audit[audit["section"] == "假设"]
    assert "4.20%" in assumed["value"].tolist()
