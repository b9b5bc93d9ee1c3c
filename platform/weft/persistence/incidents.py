"""Incidents: failures that stop part of an instance until someone retries."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from .tables import incidents, process_instances


class IncidentRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(insert(incidents), list(rows))

    def open_for(self, instance_id: uuid.UUID) -> list[Row]:
        return list(self.conn.execute(
            select(incidents).where(incidents.c.instance_id == instance_id, incidents.c.resolved_at.is_(None))
            .order_by(incidents.c.id)).all())

    def open_of_kind(self, kind: str, limit: int = 200) -> list[Row]:
        """Open incidents of a kind (``job``: retries ran out) with their instance's process, newest first."""
        return list(self.conn.execute(
            select(incidents, process_instances.c.process_key)
            .join(process_instances, process_instances.c.id == incidents.c.instance_id)
            .where(incidents.c.kind == kind, incidents.c.resolved_at.is_(None))
            .order_by(incidents.c.id.desc()).limit(limit)).all())

    def all_for(self, instance_id: uuid.UUID) -> list[Row]:
        return list(self.conn.execute(select(incidents).where(incidents.c.instance_id == instance_id)
                                      .order_by(incidents.c.id)).all())

    def count_open(self, instance_id: uuid.UUID) -> int:
        return int(self.conn.execute(
            select(func.count()).select_from(incidents)
            .where(incidents.c.instance_id == instance_id, incidents.c.resolved_at.is_(None))).scalar() or 0)

    def resolve(self, ids: Sequence[int], by: str | None, now: dt.datetime) -> None:
        if ids:
            self.conn.execute(update(incidents).where(incidents.c.id.in_(list(ids)))
                              .values(resolved_at=now, resolved_by=by))
