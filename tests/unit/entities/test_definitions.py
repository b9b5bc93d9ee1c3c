"""Entity definitions: every field type parses; bad input is refused naming file and key."""

from __future__ import annotations

import pytest

from weft.entities import Catalog, check_catalog, parse_entity
from weft.entities.labels import translate
from weft.entities.types import FIELD_TYPES

FILE = "plugins/lab/entities/thing.yaml"


def entity(fields, **extra):
    return {"name": "thing", "fields": fields, **extra}


def problems_of(data, file=FILE):
    parsed, problems = parse_entity(data, file)
    return parsed, [(p.file, p.key, p.message) for p in problems]


def test_every_field_type_of_design_parses():
    fields = {f"f_{kind}": {"type": kind} for kind in FIELD_TYPES}
    fields["f_choice"]["options"] = ["a", "b"]
    fields["f_reference"]["to"] = "other"
    fields["f_table"]["of"] = "row"
    parsed, problems = problems_of(entity(fields))
    assert problems == []
    assert {f.type for f in parsed.fields} == set(FIELD_TYPES)
    assert parsed.table_name == "ent_thing"
    assert [f.name for f in parsed.tables] == ["f_table"]


@pytest.mark.parametrize("data, key, words", [
    ([1, 2], "", "must be a mapping"),
    ("just text", "", "must be a mapping"),
    ({"name": "Thing", "fields": {"a": "string"}}, "name", "[a-z][a-z0-9_]*"),
    ({"name": "thing; DROP TABLE users", "fields": {"a": "string"}}, "name", "[a-z][a-z0-9_]*"),
    (entity({"a": {"type": "strnig"}}), "fields.a.type", "unknown field type 'strnig'"),
    (entity({"bad-name": "string"}), "fields.bad-name", "[a-z][a-z0-9_]*"),
    (entity({'x" text); --': "string"}), 'fields.x" text); --', "[a-z][a-z0-9_]*"),
    (entity({"unit__price": "money"}), "fields.unit__price", "single underscores"),
    (entity({"price_": "money"}), "fields.price_", "single underscores"),
    ({"name": "a" * 60, "fields": {"a": "string"}}, "name", "at most 59"),
    (entity({"version": "integer"}), "fields.version", "system field"),
    (entity({"a": {"type": "choice"}}), "fields.a.options", "lists its options"),
    (entity({"a": {"type": "choice", "options": ["x", "x"]}}), "fields.a.options", "options repeat"),
    (entity({"a": {"type": "reference"}}), "fields.a.to", "names the entity"),
    (entity({"a": {"type": "reference", "to": "Bad Name"}}), "fields.a.to", "names the entity"),
    (entity({"a": {"type": "table"}}), "fields.a.of", "names the entity of its rows"),
    (entity({"a": {"type": "string", "colour": "red"}}), "fields.a.colour", "unknown key"),
    (entity({"a": {"type": "string", "required": "yes please"}}), "fields.a.required", "true or false"),
    (entity({"a": {"type": "string", "length": -1}}), "fields.a.length", "whole number"),
    (entity({"a": "string"}, colour="red"), "colour", "unknown key"),
    (entity({}), "fields", "non-empty mapping"),
    (entity({"a": "string"}, naming="PO-{YYYY}"), "naming", "exactly one counter"),
    (entity({"a": "string"}, naming="PO-{QQ}-{###}"), "naming", "unknown token"),
    (entity({"a": "string"}, title="b"), "title", "names no field"),
    (entity({"a": "string"}, permissions={"clerk": ["read", "fly"]}), "permissions.clerk", "actions"),
    (entity({"a": "string"}, permissions={"Clerk!": ["read"]}), "permissions.Clerk!", "role name"),
    (entity({"a": "string"}, label={"en": 3}), "label", "a label is a text or a mapping"),
])
def test_bad_definitions_name_file_and_key(data, key, words):
    parsed, problems = problems_of(data)
    assert parsed is None
    assert any(p == FILE and k == key and words in m for p, k, m in problems), problems


def test_labels_may_be_translated_and_fall_back_to_english():
    parsed, _ = problems_of(entity({"a": {"type": "string", "label": {"en": "Name", "ru": "Имя"}}},
                                   label={"en": "Thing", "ru": "Вещь"}))
    assert translate(parsed.label, "ru") == "Вещь"
    assert translate(parsed.field("a").label, "ru") == "Имя"
    assert translate(parsed.field("a").label, "de") == "Name"
    plain, _ = problems_of(entity({"unit_price": "money"}))
    assert translate(plain.field("unit_price").label, "en") == "Unit price"


def catalog_problems(*definitions, deployed=()):
    parsed = {}
    for data in definitions:
        item, problems = parse_entity(data, f"plugins/lab/entities/{data['name']}.yaml")
        assert problems == []
        parsed[item.name] = item
    old = {}
    for data in deployed:
        item, _ = parse_entity(data, "deployed")
        old[item.name] = item
    return [(p.file, p.key, p.message) for p in check_catalog(parsed, old)]


