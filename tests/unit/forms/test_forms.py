"""Forms: parsing, checks against entities, the rendering model and server-side validation."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import pytest
import yaml

from weft.engine.sandbox import Sandbox
from weft.entities import Catalog, parse_entity
from weft.forms import FormInvalid, check_form, parse_form, render, validate_submission

LAB = Path(__file__).resolve().parents[2] / "modules"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    entities = {}
    for path in sorted((LAB / "plugins" / "lab" / "entities").glob("*.yaml")):
        entity, problems = parse_entity(yaml.safe_load(path.read_text()), str(path))
        assert problems == []
        entities[entity.name] = entity
    return Catalog(entities)


def lab_form(name: str):
    path = LAB / "forms" / "lab" / f"{name}.yaml"
    form, problems = parse_form(yaml.safe_load(path.read_text()), "lab", str(path))
    assert problems == []
    return form


def form_problems(data):
    form, problems = parse_form(data, "lab", "forms/lab/f.yaml")
    return form, {p.key: p.message for p in problems}


def test_the_lab_forms_check_against_their_entities(catalog):
    assert check_form(lab_form("request_order"), catalog) == []
    assert check_form(lab_form("approve_order"), catalog) == []


@pytest.mark.parametrize("data, key, words", [
    ("text", "", "must be a mapping"),
    ({"name": "Bad Name", "sections": []}, "name", "[a-z]"),
    ({"name": "f", "sections": []}, "sections", "non-empty"),
    ({"name": "f", "sections": [{"fields": [{"field": "x"}]}]}, "sections[0].fields[0].field", "need the form's record"),
    ({"name": "f", "sections": [{"fields": [{"name": "x", "type": "colour"}]}]}, "sections[0].fields[0].type",
     "unknown field type"),
    ({"name": "f", "sections": [{"fields": [{"name": "x", "type": "string", "widget": "dial"}]}]},
     "sections[0].fields[0].widget", "unknown widget"),
    ({"name": "f", "sections": [{"fields": [{"name": "x", "type": "string"}, {"name": "x", "type": "text"}]}]},
     "sections", "more than once"),
    ({"name": "f", "record": {"entity": "order"}, "sections": [{"fields": [{"name": "x", "type": "string"}]}]},
     "record.id", "process variable"),
    ({"name": "f", "sections": [{"fields": [{"name": "x", "type": "string", "required_when": ""}]}]},
     "sections[0].fields[0].required_when", "a condition is an expression"),
])
def test_bad_forms_name_the_key(data, key, words):
    form, problems = form_problems(data)
    assert form is None and words in problems.get(key, ""), problems


def test_fields_must_exist_in_the_entity_and_conditions_must_parse(catalog):
    form, problems = form_problems({"name": "f", "record": {"entity": "purchase_order", "id": "po_id"}, "sections": [
        {"fields": [{"field": "supplier"}, {"field": "colour"},
                    {"name": "x", "type": "text", "visible_when": "import os"},
                    {"name": "y", "type": "reference", "to": "nowhere"}]}]})
    assert problems == {}
    found = {p.key: p.message for p in check_form(form, catalog)}
    assert "no field 'colour'" in found["sections[0].fields[1].field"]
    assert "cannot read the condition" in found["sections[0].fields[2].visible_when"]
    assert "unknown entity 'nowhere'" in found["sections[0].fields[3].to"]
    unbound, _ = form_problems({"name": "g", "record": {"entity": "purchase_order_line", "id": "l"},
                                "sections": [{"fields": [{"field": "item"}]}]})
    assert "holds rows of another entity" in str(check_form(unbound, catalog))


def test_rendering_model_has_types_labels_options_rows_and_lookups(catalog):
    model = render(lab_form("request_order"), catalog, "ru", {"supplier": 7})
    assert model["title"] == "Заявка на закупку"
    fields = {f["name"]: f for s in model["sections"] for f in s["fields"]}
    assert fields["supplier"]["widget"] == "lookup" and fields["supplier"]["value"] == 7
    assert fields["supplier"]["reference"] == {"entity": "supplier", "title_field": "name", "label": "Поставщик"}
    assert fields["supplier"]["required"] is True
    assert [c["name"] for c in fields["lines"]["columns"]] == ["item", "quantity", "price", "amount"]
    assert fields["lines"]["columns"][3]["readonly"] is True
    assert fields["reason"]["label"] == "Почему сейчас?" and fields["reason"]["required_when"] == "urgent"
    approve = render(lab_form("approve_order"), catalog, "en")
    decision = approve["sections"][1]["fields"][0]
    assert decision["options"] == [{"value": "approve", "label": "Approve"}, {"value": "reject", "label": "Reject"}]
    assert decision["widget"] == "buttons"
    assert approve["sections"][0]["fields"][1]["readonly"] is True


def validate(catalog, form, data, current=None):
    return validate_submission(lab_form(form), catalog, data, current or {}, Sandbox())


def test_a_valid_submission_splits_record_fields_from_variables(catalog):
    result = validate(catalog, "request_order", {
        "supplier": "3", "deliver_by": "2026-12-01T10:00:00+00:00", "urgent": True, "reason": "stock out",
        "lines": [{"item": "bolt", "quantity": "4", "price": "0.25"}]})
    assert result.record["supplier"] == 3
    assert result.record["deliver_by"] == dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)
    assert result.record["lines"] == [{"id": None, "item": "bolt", "quantity": 4, "price": decimal.Decimal("0.25")}]
    assert result.variables == {"reason": "stock out"}


def test_invalid_submissions_report_every_field(catalog):
    with pytest.raises(FormInvalid) as caught:
        validate(catalog, "request_order", {"deliver_by": "tomorrow", "urgent": True, "colour": "red",
                                            "lines": [{"item": "bolt", "quantity": "many"}]})
    errors = caught.value.errors
    assert errors["supplier"] == ["required"]
    assert errors["reason"] == ["required"]                 # required_when: urgent
    assert "colour" in errors and "deliver_by" in errors
    assert any("quantity" in m for m in errors["lines"]) and any("price" in m for m in errors["lines"])


def test_conditions_readonly_and_current_values(catalog):
    # every field of the form becomes a variable, empty ones as None, so the process can read them all
    assert validate(catalog, "approve_order", {"decision": "approve"}).variables == {"decision": "approve",
                                                                                      "comment": None}
    assert validate(catalog, "approve_order", {"decision": "approve"}, {"comment": "earlier"}).variables == \
        {"decision": "approve"}
    with pytest.raises(FormInvalid) as caught:
        validate(catalog, "approve_order", {"decision": "reject"})
    assert caught.value.errors == {"comment": ["required"]}
    with pytest.raises(FormInvalid) as caught:
        validate(catalog, "approve_order", {"decision": "maybe", "total": "1"}, {"total": decimal.Decimal("5")})
    assert caught.value.errors["total"] == ["read-only field"]
    assert "decision" in caught.value.errors
    # a required bound field already set on the record need not be sent again
    assert validate(catalog, "request_order", {}, {"supplier": 1}).record == {}


def conditional_form():
    form, problems = parse_form({"name": "claim", "sections": [{"fields": [
        {"name": "amount", "type": "money", "required": True},
        {"name": "justification", "type": "text", "required_when": "amount > 1000"},
        {"name": "secret", "type": "string", "visible_when": "amount > 1000000", "required": True}]}]},
        "lab", "forms/lab/claim.yaml")
    assert problems == []
    return form


@pytest.mark.parametrize("amount", [5000, "5000.00", "5000"])
def test_conditions_see_typed_values_however_they_were_sent(catalog, amount):
    with pytest.raises(FormInvalid) as caught:
        validate_submission(conditional_form(), catalog, {"amount": amount}, {}, Sandbox())
    assert caught.value.errors == {"justification": ["required"]}


def test_hidden_fields_are_neither_required_nor_kept(catalog):
    result = validate_submission(conditional_form(), catalog, {"amount": "10", "secret": "x"}, {}, Sandbox())
    # the hidden "secret" is dropped; the visible but empty "justification" is still a variable
    assert result.variables == {"amount": decimal.Decimal("10.00"), "justification": None}


def test_read_only_values_sent_back_as_displayed_are_accepted(catalog):
    current = {"total": decimal.Decimal("10.00"), "supplier": 3}
    result = validate(catalog, "approve_order", {"decision": "approve", "total": "10.00", "supplier": 3}, current)
    assert result.record == {} and result.variables == {"decision": "approve", "comment": None}


def test_files_are_no_variables():
    _form, problems = form_problems({"name": "f", "sections": [{"fields": [{"name": "scan", "type": "file"}]}]})
    assert "unknown field type 'file'" in problems["sections[0].fields[0].type"]
