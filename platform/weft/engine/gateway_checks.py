"""Gateways that cannot route a token, reported against the gateway itself.

SpiffWorkflow accepts a gateway without outgoing flows or with a ``default`` naming a flow it
does not own, and names only the flow when a condition is missing; the modeler marks the
gateway, so these problems are found here, before SpiffWorkflow parses the process.
"""

from __future__ import annotations

from lxml import etree

from .errors import Problem, ScriptError
from .expressions import to_python
from .model import BPMN_NS

GATEWAYS = ("exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway")
CHOOSING = ("exclusiveGateway", "inclusiveGateway")
PYTHON_LANGUAGES = ("", "python", "text/x-python", "text/python", "juel", "${}")


def gateway_problems(container: etree._Element, filename: str) -> list[Problem]:
    """Problems of the gateways directly inside ``container`` (a process or sub-process)."""
    flows: dict[str, list[etree._Element]] = {}
    for flow in container.iterchildren(f"{{{BPMN_NS}}}sequenceFlow"):
        flows.setdefault(flow.get("sourceRef") or "", []).append(flow)
    problems = [p for flow_list in flows.values() for flow in flow_list
                if (p := _condition_problem(flow, filename)) is not None]
    for node in container:
        kind = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if kind in GATEWAYS and node.get("id"):
            problems += _gateway_problems(node, kind, flows.get(node.get("id") or "", []), filename)
    return problems


def _gateway_problems(node: etree._Element, kind: str, outgoing: list[etree._Element],
                      filename: str) -> list[Problem]:
    element, line = node.get("id"), node.sourceline
    what = f"{_words(kind)} {_label(node)}"
    if not outgoing:
        return [Problem(filename, f"{what} has no outgoing sequence flow", element, line)]
    if kind not in CHOOSING or len(outgoing) == 1:
        return []
    default = (node.get("default") or "").strip()
    ids = [flow.get("id") for flow in outgoing]
    if default and default not in ids:
        return [Problem(filename, f"{what}: the default flow {default!r} is not one of its outgoing flows "
                                  f"({', '.join(i or '?' for i in ids)})", element, line)]
    return [Problem(filename, f"{what}: outgoing flow {_label(flow)} is a non-default flow without condition; "
                              "give it a condition or make it the default flow", element, line)
            for flow in outgoing if flow.get("id") != default and not _condition_text(flow)]


def _condition_problem(flow: etree._Element, filename: str) -> Problem | None:
    """A condition that cannot be read as an expression (checked when Weft evaluates it)."""
    condition = flow.find(f"{{{BPMN_NS}}}conditionExpression")
    text = _condition_text(flow)
    if condition is None or not text or (condition.get("language") or "").strip().lower() not in PYTHON_LANGUAGES:
        return None
    try:
        compile(to_python(text), "<condition>", "eval")
    except (ScriptError, SyntaxError, ValueError) as exc:
        reason = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        return Problem(filename, f"the condition {text!r} of sequence flow {_label(flow)} cannot be read: {reason}",
                       flow.get("id"), condition.sourceline)
    return None


def _condition_text(flow: etree._Element) -> str:
    condition = flow.find(f"{{{BPMN_NS}}}conditionExpression")
    return (condition.text or "").strip() if condition is not None else ""


def _label(node: etree._Element) -> str:
    name, element = (node.get("name") or "").strip(), node.get("id") or "?"
    return f"{name!r} ({element})" if name else repr(element)


def _words(kind: str) -> str:
    return kind.replace("Gateway", " gateway")
