"""The store's tables as typed SQLAlchemy 2 models: documents, versions, tags, audit log.

A *document* is one named file (a community scenario, a PPP project, a portfolio, an
operation scenario, a rule file or a household sheet's record); each save adds an
immutable *version* numbered 1, 2, 3 … within its document; a *tag* marks one version
(``published`` for the sheet that was posted) and may carry the sha256 of the file that
was published and who tagged it. Every document belongs to an *office*; the *audit log*
records who did what (and every refused attempt) and is never changed. The schema is created and upgraded by the Alembic migrations in
:mod:`costshare.store.migrations`, never by ``create_all``.

>>> sorted(Base.metadata.tables)
['audit_log', 'documents', 'tags', 'versions']
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = ["AuditEntry", "Base", "Document", "Tag", "Version"]

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (so migrations can refer to them)."""

    metadata = MetaData(naming_convention=_NAMING)


class Document(Base):
    """One named file in the store; its `kind` is fixed by its first save."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    office: Mapped[str] = mapped_column(String(40), default="", server_default="")

    versions: Mapped[list[Version]] = relationship(
        back_populates="document", order_by="Version.number"
    )


class Version(Base):
    """One immutable save of a document: who, when, why, and the content as stored."""

    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("document_id", "number", name="uq_versions_document_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    document: Mapped[Document] = relationship(back_populates="versions")
    tags: Mapped[list[Tag]] = relationship(back_populates="version", order_by="Tag.id")


class Tag(Base):
    """A named mark on one version; a document holds each tag name at most once."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("document_id", "tag", name="uq_tags_document_tag"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id"), index=True)
    tag: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    file_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    author: Mapped[str | None] = mapped_column(String(200), nullable=True)

    version: Mapped[Version] = relationship(back_populates="tags")


class AuditEntry(Base):
    """One line of the audit log: who, when, which office, what, on which version, outcome.

    `outcome` is ``ok`` or ``denied`` (a refused attempt); `content_hash` is the version's
    content hash (or, for an export, the archive's sha256). Comments and content are
    never copied here, so purging a document leaves no personal data in the log.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    office: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(10))
    document: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")


@event.listens_for(Version, "before_update")
@event.listens_for(Tag, "before_update")
@event.listens_for(AuditEntry, "before_update")
def _immutable(mapper: Any, connection: Any, target: Any) -> None:
    """Versions and tags are records: the ORM refuses to change one once written."""
    raise TypeError(f"{type(target).__name__} rows are immutable; save a new version instead")
