"""Small pieces of BPMN for the catalogue: a case is a process body, plus whatever the
definitions need around it (messages, a collaboration, a second process)."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

HEAD = ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" targetNamespace="http://weft.test">')

START, END = '<startEvent id="s"/>', '<endEvent id="e"/>'


@dataclass(frozen=True)
class Case:
    name: str
    body: str                 # inside <process id="p">
    element: str              # the element the problem names
    message: str              # a fragment of the expected message
    definitions: str = ""     # before the process: messages, signals, a collaboration
    after: str = ""           # after the process: other processes

    def xml(self) -> str:
        return f'{HEAD}{self.definitions}<process id="p" isExecutable="true">{self.body}</process>{self.after}' \
               '</definitions>'


def flow(source: str, target: str, id: str | None = None, condition: str | None = None) -> str:
    body = f'<conditionExpression xsi:type="tFormalExpression">{escape(condition)}</conditionExpression>' if condition else ""
    return f'<sequenceFlow id="{id or f"{source}_{target}"}" sourceRef="{source}" targetRef="{target}">{body}' \
           '</sequenceFlow>'


def node(tag: str, id: str, body: str = "", **attrs: str) -> str:
    extra = "".join(f' {key.replace("_", ":", 1) if key.startswith("camunda_") else key}="{value}"'
                    for key, value in attrs.items())
    return f'<{tag} id="{id}"{extra}>{body}</{tag}>'


def event(tag: str, id: str, kind: str | None = None, definition_attrs: str = "", **attrs: str) -> str:
    body = f"<{kind}EventDefinition{definition_attrs}/>" if kind else ""
    if kind == "timer":
        body = "<timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition>"
    elif kind == "conditional":
        body = ('<conditionalEventDefinition><condition xsi:type="tFormalExpression">ready</condition>'
                "</conditionalEventDefinition>")
    elif kind == "link":
        body = f"<linkEventDefinition{definition_attrs}/>"
    return node(tag, id, body, **attrs)


def line(*ids: str) -> str:
    """Flows joining the elements in order."""
    return "".join(flow(a, b) for a, b in zip(ids, ids[1:], strict=False))


def simple(*nodes: str, between: tuple[str, ...] = ()) -> str:
    """A start event, ``nodes``, an end event, and flows s -> between... -> e."""
    return START + "".join(nodes) + END + line("s", *between, "e")


def subprocess(id: str, body: str, **attrs: str) -> str:
    return node("subProcess", id, body, **attrs)
