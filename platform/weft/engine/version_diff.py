"""What changed between two versions of a process: elements added, removed and changed.

Elements are matched by id. An element's properties are its kind, its name, its attributes
(``camunda:assignee``, ``sourceRef``, ``attachedToRef``, …) and the content of its own child
elements (conditions, scripts, timer expressions, input/output mappings, loop settings), each
named by its path (``conditionExpression``, ``timerEventDefinition/timeDuration``). Elements
nested inside it with ids of their own (a subprocess's content) are compared separately; the
``incoming``/``outgoing`` references repeat what the sequence flows say and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .xml_safety import parse_untrusted_xml

SKIPPED_CHILDREN = {"incoming", "outgoing", "flowNodeRef"}
PREFIXES = {"http://camunda.org/schema/1.0/bpmn": "camunda", "http://www.w3.org/2001/XMLSchema-instance": "xsi"}


@dataclass(frozen=True)
class ElementChange:
    element_id: str
    change: str                         # added, removed or changed
    type: str
    name: str | None
    properties: list[tuple[str, str | None, str | None]] = field(default_factory=list)   # (what, before, after)


def diff_process(old: bytes, new: bytes, process_key: str) -> list[ElementChange]:
    """Changes from ``old`` to ``new`` (the BPMN files holding process ``process_key``), in the
    order of the new file, removed elements last."""
    before = _elements(old, process_key)
    after = _elements(new, process_key)
    changes: list[ElementChange] = []
    for element_id, props in after.items():
        earlier = before.get(element_id)
        if earlier is None:
            changes.append(ElementChange(element_id, "added", props["type"] or "", props.get("name")))
            continue
        differences = [(key, earlier.get(key), props.get(key)) for key in _keys(earlier, props)
                       if earlier.get(key) != props.get(key)]
        if differences:
            changes.append(ElementChange(element_id, "changed", props["type"] or "", props.get("name"), differences))
    changes += [ElementChange(element_id, "removed", props["type"] or "", props.get("name"))
                for element_id, props in before.items() if element_id not in after]
    return changes


def _keys(first: dict[str, str | None], second: dict[str, str | None]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def _elements(content: bytes, process_key: str) -> dict[str, dict[str, str | None]]:
    root = parse_untrusted_xml(content, f"{process_key}.bpmn")
    process = next((p for p in root.iter() if _local(p) == "process" and p.get("id") == process_key), None)
    if process is None:
        return {}
    found: dict[str, dict[str, str | None]] = {}
    for element in process.iter():
        if element is process or not isinstance(element.tag, str) or not element.get("id"):
            continue
        found[element.get("id")] = _properties(element)
    return found


def _properties(element: etree._Element) -> dict[str, str | None]:
    props: dict[str, str | None] = {"type": _local(element), "name": element.get("name")}
    props.update(_attributes(element, ""))
    _content(element, "", props)
    return props


def _attributes(element: etree._Element, path: str) -> dict[str, str | None]:
    out = {}
    for key, value in element.attrib.items():
        name = _qualified(key)
        if path or name not in ("id", "name"):
            out[f"{path}@{name}" if path else name] = value
    return out


def _content(element: etree._Element, path: str, props: dict[str, str | None]) -> None:
    seen: dict[str, int] = {}
    for child in element:
        if not isinstance(child.tag, str) or child.get("id") or _local(child) in SKIPPED_CHILDREN:
            continue
        name = _qualified(child.tag)
        seen[name] = seen.get(name, 0) + 1
        label = child.get("name")
        step = f"{name}[{label}]" if label else name if seen[name] == 1 else f"{name}[{seen[name]}]"
        here = f"{path}/{step}" if path else step
        text = (child.text or "").strip()
        if text:
            props[here] = text
        props.update({key: value for key, value in _attributes(child, here).items() if not key.endswith("@name")})
        _content(child, here, props)
        if not text and not len(child) and not child.attrib:
            props[here] = ""


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _qualified(tag: str) -> str:
    qname = etree.QName(tag)
    prefix = PREFIXES.get(qname.namespace or "")
    return f"{prefix}:{qname.localname}" if prefix else qname.localname
