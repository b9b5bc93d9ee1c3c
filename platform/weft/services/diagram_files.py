"""BPMN files as the modeler handles them: text for the browser, the processes they define, the
form keys they name, and the diagram a new process starts from."""

from __future__ import annotations

import re
import secrets

from lxml import etree

from ..engine import DeploymentError, Problem, Resource
from ..engine.outline import outline_document
from ..engine.xml_safety import UnsafeXml, parse_untrusted_xml
from ..entities.labels import humanize, translate

# A form key the way modules name their forms; Camunda keys such as ``embedded:app:…`` are left alone.
MODULE_FORM_KEY = re.compile(r"^[a-z][a-z0-9_]*/[a-z][a-z0-9_]*$")

BLANK = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" \
xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" \
xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_{suffix}" \
targetNamespace="http://bpmn.io/schema/bpmn" exporter="Weft" exporterVersion="0.1">
  <bpmn:process id="Process_{suffix}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_{suffix}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def blank_diagram() -> str:
    """An executable process with a start event and a fresh id (``Process_<7 characters>``, as
    Camunda Modeler names them)."""
    return BLANK.format(suffix=secrets.token_hex(4)[:7])


def diagram_text(content: bytes) -> str:
    """A stored file as text for the browser; files in other encodings are re-encoded as UTF-8
    (the modeler saves text, stored again as UTF-8)."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        root = parse_untrusted_xml(content, "diagram")
        return etree.tostring(root, encoding="unicode")


def process_keys(content: bytes, file_name: str) -> list[str]:
    """The processes a BPMN file defines, executable ones first; raises ``DeploymentError``
    when it is no BPMN file."""
    try:
        outline = outline_document(parse_untrusted_xml(content, file_name), file_name)
    except UnsafeXml as exc:
        raise DeploymentError([exc.problem]) from None
    if outline.kind != "bpmn":
        raise DeploymentError([p for p in outline.problems] or [Problem(file_name, "not a BPMN 2.0 document")])
    ordered = sorted(outline.processes, key=lambda p: not p.executable)
    return [p.process_id for p in ordered if p.process_id]


def form_problems(resource: Resource, forms: set[str]) -> list[Problem]:
    """Form keys shaped like a module's (``<module>/<form>``) must name a deployed form."""
    try:
        outline = outline_document(parse_untrusted_xml(resource.content, resource.name), resource.name)
    except UnsafeXml:
        return []          # reported by the deployment's own checks
    return [Problem(resource.name, f"formKey {key!r} names no deployed form", element)
            for element, key in outline.form_keys if MODULE_FORM_KEY.match(key) and key not in forms]


def form_title(definition: object, name: str, locale: str) -> str:
    title = definition.get("title") if isinstance(definition, dict) else None
    if isinstance(title, dict) and title:
        return translate({str(k): str(v) for k, v in title.items()}, locale)
    return str(title) if isinstance(title, str) and title else humanize(name)
