"""Records pages generated from entity definitions: lists with filters, sorting and paging;
details with child rows, references as links and the change history; create, edit, delete —
each as the entity's permissions allow."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from ..downloads import attachment_response
from ..forms.rendering import render_entity
from ..services.errors import Conflict, ValidationError
from ..services.record_values import json_value
from .form_data import submitted
from .inbox import OPERATORS
from .session import _, platform, signed_in

records = Blueprint("records", __name__)
PER_PAGE = 25


@records.get("/records")
@signed_in
def index():
    return render_template("records/index.html", entities=platform().records.entities(g.actor.name))


@records.get("/records/<entity>")
@signed_in
def list_page(entity: str):
    weft = platform()
    definition, actions = _entity(entity)
    filters = _filters()
    sort = request.args.get("sort") or "-id"
    page = min(max(1, request.args.get("page", 1, type=int) or 1), 100_000)
    errors = {}
    try:
        found = weft.records.search(entity, filters, sort, page, PER_PAGE, user=g.actor.name,
                                    text=request.args.get("q") or None)
    except ValidationError as exc:
        errors, found = exc.errors, None
    references = _titles(definition, found.records if found else [])
    return render_template("records/list.html", entity=definition, actions=actions, found=found, errors=errors,
                           filters=filters, sort=sort, page=page, per_page=PER_PAGE, references=references,
                           operators=OPERATORS, columns=_list_columns(definition)), (422 if errors else 200)


@records.route("/records/<entity>/new", methods=["GET", "POST"])
@signed_in
def new(entity: str):
    weft = platform()
    definition, actions = _entity(entity)
    if "create" not in actions:
        abort(403)
    form = _form(definition, {})
    if request.method == "GET":
        return render_template("records/edit.html", entity=definition, form=form, record=None, values=None,
                               errors={}, references={})
    data, raw, problems = submitted(form)
    try:
        if problems:
            raise ValidationError(problems)
        created = weft.records.create(entity, data, user=g.actor.name)
    except ValidationError as exc:
        return render_template("records/edit.html", entity=definition, form=form, record=None, values=raw,
                               errors=exc.errors, references={}), 422
    flash(_("Saved."), "success")
    return redirect(url_for("records.record_page", entity=entity, record_id=created["id"]))


@records.get("/records/<entity>/<int:record_id>")
@signed_in
def record_page(entity: str, record_id: int):
    weft = platform()
    definition, actions = _entity(entity)
    record = weft.records.get(entity, record_id, user=g.actor.name)
    history = weft.records.history(entity, record_id, user=g.actor.name)
    return render_template("records/detail.html", entity=definition, actions=actions, record=record,
                           history=history, references=_titles(definition, [record]),
                           children=_children(definition))


@records.route("/records/<entity>/<int:record_id>/edit", methods=["GET", "POST"])
@signed_in
def edit(entity: str, record_id: int):
    weft = platform()
    definition, actions = _entity(entity)
    if "update" not in actions:
        abort(403)
    record = weft.records.get(entity, record_id, user=g.actor.name)
    form = _form(definition, json_value(record))
    if request.method == "GET":
        return render_template("records/edit.html", entity=definition, form=form, record=record, values=None,
                               errors={}, references=_titles(definition, [record]))
    data, raw, problems = submitted(form)
    version = request.form.get("version", type=int)
    try:
        if problems:
            raise ValidationError(problems)
        weft.records.update(entity, record_id, data, user=g.actor.name, version=version)
    except ValidationError as exc:
        return render_template("records/edit.html", entity=definition, form=form, record=record, values=raw,
                               errors=exc.errors, references=_titles(definition, [record])), 422
    except Conflict as exc:
        flash(_("Someone changed this record meanwhile; your changes were not saved.") + f" ({exc})", "warning")
        return redirect(url_for("records.edit", entity=entity, record_id=record_id))
    flash(_("Saved."), "success")
    return redirect(url_for("records.record_page", entity=entity, record_id=record_id))


@records.post("/records/<entity>/<int:record_id>/delete")
@signed_in
def delete(entity: str, record_id: int):
    try:
        platform().records.delete(entity, record_id, user=g.actor.name,
                                  version=request.form.get("version", type=int))
    except Conflict as exc:
        flash(str(exc), "warning")
        return redirect(url_for("records.record_page", entity=entity, record_id=record_id))
    flash(_("Deleted."), "success")
    return redirect(url_for("records.list_page", entity=entity))


@records.get("/records/<entity>/<int:record_id>/files/<field>")
@signed_in
def download(entity: str, record_id: int, field: str):
    name, content_type, content = platform().records.attachment(entity, record_id, field, user=g.actor.name)
    return attachment_response(name, content_type, content)


@records.get("/records/<entity>/<int:record_id>/rows/<table>/<int:row_id>/files/<field>")
@signed_in
def row_download(entity: str, record_id: int, table: str, row_id: int, field: str):
    name, content_type, content = platform().records.attachment(entity, record_id, field, user=g.actor.name,
                                                               table=table, row_id=row_id)
    return attachment_response(name, content_type, content)


@records.get("/lookup/<entity>")
@signed_in
def lookup(entity: str):
    """Options for a reference field, as the user types."""
    text = request.args.get("q", "")[:100]
    options = platform().records.lookup(entity, text, user=g.actor.name, limit=10)
    return render_template("records/_lookup.html", options=options, target=request.args.get("target", ""))


def _entity(name: str):
    for definition, actions in platform().records.entities(g.actor.name):
        if definition.name == name:
            return definition, actions
    abort(404)


def _form(definition, values: dict) -> dict:
    return render_entity(definition, _catalog(), g.locale, values)


def _catalog():
    return platform().records.catalog()


def _children(definition) -> dict:
    catalog = _catalog()
    return {table.name: child for table, child in catalog.children(definition)}


def _list_columns(definition) -> list:
    shown = [f for f in definition.columns if f.type not in ("json", "text", "file")]
    if definition.title:
        shown.sort(key=lambda f: f.name != definition.title)
    return shown[:7]


def _titles(definition, rows: list[dict]) -> dict[tuple[str, int], str]:
    """Titles of referenced records, by (entity, id), for links."""
    records = platform().records
    wanted: dict[str, set[int]] = {}
    for item in definition.columns:
        if item.type == "reference" and item.to:
            wanted.setdefault(item.to, set()).update(r[item.name] for r in rows if isinstance(r.get(item.name), int))
    titles: dict = {}
    for entity, ids in wanted.items():
        for record_id, title in records.titles(entity, sorted(ids), g.actor.name).items():
            titles[(entity, record_id)] = title
    if len(rows) == 1:              # one record's form: its reference fields by name too
        for item in definition.columns:
            if item.type == "reference" and (item.to, rows[0].get(item.name)) in titles:
                titles[item.name] = titles[(item.to, rows[0][item.name])]
    return titles


def _filters() -> dict[str, str]:
    found = {}
    for name, operator, value in zip(request.args.getlist("rf_field"), request.args.getlist("rf_op"),
                                     request.args.getlist("rf_value"), strict=False):
        if name and value != "" and operator in OPERATORS:
            found[name if operator == "eq" else f"{name}__{operator}"] = value
    return found
