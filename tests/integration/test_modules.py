"""Modules as data: deploying entities, forms and processes together; safe schema evolution."""

from __future__ import annotations

import shutil

import pytest
import yaml
from sqlalchemy import inspect

from tests.support.modules import edit_yaml, entity_file, module_files
from weft.engine.errors import DeploymentError
from weft.services.errors import ValidationError


def lab(weft, project, **options):
    return weft.deploy(project / "plugins" / "lab", **options)


def columns(weft, table):
    return {c["name"]: c for c in inspect(weft.database.engine).get_columns(table)}


def tables(weft):
    return {name for name in inspect(weft.database.engine).get_table_names() if name.startswith("ent_")}


def problems(caught):
    return [(p.file, p.element, p.message) for p in caught.value.problems]


def test_the_test_module_deploys_every_field_type(weft, project):
    deployment = lab(weft, project, user=None)
    assert (deployment.module, deployment.module_version, deployment.version) == ("lab", "1.0.0", 1)
    assert deployment.process_keys == ["lab_purchase"]
    assert tables(weft) == {"ent_supplier", "ent_purchase_order", "ent_purchase_order_line"}
    order = columns(weft, "ent_purchase_order")
    for name in ("id", "number", "version", "created_at", "created_by", "updated_at", "updated_by", "supplier",
                 "order_date", "deliver_by", "status", "total", "quantity", "discount", "buyer", "quote",
                 "details", "description", "urgent", "contact", "contact_phone"):
        assert name in order, name
    assert "lines" not in order
    assert {"parent_id", "position", "item", "amount"} <= set(columns(weft, "ent_purchase_order_line"))
    inspector = inspect(weft.database.engine)
    foreign = {fk["constrained_columns"][0]: fk["referred_table"] for fk in inspector.get_foreign_keys(
        "ent_purchase_order")}
    assert foreign == {"supplier": "ent_supplier", "quote": "attachments"}
    unique = {tuple(i["column_names"]) for i in inspector.get_indexes("ent_supplier") if i["unique"]}
    assert ("name",) in unique
    assert {i["name"] for i in inspector.get_indexes("ent_purchase_order")} >= {
        "uq_ent_purchase_order__number", "ix_ent_purchase_order__supplier"}
    [module] = weft.modules.modules()
    assert module.roles == ["purchaser", "purchase_manager"] and module.menu[0] == {"entity": "purchase_order"}
    assert {"purchaser", "purchase_manager"} <= set(weft.accounts.groups())
    again = lab(weft, project)
    assert again.unchanged and again.version == 1


def test_additive_changes_apply_with_the_deploy(weft, project):
    lab(weft, project)
    first = weft.records.create("supplier", {"name": "Acme", "notes": "old"})

    def grow(data):
        data["fields"]["name"]["length"] = 200
        data["fields"]["country"] = {"type": "string", "index": True, "label": {"en": "Country", "ru": "Страна"}}
        data["fields"]["since"] = {"type": "date"}
    edit_yaml(entity_file(project, "supplier"), grow)
    (project / "plugins" / "lab" / "entities" / "warehouse.yaml").write_text(
        "name: warehouse\nfields:\n  code: {type: string, required: true, unique: true}\n")
    edit_yaml(entity_file(project, "purchase_order"), lambda d: d["fields"].update(
        {"warehouse": {"type": "reference", "to": "warehouse"}}))
    deployment = lab(weft, project)
    assert deployment.version == 2
    assert {"add_column supplier.country: string(255)", "add_index supplier.country", "create_table warehouse",
            "add_column purchase_order.warehouse: integer"} <= set(deployment.changes)
    assert any(change.startswith("widen supplier.name") for change in deployment.changes)
    assert {"country", "since"} <= set(columns(weft, "ent_supplier"))
    assert weft.records.get("supplier", first["id"])["notes"] == "old"          # data kept
    depot = weft.records.create("warehouse", {"code": "W1"})
    second = weft.records.create("supplier", {"name": "B" * 150, "country": "NL"})
    assert second["country"] == "NL"
    order = weft.records.create("purchase_order", {"supplier": second["id"], "warehouse": depot["id"]})
    assert order["warehouse"] == depot["id"]


