"""Invalid models: start, end, intermediate and boundary events, links, event-based gateways."""

from __future__ import annotations

from .bpmn import START, Case, event, flow, line, node, simple, subprocess

T = node("task", "t")
NO_DEFINITION = "has no event definition"


def boundary(host: str, kind: str = "timer", **attrs: str) -> str:
    return event("boundaryEvent", "b", kind, attachedToRef=host, **attrs)


def on(host_xml: str, host: str, kind: str = "timer", **attrs: str) -> str:
    """A process with ``host`` on the main path and boundary event ``b`` on it leading to the end."""
    return simple(host_xml, boundary(host, kind, **attrs), between=(host,)) + flow("b", "e", "b_e")


def after_event_gateway(target_xml: str, target: str) -> str:
    catch = event("intermediateCatchEvent", "c", "timer")
    return (START + node("eventBasedGateway", "g") + catch + target_xml + '<endEvent id="e"/>'
            + line("s", "g", "c", "e") + flow("g", target) + flow(target, "e"))


def link_pair(throw_name: str, catch_name: str) -> str:
    return (START + event("intermediateThrowEvent", "lt", "link", f' name="{throw_name}"')
            + event("intermediateCatchEvent", "lc", "link", f' name="{catch_name}"') + '<endEvent id="e"/>'
            + flow("s", "lt") + flow("lc", "e"))


WRONG_HOSTS = [
    ("exclusive gateway", node("exclusiveGateway", "h")), ("parallel gateway", node("parallelGateway", "h")),
    ("inclusive gateway", node("inclusiveGateway", "h")), ("event-based gateway", node("eventBasedGateway", "h")),
    ("complex gateway", node("complexGateway", "h")), ("intermediate catch event",
                                                        event("intermediateCatchEvent", "h", "timer")),
    ("intermediate throw event", node("intermediateThrowEvent", "h")),
]

