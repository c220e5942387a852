"""A throwaway PostgreSQL server for the scenario store's tests (one cluster per session).

``postgresql_server`` runs Debian's ``initdb`` and ``pg_ctl`` (``/usr/lib/postgresql/*/bin``)
on a temporary directory, listening only on a Unix socket in that directory on a free
port number, and removes everything at the end. As root it runs them as ``nobody``
(``initdb`` refuses root). Without the binaries the PostgreSQL tests skip — or fail
when ``CI`` is set, so CI cannot pass without them. ``postgresql_url`` gives each test a
fresh database on that server as a SQLAlchemy URL.

The real-browser fixtures (``server``, ``browser``, ``page``) come from
``tests/browser_kit.py``, imported here so every browser test shares them.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_kit import browser, page, server  # noqa: F401 (fixtures for the browser tests)


@pytest.fixture(autouse=True)
def _temp_store(tmp_path, monkeypatch):
    """Every test's scenario store is a temp SQLite file, never the user's own store."""
    monkeypatch.setenv("COSTSHARE_DB", f"sqlite:///{tmp_path / 'store.db'}")


_SUPERUSER = "costshare"


@dataclass(frozen=True)
class PostgresServer:
    """Where the throwaway server listens, and how long it took to start."""

    socket_dir: Path
    port: int
    setup_seconds: float

    def url(self, database: str) -> str:
        """SQLAlchemy URL of `database` on this server (psycopg 3, Unix socket)."""
        return (
            f"postgresql+psycopg://{_SUPERUSER}@/{database}?host={self.socket_dir}&port={self.port}"
        )

    def admin(self):  # type: ignore[no-untyped-def]
        """An autocommit psycopg connection to the ``postgres`` database."""
        import psycopg

        return psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=_SUPERUSER,
            dbname="postgres",
            autocommit=True,
        )


def _bindir() -> Path | None:
    def version(p: str) -> tuple[int, ...]:
        name = Path(p).parent.name
        return tuple(int(x) for x in name.split(".") if x.isdigit())

    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        if Path(d, "initdb").exists() and Path(d, "pg_ctl").exists():
            return Path(d)
    found = shutil.which("pg_ctl")
    if found and Path(found).with_name("initdb").exists():
        return Path(found).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgresServer]:
    """Start a PostgreSQL cluster in a temporary directory; stop and delete it afterwards."""
    bindir = _bindir()
    if bindir is None:
        msg = "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    t0 = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="costshare-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        owner = pwd.getpwnam("nobody")
        os.chown(tmp, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "nobody", "--"]
    data, port = tmp / "data", _free_port()

    def run(*cmd: str) -> None:
        done = subprocess.run(
            [*prefix, *cmd], cwd=tmp, capture_output=True, text=True, check=False, timeout=60
        )
        if done.returncode != 0:
            log = tmp / "log"
            extra = log.read_text(errors="replace") if log.exists() else ""
            pytest.fail(f"{cmd[0]} failed:\n{done.stdout}\n{done.stderr}\n{extra}")

    try:
        run(
            str(bindir / "initdb"),
            *("-D", str(data), "-U", _SUPERUSER, "-A", "trust", "-E", "UTF8"),
            *("--locale=C", "--no-sync"),
        )
        opts = f"-F -k {tmp} -p {port} -c listen_addresses='' -c max_connections=50"
        run(
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(tmp / "log"),
            "-o",
            opts,
            "-w",
            "start",
        )
        try:
            yield PostgresServer(tmp, port, time.perf_counter() - t0)
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture
def postgresql_url(postgresql_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the session's server, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    with postgresql_server.admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgresql_server.url(name)
    finally:
        with postgresql_server.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