def test_a_destructive_change_is_refused_naming_entity_field_and_rows(weft, project):
    lab(weft, project)
    for name in ("A", "B", "C"):
        weft.records.create("supplier", {"name": name, "notes": f"about {name}"})
    def shrink(data):
        data["fields"].pop("notes")
        data["fields"]["name"]["length"] = 10
    edit_yaml(entity_file(project, "supplier"), shrink)
    with pytest.raises(DeploymentError) as caught:
        lab(weft, project)
    found = problems(caught)
    assert ("plugins/lab/entities/supplier.yaml", "supplier.notes",
            "supplier.notes: removing the field would delete its values in 3 rows "
            "(deploy with --force supplier.notes to accept)") in found
    assert any(element == "supplier.name" and "3 rows" in message for _f, element, message in found)
    # nothing applied
    assert "notes" in columns(weft, "ent_supplier")
    assert weft.modules.modules()[0].deployment_id == 1
    assert weft.records.search("supplier").total == 3

    forced = lab(weft, project, force=["supplier.notes", "supplier.name"])
    assert forced.version == 2
    assert "notes" not in columns(weft, "ent_supplier")
    assert [r["name"] for r in weft.records.search("supplier", sort="name").records] == ["A", "B", "C"]


def test_force_must_name_a_change_of_the_deploy(weft, project):
    lab(weft, project)
    edit_yaml(entity_file(project, "supplier"), lambda d: d["fields"].update({"x": "string"}))
    with pytest.raises(DeploymentError) as caught:
        lab(weft, project, force=["supplier.colour"])
    assert any(file == "--force" and "'supplier.colour' names no change" in message
               for file, _e, message in problems(caught))


def test_removing_an_empty_field_loses_nothing_and_needs_no_force(weft, project):
    lab(weft, project)
    weft.records.create("supplier", {"name": "A"})
    edit_yaml(entity_file(project, "supplier"), lambda d: d["fields"].pop("notes"))
    assert lab(weft, project).version == 2
    assert "notes" not in columns(weft, "ent_supplier")


def test_new_required_or_unique_is_checked_against_the_data(weft, project):
    lab(weft, project)
    weft.records.create("supplier", {"name": "A", "email": "same@x.test"})
    weft.records.create("supplier", {"name": "B", "email": "same@x.test", "rating": 3})

    def tighten(data):
        data["fields"]["rating"]["required"] = True
        data["fields"]["email"]["unique"] = True
    edit_yaml(entity_file(project, "supplier"), tighten)
    with pytest.raises(DeploymentError) as caught:
        lab(weft, project, force=["supplier.email"])
    found = {element: message for _f, element, message in problems(caught)}
    assert "1 rows have no value, so the field cannot become required" in found["supplier.rating"]
    assert "1 rows share a value, so it cannot become unique" in found["supplier.email"]
    weft.records.update("supplier", weft.records.search("supplier", {"name": "A"}).records[0]["id"],
                        {"email": "a@x.test", "rating": 1})
    assert lab(weft, project).version == 2
    with pytest.raises(ValidationError, match="'a@x.test' is already used"):
        weft.records.create("supplier", {"name": "C", "email": "a@x.test", "rating": 1})
    with pytest.raises(Exception, match="rating"):
        weft.records.create("supplier", {"name": "D"})


def test_removing_choice_options_in_use_is_refused(weft, project):
    lab(weft, project)
    supplier = weft.records.create("supplier", {"name": "A"})
    weft.records.create("purchase_order", {"supplier": supplier["id"], "status": "ordered"})
    edit_yaml(entity_file(project, "purchase_order"), lambda d: d["fields"]["status"]["options"].remove("ordered"))
    with pytest.raises(DeploymentError, match=r"options removed: ordered; 1 rows hold them"):
        lab(weft, project)


def test_a_dry_run_shows_the_ddl_and_changes_nothing(weft, project):
    lab(weft, project)
    edit_yaml(entity_file(project, "supplier"), lambda d: d["fields"].update({"vat_id": {"type": "string",
                                                                                         "unique": True}}))
    dry = lab(weft, project, dry_run=True)
    assert dry.dry_run and dry.version == 2
    assert dry.changes == ["add_column supplier.vat_id: string(255)", "add_index supplier.vat_id: unique"]
    assert any(s.startswith("ALTER TABLE ent_supplier ADD COLUMN vat_id VARCHAR(255)") for s in dry.statements)
    assert any("CREATE UNIQUE INDEX uq_ent_supplier__vat_id" in s for s in dry.statements)
    assert "vat_id" not in columns(weft, "ent_supplier")
    assert weft.modules.modules()[0].deployment_id == 1
    assert lab(weft, project).version == 2


