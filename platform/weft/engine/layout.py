"""Diagrams for processes written without one: a left-to-right layout (BPMN DI) so that the
viewer can show any deployed process, hand-written or generated.

Elements are placed in columns by the longest path from the start (loops do not count), in
rows by the order they are reached; boundary events sit on their host's lower edge; flows run
right, with an elbow when they change row, and below the elements when they loop back. An
embedded subprocess is drawn collapsed, with its content on a plane of its own (the viewer's
drill-down), as bpmn-js draws collapsed subprocesses.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .model import BPMN_NS
from .xml_safety import parse_untrusted_xml

BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
COLUMN, ROW, MARGIN = 170, 130, 60
SIZES = {"event": (36, 36), "gateway": (50, 50), "activity": (110, 80)}
SUBPROCESSES = {"subProcess", "transaction", "adHocSubProcess"}
NOT_NODES = {"sequenceFlow", "laneSet", "dataObject", "dataObjectReference", "dataStoreReference", "textAnnotation",
             "association", "extensionElements", "documentation", "ioSpecification", "property", "messageFlow"}


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float


def has_diagram(root: etree._Element, process_id: str) -> bool:
    """Whether the file draws ``process_id`` (a plane for it, or for the collaboration holding it)."""
    planes = [p.get("bpmnElement") for p in root.iter(f"{{{BPMNDI}}}BPMNPlane")]
    participants = {p.get("processRef"): p for p in root.iter(f"{{{BPMN_NS}}}participant")}
    if process_id in planes:
        return True
    participant = participants.get(process_id)
    collaboration = participant.getparent() if participant is not None else None
    return collaboration is not None and collaboration.get("id") in planes


def with_diagram(content: bytes, process_id: str) -> bytes:
    """The BPMN file, with a generated diagram for ``process_id`` when it has none."""
    root = parse_untrusted_xml(content, "diagram")
    process = next((p for p in root.iter(f"{{{BPMN_NS}}}process") if p.get("id") == process_id), None)
    if process is None or has_diagram(root, process_id):
        return content
    for old in root.findall(f"{{{BPMNDI}}}BPMNDiagram"):
        root.remove(old)
    for diagram in _diagrams(process):
        root.append(diagram)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _kind(tag: str) -> str:
    if tag.endswith("Event"):
        return "event"
    if tag.endswith("Gateway"):
        return "gateway"
    return "activity"


def _diagrams(container: etree._Element) -> list[etree._Element]:
    """The container's diagram, then one per embedded subprocess inside it (depth first)."""
    found = [_diagram(container)]
    for child in container:
        if isinstance(child.tag, str) and etree.QName(child).localname in SUBPROCESSES and child.get("id"):
            found.extend(_diagrams(child))
    return found


def _diagram(process: etree._Element) -> etree._Element:
    nodes, boundaries, flows, collapsed = {}, {}, [], set()
    for child in process:
        tag = etree.QName(child).localname
        if not isinstance(child.tag, str) or tag in NOT_NODES or child.get("id") is None:
            if tag == "sequenceFlow":
                flows.append((child.get("id"), child.get("sourceRef"), child.get("targetRef")))
            continue
        if tag == "boundaryEvent":
            boundaries[child.get("id")] = child.get("attachedToRef")
        else:
            nodes[child.get("id")] = _kind(tag)
            if tag in SUBPROCESSES:
                collapsed.add(child.get("id"))
    columns = _columns(nodes, boundaries, flows)
    boxes = _place(nodes, columns)
    _attach(boundaries, boxes)
    diagram = etree.Element(f"{{{BPMNDI}}}BPMNDiagram", nsmap={"bpmndi": BPMNDI, "dc": DC, "di": DI},
                            id=f"weft_diagram_{process.get('id')}")
    plane = etree.SubElement(diagram, f"{{{BPMNDI}}}BPMNPlane", id=f"weft_plane_{process.get('id')}",
                             bpmnElement=process.get("id"))
    for element_id, box in boxes.items():
        shape = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNShape", id=f"{element_id}_di", bpmnElement=element_id)
        if element_id in collapsed:
            shape.set("isExpanded", "false")
        etree.SubElement(shape, f"{{{DC}}}Bounds", x=_n(box.x), y=_n(box.y), width=_n(box.w), height=_n(box.h))
    for flow_id, source, target in flows:
        if flow_id is None or source not in boxes or target not in boxes:
            continue
        edge = etree.SubElement(plane, f"{{{BPMNDI}}}BPMNEdge", id=f"{flow_id}_di", bpmnElement=flow_id)
        for x, y in _waypoints(boxes[source], boxes[target]):
            etree.SubElement(edge, f"{{{DI}}}waypoint", x=_n(x), y=_n(y))
    return diagram


