"""Plugin manifests (``plugins/<module>/plugin.yaml``, DESIGN §7)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..entities.definition_names import IDENTIFIER, NAME_RULE
from ..entities.errors import DefinitionProblem, Problems
from ..entities.labels import Label, humanize

MANIFEST_KEYS = {"name", "version", "label", "requires", "roles", "menu", "grants", "description"}
ACTIONS = ("read", "create", "update", "delete")
VERSION = re.compile(r"^\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?$")


@dataclass(frozen=True)
class Manifest:
    name: str
    version: str
    label: Label
    requires: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    menu: tuple[dict[str, Any], ...] = field(default=())
    grants: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)   # entity -> role -> actions


def parse_manifest(data: Any, file: str) -> tuple[Manifest | None, list[DefinitionProblem]]:
    problem = Problems(file)
    name = problem.named_mapping(data, "plugin.yaml (name, version, requires, roles, menu)", MANIFEST_KEYS)
    if name is None:
        return None, problem.found
    version = str(data.get("version", ""))
    if not VERSION.match(version):
        problem("version", "the version looks like 1.0.0")
    label = problem.label(data.get("label"), humanize(name), "label")
    requires = _names(data.get("requires"), "requires", problem)
    if name in requires:
        problem("requires", "a module cannot require itself")
    roles = _names(data.get("roles"), "roles", problem)
    menu = _menu(data.get("menu"), problem)
    grants = _grants(data.get("grants"), problem)
    manifest = Manifest(name, version, label, tuple(requires), tuple(roles), tuple(menu), grants)
    return (manifest if not problem.found else None), problem.found


def _names(value: Any, key: str, problem) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or any(not isinstance(v, str) or not IDENTIFIER.match(v) for v in value):
        problem(key, f"{key} is a list of names ({NAME_RULE})")
        return []
    if len(set(value)) != len(value):
        problem(key, f"{key} lists a name twice")
    return list(dict.fromkeys(value))


def _menu(value: Any, problem) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        problem("menu", "menu is a list of {entity: …} or {process: …, label: …}")
        return []
    items = []
    for index, item in enumerate(value):
        key = f"menu[{index}]"
        if not isinstance(item, dict) or len({"entity", "process", "report"} & set(item)) != 1:
            problem(key, "a menu item names one entity, process or report")
            continue
        if set(item) - {"entity", "process", "report", "label", "roles"}:
            problem(key, f"unknown keys {sorted(set(item) - {'entity', 'process', 'report', 'label', 'roles'})}")
        entry = dict(item)
        if "label" in item:
            entry["label"] = problem.label(item["label"], "", f"{key}.label")
        items.append(entry)
    return items


def _grants(value: Any, problem) -> dict[str, dict[str, tuple[str, ...]]]:
    """``grants: {item: {production_planner: [read]}}``: the module's roles on entities of the
    modules it requires (which cannot name roles they do not know)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        problem("grants", "grants maps entities to {role: [actions]}")
        return {}
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for entity, roles in value.items():
        key = f"grants.{entity}"
        if not isinstance(entity, str) or not IDENTIFIER.match(entity) or not isinstance(roles, dict):
            problem(key, "an entity name mapped to {role: [actions]}")
            continue
        for role, actions in roles.items():
            if not isinstance(role, str) or not IDENTIFIER.match(role) or not isinstance(actions, list) or \
                    not actions or any(a not in ACTIONS for a in actions):
                problem(f"{key}.{role}", f"a role mapped to a list of actions ({', '.join(ACTIONS)})")
                continue
            found.setdefault(entity, {})[role] = tuple(dict.fromkeys(actions))
    return found
