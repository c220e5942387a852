"""The HTTP API: every job's route answers what the job itself gives, files, trace, errors.

Most tests use FastAPI's TestClient (in process); one starts ``costshare api`` as a real
uvicorn server on 127.0.0.1 and talks to it with httpx.
"""

from __future__ import annotations

import base64
import io
import json
import math
import os
import socket
import subprocess
import sys
import time
from decimal import Decimal

import fastapi  # noqa: F401  (a dev dependency: never skipped)
import httpx
import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from costshare import jobs, rules
from costshare.api import create_app
from costshare.api.routes import FILES, answer
from costshare.api.server import MAX_BODY_BYTES, problems_json
from costshare.cli import app as cli_app
from costshare.errors import InputError
from costshare.jobs.base import MAX_FILE_BYTES
from costshare.jobs.output import json_text, to_jsonable
from costshare.kinds import ROOT

ROSTER = ROOT / "data" / "sample_roster.xlsx"
BALLOTS = ROOT / "costshare" / "data" / "sample_ballots.csv"
CANDIDATES = ROOT / "costshare" / "data" / "sample_plan_candidates.csv"


def b64(path, name=None) -> dict[str, str]:
    data = path.read_bytes() if hasattr(path, "read_bytes") else path
    return {"name": name or path.name, "content_b64": base64.b64encode(data).decode()}


REQUESTS = {
    "community": {"scenario": "fujian_default"},
    "portfolio": {"portfolio": {"bundled": "fujian_city_example.yaml"}},
    "sheet": {
        "roster": b64(ROSTER),
        "amount": {"kind": "total", "yuan": "120000"},
        "on": "2024-06-01",
    },
    "vote": {
        "units": b64(ROSTER),
        "ballots": b64(BALLOTS),
        "matter": "elevator",
        "on": "2024-06-01",
    },
    "ppp": {"project": "ppp_example"},
    "operation": {"scenario": "changping_closed_estate", "on": "2024-06-01"},
    "plan": {"candidates": b64(CANDIDATES), "budget": "30000000", "on": "2024-06-01"},
    "goal_seek": {"scenario": "fujian_default", "target": "residents.per_household"},
    "gate": {
        "candidates": b64(CANDIDATES),
        "votes": b64(ROOT / "scenarios" / "consent" / "hebei_inclusion_votes.csv"),
        "matters": ["inclusion"],
        "jurisdiction": "hebei",
        "budget": "40000000",
        "on": "2024-06-30",
    },
    "evaluate": {
        "survey": b64(ROOT / "scenarios" / "evaluation" / "sample_survey.csv"),
        "households": 36,
        "on": "2024-06-30",
    },
    "transfers": {"pot": "yancheng_reward_subsidy"},
    "elevator_life": {
        "roster": b64(ROSTER),
        "cost": "300000",
        "maintenance": "8000",
        "compensation": "2000",
        "on": "2024-06-01",
    },
    "suggest_mode": {"households": 90, "collection_rate": "0.5", "current": "backstop"},
    "merge_estates": jobs.MergeEstatesJob.from_document(
        yaml.safe_load((ROOT / "scenarios" / "management" / "changping_merge.yaml").read_bytes())
    ).request_json(),
    "handover": {"scenario": "fujian_default", "on": "2024-06-30"},
    "tax_relief": {"spend": "153000000", "life": 20, "tax_rate": "0.25", "discount": "0.05"},
    "sweep": {"communities": 40, "households": 8000, "chunk": 20, "on": "2024-06-30"},
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(), raise_server_exceptions=False)


def test_every_job_has_a_sample_request():
    assert set(REQUESTS) == set(jobs.JOBS)


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_job_route_answers_the_jobs_own_summary_digest_and_record(client, name):
    r = client.post(f"/v1/{name}", json=REQUESTS[name])
    assert r.status_code == 200, r.text
    body = r.json()
    job = jobs.parse(name, REQUESTS[name])
    result = job.run()
    assert body["job"] == name
    assert body["digest"] == job.digest()
    assert body["result"] == to_jsonable(job.summary(result))
    assert body["record"] == to_jsonable(job.record(result))
    assert body["record"]["request"] == job.request_json()