def test_removing_an_entity_with_rows_needs_force(weft, project):
    lab(weft, project)
    (project / "plugins" / "lab" / "entities" / "note.yaml").write_text("name: note\nfields:\n  text: text\n")
    lab(weft, project)
    weft.records.create("note", {"text": "keep me"})
    (project / "plugins" / "lab" / "entities" / "note.yaml").unlink()
    with pytest.raises(DeploymentError, match="removing the entity would delete its 1 rows"):
        lab(weft, project)
    assert lab(weft, project, force=["note"]).version == 3
    assert "ent_note" not in tables(weft)
    with pytest.raises(Exception, match="no entity 'note'"):
        weft.records.search("note")


def test_every_problem_is_listed_and_nothing_is_applied(weft, project):
    def break_order(data):
        data["fields"]["carrier"] = {"type": "reference", "to": "carrier"}
        data["permissions"]["auditor"] = ["read"]
    edit_yaml(entity_file(project, "purchase_order"), break_order)
    edit_yaml(project / "forms" / "lab" / "approve_order.yaml",
              lambda d: d["sections"][0]["fields"].append({"field": "colour"}))
    edit_yaml(project / "plugins" / "lab" / "plugin.yaml", lambda d: d.update({"requires": ["core"]}))
    bpmn = project / "processes" / "lab" / "purchase.bpmn"
    bpmn.write_text(bpmn.read_text().replace("lab/approve_order", "lab/approve_ordr"))
    (project / "processes" / "lab" / "broken.bpmn").write_text("<definitions><process id='x'")
    with pytest.raises(DeploymentError) as caught:
        lab(weft, project)
    found = problems(caught)
    expected = [
        ("plugins/lab/plugin.yaml", "requires", "module 'core' is neither deployed nor part of this deploy"),
        ("plugins/lab/entities/purchase_order.yaml", "fields.carrier.to", "refers to unknown entity 'carrier'"),
        ("plugins/lab/entities/purchase_order.yaml", "permissions.auditor", "role 'auditor' is not declared"),
        ("forms/lab/approve_order.yaml", "sections[0].fields[2].field", "purchase_order has no field 'colour'"),
        ("processes/lab/broken.bpmn", None, ""),
    ]
    for file, element, words in expected:
        assert any(f == file and (element is None or e == element) and words in m for f, e, m in found), \
            (file, element, found)
    assert tables(weft) == set()
    assert weft.modules.modules() == [] and weft.process_definitions() == []


def test_a_form_key_naming_no_form_is_refused(weft, project):
    bpmn = project / "processes" / "lab" / "purchase.bpmn"
    bpmn.write_text(bpmn.read_text().replace("lab/approve_order", "approve_order"))
    with pytest.raises(DeploymentError) as caught:
        lab(weft, project)
    assert problems(caught) == [("processes/lab/purchase.bpmn", "approve", "formKey 'approve_order' should name "
                                 "a form as '<module>/<form name>'")]


def test_modules_deploy_together_in_dependency_order(weft, project):
    extra = module_files("lab_extra", {
        "plugins/lab_extra/plugin.yaml": {"name": "lab_extra", "version": "0.1.0", "requires": ["lab"],
                                          "roles": ["auditor"]},
        "plugins/lab_extra/entities/audit.yaml": {
            "name": "audit", "fields": {"supplier": {"type": "reference", "to": "supplier"}, "score": "integer"},
            "permissions": {"auditor": ["read", "create"], "purchaser": ["read"]}},
    })
    from weft.packages.module import read_module_folder
    results = weft.deploy_modules([extra, read_module_folder(project, "lab")])
    assert [r.module for r in results] == ["lab", "lab_extra"]
    supplier = weft.records.create("supplier", {"name": "A"})
    assert weft.records.create("audit", {"supplier": supplier["id"], "score": 3})["score"] == 3


def test_an_entity_belongs_to_the_module_that_defined_it(weft, project):
    lab(weft, project)
    intruder = module_files("intruder", {"plugins/intruder/entities/supplier.yaml": {
        "name": "supplier", "fields": {"name": "string"}}})
    with pytest.raises(DeploymentError, match="entity 'supplier' belongs to module 'lab'"):
        weft.deploy_modules([intruder])


