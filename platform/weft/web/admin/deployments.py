"""Processes and their versions (with what changed between two), deployments and uploads."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from marshmallow import Schema, fields, validate

from ...engine import DeploymentError
from ...packages.archive import MAX_ARCHIVE_BYTES
from ..forms_input import load_form
from ..session import _, admin_only, platform
from .blueprint import REFUSALS, admin, describe, refusal, refuse

PER_PAGE = 25


class DiffArgs(Schema):
    old = fields.Integer(required=True, validate=validate.Range(min=1))
    new = fields.Integer(required=True, validate=validate.Range(min=1))


class UploadForm(Schema):
    dry_run = fields.Boolean(load_default=False)
    force = fields.String(load_default="", validate=validate.Length(max=1000))


@admin.get("/processes")
@admin_only
def processes():
    return render_template("admin/processes.html", processes=platform().versions.processes(g.actor.name))


@admin.get("/processes/<key>")
@admin_only
def process(key: str):
    name, versions = platform().versions.versions(key, g.actor.name)
    return render_template("admin/process.html", key=key, name=name, versions=versions)


@admin.get("/processes/<key>/diff")
@admin_only
def diff(key: str):
    args, errors = load_form(DiffArgs(), request.args)
    if errors:
        flash(_("Not done: {reason}", reason=describe(errors)), "warning")
        return redirect(url_for("admin.process", key=key))
    try:
        changes = platform().versions.diff(key, args["old"], args["new"], g.actor.name)
    except REFUSALS as exc:
        flash(_("Not done: {reason}", reason=refusal(exc)), "warning")
        return redirect(url_for("admin.process", key=key))
    return render_template("admin/diff.html", diff=changes)


@admin.get("/deployments")
@admin_only
def deployments():
    return _deployments_page()


def _deployments_page(errors=None, problems=None, result=None, status: int = 200):
    page = max(1, request.args.get("page", 1, type=int) or 1)
    found, total = platform().versions.deployments(page, PER_PAGE, g.actor.name)
    return render_template("admin/deployments.html", deployments=found, page=page, errors=errors or {},
                           problems=problems or [], result=result,
                           pages=max(1, (total + PER_PAGE - 1) // PER_PAGE)), status


@admin.post("/deployments")
@admin_only
def deploy():
    values, errors = load_form(UploadForm())
    files = [(f.filename or "upload.bpmn", f.read(MAX_ARCHIVE_BYTES + 1)) for f in request.files.getlist("file")
             if f.filename]
    if errors:
        return _deployments_page(errors, status=422)
    if not files:
        return refuse({"file": [_("choose the files to deploy")]}, url_for("admin.deployments"))
    force = [part.strip() for part in values["force"].split(",") if part.strip()]
    try:
        result = platform().uploads.deploy(files, g.actor.name, force=force, dry_run=values["dry_run"])
    except DeploymentError as exc:
        return _deployments_page(problems=exc.problems, status=422)
    except REFUSALS as exc:
        return _deployments_page(getattr(exc, "errors", None) or {"file": [str(exc)]}, status=422)
    return _deployments_page(result=result)
