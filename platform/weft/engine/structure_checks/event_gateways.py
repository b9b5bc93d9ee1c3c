"""Event-based gateways: the first of the events that follow it chooses the path."""

from __future__ import annotations

from lxml import etree

from ..errors import Problem
from .document import Document, Flows, definitions, has_condition, label, local, named, ref, tag

CATCHABLE = {"message", "timer", "signal", "conditional"}


def event_gateway_problems(document: Document, process: etree._Element, flows: Flows) -> list[Problem]:
    problems = []
    for gateway in process.iter(tag("eventBasedGateway")):
        out_of = flows.out_of(gateway)
        if len(out_of) == 1:   # none at all is reported with the other gateway problems
            problems.append(document.problem(gateway, f"event-based gateway {label(gateway)} has only one outgoing "
                                                      "flow: it waits for the first of at least two events"))
        for flow in out_of:
            if has_condition(flow):
                problems.append(document.problem(gateway, f"event-based gateway {label(gateway)}: outgoing flow "
                                                          f"{label(flow)} has a condition; the event that occurs "
                                                          "first chooses the path, conditions are not used"))
            target = document.by_id.get(ref(flow, "targetRef"))
            if target is not None and not _catches(target):
                problems.append(document.problem(gateway, f"event-based gateway {label(gateway)} leads to "
                                                          f"{named(target)}: an event-based gateway is followed by "
                                                          "intermediate catch events (message, timer, signal, "
                                                          "conditional) or receive tasks"))
    return problems


def _catches(node: etree._Element) -> bool:
    if local(node) == "receiveTask":
        return True
    kinds = definitions(node)
    return local(node) == "intermediateCatchEvent" and len(kinds) == 1 and kinds[0] in CATCHABLE
