"""process drafts of the modeler

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('process_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_key', sa.String(length=255), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('xml', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('saved_by', sa.String(length=150), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_drafts')),
    sa.UniqueConstraint('process_key', name=op.f('uq_process_drafts_process_key'))
    )


def downgrade() -> None:
    op.drop_table('process_drafts')
