"""DMN decision tables: FEEL unary tests, hit policies, aggregation, required decisions."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.support.dmn import dmn, table
from weft.engine.dmn import DecisionError, evaluate_decision, map_decision_result, parse_dmn
from weft.engine.dmn.feel import unary_tests
from weft.engine.sandbox import Sandbox

SANDBOX = Sandbox()


def decide(decision_xml, variables, decision_id=None, *more):
    decisions, problems = parse_dmn(etree.fromstring(dmn(decision_xml, *more).encode()), "test.dmn")
    assert problems == []
    decision_id = decision_id or next(iter(decisions))
    return evaluate_decision(decision_id, decisions, variables, SANDBOX)


@pytest.mark.parametrize(("cell", "value", "expected"), [
    ("-", 5, True), ("", 5, True),
    ("< 250", 249, True), ("< 250", 250, False), ("<= 250", 250, True), (">= 1000", 1000, True),
    ("[250..1000]", 250, True), ("[250..1000]", 1000, True), ("(250..1000)", 250, False),
    ("]250..1000[", 1000, False), ("[250..1000)", 999.5, True),
    ('"a","b"', "b", True), ('"a","b"', "c", False),
    ('not("x")', "y", True), ('not("x")', "x", False), ("not(1, 2)", 3, True),
    ("42", 42, True), ("true", True, True), ("null", None, True),
    ("cell_input % 2 == 0", 4, True), ("amount > limit", 0, True),
    ('date("2026-01-01")', __import__("datetime").date(2026, 1, 1), True),
])
def test_unary_tests(cell, value, expected):
    source = unary_tests(cell)
    assert (True if source is None else SANDBOX.evaluate(source, {
        "cell_input": value, "amount": 5, "limit": 1, "feel_date": __import__("datetime").date.fromisoformat})) \
        is expected


APPROVAL = dict(inputs=["amount", "department"], outputs=["approver"], rules=[
    (["< 1000", "-"], ['"team lead"']),
    (["[1000..10000)", "-"], ['"manager"']),
    ([">= 10000", '"it","finance"'], ['"cfo"']),
    ([">= 10000", 'not("it","finance")'], ['"ceo"']),
])


@pytest.mark.parametrize(("amount", "department", "approver"), [
    (10, "sales", "team lead"), (1000, "sales", "manager"), (50_000, "it", "cfo"), (50_000, "sales", "ceo")])
def test_unique_hit_policy(amount, department, approver):
    assert decide(table("approval", **APPROVAL), {"amount": amount, "department": department}) == [
        {"approver": approver}]


def test_unique_with_two_matches_is_an_error():
    overlapping = table("d", ["x"], ["y"], [([">= 1"], ["1"]), ([">= 2"], ["2"])])
    with pytest.raises(DecisionError, match="UNIQUE"):
        decide(overlapping, {"x": 5})


RULES = [([">= 1"], ['"low"']), ([">= 5"], ['"high"']), ([">= 3"], ['"medium"'])]
PRIORITIES = {"level": '"high","medium","low"'}


@pytest.mark.parametrize(("policy", "expected"), [
    ("FIRST", [{"level": "low"}]),
    ("PRIORITY", [{"level": "high"}]),
    ("RULE ORDER", [{"level": "low"}, {"level": "high"}, {"level": "medium"}]),
    ("OUTPUT ORDER", [{"level": "high"}, {"level": "medium"}, {"level": "low"}]),
    ("COLLECT", [{"level": "low"}, {"level": "high"}, {"level": "medium"}]),
])
def test_multi_hit_policies(policy, expected):
    decision = table("d", ["x"], ["level"], RULES, hit_policy=policy, output_values=PRIORITIES)
    assert decide(decision, {"x": 6}) == expected


def test_any_requires_equal_outputs():
    same = table("d", ["x"], ["y"], [([">= 1"], ['"ok"']), ([">= 2"], ['"ok"'])], hit_policy="ANY")
    assert decide(same, {"x": 5}) == [{"y": "ok"}]
    different = table("d", ["x"], ["y"], [([">= 1"], ['"ok"']), ([">= 2"], ['"no"'])], hit_policy="ANY")
    with pytest.raises(DecisionError, match="ANY"):
        decide(different, {"x": 5})


@pytest.mark.parametrize(("aggregation", "expected"), [("SUM", 60), ("MIN", 10), ("MAX", 30), ("COUNT", 3)])
def test_collect_aggregations(aggregation, expected):
    decision = table("fees", ["amount"], ["fee"], [([">= 0"], ["10"]), ([">= 100"], ["20"]), ([">= 500"], ["30"])],
                     hit_policy="COLLECT", aggregation=aggregation)
    assert decide(decision, {"amount": 700}) == [{"fee": expected}]


def test_required_decisions_are_evaluated_first():
    risk = table("risk", ["score"], ["risk"], [(["< 500"], ['"high"']), ([">= 500"], ['"low"'])])
    limit = table("limit", ["risk", "income"], ["credit_limit"], [
        (['"high"', "-"], ["0"]), (['"low"', "-"], ["income * 2"])], required=["risk"])
    assert decide(limit, {"score": 720, "income": 3000}, "limit", risk) == [{"credit_limit": 6000}]
    assert decide(limit, {"score": 100, "income": 3000}, "limit", risk) == [{"credit_limit": 0}]


def test_several_decisions_per_file_and_dotted_inputs():
    discount = table("discount", ["customer.tier"], ["rate"], [(['"gold"'], ["0.2"]), (['not("gold")'], ["0"])])
    shipping = table("shipping", ["weight"], ["cost"], [(["<= 5"], ["5"]), (["> 5"], ["weight * 1.5"])])
    decisions, problems = parse_dmn(etree.fromstring(dmn(discount, shipping).encode()), "two.dmn")
    assert set(decisions) == {"discount", "shipping"} and problems == []
    assert evaluate_decision("discount", decisions, {"customer": {"tier": "gold"}}, SANDBOX) == [{"rate": 0.2}]
    assert evaluate_decision("shipping", decisions, {"weight": 10}, SANDBOX) == [{"cost": 15.0}]


@pytest.mark.parametrize(("mapping", "expected"), [
    ("resultList", [{"a": 1}]), (None, [{"a": 1}]), ("singleResult", {"a": 1}), ("singleEntry", 1),
    ("collectEntries", [1])])
def test_map_decision_result(mapping, expected):
    assert map_decision_result([{"a": 1}], mapping, "d") == expected


def test_single_entry_with_several_results_is_an_error():
    with pytest.raises(DecisionError, match="singleEntry"):
        map_decision_result([{"a": 1}, {"a": 2}], "singleEntry", "d")


def test_broken_cells_are_reported_with_the_rule():
    broken = table("d", ["x"], ["y"], [(["> (1"], ["1"])])
    _decisions, problems = parse_dmn(etree.fromstring(dmn(broken).encode()), "broken.dmn")
    assert problems and problems[0].element == "d_r0" and problems[0].file == "broken.dmn"
