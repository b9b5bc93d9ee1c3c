"""Models breaking a structural rule of BPMN are refused by ``weft.deploy``: nothing is stored,
and the problems name the file, the element and the rule."""

from __future__ import annotations

import pytest

from tests.support.bpmn import chain, end, process_xml, start, user
from tests.unit.engine.invalid_models.test_catalogue import CATALOGUE
from weft import DeploymentError

SAMPLE = ["flow into a subprocess's task", "process without start event", "boundary event on a parallel gateway",
          "event-based gateway followed by a user task", "message flow between tasks of one pool",
          "two tasks share an id", "intermediateCatchEvent referring to an undefined signal"]


@pytest.mark.parametrize("name", SAMPLE)
def test_an_invalid_model_is_refused_and_nothing_is_stored(weft, bpmn_file, name):
    [case] = [case for case in CATALOGUE if case.name == name]
    with pytest.raises(DeploymentError) as caught:
        weft.deploy(bpmn_file(case.xml(), "invalid.bpmn"))
    assert weft.process_definitions() == []
    assert any(p.file == "invalid.bpmn" and p.element == case.element and case.message in p.message and p.line
               for p in caught.value.problems)


def test_a_valid_file_deployed_with_an_invalid_one_is_not_stored_either(weft, bpmn_file):
    valid = bpmn_file(process_xml("fine", [start(), user("check"), end()], chain("start", "check", "end")),
                      "fine.bpmn")
    [case] = [case for case in CATALOGUE if case.name == "end event with an outgoing flow"]
    invalid = bpmn_file(case.xml(), "invalid.bpmn")
    with pytest.raises(DeploymentError) as caught:
        weft.deploy([valid, invalid])
    assert weft.process_definitions() == []
    assert {p.file for p in caught.value.problems} == {"invalid.bpmn"}
