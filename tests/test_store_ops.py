"""Operating the store: no lost update under concurrency, schema only by upgrade, timeouts,
passwords never shown, export/import across backends, purge, verify, PostgreSQL roles.

The concurrency figures (conflicts in 20 trials, lost updates) are printed (``-s``).
"""

from __future__ import annotations

import multiprocessing
import random
import socket
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from costshare.cli import app
from costshare.errors import InputError
from costshare.store import (
    ConflictError,
    Store,
    StoreError,
    documents,
    export_store,
    get,
    history,
    import_store,
    log,
    purge,
    redact,
    save,
    tag,
    verify,
)
from costshare.store.engine import VERSION_TABLE
from costshare.store.roles import app_grants

runner = CliRunner()
TRIALS = 20


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgresql_url")


# ---------------------------------------------------------------- no lost update


def _racer(url: str, who: str, barrier, out) -> None:  # type: ignore[no-untyped-def]
    with Store(url, user=who) as s:
        for i in range(TRIALS):
            barrier.wait(60)
            try:
                v = save(s, "community", f"race{i}", f"who: {who}\n", base=1).version
                out.put((i, who, "saved", v.number))
            except ConflictError as exc:
                ok = "based on version 1" in str(exc) and "version 2" in str(exc)
                out.put((i, who, "conflict" if ok else f"unclear: {exc}", exc.latest.number))
            except Exception as exc:  # a silent failure is what we look for
                out.put((i, who, f"error: {exc}", 0))


def test_two_editors_one_save_one_conflict(url):
    """20 trials: two processes save on the same base at once → one save, one conflict."""
    with Store(url, user="seed") as s:
        for i in range(TRIALS):
            save(s, "community", f"race{i}", "who: seed\n", base=0)
    ctx = multiprocessing.get_context("fork")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_racer, args=(url, w, barrier, out)) for w in ("p1", "p2")]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in range(2 * TRIALS)]
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    by_trial: dict[int, list[tuple[str, str, int]]] = {}
    for i, who, what, n in results:
        by_trial.setdefault(i, []).append((who, what, n))
    lost = conflicts = 0
    with Store(url) as s:
        for i, pair in sorted(by_trial.items()):
            assert sorted(w for _, w, _ in pair) == ["conflict", "saved"], (i, pair)
            conflicts += 1
            [(winner, _, number)] = [x for x in pair if x[1] == "saved"]
            versions = history(s, f"race{i}")
            assert [v.number for v in versions] == [1, 2] and number == 2
            lost += versions[1].data != {"who": winner}
    print(
        f"\n{url.split(':')[0]}: {conflicts}/{TRIALS} trials one save + one conflict, lost {lost}"
    )
    assert (conflicts, lost) == (TRIALS, 0)


def _writer(url: str, who: str, n: int, go, out) -> None:  # type: ignore[no-untyped-def]
    go.wait(60)
    done = refused = 0
    with Store(url, user=who) as s:
        while done < n:
            base = get(s, "busy").number
            try:
                save(s, "community", "busy", f"who: {who}\ni: {done}\n", base=base)
                done += 1
            except (
                ConflictError
            ):  # someone else saved first: re-read after a moment, as a user would
                refused += 1
                time.sleep(random.uniform(0, 0.05 * min(refused, 10)))
    out.put((who, done, refused))


def test_forty_writers_never_fail_silently(url):
    """40 processes × 2 saves, each re-reading after a conflict: 80 versions, none lost."""
    with Store(url) as s:
        save(s, "community", "busy", "i: -1\n", base=0)
    ctx = multiprocessing.get_context("fork")
    go, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(url, f"w{k}", 2, go, out)) for k in range(40)]
    for p in procs:
        p.start()
    go.set()
    reports = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join(60)
    assert all(p.exitcode == 0 for p in procs)
    with Store(url) as s:
        versions = history(s, "busy")
    assert [v.number for v in versions] == list(range(1, 82))
    mine = {(v.author, v.data["i"]) for v in versions[1:]}
    assert mine == {(f"w{k}", i) for k in range(40) for i in range(2)}
    print(f"\n40 writers: 80 saves, {sum(r for _, _, r in reports)} conflicts retried, lost 0")


