"""What the store returns: plain frozen records detached from the database session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from costshare.store.content import parse_content
from costshare.store.models import Document, Tag, Version

__all__ = [
    "DocumentInfo",
    "Saved",
    "TagInfo",
    "VersionInfo",
    "as_utc",
    "tag_record",
    "version_record",
]


@dataclass(frozen=True)
class TagInfo:
    """A tag on a version, with the sha256 of the file it marks (if one was given)."""

    tag: str
    document: str
    number: int
    note: str
    file_hash: str | None
    created: datetime
    author: str | None = None


@dataclass(frozen=True)
class VersionInfo:
    """One stored version, detached from the database."""

    document: str
    kind: str
    number: int
    author: str
    created: datetime
    comment: str
    content_hash: str
    content: str
    results: dict[str, Any] | None
    tags: tuple[TagInfo, ...] = ()

    @property
    def data(self) -> dict[str, Any]:
        """The content parsed (YAML or JSON)."""
        return parse_content(self.content, f"{self.document} v{self.number}")


@dataclass(frozen=True)
class Saved:
    """What a save did: the version holding the content, and whether it was new."""

    version: VersionInfo
    unchanged: bool = False


@dataclass(frozen=True)
class DocumentInfo:
    """A document with its version count, latest version and tags."""

    name: str
    kind: str
    created: datetime
    versions: int
    latest: int
    updated: datetime
    tags: tuple[TagInfo, ...] = field(default=())
    office: str = ""


def as_utc(t: datetime) -> datetime:
    """`t` as an aware UTC time (SQLite hands back naive times, which are UTC here)."""
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def tag_record(t: Tag, doc: Document, number: int) -> TagInfo:
    """The detached record of tag row `t` on version `number` of `doc`."""
    return TagInfo(t.tag, doc.name, number, t.note, t.file_hash, as_utc(t.created), t.author)


def version_record(v: Version, doc: Document) -> VersionInfo:
    """The detached record of version row `v` of `doc`, with its tags (loaded by the caller)."""
    return VersionInfo(
        document=doc.name,
        kind=doc.kind,
        number=v.number,
        author=v.author,
        created=as_utc(v.created),
        comment=v.comment,
        content_hash=v.content_hash,
        content=v.content,
        results=v.results,
        tags=tuple(tag_record(t, doc, v.number) for t in v.tags),
    )
