"""Plugin manifests (``plugins/<module>/plugin.yaml``, DESIGN §7)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..entities.definition_names import IDENTIFIER, NAME_RULE
from ..entities.errors import DefinitionProblem, Problems
from ..entities.labels import Label, humanize

MANIFEST_KEYS = {"name", "version", "label", "requires", "roles", "menu", "description"}
VERSION = re.compile(r"^\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?$")


@dataclass(frozen=True)
class Manifest:
    name: str
    version: str
    label: Label
    requires: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    menu: tuple[dict[str, Any], ...] = field(default=())


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
    manifest = Manifest(name, version, label, tuple(requires), tuple(roles), tuple(menu))
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
