"""The scenario store: saved, versioned costshare files in a SQLite file or PostgreSQL.

Every kind of file costshare reads (community, PPP, portfolio and operation scenarios,
rule files, a household sheet's record, a job request with its results) is saved as a
*document* owned by an *office*, whose saves are immutable numbered *versions* with
author, time (UTC), comment, content hash and headline results. Versions can be listed,
shown, compared field by field, restored (as a new version) and tagged (``published``,
with the sha256 of the notice that was posted). The store never interprets content.

Who may do what comes from an access file (:mod:`costshare.store.access`; none: single-user
mode); every change and every refusal is in the audit log (:func:`log`). A save names the
version it was based on, so a concurrent edit is refused, never lost. The schema is
managed by the Alembic migrations shipped here and changed only by :func:`upgrade`
(``costshare store upgrade``).

>>> from costshare.store import Store, save, history
>>> with Store("sqlite://", user="analyst") as st:
...     _ = save(st, "community", "demo", "a: 1\\n", comment="first", base=0)
...     [(v.number, v.author, v.comment) for v in history(st, "demo")]
[(1, 'analyst', 'first')]
"""

from __future__ import annotations

from costshare.store.access import (
    ACTIONS,
    ROLES,
    Access,
    Actor,
    PermissionDeniedError,
    allowed,
    load_access,
    parse_access,
)
from costshare.store.archive import Verdict, export_store, import_store, purge, verify
from costshare.store.audit import LogEntry, log
from costshare.store.content import canonical_hash, file_sha256, household_sheet_content
from costshare.store.current import acting, reading
from costshare.store.diff import FieldChange, ResultRow, VersionDiff, compare, diff, flatten
from costshare.store.engine import Store, StoreError, head_revision, upgrade
from costshare.store.repo import (
    ConflictError,
    DocumentInfo,
    Saved,
    TagInfo,
    VersionInfo,
    documents,
    get,
    history,
    restore,
    save,
    save_household_sheet,
    tag,
)
from costshare.store.urls import redact, resolve_url

__all__ = [
    "ACTIONS",
    "ROLES",
    "Access",
    "Actor",
    "ConflictError",
    "DocumentInfo",
    "FieldChange",
    "LogEntry",
    "PermissionDeniedError",
    "ResultRow",
    "Saved",
    "Store",
    "StoreError",
    "TagInfo",
    "Verdict",
    "VersionDiff",
    "VersionInfo",
    "acting",
    "allowed",
    "canonical_hash",
    "compare",
    "diff",
    "documents",
    "export_store",
    "file_sha256",
    "flatten",
    "get",
    "head_revision",
    "history",
    "household_sheet_content",
    "import_store",
    "load_access",
    "log",
    "parse_access",
    "purge",
    "reading",
    "redact",
    "resolve_url",
    "restore",
    "save",
    "save_household_sheet",
    "tag",
    "upgrade",
    "verify",
]
