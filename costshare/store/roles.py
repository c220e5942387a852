"""PostgreSQL roles for a deployment: an owner that migrates, an app role that only adds.

The *owner* role owns the tables and is the only one that runs ``costshare store upgrade``
and ``costshare store purge``. The *app* role (the app, the API and clerks' CLI) may read
and insert, never update or delete: versions, tags and the audit log cannot be edited
from the app even by a bug. :func:`app_grants` is the SQL the owner runs once after each
upgrade (``costshare store grants ROLE`` prints it; ``docs/deploy.md`` shows it).

>>> print(app_grants("costshare_app").splitlines()[0])
GRANT USAGE ON SCHEMA "public" TO "costshare_app";
"""

from __future__ import annotations

import re

from costshare.errors import InputError, Problem
from costshare.store.engine import VERSION_TABLE

__all__ = ["APP_TABLES", "app_grants"]

APP_TABLES = ("documents", "versions", "tags", "audit_log")
"""The tables the app role reads and inserts into."""

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def app_grants(role: str, schema: str = "public") -> str:
    """The SQL granting `role` SELECT and INSERT (no UPDATE, no DELETE) on the store."""
    for name in (role, schema):
        if not _NAME.match(name):
            raise InputError(Problem(f"not a plain SQL name: {name!r}", field="role"))
    tables = ", ".join(f'"{schema}"."{t}"' for t in APP_TABLES)
    return "\n".join(
        [
            f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}";',
            f'REVOKE ALL ON {tables} FROM "{role}";',
            f'GRANT SELECT, INSERT ON {tables} TO "{role}";',
            f'GRANT SELECT ON "{schema}"."{VERSION_TABLE}" TO "{role}";',
            f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}";',
        ]
    )
