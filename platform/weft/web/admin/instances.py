"""Instances for administrators: search by every criterion, and one instance's operations —
suspend, resume, cancel, retry an incident, edit variables, migrate to another version."""

from __future__ import annotations

import datetime as dt
import json

import marshmallow as ma
from flask import flash, g, redirect, render_template, request, url_for
from marshmallow import Schema, fields, validate

from ...services.instance_query import STATES, InstanceQuery
from ..forms_input import load_form
from ..session import _, admin_only, platform
from .blueprint import REFUSALS, act, admin, refusal, refuse

PER_PAGE = 25


class JsonObject(fields.String):
    """A JSON object typed into a text area ("" means none)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            return None
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise ma.ValidationError(f"not valid JSON: {exc}") from None
        if not isinstance(parsed, dict):
            raise ma.ValidationError("must be a JSON object: {\"name\": value, …}")
        return parsed


class SearchArgs(Schema):
    process_key = fields.String(load_default="", validate=validate.Length(max=255))
    version = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    state = fields.String(load_default="", validate=validate.OneOf(
        ["", "suspended", *STATES], error=f"one of {', '.join([*STATES, 'suspended'])}"))
    business_key = fields.String(load_default="", validate=validate.Length(max=255))
    started_by = fields.String(load_default="", validate=validate.Length(max=150))
    started_from = fields.Date(load_default=None, allow_none=True)
    started_to = fields.Date(load_default=None, allow_none=True)
    variable = fields.String(load_default="", validate=validate.Length(max=200))
    value = fields.String(load_default="", validate=validate.Length(max=1000))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))

    @ma.pre_load
    def blanks_are_missing(self, data, **kwargs):
        return {key: value for key, value in data.items() if value != "" or key not in
                ("version", "started_from", "started_to")}


class RetryForm(Schema):
    variables = JsonObject(load_default=None, allow_none=True)


class VariablesForm(Schema):
    variables = JsonObject(load_default=None, allow_none=True)
    revision = fields.Integer(load_default=None, allow_none=True)


class MigrateForm(Schema):
    version = fields.Integer(required=True, validate=validate.Range(min=1))


@admin.get("/")
@admin_only
def home():
    return redirect(url_for("admin.instances"))


@admin.get("/instances")
@admin_only
def instances():
    args, errors = load_form(SearchArgs(), request.args)
    found, total = [], 0
    if not errors:
        try:
            found, total = platform().instances.instances(query=_query(args), page=args["page"], per_page=PER_PAGE,
                                                          user=g.actor.name)
        except REFUSALS as exc:
            errors = getattr(exc, "errors", None) or {"_schema": [str(exc)]}
    page = args.get("page", 1)
    return render_template("admin/instances.html", instances=found, total=total, errors=errors, page=page,
                           pages=max(1, (total + PER_PAGE - 1) // PER_PAGE), states=STATES,
                           processes=platform().process_definitions()), 422 if errors else 200


def _query(args) -> InstanceQuery:
    """Dates are whole days (UTC): from the start of the first to the end of the last."""
    def moment(day):
        return dt.datetime.combine(day, dt.time(), dt.UTC) if day else None
    state = args["state"]
    return InstanceQuery(args["process_key"], args["version"], None if state in ("", "suspended") else state,
                         True if state == "suspended" else None, args["business_key"], args["started_by"],
                         moment(args["started_from"]),
                         moment(args["started_to"] + dt.timedelta(days=1)) if args["started_to"] else None,
                         args["variable"] or None, args["value"] or None)


@admin.get("/instances/<instance_id>")
@admin_only
def instance(instance_id: str):
    return _detail(instance_id)


def _detail(instance_id: str, errors=None, form=None, status: int = 200):
    detail = platform().instance_admin.detail(instance_id, g.actor.name)
    variables_text = (form or {}).get("variables") or json.dumps(detail.variables_json, indent=2, sort_keys=True,
                                                                 ensure_ascii=False)
    return render_template("admin/instance.html", detail=detail, view=detail.view, errors=errors or {},
                           variables_text=variables_text, retry_text=(form or {}).get("retry_variables", "")), status


def _back(instance_id: str) -> str:
    return url_for("admin.instance", instance_id=instance_id)


@admin.post("/instances/<instance_id>/<any(suspend, resume, cancel):operation>")
@admin_only
def operate(instance_id: str, operation: str):
    done = {"suspend": _("Instance suspended."), "resume": _("Instance resumed."), "cancel": _("Instance cancelled.")}
    return act(lambda: getattr(platform().instances, operation)(instance_id, user=g.actor.name), done[operation],
               _back(instance_id))


@admin.post("/instances/<instance_id>/retry")
@admin_only
def retry(instance_id: str):
    values, errors = load_form(RetryForm())
    if errors:
        return _detail(instance_id, {"retry_variables": errors["variables"]},
                       {"retry_variables": request.form.get("variables", "")}, 422)
    return act(lambda: platform().instances.retry(instance_id, values["variables"], user=g.actor.name),
               _("Incident retried."), _back(instance_id))


@admin.post("/instances/<instance_id>/variables")
@admin_only
def edit_variables(instance_id: str):
    values, errors = load_form(VariablesForm())
    if not errors and not values["variables"]:
        flash(_("Nothing to change."), "info")
        return redirect(_back(instance_id))
    if not errors:
        try:
            platform().instance_admin.replace_variables(instance_id, values["variables"], values["revision"],
                                                        user=g.actor.name)
            flash(_("Variables saved."), "success")
            return redirect(_back(instance_id))
        except REFUSALS as exc:
            errors = {"variables": [refusal(exc)]}
    return _detail(instance_id, errors, {"variables": request.form.get("variables", "")}, 422)


@admin.post("/instances/<instance_id>/migrate")
@admin_only
def migrate(instance_id: str):
    values, errors = load_form(MigrateForm())
    if errors:
        return refuse(errors, _back(instance_id))
    return act(lambda: platform().instance_admin.migrate(instance_id, values["version"], user=g.actor.name),
               _("Instance migrated to version {version}.", version=values["version"]), _back(instance_id))
