"""The inbox: my tasks, my groups' tasks, all I may see; filters (also on the bound record's
fields), sorting, paging and saved views, updated in place with htmx."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from marshmallow import Schema, fields, validate

from ..services.errors import ValidationError
from ..services.human_task import SORTS
from ..services.inbox import DUE_WINDOWS, VIEWS, InboxQuery
from .forms_input import load_form
from .session import platform, signed_in

inbox = Blueprint("inbox", __name__)
OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "contains")


class InboxArgs(Schema):
    view = fields.String(load_default="mine", validate=validate.OneOf(VIEWS))
    process = fields.String(load_default="", validate=validate.Length(max=255))
    q = fields.String(load_default="", validate=validate.Length(max=200))
    due = fields.String(load_default="", validate=validate.OneOf(("", *DUE_WINDOWS)))
    sort = fields.String(load_default="due", validate=validate.OneOf(SORTS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=200))


class SaveViewForm(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    query = fields.String(load_default="", validate=validate.Length(max=2000))


def record_filters() -> dict[str, str]:
    """``field.amount__gt=10000`` arguments, and the filter rows of the form (rf_field, rf_op, rf_value)."""
    found = {key[len("field."):]: value for key, value in request.args.items() if key.startswith("field.") and value}
    for name, operator, value in zip(request.args.getlist("rf_field"), request.args.getlist("rf_op"),
                                     request.args.getlist("rf_value"), strict=False):
        if name and value != "" and operator in OPERATORS:
            found[name if operator == "eq" else f"{name}__{operator}"] = value
    return found


def current_page(locale: str):
    args, errors = load_form(InboxArgs(), request.args)
    filters = record_filters()
    if errors:
        return None, errors, filters
    query = InboxQuery(args["view"], args["process"] or None, args["q"] or None, args["due"] or None, filters,
                       args["sort"], args["page"], args["per_page"])
    try:
        return platform().inbox.page(g.actor.name, query, locale), {}, filters
    except ValidationError as exc:
        return None, exc.errors, filters


@inbox.get("/inbox", endpoint="inbox")
@signed_in
def inbox_page():
    page, errors, filters = current_page(g.locale)
    weft = platform()
    return render_template("inbox/page.html", page=page, errors=errors, filters=filters,
                           processes=weft.process_definitions(), fields=weft.inbox.filter_fields(g.actor.name, g.locale),
                           views=weft.inbox.saved_views(g.actor.name), operators=OPERATORS), \
        (422 if errors else 200)



@inbox.get("/inbox/list")
@signed_in
def inbox_list():
    page, errors, filters = current_page(g.locale)
    return render_template("inbox/_list.html", page=page, errors=errors, filters=filters), (422 if errors else 200)


@inbox.post("/inbox/views")
@signed_in
def save_view():
    values, errors = load_form(SaveViewForm())
    if errors:
        return redirect(url_for("inbox.inbox"))
    try:
        platform().inbox.save_view(g.actor.name, values["name"], values["query"])
    except ValidationError as exc:
        flash("; ".join(m for messages in exc.errors.values() for m in messages), "warning")
        return redirect(url_for("inbox.inbox"))
    return redirect(url_for("inbox.inbox") + ("?" + values["query"].lstrip("?") if values["query"] else ""))


@inbox.post("/inbox/views/<int:view_id>/delete")
@signed_in
def delete_view(view_id: int):
    platform().inbox.delete_view(g.actor.name, view_id)
    return redirect(url_for("inbox.inbox"))

