"""Reading DMN 1.1–1.4 documents into ``Decision`` objects (every cell translated and checked)."""

from __future__ import annotations

from lxml import etree

from ..errors import Problem, ScriptError
from ..sandbox import Sandbox
from . import feel
from .model import Decision, DecisionTable, Rule, TableInput, TableOutput

HIT_POLICIES = {"UNIQUE", "FIRST", "PRIORITY", "ANY", "COLLECT", "RULE ORDER", "OUTPUT ORDER"}
AGGREGATIONS = {"SUM", "MIN", "MAX", "COUNT"}


def _local(node) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def _children(node, name: str) -> list:
    return [child for child in node if _local(child) == name]


def _text(node, name: str) -> str | None:
    for child in node:
        if _local(child) == name:
            return child.text
    return None


def parse_dmn(root: etree._Element, filename: str, sandbox: Sandbox | None = None
              ) -> tuple[dict[str, Decision], list[Problem]]:
    """Every decision with a decision table; problems name the decision and rule."""
    checker = sandbox or Sandbox()
    decisions: dict[str, Decision] = {}
    problems: list[Problem] = []
    for node in root:
        if _local(node) != "decision":
            continue
        decision_id = node.get("id") or ""
        try:
            decisions[decision_id] = _decision(node, filename, checker)
        except _CellError as exc:
            problems.append(Problem(filename, exc.message, exc.element or decision_id, exc.line))
    known = set(decisions)
    for decision in decisions.values():
        for required in decision.required:
            if required not in known:
                problems.append(Problem(filename, f"requires unknown decision {required!r}", decision.id))
    return decisions, problems


class _CellError(Exception):
    def __init__(self, message: str, element: str | None, line: int | None):
        self.message, self.element, self.line = message, element, line
        super().__init__(message)


def _decision(node, filename: str, checker: Sandbox) -> Decision:
    tables = _children(node, "decisionTable")
    if len(tables) != 1:
        raise _CellError("a decision needs exactly one decisionTable (literal expressions are not supported)",
                         node.get("id"), node.sourceline)
    required = []
    for requirement in _children(node, "informationRequirement"):
        for link in _children(requirement, "requiredDecision"):
            href = link.get("href") or ""
            required.append(href.lstrip("#"))
    return Decision(node.get("id"), node.get("name"), _table(tables[0], checker), tuple(required), filename)


def _table(node, checker: Sandbox) -> DecisionTable:
    hit_policy = (node.get("hitPolicy") or "UNIQUE").upper().replace("_", " ")
    if hit_policy not in HIT_POLICIES:
        raise _CellError(f"unknown hit policy {hit_policy!r}", node.get("id"), node.sourceline)
    aggregation = node.get("aggregation")
    if aggregation and (hit_policy != "COLLECT" or aggregation.upper() not in AGGREGATIONS):
        raise _CellError(f"aggregation {aggregation!r} needs hit policy COLLECT and one of SUM, MIN, MAX, COUNT",
                         node.get("id"), node.sourceline)
    inputs = tuple(_input(item, checker) for item in _children(node, "input"))
    outputs = tuple(_output(item, index) for index, item in enumerate(_children(node, "output")))
    if not outputs:
        raise _CellError("a decision table needs at least one output", node.get("id"), node.sourceline)
    rules = tuple(_rule(item, len(inputs), len(outputs), checker) for item in _children(node, "rule"))
    return DecisionTable(hit_policy, aggregation.upper() if aggregation else None, inputs, outputs, rules)


def _input(node, checker: Sandbox) -> TableInput:
    expressions = _children(node, "inputExpression")
    text = _text(expressions[0], "text") if expressions else None
    if not text or not text.strip():
        raise _CellError("input has no inputExpression text", node.get("id"), node.sourceline)
    return TableInput(node.get("id"), node.get("label"), _checked(feel.expression(text), node, checker))


def _output(node, index: int) -> TableOutput:
    name = node.get("name") or node.get("label") or f"output{index + 1}"
    priority: tuple = ()
    values = _children(node, "outputValues")
    if values:
        text = _text(values[0], "text") or ""
        priority = tuple(_literal(part) for part in feel.split_top_level(text))
    return TableOutput(node.get("id"), name, node.get("label"), priority)


def _literal(text: str):
    value = text.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    try:
        return float(value) if "." in value else int(value)
    except ValueError:
        return value


def _rule(node, inputs: int, outputs: int, checker: Sandbox) -> Rule:
    entries = [_text(item, "text") for item in _children(node, "inputEntry")]
    results = [_text(item, "text") for item in _children(node, "outputEntry")]
    if len(entries) != inputs or len(results) != outputs:
        raise _CellError(f"rule has {len(entries)} input and {len(results)} output entries; the table has "
                         f"{inputs} and {outputs}", node.get("id"), node.sourceline)
    tests = []
    for entry in entries:
        try:
            test = feel.unary_tests(entry)
        except ScriptError as exc:
            raise _CellError(f"input entry {entry!r}: {exc}", node.get("id"), node.sourceline) from None
        tests.append(_checked(test, node, checker) if test is not None else None)
    values = tuple(_checked(feel.expression(result), node, checker) for result in results)
    annotation = _text(node, "description")
    return Rule(node.get("id"), tuple(tests), values, annotation)


def _checked(source: str, node, checker: Sandbox) -> str:
    try:
        checker.compile(source, "eval")
    except ScriptError as exc:
        raise _CellError(f"cell {source!r}: {exc}", node.get("id"), node.sourceline) from None
    return source
