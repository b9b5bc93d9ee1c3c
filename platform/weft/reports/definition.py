"""Report definitions: a query over one entity — filters, grouping (by a field, or a date field
by period), measures (count, sum, avg, min, max, average days between two dates, each with its
own filter) — and how to draw it (a Chart.js chart type, or a table).

``analysis: abc_xyz`` classifies the groups (clients, say) by their share of a measure (ABC)
and by how regular it is from period to period (XYZ: coefficient of variation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..entities.catalog import Catalog
from ..entities.definition_names import IDENTIFIER
from ..entities.errors import DefinitionProblem, Problems
from ..entities.labels import Label, humanize

REPORT_KEYS = {"name", "title", "description", "entity", "filters", "group_by", "period", "measures", "chart",
               "sort", "limit", "roles", "analysis", "abc", "xyz"}
MEASURE_KEYS = {"name", "label", "aggregate", "field", "from", "to", "where"}
AGGREGATES = ("count", "sum", "avg", "min", "max", "avg_days")
PERIODS = ("day", "week", "month", "quarter", "year")
CHARTS = ("bar", "horizontal_bar", "line", "pie", "doughnut", "table")
NUMERIC = ("integer", "decimal", "money")
DATES = ("date", "datetime")
SYSTEM_DATES = ("created_at", "updated_at")
GROUPABLE = ("string", "choice", "reference", "user", "boolean", "email", "integer", "date", "datetime")


@dataclass(frozen=True)
class Measure:
    name: str
    label: Label
    aggregate: str
    column: str | None = None        # the field sum, avg, min and max read
    start: str | None = None         # avg_days: from
    end: str | None = None           # avg_days: to
    where: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportDefinition:
    module: str
    name: str
    title: Label
    entity: str
    measures: tuple[Measure, ...]
    group_by: str | None = None
    period: str | None = None
    filters: dict[str, str] = field(default_factory=dict)
    chart: str = "bar"
    sort: str | None = None
    limit: int = 50
    roles: tuple[str, ...] = ()
    analysis: str | None = None
    abc: tuple[float, float] = (0.8, 0.95)
    xyz: tuple[float, float] = (0.1, 0.25)
    xyz_period: str = "month"
    xyz_date: str | None = None
    description: Label | None = None
    file: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.module}/{self.name}"


def parse_report(data: Any, module: str, file: str) -> tuple[ReportDefinition | None, list[DefinitionProblem]]:
    problem = Problems(file)
    name = problem.named_mapping(data, "a report (name, entity, measures, …)", REPORT_KEYS)
    if name is None:
        return None, problem.found
    entity = data.get("entity")
    if not isinstance(entity, str) or not IDENTIFIER.match(entity):
        problem("entity", "entity names the entity the report counts")
        entity = ""
    measures = _measures(data.get("measures"), problem)
    chart = data.get("chart", "bar")
    if chart not in CHARTS:
        problem("chart", f"one of {', '.join(CHARTS)}")
    period = data.get("period")
    if period is not None and period not in PERIODS:
        problem("period", f"one of {', '.join(PERIODS)}")
    limit = data.get("limit", 50)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 1000:
        problem("limit", "a whole number from 1 to 1000")
        limit = 50
    roles = data.get("roles") or []
    if not isinstance(roles, list) or not all(isinstance(r, str) and IDENTIFIER.match(r) for r in roles):
        problem("roles", "a list of role names")
        roles = []
    analysis = data.get("analysis")
    abc, xyz, xyz_period, xyz_date = (0.8, 0.95), (0.1, 0.25), "month", None
    if analysis is not None:
        if analysis != "abc_xyz":
            problem("analysis", "the one analysis is abc_xyz")
        abc_spec, xyz_spec = data.get("abc") or {}, data.get("xyz") or {}
        for key, spec in (("abc", abc_spec), ("xyz", xyz_spec)):
            if not isinstance(spec, dict):
                problem(key, f"{key} is a mapping such as {{thresholds: [0.8, 0.95]}}" if key == "abc" else
                        f"{key} is a mapping such as {{date: closed_on, period: month, thresholds: [0.1, 0.25]}}")
        abc_spec = abc_spec if isinstance(abc_spec, dict) else {}
        xyz_spec = xyz_spec if isinstance(xyz_spec, dict) else {}
        abc = _thresholds(abc_spec.get("thresholds", [0.8, 0.95]), "abc.thresholds", problem)
        xyz = _thresholds(xyz_spec.get("thresholds", [0.1, 0.25]), "xyz.thresholds", problem)
        xyz_period = xyz_spec.get("period", "month")
        if xyz_period not in PERIODS:
            problem("xyz.period", f"one of {', '.join(PERIODS)}")
        xyz_date = xyz_spec.get("date")
    report = ReportDefinition(
        module, name, problem.label(data.get("title"), humanize(name), "title"), entity, tuple(measures),
        data.get("group_by"), period, _filters(data.get("filters"), "filters", problem), chart, data.get("sort"),
        limit, tuple(roles), analysis, abc, xyz, xyz_period, xyz_date,
        problem.label(data["description"], "", "description") if "description" in data else None, file, dict(data))
    return (report if not problem.found else None), problem.found


def check_report(report: ReportDefinition, catalog: Catalog) -> list[DefinitionProblem]:
    """The report against the entities: the entity, its fields, and what each aggregate needs."""
    problems = Problems(report.file)
    entity = catalog.get(report.entity)
    if entity is None or catalog.is_child(report.entity):
        problems("entity", f"unknown entity {report.entity!r}")
        return problems.found

    def kind(name: str | None) -> str | None:
        if name in SYSTEM_DATES:
            return "datetime"
        if name == "id":
            return "integer"
        item = entity.field(name) if name else None
        return item.type if item is not None and item.is_column else None

    if report.group_by is not None and kind(report.group_by) not in GROUPABLE:
        problems("group_by", f"{report.entity} has no field {report.group_by!r} to group by")
    if report.period is not None and kind(report.group_by) not in DATES:
        problems("period", "a period groups a date field")
    for index, measure in enumerate(report.measures):
        key = f"measures[{index}]"
        if measure.aggregate in ("sum", "avg") and kind(measure.column) not in NUMERIC:
            problems(f"{key}.field", f"{measure.aggregate} needs a number field of {report.entity}")
        if measure.aggregate in ("min", "max") and kind(measure.column) not in NUMERIC + DATES:
            problems(f"{key}.field", f"{measure.aggregate} needs a number or date field of {report.entity}")
        if measure.aggregate == "avg_days" and (kind(measure.start) not in DATES or kind(measure.end) not in DATES):
            problems(key, "avg_days needs date fields in from and to")
        for name in [*measure.where, *report.filters]:
            if kind(name.partition("__")[0]) is None and name.partition("__")[0] not in ("id", "number"):
                problems(f"{key}.where" if name in measure.where else "filters", f"{report.entity} has no field "
                                                                                   f"{name.partition('__')[0]!r}")
    if report.analysis == "abc_xyz":
        if report.group_by is None or report.period is not None:
            problems("group_by", "abc_xyz groups by a field (the clients) without a period")
        if kind(report.xyz_date) not in DATES:
            problems("xyz.date", "xyz.date names the date field the periods come from")
        if not report.measures or report.measures[0].aggregate not in ("sum", "count"):
            problems("measures", "abc_xyz classifies by its first measure, a sum or a count")
    names = {m.name for m in report.measures}
    if report.sort is not None and report.sort.lstrip("-") not in names | {"group"}:
        problems("sort", f"sort by a measure ({', '.join(sorted(names))}) or group")
    return problems.found


def _measures(value: Any, problem: Problems) -> list[Measure]:
    if not isinstance(value, list) or not value:
        problem("measures", "measures is a non-empty list of {name, aggregate, field}")
        return []
    found = []
    for index, item in enumerate(value):
        key = f"measures[{index}]"
        if not isinstance(item, dict):
            problem(key, "a measure is {name, aggregate, field}")
            continue
        for extra in sorted(set(item) - MEASURE_KEYS, key=str):
            problem(f"{key}.{extra}", f"unknown key {extra!r}")
        name, aggregate = item.get("name"), item.get("aggregate")
        if not isinstance(name, str) or not IDENTIFIER.match(name):
            problem(f"{key}.name", "a measure needs a name")
            continue
        if aggregate not in AGGREGATES:
            problem(f"{key}.aggregate", f"one of {', '.join(AGGREGATES)}")
            continue
        found.append(Measure(name, problem.label(item.get("label"), humanize(name), f"{key}.label"), aggregate,
                             item.get("field"), item.get("from"), item.get("to"),
                             _filters(item.get("where"), f"{key}.where", problem)))
    names = [m.name for m in found]
    if len(set(names)) != len(names):
        problem("measures", "measure names repeat")
    return found


def _filters(value: Any, key: str, problem: Problems) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problem(key, "filters map fields to values: {status: won, amount__gt: 1000}")
        return {}
    return {str(k): ",".join(map(str, v)) if isinstance(v, list) else str(v).lower() if isinstance(v, bool)
            else str(v) for k, v in value.items()}


def _thresholds(value: Any, key: str, problem: Problems) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, (int, float)) for v in value) \
            or not 0 < value[0] < value[1]:
        problem(key, "two increasing numbers, e.g. [0.8, 0.95]")
        return (0.8, 0.95)
    return (float(value[0]), float(value[1]))
