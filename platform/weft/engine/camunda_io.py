"""Reading Camunda 7 extension elements: input/output parameters and properties."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


@dataclass(frozen=True)
class ScriptValue:
    """A ``camunda:script`` parameter value: a Python expression evaluated when used."""

    source: str


def _c(tag: str) -> str:
    return f"{{{CAMUNDA_NS}}}{tag}"


def parameter_value(element: etree._Element) -> Any:
    """A parameter's value: text (literal or ``${…}``), ``camunda:list``, ``camunda:map`` or
    ``camunda:script``."""
    for child in element:
        if child.tag == _c("list"):
            return [parameter_value(item) for item in child if isinstance(item.tag, str)]
        if child.tag == _c("map"):
            return {entry.get("key"): parameter_value(entry) for entry in child if entry.tag == _c("entry")}
        if child.tag == _c("script"):
            return ScriptValue((child.text or "").strip())
    return element.text or ""


@dataclass(frozen=True)
class InputOutput:
    inputs: tuple[tuple[str, Any], ...] = ()
    outputs: tuple[tuple[str, Any], ...] = ()


def input_output(container: etree._Element | None) -> InputOutput:
    """The ``camunda:inputOutput`` directly inside ``container`` (an extensionElements or a
    ``camunda:connector``)."""
    if container is None:
        return InputOutput()
    block = container.find(_c("inputOutput"))
    if block is None:
        return InputOutput()
    inputs = tuple((p.get("name"), parameter_value(p)) for p in block.findall(_c("inputParameter")))
    outputs = tuple((p.get("name"), parameter_value(p)) for p in block.findall(_c("outputParameter")))
    return InputOutput(inputs, outputs)


def extensions(node: etree._Element) -> etree._Element | None:
    return node.find(f"{{{BPMN_NS}}}extensionElements")


def properties(node: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    block = extensions(node)
    if block is None:
        return found
    for group in block.findall(_c("properties")):
        for prop in group.findall(_c("property")):
            if prop.get("name"):
                found[prop.get("name")] = prop.get("value") or ""
    return found


@dataclass(frozen=True)
class ConnectorCall:
    connector_id: str
    io: InputOutput


def connector(node: etree._Element) -> ConnectorCall | None:
    block = extensions(node)
    element = block.find(_c("connector")) if block is not None else None
    if element is None:
        return None
    connector_id = (element.findtext(_c("connectorId")) or "").strip()
    return ConnectorCall(connector_id, input_output(element))
