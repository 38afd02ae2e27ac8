"""feeds remember the catalogue pack that brought them, with language, country and kind

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pack", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("language", sa.String(16), nullable=True))
        batch_op.add_column(sa.Column("country", sa.String(8), nullable=True))
        batch_op.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="feed"))
        batch_op.create_index(batch_op.f("ix_feeds_pack"), ["pack"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feeds_pack"))
        batch_op.drop_column("kind")
        batch_op.drop_column("country")
        batch_op.drop_column("language")
        batch_op.drop_column("pack")
