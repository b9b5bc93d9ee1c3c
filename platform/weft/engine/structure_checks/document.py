"""The parsed BPMN document as the structural rules see it: elements by id, flows by element,
and the words that name an element in a message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ..errors import Problem
from ..model import BPMN_NS

CONTAINERS = {"process", "subProcess", "transaction", "adHocSubProcess"}
ACTIVITIES = {
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "businessRuleTask", "sendTask",
    "receiveTask", "subProcess", "transaction", "adHocSubProcess", "callActivity",
}
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
GATEWAYS = {"exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway"}
FLOW_NODES = ACTIVITIES | EVENTS | GATEWAYS
WORDS = {"subProcess": "subprocess", "adHocSubProcess": "ad hoc subprocess", "eventBasedGateway": "event-based gateway"}


def tag(name: str) -> str:
    return f"{{{BPMN_NS}}}{name}"


def local(node: etree._Element) -> str:
    """The BPMN tag name of ``node``; empty for comments and elements of other namespaces."""
    if not isinstance(node.tag, str):
        return ""
    qname = etree.QName(node)
    return qname.localname if qname.namespace == BPMN_NS else ""


def words(node: etree._Element) -> str:
    """What ``node`` is, in words: "user task", "event subprocess", "message event definition"."""
    kind = local(node)
    if kind == "subProcess" and is_event_subprocess(node):
        return "event subprocess"
    return WORDS.get(kind) or re.sub(r"(?<!^)([A-Z])", r" \1", kind).lower()


def label(node: etree._Element) -> str:
    name, element = (node.get("name") or "").strip(), node.get("id") or "?"
    return f"{name!r} ({element})" if name else repr(element)


def named(node: etree._Element) -> str:
    return f"{words(node)} {label(node)}"


def ref(node: etree._Element, attribute: str) -> str:
    return (node.get(attribute) or "").strip()


def is_omg(node: etree._Element) -> bool:
    """BPMN and BPMN DI elements; vendors' extension elements may use ``id`` as they please."""
    return isinstance(node.tag, str) and (etree.QName(node).namespace or "").startswith("http://www.omg.org/spec/")


def is_event_subprocess(node: etree._Element) -> bool:
    return local(node) == "subProcess" and ref(node, "triggeredByEvent").lower() == "true"


def definitions(node: etree._Element) -> list[str]:
    """The kinds of event definitions of an event: "message", "timer", ..."""
    return [local(child)[:-len("EventDefinition")] for child in node if local(child).endswith("EventDefinition")]


def container_of(node: etree._Element) -> etree._Element | None:
    parent = node.getparent()
    while parent is not None and local(parent) not in CONTAINERS:
        parent = parent.getparent()
    return parent


def process_of(node: etree._Element) -> etree._Element | None:
    parent = node.getparent()
    while parent is not None and local(parent) != "process":
        parent = parent.getparent()
    return parent


def has_condition(flow: etree._Element) -> bool:
    condition = flow.find(tag("conditionExpression"))
    return condition is not None and bool((condition.text or "").strip())


@dataclass
class Document:
    """One BPMN file: every element by id (the first one, when an id is used twice)."""

    filename: str
    root: etree._Element
    by_id: dict[str, etree._Element] = field(default_factory=dict)

    @classmethod
    def read(cls, root: etree._Element, filename: str) -> Document:
        document = cls(filename, root)
        for node in root.iter():
            element_id = node.get("id") if is_omg(node) else None
            if element_id:
                document.by_id.setdefault(element_id, node)
        return document

    def problem(self, node: etree._Element, message: str) -> Problem:
        return Problem(self.filename, message, node.get("id") or None, node.sourceline)

    def defined(self, kind: str) -> set[str]:
        """Ids of the root elements of one kind (``message``, ``signal``, ``error``, ...)."""
        return {node.get("id") or "" for node in self.root.iterchildren(tag(kind))}


@dataclass
class Flows:
    """The sequence flows of one process, by the id of the element they leave and enter."""

    incoming: dict[str, list[etree._Element]] = field(default_factory=dict)
    outgoing: dict[str, list[etree._Element]] = field(default_factory=dict)

    @classmethod
    def of(cls, process: etree._Element) -> Flows:
        flows = cls()
        for flow in process.iter(tag("sequenceFlow")):
            flows.outgoing.setdefault(ref(flow, "sourceRef"), []).append(flow)
            flows.incoming.setdefault(ref(flow, "targetRef"), []).append(flow)
        return flows

    def into(self, node: etree._Element) -> list[etree._Element]:
        return self.incoming.get(node.get("id") or "", []) if node.get("id") else []

    def out_of(self, node: etree._Element) -> list[etree._Element]:
        return self.outgoing.get(node.get("id") or "", []) if node.get("id") else []
