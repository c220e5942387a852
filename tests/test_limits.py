"""Resource limits (costshare.limits): one home, checked before work starts, in every door.

Each limit is tried in the shells that can reach it: the CLI (CliRunner), the HTTP API
(TestClient), the app (AppTest, where a page takes the input) and the library. A refusal
names the file or field and the limit, exits 1 / answers 4xx, and leaves nothing behind.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from costshare import limits
from costshare.api import create_app
from costshare.cli import app
from costshare.errors import InputError
from costshare.kinds import ROOT
from costshare.limits import LimitError

PPP = ROOT / "scenarios" / "ppp" / "ppp_example.yaml"
APP = str(ROOT / "app.py")
TOO_MANY = limits.MAX_TABLE_ROWS + 20


def _cli(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    res = CliRunner().invoke(app, args, env=env)
    text = res.stderr + res.output
    assert "Traceback" not in text
    return res.exit_code, text


def _long_csv() -> bytes:
    return "房号,面积\n".encode() + b"1,50\n" * TOO_MANY


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(), raise_server_exceptions=False)


def _b64(data: bytes, name: str) -> dict[str, str]:
    return {"name": name, "content_b64": base64.b64encode(data).decode()}


# -- one home ---------------------------------------------------------------------------
def test_every_door_reads_the_one_home() -> None:
    """The readers, the jobs, the API and the pages use the numbers of costshare.limits."""
    from app_pages import _cache, _cache_city, _cache_plan, _cache_votes, _roster_input
    from costshare.api.server import MAX_BODY_BYTES
    from costshare.households import roster
    from costshare.jobs import PPPJob
    from costshare.jobs.base import MAX_FILE_BYTES
    from costshare.ppp.model import MonteCarlo
    from costshare.tables import sheet
    from costshare.yamlio import MAX_DEPTH, MAX_NODES

    assert MAX_FILE_BYTES == limits.MAX_FILE_BYTES
    assert MAX_BODY_BYTES > limits.MAX_FILE_BYTES * 4 // 3  # a whole file fits, base64
    assert sheet.MAX_ROWS == limits.MAX_TABLE_ROWS + 10  # + title and header rows
    assert roster.MAX_ROWS == limits.MAX_TABLE_ROWS
    assert sheet.MAX_COLUMNS == roster.MAX_COLUMNS == limits.MAX_TABLE_COLUMNS
    assert (MAX_NODES, MAX_DEPTH) == (limits.MAX_YAML_NODES, limits.MAX_YAML_DEPTH)
    caps = [m.le for m in PPPJob.model_fields["monte_carlo"].metadata if hasattr(m, "le")]
    caps += [m.le for m in MonteCarlo.model_fields["draws"].metadata if hasattr(m, "le")]
    assert caps == [limits.MAX_DRAWS, limits.MAX_DRAWS]
    assert _cache.MAX_YAML_BYTES == limits.MAX_YAML_BYTES
    uploads = {_cache_city.MAX_TABLE_BYTES, _cache_plan.MAX_BYTES, _cache_votes.MAX_BYTES}
    assert uploads | {_roster_input.MAX_ROSTER_BYTES} == {limits.MAX_UPLOAD_BYTES}


def test_refusal_in_both_languages() -> None:
    with pytest.raises(LimitError) as got:
        limits.check("draws", 300_000, file="p.yaml", field="draws")
    e = got.value
    assert (
        str(e) == "p.yaml, field 'draws': Monte Carlo is 300,000 draws; the limit is 200,000 draws"
    )
    assert e.text("en") == str(e)
    assert (
        e.text("zh")
        == "p.yaml, field 'draws': 蒙特卡洛模拟为 300,000 次抽样，上限为 200,000 次抽样"
    )
    assert isinstance(e, InputError)  # every shell already shows an InputError as a message


# -- file size ---------------------------------------------------------------------------
def test_file_size_cli(tmp_path: Path) -> None:
    """An oversize roster is refused from its size on disk, before a byte is read."""
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: the size is all that is checked
    out = tmp_path / "out"
    out.mkdir()
    code, text = _cli(["sheet", str(big), "--total", "100", "-o", str(out / "s.xlsx")])
    assert code == 1 and "big.csv" in text and f"{limits.MAX_FILE_BYTES:,} bytes" in text
    assert list(out.iterdir()) == []


def test_file_size_api(client: TestClient) -> None:
    """A request naming an oversize file is refused on its size field (422), not run."""
    roster = {"sha256": "0" * 64, "size": limits.MAX_FILE_BYTES + 1}
    r = client.post("/v1/sheet", json={"roster": roster, "amount": {"kind": "total", "yuan": 1}})
    assert r.status_code == 422
    assert any(e["field"] and "size" in e["field"] for e in r.json()["errors"])


# -- table rows --------------------------------------------------------------------------
def test_rows_cli(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(_long_csv())
    t0 = time.perf_counter()
    code, text = _cli(["sheet", str(path), "--total", "100"])
    assert code == 1 and "long.csv" in text and f"{limits.MAX_TABLE_ROWS:,} rows" in text
    assert time.perf_counter() - t0 < 20  # refused from the line count, not after parsing


def test_rows_api(client: TestClient) -> None:
    req = {"roster": _b64(_long_csv(), "long.csv"), "amount": {"kind": "total", "yuan": 100}}
    r = client.post("/v1/sheet", json=req)
    assert r.status_code == 422, r.text
    e = r.json()["errors"][0]
    assert e["file"] == "long.csv" and f"{limits.MAX_TABLE_ROWS:,} rows" in e["message"]


def test_rows_plan_cli(tmp_path: Path) -> None:
    """The plan's candidates are a table like a roster: the same row limit."""
    path = tmp_path / "cands.csv"
    path.write_bytes(b"name,cost\n" + b"a,1\n" * TOO_MANY)
    code, text = _cli(["plan", str(path), "--budget", "100"])
    assert code == 1 and "cands.csv" in text and f"{limits.MAX_TABLE_ROWS:,} rows" in text


