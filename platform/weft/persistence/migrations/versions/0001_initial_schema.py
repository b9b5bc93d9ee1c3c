"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('deployments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=True),
    sa.Column('created_by', sa.String(length=150), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deployments')),
    sa.UniqueConstraint('name', 'version', name=op.f('uq_deployments_name_version'))
    )
    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=150), nullable=False),
    sa.Column('label', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups')),
    sa.UniqueConstraint('name', name=op.f('uq_groups_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=150), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('display_name', sa.String(length=200), nullable=True),
    sa.Column('password_hash', sa.String(length=300), nullable=True),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('name', name=op.f('uq_users_name'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('deployment_resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_deployment_resources_deployment_id_deployments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deployment_resources'))
    )
    with op.batch_alter_table('deployment_resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deployment_resources_deployment_id'), ['deployment_id'], unique=False)

    op.create_table('group_members',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_members_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_group_members'))
    )
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_members_user_id'), ['user_id'], unique=False)

    op.create_table('decision_definitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_decision_definitions_deployment_id_deployments')),
    sa.ForeignKeyConstraint(['resource_id'], ['deployment_resources.id'], name=op.f('fk_decision_definitions_resource_id_deployment_resources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_definitions')),
    sa.UniqueConstraint('key', 'version', name=op.f('uq_decision_definitions_key_version'))
    )
    with op.batch_alter_table('decision_definitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_definitions_deployment_id'), ['deployment_id'], unique=False)

    op.create_table('process_definitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deployment_id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('bundle', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_process_definitions_deployment_id_deployments')),
    sa.ForeignKeyConstraint(['resource_id'], ['deployment_resources.id'], name=op.f('fk_process_definitions_resource_id_deployment_resources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_definitions')),
    sa.UniqueConstraint('key', 'version', name=op.f('uq_process_definitions_key_version'))
    )
    with op.batch_alter_table('process_definitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_definitions_deployment_id'), ['deployment_id'], unique=False)

    op.create_table('process_instances',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('definition_id', sa.Integer(), nullable=False),
    sa.Column('process_key', sa.String(length=255), nullable=False),
    sa.Column('business_key', sa.String(length=255), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('suspended', sa.Boolean(), nullable=False),
    sa.Column('started_by', sa.String(length=150), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('variables', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('active_elements', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('open_task_ids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('workflow_state', sa.Text(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['definition_id'], ['process_definitions.id'], name=op.f('fk_process_instances_definition_id_process_definitions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_instances'))
    )
    with op.batch_alter_table('process_instances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_process_instances_business_key'), ['business_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_instances_definition_id'), ['definition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_instances_process_key'), ['process_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_instances_started_at'), ['started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_instances_started_by'), ['started_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_process_instances_state'), ['state'], unique=False)

    op.create_table('history_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('instance_id', sa.Uuid(), nullable=False),
    sa.Column('element_id', sa.String(length=255), nullable=False),
    sa.Column('element_name', sa.String(length=500), nullable=True),
    sa.Column('element_type', sa.String(length=60), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_name', sa.String(length=150), nullable=True),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], name=op.f('fk_history_events_instance_id_process_instances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_history_events'))
    )
    with op.batch_alter_table('history_events', schema=None) as batch_op:
        batch_op.create_index('ix_history_events_instance_id_id', ['instance_id', 'id'], unique=False)

    op.create_table('human_tasks',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('instance_id', sa.Uuid(), nullable=False),
    sa.Column('process_key', sa.String(length=255), nullable=False),
    sa.Column('element_id', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('form_key', sa.String(length=255), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('assignee', sa.String(length=150), nullable=True),
    sa.Column('candidate_groups', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('candidate_users', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('follow_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('lane', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_by', sa.String(length=150), nullable=True),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id'], name=op.f('fk_human_tasks_instance_id_process_instances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_human_tasks'))
    )
    with op.batch_alter_table('human_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_human_tasks_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_human_tasks_process_key'), ['process_key'], unique=False)
        batch_op.create_index('ix_human_tasks_state_assignee', ['state', 'assignee'], unique=False)
        batch_op.create_index('ix_human_tasks_state_created', ['state', 'created_at'], unique=False)
        batch_op.create_index('ix_human_tasks_state_due', ['state', 'due_at'], unique=False)

    op.create_table('human_task_candidates',
    sa.Column('task_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=5), nullable=False),
    sa.Column('name', sa.String(length=150), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['human_tasks.id'], name=op.f('fk_human_task_candidates_task_id_human_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', 'kind', 'name', name=op.f('pk_human_task_candidates'))
    )
    with op.batch_alter_table('human_task_candidates', schema=None) as batch_op:
        batch_op.create_index('ix_human_task_candidates_kind_name', ['kind', 'name', 'task_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('human_task_candidates', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_candidates_kind_name')

    op.drop_table('human_task_candidates')
    with op.batch_alter_table('human_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_human_tasks_state_due')
        batch_op.drop_index('ix_human_tasks_state_created')
        batch_op.drop_index('ix_human_tasks_state_assignee')
        batch_op.drop_index(batch_op.f('ix_human_tasks_process_key'))
        batch_op.drop_index(batch_op.f('ix_human_tasks_instance_id'))

    op.drop_table('human_tasks')
    with op.batch_alter_table('history_events', schema=None) as batch_op:
        batch_op.drop_index('ix_history_events_instance_id_id')

    op.drop_table('history_events')
    with op.batch_alter_table('process_instances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_instances_state'))
        batch_op.drop_index(batch_op.f('ix_process_instances_started_by'))
        batch_op.drop_index(batch_op.f('ix_process_instances_started_at'))
        batch_op.drop_index(batch_op.f('ix_process_instances_process_key'))
        batch_op.drop_index(batch_op.f('ix_process_instances_definition_id'))
        batch_op.drop_index(batch_op.f('ix_process_instances_business_key'))

    op.drop_table('process_instances')
    with op.batch_alter_table('process_definitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_process_definitions_deployment_id'))

    op.drop_table('process_definitions')
    with op.batch_alter_table('decision_definitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_definitions_deployment_id'))

    op.drop_table('decision_definitions')
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_members_user_id'))

    op.drop_table('group_members')
    with op.batch_alter_table('deployment_resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deployment_resources_deployment_id'))

    op.drop_table('deployment_resources')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('users')
    op.drop_table('groups')
    op.drop_table('deployments')
