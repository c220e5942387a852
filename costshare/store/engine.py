"""Opening the store: the database URL, the engine, the acting user, the schema check.

The URL is the ``--db`` argument, else ``$COSTSHARE_DB``, else the SQLite file
``~/.costshare/costshare.db``; any SQLAlchemy URL works (``postgresql+psycopg://…`` for a
shared server), and a bare path means a SQLite file. A URL is only ever shown with its
password hidden (:mod:`costshare.store.urls`).

Only :func:`upgrade` (``costshare store upgrade``) changes the schema. Opening a store
whose schema is not this costshare's refuses with one sentence; the one exception is a
database with no tables at all in single-user mode (a laptop's first run), which is
created at the newest revision. Connections time out after ``$COSTSHARE_DB_CONNECT_TIMEOUT``
seconds (default 10) and statements after ``$COSTSHARE_DB_STATEMENT_TIMEOUT`` (default 30).

>>> with Store("sqlite://", user="ana") as store:
...     (store.display_url, store.actor.name, store.actor.single)
('sqlite://', 'ana', True)
"""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from costshare import limits
from costshare.errors import InputError, Problem
from costshare.store.access import NOBODY, Access, Actor, load_access, single_user
from costshare.store.urls import DEFAULT_PATH, normalise, redact, resolve_url, secrets

__all__ = [
    "DEFAULT_PATH",
    "VERSION_TABLE",
    "Store",
    "StoreError",
    "head_revision",
    "redact",
    "resolve_url",
    "upgrade",
]

VERSION_TABLE = "costshare_store_revision"
"""Alembic's bookkeeping table (named so it cannot clash with another app's in a shared DB)."""

MIGRATIONS = Path(__file__).with_name("migrations")
_LOCK_KEY = 0x0C057_5708E  # PostgreSQL advisory lock taken while migrating
_UNSET: Any = object()


class StoreError(InputError):
    """The store cannot be opened or a database operation failed (URL shown redacted)."""


def _seconds(value: float | None, env: str, default: float) -> float:
    # finite, above 0, at most limits.MAX_DB_SECONDS: checked before connecting
    return limits.seconds(value, env, default)


def _sqlite_setup(engine: Engine) -> None:
    """SQLite: foreign keys on; a writing transaction ``BEGIN IMMEDIATE``, a reading one ``BEGIN``.

    Taking the write lock at the start (waiting up to the busy timeout) serialises writers
    across processes, so a read-then-write transaction never fails with "database is
    locked" halfway; reads (execution option ``costshare_read``) do not wait for writers.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        read = conn.get_execution_options().get("costshare_read", False)
        conn.exec_driver_sql("BEGIN" if read else "BEGIN IMMEDIATE")


def _make_engine(url: str, connect_timeout: float, statement_timeout: float) -> Engine:
    u = make_url(normalise(url))
    if u.get_backend_name() == "sqlite":
        memory = u.database in (None, "", ":memory:")
        if not memory:
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            u,
            connect_args={"timeout": statement_timeout, "check_same_thread": False},
            poolclass=StaticPool if memory else None,
        )
        _sqlite_setup(engine)
        return engine
    args: dict[str, Any] = {}
    if u.get_backend_name() == "postgresql":
        args["connect_timeout"] = max(1, round(connect_timeout))
        if "options" not in u.query:
            args["options"] = f"-c statement_timeout={round(statement_timeout * 1000)}"
    return create_engine(u, pool_pre_ping=True, connect_args=args)


def _config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@functools.cache
def head_revision() -> str:
    """The newest schema revision this costshare knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision (None when it has no costshare tables)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return ctx.get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring the schema to the newest revision (no-op when it is there); return that revision.

    Runs in one transaction: on PostgreSQL under an advisory lock, on SQLite under the
    write lock, so concurrent upgrades of an empty database create the tables once.
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    cfg, head = _config(), head_revision()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        if ctx.get_current_revision() != head:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return head


