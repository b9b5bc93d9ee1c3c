"""definitions keep their order (JSON, not JSONB, on PostgreSQL)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

JSONB sorts the keys of an object, so an entity's fields came back in another order than written:
formulas that read fields above them failed, and record pages listed fields out of order.
Definitions deployed before this revision keep the sorted order until the module is deployed
again with a change.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TABLES = ("entity_definitions", "form_definitions", "report_definitions")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.alter_column(table, "definition", type_=sa.JSON(), existing_type=postgresql.JSONB(),
                        postgresql_using="definition::text::json")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.alter_column(table, "definition", type_=postgresql.JSONB(), existing_type=sa.JSON(),
                        postgresql_using="definition::jsonb")