CASES = [
    # start events take the events that can start their process level
    *[Case(f"subprocess start with a {kind} definition",
           simple(subprocess("sp", event("startEvent", "ss", kind) + '<endEvent id="se"/>' + flow("ss", "se")),
                  between=("sp",)), "ss", f"has a {kind} event definition: a subprocess (other than an event")
      for kind in ("message", "timer", "signal", "conditional")],
    *[Case(f"process start with a {kind} definition", event("startEvent", "s", kind) + T + '<endEvent id="e"/>'
           + line("s", "t", "e"), "s", f"has a {kind} event definition, which")
      for kind in ("error", "escalation", "terminate", "cancel")],
    # what each kind of event may throw or catch
    Case("intermediate catch event without definition", simple(node("intermediateCatchEvent", "c"), between=("c",)),
         "c", f"intermediate catch event 'c' {NO_DEFINITION}"),
    *[Case(f"intermediate catch event with a {kind} definition",
           simple(event("intermediateCatchEvent", "c", kind), between=("c",)), "c",
           f"cannot have a {kind} event definition: an intermediate catch event waits")
      for kind in ("error", "escalation", "terminate", "cancel")],
    *[Case(f"intermediate throw event with a {kind} definition",
           simple(event("intermediateThrowEvent", "c", kind), between=("c",)), "c",
           f"cannot have a {kind} event definition: an intermediate throw event sends")
      for kind in ("timer", "conditional", "error", "terminate", "cancel")],
    *[Case(f"end event with a {kind} definition", START + event("endEvent", "e", kind) + flow("s", "e"), "e",
           f"cannot have a {kind} event definition: an end event throws")
      for kind in ("timer", "conditional", "link")],
    Case("cancel end event outside a transaction", START + event("endEvent", "e", "cancel") + flow("s", "e"), "e",
         "cancel end event 'e' is not inside a transaction"),
    Case("cancel end event in a plain subprocess",
         simple(subprocess("sp", '<startEvent id="ss"/>' + event("endEvent", "ce", "cancel") + flow("ss", "ce")),
                between=("sp",)), "ce", "is not inside a transaction"),
    # boundary events sit on activities of their own process level
    Case("boundary event without attachedToRef", simple(T, event("boundaryEvent", "b", "timer"), between=("t",))
         + flow("b", "e", "b_e"), "b", "has no attachedToRef"),
    Case("boundary event on an unknown element", on(T, "ghost").replace('sourceRef="ghost"', 'sourceRef="t"'), "b",
         "is attached to 'ghost', which names no element"),
    *[Case(f"boundary event on a {what}", on(host, "h"), "b", f"is attached to {what} 'h': boundary events sit on")
      for what, host in WRONG_HOSTS],
    Case("boundary event on the start event", simple(T, boundary("s"), between=("t",)) + flow("b", "e", "b_e"), "b",
         "is attached to start event 's'"),
    Case("boundary event on the end event", simple(T, boundary("e"), between=("t",)) + flow("b", "t", "b_t"), "b",
         "is attached to end event 'e'"),
    Case("boundary event on a boundary event",
         on(T, "t") + event("boundaryEvent", "b2", "timer", attachedToRef="b") + flow("b2", "e", "b2_e"), "b2",
         "is attached to boundary event 'b'"),
    Case("boundary event on a sequence flow", simple(T, boundary("s_t"), between=("t",)) + flow("b", "e", "b_e"), "b",
         "is attached to sequence flow 's_t'"),
    Case("boundary event on an event subprocess",
         simple(subprocess("es", event("startEvent", "es_s", "timer") + '<endEvent id="ee"/>' + flow("es_s", "ee"),
                           triggeredByEvent="true"), boundary("es")) + flow("b", "e", "b_e"), "b",
         "is attached to event subprocess 'es'"),
    Case("boundary event on a task of a subprocess",
         simple(subprocess("sp", '<startEvent id="ss"/><task id="in"/><endEvent id="se"/>' + line("ss", "in", "se")),
                boundary("in"), between=("sp",)) + flow("b", "e", "b_e"), "b", "which is in another process"),
    Case("boundary event with an incoming flow", on(T, "t") + flow("s", "b", "into_b"), "b",
         "has an incoming sequence flow (into_b)"),
    Case("boundary event without outgoing flow", simple(T, boundary("t"), between=("t",)), "b",
         "has no outgoing sequence flow"),
    Case("boundary event without definition", on(T, "t", None), "b", f"boundary event 'b' {NO_DEFINITION}"),
    Case("boundary event with a terminate definition", on(T, "t", "terminate"), "b",
         "cannot have a terminate event definition"),
    Case("boundary event with a link definition", on(T, "t", "link"), "b", "cannot have a link event definition"),
    Case("cancel boundary event on a task", on(T, "t", "cancel"), "b", "only a transaction can be cancelled"),
    Case("cancel boundary event on a subprocess",
         on(subprocess("sp", '<startEvent id="ss"/><endEvent id="se"/>' + flow("ss", "se")), "sp", "cancel"), "b",
         "is attached to subprocess 'sp': only a transaction"),
    Case("non-interrupting error boundary event", on(T, "t", "error", cancelActivity="false"), "b",
         "an error always ends its activity"),
    # link events pair by name within one process level
    Case("link throw without catch", link_pair("A", "B"), "lt", "jumps to link 'A', but no link catch event"),
    Case("link throw without name", link_pair("", "B"), "lt", "has no link name"),
    Case("link catch without name", link_pair("A", ""), "lc", "has no link name"),
    Case("link throw with an outgoing flow", link_pair("A", "A") + flow("lt", "e", "lt_e"), "lt",
         "the path continues at its link catch event"),
    Case("link caught in another process level",
         START + event("intermediateThrowEvent", "lt", "link", ' name="A"') + '<endEvent id="e"/>' + flow("s", "lt")
         + subprocess("sp", event("intermediateCatchEvent", "lc", "link", ' name="A"') + '<endEvent id="se"/>'
                      + flow("lc", "se")), "lt", "no link catch event of the same process level"),
    # event-based gateways wait for the first of several events
    *[Case(f"event-based gateway followed by a {what}", after_event_gateway(xml, "x"), "g",
           f"leads to {what} 'x': an event-based gateway is followed by")
      for what, xml in [("task", node("task", "x")), ("user task", node("userTask", "x")),
                        ("script task", node("scriptTask", "x")), ("send task", node("sendTask", "x")),
                        ("exclusive gateway", node("exclusiveGateway", "x")),
                        ("parallel gateway", node("parallelGateway", "x")),
                        ("intermediate throw event", node("intermediateThrowEvent", "x")),
                        ("call activity", node("callActivity", "x", calledElement="p"))]],
    Case("event-based gateway followed by a bare catch event",
         after_event_gateway(node("intermediateCatchEvent", "x"), "x"), "g", "leads to intermediate catch event 'x'"),
    Case("event-based gateway followed by an end event",
         START + node("eventBasedGateway", "g") + event("intermediateCatchEvent", "c", "timer") + '<endEvent id="e"/>'
         + line("s", "g", "c", "e") + flow("g", "e", "g_e"), "g", "leads to end event 'e'"),
    Case("event-based gateway with one outgoing flow",
         START + node("eventBasedGateway", "g") + event("intermediateCatchEvent", "c", "timer") + '<endEvent id="e"/>'
         + line("s", "g", "c", "e"), "g", "has only one outgoing flow"),
    Case("event-based gateway with a conditional flow",
         after_event_gateway(event("intermediateCatchEvent", "x", "timer"), "x").replace(
             'sourceRef="g" targetRef="x">', 'sourceRef="g" targetRef="x"><conditionExpression>y</conditionExpression>'),
         "g", "outgoing flow 'g_x' has a condition"),
]
