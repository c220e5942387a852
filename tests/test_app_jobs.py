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

import pytest
from streamlit.testing.v1 import AppTest

from costshare import i18n, jobs
from costshare import store as cs_store
from costshare.jobs import CommunityJob, PPPJob

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("COSTSHARE_DB", url)
    monkeypatch.setenv("COSTSHARE_AUTHOR", "测试员")
    return url


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


def test_community_save_is_the_job_record_and_history_shows_yuan(db):
    """The page saves ``CommunityJob.record``: the store recomputes it to the fen, the
    history table shows 元 (10,000,000.00, not the fen 1,000,000,000), and the record opens
    again as the page's scenario."""
    at = _app()
    at.button(key="community_store_save").click().run()
    assert not at.exception
    with cs_store.Store(db) as s:
        v = cs_store.get(s, "fujian_default")
    assert v.kind == "community" and v.data["job"] == "community"
    again = jobs.recompute(v.data)
    assert (again.uses_fen, again.gap_fen) == (1_000_000_000, 7_600_000)
    assert v.results == {
        "uses_fen": 1_000_000_000,
        "sources_fen": 992_400_000,
        "gap_fen": 7_600_000,
    }
    (history,) = [d.value for d in at.dataframe if "总投资（元）" in d.value.columns]
    assert history["总投资（元）"].tolist() == ["10,000,000.00"]
    assert history["资金缺口（元）"].tolist() == ["76,000.00"]
    fresh = _app()
    fresh.radio(key="community_source").set_value("store").run()
    assert not fresh.exception and not fresh.error
    assert _field(fresh.number_input, "households").value == 480
    assert _metrics(fresh)["资金缺口"] == "76,000.00 元"


def test_ppp_save_is_the_job_record(db):
    """The PPP page saves ``PPPJob.record`` with the edited drivers; recomputed from the
    store it gives the NPV the page shows."""
    at = _app("app_pages/ppp.py")
    _field(at.number_input, "cost").set_value(120_000_000.0).run()
    at.button(key="ppp_store_save").click().run()
    assert not at.exception
    with cs_store.Store(db) as s:
        (doc,) = cs_store.documents(s)
        v = cs_store.get(s, doc.name)
    assert (v.kind, v.data["job"]) == ("ppp", "ppp")
    assert v.data["request"]["project"]["data"]["construction"]["cost"] == "120000000.00"
    npv = jobs.recompute(v.data).metrics.project_npv
    assert v.results["project_npv"] == str(npv)
    assert _metrics(at)["项目净现值"] == f"{Decimal(npv) / 10_000:,.2f} 万元"


def test_community_edits_do_not_follow_a_switch():
    """An edited work item of Fujian does not leak into Ningbo's editor: after the switch
    the total is Ningbo's own, and switching back starts Fujian again from its file."""
    at = _app()
    doc = at.session_state["community_doc"]
    at.session_state[f"community_{doc}:items"] = {
        "edited_rows": {0: {"cost": 2_000_000.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert _metrics(at)["改造总投资"] == "1,114.00 万元"
    at.selectbox(key="community_bundled").set_value("ningbo_fund_topup.yaml").run()
    assert _metrics(at)["改造总投资"] == "380.00 万元"
    assert not [k for k in at.session_state if str(k).startswith(f"community_{doc}:")]
    at.selectbox(key="community_bundled").set_value("fujian_default.yaml").run()
    assert _metrics(at)["改造总投资"] == "1,000.00 万元"


SHELLS = ["community", "compare", "city", "plan", "ppp", "operation", "rules"]
SHELLS += ["_cache", "_cache_city", "_cache_plan", "_cache_ppp", "_cache_operation"]
SHELLS += ["_cache_rules", "_community_results", "_ppp_sections", "_ppp_tools", "_ppp_view"]


def test_these_pages_only_build_requests():
    """No rules are loaded and no JSON text is passed around in these pages: the jobs
    (``costshare.jobs``) decide the rules; cached wrappers take requests, not JSON."""
    import ast

    for page in SHELLS:
        tree = ast.parse((ROOT / "app_pages" / f"{page}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("load", "loads", "dumps"):
                owner = node.value.id if isinstance(node.value, ast.Name) else ""
                assert owner not in ("rules", "json"), f"{page}.py:{node.lineno}"
            if isinstance(node, ast.ImportFrom) and node.module in ("costshare.rules", "json"):
                names = {a.name for a in node.names}
                assert not names & {"load", "loads", "RuleSet"}, f"{page}.py:{node.lineno}"
            if isinstance(node, ast.Import):
                assert "json" not in {a.name for a in node.names}, f"{page}.py:{node.lineno}"
            if isinstance(node, ast.arg):
                assert "json" not in node.arg, f"{page}.py:{node.lineno} {node.arg}"


def test_ppp_page_takes_the_fiscal_data_the_10_percent_line_needs():
    """Chongqing's project has no fiscal section: the page asks for the three figures and
    then tests affordability (2,000,000,000 yuan growing 3 %, others 50,000,000: passes)."""
    at = _app("app_pages/ppp.py")
    at.selectbox(key="ppp_m_bundled").set_value("ppp/chongqing_jiulongpo.yaml").run()
    assert any("财政承受能力无法测算" in i.value for i in at.info)
    _field(at.number_input, "fiscal_budget").set_value(2_000_000_000.0).run()
    _field(at.number_input, "fiscal_growth").set_value(3.0).run()
    _field(at.number_input, "fiscal_other").set_value(50_000_000.0).run()
    assert not at.exception
    assert not any("财政承受能力无法测算" in i.value for i in at.info)
    assert any(s.value == i18n.t("ppp.afford_pass") for s in at.success)
