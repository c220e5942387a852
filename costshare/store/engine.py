"""Opening the store: the database URL, the engine, and the schema upgrade on connect.

The URL is the ``--db`` argument, else ``$COSTSHARE_DB``, else the SQLite file
``~/.costshare/costshare.db``; any SQLAlchemy URL works (``postgresql+psycopg://…`` for a
shared server), and a bare path means a SQLite file. Opening a store upgrades its schema
to the newest Alembic revision. A URL is only ever shown with its password hidden.

>>> redact("postgresql+psycopg://clerk:s3cret@db.example/costshare")
'postgresql+psycopg://clerk:***@db.example/costshare'
>>> resolve_url("/tmp/x.db")
'sqlite:////tmp/x.db'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from costshare.errors import InputError, Problem

__all__ = ["DEFAULT_PATH", "VERSION_TABLE", "Store", "StoreError", "redact", "resolve_url"]

DEFAULT_PATH = Path("~/.costshare/costshare.db")
"""Where the store lives when neither ``--db`` nor ``$COSTSHARE_DB`` says otherwise."""

VERSION_TABLE = "costshare_store_revision"
"""Alembic's bookkeeping table (named so it cannot clash with another app's in a shared DB)."""

MIGRATIONS = Path(__file__).with_name("migrations")
_LOCK_KEY = 0x0C057_5708E  # PostgreSQL advisory lock taken while migrating


class StoreError(InputError):
    """The store cannot be opened or a database operation failed (URL shown redacted)."""


def resolve_url(db: str | None = None) -> str:
    """The store's SQLAlchemy URL: `db`, else ``$COSTSHARE_DB``, else the default SQLite file.

    A value without ``://`` is a SQLite file path (``~`` expanded, folder created).
    """
    value = db or os.environ.get("COSTSHARE_DB") or str(DEFAULT_PATH)
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def redact(url: str) -> str:
    """`url` with its password replaced by ``***`` (what messages may show)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def _sqlite_setup(engine: Engine) -> None:
    """SQLite: foreign keys on, and every transaction ``BEGIN IMMEDIATE``.

    Taking the write lock at the start (waiting up to the busy timeout) serialises writers
    across processes, so a read-then-write transaction never fails with "database is
    locked" halfway; Python's sqlite3 module is told not to issue its own BEGINs.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _make_engine(url: str) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        memory = u.database in (None, "", ":memory:")
        if not memory:
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            u,
            connect_args={"timeout": 60, "check_same_thread": False},
            poolclass=StaticPool if memory else None,
        )
        _sqlite_setup(engine)
        return engine
    return create_engine(u, pool_pre_ping=True)


def upgrade(engine: Engine) -> str:
    """Bring the schema to the newest revision (no-op when it is there); return that revision.

    Runs in one transaction: on PostgreSQL under an advisory lock, on SQLite under the
    write lock, so concurrent first opens of an empty database create the tables once.
    """
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        if ctx.get_current_revision() != head:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return head


class Store:
    """An open store: an engine on `url` (see :func:`resolve_url`) with its schema upgraded.

    Use it as a context manager (or call :meth:`close`) to release connections.

    >>> with Store("sqlite://") as store:
    ...     store.display_url
    'sqlite://'
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = resolve_url(url)
        try:
            self.engine = _make_engine(self.url)
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
        if migrate:
            try:
                with self.errors():
                    upgrade(self.engine)
            except StoreError:
                self.engine.dispose()
                raise

    @property
    def display_url(self) -> str:
        """The URL with its password hidden."""
        return redact(self.url)

    def session(self) -> Session:
        """A new ORM session (use ``with store.session() as s, s.begin(): …``)."""
        return self._sessions()

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _scrub(self, message: str) -> str:
        try:
            password = make_url(self.url).password
        except ArgumentError:
            password = None
        if password:
            message = message.replace(str(password), "***")
        return message.replace(self.url, self.display_url)

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
