"""The task table: user tasks projected out of the workflow state, indexed for inboxes."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Connection,
    Row,
    Table,
    and_,
    bindparam,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    update,
)

from .tables import human_task_candidates, human_tasks, process_definitions, process_instances

EVERYONE = ("all", "*")


_TASK_WITH_INSTANCE = (
    select(human_tasks, process_instances.c.definition_id, process_instances.c.workflow_state,
           process_instances.c.revision, process_instances.c.state.label("instance_state"),
           process_instances.c.suspended, process_instances.c.started_by, process_instances.c.started_at,
           process_instances.c.business_key, process_instances.c.open_task_ids, process_instances.c.waiting,
           process_definitions.c.version)
    .join(process_instances, process_instances.c.id == human_tasks.c.instance_id)
    .join(process_definitions, process_definitions.c.id == process_instances.c.definition_id)
    .where(human_tasks.c.id == bindparam("task_id")))
_TASK_WITH_INSTANCE_FOR_UPDATE = _TASK_WITH_INSTANCE.with_for_update(of=[human_tasks, process_instances])
_INSERT_TASK = insert(human_tasks)
_INSERT_CANDIDATE = insert(human_task_candidates)
_FINISH_TASK = (
    update(human_tasks).where(human_tasks.c.id == bindparam("task_id"), human_tasks.c.state == "open")
    .values(state="completed", completed_at=bindparam("now"), completed_by=bindparam("user"),
            assignee=func.coalesce(human_tasks.c.assignee, bindparam("user"))))


class HumanTaskRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def get_with_instance(self, task_id: uuid.UUID, for_update: bool = False) -> Row | None:
        """The task joined with what completing it needs from its instance (both rows locked)."""
        query = _TASK_WITH_INSTANCE_FOR_UPDATE if for_update else _TASK_WITH_INSTANCE
        return self.conn.execute(query, {"task_id": task_id}).first()

    def get(self, task_id: uuid.UUID, for_update: bool = False) -> Row | None:
        query = (select(human_tasks, process_instances.c.suspended)
                 .join(process_instances, process_instances.c.id == human_tasks.c.instance_id)
                 .where(human_tasks.c.id == task_id))
        if for_update:
            query = query.with_for_update(of=human_tasks)
        return self.conn.execute(query).first()

    def add(self, instance_id: uuid.UUID, process_key: str, infos: Sequence[Any], now: dt.datetime,
            bindings: dict[uuid.UUID, tuple[str, int]] | None = None) -> None:
        bindings = bindings or {}
        if not infos:
            return
        self.conn.execute(_INSERT_TASK, [
            {"id": info.id, "instance_id": instance_id, "process_key": process_key, "element_id": info.element_id,
             "name": info.name, "form_key": info.form_key, "state": "open", "assignee": info.assignee,
             "candidate_groups": list(info.candidate_groups), "candidate_users": list(info.candidate_users),
             "due_at": info.due, "follow_up_at": info.follow_up, "priority": info.priority, "lane": info.lane,
             "created_at": now, "claimed_at": now if info.assignee else None,
             "record_entity": bindings[info.id][0] if info.id in bindings else None,
             "record_id": bindings[info.id][1] if info.id in bindings else None}
            for info in infos])
        candidates = []
        for info in infos:
            candidates += [{"task_id": info.id, "kind": "group", "name": g} for g in info.candidate_groups]
            candidates += [{"task_id": info.id, "kind": "user", "name": u} for u in info.candidate_users]
            if not info.candidate_groups and not info.candidate_users:
                candidates.append({"task_id": info.id, "kind": EVERYONE[0], "name": EVERYONE[1]})
        if candidates:
            self.conn.execute(_INSERT_CANDIDATE, candidates)

    def finish(self, task_id: uuid.UUID, user: str | None, now: dt.datetime) -> bool:
        result = self.conn.execute(_FINISH_TASK, {"task_id": task_id, "user": user, "now": now})
        return result.rowcount == 1

    def cancel(self, task_ids: Sequence[uuid.UUID], now: dt.datetime) -> None:
        if task_ids:
            self.conn.execute(update(human_tasks)
                              .where(human_tasks.c.id.in_(list(task_ids)), human_tasks.c.state == "open")
                              .values(state="cancelled", completed_at=now))

    def set_assignee(self, task_id: uuid.UUID, assignee: str | None, now: dt.datetime) -> None:
        self.conn.execute(update(human_tasks).where(human_tasks.c.id == task_id)
                          .values(assignee=assignee, claimed_at=now if assignee else None))

    def involves(self, instance_id: uuid.UUID, user: str, groups: Sequence[str]) -> bool:
        """Whether ``user`` has, had or may claim a task of the instance."""
        visible = or_(human_tasks.c.completed_by == user, self._visibility(user, groups, "team", False))
        query = select(human_tasks.c.id).where(human_tasks.c.instance_id == instance_id, visible).limit(1)
        return self.conn.execute(query).first() is not None

    def bound_entities(self) -> set[str]:
        """Entities that open tasks' forms work on."""
        return set(self.conn.execute(select(human_tasks.c.record_entity).distinct().where(
            human_tasks.c.state == "open", human_tasks.c.record_entity.is_not(None))).scalars())

    def count(self, *, user: str, groups: Sequence[str], scope: str, see_everything: bool,
              limit: int | None = None) -> int:
        """Open tasks in ``scope``; with ``limit``, counting stops at ``limit + 1`` (more than
        ``limit``), so that a badge costs the same with a hundred thousand open tasks as with ten."""
        return self._count([human_tasks.c.state == "open", self._visibility(user, groups, scope, see_everything)],
                           limit)

    def _count(self, conditions: list[Any], limit: int | None) -> int:
        if limit is None:
            query = select(func.count()).select_from(human_tasks).where(*conditions)
        else:   # the planner picks the way in: an index walk that stops early, or the rare matches first
            first = select(human_tasks.c.id).where(*conditions).limit(limit + 1)
            query = select(func.count()).select_from(first.subquery())
        return int(self.conn.execute(query).scalar() or 0)

    def search(self, *, user: str | None = None, groups: Sequence[str] = (), scope: str = "all",
               see_everything: bool = False, instance_id: uuid.UUID | None = None, open_only: bool = True,
               process_key: str | None = None, text: str | None = None, due_before: dt.datetime | None = None,
               sort: str = "created", offset: int = 0, limit: int | None = None, without_due: bool = False,
               records: Sequence[tuple[str, Table, list]] | None = None, count_limit: int | None = None
               ) -> tuple[list[Row], int]:
        """Tasks by visibility and filters; ``records``: (entity, its table, conditions on it) —
        tasks bound to a record of any of them that meets its conditions; ``count_limit``: the
        total stops at ``count_limit + 1``."""
        conditions: list[Any] = []
        if without_due:
            conditions.append(human_tasks.c.due_at.is_(None))
        if records is not None:
            conditions.append(or_(false(), *[
                and_(human_tasks.c.record_entity == entity,      # per task by primary key, not a hash of all
                     exists().where(table.c.id == human_tasks.c.record_id, *where))
                for entity, table, where in records]))
        if open_only:
            conditions.append(human_tasks.c.state == "open")
        if instance_id is not None:
            conditions.append(human_tasks.c.instance_id == instance_id)
        if process_key:
            conditions.append(human_tasks.c.process_key == process_key)
        if text:
            conditions.append(human_tasks.c.name.ilike(f"%{_escape_like(text)}%", escape="\\"))
        if due_before is not None:
            conditions.append(human_tasks.c.due_at < due_before)
        if user is not None:
            conditions.append(self._visibility(user, groups, scope, see_everything))
        query = select(human_tasks).where(*conditions)
        total = self._count(conditions, count_limit)
        query = query.order_by(*_ORDERINGS.get(sort, _ORDERINGS["created"])).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return list(self.conn.execute(query).all()), total

    @staticmethod
    def _visibility(user: str, groups: Sequence[str], scope: str, see_everything: bool):
        candidate = exists().where(
            human_task_candidates.c.task_id == human_tasks.c.id,
            or_(and_(human_task_candidates.c.kind == "user", human_task_candidates.c.name == user),
                and_(human_task_candidates.c.kind == "group", human_task_candidates.c.name.in_(list(groups))),
                human_task_candidates.c.kind == EVERYONE[0]))
        mine = human_tasks.c.assignee == user
        claimable = and_(human_tasks.c.assignee.is_(None), candidate)
        if scope == "mine":
            return mine
        if scope == "group":
            return claimable
        if scope == "team":           # also what colleagues of my groups hold
            return human_tasks.c.id.is_not(None) if see_everything else or_(mine, candidate)
        if see_everything:
            return human_tasks.c.id.is_not(None)
        return or_(mine, claimable)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_ORDERINGS = {
    "created": (human_tasks.c.created_at, human_tasks.c.id),
    "-created": (human_tasks.c.created_at.desc(), human_tasks.c.id),
    # Tasks without a due date last; the order of the open tasks' index ix_human_tasks_open_due.
    "due": (human_tasks.c.due_at.asc().nulls_last(), human_tasks.c.id),
    "-due": (human_tasks.c.due_at.desc().nulls_last(), human_tasks.c.id),
    "priority": (human_tasks.c.priority, human_tasks.c.id),
    "-priority": (human_tasks.c.priority.desc(), human_tasks.c.id),
    "name": (human_tasks.c.name, human_tasks.c.id),
}