def test_job_routes_give_the_hand_checked_figures(client):
    sheet = client.post("/v1/sheet", json=REQUESTS["sheet"]).json()["result"]
    # 120,000 yuan over the sample roster's 76 households, to the fen
    assert (sheet["households"], sheet["total_fen"], sheet["total"]) == (
        76,
        12_000_000,
        "120000.00",
    )
    assert sum(Decimal(h["share"]) for h in sheet["households_table"]) == Decimal("120000")
    vote = client.post("/v1/vote", json=REQUESTS["vote"]).json()["result"]
    # sample_ballots.csv: 42 同意, 17 反对, 9 弃权 of 68 ballots; 76 - 68 = 8 did not vote
    assert (vote["counts"]["yes"], vote["counts"]["no"], vote["counts"]["abstain"]) == (42, 17, 9)
    assert vote["counts"]["absent"] == 8
    plan = client.post("/v1/plan", json=REQUESTS["plan"]).json()["result"]
    assert Decimal(plan["spent"]) <= Decimal(plan["budget"]) == Decimal("30000000")
    seek = client.post("/v1/goal_seek", json=REQUESTS["goal_seek"]).json()["result"]
    # payable to the fen: 758.34 per household leaves 3.20 yuan over (480 × 758.34 − ...)
    assert Decimal(seek["gap"]) == -Decimal(seek["leftover"]) and Decimal(
        seek["leftover"]
    ) < 480 * Decimal("0.01")


