"""Seed data of a module (``plugins/<module>/seed/*.yaml``): demo users, records and process
instances, loaded by ``weft demo`` (once per file).

```yaml
users:                                   # password: the demo password
  - {name: sara, display_name: Sara Sales, email: sara@example.com, groups: [sales_rep]}
records:
  - entity: organization
    key: acme                            # later entries refer to it as "@acme"
    values: {name: Acme Corp}
  - {entity: contact, values: {name: John Smith, organization: "@acme"}}
  - {entity: deal, created_at: 2026-01-10, values: {name: Pumps, stage: won, closed_on: 2026-02-01}}
instances:
  - process: lead_to_deal
    user: sara                           # who starts it (through the start form when it has one)
    data: {lead: "@lead_1"}
    steps:                               # tasks to complete right away, in order
      - {task: qualify, user: sara, data: {outcome: qualified}}
```
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..engine.iso8601 import Iso8601Error, written_moment
from ..entities.definition_names import IDENTIFIER
from ..entities.errors import DefinitionProblem, Problems

SEED_KEYS = {"users", "records", "instances"}


@dataclass(frozen=True)
class SeedUser:
    name: str
    groups: tuple[str, ...] = ()
    display_name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class SeedRecord:
    entity: str
    values: dict[str, Any]
    key: str | None = None
    created_at: dt.datetime | None = None      # demo data dated back (reports over time)


@dataclass(frozen=True)
class SeedStep:
    task: str
    user: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SeedInstance:
    process: str
    user: str
    data: dict[str, Any] = field(default_factory=dict)
    steps: tuple[SeedStep, ...] = ()


@dataclass(frozen=True)
class SeedFile:
    path: str
    users: tuple[SeedUser, ...]
    records: tuple[SeedRecord, ...]
    instances: tuple[SeedInstance, ...]


def parse_seed(data: Any, path: str) -> tuple[SeedFile | None, list[DefinitionProblem]]:
    problem = Problems(path)
    if not isinstance(data, dict):
        problem("", "a seed file is a mapping of users, records and instances")
        return None, problem.found
    for key in sorted(set(data) - SEED_KEYS, key=str):
        problem(str(key), f"unknown key {key!r}")
    users = [u for i, item in enumerate(_list(data, "users", problem)) if (u := _user(item, i, problem))]
    records = [r for i, item in enumerate(_list(data, "records", problem)) if (r := _record(item, i, problem))]
    instances = [s for i, item in enumerate(_list(data, "instances", problem)) if (s := _instance(item, i, problem))]
    keys = [r.key for r in records if r.key]
    for repeated in sorted({k for k in keys if keys.count(k) > 1}):
        problem("records", f"key {repeated!r} is given twice")
    seed = SeedFile(path, tuple(users), tuple(records), tuple(instances))
    return (seed if not problem.found else None), problem.found


def _list(data: dict, key: str, problem: Problems) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        problem(key, f"{key} is a list")
        return []
    return value


def _user(item: Any, index: int, problem: Problems) -> SeedUser | None:
    key = f"users[{index}]"
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        problem(key, "a user is {name, groups, display_name, email}")
        return None
    groups = item.get("groups") or []
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        problem(f"{key}.groups", "groups is a list of group names")
        groups = []
    return SeedUser(item["name"], tuple(groups), item.get("display_name"), item.get("email"))


def _record(item: Any, index: int, problem: Problems) -> SeedRecord | None:
    key = f"records[{index}]"
    if not isinstance(item, dict) or not isinstance(item.get("entity"), str) or \
            not isinstance(item.get("values"), dict):
        problem(key, "a record is {entity, values, key}")
        return None
    record_key = item.get("key")
    if record_key is not None and (not isinstance(record_key, str) or not IDENTIFIER.match(record_key)):
        problem(f"{key}.key", "a key is a name such as acme or lead_1")
        record_key = None
    for extra in sorted(set(item) - {"entity", "values", "key", "created_at"}, key=str):
        problem(f"{key}.{extra}", f"unknown key {extra!r}")
    return SeedRecord(item["entity"], dict(item["values"]), record_key, _moment(item.get("created_at"),
                                                                                 f"{key}.created_at", problem))


def _moment(value: Any, key: str, problem: Problems) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return written_moment(value)
    except Iso8601Error:
        problem(key, "created_at is a date or date-time such as 2026-01-10")
        return None


def _instance(item: Any, index: int, problem: Problems) -> SeedInstance | None:
    key = f"instances[{index}]"
    if not isinstance(item, dict) or not isinstance(item.get("process"), str) or \
            not isinstance(item.get("user"), str):
        problem(key, "an instance is {process, user, data, steps}")
        return None
    steps = []
    for number, step in enumerate(item.get("steps") or []):
        if not isinstance(step, dict) or not isinstance(step.get("task"), str) or \
                not isinstance(step.get("user"), str):
            problem(f"{key}.steps[{number}]", "a step is {task: <element id>, user, data}")
            continue
        steps.append(SeedStep(step["task"], step["user"], dict(step.get("data") or {})))
    data = item.get("data") or {}
    if not isinstance(data, dict):
        problem(f"{key}.data", "data is a mapping")
        data = {}
    return SeedInstance(item["process"], item["user"], dict(data), tuple(steps))
