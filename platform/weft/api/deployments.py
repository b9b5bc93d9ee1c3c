"""``/api/v1/deployments`` and ``/api/v1/process-definitions``."""

from __future__ import annotations

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from werkzeug.exceptions import BadRequest

from ..packages.archive import MAX_ARCHIVE_BYTES as MAX_PACKAGE_BYTES
from ..packages.locate import PACKAGE_SUFFIX
from ..services.package_upload import MAX_UPLOAD_FILES
from .admin_schemas import DiffQuerySchema, ElementChangeSchema, VersionSchema
from .auth import current_actor
from .context import paged, platform
from .schemas import (
    ApiErrorSchema,
    DeploymentFormSchema,
    DeploymentSchema,
    DeploymentUploadSchema,
    ModuleSchema,
    PageArgsSchema,
    ProcessDefinitionSchema,
)

deployments = Blueprint("deployments", __name__, url_prefix="/api/v1/deployments",
                        description="Deploy BPMN/DMN files as new process versions")
modules = Blueprint("modules", __name__, url_prefix="/api/v1/modules", description="Deployed modules")
definitions = Blueprint("process_definitions", __name__, url_prefix="/api/v1/process-definitions",
                        description="Deployed processes (latest versions)")


@deployments.route("")
class Deployments(MethodView):
    @deployments.arguments(DeploymentUploadSchema, location="files")
    @deployments.arguments(DeploymentFormSchema, location="form")
    @deployments.response(201, DeploymentSchema)
    @deployments.alt_response(422, schema=ApiErrorSchema, description="the deployment was refused; nothing stored")
    def post(self, _files, form):
        """Deploy uploaded .bpmn/.dmn files (multipart field ``file``, repeatable), or one
        module package (``.weftpkg``: entities, forms and processes; ``dry_run`` and ``force``
        apply to its schema changes)."""
        uploads = request.files.getlist("file")
        if not uploads or len(uploads) > MAX_UPLOAD_FILES:
            raise BadRequest(f"send 1 to {MAX_UPLOAD_FILES} files in the multipart field 'file'")
        files = [(upload.filename or "upload.bpmn", upload.read(MAX_PACKAGE_BYTES + 1)) for upload in uploads]
        force = [part.strip() for part in form["force"].split(",") if part.strip()]
        packaged = any(name.lower().endswith(PACKAGE_SUFFIX) for name, _content in files)
        if packaged and len(files) != 1:
            raise BadRequest("send one .weftpkg per request, without other files")
        return platform().uploads.deploy(files, current_actor().name, form.get("name"), force if packaged else (),
                                         form["dry_run"] and packaged)


@modules.route("")
class Modules(MethodView):
    @modules.response(200, ModuleSchema(many=True))
    def get(self):
        """Deployed modules with their manifest (version, roles, menu)."""
        return platform().modules.modules()


@definitions.route("")
class ProcessDefinitions(MethodView):
    @definitions.arguments(PageArgsSchema, location="query", unknown=ma.RAISE)
    @definitions.response(200, ProcessDefinitionSchema(many=True),
                          headers={"X-Total-Count": {"schema": {"type": "integer"}}})
    def get(self, args):
        """The latest version of every deployed process."""
        everything = platform().process_definitions()
        start = (args["page"] - 1) * args["per_page"]
        return paged(ProcessDefinitionSchema(many=True).dump(everything[start:start + args["per_page"]]),
                     len(everything))


@definitions.route("/<key>/versions")
class Versions(MethodView):
    @definitions.response(200, VersionSchema(many=True))
    @definitions.alt_response(403, schema=ApiErrorSchema)
    @definitions.alt_response(404, schema=ApiErrorSchema)
    def get(self, key):
        """Every version of a process, newest first, with its instances by state (administrators)."""
        return platform().versions.versions(key, current_actor().name)[1]


@definitions.route("/<key>/diff")
class Diff(MethodView):
    @definitions.arguments(DiffQuerySchema, location="query")
    @definitions.response(200, ElementChangeSchema(many=True))
    @definitions.alt_response(403, schema=ApiErrorSchema)
    @definitions.alt_response(404, schema=ApiErrorSchema)
    @definitions.alt_response(422, schema=ApiErrorSchema, description="no such version")
    def get(self, args, key):
        """The elements added, removed and changed from version ``old`` to version ``new`` (administrators)."""
        return platform().versions.diff(key, args["old"], args["new"], current_actor().name).changes
