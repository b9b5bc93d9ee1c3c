"""The BPMN 2.0 structural rules, checked at deploy on the parsed document so that a model
breaking one is refused with the element's id and the rule, before SpiffWorkflow reads it.

Rules on references between elements apply to the whole file; rules on what happens inside a
process apply to its executable processes (a documentation-only pool need not be complete).
"""

from __future__ import annotations

from lxml import etree

from ..errors import Problem
from .activities import multi_instance_problems
from .document import Document, Flows, tag
from .event_gateways import event_gateway_problems
from .events import boundary_problems, container_start_problems, event_definition_problems, link_problems
from .flows import node_flow_problems, sequence_flow_problems
from .references import (
    duplicate_id_problems,
    message_flow_problems,
    participant_and_lane_problems,
    undefined_reference_problems,
)

__all__ = ["structure_problems"]


def structure_problems(root: etree._Element, filename: str) -> list[Problem]:
    document = Document.read(root, filename)
    problems = (duplicate_id_problems(document) + undefined_reference_problems(document)
                + participant_and_lane_problems(document) + message_flow_problems(document))
    for process in root.iterchildren(tag("process")):
        if (process.get("isExecutable") or "true").strip().lower() != "true":
            continue
        flows = Flows.of(process)
        problems += sequence_flow_problems(document, process)
        problems += node_flow_problems(document, process, flows)
        problems += container_start_problems(document, process)
        problems += event_definition_problems(document, process)
        problems += boundary_problems(document, process)
        problems += link_problems(document, process, flows)
        problems += event_gateway_problems(document, process, flows)
        problems += multi_instance_problems(document, process)
    return problems
