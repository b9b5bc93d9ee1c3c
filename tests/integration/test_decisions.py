"""Business rule tasks evaluating deployed DMN decisions."""

from __future__ import annotations

import pytest

from tests.support.bpmn import business_rule, chain, end, process_xml, start
from tests.support.dmn import dmn, table
from weft import DeploymentError

APPROVER = table("approver", ["amount"], ["approver"], [(["< 1000"], ['"lead"']), ([">= 1000"], ['"manager"'])])
CHECKS = table("checks", ["amount"], ["check"], [(["-"], ['"budget"']), ([">= 5000"], ['"audit"'])],
               hit_policy="COLLECT")


@pytest.mark.parametrize(("mapping", "variable", "expected"), [
    ("singleEntry", "approver", "manager"),
    ("singleResult", "decision", {"approver": "manager"}),
    (None, "decision", [{"approver": "manager"}]),
])
def test_business_rule_task_result_variable(weft, tmp_path, mapping, variable, expected):
    (tmp_path / "rules.dmn").write_text(dmn(APPROVER, CHECKS))
    (tmp_path / "route.bpmn").write_text(process_xml(
        "route", [start(), business_rule("decide", "approver", variable, mapping), end()],
        chain("start", "decide", "end")))
    weft.deploy(tmp_path)
    assert weft.start("route", {"amount": 2500}).variables[variable] == expected


def test_collect_entries_and_decisions_deployed_before(weft, tmp_path):
    (tmp_path / "rules.dmn").write_text(dmn(APPROVER, CHECKS))
    weft.deploy(tmp_path / "rules.dmn")
    (tmp_path / "route.bpmn").write_text(process_xml(
        "route", [start(), business_rule("decide", "checks", "checks", "collectEntries"), end()],
        chain("start", "decide", "end")))
    weft.deploy(tmp_path / "route.bpmn")
    assert weft.start("route", {"amount": 9000}).variables["checks"] == ["budget", "audit"]


def test_unknown_decision_is_refused(weft, bpmn_file):
    xml = process_xml("route", [start(), business_rule("decide", "nowhere", "x"), end()],
                      chain("start", "decide", "end"))
    with pytest.raises(DeploymentError) as caught:
        weft.deploy(bpmn_file(xml))
    assert caught.value.problems[0].element == "decide" and "unknown decision 'nowhere'" in str(caught.value)


def test_decision_failure_is_an_incident(weft, tmp_path):
    overlapping = table("overlap", ["x"], ["y"], [([">= 1"], ["1"]), ([">= 2"], ["2"])])
    (tmp_path / "rules.dmn").write_text(dmn(overlapping))
    (tmp_path / "route.bpmn").write_text(process_xml(
        "route", [start(), business_rule("decide", "overlap", "y"), end()], chain("start", "decide", "end")))
    weft.deploy(tmp_path)
    instance = weft.start("route", {"x": 5})
    [incident] = weft.instances.incidents(instance.id)
    assert instance.state == "failed" and incident["element_id"] == "decide" and "UNIQUE" in incident["message"]
