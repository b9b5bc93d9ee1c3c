"""Activities: a multi-instance activity must say how many instances to run."""

from __future__ import annotations

from lxml import etree

from ..errors import Problem
from .document import ACTIVITIES, Document, named, tag

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"


def multi_instance_problems(document: Document, process: etree._Element) -> list[Problem]:
    problems = []
    for loop in process.iter(tag("multiInstanceLoopCharacteristics")):
        activity = loop.getparent()
        if activity is None or etree.QName(activity).localname not in ACTIVITIES:
            continue
        cardinality = (loop.findtext(tag("loopCardinality")) or "").strip()
        collection = (loop.get(f"{{{CAMUNDA_NS}}}collection") or "").strip()
        data_input = (loop.findtext(tag("loopDataInputRef")) or "").strip()
        if not (cardinality or collection or data_input):
            problems.append(document.problem(activity, f"multi-instance {named(activity)} has neither a "
                                                       "loopCardinality nor a collection (camunda:collection or "
                                                       "loopDataInputRef): nothing says how many instances to run"))
    return problems
