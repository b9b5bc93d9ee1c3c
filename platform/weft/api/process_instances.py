"""``/api/v1/process-instances``."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from ..services.instance_query import InstanceQuery
from .admin_schemas import InstanceSearchSchema, MigrateSchema, VariablesChangeSchema
from .auth import current_actor
from .context import paged, platform
from .schemas import (
    ApiErrorSchema,
    IncidentSchema,
    ProcessInstanceSchema,
    RetrySchema,
    StartInstanceSchema,
)

instances = Blueprint("process_instances", __name__, url_prefix="/api/v1/process-instances",
                      description="Start, inspect and control process instances")


@instances.route("")
class ProcessInstances(MethodView):
    @instances.arguments(StartInstanceSchema)
    @instances.response(201, ProcessInstanceSchema)
    @instances.alt_response(404, schema=ApiErrorSchema, description="no such process")
    @instances.alt_response(422, schema=ApiErrorSchema, description="invalid variables or a failing script")
    def post(self, body):
        """Start the latest version of a process; it runs to its first wait state."""
        return platform().instances.start(body["process_key"], body["variables"], body["business_key"],
                                          user=current_actor().name)

    @instances.arguments(InstanceSearchSchema, location="query", unknown=ma.RAISE)
    @instances.response(200, ProcessInstanceSchema(many=True),
                        headers={"X-Total-Count": {"schema": {"type": "integer"}}})
    @instances.alt_response(422, schema=ApiErrorSchema, description="invalid criteria, each named")
    def get(self, args):
        """Instances you started (administrators: all), newest first, by process, version,
        state, business key, starter, start time and variable value."""
        page, per_page = args.pop("page"), args.pop("per_page")
        found, total = platform().instances.instances(query=InstanceQuery(**args), page=page, per_page=per_page,
                                                      user=current_actor().name)
        return paged(ProcessInstanceSchema(many=True).dump(found), total)


@instances.route("/<instance_id>")
class ProcessInstanceItem(MethodView):
    @instances.response(200, ProcessInstanceSchema)
    @instances.alt_response(404, schema=ApiErrorSchema)
    def get(self, instance_id):
        """An instance with its variables, active elements and history."""
        return platform().instances.instance(instance_id, user=current_actor().name)


def _operation(name: str, summary: str):
    @instances.route(f"/<instance_id>/{name}", endpoint=name)
    class Operation(MethodView):
        @instances.response(200, ProcessInstanceSchema)
        @instances.alt_response(403, schema=ApiErrorSchema)
        @instances.alt_response(404, schema=ApiErrorSchema)
        @instances.alt_response(409, schema=ApiErrorSchema, description="the instance is not active")
        def post(self, instance_id):
            return getattr(platform().instances, name)(instance_id, user=current_actor().name)

    Operation.post.__doc__ = summary
    return Operation


@instances.route("/<instance_id>/retry")
class Retry(MethodView):
    @instances.arguments(RetrySchema)
    @instances.response(200, ProcessInstanceSchema)
    @instances.alt_response(403, schema=ApiErrorSchema)
    @instances.alt_response(404, schema=ApiErrorSchema)
    @instances.alt_response(409, schema=ApiErrorSchema, description="no open incident")
    def post(self, body, instance_id):
        """Resolve the instance's incidents: set ``variables``, re-run the failed elements (administrators)."""
        return platform().instances.retry(instance_id, body["variables"], user=current_actor().name)


@instances.route("/<instance_id>/migrate")
class Migrate(MethodView):
    @instances.arguments(MigrateSchema)
    @instances.response(200, ProcessInstanceSchema)
    @instances.alt_response(403, schema=ApiErrorSchema)
    @instances.alt_response(404, schema=ApiErrorSchema)
    @instances.alt_response(409, schema=ApiErrorSchema, description="refused: names the element that no longer exists")
    def post(self, body, instance_id):
        """Move an active instance to another version of its process (administrators; audited)."""
        return platform().instance_admin.migrate(instance_id, body["version"], user=current_actor().name)


@instances.route("/<instance_id>/variables")
class InstanceVariables(MethodView):
    @instances.arguments(VariablesChangeSchema)
    @instances.response(200, ProcessInstanceSchema)
    @instances.alt_response(403, schema=ApiErrorSchema)
    @instances.alt_response(404, schema=ApiErrorSchema)
    @instances.alt_response(409, schema=ApiErrorSchema, description="the instance is not active")
    @instances.alt_response(422, schema=ApiErrorSchema, description="invalid names or values, each named")
    def patch(self, body, instance_id):
        """Set and delete variables of an active instance (administrators; old and new values audited)."""
        return platform().instance_admin.set_variables(instance_id, body["set"], body["remove"],
                                                       user=current_actor().name)


@instances.route("/<instance_id>/incidents")
class Incidents(MethodView):
    @instances.response(200, IncidentSchema(many=True))
    @instances.alt_response(404, schema=ApiErrorSchema)
    def get(self, instance_id):
        """The instance's incidents, open and resolved."""
        return platform().instances.incidents(instance_id, user=current_actor().name)


Suspend = _operation("suspend", "Suspend an instance: its tasks cannot be claimed or completed (administrators).")
Resume = _operation("resume", "Resume a suspended instance (administrators).")
Cancel = _operation("cancel", "Cancel an instance and its open tasks (the starter or an administrator).")
