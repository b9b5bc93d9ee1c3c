"""The platform's own tables (entity tables ``ent_*`` are created from module definitions)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from . import audit_tables, drafts, inbox_tables, module_tables  # noqa: F401 - they register their tables on Base.metadata
from .columns import Base as Base
from .columns import BigId as BigId
from .columns import Json as Json
from .columns import Timestamp as Timestamp
from .columns import UtcDateTime as UtcDateTime
from .columns import inserted_id as inserted_id


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(150), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    display_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    locale: Mapped[str] = mapped_column(String(8), default="en")
    notify_email: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Raised to end every web session of the user (sign-out, a new password).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = Timestamp()


class Group(Base):
    __tablename__ = "groups"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(150), unique=True)
    label: Mapped[Any | None] = mapped_column(Json)
    created_at: Mapped[dt.datetime] = Timestamp()


class GroupMember(Base):
    __tablename__ = "group_members"
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = Timestamp()
    revoked_at: Mapped[dt.datetime | None] = Timestamp()


class Deployment(Base):
    __tablename__ = "deployments"
    __table_args__ = (UniqueConstraint("name", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    checksum: Mapped[str] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str | None] = mapped_column(String(150))
    created_at: Mapped[dt.datetime] = Timestamp()


class DeploymentResource(Base):
    __tablename__ = "deployment_resources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    checksum: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ProcessDefinition(Base):
    __tablename__ = "process_definitions"
    __table_args__ = (UniqueConstraint("key", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id"), index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("deployment_resources.id"))
    # Ids of every deployment resource needed to parse this version (called processes, DMN).
    bundle: Mapped[list[int]] = mapped_column(Json)
    checksum: Mapped[str] = mapped_column(String(64))
    # Start events that start instances by themselves: [{"kind", "name", "element", "timer"}]
    start_events: Mapped[list[dict[str, Any]] | None] = mapped_column(Json)
    created_at: Mapped[dt.datetime] = Timestamp()


class DecisionDefinition(Base):
    __tablename__ = "decision_definitions"
    __table_args__ = (UniqueConstraint("key", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer)
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id"), index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("deployment_resources.id"))
    checksum: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = Timestamp()


class ProcessInstance(Base):
    __tablename__ = "process_instances"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definitions.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(255), index=True)
    business_key: Mapped[str | None] = mapped_column(String(255), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    started_by: Mapped[str | None] = mapped_column(String(150), index=True)
    started_at: Mapped[dt.datetime] = Timestamp(index=True)
    ended_at: Mapped[dt.datetime | None] = Timestamp()
    variables: Mapped[dict[str, Any]] = mapped_column(Json)
    active_elements: Mapped[list[str]] = mapped_column(Json)
    open_task_ids: Mapped[list[str]] = mapped_column(Json)
    # What the instance waits for outside itself (timers, messages, signals, jobs), as stored
    # in jobs and event_subscriptions; compared after each step to touch those only on change.
    waiting: Mapped[list[dict[str, Any]] | None] = mapped_column(Json)
    # The pruned SpiffWorkflow task trees (no spec); NULL once the instance has ended.
    workflow_state: Mapped[str | None] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = Timestamp()


class HistoryEvent(Base):
    __tablename__ = "history_events"
    __table_args__ = (Index("ix_history_events_instance_id_id", "instance_id", "id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    instance_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("process_instances.id", ondelete="CASCADE"))
    element_id: Mapped[str] = mapped_column(String(255))
    element_name: Mapped[str | None] = mapped_column(String(500))
    element_type: Mapped[str] = mapped_column(String(60))
    started_at: Mapped[dt.datetime] = Timestamp()
    ended_at: Mapped[dt.datetime] = Timestamp()
    user_name: Mapped[str | None] = mapped_column(String(150))
    changes: Mapped[dict[str, Any] | None] = mapped_column(Json)     # variable -> [before, after]


class HumanTask(Base):
    __tablename__ = "human_tasks"
    __table_args__ = (
        Index("ix_human_tasks_state_assignee", "state", "assignee"),
        Index("ix_human_tasks_state_due", "state", "due_at"),
        Index("ix_human_tasks_state_created", "state", "created_at"),
        Index("ix_human_tasks_record", "record_entity", "record_id"),
        Index("ix_human_tasks_state_notified", "state", "notified_at"),
        # The inbox's pages and capped counts walk the open tasks in due or priority order.
        Index("ix_human_tasks_open_due", "due_at", "id", postgresql_where=text("state = 'open'"),
              sqlite_where=text("state = 'open'")),
        Index("ix_human_tasks_open_priority", "priority", "id", postgresql_where=text("state = 'open'"),
              sqlite_where=text("state = 'open'")),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    instance_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("process_instances.id", ondelete="CASCADE"),
                                                   index=True)
    process_key: Mapped[str] = mapped_column(String(255), index=True)
    element_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(500))
    form_key: Mapped[str | None] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(20))
    assignee: Mapped[str | None] = mapped_column(String(150))
    candidate_groups: Mapped[list[str]] = mapped_column(Json)
    candidate_users: Mapped[list[str]] = mapped_column(Json)
    due_at: Mapped[dt.datetime | None] = Timestamp()
    follow_up_at: Mapped[dt.datetime | None] = Timestamp()
    priority: Mapped[int] = mapped_column(Integer, default=50)
    lane: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = Timestamp()
    claimed_at: Mapped[dt.datetime | None] = Timestamp()
    completed_at: Mapped[dt.datetime | None] = Timestamp()
    completed_by: Mapped[str | None] = mapped_column(String(150))
    # The record the task's form works on (for inbox filters on its fields), when known.
    record_entity: Mapped[str | None] = mapped_column(String(100))
    record_id: Mapped[int | None] = mapped_column(BigInteger)
    notified_at: Mapped[dt.datetime | None] = Timestamp()           # people told of the new task
    overdue_notified_at: Mapped[dt.datetime | None] = Timestamp()


class HumanTaskCandidate(Base):
    """One row per candidate user or group, so that inbox queries use an index."""

    __tablename__ = "human_task_candidates"
    __table_args__ = (Index("ix_human_task_candidates_kind_name", "kind", "name", "task_id"),)
    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("human_tasks.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(5), primary_key=True)   # "group" or "user"
    name: Mapped[str] = mapped_column(String(150), primary_key=True)


class Job(Base):
    """Work for the scheduler and workers: timers, start timers, asynchronous continuations.

    Claimed with ``FOR UPDATE SKIP LOCKED`` and deleted in the same transaction as the state
    change it causes, so a job runs exactly once however many workers poll."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_due_at_id", "due_at", "id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))              # timer, start_timer, async
    instance_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("process_instances.id", ondelete="CASCADE"),
                                                          index=True)
    definition_id: Mapped[int | None] = mapped_column(ForeignKey("process_definitions.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    element_id: Mapped[str | None] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    due_at: Mapped[dt.datetime] = Timestamp()
    retries: Mapped[int] = mapped_column(Integer, default=3)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any] | None] = mapped_column(Json)
    created_at: Mapped[dt.datetime] = Timestamp()