def test_rows_app_upload() -> None:
    """An upload within the page's byte limit but over the row limit stops with the limit."""
    data = _long_csv()
    assert len(data) < limits.MAX_UPLOAD_BYTES
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("app_pages/household.py").run()
    at.radio(key="household_source").set_value("upload").run()
    at.file_uploader(key="household_upload").set_value(("long.csv", data, "text/csv")).run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "long" in shown and f"{limits.MAX_TABLE_ROWS:,}" in shown


# -- Monte Carlo draws ------------------------------------------------------------------
def test_draws_cli() -> None:
    code, text = _cli(["ppp", str(PPP), "--mc", "2000000000"])
    assert code == 1 and "monte_carlo" in text and "200000" in text.replace(",", "")


def test_draws_api(client: TestClient) -> None:
    r = client.post("/v1/ppp", json={"project": "ppp_example", "monte_carlo": 200_001})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "monte_carlo"


def test_draws_library_refused_before_drawing() -> None:
    """The library's own entry point checks before it allocates 10^9 draws."""
    from costshare.ppp import monte_carlo
    from costshare.ppp.model import PPPProject

    p = PPPProject.from_yaml(PPP)
    t0 = time.perf_counter()
    with pytest.raises(LimitError, match="the limit is 200,000 draws") as got:
        monte_carlo(p, draws=10**9)
    assert time.perf_counter() - t0 < 2 and got.value.problem.field == "draws"


def test_draws_in_the_yaml_file(tmp_path: Path) -> None:
    text = PPP.read_text("utf-8").replace("draws: 10000", "draws: 5000000")
    assert "draws: 5000000" in text
    bad = tmp_path / "mc.yaml"
    bad.write_text(text, "utf-8")
    code, out = _cli(["validate", str(bad)])
    assert code == 1 and "mc.yaml" in out and "draws" in out


# -- store: comment, content, database wait ------------------------------------------------
def _yaml(tmp_path: Path, body: str = "") -> Path:
    p = tmp_path / "a.yaml"
    p.write_text("kind: community\nname: x\n" + body, "utf-8")
    return p


def test_comment_cli(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    long = "x" * (limits.MAX_COMMENT_CHARS + 1)
    args = ["store", "save", str(_yaml(tmp_path)), "--kind", "community", "--no-results"]
    code, text = _cli([*args, "-m", long, "--db", db])
    assert code == 1 and "'comment'" in text and "2,000 characters" in text
    assert long not in text
    code, text = _cli(["store", "list", "--db", db])
    assert "a " not in text.split("\n", 1)[-1]  # nothing was saved
    code, _ = _cli([*args, "-m", "x" * limits.MAX_COMMENT_CHARS, "--db", db])
    assert code == 0  # at the limit is fine


def test_comment_library(tmp_path: Path) -> None:
    from costshare.store import Store, save

    with Store(f"sqlite:///{tmp_path / 's.db'}", access=False) as st:
        with pytest.raises(LimitError) as got:
            save(st, "community", "d", "a: 1\n", comment="c" * 50_000_000)
        assert got.value.problem.field == "comment"


def test_stored_content_refused_fast(tmp_path: Path) -> None:
    """A file far beyond any costshare file is refused before it is parsed or hashed."""
    db = f"sqlite:///{tmp_path / 's.db'}"
    big = _yaml(tmp_path, "notes: '" + "y" * (limits.MAX_STORED_BYTES + 1) + "'\n")
    t0 = time.perf_counter()
    code, text = _cli(["store", "save", str(big), "--kind", "community", "--db", db])
    assert code == 1 and "a.yaml" in text and "'content'" in text
    assert time.perf_counter() - t0 < 10


@pytest.mark.parametrize("bad", ["nan", "-1", "0", "1e400", "abc", "601", "inf"])
def test_db_wait_env_cli(tmp_path: Path, bad: str) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    for env in ("COSTSHARE_DB_CONNECT_TIMEOUT", "COSTSHARE_DB_STATEMENT_TIMEOUT"):
        code, text = _cli(["store", "list", "--db", db], env={env: bad})
        assert code == 1 and env in text, text


def test_db_wait_library() -> None:
    from costshare.store import Store

    with pytest.raises(InputError, match="COSTSHARE_DB_STATEMENT_TIMEOUT"):
        Store("sqlite://", access=False, statement_timeout=float("nan"))
    assert limits.seconds("2.5", "X", 10) == 2.5
