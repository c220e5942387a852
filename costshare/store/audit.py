"""The audit log: every change to the store, and every refused attempt, in one table.

Each entry says who (the actor), when (UTC), for which office, which action (``save``,
``restore``, ``tag``, ``publish``, ``export``, ``import``, ``purge``, ``upgrade``), whether
it was ``ok`` or ``denied``, on which document and version, with the content hash. An
entry is written in the same transaction as the change it records; a refusal is
written on its own after the refused transaction rolled back. The app's database role
may only insert into it (see ``docs/deploy.md``); the ORM refuses to update an entry.

>>> from costshare.store.engine import Store
>>> from costshare.store.repo import save
>>> with Store("sqlite://", user="ana") as st:
...     _ = save(st, "community", "d", "a: 1\\n")
...     [(e.actor, e.action, e.outcome, e.document, e.version) for e in log(st)]
[('ana', 'save', 'ok', 'd', 1)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from costshare.errors import Problem
from costshare.store.access import PermissionDeniedError, allowed
from costshare.store.engine import Store
from costshare.store.models import AuditEntry
from costshare.store.records import as_utc

__all__ = ["LogEntry", "check", "denials", "log", "record"]

T = TypeVar("T")


@dataclass(frozen=True)
class LogEntry:
    """One audit entry, detached from the database."""

    at: datetime
    actor: str
    office: str
    action: str
    outcome: str
    document: str | None
    version: int | None
    content_hash: str | None
    detail: str


def record(
    s: Session,
    store: Store,
    action: str,
    office: str,
    document: str | None = None,
    version: int | None = None,
    content_hash: str | None = None,
    detail: str = "",
    *,
    outcome: str = "ok",
    at: datetime | None = None,
) -> None:
    """Add an entry by the store's actor in session `s` (committed with its transaction)."""
    s.add(
        AuditEntry(
            at=at or datetime.now(UTC),
            actor=store.actor.name,
            office=office,
            action=action,
            outcome=outcome,
            document=document,
            version=version,
            content_hash=content_hash,
            detail=detail,
        )
    )


def check(
    store: Store,
    action: str,
    office: str,
    *,
    kind: str | None = None,
    document: str | None = None,
    published: bool = False,
) -> None:
    """Raise :class:`PermissionDeniedError` unless the store's actor may do `action` there."""
    if allowed(store.actor, action, office, kind=kind, published=published):
        return
    a = store.actor
    roles = ", ".join(sorted(a.roles)) or "no role"
    what = f" {document!r}" if document else ""
    msg = f"{a.name} ({roles}, office {a.office}) may not {action}{what} of office {office}"
    raise PermissionDeniedError(Problem(msg), action=action, office=office, document=document)


@contextmanager
def denials(store: Store) -> Iterator[None]:
    """Log a :class:`PermissionDeniedError` raised inside (after its transaction rolled back)."""
    try:
        yield
    except PermissionDeniedError as exc:
        with store.errors(), store.session() as s, s.begin():
            record(
                s, store, exc.action, exc.office, exc.document, outcome="denied", detail=str(exc)
            )
        raise


def guarded(store: Store, fn: Callable[[], T]) -> T:
    """``fn()`` with database errors turned into StoreError and refusals logged."""
    with denials(store), store.errors():
        return fn()


def log(store: Store, name: str | None = None, limit: int | None = None) -> list[LogEntry]:
    """Audit entries, oldest first (of document `name` if given; the newest `limit`).

    An access file's user sees the entries of the offices in their scope.
    """
    q = select(AuditEntry).order_by(AuditEntry.id.desc())
    if name is not None:
        q = q.where(AuditEntry.document == name)
    if store.actor.scope is not None:
        scope = set(store.actor.scope)
        if store.owner("") in scope:
            scope.add("")  # entries written in single-user mode belong to the top office
        q = q.where(AuditEntry.office.in_(sorted(scope)))
    if limit:
        q = q.limit(limit)
    with store.errors(), store.reader() as s:
        rows = list(s.scalars(q))
    return [
        LogEntry(
            as_utc(e.at),
            e.actor,
            e.office,
            e.action,
            e.outcome,
            e.document,
            e.version,
            e.content_hash,
            e.detail,
        )
        for e in reversed(rows)
    ]
