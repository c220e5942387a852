"""What shells read before they have a request (costshare.jobs.lookup), the store's
results in yuan, and the plan request reading candidate ids as text."""

from __future__ import annotations

import datetime as dt

import pytest

from costshare import jobs
from costshare.errors import InputError
from costshare.jobs import FileInput, PlanJob, PPPJob, lookup
from costshare.store.content import to_text
from costshare.store.diff import results_in_yuan

ON = dt.date(2025, 1, 1)


def test_document_data_opens_a_stored_record_of_each_document_job():
    """A saved record (community, PPP, operation, portfolio) gives back its document."""
    cases = {
        "community": {"scenario": {"bundled": "ningbo_fund_topup.yaml"}},
        "ppp": {"project": {"bundled": "ppp/chongqing_jiulongpo.yaml"}},
        "operation": {"scenario": {"bundled": "operation/changping_closed_estate.yaml"}},
    }
    for kind, request in cases.items():
        job = jobs.parse(kind, {**request, "on": ON})
        source = next(iter(request.values()))
        want = jobs.DocumentSource(**source).resolve(kind)
        text = to_text(job.record())
        got = lookup.document_data(kind, text, "saved.yaml")
        assert jobs.canonical_json(got) == jobs.canonical_json(want), kind


def test_document_data_of_a_plain_file_checks_its_kind():
    text = "kind: ppp\nname: x\n"
    assert lookup.document_data("ppp", text, "x.yaml") == {"name": "x"}
    with pytest.raises(InputError, match=r"x\.yaml.*ppp"):
        lookup.document_data("community", text, "x.yaml")


def test_rule_names_and_rules_table_agree():
    """Every payer and category of a rule file is in the merged vocabulary (with the
    pooled payer); the rules table has one row per rule, its id first."""
    names = lookup.rule_names("fujian", ON)
    vocab = lookup.vocabulary(ON)
    assert set(names["payers"]) | {"pooled"} <= set(vocab["payers"])
    assert set(names["categories"]) <= set(vocab["categories"])
    table = lookup.rules_table("fujian", ON, "zh")
    assert table.columns[0] == "rule" and table.columns[-1] == "kind_key"
    assert table["rule"].is_unique and len(table) > 10


def test_results_in_yuan_hand_computed():
    """1,025,000,000 fen is 10,250,000.00 yuan; counts and text stay; nested rows too."""
    got = results_in_yuan(
        {
            "uses_fen": 1_025_000_000,
            "households": 480,
            "project_npv": "-65210000.00",
            "小区甲": {"cumulative_fen": 1, "breakeven_fee_fen": 250},
            "flag_fen": True,
        }
    )
    assert got == {
        "uses_fen": "10,250,000.00",
        "households": 480,
        "project_npv": "-65210000.00",
        "小区甲": {"cumulative_fen": "0.01", "breakeven_fee_fen": "2.50"},
        "flag_fen": True,
    }
    assert results_in_yuan(None) == {}


def test_plan_job_keeps_ids_as_text_under_chinese_headers():
    """Ids like 007 under 小区编号 stay text (the page read them so; the job now does too)."""
    csv = "小区编号,区县,投资（元）,建成年份,配套设施短板,安全隐患,同意比例,自筹比例,长效管理\n"
    csv += "007,鼓楼区,1000000,1990,3,1,0.9,0.1,1\n008,台江区,2000000,1985,5,2,0.8,0.05,0\n"
    job = PlanJob(candidates=FileInput.from_bytes(csv.encode(), "c.csv"), budget="2500000", on=ON)
    result = job.run()
    assert set(result.table["community_id"]) == {"007", "008"}
    assert result.spent_fen <= 250_000_000


def test_ppp_request_digest_is_its_cache_key():
    """The same project reached two ways (bundled + patch, or inline) is one cache entry."""
    patch = {"financing": {"loan": {"annual_rate": "0.035"}}}
    a = PPPJob.parse({"project": {"bundled": "ppp/ppp_example.yaml", "patch": patch}, "on": ON})
    data = jobs.DocumentSource(bundled="ppp/ppp_example.yaml", patch=patch).resolve("ppp")
    b = PPPJob.parse({"project": {"data": data}, "on": ON})
    assert a.digest() == b.digest()
    assert a.run().metrics.project_npv == b.run().metrics.project_npv