class EventSubscription(Base):
    """A waiting message or signal catch, indexed by name for correlation and broadcast."""

    __tablename__ = "event_subscriptions"
    __table_args__ = (Index("ix_event_subscriptions_kind_name", "kind", "name"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    instance_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("process_instances.id", ondelete="CASCADE"),
                                                   index=True)
    kind: Mapped[str] = mapped_column(String(10))              # message or signal
    name: Mapped[str] = mapped_column(String(255))
    task_id: Mapped[str] = mapped_column(String(36))
    element_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = Timestamp()


class Incident(Base):
    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    instance_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("process_instances.id", ondelete="CASCADE"),
                                                   index=True)
    kind: Mapped[str] = mapped_column(String(20))              # element, job, message
    element_id: Mapped[str | None] = mapped_column(String(255))
    task_id: Mapped[str | None] = mapped_column(String(36))
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None] = mapped_column(Json)
    created_at: Mapped[dt.datetime] = Timestamp()
    resolved_at: Mapped[dt.datetime | None] = Timestamp()
    resolved_by: Mapped[str | None] = mapped_column(String(150))


class OutgoingMail(Base):
    """Mail written by the ``mail.send`` connector, delivered by a background job."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_sent_at_next_attempt_at", "sent_at", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    instance_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("process_instances.id", ondelete="SET NULL"),
                                                          index=True)
    sender: Mapped[str | None] = mapped_column(String(320))
    recipients: Mapped[list[str]] = mapped_column(Json)
    cc: Mapped[list[str]] = mapped_column(Json)
    bcc: Mapped[list[str]] = mapped_column(Json)
    subject: Mapped[str] = mapped_column(String(998))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = Timestamp()
    next_attempt_at: Mapped[dt.datetime] = Timestamp()
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = Timestamp()
    failed_at: Mapped[dt.datetime | None] = Timestamp()


# Core table objects, for the statements the repositories write by hand.
users = cast(Table, User.__table__)
groups = cast(Table, Group.__table__)
group_members = cast(Table, GroupMember.__table__)
api_tokens = cast(Table, ApiToken.__table__)
deployments = cast(Table, Deployment.__table__)
deployment_resources = cast(Table, DeploymentResource.__table__)
process_definitions = cast(Table, ProcessDefinition.__table__)
decision_definitions = cast(Table, DecisionDefinition.__table__)
process_instances = cast(Table, ProcessInstance.__table__)
history_events = cast(Table, HistoryEvent.__table__)
human_tasks = cast(Table, HumanTask.__table__)
human_task_candidates = cast(Table, HumanTaskCandidate.__table__)
jobs = cast(Table, Job.__table__)
event_subscriptions = cast(Table, EventSubscription.__table__)
incidents = cast(Table, Incident.__table__)
mail_outbox = cast(Table, OutgoingMail.__table__)
