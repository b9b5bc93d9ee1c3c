"""Jobs (timers, start timers, asynchronous continuations) and event subscriptions."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, insert, select, update

from .tables import event_subscriptions, jobs, process_definitions, process_instances

_INSERT_JOB = insert(jobs)
_INSERT_SUBSCRIPTION = insert(event_subscriptions)


class JobRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(_INSERT_JOB, list(rows))

    def claim(self, now: dt.datetime, kinds: Iterable[str] | None = None) -> Row | None:
        """The next due job, locked; on PostgreSQL, jobs other workers hold are skipped."""
        query = select(jobs).where(jobs.c.due_at <= now).order_by(jobs.c.due_at, jobs.c.id).limit(1)
        if kinds is not None:
            query = query.where(jobs.c.kind.in_(list(kinds)))
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return self.conn.execute(query).first()

    def delete(self, job_id: int) -> None:
        self.conn.execute(delete(jobs).where(jobs.c.id == job_id))

    def delete_for_instance_tasks(self, instance_id: uuid.UUID, kind: str, task_ids: Iterable[str]) -> None:
        self.conn.execute(delete(jobs).where(jobs.c.instance_id == instance_id, jobs.c.kind == kind,
                                             jobs.c.task_id.in_(list(task_ids))))

    def reschedule(self, job_id: int, due_at: dt.datetime, retries: int, attempts: int, error: str | None,
                   payload: dict[str, Any] | None = None) -> None:
        values: dict[str, Any] = {"due_at": due_at, "retries": retries, "attempts": attempts, "last_error": error}
        if payload is not None:
            values["payload"] = payload
        self.conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))

    def delete_start_timers(self, process_key: str) -> None:
        versions = select(process_definitions.c.id).where(process_definitions.c.key == process_key)
        self.conn.execute(delete(jobs).where(jobs.c.kind == "start_timer", jobs.c.definition_id.in_(versions)))

    def next_due(self, kinds: Iterable[str] | None = None) -> dt.datetime | None:
        query = select(func.min(jobs.c.due_at))
        if kinds is not None:
            query = query.where(jobs.c.kind.in_(list(kinds)))
        return self.conn.execute(query).scalar()

    def for_instance(self, instance_id: uuid.UUID) -> list[Row]:
        return list(self.conn.execute(select(jobs).where(jobs.c.instance_id == instance_id)
                                      .order_by(jobs.c.due_at, jobs.c.id)).all())

    def get(self, job_id: int) -> Row | None:
        return self.conn.execute(select(jobs).where(jobs.c.id == job_id)).first()

    def search(self, kind: str | None, failing: bool, offset: int, limit: int) -> tuple[list[Row], int]:
        """Jobs by due time with their instance's (or start timer's) process, and how many match."""
        conditions = []
        if kind is not None:
            conditions.append(jobs.c.kind == kind)
        if failing:
            conditions.append(jobs.c.last_error.is_not(None))
        total = self.conn.execute(select(func.count()).select_from(jobs).where(*conditions)).scalar()
        process_key = func.coalesce(process_instances.c.process_key, process_definitions.c.key).label("process_key")
        rows = self.conn.execute(
            select(jobs, process_key)
            .outerjoin(process_instances, process_instances.c.id == jobs.c.instance_id)
            .outerjoin(process_definitions, process_definitions.c.id == jobs.c.definition_id)
            .where(*conditions).order_by(jobs.c.due_at, jobs.c.id).offset(offset).limit(limit)).all()
        return list(rows), int(total or 0)

    def count(self, kinds: Iterable[str] | None = None) -> int:
        query = select(func.count()).select_from(jobs)
        if kinds is not None:
            query = query.where(jobs.c.kind.in_(list(kinds)))
        return int(self.conn.execute(query).scalar() or 0)


class SubscriptionRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(_INSERT_SUBSCRIPTION, list(rows))

    def delete_for_instance_tasks(self, instance_id: uuid.UUID, task_ids: Iterable[str]) -> None:
        self.conn.execute(delete(event_subscriptions).where(event_subscriptions.c.instance_id == instance_id,
                                                            event_subscriptions.c.task_id.in_(list(task_ids))))

    def waiting(self, kind: str, name: str) -> list[Row]:
        """Subscriptions to ``name`` with what correlation needs from their instances."""
        query = (select(event_subscriptions, process_instances.c.variables, process_instances.c.business_key,
                        process_instances.c.suspended)
                 .join(process_instances, and_(process_instances.c.id == event_subscriptions.c.instance_id))
                 .where(event_subscriptions.c.kind == kind, event_subscriptions.c.name == name)
                 .order_by(event_subscriptions.c.id))
        return list(self.conn.execute(query).all())