# ---------------------------------------------------------------- schema only by upgrade


def _stamp_0001(url: str) -> None:
    from alembic import command

    from costshare.store.engine import _config

    with Store(url, access=False) as s:  # creates head; go back to 0001 with one document
        save(s, "community", "old", "a: 1\n")
    cfg = _config()
    with Store(url).engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")


def test_schema_mismatch_refused_until_upgrade(url):
    _stamp_0001(url)
    with pytest.raises(StoreError) as exc:
        Store(url)
    assert str(exc.value).endswith(
        "is at schema 0001 but this costshare needs 0002: "
        "an administrator runs `costshare store upgrade`"
    )
    out = runner.invoke(app, ["store", "list", "--db", url])
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert len(out.output.strip().splitlines()) == 1
    out = runner.invoke(app, ["store", "upgrade", "--db", url])
    assert out.exit_code == 0 and "at schema 0002" in out.output
    with Store(url) as s:
        assert get(s, "old").data == {"a": 1}  # the downgrade kept the data
        with s.engine.begin() as conn:
            conn.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0099'"))
    with pytest.raises(StoreError, match="schema 0099, newer than this costshare"):
        Store(url)


def test_empty_database_needs_upgrade_in_a_deployment(url):
    acc = {
        "offices": {"fz": {"name": "福州市"}},
        "users": {"a": {"office": "fz", "roles": ["admin"]}},
    }
    from costshare.store import parse_access

    with pytest.raises(StoreError, match="has no costshare tables: an administrator runs"):
        Store(url, access=parse_access(acc), user="a")
    with Store(url, access=parse_access(acc), user="a", migrate=True) as s:
        assert documents(s) == []


# ---------------------------------------------------------------- timeouts, secrets

SECRET = "s3cr@t/pw"
FORMS = [
    "postgresql+psycopg://clerk:s3cr%40t%2Fpw@db.example:5432/costshare",
    "postgresql://clerk:s3cr@t/pw@db.example/costshare",  # unescaped @ and /
    "postgresql+psycopg://clerk@db.example/costshare?password=s3cr@t/pw",
    "postgresql+psycopg://clerk@/costshare?host=/run/pg&password=s3cr%40t%2Fpw&port=5",
    "postgresql://clerk@db.example/costshare?PASSWORD=s3cr@t/pw",
    "postgresql://:s3cr@t/pw@db.example/costshare",
    "postgresql://clerk:s3cr@t/pw@db.example/costshare?sslmode=require&sslpassword=s3cr@t/pw",
    "postgresql://clerk:s3cr@t/pw@[::1]:5432/costshare",
    "host=db.example user=clerk password=s3cr@t/pw dbname=costshare",
    "host=db.example user=clerk password='s3cr@t/pw' dbname=costshare",
    "mysql+pymysql://clerk:s3cr@t/pw@db.example/costshare?charset=utf8mb4",
    "postgresql+psycopg://clerk:s3cr@t/pw@db.example/costshare?options=-c%20x%3D1",
]


@pytest.mark.parametrize("form", FORMS)
def test_redact_hides_every_password_form(form):
    """12 URL forms: no part of the password survives, the rest stays readable."""
    shown = redact(form)
    for part in ("s3cr", "t/pw", "s3cr%40t", "%2Fpw"):
        assert part not in shown, shown
    assert "***" in shown and "costshare" in shown


