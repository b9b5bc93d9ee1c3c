"""``/api/v1/reports``: the modules' reports as data (the web draws the same results with Chart.js)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from ..services.record_values import json_value
from .auth import current_actor
from .context import platform
from .schemas import ReportOut, ReportResultOut

reports = Blueprint("reports_api", __name__, url_prefix="/api/v1/reports",
                    description="Reports of the deployed modules (a grouped query over an entity)")


@reports.route("")
class Reports(MethodView):
    @reports.response(200, ReportOut(many=True))
    def get(self):
        """The reports you may read."""
        weft = platform()
        return [{"key": r.key, "module": r.module, "name": r.name, "title": title, "entity": r.entity,
                 "chart": r.chart} for r, title in weft.reports.reports(current_actor().name, weft.settings.locale)]


@reports.route("/<module>/<name>")
class Report(MethodView):
    @reports.response(200, ReportResultOut)
    def get(self, module: str, name: str):
        """Run a report: its columns, one row per group (with ``group`` as shown and ``group_value``
        as stored) and the Chart.js data."""
        weft = platform()
        result = weft.reports.run(f"{module}/{name}", current_actor().name, weft.settings.locale)
        return {"key": result.report.key, "title": result.title, "chart": result.report.chart,
                "columns": [{"key": key, "label": label} for key, label in result.columns],
                "rows": [{key: json_value(value) for key, value in row.items()} for row in result.rows],
                "chart_data": json_value(result.chart)}
