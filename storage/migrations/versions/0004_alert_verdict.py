"""each alert points to the verdict it was queued for

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("classification_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_alerts_classification_id_classifications"),
            "classifications",
            ["classification_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_alerts_classification_id_classifications"), type_="foreignkey"
        )
        batch_op.drop_column("classification_id")
