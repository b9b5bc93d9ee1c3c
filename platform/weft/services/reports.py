"""Running reports: one grouped query over an entity's table, labels for the groups, and the
ABC/XYZ classification in Python. Reading a report needs read permission on its entity (and
one of its roles, when it names any)."""

from __future__ import annotations

import decimal
import statistics
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, literal, select

from ..entities.labels import translate
from ..persistence.report_sql import days_between, period_of
from ..persistence.unit_of_work import Transaction, UnitOfWork
from ..reports.definition import ReportDefinition, parse_report
from .actor import Actor, resolve_actor
from .entity_registry import EntityRegistry, Schema
from .errors import NotAllowed, NotFound
from .record_query import conditions
from .record_values import json_value
from .records import may


@dataclass(frozen=True)
class ReportResult:
    report: ReportDefinition
    title: str
    columns: list[tuple[str, str]]          # (key, label)
    rows: list[dict[str, Any]]              # "group" (label), "group_value", one key per measure, …
    chart: dict[str, Any]                   # Chart.js data: labels and datasets


class ReportService:
    def __init__(self, uow: UnitOfWork, registry: EntityRegistry):
        self.uow = uow
        self.registry = registry

    def reports(self, user: str, locale: str = "en") -> list[tuple[ReportDefinition, str]]:
        """The reports the user may read, with their titles."""
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
            schema = self.registry.schema(tx)
            return [(r, translate(r.title, locale)) for r in _definitions(tx) if _allowed(actor, schema, r)]

    def run(self, key: str, user: str, locale: str = "en") -> ReportResult:
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
            schema = self.registry.schema(tx)
            report = next((r for r in _definitions(tx) if r.key == key), None)
            if report is None:
                raise NotFound(f"no report {key}")
            if not _allowed(actor, schema, report):
                raise NotAllowed(f"{actor.name if actor else 'nobody'} may not read the report {key}")
            rows = _query(tx, schema, report)
            labels = _group_labels(tx, schema, report, [r["group_value"] for r in rows], locale)
            for row in rows:
                row["group"] = labels.get(row["group_value"], row["group_value"])
            if report.analysis == "abc_xyz":
                rows = _abc_xyz(tx, schema, report, rows)
        return _result(report, rows, locale)


def _definitions(tx: Transaction) -> list[ReportDefinition]:
    found = []
    for row in tx.definitions.latest_reports():
        report, _problems = parse_report(row.definition, row.module, f"plugins/{row.module}/reports/{row.name}.yaml")
        if report is not None:
            found.append(report)
    return sorted(found, key=lambda r: r.key)


def _allowed(actor: Actor | None, schema: Schema, report: ReportDefinition) -> bool:
    entity = schema.catalog.get(report.entity)
    if entity is None or not may(actor, entity, "read"):
        return False
    return actor is None or actor.is_admin or not report.roles or any(r in actor.groups for r in report.roles)


def _query(tx: Transaction, schema: Schema, report: ReportDefinition) -> list[dict[str, Any]]:
    entity = schema.entity(report.entity)
    table = schema.tables[entity.name]
    dialect = tx.conn.dialect.name
    group: Any = literal("all") if report.group_by is None else table.c[report.group_by]
    if report.period is not None and report.group_by is not None:
        group = period_of(table.c[report.group_by], report.period, dialect)
    columns = [group.label("group_value")]
    for measure in report.measures:
        where = conditions(entity, table, measure.where) if measure.where else []
        columns.append(_aggregate(measure, entity, table, where, dialect).label(measure.name))
    query = select(*columns).where(*conditions(entity, table, report.filters)).group_by(group)
    if report.group_by is not None and report.period is None:
        query = query.where(table.c[report.group_by].is_not(None))
    rows = [dict(row._mapping) for row in tx.records.rows_of_query(query)]
    for row in rows:
        for measure in report.measures:
            value = row[measure.name]
            if value is None:
                row[measure.name] = 0
            elif measure.aggregate in ("avg", "avg_days") or isinstance(value, decimal.Decimal):
                row[measure.name] = round(float(value), 2)          # numbers for the chart, not text
            else:
                row[measure.name] = json_value(value)
    key = (report.sort or ("group" if report.period else f"-{report.measures[0].name}"))
    reverse = key.startswith("-")
    name = key.lstrip("-")
    grouped_by = entity.field(report.group_by) if report.group_by and report.period is None else None
    order = {option: index for index, option in enumerate(grouped_by.option_values)} if grouped_by else {}
    if name == "group" and order:                  # a choice: in the order of its options (a funnel's stages)
        rows.sort(key=lambda r: order.get(r["group_value"], len(order)), reverse=reverse)
    else:
        rows.sort(key=lambda r: _sortable(r["group_value"] if name == "group" else r[name]), reverse=reverse)
    return rows[: report.limit] if report.analysis is None else rows