class Store:
    """An open store on `url` (see :func:`resolve_url`), acting as one user.

    Parameters
    ----------
    url
        SQLAlchemy URL or SQLite path (default ``$COSTSHARE_DB``).
    user
        Who acts: required in an access file's deployment (default ``$COSTSHARE_USER``);
        in single-user mode, the name recorded (default ``$COSTSHARE_USER`` or the login).
    access
        The :class:`~costshare.store.access.Access` rules, a path to an access file, or
        ``False`` for single-user mode (default: ``$COSTSHARE_ACCESS`` if set).
    migrate
        Upgrade the schema (``costshare store upgrade``; an admin's action).
    serve
        Open as no one (a server that acts per request through :meth:`as_user`); under an
        access file the schema is then never created, only checked.
    connect_timeout, statement_timeout
        Seconds (default ``$COSTSHARE_DB_CONNECT_TIMEOUT`` 10, ``$COSTSHARE_DB_STATEMENT_TIMEOUT`` 30).

    Use it as a context manager (or call :meth:`close`) to release connections;
    :meth:`as_user` gives a view on the same connections acting as another user.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        user: str | None = None,
        access: Access | str | Path | bool | None = None,
        migrate: bool = False,
        serve: bool = False,
        connect_timeout: float | None = None,
        statement_timeout: float | None = None,
    ) -> None:
        self.url = resolve_url(url)
        if access is None or isinstance(access, str | Path):
            self.access = load_access(access)
        else:
            self.access = access or None
        self.actor = NOBODY if serve and self.access is not None else self._actor(user)
        connect = _seconds(
            connect_timeout, "COSTSHARE_DB_CONNECT_TIMEOUT", limits.DB_CONNECT_SECONDS
        )
        statement = _seconds(
            statement_timeout, "COSTSHARE_DB_STATEMENT_TIMEOUT", limits.DB_STATEMENT_SECONDS
        )
        try:
            self.engine = _make_engine(self.url, connect, statement)
        except (ArgumentError, ValueError) as exc:
            raise StoreError(
                Problem(f"not a database URL: {self._scrub(str(exc))}", field="db")
            ) from None
        except ModuleNotFoundError as exc:
            hint = ""
            if self.url.startswith("postgresql"):
                hint = "; use postgresql+psycopg://… after `pip install costshare[postgres]`"
            raise StoreError(
                Problem(f"the driver for {self.display_url} is not installed ({exc.name}){hint}")
            ) from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(
            self.engine.execution_options(costshare_read=True), expire_on_commit=False
        )
        try:
            with self.errors():
                self._schema(migrate)
        except InputError:
            self.engine.dispose()
            raise

    def _actor(self, user: str | None, *, env: bool = True) -> Actor:
        if self.access is None:
            return single_user(user)
        return self.access.actor(user or (os.environ.get("COSTSHARE_USER") if env else None))

    def _only_ours(self) -> bool:
        """Whether the database holds no tables but costshare's (none, or a schema another
        process is creating right now)."""
        from costshare.store.models import Base

        ours = {*Base.metadata.tables, VERSION_TABLE}
        return set(inspect(self.engine).get_table_names()) <= ours

    def _first_run(self, head: str, wait: float = 10.0) -> None:
        """Create the schema; when another process's first run is creating it at the same
        time, wait for that one to finish instead of failing."""
        import time

        try:
            upgrade(self.engine)
        except SQLAlchemyError:
            deadline = time.monotonic() + wait
            while current_revision(self.engine) != head:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _schema(self, migrate: bool) -> None:
        head, current = head_revision(), current_revision(self.engine)
        if migrate:
            from costshare.store.access import allowed

            if not allowed(self.actor, "upgrade", self.actor.office or ""):
                raise InputError(
                    Problem(f"{self.actor.name} may not upgrade the schema (admin only)")
                )
            upgrade(self.engine)
            return
        if current == head:
            return
        if current is None and self.actor.single and self._only_ours():
            self._first_run(head)  # a laptop's first run: an empty database gets the schema
            return
        if current is None:
            why = "has no costshare tables"
        else:
            from alembic.script import ScriptDirectory

            known = {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}
            if current not in known:
                why = (
                    f"is at schema {current}, newer than this costshare ({head}): update costshare"
                )
                raise StoreError(Problem(f"the store at {self.display_url} {why}"))
            why = f"is at schema {current} but this costshare needs {head}"
        raise StoreError(
            Problem(
                f"the store at {self.display_url} {why}: an administrator runs `costshare store upgrade`"
            )
        )

    def owner(self, office: str | None) -> str:
        """The office that owns a document stored with `office` (``""``: the top office)."""
        if office or self.access is None:
            return office or ""
        return self.access.root

    def as_user(self, user: str | None) -> Store:
        """This store (same connections) acting as `user` (checked against the access file;
        ``$COSTSHARE_USER`` is not consulted)."""
        other = copy.copy(self)
        other.actor = self._actor(user, env=False)
        return other

    @property
    def display_url(self) -> str:
        """The URL with its password hidden."""
        return redact(self.url)

    def session(self) -> Session:
        """A new ORM session for writing (use ``with store.session() as s, s.begin(): …``)."""
        return self._sessions()

    def reader(self) -> Session:
        """A new ORM session for reading (on SQLite it does not wait for writers)."""
        return self._readers()

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _scrub(self, message: str) -> str:
        message = message.replace(self.url, self.display_url)
        for secret in secrets(self.url):
            message = message.replace(secret, "***")
        return message

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Turn a database failure into a :class:`StoreError` naming the (redacted) URL."""
        try:
            yield
        except SQLAlchemyError as exc:
            orig = exc.orig if isinstance(exc, DBAPIError) else exc
            first = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
            raise StoreError(
                Problem(f"database error: {self._scrub(first)}", file=self.display_url)
            ) from None
