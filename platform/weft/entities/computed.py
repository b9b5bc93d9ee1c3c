"""Computed fields: formulas over a record and its rows, evaluated in the sandbox on every save."""

from __future__ import annotations

import decimal
from typing import Any

from ..engine.sandbox import Sandbox
from .catalog import Catalog
from .definition import EntityDefinition, FieldDefinition
from .types import DECIMAL_SCALE, MONEY_SCALE


class RowView(dict):
    """A child row in a formula: ``line.amount`` as well as ``line["amount"]``; a field the
    row does not hold reads as ``None``."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.get(name)


class ComputeError(Exception):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def compute(entity: EntityDefinition, values: dict[str, Any], rows: dict[str, list[dict[str, Any]]],
            catalog: Catalog, sandbox: Sandbox) -> dict[str, Any]:
    """Computed values of the record (and of its rows, first), for the given field values."""
    for table, child in catalog.children(entity):
        for row in rows.get(table.name, []):
            row.update(_compute_fields(child, row, {}, sandbox))
    return _compute_fields(entity, values, rows, sandbox)


def _compute_fields(entity: EntityDefinition, values: dict[str, Any], rows: dict[str, list[dict[str, Any]]],
                    sandbox: Sandbox) -> dict[str, Any]:
    context: dict[str, Any] = {item.name: values.get(item.name) for item in entity.fields if item.is_column}
    context.update({name: [RowView(row) for row in items] for name, items in rows.items()})
    results = {}
    for item in entity.fields:
        if item.computed is None:
            continue
        try:
            value = sandbox.evaluate(item.computed, context)
        except Exception as exc:  # noqa: BLE001 - reported against the field
            raise ComputeError(item.name, f"cannot compute {entity.name}.{item.name}: {exc}") from exc
        value = coerce(item, value)
        context[item.name] = value
        results[item.name] = value
    return results


def missing_when_required(entity: EntityDefinition, values: dict[str, Any], rows: dict[str, list[dict[str, Any]]],
                          catalog: Catalog, sandbox: Sandbox) -> dict[str, list[str]]:
    """Errors for the fields (of the record and its rows) that ``required_when`` makes required
    for these values but that are empty."""
    errors = {name: ["required"] for name in _missing(entity, values, sandbox)}
    for table, child in catalog.children(entity):
        for index, row in enumerate(rows.get(table.name, [])):
            errors.update({f"{table.name}[{index}].{name}": ["required"] for name in _missing(child, row, sandbox)})
    return errors


def _missing(entity: EntityDefinition, values: dict[str, Any], sandbox: Sandbox) -> list[str]:
    conditional = [item for item in entity.fields if item.required_when]
    if not conditional:
        return []
    context = {item.name: values.get(item.name) for item in entity.fields if item.is_column}
    found = []
    for item in conditional:
        if values.get(item.name) not in (None, ""):
            continue
        try:
            holds = bool(sandbox.evaluate(item.required_when or "", context))
        except Exception:  # noqa: BLE001 - a condition over missing values does not hold
            holds = False
        if holds:
            found.append(item.name)
    return found


def coerce(item: FieldDefinition, value: Any) -> Any:
    if value is None:
        return None
    if item.type in ("money", "decimal"):
        scale = MONEY_SCALE if item.type == "money" else (item.scale if item.scale is not None else DECIMAL_SCALE)
        return decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-scale))
    if item.type == "integer":
        return int(value)
    if item.type == "boolean":
        return bool(value)
    if item.type in ("string", "text", "choice", "email", "phone", "user"):
        return str(value)
    return value
