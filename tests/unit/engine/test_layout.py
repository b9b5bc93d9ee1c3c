"""Generated diagrams for processes written without one."""

from __future__ import annotations

from lxml import etree

from tests.support.bpmn import boundary_timer, chain, end, flow, gateway, process_xml, start, subprocess, user
from weft.engine.layout import BPMNDI, DC, DI, with_diagram


def shapes(xml: bytes) -> dict[str, dict[str, float]]:
    root = etree.fromstring(xml)
    return {shape.get("bpmnElement"): {k: float(v) for k, v in shape.find(f"{{{DC}}}Bounds").attrib.items()}
            for shape in root.iter(f"{{{BPMNDI}}}BPMNShape")}


def test_a_process_without_a_diagram_gets_one_left_to_right():
    xml = process_xml("p", [start(), user("a"), gateway("g"), user("b"), user("c"), end("e1"), end("e2"),
                            boundary_timer("late", "a", "PT1H")],
                      chain("start", "a", "g") + [flow("g", "b", "${x}"), flow("g", "c", "${not x}"),
                                                  flow("b", "e1"), flow("c", "e2"), flow("late", "e2")])
    result = with_diagram(xml.encode(), "p")
    boxes = shapes(result)
    assert set(boxes) == {"start", "a", "g", "b", "c", "e1", "e2", "late"}
    assert boxes["start"]["x"] < boxes["a"]["x"] < boxes["g"]["x"] < boxes["b"]["x"]
    assert boxes["b"]["x"] == boxes["c"]["x"] and boxes["b"]["y"] != boxes["c"]["y"]
    late, host = boxes["late"], boxes["a"]
    assert host["x"] <= late["x"] <= host["x"] + host["width"] and late["y"] == host["y"] + host["height"] - 18
    root = etree.fromstring(result)
    edges = {edge.get("bpmnElement"): len(edge.findall(f"{{{DI}}}waypoint")) for edge in root.iter(f"{{{BPMNDI}}}BPMNEdge")}
    assert len(edges) == 7 and all(count >= 2 for count in edges.values())
    assert root.find(f"{{{BPMNDI}}}BPMNDiagram/{{{BPMNDI}}}BPMNPlane").get("bpmnElement") == "p"


def test_loops_do_not_push_elements_right_forever():
    xml = process_xml("loop", [start(), user("work"), gateway("again"), end()],
                      chain("start", "work", "again") + [flow("again", "work", "${more}"), flow("again", "end")])
    boxes = shapes(with_diagram(xml.encode(), "loop"))
    assert boxes["work"]["x"] < boxes["again"]["x"] < boxes["end"]["x"]


def test_files_with_a_diagram_are_left_alone():
    drawn = with_diagram(process_xml("p", [start(), end()], chain("start", "end")).encode(), "p")
    assert with_diagram(drawn, "p") == drawn
    assert with_diagram(drawn, "other") == drawn


def test_an_embedded_subprocess_is_drawn_collapsed_with_its_content_on_a_plane_of_its_own():
    inner = subprocess("review", [start("r_start"), user("check"), end("r_end")], chain("r_start", "check", "r_end"))
    xml = process_xml("p", [start(), inner, end()], chain("start", "review", "end"))
    root = etree.fromstring(with_diagram(xml.encode(), "p"))
    planes = {plane.get("bpmnElement"): {shape.get("bpmnElement"): shape for shape in plane.iter(f"{{{BPMNDI}}}BPMNShape")}
              for plane in root.iter(f"{{{BPMNDI}}}BPMNPlane")}
    assert set(planes) == {"p", "review"}
    assert set(planes["p"]) == {"start", "review", "end"} and planes["p"]["review"].get("isExpanded") == "false"
    assert set(planes["review"]) == {"r_start", "check", "r_end"}
