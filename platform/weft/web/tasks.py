"""The task page: the form to fill, the record it works on, the instance's diagram, history,
comments and files; claiming, releasing, delegating and completing."""

from __future__ import annotations

from flask import Blueprint, flash, g, jsonify, make_response, redirect, render_template, request, url_for
from marshmallow import Schema, fields, validate

from ..forms.rendering import render_entity
from ..services.errors import NotAllowed, NotFound, TaskClaimed, TaskGone, ValidationError
from ..services.human_task import Task
from ..services.record_values import json_value
from .form_data import submitted
from .forms_input import load_form
from .session import _, platform, signed_in

tasks = Blueprint("task_pages", __name__)


class AssignForm(Schema):
    user = fields.String(load_default="", validate=validate.Length(max=150))


class CommentForm(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))


@tasks.get("/tasks/<task_id>")
@signed_in
def task_page(task_id: str):
    return render_task(task_id)


def render_task(task_id: str, values: dict | None = None, errors: dict | None = None, status: int = 200):
    weft = platform()
    task = weft.human_tasks.task(task_id, user=g.actor.name)
    form = weft.human_tasks.task_form(task_id, g.actor.name, g.locale) if task.state == "open" else None
    view = weft.instance_views.view(task.instance_id, g.actor.name)
    record = _bound_record(form, view.instance.variables)
    return render_template(
        "tasks/page.html", task=task, form=form, values=values, errors=errors or {}, view=view, record=record,
        comments=weft.collaboration.comments(task.instance_id, g.actor.name),
        files=weft.collaboration.files(task.instance_id, g.actor.name),
        users=_colleagues(task), mine=task.assignee == g.actor.name,
        references=_reference_titles(form, values)), status


@tasks.post("/tasks/<task_id>/claim")
@signed_in
def claim(task_id: str):
    return _changed(task_id, lambda: platform().human_tasks.claim(task_id, g.actor.name), _("Task claimed."))


@tasks.post("/tasks/<task_id>/unclaim")
@signed_in
def unclaim(task_id: str):
    return _changed(task_id, lambda: platform().human_tasks.unclaim(task_id, g.actor.name), _("Task released."))


@tasks.post("/tasks/<task_id>/assign")
@signed_in
def assign(task_id: str):
    values, errors = load_form(AssignForm())
    user = (values.get("user") or "").strip() or None
    return _changed(task_id, lambda: platform().human_tasks.assign(task_id, user, by=g.actor.name),
                    _("Task assigned to {user}.", user=user) if user else _("Task released."))


@tasks.post("/tasks/<task_id>/complete")
@signed_in
def complete(task_id: str):
    weft = platform()
    form = weft.human_tasks.task_form(task_id, g.actor.name, g.locale)
    data, raw, problems = submitted(form) if form is not None else ({}, {}, {})
    if problems:
        return render_task(task_id, raw, problems, 422)
    try:
        weft.complete(task_id, data, user=g.actor.name)
    except ValidationError as exc:
        return render_task(task_id, raw, exc.errors, 422)
    except TaskGone:
        flash(_("This task was completed meanwhile."), "warning")
        return redirect(url_for("inbox.inbox"))
    flash(_("Task completed."), "success")
    return redirect(url_for("inbox.inbox"))


@tasks.post("/tasks/<task_id>/conditions")
@signed_in
def conditions(task_id: str):
    """Visibility and required flags of the form's fields for what is typed so far."""
    weft = platform()
    form = weft.human_tasks.task_form(task_id, g.actor.name, g.locale)
    if form is None:
        return jsonify({"sections": [], "fields": {}})
    data, _raw, _problems = submitted(form)
    return jsonify(weft.human_tasks.form_conditions(task_id, data, g.actor.name))


@tasks.post("/tasks/<task_id>/comments")
@signed_in
def comment(task_id: str):
    weft = platform()
    task = weft.human_tasks.task(task_id, user=g.actor.name)
    values, errors = load_form(CommentForm())
    if not errors:
        weft.collaboration.add_comment(task.instance_id, g.actor.name, values["text"], task_id=task.id)
    if request.headers.get("HX-Request"):
        return render_template("tasks/_comments.html", task=task, errors=errors,
                               comments=weft.collaboration.comments(task.instance_id, g.actor.name)), \
            (422 if errors else 200)
    return redirect(url_for("task_pages.task_page", task_id=task_id) + "#comments")


