"""In-app notifications, and finding the tasks people have not been told about yet."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, and_, func, insert, select, update

from .inbox_tables import notifications
from .tables import group_members, groups, human_task_candidates, human_tasks, users

BATCH = 200


class NotificationRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(insert(notifications), list(rows))

    def unread(self, user: str) -> int:
        return int(self.conn.execute(select(func.count()).select_from(notifications).where(
            notifications.c.user_name == user, notifications.c.read_at.is_(None))).scalar() or 0)

    def latest(self, user: str, limit: int) -> list[Row]:
        return list(self.conn.execute(select(notifications).where(notifications.c.user_name == user)
                                      .order_by(notifications.c.id.desc()).limit(limit)).all())

    def mark_read(self, user: str, now: dt.datetime, ids: Sequence[int] | None = None) -> None:
        query = update(notifications).where(notifications.c.user_name == user, notifications.c.read_at.is_(None))
        if ids is not None:
            query = query.where(notifications.c.id.in_(list(ids)))
        self.conn.execute(query.values(read_at=now))

    # -- tasks to tell people about ---------------------------------------------------------------
    def unannounced_tasks(self) -> list[Row]:
        """Open tasks nobody was told about yet (claimed by one worker at a time)."""
        query = (select(human_tasks.c.id, human_tasks.c.name, human_tasks.c.process_key, human_tasks.c.instance_id,
                        human_tasks.c.assignee, human_tasks.c.due_at)
                 .where(human_tasks.c.state == "open", human_tasks.c.notified_at.is_(None))
                 .order_by(human_tasks.c.created_at).limit(BATCH))
        return list(self.conn.execute(_locked(query, self.conn)).all())

    def overdue_tasks(self, now: dt.datetime) -> list[Row]:
        query = (select(human_tasks.c.id, human_tasks.c.name, human_tasks.c.process_key, human_tasks.c.instance_id,
                        human_tasks.c.assignee, human_tasks.c.due_at)
                 .where(human_tasks.c.state == "open", human_tasks.c.due_at < now,
                        human_tasks.c.overdue_notified_at.is_(None))
                 .order_by(human_tasks.c.due_at).limit(BATCH))
        return list(self.conn.execute(_locked(query, self.conn)).all())

    def mark_tasks(self, column: str, task_ids: Sequence[uuid.UUID], now: dt.datetime) -> None:
        if task_ids:
            self.conn.execute(update(human_tasks).where(human_tasks.c.id.in_(list(task_ids)))
                              .values({column: now}))

    def recipients(self, task_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Row]]:
        """For each task: its candidate users and the members of its candidate groups (name,
        email, locale, notify_email)."""
        if not task_ids:
            return {}
        user_columns = (users.c.name, users.c.email, users.c.locale, users.c.notify_email)
        direct = (select(human_task_candidates.c.task_id, *user_columns)
                  .join(users, and_(human_task_candidates.c.kind == "user", users.c.name == human_task_candidates.c.name))
                  .where(human_task_candidates.c.task_id.in_(list(task_ids)), users.c.is_active.is_(True)))
        members = (select(human_task_candidates.c.task_id, *user_columns)
                   .join(groups, and_(human_task_candidates.c.kind == "group",
                                      groups.c.name == human_task_candidates.c.name))
                   .join(group_members, group_members.c.group_id == groups.c.id)
                   .join(users, users.c.id == group_members.c.user_id)
                   .where(human_task_candidates.c.task_id.in_(list(task_ids)), users.c.is_active.is_(True)))
        found: dict[uuid.UUID, dict[str, Row]] = {}
        for row in list(self.conn.execute(direct)) + list(self.conn.execute(members)):
            found.setdefault(row.task_id, {}).setdefault(row.name, row)
        return {task_id: list(people.values()) for task_id, people in found.items()}

    def people(self, names: Sequence[str]) -> dict[str, Row]:
        if not names:
            return {}
        rows = self.conn.execute(select(users.c.name, users.c.email, users.c.locale, users.c.notify_email)
                                 .where(users.c.name.in_(list(names)), users.c.is_active.is_(True))).all()
        return {row.name: row for row in rows}


def _locked(query, conn: Connection):
    return query.with_for_update(skip_locked=True, of=human_tasks) if conn.dialect.name == "postgresql" else query
