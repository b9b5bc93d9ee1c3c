"""Several outgoing sequence flows from an activity or event (BPMN 2.0 §13.2.1): without conditions
every flow gets a token (an implicit parallel split); with conditions each flow whose condition
holds does, and the activity's default flow only when none holds (an implicit inclusive split).

SpiffWorkflow parses only gateways with several outgoing flows, so before parsing we give each
such element an explicit gateway of that kind after it (``<id>__split``). The stored file is
never changed: the diagram shows what the analyst drew."""

from __future__ import annotations

from lxml import etree

from .model import BPMN_NS, ElementInfo

ACTIVITIES = {"task", "userTask", "scriptTask", "serviceTask", "sendTask", "receiveTask", "manualTask",
              "businessRuleTask", "callActivity", "subProcess", "transaction"}
EVENTS = {"startEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
CONTAINERS = ("process", "subProcess", "transaction")
SUFFIX = "__split"


def _q(tag: str) -> str:
    return f"{{{BPMN_NS}}}{tag}"


def _local(node: etree._Element) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def add_implicit_splits(root: etree._Element) -> list[ElementInfo]:
    """Rewrite ``root`` in place; the gateways added, for the history's element names."""
    added: list[ElementInfo] = []
    for container in [n for tag in CONTAINERS for n in root.iter(_q(tag))]:
        flows = [n for n in container if _local(n) == "sequenceFlow"]
        by_source: dict[str, list[etree._Element]] = {}
        for flow in flows:
            by_source.setdefault(flow.get("sourceRef") or "", []).append(flow)
        for node in list(container):
            kind = _local(node)
            outgoing = by_source.get(node.get("id") or "", [])
            if len(outgoing) < 2 or kind not in ACTIVITIES | EVENTS:
                continue
            added.append(_split(container, node, outgoing, kind in ACTIVITIES))
    return added


def _split(container: etree._Element, node: etree._Element, outgoing: list[etree._Element],
           activity: bool) -> ElementInfo:
    node_id = node.get("id") or ""
    gateway_id = f"{node_id}{SUFFIX}"
    default = node.get("default") if activity else None
    conditional = activity and (default is not None or any(_condition(f) is not None for f in outgoing))
    kind = "inclusiveGateway" if conditional else "parallelGateway"
    gateway = etree.SubElement(container, _q(kind), id=gateway_id)
    if default is not None:
        gateway.set("default", default)
        del node.attrib["default"]
    for flow in outgoing:
        flow.set("sourceRef", gateway_id)
        if conditional and flow.get("id") != default and _condition(flow) is None:
            always = etree.SubElement(flow, _q("conditionExpression"))   # an unconditional flow is always taken
            always.text = "True"
    etree.SubElement(container, _q("sequenceFlow"), id=f"{node_id}__to_split", sourceRef=node_id,
                     targetRef=gateway_id)
    return ElementInfo(gateway_id, None, kind)


def _condition(flow: etree._Element) -> etree._Element | None:
    return flow.find(_q("conditionExpression"))
