"""Schemas of the records API. Record bodies are checked against the entity's own schema
(built from its definition) by the service; these describe the envelope for OpenAPI."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from .schemas import MAX_PER_PAGE


class RecordQuerySchema(ma.Schema):
    """Paging and sorting; every other query parameter filters: ``field=value`` or
    ``field__op=value`` with op one of ne, gt, gte, lt, lte, contains, in (comma-separated), isnull."""

    class Meta:
        unknown = ma.INCLUDE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    sort = fields.String(load_default=None, metadata={"description": "fields, comma-separated; '-' for descending"})


class RecordValuesSchema(ma.Schema):
    """Field values of the entity (PATCH: only those that change, and ``version`` to guard
    against lost updates). ``file`` fields take ``{name, content_type, content_base64}``."""

    class Meta:
        unknown = ma.INCLUDE


class RecordSchema(ma.Schema):
    """A record: the system fields below, then the entity's own fields (JSON: dates as ISO 8601
    text, money and decimals as exact strings, files as {id, name, content_type, size})."""

    class Meta:
        unknown = ma.INCLUDE

    def dump(self, obj, *, many=None):
        return obj          # already plain JSON, with the fields of its entity (documented above)

    id = fields.Integer()
    number = fields.String(metadata={"description": "with a naming series"})
    version = fields.Integer()
    created_at = fields.String()
    created_by = fields.String(allow_none=True)
    updated_at = fields.String()
    updated_by = fields.String(allow_none=True)


class DeleteArgsSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    version = fields.Integer(load_default=None, metadata={"description": "refuse (409) unless at this version"})


class RecordChangeSchema(ma.Schema):
    version = fields.Integer()
    action = fields.String(metadata={"enum": ["create", "update", "delete"]})
    changes = fields.Dict(metadata={"description": "field -> [old, new]"})
    changed_at = fields.AwareDateTime()
    changed_by = fields.String(allow_none=True)
    source = fields.String(allow_none=True, metadata={"description": "process/instance/element that wrote it"})


class EntityFieldSchema(ma.Schema):
    name = fields.String()
    type = fields.String()
    label = fields.Dict(keys=fields.String(), values=fields.String())
    required = fields.Boolean()
    readonly = fields.Boolean()
    computed = fields.String(allow_none=True)
    options = fields.List(fields.Dict())
    to = fields.String(allow_none=True)
    of = fields.String(allow_none=True)
    index = fields.Boolean()
    unique = fields.Boolean()


class EntitySchemaOut(ma.Schema):
    name = fields.String()
    label = fields.Dict(keys=fields.String(), values=fields.String())
    naming = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    fields_ = fields.List(fields.Nested(EntityFieldSchema), data_key="fields")
    permissions = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    actions = fields.List(fields.String(), metadata={"description": "what you may do"})
