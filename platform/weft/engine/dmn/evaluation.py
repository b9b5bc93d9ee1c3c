"""Evaluating decision tables: inputs, rules, hit policies, aggregation, required decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import WeftError
from ..sandbox import Sandbox
from .feel import CELL
from .model import Decision


class DecisionError(WeftError):
    """A decision could not be evaluated (a failing cell, or a hit policy violated)."""


def feel_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def feel_datetime(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def feel_time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def feel_duration(text: str) -> dt.timedelta:
    from ..iso8601 import parse_duration
    return parse_duration(text).delta


FEEL_FUNCTIONS = {"feel_date": feel_date, "feel_datetime": feel_datetime, "feel_time": feel_time,
                  "feel_duration": feel_duration}


def evaluate_decision(decision_id: str, decisions: Mapping[str, Decision], variables: Mapping[str, Any],
                      sandbox: Sandbox, _seen: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The matched rules' outputs (one dict per result), after the hit policy."""
    if decision_id in _seen:
        raise DecisionError(f"decision {decision_id!r} requires itself")
    decision = decisions.get(decision_id)
    if decision is None:
        raise DecisionError(f"unknown decision {decision_id!r}")
    context: dict[str, Any] = dict(FEEL_FUNCTIONS)
    context.update(variables)
    for required in decision.required:
        results = evaluate_decision(required, decisions, context, sandbox, _seen + (decision_id,))
        context[required] = results
        if len(results) == 1:
            context.update(results[0])
    table = decision.table

    def run(source: str, extra: Mapping[str, Any] | None = None) -> Any:
        try:
            return sandbox.evaluate(source, {**context, **(extra or {})})
        except Exception as exc:  # noqa: BLE001 - reported against the decision
            raise DecisionError(f"decision {decision_id!r}: {source!r} failed: {type(exc).__name__}: {exc}") from exc

    values = [run(item.expression) for item in table.inputs]
    matched = []
    for rule in table.rules:
        if all(test is None or run(test, {CELL: value}) for test, value in zip(rule.tests, values, strict=True)):
            matched.append((rule, {out.name: run(src) for out, src in zip(table.outputs, rule.outputs, strict=True)}))
    return _apply_hit_policy(decision, matched)


def _apply_hit_policy(decision: Decision, matched: list) -> list[dict[str, Any]]:
    table = decision.table
    results = [outputs for _rule, outputs in matched]
    policy = table.hit_policy
    if policy == "UNIQUE":
        if len(results) > 1:
            rules = ", ".join(rule.id for rule, _ in matched)
            raise DecisionError(f"decision {decision.id!r} (UNIQUE) matched several rules: {rules}")
        return results
    if policy == "FIRST":
        return results[:1]
    if policy == "ANY":
        if any(result != results[0] for result in results[1:]):
            raise DecisionError(f"decision {decision.id!r} (ANY) matched rules with different outputs")
        return results[:1]
    if policy in ("PRIORITY", "OUTPUT ORDER"):
        ordered = sorted(results, key=lambda result: _priority_key(table, result))
        return ordered[:1] if policy == "PRIORITY" else ordered
    if policy == "COLLECT" and table.aggregation:
        return _aggregate(decision, results)
    return results                   # COLLECT, RULE ORDER


def _priority_key(table, result: dict[str, Any]) -> tuple:
    key = []
    for output in table.outputs:
        value = result.get(output.name)
        key.append(output.priority.index(value) if value in output.priority else len(output.priority))
    return tuple(key)


def _aggregate(decision: Decision, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    table = decision.table
    if len(table.outputs) != 1:
        raise DecisionError(f"decision {decision.id!r}: aggregation needs exactly one output")
    name = table.outputs[0].name
    values = [result[name] for result in results if result.get(name) is not None]
    if table.aggregation == "COUNT":
        return [{name: len(values)}]
    if not values:
        return []
    aggregates: dict[str | None, Callable[[list[Any]], Any]] = {"SUM": sum, "MIN": min, "MAX": max}
    return [{name: aggregates[table.aggregation](values)}]


def map_decision_result(results: list[dict[str, Any]], mapping: str | None, decision_id: str) -> Any:
    """Camunda's ``mapDecisionResult``: ``resultList`` (default), ``singleResult``,
    ``singleEntry`` or ``collectEntries``."""
    mapping = mapping or "resultList"
    if mapping == "resultList":
        return results
    if mapping == "singleResult":
        if len(results) > 1:
            raise DecisionError(f"decision {decision_id!r}: singleResult but {len(results)} results")
        return results[0] if results else None
    if mapping == "singleEntry":
        if len(results) > 1:
            raise DecisionError(f"decision {decision_id!r}: singleEntry but {len(results)} results")
        if not results:
            return None
        if len(results[0]) != 1:
            raise DecisionError(f"decision {decision_id!r}: singleEntry needs one output, found {len(results[0])}")
        return next(iter(results[0].values()))
    if mapping == "collectEntries":
        if results and len(results[0]) != 1:
            raise DecisionError(f"decision {decision_id!r}: collectEntries needs one output")
        return [next(iter(result.values())) for result in results]
    raise DecisionError(f"unknown mapDecisionResult {mapping!r}")
