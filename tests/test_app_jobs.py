"""Pages as shells over the jobs (AppTest): inputs keyed by the document they edit, store
saves as job records, the store's history in yuan.

A browser keeps a widget's value while the widget's id stays the same, unless the server
sets the value; :func:`_browser_run` models that, so a page that only resets its session
state on a switch (and keeps its widget ids) shows, and on the next edit sends, the old
document's values — the bug these tests reproduce.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from costshare.jobs import CommunityJob, PPPJob

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def _app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if page:
        at.switch_page(page)
    return at.run()


def _inputs(at: AppTest) -> list:
    return [*at.number_input, *at.selectbox, *at.date_input]


def _browser_set(at: AppTest, widget: Any, value: Any) -> list[str]:
    """Set `widget` to `value` as a user would, rerun, then keep what a browser shows:
    every other widget whose id survived the rerun keeps its old value unless the server
    set it (``set_value``). Returns the keys of the widgets left showing an old value."""
    before = {w.id: w.value for w in _inputs(at) if w.id != widget.id}
    widget.set_value(value)
    at.run()
    stale = []
    for w in _inputs(at):
        if w.id in before and before[w.id] != w.value and not w.proto.set_value:
            w.set_value(before[w.id])
            stale.append(w.key)
    return stale


def _field(elements, field: str):
    """The widget editing `field` of the open document (key ``{prefix}{doc}:{field}``)."""
    hits = [w for w in elements if w.key and w.key.split(":", 1)[-1] == field]
    assert len(hits) == 1, [w.key for w in elements]
    return hits[0]


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_community_switch_takes_every_value_from_the_new_scenario():
    """Fujian → Ningbo: 户数 360 (not 480), the residents' 20 元/m² (not 600/户), and the
    next edit gives Ningbo's 10,555.56 per household (not a mix: 7,916.67)."""
    at = _app()
    assert _field(at.number_input, "households").value == 480
    stale = _browser_set(at, at.selectbox(key="community_bundled"), "ningbo_fund_topup.yaml")
    assert not at.exception
    assert stale == []
    assert _field(at.number_input, "households").value == 360
    assert _field(at.selectbox, "res_basis").value == "per_m2"
    assert _field(at.number_input, "res_value").value == 20.0
    area = _field(at.number_input, "area")
    _browser_set(at, area, area.value + 1)  # the next edit
    assert _metrics(at)["户均投资"] == "10,555.56 元"
    ningbo = CommunityJob.parse({"scenario": {"bundled": "ningbo_fund_topup.yaml"}}).run()
    assert _metrics(at)["改造总投资"] == f"{Decimal(ningbo.uses_fen) / 1_000_000:,.2f} 万元"


def test_ppp_switch_takes_every_value_from_the_new_project():
    """ppp_example → Chongqing: the cost and the loan rate are Chongqing's, and changing
    only the loan rate gives the NPV of Chongqing's project with that rate."""
    at = _app("app_pages/ppp.py")
    assert _field(at.number_input, "cost").value == 100_000_000.0
    picker = at.selectbox(key="ppp_m_bundled")
    stale = _browser_set(at, picker, "ppp/chongqing_jiulongpo.yaml")
    assert not at.exception
    assert stale == []
    cq = PPPJob.parse({"project": {"bundled": "ppp/chongqing_jiulongpo.yaml"}})
    loan = cq.model.financing.loan
    assert _field(at.number_input, "cost").value == float(cq.model.construction.cost)
    assert _field(at.number_input, "loan_rate").value == round(float(loan.annual_rate) * 100, 4)
    rate = _field(at.number_input, "loan_rate")
    _browser_set(at, rate, 3.5)
    patch = {"financing": {"loan": {"annual_rate": "0.035"}}}
    want = PPPJob.parse(
        {"project": {"bundled": "ppp/chongqing_jiulongpo.yaml", "patch": patch}}
    ).run()
    npv = want.metrics.project_npv
    assert any(f"{npv / 10_000:,.0f}" in m.value for m in at.metric), _metrics(at)
