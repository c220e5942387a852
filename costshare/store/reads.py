"""Reading the store within the actor's scope: documents, a document's versions, one version.

A user of an access file reads every document owned by an office in their scope, and of
a document owned by an office above theirs only the versions tagged ``published``
(or ``published-…``). In single-user mode everything is readable.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from costshare.errors import InputError, Problem
from costshare.store.access import allowed
from costshare.store.audit import check, guarded
from costshare.store.engine import Store
from costshare.store.models import Document, Tag, Version
from costshare.store.records import (
    DocumentInfo,
    TagInfo,
    VersionInfo,
    as_utc,
    tag_record,
    version_record,
)

__all__ = [
    "Ref",
    "documents",
    "find_document",
    "find_version",
    "get",
    "history",
    "is_publication",
    "may_tag",
]

Ref = int | str | None
"""A version reference: a number, ``"latest"``/None, or a tag name."""


def is_publication(tag: str) -> bool:
    """Whether a tag marks a publication (``published`` or ``published-…``)."""
    return tag == "published" or tag.startswith("published-")


def find_document(s: Session, name: str) -> Document:
    """The document row named `name` (an InputError if there is none)."""
    doc = s.scalar(select(Document).where(Document.name == name))
    if doc is None:
        raise InputError(Problem(f"no document named {name!r} in the store", field="document"))
    return doc


def find_version(s: Session, doc: Document, ref: Ref) -> Version:
    """Version `ref` (number, ``latest``/None, or tag name) of `doc`, tags loaded."""
    q = select(Version).where(Version.document_id == doc.id).options(selectinload(Version.tags))
    if ref is None or ref == "latest":
        v = s.scalar(q.order_by(Version.number.desc()).limit(1))
    elif isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        v = s.scalar(q.where(Version.number == int(ref)))
    else:
        v = s.scalar(
            q.join(Tag, Tag.version_id == Version.id).where(
                Tag.document_id == doc.id, Tag.tag == ref
            )
        )
    if v is None:
        n = s.scalar(select(func.max(Version.number)).where(Version.document_id == doc.id))
        what = "tag" if isinstance(ref, str) and not ref.isdigit() else "version"
        raise InputError(
            Problem(f"{doc.name!r} has no {what} {ref} (it has versions 1–{n})", field="version")
        )
    return v


def _published(v: Version) -> bool:
    return any(is_publication(t.tag) for t in v.tags)


def _latest_published(s: Session, doc: Document) -> Version | None:
    q = (
        select(Version)
        .join(Tag, Tag.version_id == Version.id)
        .where(Version.document_id == doc.id)
        .options(selectinload(Version.tags))
        .order_by(Version.number.desc())
    )
    return next((v for v in s.scalars(q).unique() if _published(v)), None)


def documents(store: Store) -> list[DocumentInfo]:
    """Every readable document, by name, with its version count, latest version and tags.

    Of a document seen only through its publications, only published versions count.
    """

    def run() -> list[DocumentInfo]:
        with store.reader() as s:
            stats = {
                d: (n, mx, up)
                for d, n, mx, up in s.execute(
                    select(
                        Version.document_id,
                        func.count(),
                        func.max(Version.number),
                        func.max(Version.created),
                    ).group_by(Version.document_id)
                )
            }
            tags: dict[int, list[TagInfo]] = {}
            for t, number, doc in s.execute(
                select(Tag, Version.number, Document)
                .join(Version, Tag.version_id == Version.id)
                .join(Document, Tag.document_id == Document.id)
                .order_by(Tag.id)
            ):
                tags.setdefault(doc.id, []).append(tag_record(t, doc, number))
            out = []
            for doc in s.scalars(select(Document).order_by(Document.name)):
                owner = store.owner(doc.office)
                n, mx, up = stats.get(doc.id, (0, 0, doc.created))
                mine = tags.get(doc.id, [])
                if not allowed(store.actor, "read", owner):
                    mine = [t for t in mine if is_publication(t.tag)]
                    if not mine or not allowed(store.actor, "read", owner, published=True):
                        continue
                    numbers = {t.number for t in mine}
                    n, mx = len(numbers), max(numbers)
                    up = max(t.created for t in mine)
                out.append(
                    DocumentInfo(
                        doc.name,
                        doc.kind,
                        as_utc(doc.created),
                        n,
                        mx,
                        as_utc(up),
                        tuple(mine),
                        owner,
                    )
                )
            return out

    return guarded(store, run)


def history(store: Store, name: str) -> list[VersionInfo]:
    """Every readable version of document `name`, oldest first, with its tags."""

    def run() -> list[VersionInfo]:
        with store.reader() as s:
            doc = find_document(s, name)
            q = (
                select(Version)
                .where(Version.document_id == doc.id)
                .options(selectinload(Version.tags))
                .order_by(Version.number)
            )
            versions = list(s.scalars(q))
            owner = store.owner(doc.office)
            if not allowed(store.actor, "read", owner):
                versions = [v for v in versions if _published(v)]
                check(store, "read", owner, document=name, published=bool(versions))
            return [version_record(v, doc) for v in versions]

    return guarded(store, run)


def get(store: Store, name: str, ref: Ref = None) -> VersionInfo:
    """Version `ref` (number, tag name, or None for the latest) of document `name`."""

    def run() -> VersionInfo:
        with store.reader() as s:
            doc = find_document(s, name)
            owner = store.owner(doc.office)
            latest = ref is None or ref == "latest"
            if latest and not allowed(store.actor, "read", owner):
                v = _latest_published(s, doc)  # above one's office: the latest publication
            else:
                v = find_version(s, doc, ref)
            check(store, "read", owner, document=name, published=v is not None and _published(v))
            assert v is not None
            return version_record(v, doc)

    return guarded(store, run)


def may_tag(store: Store, name: str, tag_name: str) -> None:
    """Refuse (and log) at once when the actor may not put `tag_name` on `name`: publishing
    checks this before it spends time rebuilding the file.

    >>> from costshare.store.engine import Store
    >>> from costshare.store.repo import save
    >>> with Store("sqlite://", user="ana") as st:  # single-user mode: ana may do anything
    ...     _ = save(st, "community", "d", "a: 1\\n")
    ...     may_tag(st, "d", "published")
    """

    def run() -> None:
        with store.reader() as s:
            doc = find_document(s, name)
            action = "publish" if is_publication(tag_name) else "tag"
            check(store, action, store.owner(doc.office), kind=doc.kind, document=name)

    guarded(store, run)