@tasks.post("/tasks/<task_id>/files")
@signed_in
def upload(task_id: str):
    weft = platform()
    task = weft.human_tasks.task(task_id, user=g.actor.name)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file first."), "warning")
    else:
        try:
            weft.collaboration.add_file(task.instance_id, g.actor.name, upload.filename, upload.mimetype,
                                        upload.read(), task_id=task.id)
            flash(_("File attached."), "success")
        except ValidationError as exc:
            flash("; ".join(m for messages in exc.errors.values() for m in messages), "warning")
    return redirect(url_for("task_pages.task_page", task_id=task_id) + "#files")


def _changed(task_id: str, action, message: str):
    """Claim/release/assign: a fresh inbox row for htmx, else back to the task page."""
    try:
        task: Task = action()
    except (TaskClaimed, TaskGone) as exc:
        if request.headers.get("HX-Request"):
            return make_response(render_template("_error_fragment.html", status=409, title=_("Not possible"),
                                                 message=str(exc)), 200)
        flash(str(exc), "warning")
        return redirect(url_for("task_pages.task_page", task_id=task_id))
    if request.form.get("part") == "row" and request.headers.get("HX-Request"):
        return render_template("inbox/_row.html", row=platform().inbox.row(g.actor.name, task.id, g.locale))
    flash(message, "success")
    return redirect(url_for("task_pages.task_page", task_id=task_id))


def _colleagues(task: Task) -> list[str]:
    """Names offered when delegating: the task's candidates (administrators: everybody)."""
    accounts = platform().accounts
    if g.actor.is_admin:
        return [u.name for u in accounts.users() if u.is_active]
    return accounts.colleagues(task.candidate_groups, task.candidate_users)


def _bound_record(form: dict | None, variables: dict):
    """The record the form works on, as fields to show, when the user may read it."""
    if not form or not form.get("record"):
        return None
    record_id = variables.get(form["record"]["id_variable"])
    if not isinstance(record_id, int):
        return None
    entity = form["record"]["entity"]
    records = platform().records
    try:
        values = records.get(entity, record_id, user=g.actor.name)
    except (NotAllowed, NotFound):
        return None
    definition = records.catalog().get(entity)
    fields = render_entity(definition, records.catalog(), g.locale, json_value(values))["sections"][0]["fields"]
    on_form = {f["name"] for s in form["sections"] for f in s["fields"] if f["source"] == "record"}
    titles = {}
    for field in fields:
        if field["type"] == "reference" and isinstance(field["value"], int):
            titles[field["name"]] = records.titles(field["reference"]["entity"], [field["value"]],
                                                   g.actor.name).get(field["value"])
    return {"entity": entity, "id": record_id, "number": values.get("number"), "references": titles,
            "fields": [f for f in fields if f["name"] not in on_form]}


def _reference_titles(form: dict | None, values: dict | None) -> dict:
    """Titles of the records reference fields hold (what the lookup inputs show)."""
    if not form:
        return {}
    titles = {}
    records = platform().records
    for section in form["sections"]:
        for field in section["fields"]:
            if field["type"] == "table":
                titles.update(_row_reference_titles(field, (values or {}).get(field["name"], field.get("value"))))
            if field["type"] != "reference":
                continue
            value = (values or {}).get(field["name"], field.get("value"))
            try:
                record_id = int(value)
            except (TypeError, ValueError):
                continue
            titles[field["name"]] = records.titles(field["reference"]["entity"], [record_id],
                                                   g.actor.name).get(record_id, f"#{record_id}")
    return titles


def _row_reference_titles(field: dict, rows) -> dict:
    """Titles of the records the rows of a child table refer to, keyed ``(entity, id)`` (the
    read-only cells of an order's lines show the item's name, not ``#12``)."""
    found: dict = {}
    if not isinstance(rows, list):
        return found
    for column in field.get("columns") or []:
        if column.get("type") != "reference" or not column.get("reference"):
            continue
        entity = column["reference"]["entity"]
        ids = []
        for row in rows:
            try:
                ids.append(int(row.get(column["name"])))
            except (AttributeError, TypeError, ValueError):
                continue
        titles = platform().records.titles(entity, ids, g.actor.name) if ids else {}
        found.update({(entity, record_id): title for record_id, title in titles.items()})
    return found
