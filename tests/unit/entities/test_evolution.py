"""Planning schema changes between two versions of entity definitions."""

from __future__ import annotations

import datetime as dt

import pytest

from weft.entities import parse_entity, plan
from weft.entities.naming import check_pattern, format_number, series_key


def defs(**entities):
    parsed = {}
    for name, fields in entities.items():
        item, problems = parse_entity({"name": name, "fields": fields}, f"{name}.yaml")
        assert not problems, problems
        parsed[name] = item
    return parsed


def kinds(old, new, removed=()):
    return [(c.kind, c.target) for c in plan(old, new, removed)]


def test_new_entity_and_new_fields_are_safe_additions():
    old = defs(order={"a": "string"})
    new = defs(order={"a": "string", "b": {"type": "integer", "index": True}, "c": {"type": "email", "unique": True}},
               customer={"name": "string"})
    assert kinds(old, new) == [("add_column", "order.b"), ("add_index", "order.b"), ("add_column", "order.c"),
                               ("add_index", "order.c"), ("create_table", "customer")]


@pytest.mark.parametrize("before, after, kind", [
    ({"type": "string", "length": 50}, {"type": "string", "length": 100}, "widen"),
    ({"type": "string"}, {"type": "text"}, "widen"),
    ({"type": "integer"}, {"type": "decimal", "precision": 30, "scale": 4}, "widen"),
    ({"type": "decimal", "precision": 10, "scale": 2}, {"type": "decimal", "precision": 12, "scale": 3}, "widen"),
    ({"type": "date"}, {"type": "datetime"}, "widen"),
    ({"type": "string", "length": 100}, {"type": "string", "length": 50}, "narrow"),
    ({"type": "text"}, {"type": "string"}, "narrow"),
    ({"type": "decimal", "precision": 10, "scale": 4}, {"type": "decimal", "precision": 10, "scale": 2}, "narrow"),
    ({"type": "integer"}, {"type": "boolean"}, "narrow"),
    ({"type": "money"}, {"type": "integer"}, "narrow"),
])
def test_type_changes_widen_or_narrow(before, after, kind):
    assert kinds(defs(order={"a": before}), defs(order={"a": after})) == [(kind, "order.a")]


def test_changes_that_lose_or_reject_data_are_named():
    old = defs(order={"a": "string", "b": "string", "c": {"type": "choice", "options": ["x", "y", "z"]},
                      "r": {"type": "reference", "to": "customer"}}, customer={"n": "string"},
               supplier={"n": "string"})
    new = defs(order={"b": {"type": "string", "required": True, "unique": True},
                      "c": {"type": "choice", "options": ["x"]}, "r": {"type": "reference", "to": "supplier"}},
               customer={"n": "string"}, supplier={"n": "string"})
    changes = plan(old, new, removed=("gone",))
    assert [(c.kind, c.target) for c in changes] == [
        ("check_required", "order.b"), ("check_unique", "order.b"), ("check_choice", "order.c"),
        ("retarget", "order.r"), ("drop_column", "order.a"), ("drop_table", "gone")]
    assert next(c for c in changes if c.kind == "check_choice").values == ("y", "z")


def test_unchanged_definitions_plan_nothing():
    same = defs(order={"a": "string", "lines": {"type": "table", "of": "line"}}, line={"q": "integer"})
    assert plan(same, same) == []


@pytest.mark.parametrize("pattern, why", [
    ("PO-{YYYY}-{#####}", None),
    ("INV/{YY}{MM}/{###}", None),
    ("{####}", None),
    ("PO-{YYYY}", "exactly one counter"),
    ("PO-{##}-{##}", "exactly one counter"),
    ("PO-{HH}-{##}", "unknown token"),
    ("PO'; DROP-{##}", "may contain"),
])
def test_naming_patterns(pattern, why):
    result = check_pattern(pattern)
    assert (result is None) if why is None else (why in result)


def test_naming_series_restart_with_each_period():
    day = dt.date(2026, 3, 9)
    assert format_number("PO-{YYYY}-{#####}", day, 42) == "PO-2026-00042"
    assert format_number("PO-{YYYY}-{##}", day, 12345) == "PO-2026-12345"
    assert series_key("PO-{YYYY}-{#####}", day) == "PO-2026-{#}"
    assert series_key("PO-{YYYY}-{###}", day) == series_key("PO-{YYYY}-{#####}", day)   # wider: continues
    assert series_key("PO-{YYYY}-{#####}", day) != series_key("PO-{YYYY}-{#####}", dt.date(2027, 1, 1))