def test_short_form_is_the_bundled_file_and_equals_the_cli_json(client):
    short = client.post("/v1/community", json={"scenario": "fujian_default"}).json()
    long = client.post("/v1/community", json={"scenario": {"bundled": "fujian_default.yaml"}})
    assert short == long.json()
    path = ROOT / "scenarios" / "fujian_default.yaml"
    out = CliRunner().invoke(cli_app, ["run", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == short["result"]
    # the fujian_default gap: 76,000 yuan (uses 10,000,000 − sources 9,924,000)
    assert short["record"]["results"]["gap_fen"] == 7_600_000


def test_a_what_if_patch_changes_the_answer_and_the_digest(client):
    base = client.post("/v1/community", json={"scenario": "fujian_default"}).json()
    patch = {"funding": {"central_subsidy": 3_576_000}}  # exactly the 76,000 yuan gap more
    r = client.post(
        "/v1/community", json={"scenario": {"bundled": "fujian_default", "patch": patch}}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["record"]["results"]["gap_fen"] == 0
    assert body["digest"] != base["digest"]
    assert jobs.recompute(body["record"]).gap_fen == 0


_ITEMS = jobs.CommunityJob.parse({"scenario": "fujian_default"}).scenario.resolve("community")[
    "work_items"
]


@st.composite
def community_patches(draw):
    households = draw(st.integers(50, 3000))
    patch = {
        "community": {
            "households": households,
            "area_m2": draw(st.integers(30, 140)) * households,
        },
        "funding": {
            "central_subsidy": draw(st.integers(0, 8_000_000)),
            "residents": {"per_household": draw(st.integers(0, 3000))},
        },
    }
    if draw(st.booleans()):
        costs = draw(
            st.lists(st.integers(0, 3_000_000), min_size=len(_ITEMS), max_size=len(_ITEMS))
        )
        patch["work_items"] = [{**w, "cost": c} for w, c in zip(_ITEMS, costs, strict=True)]
    return patch


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(patch=community_patches())
def test_api_equals_the_job_for_random_community_patches(client, patch):
    request = {"scenario": {"bundled": "fujian_default", "patch": patch}, "on": "2024-06-30"}
    r = client.post("/v1/community", json=request)
    job = jobs.CommunityJob.parse(request)
    result = job.run()
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["result"] == to_jsonable(job.summary(result))
    assert body["digest"] == job.digest()
    assert body["record"]["results"]["gap_fen"] == result.gap_fen
    assert jobs.recompute(body["record"]).gap_fen == result.gap_fen  # the record alone suffices
    assert result.uses_fen == result.sources_fen + result.gap_fen


MAGIC = {"xlsx": b"PK\x03\x04", "pdf": b"%PDF", "csv": b"\xef\xbb\xbf"}
TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


@pytest.mark.parametrize(("name", "fmt"), sorted(FILES))
def test_file_routes_give_the_file_with_its_type(client, name, fmt):
    r = client.post(f"/v1/{name}/{fmt}", json=REQUESTS[name], params={"community": "示范小区"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == TYPES[fmt]
    assert r.content.startswith(MAGIC[fmt])
    digest = jobs.parse(name, REQUESTS[name]).digest()
    assert r.headers["x-costshare-digest"] == digest
    assert f'filename="{name}-{digest[:12]}.{fmt}"' in r.headers["content-disposition"]


def test_sheet_files_hold_the_sheet(client):
    xlsx = client.post("/v1/sheet/xlsx", json=REQUESTS["sheet"]).content
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert wb.sheetnames[0] == "分户出资表"
    text = client.post("/v1/sheet/csv", json=REQUESTS["sheet"]).content.decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), dtype=str)
    assert len(frame) == 76


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_trace_lists_the_rule_values_and_their_sources(client, name):
    r = client.post(f"/v1/trace/{name}", json=REQUESTS[name])
    assert r.status_code == 200, r.text
    rows = r.json()["trace"]
    assert rows, "a result rests on at least one sourced value"
    for row in rows:
        if row["section"] in ("rule", "criterion"):
            assert row["document"] and row["confidence"] in ("H", "M", "S", "A")


def test_trace_of_the_default_community_and_a_ppp_project(client):
    rows = client.post("/v1/trace/community", json={"scenario": "fujian_default"}).json()["trace"]
    assert [r["value"] for r in rows if r["rule"] == "fj.telecom_cabling"] == ["0.65", "0.35"]
    ppp = client.post("/v1/trace/ppp", json={"project": "ppp_example"}).json()["trace"]
    assert {r["rule"] for r in ppp} == {"ppp.affordability_cap", "ppp.warning_line"}


def test_rules_route_gives_the_rules_in_force_with_their_sources(client):
    r = client.get("/v1/rules/fujian", params={"on": "2024-06-01"})
    assert r.status_code == 200
    body = r.json()
    expected = rules.load("fujian", "2024-06-01").provenance()
    assert body["on"] == "2024-06-01" and body["chain"] == ["national", "fujian"]
    assert body["rules"] == to_jsonable(expected)
    assert client.get("/v1/rules").json() == rules.available()
    bad = client.get("/v1/rules/atlantis").json()["errors"][0]
    assert bad["field"] == "jurisdiction" and "atlantis" in bad["message"]
    when = client.get("/v1/rules/fujian", params={"on": "soon"})
    assert when.status_code == 422 and when.json()["errors"][0]["field"] == "on"


def _error(r, status=422):
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body["errors"][0]) == {"message", "file", "where", "field"}
    return body["errors"][0]


def test_errors_name_file_row_and_field(client):
    bad_roster = b"unit_id,area_m2\n1-101,50\n1-102,abc\n1-103,60\n"
    req = {**REQUESTS["sheet"], "roster": b64(bad_roster, "bad.csv")}
    e = _error(client.post("/v1/sheet", json=req))
    assert (e["file"], e["where"], e["field"]) == ("bad.csv", "row 3", "area_m2")
    assert "abc" not in json.dumps(client.post("/v1/sheet", json=req).json()["errors"][1:])
    patch = {"community": {"households": -3}}
    e = _error(
        client.post(
            "/v1/community", json={"scenario": {"bundled": "fujian_default", "patch": patch}}
        )
    )
    assert (e["where"], e["field"]) == ("community", "households")
    e = _error(client.post("/v1/community", json={"scenario": "fujian_default", "colour": 1}))
    assert e["field"] == "colour"
    e = _error(client.post("/v1/community", json={"scenario": "atlantis"}))
    assert e["field"] == "bundled" and "fujian_default.yaml" in e["message"]
    e = _error(
        client.post("/v1/sheet", json={**REQUESTS["sheet"], "roster": {"content_b64": "!!"}})
    )
    assert e["field"] == "roster" and "base64" in e["message"]
    r = client.post("/v1/community", content=b"{bad", headers={"content-type": "application/json"})
    assert "not valid JSON" in _error(r)["message"]
    assert "JSON object" in _error(client.post("/v1/community", json=[1]))["message"]
    assert _error(client.post("/v1/nope", json={}), 404)["where"] == "/v1/nope"


def test_a_request_cannot_name_a_rule_file_on_the_servers_disk(client):
    for value in ("/etc/rules.yaml", "../../x", "fujian.yaml"):
        e = _error(client.post("/v1/sheet", json={**REQUESTS["sheet"], "jurisdiction": value}))
        assert e["field"] == "jurisdiction" and "bundled" in e["message"]
    data = to_jsonable(
        jobs.parse("community", {"scenario": "fujian_default"}).scenario.resolve("community")
    )
    data["community"]["jurisdiction"] = "/tmp/evil.yaml"
    e = _error(client.post("/v1/community", json={"scenario": {"data": data}}))
    assert (e["where"], e["field"]) == ("scenario.data.community", "jurisdiction")


def test_an_unexpected_failure_is_one_sentence_with_a_reference(client, monkeypatch, caplog):
    def boom(self):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(jobs.CommunityJob, "run", boom)
    r = client.post("/v1/community", json={"scenario": "fujian_default"})
    assert r.status_code == 500
    body = r.json()
    ref = body["reference"]
    assert len(ref) == 12 and ref in body["errors"][0]["message"]
    assert "secret" not in r.text and "Traceback" not in r.text
    assert any(ref in rec.getMessage() and rec.exc_info for rec in caplog.records)


def test_the_body_is_bounded_whatever_content_length_says():
    small = TestClient(create_app(max_body_bytes=1000))
    big = {"scenario": {"bundled": "fujian_default", "patch": {"name": "x" * 2000}}}
    e = _error(small.post("/v1/community", json=big), 413)
    assert "1,000 bytes" in e["message"]

    def chunks():  # no Content-Length: counted as it streams
        yield b'{"scenario": "fujian_default", "x": "'
        for _ in range(20):
            yield b"y" * 100
        yield b'"}'

    r = small.post("/v1/community", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    ok = small.post("/v1/community", json={"scenario": "fujian_default"})
    assert ok.status_code == 200
    # the default limit takes the largest input file a job accepts, base64-encoded
    assert math.ceil(MAX_FILE_BYTES / 3) * 4 + 100_000 < MAX_BODY_BYTES


def test_healthz_checks_the_store(client, monkeypatch):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["store"] == "ok"
    monkeypatch.setenv("COSTSHARE_DB", "postgresql+psycopg://clerk:s3cret@127.0.0.1:1/costshare")
    r = TestClient(create_app()).get("/healthz")  # the store is opened once, on first use
    assert r.status_code == 503 and r.json()["status"] == "unavailable"
    for secret in ("s3cret", "clerk", "127.0.0.1", "postgresql"):
        assert secret not in r.text


def test_healthz_gives_up_on_a_store_that_does_not_answer(monkeypatch):
    class Stuck:
        def __init__(self, *a, **k):
            time.sleep(2)

    monkeypatch.setattr("costshare.store.Store", Stuck)
    r = TestClient(create_app(health_timeout=0.2)).get("/healthz")
    assert r.status_code == 503 and "did not answer within 0.2 s" in r.json()["store"]


def test_openapi_is_generated_from_the_request_models(client):
    spec = client.get("/openapi.json").json()
    for name in jobs.JOBS:
        assert f"/v1/{name}" in spec["paths"] and f"/v1/trace/{name}" in spec["paths"]
    for name, fmt in FILES:
        assert f"/v1/{name}/{fmt}" in spec["paths"]
    schemas = spec["components"]["schemas"]
    assert "content_b64" in schemas["FileInput"]["properties"]
    assert "target" in schemas["GoalSeekJob"]["properties"]
    assert "errors" in schemas["HTTPValidationError"]["properties"]


def test_to_jsonable_keeps_money_exact_and_writes_no_nan():
    frame = pd.DataFrame({"a": [1.5, np.nan], "b": [np.int64(2), np.int64(3)]})
    data = {
        "m": Decimal("0.10"),
        "t": frame,
        "n": np.float64("inf"),
        "d": pd.Timestamp("2024-06-01"),
    }
    assert to_jsonable(data) == {
        "m": "0.10",
        "t": [{"a": 1.5, "b": 2}, {"a": None, "b": 3}],
        "n": None,
        "d": "2024-06-01T00:00:00",
    }
    assert "NaN" not in json_text(data)


def test_cli_registers_the_api_command():
    out = CliRunner().invoke(cli_app, ["api", "--help"])
    assert out.exit_code == 0 and "--port" in out.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_real_server_on_localhost(client):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "costshare", "api", "--port", str(port)],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                health = httpx.get(f"{base}/healthz", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the server did not start within 90 s"
                time.sleep(0.3)
        assert health.status_code == 200
        r = httpx.post(f"{base}/v1/community", json={"scenario": "fujian_default"}, timeout=60)
        assert r.status_code == 200
        assert r.json() == client.post("/v1/community", json={"scenario": "fujian_default"}).json()
        pdf = httpx.post(f"{base}/v1/sheet/pdf", json=REQUESTS["sheet"], timeout=60)
        assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
        big = httpx.post(f"{base}/v1/community", content=b"x" * (MAX_BODY_BYTES + 1), timeout=60)
        assert big.status_code == 413
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_a_stored_scenario_with_a_patch_runs_as_the_store_holds_it():
    from costshare import store

    client = TestClient(create_app(), raise_server_exceptions=False)  # this test's store

    text = (ROOT / "scenarios" / "fujian_default.yaml").read_text(encoding="utf-8")
    with store.Store() as s:
        store.save(s, "community", "福建示范", text, "analyst")
        store.save(
            s,
            "community",
            "福建示范",
            text.replace("households: 480", "households: 500"),
            "analyst",
        )
    first = client.post("/v1/community", json={"scenario": {"stored": "福建示范@1"}}).json()
    bundled = client.post("/v1/community", json={"scenario": "fujian_default"}).json()
    assert first["result"] == bundled["result"] and first["digest"] == bundled["digest"]
    latest = client.post("/v1/community", json={"scenario": {"stored": "福建示范"}}).json()
    assert latest["record"]["request"]["scenario"]["data"]["community"]["households"] == 500
    patch = {"community": {"households": 510}}
    r = client.post("/v1/community", json={"scenario": {"stored": "福建示范@2", "patch": patch}})
    assert r.json()["record"]["request"]["scenario"]["data"]["community"]["households"] == 510
    e = _error(client.post("/v1/community", json={"scenario": {"stored": "福建示范@x"}}))
    assert e["field"] == "stored"


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    households=st.integers(-5, 2000),
    area=st.one_of(st.integers(-10, 200_000), st.just("lots")),
    per_household=st.one_of(st.integers(-100, 3000), st.text(max_size=3)),
)
def test_api_and_library_agree_on_good_and_bad_patches(client, households, area, per_household):
    patch = {
        "community": {"households": households, "area_m2": area},
        "funding": {"residents": {"per_household": per_household}},
    }
    request = {"scenario": {"bundled": "fujian_default", "patch": patch}, "on": "2024-06-30"}
    try:
        job = jobs.parse("community", request)
        expected = 200, answer(job, job.run())
    except InputError as exc:
        expected = 422, problems_json(exc.problems, exc.more)
    event(f"status {expected[0]}")
    r = client.post("/v1/community", json=request)
    assert (r.status_code, r.json()) == expected
