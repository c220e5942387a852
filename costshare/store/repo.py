"""Saving, listing, reading, restoring and tagging versions in a :class:`Store`.

Rules of the store (the README repeats them):

- Each save appends a version numbered one more than the document's latest; versions are
  never changed or deleted. A save whose text is identical to the latest version's records
  nothing and returns that version with ``unchanged=True``; a save that changes only
  comments or layout is a new version with the same ``content_hash``.
- The number is allocated inside the inserting transaction and guarded by the unique
  constraint (document, number); when two processes race for a number the loser gets an
  ``IntegrityError``, rolls back and retries, so no save is ever lost.
- A document's kind is fixed by its first save; saving another kind under its name is refused.
- Restoring appends a new version whose content equals the old one (history is not rewritten).
- A tag name is held by at most one version of a document and is never moved: tagging
  another version with a name the document already uses is refused (use a new name such
  as ``published-2``); tagging the same version again with the same file hash is a no-op.

>>> from costshare.store.engine import Store
>>> with Store("sqlite://") as st:
...     v1 = save(st, "community", "demo", "a: 1\\n", "clerk").version
...     v2 = save(st, "community", "demo", "a: 2\\n", "clerk", "raise a").version
...     (v1.number, v2.number, get(st, "demo").data)
(1, 2, {'a': 2})
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from costshare.errors import InputError, Problem
from costshare.store.content import (
    HOUSEHOLD_SHEET,
    canonical_hash,
    check_kind,
    file_sha256,
    household_sheet_content,
    parse_content,
    plain,
    to_text,
)
from costshare.store.engine import Store, StoreError
from costshare.store.models import Document, Tag, Version
from costshare.store.records import (
    DocumentInfo,
    Saved,
    TagInfo,
    VersionInfo,
    as_utc,
    tag_record,
    version_record,
)

__all__ = [
    "DocumentInfo",
    "Saved",
    "TagInfo",
    "VersionInfo",
    "documents",
    "get",
    "history",
    "restore",
    "save",
    "save_household_sheet",
    "tag",
]

MAX_ATTEMPTS = 60
"""How often a save retries after losing a race for a version number."""

Ref = int | str | None
"""A version reference: a number, ``"latest"``/None, or a tag name."""


def _document(s: Session, name: str) -> Document:
    doc = s.scalar(select(Document).where(Document.name == name))
    if doc is None:
        raise InputError(Problem(f"no document named {name!r} in the store", field="document"))
    return doc


def _version(s: Session, doc: Document, ref: Ref) -> Version:
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
            Problem(
                f"{doc.name!r} has no {what} {ref} (it has versions 1–{n})",
                field="version",
            )
        )
    return v


def save(
    store: Store,
    kind: str,
    name: str,
    content: str | Mapping[str, Any],
    author: str,
    comment: str = "",
    results: Mapping[str, Any] | None = None,
) -> Saved:
    """Save `content` (YAML/JSON text, or a mapping) as the next version of document `name`.

    Parameters
    ----------
    store
        The open store.
    kind
        What the file is (``community``, ``ppp``, ``portfolio``, ``operation``, ``rules``,
        ``household_sheet`` …); fixed by a document's first save.
    name
        The document's name (created on first save).
    content
        The file's text as it should be stored, or a mapping (stored as YAML).
    author, comment
        Who saves and why.
    results
        Headline results to keep beside the inputs, e.g. ``{"gap_fen": 7600000}``.

    Returns
    -------
    Saved
        The new version, or the latest one with ``unchanged=True`` if its text is identical.
    """
    check_kind(kind)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InputError(Problem("a document name must be 1–200 characters", field="name"))
    text = to_text(content)
    digest = canonical_hash(parse_content(text, name))
    res = plain(dict(results)) if results is not None else None
    for attempt in range(MAX_ATTEMPTS):
        with store.errors():
            try:
                with store.session() as s, s.begin():
                    return _save_once(s, kind, name, text, digest, author, comment, res)
            except IntegrityError:  # a concurrent save took the number or created the document
                pass
        time.sleep(random.uniform(0, 0.01 * min(attempt + 1, 10)))
    raise StoreError(
        Problem(f"could not allocate a version number after {MAX_ATTEMPTS} attempts", file=name)
    )


def _save_once(
    s: Session,
    kind: str,
    name: str,
    text: str,
    digest: str,
    author: str,
    comment: str,
    results: dict[str, Any] | None,
) -> Saved:
    now = datetime.now(UTC)
    doc = s.scalar(select(Document).where(Document.name == name))
    if doc is None:
        doc = Document(kind=kind, name=name, created=now)
        s.add(doc)
        s.flush()
    elif doc.kind != kind:
        raise InputError(Problem(f"{name!r} is a {doc.kind} document, not {kind}", field="kind"))
    latest = s.scalar(
        select(Version)
        .where(Version.document_id == doc.id)
        .options(selectinload(Version.tags))
        .order_by(Version.number.desc())
        .limit(1)
    )
    if latest is not None and latest.content_hash == digest and latest.content == text:
        return Saved(version_record(latest, doc), unchanged=True)
    v = Version(
        document_id=doc.id,
        number=(latest.number if latest else 0) + 1,
        author=author,
        created=now,
        comment=comment or "",
        content_hash=digest,
        content=text,
        results=results,
    )
    s.add(v)
    s.flush()
    return Saved(version_record(v, doc))


def save_household_sheet(
    store: Store,
    name: str,
    roster: bytes | str | Path,
    parameters: Mapping[str, Any],
    totals: Mapping[str, Any],
    author: str,
    comment: str = "",
) -> Saved:
    """Save a household sheet's record (roster digest, parameters, totals) as a version.

    The totals are also the version's headline results, so a diff shows them side by side.
    """
    record = household_sheet_content(roster, parameters, totals)
    return save(store, HOUSEHOLD_SHEET, name, record, author, comment, results=record["totals"])


def documents(store: Store) -> list[DocumentInfo]:
    """Every document, by name, with its version count, latest version and tags."""
    with store.errors(), store.session() as s:
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
            n, mx, up = stats.get(doc.id, (0, 0, doc.created))
            out.append(
                DocumentInfo(
                    doc.name,
                    doc.kind,
                    as_utc(doc.created),
                    n,
                    mx,
                    as_utc(up),
                    tuple(tags.get(doc.id, [])),
                )
            )
        return out


def history(store: Store, name: str) -> list[VersionInfo]:
    """Every version of document `name`, oldest first, with its tags."""
    with store.errors(), store.session() as s:
        doc = _document(s, name)
        q = (
            select(Version)
            .where(Version.document_id == doc.id)
            .options(selectinload(Version.tags))
            .order_by(Version.number)
        )
        return [version_record(v, doc) for v in s.scalars(q)]


def get(store: Store, name: str, ref: Ref = None) -> VersionInfo:
    """Version `ref` (number, tag name, or None for the latest) of document `name`."""
    with store.errors(), store.session() as s:
        doc = _document(s, name)
        return version_record(_version(s, doc, ref), doc)


def restore(store: Store, name: str, ref: Ref, author: str, comment: str = "") -> Saved:
    """Append a version whose content (and results) equal version `ref`'s."""
    old = get(store, name, ref)
    note = comment or f"restore of version {old.number}"
    return save(store, old.kind, name, old.content, author, note, results=old.results)


