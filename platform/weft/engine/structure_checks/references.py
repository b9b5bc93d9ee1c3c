"""References between elements: unique ids, messages/signals/errors/escalations that exist,
participants, lanes, data objects, and message flows between two different pools."""

from __future__ import annotations

from lxml import etree

from ..errors import Problem
from .document import FLOW_NODES, Document, is_omg, label, local, named, process_of, ref, tag

DEFINITION_REFS = (
    ("messageEventDefinition", "messageRef", "message"), ("signalEventDefinition", "signalRef", "signal"),
    ("errorEventDefinition", "errorRef", "error"), ("escalationEventDefinition", "escalationRef", "escalation"),
)


def duplicate_id_problems(document: Document) -> list[Problem]:
    problems = []
    for node in document.root.iter():
        element_id = node.get("id") if is_omg(node) else None
        first = document.by_id.get(element_id or "")
        if first is not None and first is not node:
            problems.append(Problem(document.filename, f"id {element_id!r} is used twice: by {_what(first)} on line "
                                                       f"{first.sourceline} and by {_what(node)}; ids are unique "
                                                       "within a file", element_id, node.sourceline))
    return problems


def _what(node: etree._Element) -> str:
    return named(node) if local(node) else f"<{etree.QName(node).localname}>"


def undefined_reference_problems(document: Document) -> list[Problem]:
    """Event definitions, send and receive tasks naming a message, signal, error or escalation
    that the file does not define (prefixed names, imported from elsewhere, are not checked)."""
    problems = []
    for definition, attribute, kind in DEFINITION_REFS:
        defined = document.defined(kind)
        owners = [(node.getparent(), node) for node in document.root.iter(tag(definition))]
        if kind == "message":
            owners += [(node, node) for node in document.root.iter(tag("sendTask"), tag("receiveTask"))]
        for owner, node in owners:
            name = ref(node, attribute)
            if owner is not None and name and ":" not in name and name not in defined:
                problems.append(document.problem(owner, f"{named(owner)} refers to {kind} {name!r}, which is not "
                                                        f"defined in this file (a <{kind}> element of the "
                                                        "definitions)"))
    for node in document.root.iter(tag("dataObjectReference")):
        name = ref(node, "dataObjectRef")
        target = document.by_id.get(name)
        if name and (target is None or local(target) != "dataObject"):
            problems.append(document.problem(node, f"data object reference {label(node)} refers to data object "
                                                   f"{name!r}, which is not defined"))
    return problems


def participant_and_lane_problems(document: Document) -> list[Problem]:
    problems = []
    for participant in document.root.iter(tag("participant")):
        name = ref(participant, "processRef")
        target = document.by_id.get(name)
        if name and (target is None or local(target) != "process"):
            problems.append(document.problem(participant, f"participant {label(participant)} refers to process "
                                                          f"{name!r}, which is not defined in this file"))
    for lane in document.root.iter(tag("lane")):
        for node_ref in lane.iterchildren(tag("flowNodeRef")):
            name = (node_ref.text or "").strip()
            target = document.by_id.get(name)
            if name and (target is None or local(target) not in FLOW_NODES
                         or process_of(target) is not process_of(lane)):
                problems.append(document.problem(lane, f"lane {label(lane)} lists {name!r}, which is not an "
                                                       "element of the lane's process"))
    return problems


def message_flow_problems(document: Document) -> list[Problem]:
    problems = []
    for flow in document.root.iter(tag("messageFlow")):
        pools = []
        for attribute in ("sourceRef", "targetRef"):
            name = ref(flow, attribute)
            node = document.by_id.get(name)
            if not name:
                problems.append(document.problem(flow, f"message flow {label(flow)} has no {attribute}: a message "
                                                       "flow connects two pools"))
            elif node is None or (local(node) not in FLOW_NODES and local(node) != "participant"):
                problems.append(document.problem(flow, f"message flow {label(flow)}: {attribute} {name!r} names no "
                                                       "pool, event or activity of this file"))
            else:
                pools.append(_pool_of(document, node))
        if len(pools) == 2 and pools[0] is not None and pools[0] is pools[1]:
            problems.append(document.problem(flow, f"message flow {label(flow)} connects two elements of the same "
                                                   f"pool (process {label(pools[0])}): message flows go between "
                                                   "pools; within a pool, use a sequence flow"))
        message = ref(flow, "messageRef")
        if message and ":" not in message and message not in document.defined("message"):
            problems.append(document.problem(flow, f"message flow {label(flow)} refers to message {message!r}, "
                                                   "which is not defined in this file"))
    return problems


def _pool_of(document: Document, node: etree._Element) -> etree._Element | None:
    """The process behind a participant, or around a flow node."""
    if local(node) == "participant":
        return document.by_id.get(ref(node, "processRef"))
    return process_of(node)
