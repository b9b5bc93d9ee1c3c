"""BPMN files as the modeler handles them (no database)."""

from __future__ import annotations

import pytest

from tests.support.bpmn import end, flow, process_xml, start, user
from weft.engine import DeploymentError, Resource, compile_deployment
from weft.services.diagram_files import blank_diagram, diagram_text, form_problems, form_title, process_keys


def test_a_new_diagram_is_an_executable_process_that_deploys():
    xml = blank_diagram()
    [key] = process_keys(xml.encode(), "new.bpmn")
    assert key.startswith("Process_") and len(key) == len("Process_") + 7 and key != process_keys(
        blank_diagram().encode(), "new.bpmn")[0]
    assert [p.key for p in compile_deployment([Resource("new.bpmn", xml.encode())]).processes] == [key]


def test_executable_processes_come_first_and_non_bpmn_is_refused():
    xml = process_xml("main", [start(), end()], [flow("start", "end")],
                      extra_processes='<process id="aside" isExecutable="false"/>').replace(
        '<process id="main"', '<process id="aside0" isExecutable="false"/><process id="main"')
    assert process_keys(xml.encode(), "p.bpmn") == ["main", "aside0", "aside"]
    with pytest.raises(DeploymentError, match="malformed XML"):
        process_keys(b"<definitions", "p.bpmn")
    with pytest.raises(DeploymentError, match="not a BPMN 2.0 or DMN document"):
        process_keys(b"<html/>", "p.bpmn")


def test_files_in_other_encodings_become_text():
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><definitions name="Grüße"/>'.encode("latin-1")
    text = diagram_text(latin)
    assert "Grüße" in text and "ISO-8859-1" not in text
    assert diagram_text("<a>Grüße</a>".encode()) == "<a>Grüße</a>"


def test_only_module_shaped_form_keys_must_name_deployed_forms():
    nodes = [start(), user("a", camunda_formKey="crm/missing"), user("b", camunda_formKey="crm/lead"),
             user("c", camunda_formKey="embedded:app:forms/x.html"), end()]
    xml = process_xml("p", nodes, [flow("start", "a"), flow("a", "b"), flow("b", "c"), flow("c", "end")])
    [problem] = form_problems(Resource("p.bpmn", xml.encode()), {"crm/lead"})
    assert (problem.element, problem.message) == ("a", "formKey 'crm/missing' names no deployed form")


def test_form_titles_in_the_page_language():
    assert form_title({"title": {"en": "Approve", "ru": "Согласовать"}}, "approve", "ru") == "Согласовать"
    assert form_title({"title": "Approve"}, "approve", "ru") == "Approve"
    assert form_title({}, "approve_order", "en") == "Approve order"
