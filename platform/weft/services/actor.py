"""Who is acting: a user with their groups, or the system (``None``)."""

from __future__ import annotations

from dataclasses import dataclass

from ..persistence.unit_of_work import Transaction
from .errors import UnknownUser

ADMIN_GROUP = "admin"
ANALYST_GROUP = "analyst"


@dataclass(frozen=True)
class Actor:
    name: str
    groups: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return ADMIN_GROUP in self.groups

    @property
    def is_analyst(self) -> bool:
        """Analysts and administrators: they deploy, edit definitions and read process analytics."""
        return self.is_admin or ANALYST_GROUP in self.groups


def resolve_actor(tx: Transaction, name: str | None) -> Actor | None:
    """The acting user with their groups; ``None`` stands for the system (embedding code)."""
    if name is None:
        return None
    record = tx.accounts.user(name)
    if record is None or not record.is_active:
        raise UnknownUser(f"unknown user {name!r}")
    return Actor(record.name, record.groups)
