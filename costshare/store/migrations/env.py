"""Alembic environment: runs on the connection :func:`costshare.store.engine.upgrade` passes.

The store always calls Alembic programmatically, inside its own transaction (and, on
PostgreSQL, under an advisory lock), so two processes opening a fresh database at once
do not both create the tables. Run by hand, it reads the URL from ``sqlalchemy.url``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from costshare.store.engine import VERSION_TABLE
from costshare.store.models import Base


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Run the migrations on the given connection, or on ``sqlalchemy.url``."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:  # pragma: no cover - only when someone runs the alembic CLI on this folder
        with create_engine(config.get_main_option("sqlalchemy.url")).begin() as conn:
            _run(conn)


if hasattr(context, "config"):  # under Alembic (not when pytest imports this for doctests)
    main()
