"""modules grant their roles permissions on entities of the modules they require

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("modules") as batch_op:
        batch_op.add_column(sa.Column("grants", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                                        nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("modules") as batch_op:
        batch_op.drop_column("grants")