def test_sqlite_urls_unchanged():
    assert redact("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_unescaped_at_connects_and_errors_hide_it(tmp_path):
    """A connection refused on a URL with an unescaped @ never shows any of the password."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    for form in (
        f"postgresql+psycopg://clerk:{SECRET}@127.0.0.1:{port}/x",
        f"postgresql+psycopg://clerk@127.0.0.1:{port}/x?password={SECRET}",
    ):
        with pytest.raises(StoreError) as exc:
            Store(form, connect_timeout=2)
        assert "s3cr" not in str(exc.value) and "127.0.0.1" in str(exc.value)
        out = runner.invoke(app, ["store", "list", "--db", form])
        assert out.exit_code == 1 and "s3cr" not in out.output


def test_connect_timeout():
    """A server that accepts TCP but never answers: refused after ~1 s, not hung."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(5)
        port = sock.getsockname()[1]
        t0 = time.perf_counter()
        with pytest.raises(StoreError) as exc:
            Store(f"postgresql+psycopg://u:pw-x1@127.0.0.1:{port}/db", connect_timeout=1)
        assert time.perf_counter() - t0 < 8
        assert "pw-x1" not in str(exc.value)


def test_statement_timeout_postgresql(postgresql_url):
    with Store(postgresql_url, statement_timeout=1) as s:
        t0 = time.perf_counter()
        with (
            pytest.raises(StoreError, match="statement timeout"),
            s.errors(),
            s.engine.connect() as conn,
        ):
            conn.execute(text("SELECT pg_sleep(5)"))
        assert time.perf_counter() - t0 < 4


def test_sqlite_reads_do_not_wait_for_a_writer(tmp_path):
    """A writer mid-transaction in another connection: reads answer at once, a second
    writer gives up after the (1 s) statement timeout with a clear error."""
    import sqlite3

    url = f"sqlite:///{tmp_path / 's.db'}"
    with Store(url, statement_timeout=1) as s:
        save(s, "community", "d", "a: 1\n")
        writer = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        try:
            t0 = time.perf_counter()
            assert get(s, "d").data == {"a": 1}
            assert time.perf_counter() - t0 < 0.5
            with pytest.raises(StoreError, match="locked"):
                save(s, "community", "d", "a: 2\n")
        finally:
            writer.execute("ROLLBACK")
            writer.close()


# ---------------------------------------------------------------- export, import, purge, verify


def _fill(s: Store) -> None:
    save(s, "community", "c", "a: 1\n", comment="first", base=0)
    save(s, "community", "c", "a: 2\n", comment="second", results={"gap_fen": 5}, base=1)
    tag(s, "c", 1, "published", file=b"notice", note="gate")
    save(s, "household_sheet", "h", "total_fen: 1\n", base=0)


def _snapshot(s: Store) -> tuple:
    docs = [(d.name, d.kind, d.office, d.created) for d in documents(s)]
    versions = [
        (
            v.document,
            v.number,
            v.author,
            v.created,
            v.comment,
            v.content,
            v.content_hash,
            v.results,
            [(t.tag, t.file_hash, t.author, t.created, t.note) for t in v.tags],
        )
        for d in documents(s)
        for v in history(s, d.name)
    ]
    return docs, versions


def test_export_import_sqlite_postgresql_and_back(tmp_path, postgresql_url):
    lite, lite2 = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    with Store(lite, user="ana") as a:
        _fill(a)
        before, entries = _snapshot(a), log(a)
        assert export_store(a, tmp_path / "a.json.gz") == 3
    with Store(postgresql_url, user="ana") as p:
        assert import_store(p, tmp_path / "a.json.gz") == 3
        assert _snapshot(p) == before
        got = log(p)
        assert [
            (e.at, e.actor, e.action, e.document, e.version, e.content_hash)
            for e in got[: len(entries)]
        ] == [(e.at, e.actor, e.action, e.document, e.version, e.content_hash) for e in entries]
        assert got[-1].action == "import"
        export_store(p, tmp_path / "p.json.gz")
        with pytest.raises(InputError, match="import needs an empty store"):
            import_store(p, tmp_path / "a.json.gz")
    with Store(lite2, user="ana") as b:
        import_store(b, tmp_path / "p.json.gz")
        assert _snapshot(b) == before


def test_tampered_archive_refused(tmp_path):
    import gzip
    import json

    with Store(f"sqlite:///{tmp_path / 'a.db'}") as a:
        _fill(a)
        export_store(a, tmp_path / "a.json.gz")
    data = json.loads(gzip.decompress((tmp_path / "a.json.gz").read_bytes()))
    data["body"]["documents"][0]["versions"][0]["content"] = "a: 99\n"
    (tmp_path / "t.json.gz").write_bytes(gzip.compress(json.dumps(data).encode()))
    with Store(f"sqlite:///{tmp_path / 'b.db'}") as b, pytest.raises(InputError, match="sha256"):
        import_store(b, tmp_path / "t.json.gz")


def test_purge_leaves_only_a_tombstone(url):
    with Store(url, user="admin") as s:
        save(s, "household_sheet", "p", "room: 王五-302\n", comment="低保户 王五", base=0)
        digest = get(s, "p").content_hash
        tag(s, "p", 1, "published")
        with pytest.raises(InputError, match="why"):
            purge(s, "p", "")
        assert purge(s, "p", "PIPL erasure request 7") == 1
        assert documents(s) == []
        with s.engine.connect() as conn:
            for table in ("documents", "versions", "tags", "audit_log"):
                for row in conn.execute(text(f"SELECT * FROM {table}")):
                    assert "王五" not in " ".join(map(str, row)), table
        last = log(s, "p")[-1]
        assert (last.action, last.actor) == ("purge", "admin")
        assert "PIPL erasure request 7" in last.detail and digest in last.detail


def test_verify_a_posted_file(url, tmp_path):
    notice = tmp_path / "notice.pdf"
    notice.write_bytes(b"%PDF notice v1")
    with Store(url) as s:
        save(s, "community", "c", "a: 1\n", base=0)
        tag(s, "c", 1, "published", file=notice)
        assert verify(s, "c", 1, notice).matches
        assert not verify(s, "c", 1, b"%PDF other").matches
    out = runner.invoke(app, ["store", "verify", "c", "1", str(notice), "--db", url])
    assert out.exit_code == 0 and "is the file tagged 'published'" in out.output
    notice.write_bytes(b"changed")
    out = runner.invoke(app, ["store", "verify", "c", "1", str(notice), "--db", url])
    assert out.exit_code == 1 and "does NOT match" in out.output


# ---------------------------------------------------------------- PostgreSQL roles


def test_app_role_can_only_select_and_insert(postgresql_server, postgresql_url):
    """Owner migrates; the app role saves, tags, logs; UPDATE/DELETE and purge are refused."""
    owner, appr = f"own_{uuid.uuid4().hex[:8]}", f"app_{uuid.uuid4().hex[:8]}"
    with postgresql_server.admin() as conn:
        conn.execute(f'CREATE ROLE "{owner}" LOGIN')
        conn.execute(f'CREATE ROLE "{appr}" LOGIN')
    from sqlalchemy import create_engine

    superuser = create_engine(postgresql_url)
    with superuser.begin() as conn:  # hand the (empty) schema over to the owner role
        conn.execute(text(f'ALTER SCHEMA public OWNER TO "{owner}"'))
    superuser.dispose()
    as_owner = postgresql_url.replace("costshare@", f"{owner}@")
    as_app = postgresql_url.replace("costshare@", f"{appr}@")
    with Store(as_owner, migrate=True) as o, o.engine.begin() as conn:
        for stmt in app_grants(appr).splitlines():
            conn.execute(text(stmt))
    with Store(as_app, user="clerk") as a:
        save(a, "community", "c", "a: 1\n", base=0)
        save(a, "community", "c", "a: 2\n", base=1)
        tag(a, "c", 2, "published", file=b"x")
        assert [e.action for e in log(a)] == ["save", "save", "publish"]
        for stmt in (
            "UPDATE audit_log SET actor = 'x'",
            "DELETE FROM audit_log",
            "UPDATE versions SET content = 'a: 3'",
            "DELETE FROM tags",
        ):
            with (
                pytest.raises(StoreError, match="permission denied"),
                a.errors(),
                a.engine.begin() as conn,
            ):
                conn.execute(text(stmt))
        with pytest.raises(StoreError, match="permission denied"):
            purge(a, "c", "test")
        assert [v.number for v in history(a, "c")] == [1, 2]
    with Store(as_owner, user="admin") as o:
        assert purge(o, "c", "erasure") == 2
