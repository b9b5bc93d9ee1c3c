"""the audit log of administrative actions

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=150), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target_kind', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.String(length=255), nullable=False),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_action_id', ['action', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_actor_id', ['actor', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_log_target_kind_target_id', ['target_kind', 'target_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_target_kind_target_id')
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index('ix_audit_log_actor_id')
        batch_op.drop_index('ix_audit_log_action_id')
    op.drop_table('audit_log')
