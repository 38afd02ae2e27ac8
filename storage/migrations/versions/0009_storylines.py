"""storylines and follows (issue 14): storylines, storyline_stories, storyline_follows, an alert's
followed storyline, and spike_alerts; each flagged story with case facts starts in a storyline of its own

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _state(name: str, *values: str) -> sa.Enum:
    """As storage.models stores enums: a plain string."""
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def upgrade() -> None:
    op.create_table(
        "storylines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("first_story_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_story_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", _state("storylinestate", "open", "dormant", "merged"), nullable=False),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into"], ["storylines.id"], name=op.f("fk_storylines_merged_into_storylines"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storylines")),
    )  # fmt: skip
    op.create_index("ix_storylines_state_last", "storylines", ["state", "last_story_at"], unique=False)
    op.create_table(
        "storyline_stories",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("storyline_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_storyline_stories_story_id_stories"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["storyline_id"], ["storylines.id"],
            name=op.f("fk_storyline_stories_storyline_id_storylines"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("story_id", name=op.f("pk_storyline_stories")),
    )  # fmt: skip
    op.create_index(op.f("ix_storyline_stories_storyline_id"), "storyline_stories", ["storyline_id"])
    op.create_table(
        "storyline_follows",
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("storyline_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscriber_id"], ["subscribers.id"],
            name=op.f("fk_storyline_follows_subscriber_id_subscribers"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["storyline_id"], ["storylines.id"],
            name=op.f("fk_storyline_follows_storyline_id_storylines"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("subscriber_id", "storyline_id", name=op.f("pk_storyline_follows")),
    )  # fmt: skip
    op.create_index(op.f("ix_storyline_follows_storyline_id"), "storyline_follows", ["storyline_id"])
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("storyline_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_alerts_storyline_id_storylines"), "storylines", ["storyline_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip
    op.create_table(
        "spike_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(16), nullable=False),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=False),
        sa.Column("p_value", sa.Float(), nullable=False),
        sa.Column("status", _state("alertstatus", "pending", "sent", "failed", "skipped"), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spike_alerts")),
        sa.UniqueConstraint("dimension", "key", "week", "chat_id", name="uq_spike_alerts_spike_chat"),
    )
    op.create_index("ix_spike_alerts_status_next", "spike_alerts", ["status", "next_attempt_at"])
    _backfill()


def _backfill() -> None:
    """A storyline per flagged story with case facts, numbered as the story: stories flagged before
    storylines existed join none of each other, and later stories may join theirs."""
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "INSERT INTO storylines (id, title, first_story_at, last_story_at, state, created_at) "
            "SELECT stories.id, stories.title, stories.published_at, stories.published_at, 'open', "
            "CURRENT_TIMESTAMP FROM story_cases JOIN stories ON stories.id = story_cases.story_id"
        )
    )
    bind.execute(
        sa.text(
            "INSERT INTO storyline_stories (story_id, storyline_id) "
            "SELECT story_id, story_id FROM story_cases"
        )
    )
    if bind.dialect.name == "postgresql":  # ids given explicitly leave the sequence behind
        bind.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('storylines', 'id'), "
                "COALESCE((SELECT MAX(id) FROM storylines), 0) + 1, false)"
            )
        )


def downgrade() -> None:
    op.drop_index("ix_spike_alerts_status_next", table_name="spike_alerts")
    op.drop_table("spike_alerts")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_alerts_storyline_id_storylines"), type_="foreignkey")
        batch_op.drop_column("storyline_id")
    op.drop_index(op.f("ix_storyline_follows_storyline_id"), table_name="storyline_follows")
    op.drop_table("storyline_follows")
    op.drop_index(op.f("ix_storyline_stories_storyline_id"), table_name="storyline_stories")
    op.drop_table("storyline_stories")
    op.drop_index("ix_storylines_state_last", table_name="storylines")
    op.drop_table("storylines")