def tag(
    store: Store,
    name: str,
    ref: Ref,
    tag_name: str,
    *,
    note: str = "",
    file: bytes | str | Path | None = None,
) -> TagInfo:
    """Tag version `ref` of `name` (e.g. ``published``), recording `file`'s sha256 if given.

    Raises
    ------
    InputError
        If another version of the document already holds `tag_name` (tags never move),
        or this version holds it with a different file hash.
    """
    tag_name = (tag_name or "").strip()
    if not tag_name or len(tag_name) > 100 or tag_name.isdigit() or tag_name == "latest":
        raise InputError(
            Problem("a tag is 1–100 characters, not a number or 'latest'", field="tag")
        )
    file_hash = file_sha256(file) if file is not None else None
    with store.errors():
        try:
            with store.session() as s, s.begin():
                doc = _document(s, name)
                v = _version(s, doc, ref)
                held = s.scalar(select(Tag).where(Tag.document_id == doc.id, Tag.tag == tag_name))
                if held is not None:
                    return _tag_held(s, doc, v, held, file_hash)
                t = Tag(
                    document_id=doc.id,
                    version_id=v.id,
                    tag=tag_name,
                    note=note,
                    file_hash=file_hash,
                    created=datetime.now(UTC),
                )
                s.add(t)
                s.flush()
                return tag_record(t, doc, v.number)
        except IntegrityError:  # a concurrent tag of the same name won: report on it
            pass
    return tag(store, name, ref, tag_name, note=note, file=file)


def _tag_held(s: Session, doc: Document, v: Version, held: Tag, file_hash: str | None) -> TagInfo:
    number = s.scalar(select(Version.number).where(Version.id == held.version_id))
    assert number is not None
    if held.version_id == v.id and (file_hash is None or file_hash == held.file_hash):
        return tag_record(held, doc, number)
    why = (
        f"version {number} already holds tag {held.tag!r}"
        if held.version_id != v.id
        else f"version {number} holds tag {held.tag!r} with another file hash"
    )
    raise InputError(
        Problem(f"{why} of {doc.name!r}; tags are permanent, use a new tag name", field="tag")
    )
