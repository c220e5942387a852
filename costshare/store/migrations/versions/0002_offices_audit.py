"""Offices, who tagged, and the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06

Documents saved before this revision belong to no office (``""``), which an access file
maps to its top office. Downgrading removes only what this revision added.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "documents", sa.Column("office", sa.String(length=40), server_default="", nullable=False)
    )
    op.add_column("tags", sa.Column("author", sa.String(length=200), nullable=True))
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("office", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_document", "audit_log", ["document"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_document", table_name="audit_log")
    op.drop_table("audit_log")
    for table, column in (("tags", "author"), ("documents", "office")):
        # SQLite ≥ 3.35 drops a column in place (a batch copy would trip the foreign keys)
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
