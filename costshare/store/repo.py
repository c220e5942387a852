"""Saving, restoring and tagging versions in a :class:`Store`, as the store's actor.

Rules of the store (the README repeats them):

- Each save appends a version numbered one more than the document's latest; versions are
  never changed. A save whose text is identical to the latest version's records
  nothing and returns that version with ``unchanged=True``; a save that changes only
  comments or layout is a new version with the same ``content_hash``.
- No lost update: a save says which version it was based on (``base``; 0 for a new
  document). If another version was saved since, the save is refused with a
  :class:`ConflictError` naming both versions. ``base=None`` skips the check (scripts).
- The number is allocated inside the inserting transaction and guarded by the unique
  constraint (document, number); when two processes race for a number the loser gets an
  ``IntegrityError``, rolls back and retries (then meets the base check), so no save is
  ever lost silently.
- A document's kind and office are fixed by its first save; the author of a version and
  of a tag is the store's actor, never typed (single-user mode may still name one).
- Every save, restore and tag checks the actor's permission (:mod:`.access`) and writes
  an audit entry (:mod:`.audit`) in the same transaction; a refusal is logged too.
- Restoring appends a new version whose content equals the old one (history is not rewritten).
- A tag name is held by at most one version of a document and is never moved.

>>> from costshare.store.engine import Store
>>> with Store("sqlite://", user="clerk") as st:
...     v1 = save(st, "community", "demo", "a: 1\\n", base=0).version
...     v2 = save(st, "community", "demo", "a: 2\\n", comment="raise a", base=1).version
...     (v1.number, v2.number, v2.author, get(st, "demo").data)
(1, 2, 'clerk', {'a': 2})
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from costshare import limits
from costshare.errors import InputError, Problem
from costshare.store import audit
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
from costshare.store.reads import (
    Ref,
    documents,
    find_document,
    find_version,
    get,
    history,
    is_publication,
)
from costshare.store.records import (
    DocumentInfo,
    Saved,
    TagInfo,
    VersionInfo,
    tag_record,
    version_record,
)

__all__ = [
    "ConflictError",
    "DocumentInfo",
    "Ref",
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


class ConflictError(InputError):
    """A save based on a version that is no longer the newest (nothing was recorded)."""

    def __init__(self, problem: Problem, *, base: int, latest: VersionInfo) -> None:
        super().__init__(problem)
        self.base, self.latest = base, latest


def _author(store: Store, author: str | None) -> str:
    if not author or author == store.actor.name:
        return store.actor.name
    if store.actor.single:
        return author  # a laptop's one user may name themselves
    msg = f"the author is the signed-in user ({store.actor.name}); it cannot be given as {author!r}"
    raise InputError(Problem(msg, field="author"))


def save(
    store: Store,
    kind: str,
    name: str,
    content: str | Mapping[str, Any],
    author: str | None = None,
    comment: str = "",
    results: Mapping[str, Any] | None = None,
    *,
    base: int | None = None,
    office: str | None = None,
) -> Saved:
    """Save `content` (YAML/JSON text, or a mapping) as the next version of document `name`.

    Parameters
    ----------
    store
        The open store; its actor is the author and must be allowed to save `kind` here.
    kind
        What the file is (``community``, ``ppp``, ``household_sheet`` …, or a job kind);
        fixed by a document's first save. The content itself is never interpreted.
    name
        The document's name (created on first save).
    content
        The file's text as it should be stored, or a mapping (stored as YAML).
    author
        Leave out: the store's actor. In single-user mode a name may be given.
    comment
        Why this version.
    results
        Headline results to keep beside the inputs, e.g. ``{"gap_fen": 7600000}``.
    base
        The version this content was based on (0: a new document); None skips the check.
    office
        The owning office of a new document (default: the actor's).

    Returns
    -------
    Saved
        The new version, or the latest one with ``unchanged=True`` if its text is identical.

    Raises
    ------
    ConflictError
        If `base` is not the newest version (both versions are named).
    PermissionDeniedError
        If the actor may not save this kind for this office (the refusal is logged).
    """
    return _save(store, "save", kind, name, content, author, comment, results, base, office)


def _save(
    store: Store,
    action: str,
    kind: str,
    name: str,
    content: str | Mapping[str, Any],
    author: str | None,
    comment: str,
    results: Mapping[str, Any] | None,
    base: int | None,
    office: str | None,
) -> Saved:
    check_kind(kind)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InputError(Problem("a document name must be 1–200 characters", field="name"))
    limits.check_text("comment_chars", comment, file=name, field="comment")  # before work
    if isinstance(content, str):
        limits.check_text("stored_bytes", content, file=name, field="content")
    text = to_text(content)
    limits.check_text("stored_bytes", text, file=name, field="content")
    digest = canonical_hash(parse_content(text, name))
    res = plain(dict(results)) if results is not None else None
    row = {"author": _author(store, author), "comment": comment or "", "content": text}
    row |= {"content_hash": digest, "results": res}
    for attempt in range(MAX_ATTEMPTS):
        with audit.denials(store), store.errors():
            try:
                with store.session() as s, s.begin():
                    return _save_once(store, s, action, kind, name, row, base, office)
            except IntegrityError:  # a concurrent save took the number or created the document
                pass
        time.sleep(random.uniform(0, 0.01 * min(attempt + 1, 10)))
    raise StoreError(
        Problem(f"could not allocate a version number after {MAX_ATTEMPTS} attempts", file=name)
    )


def _conflict(name: str, base: int, latest: Version, doc: Document) -> ConflictError:
    when = latest.created.strftime("%Y-%m-%d %H:%M:%S")
    newest = f"version {latest.number} (saved by {latest.author} at {when} UTC) is the newest"
    mine = "a new document" if base == 0 else f"version {base}"
    msg = (
        f"{name!r} changed: your save is based on {mine} but {newest}; nothing was saved. "
        f"Compare with version {latest.number} and save again based on it"
    )
    return ConflictError(Problem(msg, field="base"), base=base, latest=version_record(latest, doc))


def _save_once(
    store: Store,
    s: Session,
    action: str,
    kind: str,
    name: str,
    row: dict[str, Any],
    base: int | None,
    office: str | None,
) -> Saved:
    now = datetime.now(UTC)
    doc = s.scalar(select(Document).where(Document.name == name))
    if doc is None:
        if base:
            msg = f"{name!r} has no versions, but your save is based on version {base}"
            raise InputError(Problem(msg, field="base"))
        owner = office or store.actor.office or ""
        audit.check(store, action, store.owner(owner), kind=kind, document=name)
        doc = Document(kind=kind, name=name, created=now, office=owner)
        s.add(doc)
        s.flush()
    else:
        if doc.kind != kind:
            raise InputError(
                Problem(f"{name!r} is a {doc.kind} document, not {kind}", field="kind")
            )
        if office and store.owner(doc.office) != office:
            msg = f"{name!r} belongs to office {store.owner(doc.office)}, not {office}"
            raise InputError(Problem(msg, field="office"))
        audit.check(store, action, store.owner(doc.office), kind=kind, document=name)
    latest = s.scalar(
        select(Version)
        .where(Version.document_id == doc.id)
        .options(selectinload(Version.tags))
        .order_by(Version.number.desc())
        .limit(1)
    )
    same = latest is not None and latest.content_hash == row["content_hash"]
    if same and latest.content == row["content"]:
        return Saved(version_record(latest, doc), unchanged=True)
    if base is not None and latest is not None and base != latest.number:
        raise _conflict(name, base, latest, doc)
    v = Version(document_id=doc.id, number=(latest.number if latest else 0) + 1, created=now, **row)
    s.add(v)
    s.flush()
    based = "" if base is None else f"based on version {base}"
    audit.record(s, store, action, store.owner(doc.office), name, v.number, v.content_hash, based)
    return Saved(version_record(v, doc))


def save_household_sheet(
    store: Store,
    name: str,
    roster: bytes | str | Path,
    parameters: Mapping[str, Any],
    totals: Mapping[str, Any],
    author: str | None = None,
    comment: str = "",
    *,
    base: int | None = None,
) -> Saved:
    """Save a household sheet's record (roster digest, parameters, totals) as a version.

    The totals are also the version's headline results, so a diff shows them side by side.
    """
    record = household_sheet_content(roster, parameters, totals)
    return save(store, HOUSEHOLD_SHEET, name, record, author, comment, record["totals"], base=base)


def restore(
    store: Store,
    name: str,
    ref: Ref,
    author: str | None = None,
    comment: str = "",
    *,
    base: int | None = None,
) -> Saved:
    """Append a version whose content (and results) equal version `ref`'s."""
    old = get(store, name, ref)
    note = comment or f"restore of version {old.number}"
    return _save(
        store, "restore", old.kind, name, old.content, author, note, old.results, base, None
    )


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

    Tagging ``published`` (or ``published-…``) needs the publisher role; other tags the
    right to save the document or the publisher role. The tag records who tagged.

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
    action = "publish" if is_publication(tag_name) else "tag"
    with audit.denials(store), store.errors():
        try:
            with store.session() as s, s.begin():
                doc = find_document(s, name)
                owner = store.owner(doc.office)
                audit.check(store, action, owner, kind=doc.kind, document=name)
                v = find_version(s, doc, ref)
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
                    author=store.actor.name,
                )
                s.add(t)
                s.flush()
                detail = f"tag {tag_name}" + (f", file sha256 {file_hash}" if file_hash else "")
                audit.record(s, store, action, owner, name, v.number, v.content_hash, detail)
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
