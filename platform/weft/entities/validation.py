"""Marshmallow schemas built from entity definitions: what a record may contain."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from .catalog import Catalog
from .definition import EntityDefinition, FieldDefinition
from .types import column_storage

BIGINT_LIMIT = 2 ** 63
PHONE = r"^\+?[0-9 ()\-.]{3,50}$"


class FileValue(fields.Field):
    """A stored attachment's id, or a new upload: ``{name, content_type, content_base64}``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, dict) and isinstance(value.get("name"), str) and \
                isinstance(value.get("content_base64"), str):
            return {"name": value["name"], "content_type": str(value.get("content_type") or
                                                               "application/octet-stream"),
                    "content_base64": value["content_base64"]}
        raise ma.ValidationError("expected an attachment id or {name, content_type, content_base64}")


class _Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


def field_for(item: FieldDefinition, required: bool) -> fields.Field:
    """The marshmallow field validating one entity field."""
    options: dict[str, Any] = {"required": required, "allow_none": not required}
    storage = column_storage(item)
    kind = item.type
    if kind in ("string", "user"):
        return fields.String(validate=validate.Length(max=storage.length), **options)
    if kind == "text":
        return fields.String(**options)
    if kind == "choice":
        return fields.String(validate=validate.OneOf(item.option_values), **options)
    if kind == "email":
        return fields.Email(validate=validate.Length(max=storage.length), **options)
    if kind == "phone":
        return fields.String(validate=validate.Regexp(PHONE, error="not a phone number"), **options)
    if kind in ("integer", "reference"):
        return fields.Integer(strict=False, validate=validate.Range(min=-BIGINT_LIMIT, max=BIGINT_LIMIT - 1),
                              **options)
    if kind in ("decimal", "money"):
        whole_digits = (storage.precision or 0) - (storage.scale or 0)
        limit = decimal.Decimal(10) ** whole_digits
        return fields.Decimal(places=storage.scale, allow_nan=False, **options, validate=validate.Range(
            min=-limit, max=limit, min_inclusive=False, max_inclusive=False,
            error=f"must have at most {whole_digits} digits before the decimal point"))
    if kind == "boolean":
        return fields.Boolean(**options)
    if kind == "date":
        return fields.Date(**options)
    if kind == "datetime":
        return fields.AwareDateTime(default_timezone=dt.UTC, **options)
    if kind == "file":
        return FileValue(**options)
    return fields.Raw(**options)                       # json


def settable(item: FieldDefinition, by_process: bool) -> bool:
    """People write the writable fields; processes (and seed data) also the read-only ones.
    Nobody writes a computed field."""
    return item.writable or (by_process and item.computed is None)


def record_schema(entity: EntityDefinition, catalog: Catalog, creating: bool, by_process: bool = False) -> ma.Schema:
    """The schema of a record's writable values (``creating``: required fields must be there)."""
    declared: dict[str, fields.Field] = {}
    for item in entity.fields:
        if not settable(item, by_process):
            continue
        if item.type == "table":
            child = catalog.get(item.of or "")
            if child is not None:
                declared[item.name] = fields.List(fields.Nested(_row_schema(child, by_process)), allow_none=False)
            continue
        declared[item.name] = field_for(item, required=creating and item.required and item.default is None)
    if not creating:
        declared["version"] = fields.Integer(load_default=None, allow_none=True)
    schema_class = type(f"{entity.name}_schema", (_Strict,), declared)
    return schema_class()


def _row_schema(child: EntityDefinition, by_process: bool = False) -> type[ma.Schema]:
    declared: dict[str, fields.Field] = {"id": fields.Integer(load_default=None, allow_none=True)}
    for item in child.fields:
        if settable(item, by_process) and item.is_column:
            declared[item.name] = field_for(item, required=item.required and item.default is None)
    return type(f"{child.name}_row_schema", (_Strict,), declared)


def read_only_errors(entity: EntityDefinition, values: dict[str, Any], by_process: bool = False
                     ) -> dict[str, list[str]]:
    """Values sent for computed or read-only fields are refused by name (rather than "unknown")."""
    errors = {}
    for item in entity.fields:
        if not settable(item, by_process) and item.name in values:
            errors[item.name] = ["read-only field"]
    return errors
