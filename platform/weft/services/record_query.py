"""Filters and sorting of the records API: ``field=value``, ``field__op=value``, ``sort=-a,b``.

Every name is checked against the entity (and the system fields), every value is parsed with
the field's own type, and every operator must suit the type; anything else is a
``ValidationError`` naming the parameter — never SQL built from input.
"""

from __future__ import annotations

import operator as operators
from collections.abc import Mapping

import marshmallow as ma
from sqlalchemy import Table

from ..entities.definition import EntityDefinition, FieldDefinition
from ..entities.validation import field_for
from .errors import ValidationError

COMPARISONS = {"eq": operators.eq, "ne": operators.ne, "gt": operators.gt, "gte": operators.ge,
               "lt": operators.lt, "lte": operators.le}
OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "contains", "in", "isnull")
TEXT_TYPES = ("string", "text", "email", "phone", "user", "choice")
ORDERED_TYPES = TEXT_TYPES + ("integer", "decimal", "money", "date", "datetime", "reference")
SYSTEM = {
    "id": FieldDefinition("id", "integer", {"en": "Id"}),
    "version": FieldDefinition("version", "integer", {"en": "Version"}),
    "number": FieldDefinition("number", "string", {"en": "Number"}, length=80),
    "created_at": FieldDefinition("created_at", "datetime", {"en": "Created"}),
    "created_by": FieldDefinition("created_by", "string", {"en": "Created by"}, length=150),
    "updated_at": FieldDefinition("updated_at", "datetime", {"en": "Updated"}),
    "updated_by": FieldDefinition("updated_by", "string", {"en": "Updated by"}, length=150),
}


def field_of(entity: EntityDefinition, table: Table, name: str) -> FieldDefinition | None:
    """The column field ``name`` of the entity, or a system field its table has."""
    item = entity.field(name) or SYSTEM.get(name)
    return item if item is not None and item.is_column and name in table.c else None


def allowed(kind: str, operator: str) -> bool:
    if operator == "isnull":
        return True
    if kind == "json":
        return False
    if operator == "contains":
        return kind in TEXT_TYPES
    if operator in ("gt", "gte", "lt", "lte"):
        return kind in ORDERED_TYPES
    return True


def conditions(entity: EntityDefinition, table: Table, filters: Mapping[str, str]) -> list:
    found, errors = [], {}
    for key, raw in filters.items():
        name, _, operator = key.partition("__")
        operator = operator or "eq"
        item = field_of(entity, table, name)
        if operator not in OPERATORS:
            errors[key] = [f"unknown operator {operator!r} (one of {', '.join(OPERATORS)})"]
        elif item is None:
            errors[key] = [f"{entity.name} has no field {name!r} to filter on"]
        elif not allowed(item.type, operator):
            errors[key] = [f"{operator} does not apply to a {item.type} field"]
        else:
            try:
                found.append(_condition(table.c[name], operator, raw, item))
            except ma.ValidationError as exc:
                errors[key] = [str(m) for m in (exc.messages if isinstance(exc.messages, list) else [exc.messages])]
    if errors:
        raise ValidationError(errors, "invalid filter")
    return found


def _condition(column, operator: str, raw: str, item: FieldDefinition):
    parse = field_for(item, required=False).deserialize
    if operator == "isnull":
        return column.is_(None) if raw.lower() in ("1", "true", "yes") else column.is_not(None)
    if operator == "in":
        return column.in_([parse(part) for part in raw.split(",") if part != ""])
    if operator == "contains":
        escaped = raw.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return column.ilike(f"%{escaped}%", escape="\\")
    return COMPARISONS[operator](column, parse(raw))


def ordering(entity: EntityDefinition, table: Table, sort: str | None) -> list:
    result = []
    for part in (sort or "").split(","):
        part = part.strip()
        if not part:
            continue
        name = part.lstrip("-")
        item = field_of(entity, table, name)
        if item is None or item.type in ("json", "file"):
            raise ValidationError({"sort": [f"cannot sort {entity.name} by {name!r}"]}, "invalid sort")
        result.append(table.c[name].desc() if part.startswith("-") else table.c[name])
    return result