def _columns(nodes: dict[str, str], boundaries: dict[str, str], flows) -> dict[str, int]:
    """Longest-path column of every node, ignoring flows that loop back."""
    outgoing: dict[str, list[str]] = {n: [] for n in nodes}
    for boundary, host in boundaries.items():      # a boundary event's targets come after its host
        outgoing.setdefault(host, [])
        outgoing[boundary] = []
    for _id, source, target in flows:
        if source in outgoing and (target in nodes or target in boundaries):
            outgoing[source].append(target)
    for boundary, host in boundaries.items():
        if host in outgoing:
            outgoing[host].append(boundary)
    incoming = {t for targets in outgoing.values() for t in targets}
    starts = [n for n in outgoing if n not in incoming] or list(outgoing)[:1]
    order, back, state = [], set(), {}

    def visit(node: str) -> None:                  # depth first: discovery order, and back edges
        state[node] = "open"
        for target in outgoing.get(node, []):
            if state.get(target) == "open":
                back.add((node, target))
            elif target not in state:
                visit(target)
        state[node] = "done"
        order.append(node)

    for start in starts + list(outgoing):
        if start not in state:
            visit(start)
    column: dict[str, int] = {}
    for node in reversed(order):                   # topological order without back edges
        column.setdefault(node, 0)
        for target in outgoing.get(node, []):
            if (node, target) not in back:
                step = 0 if node in boundaries or target in boundaries else 1
                column[target] = max(column.get(target, 0), column[node] + step)
    return column


def _place(nodes: dict[str, str], columns: dict[str, int]) -> dict[str, Box]:
    rows: dict[int, int] = {}
    boxes = {}
    for node in sorted(nodes, key=lambda n: (columns.get(n, 0), list(nodes).index(n))):
        column = columns.get(node, 0)
        row = rows.get(column, 0)
        rows[column] = row + 1
        w, h = SIZES[nodes[node]]
        center_x, center_y = MARGIN + column * COLUMN + 55, MARGIN + row * ROW + 40
        boxes[node] = Box(center_x - w / 2, center_y - h / 2, w, h)
    return boxes


def _attach(boundaries: dict[str, str], boxes: dict[str, Box]) -> None:
    used: dict[str, int] = {}
    for boundary, host in boundaries.items():
        box = boxes.get(host)
        if box is None:
            continue
        index = used.get(host, 0)
        used[host] = index + 1
        boxes[boundary] = Box(box.x + box.w - 28 - index * 40, box.y + box.h - 18, 36, 36)


def _waypoints(source: Box, target: Box) -> list[tuple[float, float]]:
    sx, sy = source.x + source.w, source.y + source.h / 2
    tx, ty = target.x, target.y + target.h / 2
    if tx <= sx:                                   # a loop back: under both elements
        below = max(source.y + source.h, target.y + target.h) + 25
        start, end = (source.x + source.w / 2, source.y + source.h), (target.x + target.w / 2, target.y + target.h)
        return [start, (start[0], below), (end[0], below), end]
    if abs(sy - ty) < 1:
        return [(sx, sy), (tx, ty)]
    middle = sx + (tx - sx) / 2
    return [(sx, sy), (middle, sy), (middle, ty), (tx, ty)]


def _n(value: float) -> str:
    return str(int(round(value)))
