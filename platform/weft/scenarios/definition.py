"""Scenario files: what to start, the steps to take, what to expect.

```yaml
name: A small request is approved by itself
process: purchase_to_pay
at: 2026-03-02T09:00:00Z                 # the virtual clock's start (default 2026-01-05 09:00 UTC)
start: {user: rita, variables: {purpose: Gloves, lines: [{item: "@gloves", quantity: 10}]}}
steps:
  - {task: request_quotes, user: paul, data: {rfq_deadline: 2026-03-05}}
  - {task: assess_claim, data: {…}}       # no user: the task's assignee (else the system) completes it
  - {wait: P3D}                           # the clock moves on; due timers fire, jobs run
  - {message: claim_appeal, correlation: {claim_number: CLM-2026-00001}, variables: {appeal_reason: x}}
  - {expect: {tasks: [choose_quote]}}     # the open tasks at this point
  - {record: supplier_quote, key: acme_quote, values: {request: "${request_id}", supplier: "@acme", total: 95}}
expect:
  state: completed                        # or waiting, failed, terminated
  path: [request_submitted, approved, paid]   # visited in this order (others may come between)
  not_visited: [manager_approval]
  ends: [paid]                            # where it ended
  variables: {approval_level: auto}
```
``"@key"`` names a record of the modules' seed data (as seeds do) or one a ``record`` step
created; ``"${name}"`` is the instance's variable ``name`` at that moment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..engine.iso8601 import Duration, Iso8601Error, parse_duration, written_moment
from ..entities.errors import DefinitionProblem, Problems

SCENARIO_KEYS = {"name", "process", "at", "start", "steps", "expect", "description"}
EXPECT_KEYS = {"state", "path", "not_visited", "ends", "variables", "tasks"}
STATES = ("waiting", "completed", "failed", "terminated", "running")
DEFAULT_START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Expectation:
    state: str | None = None
    path: tuple[str, ...] = ()
    not_visited: tuple[str, ...] = ()
    ends: tuple[str, ...] = ()
    variables: dict[str, Any] = field(default_factory=dict)
    tasks: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Step:
    kind: str                                  # task, wait, message, record, expect
    key: str                                   # the step's place in the file: steps[2]
    task: str | None = None
    user: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    wait: Duration | None = None
    message: str | None = None
    correlation: dict[str, Any] = field(default_factory=dict)
    expect: Expectation | None = None
    entity: str | None = None                  # record: the entity of the record to create
    record_key: str | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    file: str
    process: str
    at: dt.datetime
    start_user: str | None
    start_variables: dict[str, Any]
    steps: tuple[Step, ...]
    expect: Expectation


def parse_scenario(data: Any, file: str) -> tuple[Scenario | None, list[DefinitionProblem]]:
    problem = Problems(file)
    if not isinstance(data, dict):
        problem("", "a scenario is a mapping: name, process, start, steps, expect")
        return None, problem.found
    for key in sorted(set(data) - SCENARIO_KEYS, key=str):
        problem(str(key), f"unknown key {key!r}")
    process = data.get("process")
    if not isinstance(process, str) or not process:
        problem("process", "process names the process key to start")
    start = data.get("start") or {}
    if not isinstance(start, dict) or set(start) - {"user", "variables"} or \
            not isinstance(start.get("variables") or {}, dict):
        problem("start", "start is {user, variables}")
        start = {}
    steps = data.get("steps") or []
    if not isinstance(steps, list):
        problem("steps", "steps is a list")
        steps = []
    parsed = [s for i, item in enumerate(steps) if (s := _step(item, f"steps[{i}]", problem)) is not None]
    expect = _expect(data.get("expect") or {}, "expect", problem) or Expectation()
    scenario = Scenario(str(data.get("name") or file.rsplit("/", 1)[-1]), file, str(process or ""),
                        _moment(data.get("at"), problem), start.get("user"), dict(start.get("variables") or {}),
                        tuple(parsed), expect)
    return (scenario if not problem.found else None), problem.found


def _step(item: Any, key: str, problem: Problems) -> Step | None:
    if not isinstance(item, dict):
        problem(key, "a step is {task, user, data}, {wait}, {message, correlation, variables} or {expect}")
        return None
    if "task" in item:
        if set(item) - {"task", "user", "data"} or not isinstance(item.get("data") or {}, dict):
            problem(key, "a task step is {task: <element id>, user, data}")
            return None
        return Step("task", key, task=str(item["task"]), user=item.get("user"), data=dict(item.get("data") or {}))
    if "wait" in item:
        try:
            return Step("wait", key, wait=parse_duration(str(item["wait"])))
        except ValueError:
            problem(f"{key}.wait", "an ISO 8601 duration such as PT4H or P3D")
            return None
    if "message" in item:
        if set(item) - {"message", "correlation", "variables"}:
            problem(key, "a message step is {message, correlation, variables}")
            return None
        return Step("message", key, message=str(item["message"]), correlation=dict(item.get("correlation") or {}),
                    data=dict(item.get("variables") or {}))
    if "record" in item:
        if set(item) - {"record", "values", "key"} or not isinstance(item.get("values") or {}, dict):
            problem(key, "a record step is {record: <entity>, values, key}")
            return None
        return Step("record", key, entity=str(item["record"]), data=dict(item.get("values") or {}),
                    record_key=item.get("key"))
    if "expect" in item:
        expectation = _expect(item["expect"], f"{key}.expect", problem)
        return Step("expect", key, expect=expectation) if expectation is not None else None
    problem(key, "a step is {task, user, data}, {wait}, {message, correlation, variables} or {expect}")
    return None


def _expect(value: Any, key: str, problem: Problems) -> Expectation | None:
    if not isinstance(value, dict):
        problem(key, "expect is a mapping: state, path, not_visited, ends, variables, tasks")
        return None
    for extra in sorted(set(value) - EXPECT_KEYS, key=str):
        problem(f"{key}.{extra}", f"unknown key {extra!r}")
    state = value.get("state")
    if state is not None and state not in STATES:
        problem(f"{key}.state", f"one of {', '.join(STATES)}")
    lists = {}
    for name in ("path", "not_visited", "ends", "tasks"):
        items = value.get(name)
        if items is not None and (not isinstance(items, list) or not all(isinstance(i, str) for i in items)):
            problem(f"{key}.{name}", f"{name} is a list of element ids")
            items = []
        lists[name] = tuple(items) if items is not None else None
    variables = value.get("variables") or {}
    if not isinstance(variables, dict):
        problem(f"{key}.variables", "variables is a mapping")
        variables = {}
    return Expectation(state, lists["path"] or (), lists["not_visited"] or (), lists["ends"] or (), dict(variables),
                       lists["tasks"])


def _moment(value: Any, problem: Problems) -> dt.datetime:
    if value is None:
        return DEFAULT_START
    try:
        return written_moment(value)
    except Iso8601Error:
        problem("at", "a date-time such as 2026-03-02T09:00:00Z")
        return DEFAULT_START
