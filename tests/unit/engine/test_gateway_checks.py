"""Gateways that cannot route a token are refused at deploy, named by the gateway's id."""

from __future__ import annotations

import pytest

from tests.support.bpmn import end, flow, gateway, process_xml, start, user
from weft.engine import DeploymentError, Resource, compile_deployment


def problems(nodes, flows) -> list[tuple[str | None, str]]:
    xml = process_xml("p", [start(), *nodes], [flow("start", "g"), *flows])
    with pytest.raises(DeploymentError) as caught:
        compile_deployment([Resource("p.bpmn", xml.encode())])
    return [(p.element, p.message) for p in caught.value.problems]


def two_ways(kind="exclusive", default=None, condition="x > 1", other=None):
    nodes = [gateway("g", kind, default), user("a"), user("b"), end("e1"), end("e2")]
    flows = [flow("g", "a", condition, "to_a"), flow("g", "b", other, "to_b"), flow("a", "e1"), flow("b", "e2")]
    return nodes, flows


@pytest.mark.parametrize("kind", ["exclusive", "inclusive"])
def test_a_flow_without_condition_that_is_not_the_default_is_reported_on_the_gateway(kind):
    [(element, message)] = problems(*two_ways(kind))
    assert element == "g"
    assert "'to_b' is a non-default flow without condition" in message and message.startswith(f"{kind} gateway")


def test_a_default_flow_that_leaves_elsewhere_is_reported():
    [(element, message)] = problems(*two_ways(default="flow_a_e1"))
    assert element == "g" and "default flow 'flow_a_e1' is not one of its outgoing flows (to_a, to_b)" in message


def test_a_gateway_without_outgoing_flows_is_reported():
    assert problems([gateway("g", "parallel")], []) == [("g", "parallel gateway 'g' has no outgoing sequence flow")]


def test_a_condition_that_is_no_expression_is_reported_on_its_flow():
    [(element, message)] = problems(*two_ways(default="to_b", condition="${amount >}"))
    assert element == "to_a" and "the condition '${amount >}' of sequence flow 'to_a' cannot be read" in message


@pytest.mark.parametrize("condition", ["${amount > 1000 && !urgent}", "amount > 1000", "${x eq 'a'}"])
def test_sound_gateways_deploy(condition):
    nodes, flows = two_ways(default="to_b", condition=condition)
    xml = process_xml("p", [start(), *nodes], [flow("start", "g"), *flows])
    assert [p.key for p in compile_deployment([Resource("p.bpmn", xml.encode())]).processes] == ["p"]
