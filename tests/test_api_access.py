"""The API acts as who calls: a bearer token or the proxy header, as the access file says.

Tokens are issued by ``costshare store token`` and stored only as salted, peppered hashes;
a missing, malformed or unknown token gets the same 401; the token never reaches the
tokens file, the audit log or the server's log. The permission matrix of
``tests/test_store_access.py`` runs again through the HTTP routes (TestClient) on SQLite
and PostgreSQL: every role × every store action × own/other office.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from costshare.api import create_app
from costshare.api.identity import UNAUTHORIZED
from costshare.cli import app as cli_app
from costshare.jobs import FileInput, SheetJob
from costshare.store import Store, documents, get, history, log, parse_access, save
from costshare.store.tokens import add_token, check_token, load_tokens, new_token

ROOT = Path(__file__).resolve().parent.parent
ROSTER = ROOT / "data" / "sample_roster.xlsx"
OFFICES = {
    "fz": {"name": "福州市"},
    "gl": {"name": "鼓楼区", "parent": "fz"},
    "dj": {"name": "东街街道", "parent": "gl"},
    "tj": {"name": "台江区", "parent": "fz"},
}
ROLES = ("viewer", "clerk", "analyst", "publisher", "admin")
USERS = {r: {"office": "gl", "roles": [r]} for r in ROLES} | {
    "boss_gl": {"office": "gl", "roles": list(ROLES[1:])},
    "boss_tj": {"office": "tj", "roles": list(ROLES[1:])},
}
ACTIONS = ("read", "save", "save_sheet", "restore", "tag", "publish", "export", "purge")
ALLOWED = {
    "viewer": {"read"},
    "clerk": {"read", "save_sheet"},
    "analyst": {"read", "save", "restore", "tag"},
    "publisher": {"read", "tag", "publish"},
    "admin": {"read", "export", "purge"},
}
SHEET = SheetJob(
    roster=FileInput.from_path(ROSTER), amount={"kind": "total", "yuan": "100000"}, on="2024-06-01"
)
ROSTER_JSON = {"name": "r.xlsx", "content_b64": base64.b64encode(ROSTER.read_bytes()).decode()}


def _access_file(tmp: Path, api: dict) -> Path:
    data = {"offices": OFFICES, "users": USERS, "login": {"header": "X-Remote-User"}, "api": api}
    path = tmp / "access.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgresql_url")


@pytest.fixture
def deployment(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An upgraded store, an access file with token login, and one token per user."""
    monkeypatch.setenv("COSTSHARE_TOKEN_PEPPER", "pepper-for-tests")
    path = _access_file(tmp_path, {"auth": "token", "tokens": "tokens.yaml"})
    with Store(url, access=False, migrate=True):
        pass
    tokens = {}
    for user in USERS:
        tokens[user], entry = new_token(user)
        add_token(tmp_path / "tokens.yaml", entry)
    from costshare.store import load_access

    acc = load_access(path)
    client = TestClient(create_app(access=acc, db=url), raise_server_exceptions=False)
    with client, Store(url, access=acc, user="boss_gl") as boss:
        yield client, tokens, boss


def _as(tokens: dict[str, str], user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[user]}"}


def _seed(boss: Store, office: str, tag_: str) -> tuple[str, str, str]:
    """A community document (2 versions), a household sheet and a sheet job record."""
    b = boss.as_user(f"boss_{office}")
    c, h, p = f"c_{office}_{tag_}", f"h_{office}_{tag_}", f"p_{office}_{tag_}"
    save(b, "community", c, "a: 1\n", base=0)
    save(b, "community", c, "a: 2\n", base=1)
    save(b, "household_sheet", h, "total_fen: 1\n", base=0)
    save(b, "sheet", p, SHEET.record(), base=0)
    return c, h, p


def _call(client: TestClient, headers: dict, action: str, c: str, h: str, p: str):
    docs = "/v1/store/documents"
    if action == "read":
        return client.get(f"{docs}/{c}/versions/latest", headers=headers)
    if action == "save":
        body = {"kind": "community", "content": "a: 3\n", "base": 2}
        return client.post(f"{docs}/{c}/versions", json=body, headers=headers)
    if action == "save_sheet":
        body = {"kind": "household_sheet", "content": "total_fen: 2\n", "base": 1}
        return client.post(f"{docs}/{h}/versions", json=body, headers=headers)
    if action == "restore":
        return client.post(f"{docs}/{c}/versions/1/restore", json={"base": 2}, headers=headers)
    if action == "tag":
        return client.post(f"{docs}/{c}/versions/1/tags", json={"tag": "reviewed"}, headers=headers)
    if action == "publish":
        body = {"files": {"roster": ROSTER_JSON}}
        return client.post(f"{docs}/{p}/versions/1/publish", json=body, headers=headers)
    if action == "export":
        return client.get("/v1/store/export", params={"document": c}, headers=headers)
    assert action == "purge"
    return client.post(f"{docs}/{c}/purge", json={"reason": "test"}, headers=headers)