def _kind(entity, name: str | None) -> str | None:
    item = entity.field(name or "")
    return item.type if item is not None else None


def _aggregate(measure, entity, table, where: list, dialect: str):
    condition = None
    for part in where:
        condition = part if condition is None else condition & part

    def guarded(expression):
        return case((condition, expression)) if condition is not None else expression

    if measure.aggregate == "count":
        return func.count(case((condition, 1))) if condition is not None else func.count()
    if measure.aggregate == "avg_days":
        whole_days = "date" in (_kind(entity, measure.start), _kind(entity, measure.end))
        return func.avg(guarded(days_between(table.c[measure.start], table.c[measure.end], dialect, whole_days)))
    return getattr(func, measure.aggregate)(guarded(table.c[measure.column]))


def _sortable(value: Any) -> Any:
    if value is None:
        return (0, "")
    try:
        return (1, float(value))
    except (TypeError, ValueError):
        return (2, str(value))


def _group_labels(tx: Transaction, schema: Schema, report: ReportDefinition, values: list, locale: str) -> dict:
    entity = schema.entity(report.entity)
    item = entity.field(report.group_by) if report.group_by else None
    if item is None or report.period is not None:
        return {}
    if item.type == "choice":
        return {o.value: translate(o.label, locale) for o in item.options}
    if item.type == "reference" and item.to in schema.tables:
        target = schema.entity(item.to)
        columns = [c for c in ("number", target.title) if c and c in schema.tables[item.to].c]
        found = tx.records.values(schema.tables[item.to], [v for v in values if isinstance(v, int)], columns)
        return {record_id: " · ".join(str(getattr(row, c)) for c in columns if getattr(row, c) not in (None, ""))
                or f"#{record_id}" for record_id, row in found.items()}
    if item.type == "boolean":
        return {True: "yes", False: "no"}
    return {}


def _abc_xyz(tx: Transaction, schema: Schema, report: ReportDefinition, rows: list[dict]) -> list[dict]:
    """ABC by share of the first measure; XYZ by the coefficient of variation per period."""
    measure = report.measures[0]
    total = sum(float(r[measure.name] or 0) for r in rows) or 1.0
    rows.sort(key=lambda r: float(r[measure.name] or 0), reverse=True)
    cumulative = 0.0
    for row in rows:
        share = float(row[measure.name] or 0) / total
        row["share"] = round(share * 100, 1)
        cumulative += share
        row["abc"] = "A" if cumulative - share < report.abc[0] else "B" if cumulative - share < report.abc[1] else "C"
    entity = schema.entity(report.entity)
    table = schema.tables[entity.name]
    assert report.group_by is not None and report.xyz_date is not None       # checked at deploy
    group_column = table.c[report.group_by]
    period = period_of(table.c[report.xyz_date], report.xyz_period, tx.conn.dialect.name)
    where = conditions(entity, table, report.filters) + (conditions(entity, table, measure.where)
                                                         if measure.where else [])
    value = func.count() if measure.aggregate == "count" else func.sum(table.c[measure.column or "id"])
    per_period: dict[Any, dict[str, float]] = {}
    query = select(group_column.label("g"), period.label("p"), value.label("v")).where(
        *where).group_by(group_column, period)
    periods = set()
    for found in tx.records.rows_of_query(query):
        per_period.setdefault(found.g, {})[found.p] = float(found.v or 0)
        periods.add(found.p)
    for row in rows:
        series = [per_period.get(row["group_value"], {}).get(p, 0.0) for p in sorted(periods)]
        mean = statistics.fmean(series) if series else 0.0
        cv = statistics.pstdev(series) / mean if mean else 0.0
        row["cv"] = round(cv, 2)
        row["xyz"] = "X" if cv <= report.xyz[0] else "Y" if cv <= report.xyz[1] else "Z"
        row["class"] = row["abc"] + row["xyz"]
    return rows[: report.limit]


def _result(report: ReportDefinition, rows: list[dict], locale: str) -> ReportResult:
    columns = [("group", translate({"en": "Group", "ru": "Группа"}, locale))]
    columns += [(m.name, translate(m.label, locale)) for m in report.measures]
    if report.analysis == "abc_xyz":
        columns += [("share", "%"), ("abc", "ABC"), ("cv", "CV"), ("xyz", "XYZ"), ("class", translate(
            {"en": "Class", "ru": "Класс"}, locale))]
    chart = {"labels": [str(r["group"]) for r in rows],
             "datasets": [{"label": translate(m.label, locale), "data": [r[m.name] for r in rows]}
                          for m in report.measures]}
    return ReportResult(report, translate(report.title, locale), columns, rows, chart)
