"""``/api/v1/audit`` and ``/api/v1/jobs`` (administrators)."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from ..persistence.audit import AuditFilter
from .admin_schemas import AuditEntrySchema, AuditQuerySchema, JobQuerySchema, JobSchema
from .auth import current_actor
from .context import paged, platform
from .schemas import ApiErrorSchema

audit = Blueprint("audit", __name__, url_prefix="/api/v1/audit", description="The audit log (administrators)")
jobs = Blueprint("jobs", __name__, url_prefix="/api/v1/jobs", description="Timers and jobs (administrators)")


@audit.route("")
class AuditLog(MethodView):
    @audit.arguments(AuditQuerySchema, location="query", unknown=ma.RAISE)
    @audit.response(200, AuditEntrySchema(many=True), headers={"X-Total-Count": {"schema": {"type": "integer"}}})
    @audit.alt_response(403, schema=ApiErrorSchema)
    def get(self, args):
        """Administrative actions, newest first: who did what, when, to what."""
        page, per_page = args.pop("page"), args.pop("per_page")
        found, total = platform().audit.entries(AuditFilter(**args), page, per_page, current_actor().name)
        return paged(AuditEntrySchema(many=True).dump(found), total)


@jobs.route("")
class Jobs(MethodView):
    @jobs.arguments(JobQuerySchema, location="query", unknown=ma.RAISE)
    @jobs.response(200, JobSchema(many=True), headers={"X-Total-Count": {"schema": {"type": "integer"}}})
    @jobs.alt_response(403, schema=ApiErrorSchema)
    def get(self, args):
        """Waiting timers and jobs by due time (``failing``: only those whose last attempt failed)."""
        overview = platform().job_admin.overview(args.get("kind"), args["failing"], args["page"], args["per_page"],
                                                 current_actor().name)
        return paged(JobSchema(many=True).dump(overview.jobs), overview.total)


@jobs.route("/<int:job_id>/run")
class RunJob(MethodView):
    @jobs.response(204)
    @jobs.alt_response(403, schema=ApiErrorSchema)
    @jobs.alt_response(404, schema=ApiErrorSchema, description="no such job (it may have run meanwhile)")
    def post(self, job_id):
        """Make a waiting job due now."""
        platform().job_admin.run_now(job_id, current_actor().name)
