"""a keyword rule's near list may hold up to 1 000 characters

The shipped vocabulary names a language's war words once and expands them into each rule's near
list; with 40 alternatives that outgrew the 300 characters stored before.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("keyword_rules", schema=None) as batch_op:
        batch_op.alter_column("near", existing_type=sa.String(300), type_=sa.String(1000))


def downgrade() -> None:
    with op.batch_alter_table("keyword_rules", schema=None) as batch_op:
        batch_op.alter_column("near", existing_type=sa.String(1000), type_=sa.String(300))
