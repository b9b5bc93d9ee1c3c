"""Analysts' dry runs in the browser: pick a scenario file, edit it, simulate it in a throw-away
database and see the path it took on the diagram (nothing is saved, nothing is deployed)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from marshmallow import Schema, fields, validate

from ..scenarios.simulation import ScenarioCatalogue
from .forms_input import load_form
from .session import analyst_only, platform

scenarios = Blueprint("scenarios", __name__, url_prefix="/scenarios")


class SimulateForm(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=200_000))


def _catalogue() -> ScenarioCatalogue:
    return ScenarioCatalogue(platform().settings.project_root)


@scenarios.get("")
@analyst_only
def index():
    return render_template("scenarios/index.html", files=_catalogue().files())


@scenarios.get("/diagram/<path:file>")
@analyst_only
def diagram(file: str):
    """The BPMN of the process a scenario file runs (drawn under the simulated path)."""
    xml = _catalogue().diagram(file)
    if xml is None:
        abort(404)
    return Response(xml, mimetype="application/xml")


@scenarios.get("/<path:file>")
@analyst_only
def scenario(file: str):
    text = _catalogue().text(file)
    if text is None:
        abort(404)
    return render_template("scenarios/page.html", file=file, text=text, simulation=None, errors={})


@scenarios.post("/<path:file>")
@analyst_only
def simulate(file: str):
    values, errors = load_form(SimulateForm())
    text = values.get("text") or request.form.get("text", "")
    simulation = None if errors else _catalogue().simulate(file, text)
    if not errors and simulation is None:
        abort(404)
    return render_template("scenarios/page.html", file=file, text=text, simulation=simulation, errors=errors)
