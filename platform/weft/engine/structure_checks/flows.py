"""Sequence flows: what they connect, where they may go, and which of them may carry a condition."""

from __future__ import annotations

from lxml import etree

from ..errors import Problem
from .document import (
    ACTIVITIES,
    EVENTS,
    FLOW_NODES,
    Document,
    Flows,
    container_of,
    has_condition,
    is_event_subprocess,
    label,
    local,
    named,
    process_of,
    ref,
    tag,
)

SAME_LEVEL = "flows connect elements of the same process or subprocess"


def sequence_flow_problems(document: Document, process: etree._Element) -> list[Problem]:
    """Flows without an end, with an end that is no flow node, or crossing a boundary."""
    problems = []
    for flow in process.iter(tag("sequenceFlow")):
        for attribute in ("sourceRef", "targetRef"):
            element_id = ref(flow, attribute)
            node = document.by_id.get(element_id)
            if not element_id:
                problems.append(document.problem(flow, f"sequence flow {label(flow)} has no {attribute}: "
                                                       "a sequence flow connects a source and a target"))
            elif node is None:
                problems.append(document.problem(flow, f"sequence flow {label(flow)}: {attribute} {element_id!r} "
                                                       "names no element of this file"))
            elif local(node) not in FLOW_NODES:
                problems.append(document.problem(flow, f"sequence flow {label(flow)}: {attribute} {element_id!r} "
                                                       f"is a {named(node)}, not an event, activity or gateway"))
            elif (crossing := _crossing(flow, node)) is not None:
                problems.append(document.problem(flow, crossing))
    return problems


def _crossing(flow: etree._Element, node: etree._Element) -> str | None:
    home, there = container_of(flow), container_of(node)
    if home is there:
        return None
    if process_of(flow) is not process_of(node):
        other = process_of(node)
        pool = f"process {label(other)}" if other is not None else "another pool"
        return (f"sequence flow {label(flow)} crosses the boundary of {pool}: {SAME_LEVEL}; "
                "between pools, use a message flow")
    crossed = home
    walk = there
    while walk is not None and walk is not home:
        crossed, walk = walk, container_of(walk)
    if walk is None:
        crossed = home
    assert crossed is not None
    return f"sequence flow {label(flow)} crosses the boundary of {named(crossed)}: {SAME_LEVEL}"


def node_flow_problems(document: Document, process: etree._Element, flows: Flows) -> list[Problem]:
    """Flows that the element at either end cannot have."""
    problems = []
    for node in process.iter():
        kind = local(node)
        if kind not in FLOW_NODES:
            continue
        into, out_of = flows.into(node), flows.out_of(node)
        if kind == "startEvent" and into:
            problems.append(document.problem(node, f"start event {label(node)} has an incoming sequence flow "
                                                   f"({_ids(into)}): nothing flows into a start event"))
        elif kind == "endEvent" and out_of:
            problems.append(document.problem(node, f"end event {label(node)} has an outgoing sequence flow "
                                                   f"({_ids(out_of)}): a path ends at an end event"))
        elif kind == "boundaryEvent":
            problems += _boundary_flow_problems(document, node, into, out_of)
        elif is_event_subprocess(node) and (into or out_of):
            problems.append(document.problem(node, f"event subprocess {label(node)} has sequence flows "
                                                   f"({_ids(into + out_of)}): an event subprocess is started by "
                                                   "its event, never by a flow"))
        problems += _condition_problems(document, node, kind, out_of)
        if kind in ACTIVITIES:
            problems += _default_problems(document, node, out_of)
        elif kind in ("exclusiveGateway", "inclusiveGateway"):
            problems += _conditional_default(document, node, out_of)
    return problems


def _boundary_flow_problems(document, node, into, out_of) -> list[Problem]:
    problems = []
    if into:
        problems.append(document.problem(node, f"boundary event {label(node)} has an incoming sequence flow "
                                               f"({_ids(into)}): a boundary event is triggered on its activity"))
    compensation = node.find(tag("compensateEventDefinition")) is not None
    if not out_of and not compensation:
        problems.append(document.problem(node, f"boundary event {label(node)} has no outgoing sequence flow: "
                                               "nothing would happen when it is triggered"))
    return problems


def _condition_problems(document: Document, node, kind: str, out_of) -> list[Problem]:
    conditional = [flow for flow in out_of if has_condition(flow)]
    if not conditional:
        return []
    if kind == "parallelGateway":
        return [document.problem(node, f"parallel gateway {label(node)}: outgoing flow {label(flow)} has a "
                                       "condition, but a parallel gateway takes every outgoing flow; use an "
                                       "inclusive or exclusive gateway") for flow in conditional]
    if kind in EVENTS:
        return [document.problem(node, f"{named(node)}: outgoing flow {label(flow)} has a condition; only "
                                       "activities and gateways choose between outgoing flows")
                for flow in conditional]
    return []


def _default_problems(document: Document, node, out_of) -> list[Problem]:
    default = ref(node, "default")
    if not default:
        return []
    ids = [flow.get("id") or "?" for flow in out_of]
    if default not in ids:
        return [document.problem(node, f"{named(node)}: the default flow {default!r} is not one of its outgoing "
                                       f"flows ({', '.join(ids) or 'none'})")]
    return _conditional_default(document, node, out_of)


def _conditional_default(document: Document, node, out_of) -> list[Problem]:
    default = ref(node, "default")
    if any(flow.get("id") == default and has_condition(flow) for flow in out_of):
        return [document.problem(node, f"{named(node)}: the default flow {default!r} has a condition; the default "
                                       "flow is taken when no condition holds, so it has none")]
    return []


def _ids(flows: list[etree._Element]) -> str:
    return ", ".join(flow.get("id") or "?" for flow in flows)
