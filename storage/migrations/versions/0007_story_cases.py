"""flagged stories' case facts as columns: story_cases, and story_case_origins per origin country

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from storage.cases import case_rows

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BACKFILL_BATCH = 1000


def upgrade() -> None:
    op.create_table(
        "story_cases",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("classification_id", sa.Integer(), nullable=False),
        sa.Column("origin_countries", sa.String(200), nullable=False),
        sa.Column("destination", sa.String(32), nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("people_count", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_story_cases_story_id_stories"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["classification_id"],
            ["classifications.id"],
            name=op.f("fk_story_cases_classification_id_classifications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("story_id", name=op.f("pk_story_cases")),
    )
    op.create_index(
        op.f("ix_story_cases_classification_id"), "story_cases", ["classification_id"], unique=False
    )
    op.create_table(
        "story_case_origins",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(8), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["story_cases.story_id"],
            name=op.f("fk_story_case_origins_story_id_story_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("story_id", "country", name=op.f("pk_story_case_origins")),
    )
    op.create_index(
        "ix_story_case_origins_country_story", "story_case_origins", ["country", "story_id"], unique=False
    )
    _backfill()


def _backfill() -> None:
    """Case rows for the stories whose newest verdict flagged them with case facts (verdicts since
    case extraction began carry them in their reasons), a batch at a time."""
    classifications = sa.table(
        "classifications",
        sa.column("id", sa.Integer()),
        sa.column("story_id", sa.Integer()),
        sa.column("alert", sa.Boolean()),
        sa.column("reasons", sa.JSON()),
    )
    story_cases = sa.table(
        "story_cases",
        *(sa.column(name) for name in ("story_id", "classification_id", "origin_countries")),
        *(sa.column(name) for name in ("destination", "event", "people_count")),
    )
    origins = sa.table("story_case_origins", sa.column("story_id"), sa.column("country"))
    newest = sa.select(sa.func.max(classifications.c.id)).group_by(classifications.c.story_id)
    statement = (
        sa.select(classifications.c.id, classifications.c.story_id, classifications.c.reasons)
        .where(classifications.c.id.in_(newest), classifications.c.alert.is_(True))
        .order_by(classifications.c.id)
    )
    bind = op.get_bind()
    for batch in bind.execute(statement, execution_options={"yield_per": BACKFILL_BATCH}).partitions():
        cases, countries = case_rows(
            (story_id, verdict_id, reasons.get("case") if isinstance(reasons, dict) else None)
            for verdict_id, story_id, reasons in batch
        )
        if cases:
            bind.execute(story_cases.insert(), cases)
        if countries:
            bind.execute(origins.insert(), countries)


def downgrade() -> None:
    op.drop_index("ix_story_case_origins_country_story", table_name="story_case_origins")
    op.drop_table("story_case_origins")
    op.drop_index(op.f("ix_story_cases_classification_id"), table_name="story_cases")
    op.drop_table("story_cases")
