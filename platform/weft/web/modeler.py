"""The analyst's modeler: pages under /modeler and the JSON endpoints its script calls
(validate, save a draft, discard it, deploy). Analysts and administrators only (the service checks)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Blueprint, Response, abort, g, jsonify, render_template, request
from marshmallow import Schema, fields, validate

from ..api.errors import error_response, json_error
from ..engine import Problem
from ..engine.xml_safety import MAX_XML_BYTES
from ..errors import WeftError
from ..services.deployment import Deployment
from ..services.modeler import DraftInfo
from .forms_input import load_form
from .modeler_texts import browser_texts
from .session import platform, signed_in

modeler = Blueprint("modeler", __name__, url_prefix="/modeler")


class VersionArgs(Schema):
    version = fields.Integer(load_default=None, validate=validate.Range(min=1))


class DiagramInput(Schema):
    xml = fields.String(required=True, validate=validate.Length(min=1, max=MAX_XML_BYTES))
    key = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=255))
    # The draft version the editor holds (None: it holds no draft).
    version = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))


class DiscardInput(Schema):
    version = fields.Integer(required=True, validate=validate.Range(min=1))


def json_endpoint(view: Callable) -> Callable:
    """JSON in (validated), JSON out: domain errors become ``{"error": {code, message, details}}``."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except WeftError as exc:
            return json_error(exc)
    return wrapper


def json_input(schema: Schema) -> dict:
    body = request.get_json(silent=True)
    values, errors = load_form(schema, body if isinstance(body, dict) else {})
    if errors:
        summary = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        abort(error_response(422, "invalid", f"invalid request: {summary}", errors))
    return values


def _version_arg() -> int | None:
    args, errors = load_form(VersionArgs(), request.args)
    if errors:
        abort(422, description=f"version: {' '.join(errors['version'])}")
    return args["version"]


@modeler.get("")
@signed_in
def index():
    return render_template("modeler/index.html", entries=platform().modeler.processes(g.actor.name))


@modeler.get("/new")
@signed_in
def new():
    return render_template("modeler/editor.html", diagram=platform().modeler.new_diagram(g.actor.name),
                           texts=browser_texts())


@modeler.get("/<key>")
@signed_in
def editor(key: str):
    diagram = platform().modeler.diagram(key, g.actor.name, _version_arg())
    return render_template("modeler/editor.html", diagram=diagram, texts=browser_texts())


@modeler.get("/<key>/diagram.bpmn")
@signed_in
def download(key: str):
    version = _version_arg()
    diagram = platform().modeler.diagram(key, g.actor.name, version)
    response = Response(diagram.xml, mimetype="application/xml")
    name = f"{key}-v{version}.bpmn" if version else f"{key}{'-draft' if diagram.draft else ''}.bpmn"
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response


@modeler.get("/choices.json")
@signed_in
@json_endpoint
def choices():
    found = platform().modeler.choices(g.actor.name, g.locale)
    return jsonify(forms=[{"key": key, "title": title} for key, title in found.forms],
                   connectors=found.connectors, decisions=found.decisions)


@modeler.post("/validate")
@signed_in
@json_endpoint
def validate_diagram():
    values = json_input(DiagramInput())
    problems = platform().modeler.validate(values["xml"], g.actor.name, values["key"])
    return jsonify(problems=[_problem(p) for p in problems])


@modeler.post("/drafts")
@signed_in
@json_endpoint
def save():
    values = json_input(DiagramInput())
    draft = platform().modeler.save(values["xml"], g.actor.name, values["key"], values["version"])
    return jsonify(draft=_draft(draft))


@modeler.post("/<key>/discard")
@signed_in
@json_endpoint
def discard(key: str):
    platform().modeler.discard(key, g.actor.name, json_input(DiscardInput())["version"])
    return jsonify(discarded=key)


@modeler.post("/deploy")
@signed_in
@json_endpoint
def deploy():
    values = json_input(DiagramInput())
    deployment = platform().modeler.deploy(values["xml"], g.actor.name, values["key"], values["version"])
    return jsonify(deployment=_deployment(deployment))


def _problem(problem: Problem) -> dict:
    return {"file": problem.file, "element": problem.element, "line": problem.line, "message": problem.message}


def _draft(draft: DraftInfo) -> dict:
    return {"key": draft.key, "version": draft.version, "base_version": draft.base_version,
            "saved_by": draft.saved_by, "saved_at": draft.saved_at.isoformat()}


def _deployment(deployment: Deployment) -> dict:
    return {"name": deployment.name, "version": deployment.version, "unchanged": deployment.unchanged,
            "processes": [{"key": p.key, "name": p.name, "version": p.version, "created": p.created}
                          for p in deployment.processes]}
