"""``/api/v1/entities``: records of deployed entities, with the entities' permissions."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from ..downloads import attachment_response
from ..services.record_values import json_value
from .auth import current_actor
from .context import paged, platform
from .record_schemas import (
    DeleteArgsSchema,
    EntitySchemaOut,
    RecordChangeSchema,
    RecordQuerySchema,
    RecordSchema,
    RecordValuesSchema,
)
from .schemas import ApiErrorSchema

entities = Blueprint("entities", __name__, url_prefix="/api/v1/entities",
                     description="Records of the entities modules define; permissions per role")


@entities.route("")
class Entities(MethodView):
    @entities.response(200, EntitySchemaOut(many=True))
    def get(self):
        """The entities you may read, with their fields and the actions you may take."""
        return [{"name": e.name, "label": e.label, "naming": e.naming, "title": e.title, "permissions": e.permissions,
                 "fields_": [_field(f) for f in e.fields], "actions": actions}
                for e, actions in platform().records.entities(current_actor().name)]


@entities.route("/<entity>")
class Records(MethodView):
    @entities.arguments(RecordQuerySchema, location="query", unknown=ma.INCLUDE)
    @entities.response(200, RecordSchema(many=True), headers={"X-Total-Count": {"schema": {"type": "integer"}}})
    @entities.alt_response(403, schema=ApiErrorSchema)
    @entities.alt_response(404, schema=ApiErrorSchema, description="no such entity")
    @entities.alt_response(422, schema=ApiErrorSchema, description="unknown field or bad value in a filter")
    def get(self, args, entity):
        """Records, filtered by any field (``?status=draft&total__gte=100&supplier__in=1,2``),
        sorted (``?sort=-order_date,number``) and paged."""
        page, per_page, sort = args.pop("page"), args.pop("per_page"), args.pop("sort")
        found = platform().records.search(entity, {k: str(v) for k, v in args.items()}, sort, page, per_page,
                                          user=current_actor().name)
        return paged(json_value(found.records), found.total)

    @entities.arguments(RecordValuesSchema)
    @entities.response(201, RecordSchema)
    @entities.alt_response(403, schema=ApiErrorSchema)
    @entities.alt_response(422, schema=ApiErrorSchema, description="invalid values (errors per field)")
    def post(self, body, entity):
        """Create a record; defaults, formulas and the naming series fill in the rest."""
        return json_value(platform().records.create(entity, body, user=current_actor().name))


@entities.route("/<entity>/<int:record_id>")
class RecordItem(MethodView):
    @entities.response(200, RecordSchema)
    @entities.alt_response(404, schema=ApiErrorSchema)
    def get(self, entity, record_id):
        """A record with its child rows."""
        return json_value(platform().records.get(entity, record_id, user=current_actor().name))

    @entities.arguments(RecordValuesSchema)
    @entities.response(200, RecordSchema)
    @entities.alt_response(409, schema=ApiErrorSchema, description="the record changed since 'version'")
    @entities.alt_response(422, schema=ApiErrorSchema, description="invalid values (errors per field)")
    def patch(self, body, entity, record_id):
        """Change some fields; send the ``version`` you read to refuse lost updates (409)."""
        return json_value(platform().records.update(entity, record_id, body, user=current_actor().name))

    @entities.arguments(DeleteArgsSchema, location="query")
    @entities.response(204)
    @entities.alt_response(409, schema=ApiErrorSchema, description="referred to by other records, or changed")
    def delete(self, args, entity, record_id):
        """Delete a record (its history stays)."""
        platform().records.delete(entity, record_id, user=current_actor().name, version=args["version"])


@entities.route("/<entity>/<int:record_id>/history")
class RecordHistory(MethodView):
    @entities.response(200, RecordChangeSchema(many=True))
    def get(self, entity, record_id):
        """Every change of the record: who, when, each field's old and new value."""
        return platform().records.history(entity, record_id, user=current_actor().name)


@entities.route("/<entity>/<int:record_id>/files/<field>")
class RecordFile(MethodView):
    @entities.response(200, description="the file's content")
    @entities.alt_response(404, schema=ApiErrorSchema)
    def get(self, entity, record_id, field):
        """Download the file stored in a ``file`` field."""
        name, content_type, content = platform().records.attachment(entity, record_id, field,
                                                                   user=current_actor().name)
        return attachment_response(name, content_type, content)


def _field(item) -> dict:
    return {"name": item.name, "type": item.type, "label": item.label, "required": item.required,
            "readonly": not item.writable, "computed": item.computed,
            "options": [{"value": o.value, "label": o.label} for o in item.options], "to": item.to, "of": item.of,
            "index": item.index, "unique": item.unique}