def _effect(boss: Store, action: str, c: str, h: str, p: str, response) -> bool:
    if action == "purge":
        return c not in {d.name for d in documents(boss)}
    if action == "save_sheet":
        return len(history(boss, h)) == 2
    if action in ("save", "restore"):
        return len(history(boss, c)) == 3
    if action == "tag":
        return bool(get(boss, c, 1).tags)
    if action == "publish":
        tags = get(boss, p, 1).tags
        sha = hashlib.sha256(response.content).hexdigest()
        return bool(tags) and tags[0].file_hash == sha == response.headers["x-costshare-sha256"]
    return response.status_code == 200 and response.content[:2] == b"\x1f\x8b"  # export


@pytest.mark.parametrize("role", ROLES)
def test_api_permission_matrix(deployment, role):
    """Every store action through HTTP on the role's own office (gl) and another (tj):
    allowed → 2xx with its effect and an ``ok`` entry; refused → 403, no effect, ``denied``."""
    client, tokens, boss = deployment
    wrong = []
    for where in ("gl", "tj"):
        for action in ACTIONS:
            c, h, p = _seed(boss, where, f"{role}_{action}")
            owner = boss.as_user(f"boss_{where}")
            before = len(log(owner))
            r = _call(client, _as(tokens, role), action, c, h, p)
            expect = where == "gl" and action in ALLOWED[role]
            got = r.status_code < 300
            assert got or r.status_code == 403, (role, action, where, r.status_code, r.text)
            if got != expect:
                wrong.append((role, action, where, r.status_code))
                continue
            if action != "read":
                assert _effect(owner, action, c, h, p, r) == expect, (role, action, where)
            if action != "read" or not expect:
                (entry,) = log(owner)[before:]
                assert (entry.actor, entry.outcome) == (role, "ok" if expect else "denied")
                assert entry.office == where
    assert wrong == []


def test_the_author_is_the_token_s_user_and_stale_saves_conflict(deployment):
    client, tokens, _ = deployment
    body = {"kind": "community", "content": "a: 1\n", "base": 0}
    r = client.post("/v1/store/documents/d/versions", json=body, headers=_as(tokens, "analyst"))
    assert r.status_code == 201 and r.json()["version"]["author"] == "analyst"
    stale = body | {"content": "a: 2\n"}
    r = client.post("/v1/store/documents/d/versions", json=stale, headers=_as(tokens, "boss_gl"))
    assert r.status_code == 409 and "version 1" in r.text
    r = client.get("/v1/store/documents", headers=_as(tokens, "boss_tj"))
    assert r.status_code == 200 and r.json() == []  # another district sees none of gl's


def test_unknown_missing_or_malformed_tokens_get_one_401(deployment, caplog):
    client, tokens, boss = deployment
    good = tokens["viewer"]
    assert client.get("/v1/store/documents", headers=_as(tokens, "viewer")).status_code == 200
    tid = good.split("_")[1]
    variants = {
        "missing": {},
        "empty": {"Authorization": "Bearer "},
        "basic": {"Authorization": "Basic " + base64.b64encode(b"viewer:x").decode()},
        "malformed": {"Authorization": "Bearer not-a-token"},
        "wrong secret": {"Authorization": f"Bearer cs1_{tid}_{'A' * 43}"},
        "unknown id": {"Authorization": f"Bearer cs1_{'0' * 16}_{good.split('_', 2)[2]}"},
        "with a tail": {"Authorization": f"Bearer {good}x"},
    }
    caplog.set_level(logging.DEBUG)
    bodies = set()
    for what, headers in variants.items():
        for path in ("/v1/store/documents", "/v1/rules"):
            r = client.get(path, headers=headers)
            assert r.status_code == 401, (what, path)
            assert r.headers["www-authenticate"].startswith("Bearer")
            bodies.add(r.json()["errors"][0]["message"])
        r = client.post("/v1/community", json={"scenario": "fujian_default"}, headers=headers)
        assert r.status_code == 401, what
    assert bodies == {UNAUTHORIZED}  # one sentence: never which part was wrong
    assert client.get("/healthz").status_code == 200  # a health probe needs no login
    # the token is nowhere: not in the tokens file, the audit log, the server's log
    secret = good.split("_", 2)[2]
    stored = (Path(boss.access.tokens_path)).read_text(encoding="utf-8")
    assert secret not in stored and good not in stored
    assert all(secret not in e.detail for e in log(boss))
    assert secret not in caplog.text


