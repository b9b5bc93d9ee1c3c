"""``/api/v1/tasks``."""

from __future__ import annotations

import dataclasses

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from ..services.errors import ValidationError
from .auth import current_actor
from .context import paged, platform
from .schemas import (
    ApiErrorSchema,
    AssignSchema,
    CompleteSchema,
    ProcessInstanceSchema,
    TaskDetailSchema,
    TaskQuerySchema,
    TaskSchema,
)

tasks = Blueprint("tasks", __name__, url_prefix="/api/v1/tasks", description="User tasks: the inbox")


@tasks.route("")
class Tasks(MethodView):
    @tasks.arguments(TaskQuerySchema, location="query", unknown=ma.INCLUDE)
    @tasks.response(200, TaskSchema(many=True), headers={"X-Total-Count": {"schema": {"type": "integer"}}})
    @tasks.alt_response(422, schema=ApiErrorSchema, description="unknown argument, or a field no record has")
    def get(self, args):
        """Tasks you may work on. ``scope``: ``mine`` (assigned to you), ``group`` (claimable by
        you or your groups), ``all`` (both; everything for administrators). ``field.<name>`` and
        ``field.<name>__<op>`` (``eq ne gt gte lt lte in contains``) filter by the fields of the
        record each task's form works on: ``?field.amount__gt=10000&field.status=open``."""
        filters = {key: str(args.pop(key)) for key in [k for k in args if k.startswith("field.")]}
        unknown = sorted(k for k in args if k not in TaskQuerySchema().fields)
        if unknown:
            raise ValidationError({key: ["Unknown field."] for key in unknown}, "invalid query arguments")
        page = platform().human_tasks.tasks(
            user=current_actor().name, scope=args["scope"], process_key=args.get("process_key"),
            text=args.get("q"), due_before=args.get("due_before"), sort=args["sort"],
            instance_id=args.get("instance_id"), open=args["state"] == "open", page=args["page"],
            per_page=args["per_page"], record_filters={k[len("field."):]: v for k, v in filters.items()})
        return paged(TaskSchema(many=True).dump(page.tasks), page.total)


@tasks.route("/<task_id>")
class TaskItem(MethodView):
    @tasks.response(200, TaskDetailSchema)
    @tasks.alt_response(404, schema=ApiErrorSchema)
    def get(self, task_id):
        """A task with its form key, its form to draw (``form_definition``: sections and fields
        with their current values) and the current values of its instance."""
        weft = platform()
        task = weft.human_tasks.task(task_id, user=current_actor().name)
        values = weft.instances.instance(task.instance_id).variables
        form = weft.human_tasks.task_form(task_id, current_actor().name, weft.settings.locale)
        return {**dataclasses.asdict(task), "values": values, "form_view": form}


@tasks.route("/<task_id>/claim")
class Claim(MethodView):
    @tasks.response(200, TaskSchema)
    @tasks.alt_response(409, schema=ApiErrorSchema, description="claimed by someone else, or already completed")
    def post(self, task_id):
        """Claim a task you are a candidate for."""
        return platform().human_tasks.claim(task_id, current_actor().name)


@tasks.route("/<task_id>/unclaim")
class Unclaim(MethodView):
    @tasks.response(200, TaskSchema)
    @tasks.alt_response(409, schema=ApiErrorSchema)
    def post(self, task_id):
        """Give a claimed task back to its candidates."""
        return platform().human_tasks.unclaim(task_id, current_actor().name)


@tasks.route("/<task_id>/assign")
class Assign(MethodView):
    @tasks.arguments(AssignSchema)
    @tasks.response(200, TaskSchema)
    @tasks.alt_response(409, schema=ApiErrorSchema)
    @tasks.alt_response(422, schema=ApiErrorSchema, description="unknown user")
    def post(self, body, task_id):
        """Delegate a task to a colleague (``user: null`` releases it)."""
        return platform().human_tasks.assign(task_id, body["user"], by=current_actor().name)


@tasks.route("/<task_id>/complete")
class Complete(MethodView):
    @tasks.arguments(CompleteSchema)
    @tasks.response(200, ProcessInstanceSchema)
    @tasks.alt_response(409, schema=ApiErrorSchema, description="already completed, or claimed by someone else")
    @tasks.alt_response(422, schema=ApiErrorSchema, description="invalid data (errors per field)")
    def post(self, body, task_id):
        """Complete a task with ``data``; the instance runs on to its next wait state. The
        response's ``history`` lists what this completion executed."""
        return platform().human_tasks.complete(task_id, body["data"], user=current_actor().name)
