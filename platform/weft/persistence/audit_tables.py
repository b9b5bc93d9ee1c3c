"""The audit log: every administrative action, who took it, when, on what, with its details."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from .columns import Base, BigId, Json, Timestamp


class AuditEntry(Base):
    """Written in the same transaction as the action it records (so neither exists without
    the other). ``actor`` is ``None`` for the system (the CLI, embedding code)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target_kind_target_id", "target_kind", "target_id", "id"),
                      Index("ix_audit_log_actor_id", "actor", "id"),
                      Index("ix_audit_log_action_id", "action", "id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = Timestamp(index=True)
    actor: Mapped[str | None] = mapped_column(String(150))
    action: Mapped[str] = mapped_column(String(60))             # e.g. instance.migrate, user.update
    target_kind: Mapped[str] = mapped_column(String(40))        # instance, deployment, user, group, token, job
    target_id: Mapped[str] = mapped_column(String(255))
    details: Mapped[dict[str, Any] | None] = mapped_column(Json)


audit_log = cast(Table, AuditEntry.__table__)
