"""A compact way to write BPMN for tests: elements and flows in, valid BPMN 2.0 XML out."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"


@dataclass
class Node:
    tag: str
    id: str
    name: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    body: str = ""
    lane: str | None = None


def start(id="start", name=None, body="", **attrs):
    return Node("startEvent", id, name, _attrs(attrs), body)


def end(id="end", name=None, body="", **attrs):
    return Node("endEvent", id, name, _attrs(attrs), body)


def terminate_end(id="end"):
    return Node("endEvent", id, None, {}, "<terminateEventDefinition/>")


def user(id, name=None, lane=None, body="", **attrs):
    return Node("userTask", id, name or id, _attrs(attrs), body, lane)


def script(id, code, name=None, body="", **attrs):
    return Node("scriptTask", id, name or id, _attrs(attrs), body + f"<script>{escape(code)}</script>")


def task(id, name=None, tag="task", body="", **attrs):
    return Node(tag, id, name or id, _attrs(attrs), body)


def gateway(id, kind="exclusive", default=None, name=None):
    attrs = {"default": default} if default else {}
    return Node(f"{kind}Gateway", id, name, attrs)


def call(id, called, name=None, body=""):
    return Node("callActivity", id, name or id, {"calledElement": called}, body)


def boundary_timer(id, attached_to, duration, cancel=True):
    attrs = {"attachedToRef": attached_to, "cancelActivity": "true" if cancel else "false"}
    body = f"<timerEventDefinition><timeDuration>{duration}</timeDuration></timerEventDefinition>"
    return Node("boundaryEvent", id, None, attrs, body)


def subprocess(id, nodes, flows, name=None, body=""):
    inner = "".join(_node_xml(n) for n in nodes) + "".join(_flow_xml(f) for f in flows)
    return Node("subProcess", id, name or id, {}, body + inner)


def _attrs(attrs: dict) -> dict[str, str]:
    out = {}
    for key, value in attrs.items():
        if key.startswith("camunda_"):
            out[f"camunda:{key[len('camunda_'):]}"] = str(value)
        else:
            out[key] = str(value)
    return out


def flow(source, target, condition=None, id=None):
    return (source, target, condition, id)


def _node_xml(node: Node) -> str:
    attrs = f' id="{node.id}"'
    if node.name:
        attrs += f" name={quoteattr(node.name)}"
    for key, value in node.attrs.items():
        attrs += f" {key}={quoteattr(value)}"
    return f"<{node.tag}{attrs}>{node.body}</{node.tag}>"


def _flow_xml(spec) -> str:
    source, target, condition, flow_id = spec
    flow_id = flow_id or f"flow_{source}_{target}"
    body = ""
    if condition is not None:
        body = f'<conditionExpression xsi:type="tFormalExpression">{escape(condition)}</conditionExpression>'
    return f'<sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">{body}</sequenceFlow>'


def process_xml(process_id: str, nodes: list[Node], flows: list[tuple], name: str | None = None,
                executable: bool = True, extra_processes: str = "", definitions_extra: str = "") -> str:
    lanes = {}
    for node in nodes:
        if node.lane:
            lanes.setdefault(node.lane, []).append(node.id)
    lane_xml = ""
    if lanes:
        lane_xml = f'<laneSet id="lanes_{process_id}">' + "".join(
            f'<lane id="lane_{i}" name={quoteattr(lane)}>'
            + "".join(f"<flowNodeRef>{ref}</flowNodeRef>" for ref in refs) + "</lane>"
            for i, (lane, refs) in enumerate(lanes.items())) + "</laneSet>"
    body = lane_xml + "".join(_node_xml(n) for n in nodes) + "".join(_flow_xml(f) for f in flows)
    name_attr = f" name={quoteattr(name)}" if name else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<definitions xmlns="{BPMN}" xmlns:camunda="{CAMUNDA}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'id="defs_{process_id}" targetNamespace="http://weft.test">'
        f'{definitions_extra}'
        f'<process id="{process_id}"{name_attr} isExecutable="{"true" if executable else "false"}">{body}</process>'
        f'{extra_processes}</definitions>'
    )


def chain(*ids: str) -> list[tuple]:
    return [flow(a, b) for a, b in zip(ids, ids[1:], strict=False)]


def boundary_error(id, attached_to, error_ref=None):
    ref = f' errorRef="{error_ref}"' if error_ref else ""
    return Node("boundaryEvent", id, None, {"attachedToRef": attached_to}, f"<errorEventDefinition{ref}/>")


def error_end(id, error_ref):
    return Node("endEvent", id, None, {}, f'<errorEventDefinition errorRef="{error_ref}"/>')


def error_definition(id, code):
    return f'<error id="{id}" errorCode="{code}"/>'


def _timer_body(duration=None, date=None, cycle=None) -> str:
    if duration is not None:
        return f"<timerEventDefinition><timeDuration>{escape(duration)}</timeDuration></timerEventDefinition>"
    if date is not None:
        return f"<timerEventDefinition><timeDate>{escape(date)}</timeDate></timerEventDefinition>"
    return f"<timerEventDefinition><timeCycle>{escape(cycle)}</timeCycle></timerEventDefinition>"


def timer_catch(id, duration=None, date=None, cycle=None, name=None):
    return Node("intermediateCatchEvent", id, name, {}, _timer_body(duration, date, cycle))


def timer_start(id="start", duration=None, date=None, cycle=None):
    return Node("startEvent", id, None, {}, _timer_body(duration, date, cycle))


def boundary(id, attached_to, body, cancel=True):
    return Node("boundaryEvent", id, None, {"attachedToRef": attached_to, "cancelActivity": str(cancel).lower()},
                body)


def boundary_timer_any(id, attached_to, duration=None, date=None, cycle=None, cancel=True):
    return boundary(id, attached_to, _timer_body(duration, date, cycle), cancel)


def message_definition(id, name):
    return f'<message id="{id}" name={quoteattr(name)}/>'


def signal_definition(id, name):
    return f'<signal id="{id}" name={quoteattr(name)}/>'


def _io(payload=None, correlation=None) -> str:
    parts = []
    if correlation:
        parts.append("<camunda:properties>" + "".join(
            f'<camunda:property name="correlation.{k}" value={quoteattr(v)}/>' for k, v in correlation.items())
            + "</camunda:properties>")
    if payload:
        parts.append("<camunda:inputOutput>" + "".join(
            f'<camunda:inputParameter name="{k}">{escape(v)}</camunda:inputParameter>' for k, v in payload.items())
            + "</camunda:inputOutput>")
    return f"<extensionElements>{''.join(parts)}</extensionElements>" if parts else ""


def message_catch(id, message_ref, name=None):
    return Node("intermediateCatchEvent", id, name, {}, f'<messageEventDefinition messageRef="{message_ref}"/>')


def message_start(id, message_ref):
    return Node("startEvent", id, None, {}, f'<messageEventDefinition messageRef="{message_ref}"/>')


def message_throw(id, message_ref, payload=None, correlation=None, end_event=False):
    tag = "endEvent" if end_event else "intermediateThrowEvent"
    return Node(tag, id, None, {},
                _io(payload, correlation) + f'<messageEventDefinition messageRef="{message_ref}"/>')


def receive_task(id, message_ref):
    return Node("receiveTask", id, id, {"messageRef": message_ref})


def send_task(id, message_ref, payload=None, correlation=None):
    return Node("sendTask", id, id, {"messageRef": message_ref}, _io(payload, correlation))


def signal_catch(id, signal_ref):
    return Node("intermediateCatchEvent", id, None, {}, f'<signalEventDefinition signalRef="{signal_ref}"/>')


def signal_start(id, signal_ref):
    return Node("startEvent", id, None, {}, f'<signalEventDefinition signalRef="{signal_ref}"/>')


def signal_throw(id, signal_ref, payload=None):
    return Node("intermediateThrowEvent", id, None, {},
                _io(payload) + f'<signalEventDefinition signalRef="{signal_ref}"/>')


def service(id, connector=None, inputs=None, outputs=None, expression=None, result_variable=None,
            async_before=False, retry_cycle=None):
    attrs = {}
    if expression:
        attrs["camunda:expression"] = expression
    if result_variable:
        attrs["camunda:resultVariable"] = result_variable
    if async_before:
        attrs["camunda:asyncBefore"] = "true"
    body = ""
    inner = ""
    if retry_cycle:
        inner += f"<camunda:failedJobRetryTimeCycle>{retry_cycle}</camunda:failedJobRetryTimeCycle>"
    if connector:
        params = "".join(f'<camunda:inputParameter name="{k}">{escape(v)}</camunda:inputParameter>'
                         for k, v in (inputs or {}).items())
        params += "".join(f'<camunda:outputParameter name="{k}">{escape(v)}</camunda:outputParameter>'
                          for k, v in (outputs or {}).items())
        inner += (f"<camunda:connector><camunda:inputOutput>{params}</camunda:inputOutput>"
                  f"<camunda:connectorId>{connector}</camunda:connectorId></camunda:connector>")
    if inner:
        body = f"<extensionElements>{inner}</extensionElements>"
    return Node("serviceTask", id, id, attrs, body)


def business_rule(id, decision_ref, result_variable=None, mapping=None):
    attrs = {"camunda:decisionRef": decision_ref}
    if result_variable:
        attrs["camunda:resultVariable"] = result_variable
    if mapping:
        attrs["camunda:mapDecisionResult"] = mapping
    return Node("businessRuleTask", id, id, attrs)


def event_gateway(id):
    return Node("eventBasedGateway", id, None)