def test_cycles_in_requires_are_refused(weft):
    a = module_files("a", {"plugins/a/plugin.yaml": {"name": "a", "version": "1.0", "requires": ["b"]}})
    b = module_files("b", {"plugins/b/plugin.yaml": {"name": "b", "version": "1.0", "requires": ["a"]}})
    with pytest.raises(DeploymentError, match="modules require each other in a cycle: a -> b -> a"):
        weft.deploy_modules([a, b])


def test_package_build_deploy_and_redeploy_with_a_change_is_version_2(weft, project, tmp_path):
    first = weft.build_package("lab", project, tmp_path / "dist")
    assert first.name == "lab-1.0.0.weftpkg"
    deployed = weft.deploy(first)
    assert (deployed.version, deployed.module_version) == (1, "1.0.0")
    supplier = weft.records.create("supplier", {"name": "Acme"})
    edit_yaml(project / "plugins" / "lab" / "plugin.yaml", lambda d: d.update({"version": "1.1.0"}))
    edit_yaml(entity_file(project, "supplier"), lambda d: d["fields"].update({"website": {"type": "string"}}))
    second = weft.build_package("lab", project, tmp_path / "dist")
    assert second.name == "lab-1.1.0.weftpkg"
    redeployed = weft.deploy(second)
    assert (redeployed.version, redeployed.module_version) == (2, "1.1.0")
    assert redeployed.changes == ["add_column supplier.website: string(255)"]
    assert weft.records.get("supplier", supplier["id"])["website"] is None
    assert [p.version for p in weft.process_definitions()] == [1]        # the process did not change
    assert weft.deploy(second).unchanged


def test_a_module_by_name_deploys_from_the_current_folder(weft, project, monkeypatch):
    monkeypatch.chdir(project)
    assert weft.deploy("lab").module == "lab"
    shutil.rmtree(project / "plugins" / "lab")
    with pytest.raises(DeploymentError, match="the module has no plugin.yaml"):
        weft.deploy("lab")


def small_module(entities, name="shop", version="1.0.0", forms=None):
    files = {f"plugins/{name}/plugin.yaml": {"name": name, "version": version, "roles": ["clerk"]}}
    files.update({f"plugins/{name}/entities/{e['name']}.yaml": e for e in entities})
    files.update({f"forms/{name}/{f['name']}.yaml": f for f in forms or []})
    return module_files(name, files)


def test_index_names_never_collide(weft):
    weft.deploy_modules([small_module([
        {"name": "order", "fields": {"line_item": {"type": "string", "index": True}}},
        {"name": "order_line", "fields": {"item": {"type": "string", "index": True}}},
        {"name": "a" * 59, "fields": {"b" * 58 + "1": {"type": "string", "index": True},
                                      "b" * 58 + "2": {"type": "string", "index": True}}},
    ])])
    names = {i["name"] for t in ("ent_order", "ent_order_line", "ent_" + "a" * 59)
             for i in inspect(weft.database.engine).get_indexes(t)}
    assert {"ix_ent_order__line_item", "ix_ent_order_line__item"} <= names and len(names) == 4
    assert all(len(n) <= 63 for n in names)


def test_row_defaults_and_numeric_choice_defaults(weft):
    weft.deploy_modules([small_module([
        {"name": "basket", "fields": {"size": {"type": "choice", "options": [1, 2, 3], "default": 2},
                                      "items": {"type": "table", "of": "basket_item"}}},
        {"name": "basket_item", "fields": {"qty": {"type": "integer", "default": 1}, "sku": "string"}},
    ])])
    basket = weft.records.create("basket", {"items": [{"sku": "A"}, {"sku": "B", "qty": 5}]})
    assert basket["size"] == "2"
    assert [(i["sku"], i["qty"]) for i in basket["items"]] == [("A", 1), ("B", 5)]


