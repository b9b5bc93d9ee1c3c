"""Starting processes (a catalogue from plugin menus, with start forms) and "My requests"."""

from __future__ import annotations

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from marshmallow import Schema, fields, validate

from ..services.errors import ValidationError
from .form_data import submitted
from .forms_input import load_form
from .session import _, platform, signed_in

processes = Blueprint("processes", __name__)
STATES = ("", "running", "waiting", "completed", "terminated", "failed")


class RequestArgs(Schema):
    state = fields.String(load_default="", validate=validate.OneOf(STATES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


@processes.get("/start")
@signed_in
def catalogue():
    return render_template("processes/catalogue.html", entries=platform().starts.catalogue(g.actor.name, g.locale))


@processes.get("/start/<key>")
@signed_in
def start(key: str):
    entry, form = platform().starts.startable(key, g.actor.name, g.locale)
    return render_template("processes/start.html", entry=entry, form=form, values=None, errors={},
                           references={})


@processes.post("/start/<key>")
@signed_in
def start_submit(key: str):
    weft = platform()
    entry, form = weft.starts.startable(key, g.actor.name, g.locale)
    data, raw, problems = submitted(form) if form is not None else ({}, {}, {})
    try:
        if problems:
            raise ValidationError(problems)
        instance = weft.starts.start(key, data, g.actor.name)
    except ValidationError as exc:
        return render_template("processes/start.html", entry=entry, form=form, values=raw, errors=exc.errors,
                               references={}), 422
    flash(_("Started: {name}.", name=entry.name), "success")
    return redirect(url_for("instances.instance_page", instance_id=instance.id))


@processes.post("/start/<key>/conditions")
@signed_in
def start_conditions(key: str):
    weft = platform()
    _entry, form = weft.starts.startable(key, g.actor.name, g.locale)
    data, _raw, _problems = submitted(form) if form is not None else ({}, {}, {})
    return jsonify(weft.starts.conditions(key, data, g.actor.name))


@processes.get("/requests")
@signed_in
def my_requests():
    args, errors = load_form(RequestArgs(), request.args)
    args = args or {"state": "", "page": 1}
    per_page = 25
    found, total = platform().instances.instances(state=args["state"] or None, started_by=g.actor.name,
                                                  page=args["page"], per_page=per_page, user=g.actor.name)
    names = {d.key: d.name for d in platform().process_definitions()}
    return render_template("processes/requests.html", instances=found, total=total, names=names,
                           page=args["page"], pages=max(1, (total + per_page - 1) // per_page), states=STATES)
