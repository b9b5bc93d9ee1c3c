"""partial indexes of the open tasks, in due and priority order, for the inbox at scale; on
PostgreSQL, statistics of state and assignee together (open tasks are the unassigned ones far
more often than the two columns' separate frequencies say, which misled the planner)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OPEN = sa.text("state = 'open'")


def upgrade() -> None:
    with op.batch_alter_table('human_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_human_tasks_open_due', ['due_at', 'id'], unique=False,
                              postgresql_where=OPEN, sqlite_where=OPEN)
        batch_op.create_index('ix_human_tasks_open_priority', ['priority', 'id'], unique=False,
                              postgresql_where=OPEN, sqlite_where=OPEN)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE STATISTICS st_human_tasks_state_assignee (dependencies, mcv) "
                   "ON state, assignee FROM human_tasks")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP STATISTICS IF EXISTS st_human_tasks_state_assignee")
    with op.batch_alter_table('human_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_human_tasks_open_priority')
        batch_op.drop_index('ix_human_tasks_open_due')
