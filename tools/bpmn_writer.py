"""A small writer for the modules' BPMN files: elements and flows in, Camunda 7 BPMN with a
generated diagram out (``python tools/<module>_process.py`` rewrites processes/<module>/*.bpmn).

The BPMN files are the source the modules deploy; these scripts only make them reproducible.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "platform"))

from lxml import etree  # noqa: E402

from weft.engine.layout import with_diagram  # noqa: E402

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"


@dataclass
class Script:
    """A connector input written as a Python expression (``camunda:script``)."""

    source: str


@dataclass
class Container:
    """Elements and the flows between them: a process, or an embedded subprocess."""

    key: str
    name: str
    nodes: list[str] = field(default_factory=list)
    flows: list[str] = field(default_factory=list)

    def add(self, xml: str) -> None:
        self.nodes.append(xml)

    def flow(self, source: str, target: str, condition: str | None = None, name: str | None = None,
             id: str | None = None) -> str:
        flow_id = id or f"flow_{source}_{target}"
        body = f'<conditionExpression xsi:type="tFormalExpression">{escape(condition)}</conditionExpression>' \
            if condition else ""
        name_attr = f" name={quoteattr(name)}" if name else ""
        self.flows.append(f'<sequenceFlow id="{flow_id}"{name_attr} sourceRef="{source}" targetRef="{target}">'
                          f"{body}</sequenceFlow>")
        return flow_id

    def chain(self, *ids: str) -> None:
        for source, target in zip(ids, ids[1:], strict=False):
            self.flow(source, target)



@dataclass
class SubProcess(Container):
    """An embedded subprocess; ``loop`` makes it multi-instance (see ``multi_instance``)."""

    loop: str = ""

    def element(self) -> str:
        return (f'<subProcess id="{self.key}" name={quoteattr(self.name)}>{self.loop}' + "".join(self.nodes)
                + "".join(self.flows) + "</subProcess>")


@dataclass
class Process(Container):
    documentation: str = ""
    definitions: list[str] = field(default_factory=list)

    def xml(self) -> bytes:
        documentation = f"<documentation>{escape(self.documentation)}</documentation>" if self.documentation else ""
        text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="{BPMN}" xmlns:camunda="{CAMUNDA}" '
                f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="definitions_{self.key}" '
                f'targetNamespace="http://weft.example/{self.key}" exporter="Weft tools" exporterVersion="1">'
                + "".join(self.definitions)
                + f'<process id="{self.key}" name={quoteattr(self.name)} isExecutable="true">{documentation}'
                + "".join(self.nodes) + "".join(self.flows) + "</process></definitions>")
        drawn = with_diagram(text.encode(), self.key)
        root = etree.fromstring(drawn)
        etree.indent(root, space="  ")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.xml())
        print(f"wrote {path.relative_to(ROOT)}")


def _attrs(attrs: dict[str, str | None]) -> str:
    return "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items() if v is not None)


def start(id: str, name: str, form: str | None = None, initiator: str | None = None, body: str = "") -> str:
    return f'<startEvent id="{id}"{_attrs({"name": name, "camunda:formKey": form, "camunda:initiator": initiator})}>' \
           f"{body}</startEvent>"


def message_start(id: str, name: str, message_ref: str) -> str:
    return f'<startEvent id="{id}" name={quoteattr(name)}><messageEventDefinition messageRef="{message_ref}"/></startEvent>'


def timer_start(id: str, name: str, cycle: str) -> str:
    return (f'<startEvent id="{id}" name={quoteattr(name)}><timerEventDefinition><timeCycle>{escape(cycle)}'
            f"</timeCycle></timerEventDefinition></startEvent>")


def end(id: str, name: str) -> str:
    return f'<endEvent id="{id}" name={quoteattr(name)}/>'


def message_end(id: str, name: str, message_ref: str, payload: dict[str, str] | None = None,
                correlation: dict[str, str] | None = None) -> str:
    return (f'<endEvent id="{id}" name={quoteattr(name)}>{_event_io(payload, correlation)}'
            f'<messageEventDefinition messageRef="{message_ref}"/></endEvent>')


def message_throw(id: str, name: str, message_ref: str, payload: dict[str, str] | None = None,
                  correlation: dict[str, str] | None = None) -> str:
    return (f'<intermediateThrowEvent id="{id}" name={quoteattr(name)}>{_event_io(payload, correlation)}'
            f'<messageEventDefinition messageRef="{message_ref}"/></intermediateThrowEvent>')


def message_catch(id: str, name: str, message_ref: str) -> str:
    return (f'<intermediateCatchEvent id="{id}" name={quoteattr(name)}>'
            f'<messageEventDefinition messageRef="{message_ref}"/></intermediateCatchEvent>')


def _event_io(payload, correlation) -> str:
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


def timer_catch(id: str, name: str, *, date: str | None = None, duration: str | None = None) -> str:
    inner = f"<timeDate>{escape(date)}</timeDate>" if date else f"<timeDuration>{escape(duration or '')}</timeDuration>"
    return (f'<intermediateCatchEvent id="{id}" name={quoteattr(name)}><timerEventDefinition>{inner}'
            f"</timerEventDefinition></intermediateCatchEvent>")


def boundary_timer(id: str, name: str, attached_to: str, duration: str, cancel: bool = True,
                   cycle: bool = False) -> str:
    tag = "timeCycle" if cycle else "timeDuration"
    return (f'<boundaryEvent id="{id}" name={quoteattr(name)} attachedToRef="{attached_to}" '
            f'cancelActivity="{"true" if cancel else "false"}"><timerEventDefinition><{tag}>{escape(duration)}'
            f"</{tag}></timerEventDefinition></boundaryEvent>")


def boundary_message(id: str, name: str, attached_to: str, message_ref: str, cancel: bool = True) -> str:
    return (f'<boundaryEvent id="{id}" name={quoteattr(name)} attachedToRef="{attached_to}" '
            f'cancelActivity="{"true" if cancel else "false"}"><messageEventDefinition messageRef="{message_ref}"/>'
            "</boundaryEvent>")


def user(id: str, name: str, form: str | None = None, groups: str | None = None, assignee: str | None = None,
         due: str | None = None, priority: str | None = None, loop: str = "") -> str:
    attrs = {"name": name, "camunda:formKey": form, "camunda:candidateGroups": groups, "camunda:assignee": assignee,
             "camunda:dueDate": due, "camunda:priority": priority}
    return f'<userTask id="{id}"{_attrs(attrs)}>{loop}</userTask>'


def multi_instance(collection: str, element: str, sequential: bool = True) -> str:
    return (f'<multiInstanceLoopCharacteristics isSequential="{"true" if sequential else "false"}" '
            f'camunda:collection="{collection}" camunda:elementVariable="{element}"/>')


def _param(name: str, value, kind: str = "inputParameter") -> str:
    if isinstance(value, Script):
        inner = f'<camunda:script scriptFormat="python">{escape(value.source)}</camunda:script>'
    else:
        inner = escape(str(value))
    return f'<camunda:{kind} name="{name}">{inner}</camunda:{kind}>'


def connector(id: str, name: str, connector_id: str, inputs: dict | None = None, outputs: dict | None = None,
              loop: str = "") -> str:
    params = "".join(_param(k, v) for k, v in (inputs or {}).items())
    params += "".join(_param(k, v, "outputParameter") for k, v in (outputs or {}).items())
    return (f'<serviceTask id="{id}" name={quoteattr(name)}><extensionElements><camunda:connector>'
            f"<camunda:inputOutput>{params}</camunda:inputOutput><camunda:connectorId>{connector_id}"
            f"</camunda:connectorId></camunda:connector></extensionElements>{loop}</serviceTask>")


def script(id: str, name: str, code: str) -> str:
    return f'<scriptTask id="{id}" name={quoteattr(name)} scriptFormat="python"><script>{escape(code)}</script></scriptTask>'


def decision(id: str, name: str, decision_ref: str, result: str, mapping: str = "singleEntry") -> str:
    return (f'<businessRuleTask id="{id}" name={quoteattr(name)} camunda:decisionRef="{decision_ref}" '
            f'camunda:resultVariable="{result}" camunda:mapDecisionResult="{mapping}"/>')


def gateway(id: str, name: str | None = None, default: str | None = None, kind: str = "exclusive") -> str:
    return f"<{kind}Gateway id=\"{id}\"{_attrs({'name': name, 'default': default})}/>"


def call(id: str, name: str, called: str, inputs: dict[str, str] | None = None) -> str:
    io = ""
    if inputs:
        io = "<extensionElements>" + "".join(f'<camunda:in source="{s}" target="{t}"/>' for t, s in inputs.items()) \
            + '<camunda:out variables="all"/></extensionElements>'
    return f'<callActivity id="{id}" name={quoteattr(name)} calledElement="{called}">{io}</callActivity>'


def message(id: str, name: str) -> str:
    return f'<message id="{id}" name={quoteattr(name)}/>'
