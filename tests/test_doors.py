"""Every door gives the same answer: the CLI's ``--format json``, the HTTP API and the job.

For each job with a command, the same request is made through the CLI (its options), the
API (its JSON) and the library (the job); the three results are the same JSON and the
records are the same. The store then recomputes a saved record to the fen
(``costshare store recompute``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from costshare import jobs
from costshare.api import create_app
from costshare.cli import app
from costshare.jobs.output import to_jsonable

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "costshare" / "data"
ROSTER = ROOT / "data" / "sample_roster.xlsx"
FUJIAN = ROOT / "scenarios" / "fujian_default.yaml"
ON = "2024-06-01"

# job → (CLI arguments, the same request as the API takes it, built from files)
CASES = {
    "community": (["run", str(FUJIAN)], {"scenario": {"bundled": "fujian_default.yaml"}}),
    "ppp": (
        ["ppp", str(ROOT / "scenarios" / "ppp" / "ppp_example.yaml")],
        {"project": {"bundled": "ppp/ppp_example.yaml"}},
    ),
    "goal_seek": (
        ["solve", str(FUJIAN), "municipal"],
        {"scenario": {"bundled": "fujian_default.yaml"}, "target": "municipal"},
    ),
    "vote": (
        ["vote", str(ROSTER), str(DATA / "sample_ballots.csv"), "--matter", "raise_fund"],
        {"units": ROSTER, "ballots": DATA / "sample_ballots.csv", "matter": "raise_fund"},
    ),
    "plan": (
        ["plan", str(DATA / "sample_plan_candidates.csv"), "--budget", "30000000"],
        {"candidates": DATA / "sample_plan_candidates.csv", "budget": "30000000"},
    ),
}


def _api_json(request: dict) -> dict:
    import base64

    out = {}
    for k, v in request.items():
        if isinstance(v, Path):
            v = {"name": v.name, "content_b64": base64.b64encode(v.read_bytes()).decode()}
        out[k] = v
    return out


def _lib(job: str, request: dict) -> jobs.Job:
    return jobs.parse(
        job,
        {k: jobs.FileInput.from_path(v) if isinstance(v, Path) else v for k, v in request.items()},
    )


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.mark.parametrize("job", sorted(CASES))
def test_cli_api_and_library_agree(client: TestClient, job: str) -> None:
    args, request = CASES[job]
    if job == "vote":  # the vote's day; the other requests take their documents' dates
        request, args = {**request, "on": ON}, [*args, "--on", ON]
    cli = CliRunner().invoke(app, [*args, "--format", "json"])
    assert cli.exit_code == 0, cli.output
    api = client.post(f"/v1/{job}", json=_api_json(request))
    assert api.status_code == 200, api.text
    lib = _lib(job, request)
    want = to_jsonable(lib.summary(lib.run()))
    body = api.json()
    assert body["result"] == want
    assert body["record"] == json.loads(jobs.canonical_json(lib.record()))
    assert json.loads(cli.stdout) == want


def test_store_recompute_command(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    run = CliRunner().invoke
    saved = run(
        app, ["store", "save", str(ROSTER), "--name", "s", "--param", "total=120000", "--db", db]
    )
    assert saved.exit_code == 0, saved.output
    ok = run(app, ["store", "recompute", "s", "--file", f"roster={ROSTER}", "--db", db])
    assert ok.exit_code == 0 and "equal to the fen" in ok.output, ok.output
    missing = run(app, ["store", "recompute", "s", "--db", db])
    assert missing.exit_code == 1 and "--file roster=PATH" in missing.output
    other = ROOT / "data" / "sample_roster_gbk.csv"
    wrong = run(app, ["store", "recompute", "s", "--file", f"roster={other}", "--db", db])
    assert wrong.exit_code == 1 and "sha256 differs" in wrong.output


def test_a_bug_is_one_plain_sentence_and_a_logged_reference(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An unexpected exception never reaches a person as a traceback (nor its text)."""
    log = tmp_path / "errors.log"
    monkeypatch.setenv("COSTSHARE_LOG", str(log))

    def boom(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("owner 张三 13812345678")

    monkeypatch.setattr(jobs.CommunityJob, "run", boom)
    res = CliRunner().invoke(app, ["run", str(FUJIAN)])
    assert res.exit_code == 1
    assert "something went wrong inside costshare (reference" in res.output
    assert "13812345678" not in res.output and "Traceback" not in res.output
    ref = res.output.split("reference ")[1].split(")")[0]
    assert f"--- {ref}" in log.read_text(encoding="utf-8")  # the traceback is in the log


def test_published_notice_is_rebuilt_from_the_stored_version(tmp_path: Path) -> None:
    """`store publish` rebuilds the notice from the stored record (and the roster handed in
    again), writes it and tags its sha256; `store verify` then accepts exactly that file."""
    db = f"sqlite:///{tmp_path / 's.db'}"
    run = CliRunner().invoke
    params = ["--param", "total=120000", "--param", "on=2024-06-01"]
    assert (
        run(app, ["store", "save", str(ROSTER), "--name", "s", *params, "--db", db]).exit_code == 0
    )
    out = tmp_path / "公示.pdf"
    pub = run(
        app,
        ["store", "publish", "s", "1", "-o", str(out), "--file", f"roster={ROSTER}", "--db", db],
    )
    assert pub.exit_code == 0, pub.output
    again = tmp_path / "again.pdf"
    run(
        app,
        ["store", "publish", "s", "1", "-o", str(again), "--file", f"roster={ROSTER}", "--db", db],
    )
    assert again.read_bytes() == out.read_bytes()  # the same version, the same bytes
    ok = run(app, ["store", "verify", "s", "1", str(out), "--db", db])
    assert ok.exit_code == 0, ok.output
    other = tmp_path / "other.pdf"
    other.write_bytes(out.read_bytes() + b"\n")
    assert run(app, ["store", "verify", "s", "1", str(other), "--db", db]).exit_code == 1
