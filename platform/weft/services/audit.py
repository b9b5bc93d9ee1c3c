"""The audit log: the services write an entry in the same transaction as each administrative
action (deploy, instance operations, variable edits, migrations, accounts and tokens);
administrators read it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..persistence.audit import AuditFilter
from ..persistence.unit_of_work import Transaction, UnitOfWork
from .actor import resolve_actor
from .errors import NotAllowed

ACTIONS = (
    "deployment.deploy", "instance.cancel", "instance.suspend", "instance.resume", "instance.retry",
    "instance.variables", "instance.migrate", "job.run_now", "user.add", "user.update", "group.add",
    "group.add_member", "token.create", "token.revoke",
)


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: dt.datetime
    actor: str | None            # None: the system (CLI, embedding code)
    action: str
    target_kind: str
    target_id: str
    details: dict[str, Any]


def record(tx: Transaction, at: dt.datetime, actor: str | None, action: str, target_kind: str, target_id: Any,
           details: dict[str, Any] | None = None) -> None:
    """Write one entry inside the action's own transaction."""
    tx.audit.add(at, actor, action, target_kind, str(target_id), details or None)


class AuditService:
    def __init__(self, uow: UnitOfWork, clock: Callable[[], dt.datetime]):
        self.uow = uow
        self.clock = clock

    def entries(self, where: AuditFilter | None = None, page: int = 1, per_page: int = 50,
                user: str | None = None) -> tuple[list[AuditRecord], int]:
        """Entries, newest first, and how many match (administrators)."""
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
            if actor is not None and not actor.is_admin:
                raise NotAllowed("only administrators may read the audit log")
            rows, total = tx.audit.search(where or AuditFilter(), (max(page, 1) - 1) * per_page, per_page)
        return [audit_record(r) for r in rows], total


def audit_record(row) -> AuditRecord:
    return AuditRecord(row.id, row.at, row.actor, row.action, row.target_kind, row.target_id, row.details or {})
