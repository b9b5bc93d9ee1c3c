"""What changed between two versions of a process, element by element."""

from __future__ import annotations

from tests.support.bpmn import boundary_timer, chain, end, flow, process_xml, script, start, subprocess, user
from weft.engine.version_diff import diff_process

OLD = process_xml("p", [start(), user("a", camunda_candidateGroups="managers"), boundary_timer("t", "a", "PT1H"),
                        script("s", "x = 1"), subprocess("sub", [start("s0"), user("inner"), end("e0")],
                                                         chain("s0", "inner", "e0")), end()],
                  chain("start", "a", "s", "sub", "end") + [flow("t", "end", id="late")])
NEW = process_xml("p", [start(), user("a", "Approve", camunda_candidateGroups="finance"),
                        boundary_timer("t", "a", "PT2H"), user("b"),
                        subprocess("sub", [start("s0"), user("inner", "Inner work"), end("e0")],
                                   chain("s0", "inner", "e0")), end()],
                  chain("start", "a", "b", "sub", "end") + [flow("t", "end", "${late}", id="late")])


def test_added_removed_and_changed_elements_with_their_properties():
    changes = {c.element_id: c for c in diff_process(OLD.encode(), NEW.encode(), "p")}
    assert changes["a"].change == "changed" and changes["a"].properties == [
        ("name", "a", "Approve"), ("camunda:candidateGroups", "managers", "finance")]
    assert changes["t"].properties == [("timerEventDefinition/timeDuration", "PT1H", "PT2H")]
    assert ("conditionExpression", None, "${late}") in changes["late"].properties
    assert changes["b"].change == "added" and changes["b"].type == "userTask"
    assert changes["s"].change == "removed" and changes["s"].type == "scriptTask"
    assert changes["inner"].properties == [("name", "inner", "Inner work")]     # inside a subprocess
    assert "sub" not in changes and "start" not in changes                      # unchanged
    assert [c.change for c in diff_process(OLD.encode(), NEW.encode(), "p")][-1] == "removed"


def test_the_same_version_has_no_changes():
    assert diff_process(OLD.encode(), OLD.encode(), "p") == []
