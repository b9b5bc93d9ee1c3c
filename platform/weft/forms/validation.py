"""Validating what a user submits with a form: types, required and conditional fields,
read-only fields; returning the record's values and the process variables separately."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import marshmallow as ma

from ..engine.sandbox import Sandbox
from ..entities.catalog import Catalog
from ..entities.definition import FieldDefinition
from ..entities.validation import field_for, record_schema
from ..entities.values import json_value, same
from .definition import FormDefinition, required_when


@dataclass(frozen=True)
class Submission:
    record: dict[str, Any]       # values of the bound record's fields
    variables: dict[str, Any]    # process variables


class FormInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))


def validate_submission(form: FormDefinition, catalog: Catalog, data: dict[str, Any], current: dict[str, Any],
                        sandbox: Sandbox) -> Submission:
    """Check ``data`` against the form, given the ``current`` values (record and variables) that
    conditions may look at. Raises ``FormInvalid`` with messages per field.

    Values are typed first, so conditions compare numbers with numbers (``"5000.00"`` sent for
    a money field is 5000.00 in ``amount > 1000``); hidden fields are neither required nor kept."""
    entity = catalog.get(form.record_entity) if form.record_entity else None
    known = {item.name: item for item in form.fields}
    errors: dict[str, list[str]] = {name: ["not a field of this form"] for name in data if name not in known}
    typed = _typed(form, catalog, data, errors)
    context = {name: None for name in known} | current | typed
    record: dict[str, Any] = {}
    variables: dict[str, Any] = {}
    for section in form.sections:
        section_visible = _holds(section.visible_when, context, sandbox, default=True)
        for item in section.fields:
            definition = _definition(item, entity)
            if definition is None:
                continue
            if not (section_visible and _holds(item.visible_when, context, sandbox, default=True)):
                errors.pop(item.name, None)          # hidden: whatever was sent is ignored
                continue
            if item.readonly or not definition.writable:
                if item.name in data and (item.name not in typed or
                                          not _unchanged(typed[item.name], current.get(item.name))):
                    errors[item.name] = ["read-only field"]
                continue
            if item.name in errors:
                continue
            required = (item.required if item.required is not None else definition.required) or \
                _holds(required_when(item, definition), context, sandbox, default=False)
            if required and _empty(typed.get(item.name)) and _empty(current.get(item.name)):
                errors[item.name] = ["required"]
                continue
            if item.name in typed:
                (record if item.bound else variables)[item.name] = typed[item.name]
            elif not item.bound and definition.type == "boolean":
                variables[item.name] = False          # an unticked box: no, rather than nothing
            elif not item.bound and item.name not in current:
                variables[item.name] = None           # every field of the form is a variable the process may read
    if errors:
        raise FormInvalid(errors)
    return Submission(record, variables)


def evaluate_conditions(form: FormDefinition, catalog: Catalog, data: dict[str, Any], current: dict[str, Any],
                        sandbox: Sandbox) -> dict[str, Any]:
    """Visibility of sections and fields and whether each field is required, for the values
    typed so far (the browser hides and marks fields as the user types)."""
    entity = catalog.get(form.record_entity) if form.record_entity else None
    typed = _typed(form, catalog, data, {})
    context = {item.name: None for item in form.fields} | current | typed
    sections, fields = [], {}
    for section in form.sections:
        section_visible = _holds(section.visible_when, context, sandbox, default=True)
        sections.append(section_visible)
        for item in section.fields:
            definition = _definition(item, entity)
            if definition is None:
                continue
            required = (item.required if item.required is not None else definition.required) or \
                _holds(required_when(item, definition), context, sandbox, default=False)
            fields[item.name] = {"visible": section_visible and _holds(item.visible_when, context, sandbox,
                                                                       default=True),
                                 "required": bool(required) and not (item.readonly or not definition.writable)}
    return {"sections": sections, "fields": fields}


def _typed(form: FormDefinition, catalog: Catalog, data: dict[str, Any], errors: dict[str, list[str]]
           ) -> dict[str, Any]:
    """Submitted values loaded with their fields' types; what does not load goes to ``errors``."""
    entity = catalog.get(form.record_entity) if form.record_entity else None
    typed: dict[str, Any] = {}
    for item in form.fields:
        definition = _definition(item, entity)
        if definition is None or item.name not in data:
            continue
        try:
            typed[item.name] = _load(definition, data[item.name], catalog, entity if item.bound else None)
        except ma.ValidationError as exc:
            errors[item.name] = _messages(exc.messages)
    return typed


def _definition(item, entity) -> FieldDefinition | None:
    return entity.field(item.name) if item.bound and entity is not None else item.variable


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _unchanged(sent: Any, stored: Any) -> bool:
    """A read-only value sent back as displayed (rows without their ids) is no change."""
    if isinstance(sent, list) and isinstance(stored, list):
        def strip(rows):
            return json_value([{k: v for k, v in row.items() if k != "id"} for row in rows])
        return strip(sent) == strip(stored)
    return same(stored, sent)


def _holds(condition: str | None, context: dict[str, Any], sandbox: Sandbox, default: bool) -> bool:
    if condition is None:
        return default
    try:
        return bool(sandbox.evaluate(condition, context))
    except Exception:  # noqa: BLE001 - a condition over missing values simply does not hold
        return False


def _load(definition: FieldDefinition, value: Any, catalog: Catalog, entity) -> Any:
    if definition.type == "table" and entity is not None:
        schema = record_schema(entity, catalog, creating=False)
        return schema.load({definition.name: value}, partial=tuple(schema.fields))[definition.name]
    return field_for(definition, required=False).deserialize(value)


def _messages(messages: Any) -> list[str]:
    if isinstance(messages, list):
        return [str(m) for m in messages]
    if isinstance(messages, dict):
        return [f"{k}: {', '.join(_messages(v))}" for k, v in messages.items()]
    return [str(messages)]
