"""Finding process instances: by process, version, state, business key, starter, start date
and the value of a variable.

Variables live in the instance row as JSON (JSONB on PostgreSQL, where a match is a
containment test, ``variables @> '{"amount": 42}'``; SQLite reads them with ``json_extract``).
Decimals and dates are stored tagged with their type (``{"__class__": "Decimal", "value":
"12.50"}``), so a text is also compared with such a value's ``value``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, cast, false, func, literal, or_
from sqlalchemy.dialects.postgresql import JSONB

from .tables import process_definitions, process_instances


@dataclass(frozen=True)
class VariableMatch:
    """Instances whose variable ``name`` equals any of ``values`` (none: that have the variable)."""

    name: str
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class InstanceFilter:
    process_key: str | None = None
    version: int | None = None
    state: str | None = None
    suspended: bool | None = None
    business_key: str | None = None
    started_by: str | None = None
    started_from: dt.datetime | None = None         # inclusive
    started_to: dt.datetime | None = None           # exclusive
    variable: VariableMatch | None = None


def conditions(where: InstanceFilter, dialect: str) -> list[ColumnElement[bool]]:
    """SQL conditions on ``process_instances`` joined with ``process_definitions``."""
    found: list[ColumnElement[bool]] = []
    columns = process_instances.c
    plain = {columns.process_key: where.process_key, process_definitions.c.version: where.version,
             columns.state: where.state, columns.suspended: where.suspended,
             columns.business_key: where.business_key, columns.started_by: where.started_by}
    found += [column == value for column, value in plain.items() if value is not None]
    if where.started_from is not None:
        found.append(columns.started_at >= where.started_from)
    if where.started_to is not None:
        found.append(columns.started_at < where.started_to)
    if where.variable is not None:
        found.append(_postgres_variable(where.variable) if dialect == "postgresql"
                     else _sqlite_variable(where.variable))
    return found


def _postgres_variable(match: VariableMatch) -> ColumnElement[bool]:
    column = cast(process_instances.c.variables, JSONB)
    if not match.values:
        return column.op("?")(match.name)
    wanted = [{match.name: value} for value in match.values]
    wanted += [{match.name: {"value": value}} for value in match.values if isinstance(value, str)]
    return or_(*[column.op("@>")(cast(literal(json.dumps(item)), JSONB)) for item in wanted])


def _sqlite_variable(match: VariableMatch) -> ColumnElement[bool]:
    column = process_instances.c.variables
    path = f'$."{match.name}"'
    kind = func.json_type(column, path)
    value = func.json_extract(column, path)
    if not match.values:
        return kind.is_not(None)
    options: list[ColumnElement[bool]] = []
    for wanted in match.values:
        if wanted is None:
            options.append(kind == "null")
        elif isinstance(wanted, bool):
            options.append(kind == ("true" if wanted else "false"))
        elif isinstance(wanted, (int, float)):
            options.append(and_(kind.in_(["integer", "real"]), value == wanted))
        elif isinstance(wanted, str):
            options.append(and_(kind == "text", value == wanted))
            options.append(and_(kind == "object", func.json_extract(column, f"{path}.value") == wanted))
    return or_(*options) if options else false()
