"""Telling people about work: in the app (the bell) and by email through the outbox, when a task
is assigned to them or offered to their group, and when it becomes overdue.

New and overdue tasks are found by the background work (``run_due``), so completing a task
costs no statements for this; an assignment by hand is announced at once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..engine.connectors import Mail
from ..i18n import gettext
from ..persistence.unit_of_work import Transaction, UnitOfWork

LIST_LIMIT = 50


@dataclass(frozen=True)
class Notice:
    id: int
    kind: str
    title: str
    link: str
    created: dt.datetime
    read: bool


class NotificationService:
    def __init__(self, uow: UnitOfWork, clock: Callable[[], dt.datetime], sender: str, base_url: str):
        self.uow = uow
        self.clock = clock
        self.sender = sender
        self.base_url = base_url.rstrip("/")

    # -- reading -----------------------------------------------------------------------------------
    def unread_count(self, user: str) -> int:
        with self.uow.read() as tx:
            return tx.notifications.unread(user)

    def latest(self, user: str, limit: int = LIST_LIMIT) -> list[Notice]:
        with self.uow.read() as tx:
            return [Notice(r.id, r.kind, r.title, r.link, r.created_at, r.read_at is not None)
                    for r in tx.notifications.latest(user, limit)]

    def mark_read(self, user: str, ids: list[int] | None = None) -> None:
        with self.uow.write() as tx:
            tx.notifications.mark_read(user, self.clock(), ids)

    # -- announcing ----------------------------------------------------------------------------------
    def run_due(self) -> int:
        """Announce new tasks and tasks that became overdue; the number of tasks announced."""
        with self.uow.write() as tx:
            now = self.clock()
            fresh = tx.notifications.unannounced_tasks()
            self._announce(tx, fresh, "task", now)
            tx.notifications.mark_tasks("notified_at", [t.id for t in fresh], now)
            late = tx.notifications.overdue_tasks(now)
            self._announce(tx, late, "overdue", now)
            tx.notifications.mark_tasks("overdue_notified_at", [t.id for t in late], now)
        return len(fresh) + len(late)

    def announce_assignment(self, tx: Transaction, task, assignee: str, by: str | None) -> None:
        """Inside the assigning transaction: tell ``assignee`` (not when they took it themselves)."""
        if assignee == by:
            return
        people = tx.notifications.people([assignee])
        self._send(tx, task, "assigned", list(people.values()), self.clock())

    def _announce(self, tx: Transaction, tasks, kind: str, now: dt.datetime) -> None:
        if not tasks:
            return
        candidates = tx.notifications.recipients([t.id for t in tasks if t.assignee is None])
        assignees = tx.notifications.people(sorted({t.assignee for t in tasks if t.assignee}))
        for task in tasks:
            people = [assignees[task.assignee]] if task.assignee in assignees else candidates.get(task.id, [])
            self._send(tx, task, ("assigned" if task.assignee else "group") if kind == "task" else kind, people, now)

    def _send(self, tx: Transaction, task, kind: str, people: list[Any], now: dt.datetime) -> None:
        link = f"/tasks/{task.id}"
        rows, mails = [], []
        for person in people:
            title = _title(kind, task.name, person.locale or "en")
            rows.append({"user_name": person.name, "kind": kind, "title": title[:500], "link": link,
                         "task_id": task.id, "created_at": now})
            if person.notify_email and person.email:
                mails.append(Mail((person.email,), title, f"{title}\n\n{self.base_url}{link}\n",
                                  sender=self.sender))
        tx.notifications.add(rows)
        tx.outbox.add(task.instance_id if isinstance(task.instance_id, uuid.UUID) else None, mails, now, self.sender)


def _title(kind: str, task_name: str, locale: str) -> str:
    text = {"assigned": "Task assigned to you: {task}", "group": "New task for your group: {task}",
            "overdue": "Task overdue: {task}"}[kind]
    return gettext(text, locale, task=task_name)
