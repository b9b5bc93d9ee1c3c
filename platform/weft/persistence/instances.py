"""Process instances and the history of their executed elements."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from .instance_search import InstanceFilter, conditions
from .tables import history_events, process_definitions, process_instances

_INSERT_INSTANCE = insert(process_instances)
_INSERT_HISTORY = insert(history_events)


class StaleInstance(Exception):
    """The instance changed under us (its revision moved on); the use case must be retried."""


class InstanceRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def get(self, instance_id: uuid.UUID, for_update: bool = False) -> Row | None:
        query = (select(process_instances, process_definitions.c.version)
                 .join(process_definitions, process_definitions.c.id == process_instances.c.definition_id)
                 .where(process_instances.c.id == instance_id))
        if for_update:
            query = query.with_for_update(of=process_instances)
        return self.conn.execute(query).first()

    def add(self, values: dict[str, Any]) -> None:
        self.conn.execute(_INSERT_INSTANCE, values)

    def save(self, instance_id: uuid.UUID, revision: int, values: dict[str, Any]) -> None:
        """Write a new state; refuse if someone else wrote since ``revision`` was read."""
        result = self.conn.execute(
            update(process_instances)
            .where(process_instances.c.id == instance_id, process_instances.c.revision == revision)
            .values(revision=revision + 1, **values))
        if result.rowcount != 1:
            raise StaleInstance(str(instance_id))

    def search(self, where: InstanceFilter, offset: int, limit: int) -> tuple[list[Row], int]:
        """Instances matching ``where``, newest first, and how many match."""
        found = conditions(where, self.conn.dialect.name)
        joined = process_instances.join(process_definitions,
                                        process_definitions.c.id == process_instances.c.definition_id)
        total = self.conn.execute(select(func.count()).select_from(joined).where(*found)).scalar()
        rows = self.conn.execute(
            select(process_instances, process_definitions.c.version).select_from(joined)
            .where(*found).order_by(process_instances.c.started_at.desc(), process_instances.c.id)
            .offset(offset).limit(limit)).all()
        return list(rows), int(total or 0)

    def counts_by_definition(self, process_key: str | None = None) -> dict[int, dict[str, int]]:
        """How many instances of each definition version are in each state."""
        query = (select(process_instances.c.definition_id, process_instances.c.state, func.count())
                 .group_by(process_instances.c.definition_id, process_instances.c.state))
        if process_key is not None:
            query = query.where(process_instances.c.process_key == process_key)
        counts: dict[int, dict[str, int]] = {}
        for definition_id, state, count in self.conn.execute(query):
            counts.setdefault(definition_id, {})[state] = int(count)
        return counts

    def add_history(self, instance_id: uuid.UUID, entries: Sequence[Any]) -> None:
        if not entries:
            return
        self.conn.execute(_INSERT_HISTORY, [
            {"instance_id": instance_id, "element_id": e.element_id, "element_name": e.name,
             "element_type": e.type, "started_at": e.started, "ended_at": e.ended, "user_name": e.user,
             "changes": e.changes}
            for e in entries])

    def history(self, instance_id: uuid.UUID) -> list[Row]:
        return list(self.conn.execute(select(history_events).where(history_events.c.instance_id == instance_id)
                                      .order_by(history_events.c.id)).all())