def test_naming_series_survive_removal_and_a_wider_counter(weft):
    ticket = {"name": "ticket", "naming": "T-{#}", "fields": {"title": "string"}}
    weft.deploy_modules([small_module([ticket])])
    numbers = [weft.records.create("ticket", {"title": str(i)})["number"] for i in range(10)]
    assert numbers[-1] == "T-10"
    ticket["naming"] = "T-{##}"
    weft.deploy_modules([small_module([ticket], version="1.1.0")])
    assert weft.records.create("ticket", {"title": "x"})["number"] == "T-11"
    del ticket["naming"]
    removed = weft.deploy_modules([small_module([ticket], version="1.2.0")])[0]
    assert removed.changes == ["keep ticket.number: naming series removed: numbers given stay, new records get none"]
    assert weft.records.create("ticket", {"title": "y"}).get("number") is None
    ticket["naming"] = "T-{###}"
    weft.deploy_modules([small_module([ticket], version="1.3.0")])
    assert weft.records.create("ticket", {"title": "z"})["number"] == "T-012"


def test_entities_removed_together_are_dropped_in_dependency_order(weft):
    alpha = {"name": "alpha", "fields": {"beta": {"type": "reference", "to": "beta"}}}
    beta = {"name": "beta", "fields": {"lines": {"type": "table", "of": "beta_line"}, "note": "string"}}
    line = {"name": "beta_line", "fields": {"qty": "integer"}}
    keep = {"name": "keep", "fields": {"x": "string", "alpha": {"type": "reference", "to": "alpha"}}}
    weft.deploy_modules([small_module([alpha, beta, line, keep])])
    b = weft.records.create("beta", {"note": "n", "lines": [{"qty": 1}]})
    a = weft.records.create("alpha", {"beta": b["id"]})
    weft.records.create("keep", {"x": "1", "alpha": a["id"]})
    keep["fields"].pop("alpha")
    with pytest.raises(DeploymentError) as caught:
        weft.deploy_modules([small_module([keep], version="2.0.0")])
    assert {element for _f, element, _m in problems(caught)} >= {"alpha", "beta", "beta_line", "keep.alpha"}
    result = weft.deploy_modules([small_module([keep], version="2.0.0")],
                                 force=["alpha", "beta", "beta_line", "keep.alpha"])[0]
    assert result.version == 2
    assert tables(weft) == {"ent_keep"}
    assert weft.records.create("keep", {"x": "2"})["x"] == "2"          # the table still takes rows
    weft.deploy_modules([small_module([keep, {"name": "beta", "fields": {"note": "text"}}], version="3.0.0")])
    fresh = weft.records.create("beta", {"note": "new"})
    assert [h["action"] for h in weft.records.history("beta", fresh["id"])] == ["create"]


def test_child_entities_keep_their_parent(weft):
    order = {"name": "order", "fields": {"lines": {"type": "table", "of": "line"}}}
    line = {"name": "line", "fields": {"qty": "integer"}}
    contact = {"name": "contact", "fields": {"name": "string"}}
    weft.deploy_modules([small_module([order, line, contact])])
    order["fields"]["people"] = {"type": "table", "of": "contact"}
    with pytest.raises(DeploymentError, match="contact has records of its own and cannot become the rows"):
        weft.deploy_modules([small_module([order, line, contact], version="2.0")])
    order["fields"].pop("people")
    order["fields"].pop("lines")
    with pytest.raises(DeploymentError, match="line holds the rows of order.lines and cannot move"):
        weft.deploy_modules([small_module([order, line, contact], version="2.0")])


def test_a_field_cannot_turn_into_a_reference(weft):
    invoice = {"name": "invoice", "fields": {"customer": "integer"}}
    customer = {"name": "customer", "fields": {"name": "string"}}
    weft.deploy_modules([small_module([invoice, customer])])
    weft.records.create("invoice", {"customer": 999})
    invoice["fields"]["customer"] = {"type": "reference", "to": "customer"}
    with pytest.raises(DeploymentError, match="a integer field cannot become a reference; 1 rows hold values"):
        weft.deploy_modules([small_module([invoice, customer], version="2.0")], force=["invoice.customer"])


def test_fields_keep_the_order_they_are_written_in(weft, project):
    # JSONB sorts keys: a formula reading a field above it broke on PostgreSQL, and pages showed
    # fields out of order.
    weft.deploy(project / "plugins" / "lab")
    written = list(yaml.safe_load((project / "plugins" / "lab" / "entities" / "purchase_order.yaml").read_text())["fields"])
    assert [f.name for f in weft.records.catalog().get("purchase_order").fields] == written
