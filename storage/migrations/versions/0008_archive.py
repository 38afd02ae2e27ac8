"""archived page snapshots (issue 15): story_archives, snapshots, archive_notices

Revision ID: 0008
Revises: 0007
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    """As storage.models stores enums: a string with a CHECK of its values."""
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def _when(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "story_archives",
        sa.Column("story_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("outlet", sa.String(255), nullable=True),
        sa.Column("author", sa.String(500), nullable=True),
        _when("published_at"),
        sa.Column("kept", sa.Boolean(), nullable=False),
        sa.Column("state", _enum("archivestate", "pending", "watching", "done", "failed"), nullable=False),
        sa.Column("page_state", _enum("pagestate", "live", "edited", "removed"), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("checks_done", sa.Integer(), nullable=False),
        _when("next_check_at"),
        _when("captured_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("requested_by", sa.String(64), nullable=False),
        _when("created_at", nullable=False),
        sa.PrimaryKeyConstraint("story_id", name=op.f("pk_story_archives")),
    )
    op.create_index("ix_story_archives_state_next", "story_archives", ["state", "next_check_at"])
    op.create_index(op.f("ix_story_archives_created_at"), "story_archives", ["created_at"])
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column(
            "outcome", _enum("snapshotoutcome", "captured", "unchanged", "edited", "removed"), nullable=False
        ),
        _when("retrieved_at", nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("final_url", sa.String(2048), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("body_sha256", sa.String(64), nullable=True),
        sa.Column("text_sha256", sa.String(64), nullable=True),
        sa.Column("warc_sha256", sa.String(64), nullable=True),
        sa.Column("warc_bytes", sa.BigInteger(), nullable=False),
        sa.Column("changed_words", sa.Integer(), nullable=False),
        sa.Column("diff", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["story_archives.story_id"],
            name=op.f("fk_snapshots_story_id_story_archives"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshots")),
    )
    for column in ("story_id", "retrieved_at", "warc_sha256"):
        op.create_index(op.f(f"ix_snapshots_{column}"), "snapshots", [column])
    op.create_table(
        "archive_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("status", _enum("alertstatus", "pending", "sent", "failed", "skipped"), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        _when("next_attempt_at"),
        _when("created_at", nullable=False),
        _when("sent_at"),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["story_archives.story_id"],
            name=op.f("fk_archive_notices_story_id_story_archives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name=op.f("fk_archive_notices_snapshot_id_snapshots"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscribers.id"],
            name=op.f("fk_archive_notices_subscriber_id_subscribers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_notices")),
        sa.UniqueConstraint("snapshot_id", "subscriber_id", name="uq_archive_notices_snapshot_subscriber"),
    )
    op.create_index("ix_archive_notices_status_next", "archive_notices", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_archive_notices_status_next", table_name="archive_notices")
    op.drop_table("archive_notices")
    for column in ("story_id", "retrieved_at", "warc_sha256"):
        op.drop_index(op.f(f"ix_snapshots_{column}"), table_name="snapshots")
    op.drop_table("snapshots")
    op.drop_index(op.f("ix_story_archives_created_at"), table_name="story_archives")
    op.drop_index("ix_story_archives_state_next", table_name="story_archives")
    op.drop_table("story_archives")
