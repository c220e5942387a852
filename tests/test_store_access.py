"""Offices, roles and scope, checked in the store itself (SQLite and PostgreSQL).

The permission matrix runs every role × every store action × own/other office: what
is allowed succeeds and leaves an ``ok`` audit entry; what is not raises
``PermissionDeniedError``, changes nothing, and leaves a ``denied`` audit entry.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from costshare.cli import app
from costshare.errors import InputError
from costshare.store import (
    PermissionDeniedError,
    Store,
    documents,
    export_store,
    get,
    history,
    log,
    parse_access,
    purge,
    restore,
    save,
    tag,
)

ACCESS = {
    "offices": {
        "fz": {"name": "福州市"},
        "gl": {"name": "鼓楼区", "parent": "fz"},
        "dj": {"name": "东街街道", "parent": "gl"},
        "tj": {"name": "台江区", "parent": "fz"},
    },
    "users": {
        "viewer": {"office": "gl", "roles": ["viewer"]},
        "clerk": {"office": "gl", "roles": ["clerk"]},
        "analyst": {"office": "gl", "roles": ["analyst"]},
        "publisher": {"office": "gl", "roles": ["publisher"]},
        "admin": {"office": "gl", "roles": ["admin"]},
        "boss_gl": {"office": "gl", "roles": ["clerk", "analyst", "publisher", "admin"]},
        "boss_tj": {"office": "tj", "roles": ["clerk", "analyst", "publisher", "admin"]},
        "street": {"office": "dj", "roles": ["viewer"]},
    },
}
ROLES = ("viewer", "clerk", "analyst", "publisher", "admin")
ACTIONS = ("read", "save", "save_sheet", "restore", "tag", "publish", "export", "purge")
# What each role (office gl) may do on a document of its own office; nothing on another's.
ALLOWED = {
    "viewer": {"read"},
    "clerk": {"read", "save_sheet"},
    "analyst": {"read", "save", "restore", "tag"},
    "publisher": {"read", "tag", "publish"},
    "admin": {"read", "export", "purge"},
}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgresql_url")


@pytest.fixture
def base(url: str):
    """A store upgraded by the admin of the top office, seen through the access file."""
    acc = parse_access(ACCESS)
    with Store(url, access=False, migrate=True) as s:
        pass
    with Store(url, access=acc, user="boss_gl") as s:
        yield s


def _seed(base: Store, office: str, tag_: str) -> tuple[str, str]:
    """A community document (2 versions) and a household sheet of `office`."""
    boss = base.as_user(f"boss_{office}")
    c, h = f"c_{office}_{tag_}", f"h_{office}_{tag_}"
    save(boss, "community", c, "a: 1\n", base=0)
    save(boss, "community", c, "a: 2\n", base=1)
    save(boss, "household_sheet", h, "total_fen: 1\n", base=0)
    return c, h


def _do(s: Store, action: str, c: str, h: str, tmp: Path) -> None:
    if action == "read":
        get(s, c)
    elif action == "save":
        save(s, "community", c, "a: 3\n", base=2)
    elif action == "save_sheet":
        save(s, "household_sheet", h, "total_fen: 2\n", base=1)
    elif action == "restore":
        restore(s, c, 1, base=2)
    elif action == "tag":
        tag(s, c, 1, "reviewed")
    elif action == "publish":
        tag(s, c, 1, "published", file=b"notice")
    elif action == "export":
        export_store(s, tmp / f"{c}.json.gz", [c])
    elif action == "purge":
        purge(s, c, "test")


def _effect(s: Store, action: str, c: str, h: str, tmp: Path) -> bool:
    """Whether `action` left its mark (seen by the office's boss)."""
    if action == "purge":
        return c not in {d.name for d in documents(s)}
    if action == "save_sheet":
        return len(history(s, h)) == 2
    if action in ("save", "restore"):
        return len(history(s, c)) == 3
    if action in ("tag", "publish"):
        return bool(get(s, c, 1).tags)
    return (tmp / f"{c}.json.gz").exists()


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(base, role, tmp_path):
    """Every action on a document of the role's own office (gl) and of another (tj)."""
    me = base.as_user(role)
    wrong = []
    for where in ("gl", "tj"):
        for action in ACTIONS:
            c, h = _seed(base, where, f"{role}_{action}")
            expect = where == "gl" and action in ALLOWED[role]
            before = len(log(base.as_user(f"boss_{where}")))
            message = ""
            try:
                _do(me, action, c, h, tmp_path)
            except PermissionDeniedError as exc:
                message = str(exc)
            got = not message
            assert got or (role in message and f"office {where}" in message)
            if got != expect:
                wrong.append((role, action, where, "allowed" if got else "denied"))
                continue
            boss = base.as_user(f"boss_{where}")
            if action != "read":
                assert _effect(boss, action, c, h, tmp_path) == expect, (role, action, where)
            new = log(boss)[before:]
            if action != "read" or not expect:
                (entry,) = new
                assert (entry.actor, entry.outcome) == (role, "ok" if expect else "denied")
                assert entry.office == where
    assert wrong == []


def test_street_office_reads_only_what_its_district_published(base):
    """dj (under gl) reads gl's published version only; tj's documents not at all."""
    c, _ = _seed(base, "gl", "pub")
    other, _ = _seed(base, "tj", "pub")
    street = base.as_user("street")
    assert {d.name for d in documents(street)} == set()
    with pytest.raises(PermissionDeniedError):
        get(street, c, 1)
    tag(base.as_user("boss_gl"), c, 1, "published")
    [doc] = documents(street)
    assert (doc.name, doc.versions, doc.latest, doc.office) == (c, 1, 1, "gl")
    assert [v.number for v in history(street, c)] == [1]
    assert get(street, c, "published").data == {"a": 1}
    assert get(street, c).number == 1  # "latest" for them: the latest publication
    with pytest.raises(PermissionDeniedError):
        get(street, c, 2)  # the unpublished newer version stays hidden
    with pytest.raises(PermissionDeniedError):
        history(street, other)
    # the boss of the city office (above gl) — not in this file — is no one: refused
    with pytest.raises(InputError, match="not in the access file"):
        base.as_user("mallory")


def test_author_is_the_identity(base):
    """The author and the tagger are the acting user; a typed author is refused."""
    analyst = base.as_user("analyst")
    v = save(analyst, "community", "x", "a: 1\n", base=0).version
    assert (v.author, documents(analyst)[0].office) == ("analyst", "gl")
    with pytest.raises(InputError, match="author is the signed-in user"):
        save(analyst, "community", "x", "a: 2\n", "someone else", base=1)
    t = tag(base.as_user("publisher"), "x", 1, "published")
    assert t.author == "publisher"


def test_access_file_is_checked(tmp_path):
    bad = {
        "offices": {
            "a": {"name": "A", "parent": "zz"},
            "b": {"name": "B", "parent": "c"},
            "c": {"name": "C", "parent": "b"},
        },
        "users": {"u": {"office": "nowhere", "roles": ["clerk"]}},
    }
    with pytest.raises(InputError) as exc:
        parse_access(bad)
    text = str(exc.value)
    assert "unknown parent 'zz'" in text and "cycle" in text and "unknown office 'nowhere'" in text
    with pytest.raises(InputError, match="roles"):
        parse_access(
            {"offices": {"a": {"name": "A"}}, "users": {"u": {"office": "a", "roles": ["boss"]}}}
        )


def test_cli_acts_as_costshare_user(tmp_path, monkeypatch):
    """With an access file the CLI is $COSTSHARE_USER; unknown or missing users are refused."""
    import yaml

    acc = tmp_path / "access.yaml"
    acc.write_text(yaml.safe_dump(ACCESS, allow_unicode=True), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["store", "upgrade", "--db", db]).exit_code == 0  # single-user
    monkeypatch.setenv("COSTSHARE_ACCESS", str(acc))
    f = tmp_path / "plan.yaml"
    f.write_text("kind: community\na: 1\n", encoding="utf-8")
    for user, code, text in [
        (None, 1, "nobody is signed in"),
        ("mallory", 1, "user 'mallory' is not in the access file"),
        ("viewer", 1, "viewer (viewer, office gl) may not save 'plan' of office gl"),
        ("analyst", 0, "saved plan version 1"),
    ]:
        if user:
            monkeypatch.setenv("COSTSHARE_USER", user)
        out = runner.invoke(app, ["store", "save", str(f), "--kind", "community", "--db", db])
        assert out.exit_code == code and text in out.output, out.output
    out = runner.invoke(app, ["store", "log", "plan", "--db", db])
    assert "denied" in out.output and "viewer" in out.output and "analyst" in out.output
    out = runner.invoke(app, ["store", "upgrade", "--db", db])
    assert out.exit_code == 1 and "may not upgrade" in out.output