def test_references_and_child_tables_are_checked_together():
    problems = catalog_problems(
        {"name": "order", "fields": {"customer": {"type": "reference", "to": "customer"},
                                     "lines": {"type": "table", "of": "line"},
                                     "notes": {"type": "table", "of": "missing"}}},
        {"name": "line", "fields": {"qty": "integer", "sub": {"type": "table", "of": "order"}}})
    messages = {key: message for _file, key, message in problems}
    assert "unknown entity 'customer'" in messages["fields.customer.to"]
    assert "unknown entity 'missing'" in messages["fields.notes.of"]
    assert any("cannot" in m and "tables" in m for m in messages.values())


def test_references_may_point_at_deployed_entities():
    assert catalog_problems({"name": "order", "fields": {"customer": {"type": "reference", "to": "customer"}}},
                            deployed=[{"name": "customer", "fields": {"name": "string"}}]) == []


def test_a_reference_to_a_child_row_entity_is_refused():
    problems = catalog_problems(
        {"name": "order", "fields": {"lines": {"type": "table", "of": "line"}}},
        {"name": "line", "fields": {"qty": "integer"}},
        {"name": "note", "fields": {"line": {"type": "reference", "to": "line"}}})
    assert any(key == "fields.line.to" and "holds the rows of order" in m for _f, key, m in problems)


@pytest.mark.parametrize("field, words", [
    ({"type": "integer", "default": "many"}, "no value for a integer"),
    ({"type": "choice", "options": ["a"], "default": "b"}, "no value for a choice"),
    ({"type": "string", "default": "today"}, "'today' is no default"),
    ({"type": "date", "default": "31/12/2026"}, "no value for a date"),
    ({"type": "money", "computed": "import os"}, "cannot read the formula"),
    ({"type": "money", "computed": "a +"}, "cannot read the formula"),
    ({"type": "money", "computed": "1", "required": True}, "cannot be required"),
    ({"type": "text", "required_when": "stage ==="}, "cannot read the condition"),
    ({"type": "text", "required_when": "True", "required": True}, "cannot be required on a condition"),
])
def test_defaults_and_formulas_are_checked(field, words):
    problems = catalog_problems({"name": "thing", "fields": {"a": field}})
    assert any(words in message for _f, _k, message in problems), problems


def test_catalog_knows_parents_of_child_entities():
    order, _ = parse_entity({"name": "order", "fields": {"lines": {"type": "table", "of": "line"}}}, "x")
    line, _ = parse_entity({"name": "line", "fields": {"qty": "integer"}}, "y")
    catalog = Catalog({"order": order, "line": line})
    assert catalog.is_child("line") and not catalog.is_child("order")
    assert catalog.parents["line"].field == "lines"
    assert [child.name for _f, child in catalog.children(order)] == ["line"]


def test_a_child_entity_serves_one_table_field():
    problems = catalog_problems(
        {"name": "shipment", "fields": {"from_stops": {"type": "table", "of": "stop"},
                                        "to_stops": {"type": "table", "of": "stop"}}},
        {"name": "stop", "fields": {"city": "string"}})
    assert any(key == "fields.to_stops.of" and "already holds the rows of shipment.from_stops" in m
               for _f, key, m in problems), problems


def test_required_when_makes_a_field_required_for_some_values_of_the_record():
    from weft.engine.sandbox import Sandbox
    from weft.entities.computed import missing_when_required

    deal = parse_entity(entity({"stage": {"type": "choice", "options": ["open", "lost"]},
                                "lost_reason": {"type": "text", "required_when": "stage == 'lost'"}}), FILE)[0]
    catalog, sandbox = Catalog({"thing": deal}), Sandbox()
    assert missing_when_required(deal, {"stage": "open"}, {}, catalog, sandbox) == {}
    assert missing_when_required(deal, {"stage": "lost"}, {}, catalog, sandbox) == {"lost_reason": ["required"]}
    assert missing_when_required(deal, {"stage": "lost", "lost_reason": "price"}, {}, catalog, sandbox) == {}


def test_processes_may_set_read_only_fields_and_nobody_sets_computed_ones():
    from weft.entities.validation import read_only_errors

    mailing = parse_entity(entity({"sent_count": {"type": "integer", "readonly": True},
                                   "double": {"type": "integer", "computed": "sent_count * 2"}}), FILE)[0]
    assert read_only_errors(mailing, {"sent_count": 3}) == {"sent_count": ["read-only field"]}
    assert read_only_errors(mailing, {"sent_count": 3}, by_process=True) == {}
    assert read_only_errors(mailing, {"double": 6}, by_process=True) == {"double": ["read-only field"]}
