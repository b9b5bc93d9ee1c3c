"""Events: where a process starts, which event definitions each kind of event may have, what a
boundary event sits on, and how link events pair."""

from __future__ import annotations

from lxml import etree

from ..errors import Problem
from .document import (
    ACTIVITIES,
    CONTAINERS,
    FLOW_NODES,
    Document,
    Flows,
    container_of,
    definitions,
    is_event_subprocess,
    label,
    local,
    named,
    ref,
    tag,
)

PROCESS_STARTS = {"message", "timer", "signal", "conditional"}
ALLOWED = {
    "endEvent": ({"message", "signal", "error", "escalation", "terminate", "cancel", "compensate"},
                 "an end event throws a result; it does not wait"),
    "intermediateCatchEvent": ({"message", "timer", "signal", "conditional", "link"},
                               "an intermediate catch event waits for a message, timer, signal, condition or link"),
    "intermediateThrowEvent": ({"message", "signal", "escalation", "link", "compensate"},
                               "an intermediate throw event sends a message, signal, escalation, link or "
                               "compensation"),
    "boundaryEvent": ({"message", "timer", "signal", "error", "escalation", "conditional", "cancel", "compensate"},
                      "a boundary event catches a message, timer, signal, error, escalation, condition, "
                      "cancellation or compensation"),
}


def container_start_problems(document: Document, process: etree._Element) -> list[Problem]:
    """A process or subprocess with flow nodes needs somewhere to start."""
    problems = []
    for container in [process, *process.iter(tag("subProcess"), tag("transaction"))]:
        nodes = [node for node in container if local(node) in FLOW_NODES]
        starts = [node for node in nodes if local(node) == "startEvent"]
        if is_event_subprocess(container):
            problems += _event_subprocess_starts(document, container, starts)
        elif nodes and not starts:
            how = ("Weft starts a process at a none start event or at a message, timer, signal or conditional "
                   "start event") if local(container) == "process" else "a subprocess starts at a none start event"
            problems.append(document.problem(container, f"{named(container)} has no start event: {how}"))
        else:
            problems += [problem for start in starts
                         if (problem := _start_definition_problem(document, container, start)) is not None]
    return problems


def _event_subprocess_starts(document, container, starts) -> list[Problem]:
    if len(starts) != 1:
        return [document.problem(container, f"event subprocess {label(container)} has {len(starts)} start events: "
                                            "an event subprocess has exactly one, holding the event that "
                                            "triggers it")]
    [start] = starts
    if not definitions(start):
        return [document.problem(start, f"start event {label(start)} of event subprocess {label(container)} has "
                                        "no event definition: an event subprocess is triggered by a message, "
                                        "timer, signal, condition, error or escalation")]
    return []


def _start_definition_problem(document, container, start) -> Problem | None:
    kinds = definitions(start)
    if local(container) != "process" and kinds:
        return document.problem(start, f"start event {label(start)} of {named(container)} has a {kinds[0]} event "
                                       "definition: a subprocess (other than an event subprocess) starts only at "
                                       "a none start event")
    wrong = [kind for kind in kinds if kind not in PROCESS_STARTS]
    if wrong:
        where = ("belongs in an event subprocess" if wrong[0] in ("error", "escalation", "compensate")
                 else "cannot start anything")
        return document.problem(start, f"start event {label(start)} has a {wrong[0]} event definition, which "
                                       f"{where}: a process starts on a message, timer, signal or condition")
    return None


def event_definition_problems(document: Document, process: etree._Element) -> list[Problem]:
    problems = []
    for node in process.iter(*(tag(kind) for kind in ALLOWED)):
        kind, kinds = local(node), definitions(node)
        allowed, why = ALLOWED[kind]
        if not kinds and kind in ("intermediateCatchEvent", "boundaryEvent"):
            problems.append(document.problem(node, f"{named(node)} has no event definition: it would wait for "
                                                   "nothing"))
        problems += [document.problem(node, f"{named(node)} cannot have a {wrong} event definition: {why}")
                     for wrong in kinds if wrong not in allowed]
        if "cancel" in kinds and kind == "endEvent" and not _inside_transaction(node):
            problems.append(document.problem(node, f"cancel end event {label(node)} is not inside a transaction: "
                                                   "only a transaction can be cancelled"))
    return problems


def _inside_transaction(node: etree._Element) -> bool:
    container = container_of(node)
    while container is not None and local(container) != "transaction":
        container = container_of(container) if local(container) != "process" else None
    return container is not None


def boundary_problems(document: Document, process: etree._Element) -> list[Problem]:
    problems = []
    for node in process.iter(tag("boundaryEvent")):
        host_id = ref(node, "attachedToRef")
        host = document.by_id.get(host_id)
        if not host_id:
            problems.append(document.problem(node, f"boundary event {label(node)} has no attachedToRef: a boundary "
                                                   "event sits on an activity"))
        elif host is None:
            problems.append(document.problem(node, f"boundary event {label(node)} is attached to {host_id!r}, "
                                                   "which names no element of this file"))
        elif local(host) not in ACTIVITIES or is_event_subprocess(host):
            problems.append(document.problem(node, f"boundary event {label(node)} is attached to {named(host)}: "
                                                   "boundary events sit on tasks, subprocesses and call activities"))
        elif container_of(host) is not container_of(node):
            problems.append(document.problem(node, f"boundary event {label(node)} is attached to {named(host)}, "
                                                   "which is in another process or subprocess: a boundary event "
                                                   "belongs to the process level of its activity"))
        else:
            problems += _boundary_kind_problems(document, node, host)
    return problems


def _boundary_kind_problems(document, node, host) -> list[Problem]:
    kinds = definitions(node)
    if "cancel" in kinds and local(host) != "transaction":
        return [document.problem(node, f"cancel boundary event {label(node)} is attached to {named(host)}: only a "
                                       "transaction can be cancelled")]
    if "error" in kinds and ref(node, "cancelActivity").lower() == "false":
        return [document.problem(node, f"error boundary event {label(node)} is non-interrupting "
                                       "(cancelActivity=\"false\"): an error always ends its activity")]
    return []


def link_problems(document: Document, process: etree._Element, flows: Flows) -> list[Problem]:
    problems = []
    for container in [process, *(node for node in process.iter() if local(node) in CONTAINERS - {"process"})]:
        caught = {_link_name(node) for node in container.iterchildren(tag("intermediateCatchEvent"))}
        for node in container:
            name = _link_name(node)
            if name is None:
                continue
            if not name:
                problems.append(document.problem(node, f"link event {label(node)} has no link name: a link throw "
                                                       "and its catch event pair by name"))
            elif local(node) == "intermediateThrowEvent" and name not in caught:
                problems.append(document.problem(node, f"link throw event {label(node)} jumps to link {name!r}, "
                                                       "but no link catch event of the same process level has "
                                                       "that name"))
            if local(node) == "intermediateThrowEvent" and flows.out_of(node):
                problems.append(document.problem(node, f"link throw event {label(node)} has an outgoing sequence "
                                                       "flow: the path continues at its link catch event"))
    return problems


def _link_name(node: etree._Element) -> str | None:
    """The name of a link event's definition; None when ``node`` is no link event."""
    if local(node) not in ("intermediateCatchEvent", "intermediateThrowEvent"):
        return None
    link = node.find(tag("linkEventDefinition"))
    return None if link is None else ref(link, "name")
