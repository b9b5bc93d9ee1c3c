"""Completing user tasks through forms, and service tasks writing records (entity connectors):
the lab module's purchase process end to end."""

from __future__ import annotations

import decimal

import pytest

from tests.support.bpmn import chain, end, process_xml, service, start
from tests.support.bpmn import user as user_task
from weft.services.errors import NotAllowed, ValidationError


@pytest.fixture
def lab(weft, project):
    weft.deploy(project / "plugins" / "lab")
    weft.add_user("pam", groups=["purchaser"])
    weft.add_user("max", groups=["purchase_manager"])
    return weft


@pytest.fixture
def acme(lab):
    return lab.records.create("supplier", {"name": "Acme"})


def request_task(weft, user="pam"):
    instance = weft.start("lab_purchase", user=user)
    [task] = weft.tasks(instance_id=instance.id)
    return instance, task


def test_invalid_form_data_returns_field_errors_and_changes_nothing(lab, acme):
    instance, task = request_task(lab)
    with pytest.raises(ValidationError) as caught:
        lab.complete(task.id, {"urgent": True, "deliver_by": "soon", "colour": "red",
                               "lines": [{"item": "Bolt", "quantity": 2}]}, user="pam")
    errors = caught.value.errors
    assert errors["supplier"] == ["required"] and errors["reason"] == ["required"]
    assert {"deliver_by", "colour", "lines"} <= set(errors)
    assert lab.records.search("purchase_order").total == 0
    assert [t.id for t in lab.tasks(instance_id=instance.id)] == [task.id]
    assert lab.instance(instance.id).variables == {}


def test_a_record_rule_refused_by_the_entity_changes_nothing(lab):
    _instance, task = request_task(lab)
    with pytest.raises(ValidationError) as caught:
        lab.complete(task.id, {"supplier": 404}, user="pam")
    assert caught.value.errors == {"supplier": ["no supplier 404"]}
    assert lab.records.search("purchase_order").total == 0
    assert lab.tasks(instance_id=task.instance_id)[0].state == "open"


def test_the_purchase_process_writes_its_record_through_forms_and_connectors(lab, acme):
    instance, task = request_task(lab)
    view = lab.human_tasks.task_form(task.id, "pam")
    assert view["key"] == "lab/request_order" and "record_values" not in view
    after = lab.complete(task.id, {"supplier": acme["id"], "urgent": True, "reason": "line stopped",
                                   "lines": [{"item": "Bolt", "quantity": 4, "price": "2.5"}]}, user="pam")
    po_id = after.variables["po_id"]
    order = lab.records.get("purchase_order", po_id)
    assert order["status"] == "approval"                                  # entity.update in the process
    assert order["total"] == decimal.Decimal("10.00") and order["buyer"] == "pam"
    assert after.variables["order_total"] == decimal.Decimal("10.00")     # entity.get output
    assert after.variables["order_number"] == order["number"] == "PO-2026-00001"
    assert after.variables["reason"] == "line stopped" and "supplier" not in after.variables

    [approve] = lab.tasks(instance_id=instance.id)
    form = lab.human_tasks.task_form(approve.id, "max")
    fields = {f["name"]: f for section in form["sections"] for f in section["fields"]}
    assert fields["supplier"]["value"] == acme["id"] and fields["supplier"]["readonly"]
    assert fields["total"]["value"] == "10.00"
    with pytest.raises(ValidationError) as caught:
        lab.complete(approve.id, {"decision": "reject", "total": "1"}, user="max")
    assert caught.value.errors == {"total": ["read-only field"], "comment": ["required"]}
    done = lab.complete(approve.id, {"decision": "reject", "comment": "too dear"}, user="max")
    assert done.state == "completed"
    assert lab.records.get("purchase_order", po_id)["status"] == "rejected"
    history = lab.records.history("purchase_order", po_id)
    assert [(h["action"], h["changed_by"]) for h in history] == [("create", "pam"), ("update", None),
                                                                 ("update", None)]
    assert history[0]["source"] == f"lab_purchase/{instance.id}/request"
    assert history[2]["source"] == f"lab_purchase/{instance.id}/mark_rejected"
    assert history[2]["changes"] == {"status": ["approval", "rejected"]}


