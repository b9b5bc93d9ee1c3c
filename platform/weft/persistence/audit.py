"""The audit log's rows: written by the services, read by administrators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select

from .audit_tables import audit_log

_INSERT = insert(audit_log)


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None            # an action (instance.migrate) or its prefix (instance.)
    target_kind: str | None = None
    target_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


class AuditRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, at: dt.datetime, actor: str | None, action: str, target_kind: str, target_id: str,
            details: dict[str, Any] | None) -> None:
        self.conn.execute(_INSERT, {"at": at, "actor": actor, "action": action, "target_kind": target_kind,
                                    "target_id": target_id, "details": details})

    def search(self, where: AuditFilter, offset: int, limit: int) -> tuple[list[Row], int]:
        """Entries, newest first, and how many match."""
        conditions = []
        if where.actor:
            conditions.append(audit_log.c.actor == where.actor)
        if where.action:
            conditions.append(audit_log.c.action.startswith(where.action, autoescape=True)
                              if where.action.endswith(".") else audit_log.c.action == where.action)
        if where.target_kind:
            conditions.append(audit_log.c.target_kind == where.target_kind)
        if where.target_id:
            conditions.append(audit_log.c.target_id == where.target_id)
        if where.since:
            conditions.append(audit_log.c.at >= where.since)
        if where.until:
            conditions.append(audit_log.c.at < where.until)
        total = self.conn.execute(select(func.count()).select_from(audit_log).where(*conditions)).scalar()
        rows = self.conn.execute(select(audit_log).where(*conditions).order_by(audit_log.c.id.desc())
                                 .offset(offset).limit(limit)).all()
        return list(rows), int(total or 0)
