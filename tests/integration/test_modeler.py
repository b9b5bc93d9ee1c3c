"""The modeler's use cases: drafts with conflict detection, validation that stores nothing,
deploying a draft as the next version, and Camunda Modeler diagrams kept as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPORA
from tests.support.bpmn import end, flow, gateway, process_xml, start, user
from weft import DeploymentError
from weft.engine.layout import with_diagram
from weft.services.errors import Conflict, NotAllowed, NotFound

CAMUNDA_7 = Path(__file__).resolve().parents[1] / "support" / "camunda" / "invoice_check.bpmn"
MIWG = CORPORA / "miwg-reference"


def routing(default: str | None = "to_b") -> str:
    xml = process_xml("routing", [start(), gateway("choose", default=default), user("a", camunda_candidateGroups="clerks"),
                                   user("b"), end("e1"), end("e2")],
                       [flow("start", "choose"), flow("choose", "a", "${big}", "to_a"), flow("choose", "b", None, "to_b"),
                        flow("a", "e1"), flow("b", "e2")], name="Routing")
    return with_diagram(xml.encode(), "routing").decode()  # drawn, as the modeler saves it


@pytest.fixture
def people(weft):
    for group in ("admin", "analyst"):
        weft.add_group(group)
    weft.add_user("anna", groups=["analyst"])
    weft.add_user("alex", groups=["analyst"])
    weft.add_user("emma")
    weft.add_user("root", groups=["admin"])


def test_employees_may_not_model_analysts_and_administrators_may(weft, people):
    for call in (lambda: weft.modeler.processes("emma"), lambda: weft.modeler.new_diagram("emma"),
                 lambda: weft.modeler.validate(routing(), "emma"), lambda: weft.modeler.save(routing(), "emma"),
                 lambda: weft.modeler.deploy(routing(), "emma")):
        with pytest.raises(NotAllowed):
            call()
    assert weft.modeler.processes("anna") == weft.modeler.processes("root") == []
    assert weft.process_definitions() == []


def test_a_draft_is_saved_loaded_and_protected_from_overwriting(weft, people):
    first = weft.modeler.save(routing(), "anna")
    assert (first.key, first.version, first.base_version, first.saved_by) == ("routing", 1, None, "anna")
    opened = weft.modeler.diagram("routing", "alex")
    assert opened.xml == routing() and opened.draft == first and opened.latest is None

    second = weft.modeler.save(routing().replace("Routing", "Routing v2"), "alex", "routing", expected_version=1)
    assert second.version == 2 and second.saved_by == "alex"
    with pytest.raises(Conflict, match="alex saved the draft of 'routing'"):
        weft.modeler.save(routing(), "anna", "routing", expected_version=1)      # anna still had version 1
    with pytest.raises(Conflict, match="open the draft to go on with it"):
        weft.modeler.save(routing(), "anna")                                     # a new diagram of the same process
    assert "Routing v2" in weft.modeler.diagram("routing", "anna").xml

    [entry] = weft.modeler.processes("anna")
    assert (entry.key, entry.versions, entry.draft.version) == ("routing", [], 2)
    with pytest.raises(Conflict):
        weft.modeler.discard("routing", "anna", expected_version=1)
    weft.modeler.discard("routing", "anna", expected_version=2)
    with pytest.raises(NotFound):
        weft.modeler.diagram("routing", "anna")


def test_a_draft_keeps_its_process_id(weft, people):
    weft.modeler.save(routing(), "anna")
    with pytest.raises(DeploymentError) as caught:
        weft.modeler.save(routing().replace('id="routing"', 'id="other"'), "anna", "routing", expected_version=1)
    [problem] = caught.value.problems
    assert problem.element == "routing" and "no longer defines process 'routing'" in problem.message
    with pytest.raises(DeploymentError, match="malformed XML"):
        weft.modeler.save("<definitions", "anna")


def test_validation_names_the_broken_gateway_and_stores_nothing(weft, people):
    [problem] = weft.modeler.validate(routing(default=None), "anna")
    assert (problem.file, problem.element) == ("routing.bpmn", "choose")
    assert "'to_b' is a non-default flow without condition" in problem.message
    assert weft.modeler.validate(routing(), "anna") == []
    assert weft.process_definitions() == [] and weft.modeler.processes("anna") == []


def test_deploying_a_draft_makes_the_next_version_and_drops_the_draft(weft, people, bpmn_file):
    weft.deploy(bpmn_file(routing(), "routing.bpmn"))
    opened = weft.modeler.diagram("routing", "anna")
    assert (opened.version, opened.latest, opened.draft) == (1, 1, None)
    changed = opened.xml.replace('"clerks"', '"buyers"')
    draft = weft.modeler.save(changed, "anna", "routing")
    assert draft.base_version == 1

    with pytest.raises(Conflict):
        weft.modeler.deploy(changed, "anna", "routing", draft_version=None)     # somebody's draft is newer
    deployment = weft.modeler.deploy(changed, "anna", "routing", draft_version=draft.version)
    [definition] = deployment.processes
    assert (definition.key, definition.version, definition.created) == ("routing", 2, True)
    assert weft.modeler.processes("anna")[0].versions == [2, 1] and weft.modeler.processes("anna")[0].draft is None
    assert weft.modeler.diagram("routing", "anna", version=1).xml == routing()
    assert weft.modeler.diagram("routing", "anna").xml == changed
    task = weft.tasks(instance_id=weft.start("routing", {"big": True}).id)[0]
    assert task.candidate_groups == ["buyers"]


def test_a_refused_deployment_keeps_the_draft_and_stores_nothing(weft, people):
    draft = weft.modeler.save(routing(default=None), "anna")
    with pytest.raises(DeploymentError) as caught:
        weft.modeler.deploy(routing(default=None), "anna", "routing", draft.version)
    assert [p.element for p in caught.value.problems] == ["choose"]
    assert weft.process_definitions() == [] and weft.modeler.diagram("routing", "anna").draft == draft


def test_form_keys_shaped_like_a_modules_must_name_a_deployed_form(weft, people):
    xml = routing().replace('camunda:candidateGroups="clerks"', 'camunda:formKey="crm/no_such_form"')
    [problem] = weft.modeler.validate(xml, "anna")
    assert problem.element == "a" and "formKey 'crm/no_such_form' names no deployed form" in problem.message


def test_a_camunda_modeler_7_diagram_saves_and_deploys_unchanged(weft, people):
    xml = CAMUNDA_7.read_text(encoding="utf-8")
    draft = weft.modeler.save(xml, "anna")
    assert draft.key == "invoice_check" and weft.modeler.diagram("invoice_check", "anna").xml == xml
    assert weft.modeler.validate(xml, "anna") == []
    deployment = weft.modeler.deploy(xml, "anna", "invoice_check", draft.version)
    assert deployment.name == "invoice_check" and deployment.processes[0].version == 1
    stored = weft.modeler.diagram("invoice_check", "anna")
    assert stored.xml == xml and stored.draft is None


@pytest.mark.skipif(not MIWG.is_dir(), reason=f"public corpora not found at {CORPORA} "
                                              "(present on developer and CI machines)")
def test_a_camunda_corpus_diagram_is_kept_as_drawn_and_validated_like_a_deployment(weft, people):
    """C.9.1 is written in Camunda 7's dialect (camunda:type external tasks, asyncBefore, topics)."""
    xml = (MIWG / "C.9.1.bpmn").read_text(encoding="utf-8")
    draft = weft.modeler.save(xml, "anna")
    assert weft.modeler.diagram(draft.key, "anna").xml == xml
    problems = weft.modeler.validate(xml, "anna", draft.key)
    with pytest.raises(DeploymentError) as deploying:
        weft.deploy(MIWG / "C.9.1.bpmn")
    assert [(p.element, p.message) for p in problems] == [(p.element, p.message) for p in deploying.value.problems]
    assert {p.element for p in problems} == {"SendTask_RequestDocument", "SendTask_SendReminderEmail"}

    # the analyst replaces the external tasks by a connector, as the Weft properties group does
    fixed = xml.replace(' camunda:type="external" camunda:topic="emailService"', "").replace(
        '<zeebe:taskDefinition type="email" />',
        "<camunda:connector><camunda:connectorId>mail.send</camunda:connectorId></camunda:connector>")
    saved = weft.modeler.save(fixed, "anna", draft.key, draft.version)
    deployment = weft.modeler.deploy(fixed, "anna", draft.key, saved.version)
    assert deployment.process_keys == ["requestDocument_en"]
    assert weft.modeler.diagram("requestDocument_en", "anna").xml == fixed
