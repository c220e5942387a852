"""The scenario store: saved, versioned costshare files in a SQLite file or PostgreSQL.

Every kind of file costshare reads (community, PPP, portfolio and operation scenarios,
rule files, and a household sheet's record of roster digest, parameters and totals) is
saved as a *document* whose saves are immutable numbered *versions* with author, time
(UTC), comment, content hash and headline results. Versions can be listed, shown,
compared field by field, restored (as a new version) and tagged (``published``, with the
sha256 of the notice that was posted). The schema is managed by Alembic migrations
shipped in this package and applied when a store is opened.

>>> from costshare.store import Store, save, history
>>> with Store("sqlite://") as st:
...     _ = save(st, "community", "demo", "a: 1\\n", "analyst", "first")
...     [(v.number, v.comment) for v in history(st, "demo")]
[(1, 'first')]
"""

from __future__ import annotations

from costshare.store.content import canonical_hash, file_sha256, household_sheet_content
from costshare.store.diff import FieldChange, ResultRow, VersionDiff, compare, diff, flatten
from costshare.store.engine import Store, StoreError, redact, resolve_url, upgrade
from costshare.store.repo import (
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

__all__ = [
    "DocumentInfo",
    "FieldChange",
    "ResultRow",
    "Saved",
    "Store",
    "StoreError",
    "TagInfo",
    "VersionDiff",
    "VersionInfo",
    "canonical_hash",
    "compare",
    "diff",
    "documents",
    "file_sha256",
    "flatten",
    "get",
    "history",
    "household_sheet_content",
    "redact",
    "resolve_url",
    "restore",
    "save",
    "save_household_sheet",
    "tag",
    "upgrade",
]
