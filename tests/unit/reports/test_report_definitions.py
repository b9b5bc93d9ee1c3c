"""Report definitions (``plugins/<m>/reports/*.yaml``): what parses, and every mistake named by
file and key, checked against the entities as a deploy does."""

from __future__ import annotations

import pytest

from weft.entities.catalog import Catalog
from weft.entities.definition import parse_entity
from weft.reports.definition import check_report, parse_report

FILE = "plugins/crm/reports/r.yaml"


@pytest.fixture
def catalog():
    deal, problems = parse_entity({"name": "deal", "fields": {
        "stage": {"type": "choice", "options": ["open", "won", "lost"]},
        "owner": {"type": "user"}, "amount": {"type": "money"}, "closed_on": {"type": "date"},
        "notes": {"type": "text"}, "organization": {"type": "string"}}}, "plugins/crm/entities/deal.yaml")
    assert problems == []
    return Catalog({"deal": deal})


def problems_of(data, catalog=None):
    report, problems = parse_report(data, "crm", FILE)
    if report is not None and catalog is not None:
        problems = check_report(report, catalog)
    return {p.key: p.message for p in problems}


GOOD = {"name": "performance", "entity": "deal", "group_by": "owner", "chart": "bar", "sort": "-revenue",
        "measures": [{"name": "won", "aggregate": "count", "where": {"stage": "won"}},
                     {"name": "revenue", "aggregate": "sum", "field": "amount", "where": {"stage": "won"}},
                     {"name": "cycle", "aggregate": "avg_days", "from": "created_at", "to": "closed_on"}]}


def test_a_good_report_parses_and_checks(catalog):
    report, problems = parse_report(GOOD, "crm", FILE)
    assert problems == [] and check_report(report, catalog) == []
    assert (report.key, report.group_by, report.limit, [m.aggregate for m in report.measures]) == \
        ("crm/performance", "owner", 50, ["count", "sum", "avg_days"])
    assert report.measures[0].where == {"stage": "won"}


@pytest.mark.parametrize(("change", "key", "words"), [
    ({"chart": "radar"}, "chart", "one of bar"),
    ({"period": "decade"}, "period", "one of day"),
    ({"limit": 0}, "limit", "1 to 1000"),
    ({"limit": True}, "limit", "1 to 1000"),
    ({"roles": "sales"}, "roles", "list of role names"),
    ({"measures": []}, "measures", "non-empty list"),
    ({"measures": [{"name": "n", "aggregate": "median"}]}, "measures[0].aggregate", "one of count"),
    ({"measures": [{"aggregate": "count"}]}, "measures[0].name", "needs a name"),
    ({"measures": [{"name": "n", "aggregate": "count", "colour": "red"}]}, "measures[0].colour", "unknown key"),
    ({"measures": [{"name": "n", "aggregate": "count"}, {"name": "n", "aggregate": "count"}]}, "measures", "repeat"),
    ({"filters": ["stage"]}, "filters", "map fields to values"),
    ({"analysis": "pareto"}, "analysis", "abc_xyz"),
    ({"analysis": "abc_xyz", "abc": {"thresholds": [0.9, 0.5]}}, "abc.thresholds", "increasing"),
    ({"analysis": "abc_xyz", "xyz": {"period": "hour"}}, "xyz.period", "one of day"),
    ({"entity": "Deal!"}, "entity", "names the entity"),
])
def test_a_malformed_report_names_the_key(change, key, words):
    found = problems_of({**GOOD, **change})
    assert key in found and words in found[key], found


@pytest.mark.parametrize(("change", "key", "words"), [
    ({"entity": "invoice"}, "entity", "unknown entity 'invoice'"),
    ({"group_by": "notes"}, "group_by", "no field 'notes' to group by"),
    ({"group_by": "owner", "period": "month"}, "period", "groups a date field"),
    ({"measures": [{"name": "s", "aggregate": "sum", "field": "stage"}], "sort": None}, "measures[0].field",
     "sum needs a number field"),
    ({"measures": [{"name": "s", "aggregate": "max", "field": "owner"}], "sort": None}, "measures[0].field",
     "number or date"),
    ({"measures": [{"name": "d", "aggregate": "avg_days", "from": "amount", "to": "closed_on"}], "sort": None},
     "measures[0]", "date fields"),
    ({"measures": [{"name": "c", "aggregate": "count", "where": {"colour": "red"}}], "sort": None},
     "measures[0].where", "no field 'colour'"),
    ({"sort": "-profit"}, "sort", "sort by a measure"),
    ({"analysis": "abc_xyz", "xyz": {"date": "closed_on"}, "measures": [
        {"name": "a", "aggregate": "avg", "field": "amount"}], "sort": None}, "measures", "first measure"),
    ({"analysis": "abc_xyz", "xyz": {"date": "owner"}}, "xyz.date", "date field"),
])
def test_a_report_that_does_not_fit_its_entity_names_the_key(catalog, change, key, words):
    found = problems_of({**GOOD, **change}, catalog)
    assert key in found and words in found[key], found


def test_problems_name_the_file():
    _report, problems = parse_report({**GOOD, "chart": "radar"}, "crm", FILE)
    assert [str(p) for p in problems] == [f"{FILE} [chart]: one of bar, horizontal_bar, line, pie, doughnut, table"]


def test_filters_are_kept_as_the_records_api_reads_them():
    report, _ = parse_report({**GOOD, "filters": {"stage__in": ["won", "lost"], "closed": True, "amount__gt": 5}},
                             "crm", FILE)
    assert report.filters == {"stage__in": "won,lost", "closed": "true", "amount__gt": "5"}
