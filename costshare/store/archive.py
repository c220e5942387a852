"""Moving, erasing and checking: export / import a whole store, purge a document, verify a file.

An *archive* is gzip-compressed JSON: every document (name, kind, office, creation
time) with every version (number, author, time, comment, content, content hash,
results) and tag (who, when, note, file hash), plus the audit log, and the sha256 of
all that. Importing checks the archive's sha256 and every version's content hash, and
needs an empty store; times, numbers, authors, tags and the log are kept, and an
``import`` entry is appended. SQLite ↔ PostgreSQL both ways.

Purging (admin, PIPL erasure) deletes a document's versions and tags and keeps a
tombstone in the audit log: who, when, why, and the content hashes that were removed.
The audit log's older entries hold no content, so nothing personal remains.

>>> import tempfile, pathlib
>>> from costshare.store.engine import Store
>>> from costshare.store.repo import history, save
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.json.gz"
>>> with Store("sqlite://", user="ana") as a, Store("sqlite://", user="ana") as b:
...     _ = save(a, "community", "d", "a: 1\\n")
...     n = export_store(a, p)
...     import_store(b, p) == n, [v.author for v in history(b, "d")]
(True, ['ana'])
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from costshare.errors import InputError, Problem
from costshare.store import audit
from costshare.store.content import canonical_hash, file_sha256, parse_content
from costshare.store.engine import Store
from costshare.store.models import AuditEntry, Document, Tag, Version
from costshare.store.reads import Ref, find_document, get, is_publication
from costshare.store.records import as_utc

__all__ = ["Verdict", "export_store", "import_store", "purge", "verify"]

FORMAT = "costshare-store-archive/1"


def _t(x: datetime) -> str:
    return as_utc(x).isoformat()


def _dump_doc(d: Document) -> dict[str, Any]:
    numbers = {v.id: v.number for v in d.versions}
    tags = [t for v in d.versions for t in v.tags]
    return {
        "name": d.name,
        "kind": d.kind,
        "office": d.office,
        "created": _t(d.created),
        "versions": [
            {
                "number": v.number,
                "author": v.author,
                "created": _t(v.created),
                "comment": v.comment,
                "content_hash": v.content_hash,
                "content": v.content,
                "results": v.results,
            }
            for v in d.versions
        ],
        "tags": [
            {
                "tag": t.tag,
                "number": numbers[t.version_id],
                "note": t.note,
                "file_hash": t.file_hash,
                "author": t.author,
                "created": _t(t.created),
            }
            for t in sorted(tags, key=lambda t: t.id)
        ],
    }


_AUDIT = ("actor", "office", "action", "outcome", "document", "version", "content_hash", "detail")


def export_store(store: Store, archive: str | Path, names: list[str] | None = None) -> int:
    """Write the store (or documents `names`) to `archive`; return the number of versions.

    Needs the admin role for every document's office; logs an ``export`` entry.
    """

    def run() -> int:
        with store.session() as s, s.begin():
            q = select(Document).options(selectinload(Document.versions).selectinload(Version.tags))
            if names is not None:
                for n in names:
                    find_document(s, n)
                q = q.where(Document.name.in_(names))
            docs = list(s.scalars(q.order_by(Document.id)))
            for d in docs:
                audit.check(store, "export", store.owner(d.office), document=d.name)
            if not docs:
                audit.check(store, "export", store.owner(store.actor.office))
            entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id))
            body = {
                "format": FORMAT,
                "documents": [_dump_doc(d) for d in docs],
                "audit": [
                    {"at": _t(e.at), **{k: getattr(e, k) for k in _AUDIT}}
                    for e in entries
                    if names is None or e.document in names
                ],
            }
            raw = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
            digest = hashlib.sha256(raw).hexdigest()
            data = json.dumps({"sha256": digest, "body": body}, ensure_ascii=False).encode()
            Path(archive).write_bytes(gzip.compress(data, mtime=0))
            n = sum(len(d.versions) for d in docs)
            audit.record(
                s,
                store,
                "export",
                store.owner(store.actor.office),
                None,
                None,
                digest,
                f"{len(docs)} document(s), {n} version(s)",
            )
            return n

    return audit.guarded(store, run)


def _load(archive: str | Path) -> dict[str, Any]:
    name = str(archive)
    try:
        outer = json.loads(gzip.decompress(Path(archive).read_bytes()))
        body = outer["body"]
        raw = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        raise InputError(Problem("not a costshare store archive", file=name)) from None
    if body.get("format") != FORMAT:
        raise InputError(Problem(f"archive format must be {FORMAT}", file=name))
    if hashlib.sha256(raw).hexdigest() != outer.get("sha256"):
        raise InputError(Problem("the archive's sha256 does not match its content", file=name))
    for d in body["documents"]:
        for v in d["versions"]:
            if canonical_hash(parse_content(v["content"], d["name"])) != v["content_hash"]:
                where = f"{d['name']} version {v['number']}"
                raise InputError(Problem("content does not match its hash", name, where))
    return body


def import_store(store: Store, archive: str | Path) -> int:
    """Load `archive` into an empty store; return the number of versions imported."""
    body = _load(archive)

    def run() -> int:
        with store.session() as s, s.begin():
            for d in body["documents"]:
                audit.check(store, "import", store.owner(d["office"]), document=d["name"])
            audit.check(store, "import", store.owner(store.actor.office))
            if s.scalar(select(Document.id).limit(1)) is not None:
                raise InputError(Problem("import needs an empty store", file=store.display_url))
            for d in body["documents"]:
                doc = Document(
                    name=d["name"],
                    kind=d["kind"],
                    office=d["office"],
                    created=datetime.fromisoformat(d["created"]),
                )
                s.add(doc)
                s.flush()
                ids = {}
                for v in d["versions"]:
                    row = Version(
                        document_id=doc.id, **{**v, "created": datetime.fromisoformat(v["created"])}
                    )
                    s.add(row)
                    s.flush()
                    ids[v["number"]] = row.id
                for t in d["tags"]:
                    s.add(
                        Tag(
                            document_id=doc.id,
                            version_id=ids[t.pop("number")],
                            **{**t, "created": datetime.fromisoformat(t["created"])},
                        )
                    )
            for e in body["audit"]:
                s.add(AuditEntry(**{**e, "at": datetime.fromisoformat(e["at"])}))
            n = sum(len(d["versions"]) for d in body["documents"])
            audit.record(
                s,
                store,
                "import",
                store.owner(store.actor.office),
                None,
                None,
                file_sha256(archive),
                f"{len(body['documents'])} document(s), {n} version(s)",
            )
            return n

    return audit.guarded(store, run)


def purge(store: Store, name: str, reason: str) -> int:
    """Erase document `name` (admin); keep a tombstone in the log; return versions erased.

    Examples
    --------
    >>> from costshare.store.engine import Store
    >>> from costshare.store.repo import save
    >>> from costshare.store.audit import log
    >>> with Store("sqlite://", user="dora") as st:
    ...     _ = save(st, "household_sheet", "s", "total_fen: 1\\n")
    ...     n = purge(st, "s", "PIPL request")
    ...     n, [(e.action, e.detail[:20]) for e in log(st, "s")]
    (1, [('save', ''), ('purge', 'reason: PIPL request')])
    """
    reason = (reason or "").strip()
    if not reason:
        raise InputError(Problem("say why the document is purged (--reason)", field="reason"))

    def run() -> int:
        with store.session() as s, s.begin():
            doc = find_document(s, name)
            owner = store.owner(doc.office)
            audit.check(store, "purge", owner, document=name)
            versions = list(s.scalars(select(Version).where(Version.document_id == doc.id)))
            hashes = ", ".join(
                f"v{v.number} {v.content_hash}" for v in sorted(versions, key=lambda v: v.number)
            )
            s.execute(delete(Tag).where(Tag.document_id == doc.id))
            s.execute(delete(Version).where(Version.document_id == doc.id))
            s.execute(delete(Document).where(Document.id == doc.id))
            detail = f"reason: {reason}; tombstone of {doc.kind} {name!r}: {hashes}"
            audit.record(s, store, "purge", owner, name, None, None, detail)
            return len(versions)

    return audit.guarded(store, run)


@dataclass(frozen=True)
class Verdict:
    """Whether a file is exactly what a version's publication tag recorded."""

    matches: bool
    document: str
    number: int
    tag: str
    expected: str
    actual: str


def verify(store: Store, name: str, ref: Ref, file: bytes | str | Path) -> Verdict:
    """Compare `file`'s sha256 with the file hash of version `ref`'s publication tag.

    Examples
    --------
    >>> from costshare.store.engine import Store
    >>> from costshare.store.repo import save, tag
    >>> with Store("sqlite://") as st:
    ...     _ = save(st, "community", "d", "a: 1\\n")
    ...     _ = tag(st, "d", 1, "published", file=b"notice")
    ...     verify(st, "d", 1, b"notice").matches, verify(st, "d", 1, b"other").matches
    (True, False)
    """
    v = get(store, name, ref)
    tags = [t for t in v.tags if is_publication(t.tag) and t.file_hash]
    if not tags:
        msg = f"version {v.number} of {name!r} has no published tag with a file hash"
        raise InputError(Problem(msg, field="version"))
    actual = file_sha256(file)
    t = next((t for t in tags if t.file_hash == actual), tags[0])
    assert t.file_hash is not None
    return Verdict(t.file_hash == actual, name, v.number, t.tag, t.file_hash, actual)
