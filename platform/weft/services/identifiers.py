"""Ids arriving from outside: strings that may or may not be UUIDs."""

from __future__ import annotations

import uuid


def parse_uuid(value: str | uuid.UUID | None) -> uuid.UUID | None:
    """The UUID, or ``None`` when ``value`` is not one (callers report "not found")."""
    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None
