"""A first reading of a BPMN/DMN document: what it contains and what Weft cannot run.

This runs before SpiffWorkflow's parser so that unsupported constructs are reported by
element id instead of being silently misread (SpiffWorkflow treats an unknown event
definition as a none event, and a plain ``bpmn:task`` as a wait state).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .errors import Problem
from .gateway_checks import gateway_problems
from .model import BPMN_NS, DMN_NAMESPACES, ElementInfo
from .structure_checks import structure_problems

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"

CONTAINERS = {"process", "subProcess", "transaction", "adHocSubProcess"}
FLOW_NODES = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "businessRuleTask", "sendTask",
    "receiveTask",
    "subProcess", "transaction", "adHocSubProcess", "callActivity",
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
}
NOT_FLOW_NODES = {
    "sequenceFlow", "laneSet", "dataObject", "dataObjectReference", "dataStoreReference",
    "textAnnotation", "association", "group", "ioSpecification", "property", "documentation",
    "extensionElements", "incoming", "outgoing", "dataInputAssociation", "dataOutputAssociation",
    "standardLoopCharacteristics", "multiInstanceLoopCharacteristics", "auditing", "monitoring",
    "correlationSubscription", "completionCondition", "supports",
}
SUPPORTED_EVENT_DEFINITIONS = {
    "messageEventDefinition", "signalEventDefinition", "timerEventDefinition", "errorEventDefinition",
    "escalationEventDefinition", "terminateEventDefinition", "cancelEventDefinition",
    "conditionalEventDefinition",
}
PYTHON_SCRIPT_FORMATS = {"", "python", "py", "text/x-python", "text/python", "application/x-python"}


def local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


@dataclass
class ProcessOutline:
    process_id: str
    name: str
    executable: bool
    calls: list[tuple[str, str]] = field(default_factory=list)       # (element id, called process)
    decisions: list[tuple[str, str]] = field(default_factory=list)   # (element id, decision id)


@dataclass
class DocumentOutline:
    file: str
    kind: str                      # "bpmn" or "dmn"
    processes: list[ProcessOutline] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    elements: dict[str, ElementInfo] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    connectors: list[tuple[str, str]] = field(default_factory=list)    # (element id, connector id)
    form_keys: list[tuple[str, str]] = field(default_factory=list)     # (element id, camunda:formKey)
    initiators: dict[str, str] = field(default_factory=dict)           # start event id -> camunda:initiator

    @property
    def executable_processes(self) -> list[ProcessOutline]:
        return [p for p in self.processes if p.executable]


def outline_document(root: etree._Element, filename: str) -> DocumentOutline:
    namespace = etree.QName(root).namespace
    if local(root.tag) == "definitions" and namespace == BPMN_NS:
        return _outline_bpmn(root, filename)
    if local(root.tag) == "definitions" and namespace in DMN_NAMESPACES:
        return _outline_dmn(root, filename)
    outline = DocumentOutline(filename, "unknown")
    outline.problems.append(Problem(filename, "not a BPMN 2.0 or DMN document (root element "
                                              f"{local(root.tag) or root.tag!r} in namespace {namespace!r})"))
    return outline


def _outline_dmn(root: etree._Element, filename: str) -> DocumentOutline:
    from .dmn import parse_dmn

    outline = DocumentOutline(filename, "dmn")
    for decision in root:
        if local(decision.tag) == "decision":
            outline.decisions.append(decision.get("id", ""))
    if not outline.decisions:
        outline.problems.append(Problem(filename, "the DMN document contains no decision"))
    outline.problems.extend(parse_dmn(root, filename)[1])
    return outline


def _outline_bpmn(root: etree._Element, filename: str) -> DocumentOutline:
    outline = DocumentOutline(filename, "bpmn")
    for store in root:
        if local(store.tag) == "dataStore":
            outline.problems.append(Problem(
                filename, f"data store {store.get('name') or store.get('id')!r} is not supported: Weft has no "
                          "data store implementations yet", store.get("id"), store.sourceline))
    for process in root:
        if local(process.tag) != "process":
            continue
        executable = process.get("isExecutable", "true").strip().lower() == "true"
        info = ProcessOutline(process.get("id", ""), process.get("name") or process.get("id", ""), executable)
        outline.processes.append(info)
        if not info.process_id:
            outline.problems.append(Problem(filename, "a process has no id", line=process.sourceline))
            continue
        _index_elements(process, outline)
        if executable:
            _inspect_container(process, filename, info, outline.problems, outline.connectors)
            outline.form_keys += [(node.get("id") or "", node.get(f"{{{CAMUNDA_NS}}}formKey").strip())
                                  for node in process.iter(f"{{{BPMN_NS}}}userTask", f"{{{BPMN_NS}}}startEvent")
                                  if (node.get(f"{{{CAMUNDA_NS}}}formKey") or "").strip()]
            outline.initiators.update({node.get("id") or "": node.get(f"{{{CAMUNDA_NS}}}initiator").strip()
                                       for node in process.iter(f"{{{BPMN_NS}}}startEvent")
                                       if (node.get(f"{{{CAMUNDA_NS}}}initiator") or "").strip()})
    outline.problems.extend(structure_problems(root, filename))
    if not outline.executable_processes:
        names = ", ".join(p.process_id for p in outline.processes) or "none"
        first = outline.processes[0].process_id if outline.processes else None
        outline.problems.append(Problem(filename, "the file contains no executable process "
                                                  f"(isExecutable=\"true\"); processes found: {names}", first))
    return outline


def _index_elements(process: etree._Element, outline: DocumentOutline) -> None:
    for node in process.iter():
        element_id = node.get("id") if isinstance(node.tag, str) else None
        if element_id and local(node.tag) in FLOW_NODES | {"process"}:
            outline.elements[element_id] = ElementInfo(element_id, node.get("name"), local(node.tag))


def _inspect_container(container, filename, process: ProcessOutline, problems: list[Problem],
                       connectors: list[tuple[str, str]]) -> None:
    for node in container:
        tag = local(node.tag)
        if not tag or tag in NOT_FLOW_NODES:
            continue
        element = node.get("id")
        if tag not in FLOW_NODES:
            problems.append(Problem(filename, f"unsupported element <{tag}>", element, node.sourceline))
            continue
        for child in node:
            child_tag = local(child.tag)
            if child_tag.endswith("EventDefinition") and child_tag not in SUPPORTED_EVENT_DEFINITIONS:
                problems.append(Problem(filename, f"unsupported event definition <{child_tag}> on <{tag}>",
                                        element, child.sourceline))
        _inspect_node(node, tag, filename, process, problems, connectors)
        if tag in CONTAINERS:
            _inspect_container(node, filename, process, problems, connectors)
    problems.extend(gateway_problems(container, filename))


def _inspect_node(node, tag: str, filename: str, process: ProcessOutline, problems: list[Problem],
                  connectors: list[tuple[str, str]]) -> None:
    element = node.get("id")
    if not element:
        problems.append(Problem(filename, f"<{tag}> has no id", None, node.sourceline))
    if tag == "callActivity":
        called = (node.get("calledElement") or "").strip()
        if not called:
            problems.append(Problem(filename, "call activity has no calledElement", element, node.sourceline))
        else:
            process.calls.append((element or "", called))
    elif tag == "businessRuleTask":
        ref = (node.get(f"{{{CAMUNDA_NS}}}decisionRef") or "").strip()
        if not ref:
            problems.append(Problem(filename, "business rule task has no camunda:decisionRef", element,
                                    node.sourceline))
        else:
            process.decisions.append((element or "", ref))
    elif tag == "scriptTask":
        script_format = (node.get("scriptFormat") or "").strip().lower()
        if script_format not in PYTHON_SCRIPT_FORMATS:
            problems.append(Problem(filename, f"script format {node.get('scriptFormat')!r} is not supported; "
                                              "scripts are sandboxed Python", element, node.sourceline))
    elif tag in ("serviceTask", "sendTask"):
        _inspect_implementation(node, tag, filename, element, problems, connectors)


def _inspect_implementation(node, tag: str, filename: str, element: str | None, problems: list[Problem],
                            connectors: list[tuple[str, str]]) -> None:
    """Service tasks run a connector or a ``camunda:expression``; Java delegates and external
    tasks have no meaning here."""
    for attribute, kind in (("class", "Java delegate classes"), ("delegateExpression", "delegate expressions"),
                            ("type", "external tasks")):
        if node.get(f"{{{CAMUNDA_NS}}}{attribute}"):
            problems.append(Problem(filename, f"{kind} (camunda:{attribute}) are not supported; use a "
                                              "camunda:connector", element, node.sourceline))
            return
    if tag != "serviceTask":
        return
    extension = node.find(f"{{{BPMN_NS}}}extensionElements")
    connector = extension.find(f"{{{CAMUNDA_NS}}}connector") if extension is not None else None
    if connector is not None:
        connector_id = (connector.findtext(f"{{{CAMUNDA_NS}}}connectorId") or "").strip()
        if not connector_id:
            problems.append(Problem(filename, "camunda:connector has no connectorId", element, node.sourceline))
        else:
            connectors.append((element or "", connector_id))
    elif not node.get(f"{{{CAMUNDA_NS}}}expression"):
        problems.append(Problem(filename, "service task has no implementation: add a camunda:connector or "
                                          "camunda:expression", element, node.sourceline))
