"""Invalid models: references to messages, signals, errors, escalations, processes, lanes and data
objects; message flows; multi-instance activities; call activities and business rule tasks."""

from __future__ import annotations

from .bpmn import START, Case, event, flow, node, simple, subprocess

UNDEFINED = "which is not defined in this file"
OTHER_POOL = '<process id="q" isExecutable="false"><task id="qt"/></process>'


def collaboration(*message_flows: str) -> str:
    return ('<collaboration id="c"><participant id="pp" processRef="p"/><participant id="pq" processRef="q"/>'
            + "".join(message_flows) + "</collaboration>")


def message_flow(source: str, target: str, **attrs: str) -> str:
    return node("messageFlow", "mf", sourceRef=source, targetRef=target, **attrs)


def referring(tag: str, kind: str, attribute: str, id: str = "x", **attrs: str) -> str:
    return event(tag, id, kind, f' {attribute}="missing"', **attrs)


def with_ref(tag: str, kind: str, attribute: str) -> str:
    if tag == "startEvent":
        return referring(tag, kind, attribute, "s") + node("task", "t") + '<endEvent id="e"/>' + \
            flow("s", "t") + flow("t", "e")
    if tag == "endEvent":
        return START + referring(tag, kind, attribute, "e") + flow("s", "e")
    if tag == "boundaryEvent":
        return (simple(node("task", "t"), referring(tag, kind, attribute, attachedToRef="t"), between=("t",))
                + flow("x", "e", "x_e"))
    return simple(referring(tag, kind, attribute), between=("x",))


def multi_instance(tag: str, body: str = "", **attrs: str) -> str:
    loop = node("multiInstanceLoopCharacteristics", "loop", **attrs)
    return simple(node(tag, "x", body + loop, **({"calledElement": "p"} if tag == "callActivity" else {})),
                  between=("x",))


REFERENCES = [
    ("message", "messageRef", ["startEvent", "intermediateCatchEvent", "intermediateThrowEvent", "endEvent",
                               "boundaryEvent"]),
    ("signal", "signalRef", ["startEvent", "intermediateCatchEvent", "intermediateThrowEvent", "endEvent",
                             "boundaryEvent"]),
    ("error", "errorRef", ["endEvent", "boundaryEvent"]),
    ("escalation", "escalationRef", ["intermediateThrowEvent", "endEvent", "boundaryEvent"]),
]

CASES = [
    *[Case(f"{tag} referring to an undefined {kind}", with_ref(tag, kind, attribute),
           {"startEvent": "s", "endEvent": "e"}.get(tag, "x"), f"refers to {kind} 'missing', {UNDEFINED}")
      for kind, attribute, tags in REFERENCES for tag in tags],
    Case("receive task referring to an undefined message",
         simple(node("receiveTask", "x", messageRef="missing"), between=("x",)), "x", f"'missing', {UNDEFINED}"),
    Case("send task referring to an undefined message",
         simple(node("sendTask", "x", messageRef="missing", camunda_expression="${1}"), between=("x",)), "x",
         f"refers to message 'missing', {UNDEFINED}"),
    Case("participant referring to an undefined process", simple(),
         "pq", "refers to process 'nowhere', which is not defined",
         definitions='<collaboration id="c"><participant id="pp" processRef="p"/>'
                     '<participant id="pq" processRef="nowhere"/></collaboration>'),
    Case("participant referring to a task", simple(node("task", "t"), between=("t",)), "pq",
         "refers to process 't'", definitions='<collaboration id="c"><participant id="pq" processRef="t"/>'
                                              '</collaboration>'),
    Case("lane listing an unknown element",
         '<laneSet id="ls"><lane id="l"><flowNodeRef>ghost</flowNodeRef></lane></laneSet>' + simple(), "l",
         "lists 'ghost', which is not an element of the lane's process"),
    Case("lane listing another pool's task",
         '<laneSet id="ls"><lane id="l"><flowNodeRef>qt</flowNodeRef></lane></laneSet>' + simple(), "l",
         "lists 'qt'", after=OTHER_POOL),
    Case("data object reference to nothing", simple('<dataObjectReference id="d" dataObjectRef="missing"/>'), "d",
         "refers to data object 'missing', which is not defined"),
    # message flows go between two pools
    Case("message flow between tasks of one pool",
         simple(node("task", "a"), node("task", "b"), between=("a", "b")), "mf",
         "connects two elements of the same pool (process 'p')",
         definitions=collaboration(message_flow("a", "b")), after=OTHER_POOL),
    Case("message flow from a pool to its own task",
         simple(node("receiveTask", "a"), between=("a",)), "mf", "same pool",
         definitions=collaboration(message_flow("pp", "a")), after=OTHER_POOL),
    Case("message flow from a pool's task to its own pool",
         simple(node("sendTask", "a", camunda_expression="${1}"), between=("a",)), "mf", "use a sequence flow",
         definitions=collaboration(message_flow("a", "pp")), after=OTHER_POOL),
    Case("message flow inside a subprocess's pool",
         simple(subprocess("sp", '<startEvent id="ss"/><task id="in"/><endEvent id="se"/>'
                           + flow("ss", "in") + flow("in", "se")), node("task", "a"), between=("sp", "a")),
         "mf", "same pool", definitions=collaboration(message_flow("in", "a")), after=OTHER_POOL),
    Case("message flow from an unknown element", simple(), "mf", "sourceRef 'ghost' names no pool",
         definitions=collaboration(message_flow("ghost", "qt")), after=OTHER_POOL),
    Case("message flow to an unknown element", simple(), "mf", "targetRef 'ghost' names no pool",
         definitions=collaboration(message_flow("s", "ghost")), after=OTHER_POOL),
    Case("message flow to a sequence flow", simple(), "mf", "targetRef 's_e' names no pool",
         definitions=collaboration(message_flow("qt", "s_e")), after=OTHER_POOL),
    Case("message flow with an undefined message", simple(node("receiveTask", "a"), between=("a",)), "mf",
         f"refers to message 'missing', {UNDEFINED}",
         definitions=collaboration(message_flow("qt", "a", messageRef="missing")), after=OTHER_POOL),
    # activities
    *[Case(f"multi-instance {tag} without cardinality or collection", multi_instance(tag), "x",
           "has neither a loopCardinality nor a collection") for tag in ("task", "userTask", "manualTask")],
    Case("sequential multi-instance without cardinality", multi_instance("task", isSequential="true"), "x",
         "nothing says how many instances to run"),
    Case("multi-instance call activity without collection", multi_instance("callActivity"), "x",
         "has neither a loopCardinality nor a collection"),
    Case("multi-instance with an empty cardinality",
         simple(node("task", "x", '<multiInstanceLoopCharacteristics><loopCardinality xsi:type="tFormalExpression">'
                                  ' </loopCardinality></multiInstanceLoopCharacteristics>'), between=("x",)), "x",
         "neither a loopCardinality nor a collection"),
    Case("call activity without calledElement", simple(node("callActivity", "x"), between=("x",)), "x",
         "call activity has no calledElement"),
    Case("business rule task without decisionRef", simple(node("businessRuleTask", "x"), between=("x",)), "x",
         "business rule task has no camunda:decisionRef"),
]