def test_entity_connectors_create_and_fail_into_incidents(lab, acme, bpmn_file):
    xml = process_xml("make_supplier", [
        start(),
        service("create", "entity.create", inputs={"entity": "supplier", "name": "${name}", "rating": "${rating}"},
                outputs={"supplier_id": "${id}"}),
        service("update", "entity.update", inputs={"entity": "supplier", "id": "${supplier_id}", "rating": "9"}),
        service("broken", "entity.update", inputs={"entity": "supplier", "id": "${supplier_id}",
                                                   "name": "Acme", "notes": "dupe"}),
        end()], chain("start", "create", "update", "broken", "end"))
    lab.deploy(bpmn_file(xml))
    instance = lab.start("make_supplier", {"name": "Bolt Bros", "rating": 2})
    created = lab.records.get("supplier", instance.variables["supplier_id"])
    assert (created["name"], created["rating"]) == ("Bolt Bros", 9)
    assert instance.state == "failed"
    [incident] = lab.instances.incidents(instance.id)
    assert incident["element_id"] == "broken"
    assert "name: 'Acme' is already used by supplier" in incident["message"]
    assert created["notes"] is None                   # the refused write left nothing behind
    xml_missing = process_xml("missing", [start(), service("get", "entity.get", inputs={"entity": "supplier",
                                                                                         "id": "777"}), end()],
                              chain("start", "get", "end"))
    lab.deploy(bpmn_file(xml_missing, "missing.bpmn"))
    failed = lab.start("missing")
    assert failed.state == "failed"
    assert "no supplier 777" in lab.instances.incidents(failed.id)[0]["message"]


def test_forms_write_records_with_the_completing_users_permissions(lab, acme):
    lab.add_user("sam", groups=["purchase_manager"])
    lab.add_user("eve")
    order = lab.records.create("purchase_order", {"supplier": acme["id"]}, user="pam")
    # eve starts the process pointing its record variable at an existing order
    instance = lab.start("lab_purchase", {"po_id": order["id"]}, user="eve")
    [task] = lab.tasks(instance_id=instance.id)
    lab.assign(task.id, "eve")
    with pytest.raises(NotAllowed, match="eve may not update purchase_order records"):
        lab.complete(task.id, {"description": "mine now"}, user="eve")
    assert lab.records.get("purchase_order", order["id"])["description"] is None
    view = lab.human_tasks.task_form(task.id, "eve")
    assert all(f["value"] is None for s in view["sections"] for f in s["fields"] if f["source"] == "record")
    lab.assign(task.id, "pam")
    lab.complete(task.id, {"description": "checked"}, user="pam")
    assert lab.records.get("purchase_order", order["id"])["description"] == "checked"


def test_variable_fields_naming_records_must_name_existing_ones(lab, bpmn_file, project):
    (project / "forms" / "lab" / "pick.yaml").write_text(
        "name: pick\nsections:\n  - fields:\n"
        "      - {name: chosen, type: reference, to: supplier, required: true}\n"
        "      - {name: owner, type: user}\n")
    bpmn = project / "processes" / "lab" / "pick.bpmn"
    bpmn.write_text(process_xml("lab_pick", [start(), user_task("choose", camunda_formKey="lab/pick"), end()],
                                chain("start", "choose", "end")))
    lab.deploy(project / "plugins" / "lab")
    instance = lab.start("lab_pick")
    [task] = lab.tasks(instance_id=instance.id)
    with pytest.raises(ValidationError) as caught:
        lab.complete(task.id, {"chosen": 77, "owner": "ghost"})
    assert caught.value.errors == {"chosen": ["no supplier 77"], "owner": ["no user 'ghost'"]}
