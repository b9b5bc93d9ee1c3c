"""Queries behind process analytics: instances by state and duration, executed elements from
the history, incidents per element, and the task workload per group and user.

Durations are seconds. Averages and counts come from SQL on both databases; the 90th
percentile is ``percentile_cont`` on PostgreSQL and the same interpolation in Python over the
sorted durations on SQLite (``percentile``), so both give the same numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Float, Integer, case, cast, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from .tables import (
    history_events,
    human_task_candidates,
    human_tasks,
    incidents,
    process_definitions,
    process_instances,
)

P90 = 0.9
MILLISECOND = 0.001
ACTIVE_STATES = ("running", "waiting", "failed")


def seconds_between(start, end, dialect: str) -> ColumnElement:
    """Seconds from ``start`` to ``end`` (two timestamps) as a float."""
    if dialect == "postgresql":
        return cast(func.extract("epoch", end - start), Float)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def percentile(ordered: Sequence[float], fraction: float) -> float | None:
    """The value below which ``fraction`` of ``ordered`` lies, interpolated linearly between
    neighbours (PostgreSQL's ``percentile_cont``)."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class AnalyticsRepository:
    def __init__(self, conn: Connection):
        self.conn = conn
        self.dialect = conn.dialect.name

    # -- processes and versions ----------------------------------------------------------------
    def versions(self, key: str) -> list[Any]:
        return list(self.conn.execute(select(process_definitions.c.id, process_definitions.c.version,
                                             process_definitions.c.name)
                                      .where(process_definitions.c.key == key)
                                      .order_by(process_definitions.c.version)).all())

    def counts_by_key(self) -> dict[str, dict[str, int]]:
        """Instances per process key and state (every version)."""
        found: dict[str, dict[str, int]] = {}
        query = (select(process_instances.c.process_key, process_instances.c.state, func.count())
                 .group_by(process_instances.c.process_key, process_instances.c.state))
        for key, state, count in self.conn.execute(query):
            found.setdefault(key, {})[state] = int(count)
        return found

    def average_durations_by_key(self) -> dict[str, float]:
        """Average seconds of completed instances per process key."""
        duration = seconds_between(process_instances.c.started_at, process_instances.c.ended_at, self.dialect)
        query = (select(process_instances.c.process_key, func.avg(duration))
                 .where(process_instances.c.state == "completed", process_instances.c.ended_at.is_not(None))
                 .group_by(process_instances.c.process_key))
        return {key: float(value) for key, value in self.conn.execute(query) if value is not None}

    # -- one version -------------------------------------------------------------------------------
    def counts_by_state(self, definition_id: int) -> tuple[dict[str, int], int]:
        """Instances of the version per state, and how many of them are suspended."""
        query = (select(process_instances.c.state, func.count(),
                        func.sum(case((process_instances.c.suspended, 1), else_=0)))
                 .where(process_instances.c.definition_id == definition_id).group_by(process_instances.c.state))
        counts, suspended = {}, 0
        for state, count, paused in self.conn.execute(query):
            counts[state] = int(count)
            suspended += int(paused or 0)
        return counts, suspended

    def instance_durations(self, definition_id: int) -> dict[str, Any]:
        """Count, average, 90th percentile and maximum seconds of the version's completed instances."""
        duration = seconds_between(process_instances.c.started_at, process_instances.c.ended_at, self.dialect)
        [stats] = self._stats(duration, self._completed(definition_id))
        return stats

    def instance_histogram(self, definition_id: int, width: float) -> dict[int, int]:
        """Completed instances per bucket ``floor(seconds / width)``, seconds to the millisecond
        (SQLite's day fractions put 4 h at 14399.99999… s)."""
        duration = seconds_between(process_instances.c.started_at, process_instances.c.ended_at, self.dialect)
        bucket = self._floor((duration + MILLISECOND / 2) / width).label("bucket")
        query = select(bucket, func.count()).where(*self._completed(definition_id)).group_by(bucket)
        return {int(index): int(count) for index, count in self.conn.execute(query)}

    def element_stats(self, definition_id: int) -> list[dict[str, Any]]:
        """Per executed element: element_id, name, type, count, average, p90 and max seconds."""
        duration = seconds_between(history_events.c.started_at, history_events.c.ended_at, self.dialect)
        where = [history_events.c.instance_id.in_(
            select(process_instances.c.id).where(process_instances.c.definition_id == definition_id))]
        described = [func.max(history_events.c.element_name).label("name"),
                     func.max(history_events.c.element_type).label("type")]
        return self._stats(duration, where, history_events.c.element_id, described)

    def _stats(self, duration, where: list, group=None, described: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """count, average, p90, max of ``duration`` over the rows ``where`` selects, per ``group``."""
        keys = [group.label("element_id"), *described] if group is not None else []
        columns = [*keys, func.count().label("count"), func.avg(duration).label("average"),
                   func.max(duration).label("max")]
        if self.dialect == "postgresql":
            columns.append(func.percentile_cont(P90).within_group(duration).label("p90"))
        query = select(*columns).where(*where)
        if group is not None:
            query = query.group_by(group)
        rows = [dict(row._mapping) for row in self.conn.execute(query)]
        if self.dialect != "postgresql":
            ordered: dict[Any, list[float]] = {}
            key = group if group is not None else literal(None)
            for found_key, value in self.conn.execute(select(key, duration).where(*where).order_by(duration)):
                ordered.setdefault(found_key, []).append(float(value))
            for row in rows:
                row["p90"] = percentile(ordered.get(row.get("element_id"), []), P90)
        return rows

    @staticmethod
    def _completed(definition_id: int) -> list[Any]:
        return [process_instances.c.definition_id == definition_id, process_instances.c.state == "completed",
                process_instances.c.ended_at.is_not(None)]

    def _floor(self, value) -> ColumnElement:
        if self.dialect == "postgresql":
            return cast(func.floor(value), Integer)
        return cast(value, Integer)              # durations are never negative: truncation is floor

    def waiting_elements(self, definition_id: int) -> dict[str, int]:
        """How many active instances of the version hold a token in each element now."""
        found: dict[str, int] = {}
        query = select(process_instances.c.active_elements).where(
            process_instances.c.definition_id == definition_id, process_instances.c.state.in_(ACTIVE_STATES))
        for (elements,) in self.conn.execute(query):
            for element in set(elements or ()):
                found[element] = found.get(element, 0) + 1
        return found

    def incidents_by_element(self, definition_id: int) -> dict[str, tuple[int, int]]:
        """Per element: (incidents ever, incidents open)."""
        query = (select(incidents.c.element_id, func.count(),
                        func.sum(case((incidents.c.resolved_at.is_(None), 1), else_=0)))
                 .join(process_instances, process_instances.c.id == incidents.c.instance_id)
                 .where(process_instances.c.definition_id == definition_id, incidents.c.element_id.is_not(None))
                 .group_by(incidents.c.element_id))
        return {element: (int(total), int(open_ or 0)) for element, total, open_ in self.conn.execute(query)}

    # -- workload ----------------------------------------------------------------------------------
    def group_workload(self, definition_id: int, now: dt.datetime) -> list[dict[str, Any]]:
        """Open tasks of the version per candidate group: open, unclaimed, overdue."""
        open_tasks = self._open_tasks(definition_id)
        query = (select(human_task_candidates.c.name.label("name"), func.count().label("open"),
                        func.sum(case((human_tasks.c.assignee.is_(None), 1), else_=0)).label("unclaimed"),
                        func.sum(case((human_tasks.c.due_at < now, 1), else_=0)).label("overdue"))
                 .join(human_tasks, human_tasks.c.id == human_task_candidates.c.task_id)
                 .where(human_task_candidates.c.kind == "group", *open_tasks)
                 .group_by(human_task_candidates.c.name))
        return [_ints(row) for row in self.conn.execute(query)]

    def user_workload(self, definition_id: int, now: dt.datetime) -> list[dict[str, Any]]:
        """Per user: open tasks they hold and how many are overdue; tasks they completed and
        the average seconds from a task's creation to its completion."""
        open_query = (select(human_tasks.c.assignee.label("name"), func.count().label("open"),
                             func.sum(case((human_tasks.c.due_at < now, 1), else_=0)).label("overdue"))
                      .where(human_tasks.c.assignee.is_not(None), *self._open_tasks(definition_id))
                      .group_by(human_tasks.c.assignee))
        users: dict[str, dict[str, Any]] = {}
        for row in self.conn.execute(open_query):
            users[row.name] = {**_ints(row), "completed": 0, "average": None}
        duration = seconds_between(human_tasks.c.created_at, human_tasks.c.completed_at, self.dialect)
        done_query = (select(human_tasks.c.completed_by.label("name"), func.count().label("completed"),
                             func.avg(duration).label("average"))
                      .join(process_instances, process_instances.c.id == human_tasks.c.instance_id)
                      .where(process_instances.c.definition_id == definition_id, human_tasks.c.state == "completed",
                             human_tasks.c.completed_by.is_not(None))
                      .group_by(human_tasks.c.completed_by))
        for row in self.conn.execute(done_query):
            entry = users.setdefault(row.name, {"name": row.name, "open": 0, "overdue": 0})
            entry.update(completed=int(row.completed), average=float(row.average) if row.average is not None
                         else None)
        return list(users.values())

    @staticmethod
    def _open_tasks(definition_id: int) -> list[Any]:
        return [human_tasks.c.state == "open", human_tasks.c.instance_id.in_(
            select(process_instances.c.id).where(process_instances.c.definition_id == definition_id))]


def _ints(row: Any) -> dict[str, Any]:
    return {key: (int(value or 0) if key != "name" else value) for key, value in row._mapping.items()}

