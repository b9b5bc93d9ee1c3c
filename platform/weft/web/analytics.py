"""Process analytics pages for analysts and administrators: the processes with their instance
counts, and per process version the states, the duration histogram (Chart.js), the diagram as
a heatmap of element durations (bpmn-js overlays), the slowest steps and the workload."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request
from marshmallow import Schema, fields, validate

from ..services.analytics import ProcessAnalytics
from .forms_input import load_form
from .session import _, analyst_only, platform

analytics = Blueprint("analytics", __name__)
STATES = ("running", "waiting", "completed", "failed", "terminated")
UNITS = ((86400, lambda n: _("{n} d", n=n)), (3600, lambda n: _("{n} h", n=n)),
         (60, lambda n: _("{n} min", n=n)), (1, lambda n: _("{n} s", n=n)))


class VersionArgs(Schema):
    version = fields.Integer(load_default=None, validate=validate.Range(min=1, max=1_000_000))


@analytics.get("/analytics")
@analyst_only
def index():
    return render_template("analytics/index.html", processes=platform().analytics.processes(g.actor.name),
                           states=STATES)


@analytics.get("/analytics/<key>")
@analyst_only
def process(key: str):
    view = platform().analytics.process(key, _version(), g.actor.name)
    return render_template("analytics/process.html", view=view, chart=histogram_chart(view),
                           heatmap=heatmap(view))


@analytics.get("/analytics/<key>/diagram.bpmn")
@analyst_only
def diagram(key: str):
    xml = platform().analytics.diagram(key, _version(), g.actor.name)
    return Response(xml, mimetype="application/xml", headers={"Cache-Control": "private, max-age=300"})


def _version() -> int | None:
    values, errors = load_form(VersionArgs(), request.args)
    if errors:
        abort(400, description=f"version: {'; '.join(errors['version'])}")
    return values["version"]


@analytics.app_template_filter("duration")
def duration(seconds: float | None) -> str:
    """``3 h 20 min``: the two largest units (``—`` when nothing was measured)."""
    if seconds is None:
        return "—"
    if seconds < 10:
        return _("{n} s", n=f"{seconds:.1f}".rstrip("0").rstrip("."))
    left, parts = round(seconds), []
    for size, unit in UNITS:
        if left >= size and len(parts) < 2:
            parts.append(unit(left // size))
            left %= size
        elif parts:
            break
    return " ".join(parts)


def histogram_chart(view: ProcessAnalytics) -> dict[str, Any]:
    """Chart.js data of the duration histogram (drawn by analytics.js)."""
    return {"labels": [f"{duration(bar.start)} – {duration(bar.end)}" for bar in view.histogram],
            "datasets": [{"label": _("Completed instances"), "data": [bar.count for bar in view.histogram]}]}


def heatmap(view: ProcessAnalytics) -> list[dict[str, Any]]:
    """Per element, what analytics.js marks on the diagram: heat level and the badge's text."""
    return [{"id": e.element_id, "heat": e.heat, "count": e.executions, "average": duration(e.average),
             "p90": duration(e.p90), "waiting": e.waiting, "incidents": e.open_incidents,
             "title": _("{name}: {count} runs, average {average}, 90% within {p90}", name=e.name,
                        count=e.executions, average=duration(e.average), p90=duration(e.p90))}
            for e in view.elements]
