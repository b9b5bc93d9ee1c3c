"""Schemas of the administrators' REST endpoints (audit log, jobs, versions, instance changes)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from ..services.audit import ACTIONS
from ..services.job_admin import KINDS
from .schemas import PageArgsSchema


class InstanceSearchSchema(PageArgsSchema):
    process_key = fields.String()
    version = fields.Integer(validate=validate.Range(min=1))
    state = fields.String(validate=validate.OneOf(["running", "waiting", "completed", "terminated", "failed"]))
    suspended = fields.Boolean()
    business_key = fields.String()
    started_by = fields.String()
    started_from = fields.AwareDateTime(metadata={"description": "started at or after (ISO 8601 with zone)"})
    started_to = fields.AwareDateTime(metadata={"description": "started before (ISO 8601 with zone)"})
    variable = fields.String(metadata={"description": "a variable's name: instances having it, or with `value`"})
    value = fields.String(metadata={"description": "42 finds 42 and \"42\"; true, null, 12.50, 2026-01-05 likewise"})


class MigrateSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    version = fields.Integer(required=True, validate=validate.Range(min=1))


class VariablesChangeSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    set = fields.Dict(keys=fields.String(), load_default=dict, metadata={"description": "name -> new value"})
    remove = fields.List(fields.String(), load_default=list, metadata={"description": "names to delete"})


class AuditQuerySchema(PageArgsSchema):
    actor = fields.String()
    action = fields.String(validate=validate.OneOf([*ACTIONS, *{a.split(".")[0] + "." for a in ACTIONS}]))
    target_kind = fields.String()
    target_id = fields.String()
    since = fields.AwareDateTime()
    until = fields.AwareDateTime()


class AuditEntrySchema(ma.Schema):
    id = fields.Integer()
    at = fields.AwareDateTime()
    actor = fields.String(allow_none=True, metadata={"description": "null: the system (CLI, embedding code)"})
    action = fields.String()
    target_kind = fields.String()
    target_id = fields.String()
    details = fields.Dict()


class JobQuerySchema(PageArgsSchema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    failing = fields.Boolean(load_default=False)


class JobSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String()
    instance_id = fields.String(allow_none=True)
    process_key = fields.String(allow_none=True)
    element_id = fields.String(allow_none=True)
    due_at = fields.AwareDateTime()
    retries = fields.Integer()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)


class VersionSchema(ma.Schema):
    version = fields.Integer()
    deployment_id = fields.Integer()
    deployment = fields.String()
    created_at = fields.AwareDateTime()
    created_by = fields.String(allow_none=True)
    instances = fields.Dict(keys=fields.String(), values=fields.Integer())


class DiffQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    old = fields.Integer(required=True, validate=validate.Range(min=1))
    new = fields.Integer(required=True, validate=validate.Range(min=1))


class ElementChangeSchema(ma.Schema):
    element_id = fields.String()
    change = fields.String(metadata={"enum": ["added", "removed", "changed"]})
    type = fields.String()
    name = fields.String(allow_none=True)
    properties = fields.Method("_properties")

    def _properties(self, change):
        return [{"property": what, "old": old, "new": new} for what, old, new in change.properties]
