"""Marshmallow schemas of the REST API; the OpenAPI document is generated from them."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from ..services.human_task import SCOPES, SORTS

MAX_PER_PAGE = 500


def plain_json(value: Any) -> Any:
    """Variables as plain JSON: dates as ISO 8601 text, decimals as exact strings."""
    if isinstance(value, dict):
        return {str(key): plain_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain_json(item) for item in value]
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    return value


class Variables(fields.Dict):
    """A name → value mapping of process variables."""

    def __init__(self, **kwargs: Any):
        super().__init__(keys=fields.String(), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else plain_json(value)


class ApiErrorBodySchema(ma.Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.Raw(allow_none=True)


class ApiErrorSchema(ma.Schema):
    error = fields.Nested(ApiErrorBodySchema, required=True)


class PageArgsSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class ProcessDefinitionSchema(ma.Schema):
    id = fields.Integer()
    key = fields.String()
    name = fields.String()
    version = fields.Integer()
    deployment_id = fields.Integer()
    created = fields.Boolean(metadata={"description": "created by this deployment (else unchanged)"})


class DeploymentSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String()
    version = fields.Integer()
    unchanged = fields.Boolean()
    process_keys = fields.List(fields.String())
    processes = fields.List(fields.Nested(ProcessDefinitionSchema))
    module = fields.String(allow_none=True, metadata={"description": "module deployments: the module"})
    module_version = fields.String(allow_none=True, metadata={"description": "the version in plugin.yaml"})
    changes = fields.List(fields.String(), metadata={"description": "schema changes, e.g. 'add_column x.y: …'"})
    statements = fields.List(fields.String(), metadata={"description": "the DDL run (dry run: that would run)"})
    dry_run = fields.Boolean()


class DeploymentUploadSchema(ma.Schema):
    file = fields.Raw(metadata={"type": "string", "format": "binary",
                                "description": ".bpmn/.dmn files (repeatable) or one .weftpkg"}, required=True)


class DeploymentFormSchema(ma.Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    dry_run = fields.Boolean(load_default=False, metadata={"description": "packages: check and report, apply nothing"})
    force = fields.String(load_default="", metadata={
        "description": "packages: destructive schema changes to accept, comma-separated (entity.field, entity)"})


class ModuleSchema(ma.Schema):
    name = fields.String()
    version = fields.String()
    label = fields.Dict(keys=fields.String(), values=fields.String())
    requires = fields.List(fields.String())
    roles = fields.List(fields.String())
    menu = fields.List(fields.Dict())
    deployment_id = fields.Integer()
    deployed_at = fields.AwareDateTime()


class HistoryEntrySchema(ma.Schema):
    element_id = fields.String()
    name = fields.String(allow_none=True)
    type = fields.String()
    started = fields.AwareDateTime()
    ended = fields.AwareDateTime()
    user = fields.String(allow_none=True)
    changes = fields.Dict(allow_none=True, metadata={"description": "variables the element set: name -> [before, after]"})


class ProcessInstanceSchema(ma.Schema):
    id = fields.String()
    process_key = fields.String()
    version = fields.Integer()
    state = fields.String(metadata={"enum": ["running", "waiting", "completed", "terminated", "failed"]})
    business_key = fields.String(allow_none=True)
    started_by = fields.String(allow_none=True)
    started_at = fields.AwareDateTime()
    ended_at = fields.AwareDateTime(allow_none=True)
    suspended = fields.Boolean()
    variables = Variables()
    active_elements = fields.List(fields.String())
    history = fields.List(fields.Nested(HistoryEntrySchema))


class StartInstanceSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    process_key = fields.String(required=True, validate=validate.Length(min=1, max=255))
    variables = fields.Dict(keys=fields.String(), load_default=dict)
    business_key = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=255))


class TaskSchema(ma.Schema):
    id = fields.String()
    instance_id = fields.String()
    process_key = fields.String()
    element_id = fields.String()
    name = fields.String()
    form = fields.String(allow_none=True)
    state = fields.String(metadata={"enum": ["open", "completed", "cancelled"]})
    assignee = fields.String(allow_none=True)
    candidate_groups = fields.List(fields.String())
    candidate_users = fields.List(fields.String())
    due = fields.AwareDateTime(allow_none=True)
    follow_up = fields.AwareDateTime(allow_none=True)
    priority = fields.Integer()
    created = fields.AwareDateTime()
    completed = fields.AwareDateTime(allow_none=True)
    completed_by = fields.String(allow_none=True)


class TaskDetailSchema(TaskSchema):
    values = Variables(metadata={"description": "the instance's variables"})
    form_view = fields.Dict(allow_none=True, data_key="form_definition", metadata={
        "description": "the task's form to draw (sections, fields with type, label, options, conditions, "
                       "current values); null without a deployed form"})


class TaskQuerySchema(PageArgsSchema):
    scope = fields.String(load_default="all", validate=validate.OneOf(SCOPES))
    process_key = fields.String()
    q = fields.String(validate=validate.Length(max=200))
    due_before = fields.AwareDateTime(default_timezone=dt.UTC)
    sort = fields.String(load_default="created", validate=validate.OneOf(SORTS))
    instance_id = fields.String()
    state = fields.String(load_default="open", validate=validate.OneOf(["open", "any"]))


class AssignSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    user = fields.String(required=True, allow_none=True)


class CompleteSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    data = fields.Dict(keys=fields.String(), load_default=dict)


class MessageSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    correlation = fields.Dict(keys=fields.String(), load_default=dict)
    variables = fields.Dict(keys=fields.String(), load_default=dict)


class SignalSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    variables = fields.Dict(keys=fields.String(), load_default=dict)


class DeliveredSchema(ma.Schema):
    instance_ids = fields.List(fields.String(), metadata={"description": "instances reached or started"})


class RetrySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    variables = fields.Dict(keys=fields.String(), load_default=dict)


class IncidentSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": ["element", "job", "message"]})
    element_id = fields.String(allow_none=True)
    message = fields.String()
    created_at = fields.AwareDateTime()
    resolved_at = fields.AwareDateTime(allow_none=True)
    resolved_by = fields.String(allow_none=True)


class ReportOut(ma.Schema):
    key = fields.String(metadata={"description": "module/name"})
    module = fields.String()
    name = fields.String()
    title = fields.String()
    entity = fields.String()
    chart = fields.String(metadata={"enum": ["bar", "horizontal_bar", "line", "pie", "doughnut", "table"]})


class ReportColumnOut(ma.Schema):
    key = fields.String()
    label = fields.String()


class ReportResultOut(ma.Schema):
    key = fields.String()
    title = fields.String()
    chart = fields.String()
    columns = fields.List(fields.Nested(ReportColumnOut))
    rows = fields.List(fields.Dict(), metadata={"description": "group, group_value and one key per measure"})
    chart_data = fields.Dict(metadata={"description": "Chart.js data: labels and datasets"})
