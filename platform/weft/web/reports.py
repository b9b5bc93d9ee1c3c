"""Reports pages: the reports of the modules the user may read, drawn with Chart.js."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from .session import platform, signed_in

reports = Blueprint("reports", __name__)


@reports.get("/reports")
@signed_in
def index():
    return render_template("reports/index.html", reports=platform().reports.reports(g.actor.name, g.locale))


@reports.get("/reports/<module>/<name>")
@signed_in
def report(module: str, name: str):
    result = platform().reports.run(f"{module}/{name}", g.actor.name, g.locale)
    return render_template("reports/report.html", result=result)