def test_store_token_command_issues_once_and_keeps_a_hash(tmp_path, monkeypatch):
    monkeypatch.setenv("COSTSHARE_TOKEN_PEPPER", "p1")
    path = _access_file(tmp_path, {"auth": "token"})  # tokens: api-tokens.yaml beside it
    db = f"sqlite:///{tmp_path / 's.db'}"
    with Store(db, access=False, migrate=True):
        pass
    monkeypatch.setenv("COSTSHARE_ACCESS", str(path))
    monkeypatch.setenv("COSTSHARE_DB", db)
    monkeypatch.setenv("COSTSHARE_USER", "admin")
    run = CliRunner().invoke
    done = run(cli_app, ["store", "token", "clerk"])
    assert done.exit_code == 0, done.output
    token = done.stdout.strip().splitlines()[-1]
    entries = load_tokens(tmp_path / "api-tokens.yaml")
    (entry,) = entries.values()
    assert entry.user == "clerk" and token not in entry.hash
    assert (tmp_path / "api-tokens.yaml").stat().st_mode & 0o077 == 0  # owner only
    assert check_token(entries, token) == "clerk"
    monkeypatch.setenv("COSTSHARE_TOKEN_PEPPER", "p2")
    assert check_token(entries, token) is None  # the file alone is not enough
    monkeypatch.setenv("COSTSHARE_TOKEN_PEPPER", "p1")
    # the API takes it (and acts as clerk)
    client = TestClient(create_app(db=db))
    r = client.post(
        "/v1/store/documents/s/versions",
        json={"kind": "household_sheet", "content": "total_fen: 1\n", "base": 0},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 201 and r.json()["version"]["author"] == "clerk"
    # a clerk may not issue tokens; an admin of another office's users neither
    monkeypatch.setenv("COSTSHARE_USER", "clerk")
    refused = run(cli_app, ["store", "token", "viewer"])
    assert refused.exit_code == 1 and "may not token" in refused.output
    monkeypatch.setenv("COSTSHARE_USER", "admin")
    assert run(cli_app, ["store", "token", "boss_tj"]).exit_code == 1
    printed = run(cli_app, ["store", "token", "viewer", "--print-only"])
    assert printed.exit_code == 0 and "hmac-sha256$" in printed.stderr
    assert len(load_tokens(tmp_path / "api-tokens.yaml")) == 1  # --print-only wrote nothing
    with Store(db, access=False) as st:
        entries_log = [(e.actor, e.action, e.outcome) for e in log(st)]
    assert ("admin", "token", "ok") in entries_log and ("clerk", "token", "denied") in entries_log
    assert all(token not in e.detail for e in log(Store(db, access=False)))


def test_header_mode_takes_the_proxy_s_user(tmp_path):
    path = _access_file(tmp_path, {"auth": "header"})  # the app's login.header
    db = f"sqlite:///{tmp_path / 's.db'}"
    with Store(db, access=False, migrate=True):
        pass
    from costshare.store import load_access

    client = TestClient(create_app(access=load_access(path), db=db))
    body = {"kind": "community", "content": "a: 1\n", "base": 0}
    r = client.post(
        "/v1/store/documents/d/versions", json=body, headers={"X-Remote-User": "analyst"}
    )
    assert r.status_code == 201 and r.json()["version"]["author"] == "analyst"
    for headers in ({}, {"X-Remote-User": "mallory"}, {"Authorization": "Bearer x"}):
        r = client.get("/v1/store/documents", headers=headers)
        assert r.status_code == 401 and "www-authenticate" not in r.headers
    r = client.get("/v1/store/documents", headers={"X-Remote-User": "viewer"})
    assert [d["name"] for d in r.json()] == ["d"]


def test_single_user_mode_asks_for_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("COSTSHARE_ACCESS", raising=False)
    monkeypatch.setenv("COSTSHARE_USER", "laptop")
    client = TestClient(create_app())
    body = {"kind": "community", "content": "a: 1\n", "base": 0}
    r = client.post("/v1/store/documents/d/versions", json=body)
    assert r.status_code == 201 and r.json()["version"]["author"] == "laptop"
    assert client.post("/v1/community", json={"scenario": "fujian_default"}).status_code == 200
    assert parse_access({"offices": OFFICES}).api.auth == "token"  # the default, when named


def test_a_stored_document_a_job_names_is_read_as_the_caller(deployment):
    """``{"scenario": {"stored": "DOC@1"}}`` is read with the caller's rights: the office's
    own analyst gets the result; another office's (the document is not published to it) is
    refused (403) and the refusal is logged — the server never reads as itself."""
    client, tokens, boss = deployment
    text = (ROOT / "scenarios" / "fujian_default.yaml").read_text(encoding="utf-8")
    save(boss.as_user("boss_tj"), "community", "tj_plan", text, base=0)
    body = {"scenario": {"stored": "tj_plan@1"}, "on": "2024-06-30"}
    own = client.post("/v1/community", json=body, headers=_as(tokens, "boss_tj"))
    assert own.status_code == 200, own.text
    assert own.json()["record"]["results"]["gap_fen"] == 7600000  # the bundled file's gap
    other = client.post("/v1/community", json=body, headers=_as(tokens, "boss_gl"))
    assert other.status_code == 403, other.text
    assert client.post("/v1/community", json=body).status_code == 401
    seen = [(e.actor, e.action, e.outcome, e.document) for e in log(boss.as_user("boss_tj"))]
    assert ("boss_gl", "read", "denied", "tj_plan") in seen  # the document's office sees it
