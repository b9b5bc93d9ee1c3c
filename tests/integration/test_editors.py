"""Editing one form or entity of a deployed module: the stored YAML, previews, and deploying the
module with the file replaced — destructive entity changes refused until forced by name."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, inspect, select

from weft import NotAllowed
from weft.engine import DeploymentError
from weft.persistence.module_tables import form_definitions
from weft.persistence.tables import deployment_resources
from weft.services.errors import Conflict, NotFound

FORM = "forms/lab/approve_order.yaml"
ENTITY = "plugins/lab/entities/purchase_order.yaml"


@pytest.fixture(name="lab")
def lab_fixture(weft, project):
    """The lab module, an analyst (anna) and an employee (emma)."""
    weft.deploy(project / "plugins" / "lab")
    weft.add_group("analyst")
    weft.add_user("anna", groups=["analyst"])
    weft.add_user("emma")
    weft.project = project
    return weft


def test_the_editor_starts_from_the_deployed_file_as_written(lab):
    edited = lab.editors.file("form", "lab", "approve_order", "anna")
    assert (edited.path, edited.version) == (FORM, 1)
    assert edited.text == (lab.project / FORM).read_text()            # comments and layout kept
    assert lab.editors.file("entity", "lab", "purchase_order", "anna").path == ENTITY
    [module] = lab.editors.editable("anna")
    assert (module.name, module.forms) == ("lab", ["approve_order", "request_order"])
    assert module.entities == ["purchase_order", "purchase_order_line", "supplier"]
    with pytest.raises(NotFound, match="no form 'nope'"):
        lab.editors.file("form", "lab", "nope", "anna")
    with pytest.raises(NotFound, match="no module 'crm'"):
        lab.editors.file("form", "crm", "approve_order", "anna")


def test_a_form_preview_renders_the_edit_and_names_problems(lab):
    text = lab.editors.file("form", "lab", "approve_order", "anna").text
    added = text.replace("      - {name: comment,", "      - {name: cost_centre, type: string, required: true}\n"
                                                   "      - {name: comment,")
    preview = lab.editors.preview_form("lab", "approve_order", added, "anna")
    assert preview.problems == []
    fields = [f["name"] for section in preview.form["sections"] for f in section["fields"]]
    assert fields == ["supplier", "total", "decision", "cost_centre", "comment"]
    wrong = lab.editors.preview_form("lab", "approve_order", text.replace("{field: total", "{field: totl"), "anna")
    assert [(p.file, p.element) for p in wrong.problems] == [(FORM, "sections[0].fields[1].field")]
    assert "purchase_order has no field 'totl'" in wrong.problems[0].message
    broken = lab.editors.preview_form("lab", "approve_order", text + "  - [oops\n", "anna")
    assert broken.form is None and broken.problems[0].file == FORM and "line" in broken.problems[0].message


def test_a_form_edit_is_deployed_as_a_new_version(lab):
    text = lab.editors.file("form", "lab", "approve_order", "anna").text
    deployment = lab.editors.deploy("form", "lab", "approve_order", text.replace("Approve purchase order",
                                                                                  "Check purchase order"), "anna", 1)
    assert (deployment.module, deployment.version, deployment.changes) == ("lab", 2, [])
    with lab.database.engine.connect() as conn:
        titles = conn.execute(select(form_definitions.c.definition).where(form_definitions.c.name == "approve_order")
                              .order_by(form_definitions.c.version)).scalars().all()
    assert [t["title"]["en"] for t in titles] == ["Approve purchase order", "Check purchase order"]
    again = lab.editors.file("form", "lab", "approve_order", "anna")
    assert "Check purchase order" in again.text and again.version == 2
    with pytest.raises(Conflict, match="deployed meanwhile"):
        lab.editors.deploy("form", "lab", "approve_order", text, "anna", 1)
    with pytest.raises(DeploymentError) as renamed:
        lab.editors.deploy("form", "lab", "approve_order", again.text.replace("name: approve_order", "name: other"),
                           "anna", 2)
    assert [(p.file, p.element) for p in renamed.value.problems] == [(FORM, "name")]


def test_an_entity_preview_shows_changes_and_refuses_losing_data_until_forced(lab):
    text = lab.editors.file("entity", "lab", "purchase_order", "anna").text
    added = text.replace("  urgent:", "  cost_centre:   {type: string, length: 20}\n  urgent:")
    preview = lab.editors.preview_entity("lab", "purchase_order", added, "anna")
    assert preview.ready and preview.changes == ["add_column purchase_order.cost_centre: string(20)"]
    assert preview.statements == ["ALTER TABLE ent_purchase_order ADD COLUMN cost_centre VARCHAR(20)"]
    supplier = lab.records.create("supplier", {"name": "Acme"})["id"]
    for phone in ("+49 30 1234", "+49 40 5678"):
        lab.records.create("purchase_order", {"supplier": supplier, "contact_phone": phone})
    removed = text.replace("  contact_phone: {type: phone}\n", "")
    refused = lab.editors.preview_entity("lab", "purchase_order", removed, "anna")
    assert not refused.ready and refused.statements == [] and refused.problems == []
    [problem] = refused.refused
    assert (problem.file, problem.force) == (ENTITY, "purchase_order.contact_phone")
    assert "delete its values in 2 rows" in problem.message
    with pytest.raises(DeploymentError):
        lab.editors.deploy("entity", "lab", "purchase_order", removed, "anna", 1)
    forced = lab.editors.preview_entity("lab", "purchase_order", removed, "anna", force=["purchase_order.contact_phone"])
    assert forced.ready and forced.forced == ["purchase_order.contact_phone"]
    assert forced.changes == ["drop_column purchase_order.contact_phone: removed from the definition"]
    assert forced.statements == ["ALTER TABLE ent_purchase_order DROP COLUMN contact_phone"]
    assert "contact_phone" in _columns(lab)                        # a preview changes nothing
    lab.editors.deploy("entity", "lab", "purchase_order", removed, "anna", 1, force=["purchase_order.contact_phone"])
    assert "contact_phone" not in _columns(lab)
    assert lab.records.search("purchase_order").total == 2


def test_modules_deployed_before_files_were_kept_are_written_back(lab):
    with lab.database.engine.begin() as conn:
        conn.execute(delete(deployment_resources).where(deployment_resources.c.name.like("%.yaml")))
    edited = lab.editors.file("entity", "lab", "purchase_order", "anna")
    assert "supplier:" in edited.text and "Заказ поставщику" in edited.text
    deployment = lab.editors.deploy("entity", "lab", "purchase_order", edited.text, "anna", 1)
    assert deployment.changes == [] and deployment.version == 2
    assert lab.editors.file("form", "lab", "request_order", "anna").text.startswith("name: request_order")


def test_only_analysts_and_administrators_edit(lab):
    with pytest.raises(NotAllowed):
        lab.editors.file("form", "lab", "approve_order", "emma")
    with pytest.raises(NotAllowed):
        lab.editors.preview_entity("lab", "purchase_order", "name: purchase_order", "emma")
    with pytest.raises(NotAllowed):
        lab.editors.deploy("form", "lab", "approve_order", "name: approve_order", "emma", 1)


def _columns(weft) -> set[str]:
    with weft.database.engine.connect() as conn:
        return {c["name"] for c in inspect(conn).get_columns("ent_purchase_order")}
