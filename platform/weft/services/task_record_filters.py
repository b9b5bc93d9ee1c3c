"""Filters on the fields of the records tasks are bound to (``field.amount__gt=10000``), for
the inbox and for ``GET /api/v1/tasks``: only entities the user may read take part."""

from __future__ import annotations

from collections.abc import Mapping

from .actor import Actor
from .entity_registry import Schema
from .errors import ValidationError
from .record_query import conditions, field_of
from .records import may


def readable_entities(schema: Schema, actor: Actor) -> set[str]:
    """Entities whose records the user may read: only those show in the inbox or filter it."""
    return {name for name, entity in schema.catalog.entities.items() if may(actor, entity, "read")}


def record_conditions(schema: Schema, readable: set[str], filters: Mapping[str, str]) -> list:
    """For every readable entity that has all the filtered fields: its table and the conditions."""
    names = {key.partition("__")[0] for key in filters}
    found = []
    for entity in schema.catalog.entities.values():
        table = schema.tables.get(entity.name)
        if table is None or schema.catalog.is_child(entity.name) or entity.name not in readable:
            continue
        if all(field_of(entity, table, name) is not None for name in names):
            found.append((entity.name, table, conditions(entity, table, filters)))
    if not found:
        raise ValidationError({f"field.{name}": ["no entity you may read has this field"]
                               for name in sorted(names)}, "invalid record filter")
    return found
