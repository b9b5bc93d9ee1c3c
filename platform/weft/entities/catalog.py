"""A set of entity definitions checked together: references, child tables, defaults, formulas."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from dataclasses import dataclass

from ..engine.errors import ScriptError
from ..engine.sandbox import Sandbox
from .definition import DEFAULT_WORDS, EntityDefinition, FieldDefinition
from .errors import DefinitionProblem


@dataclass(frozen=True)
class ChildLink:
    parent: str
    field: str


class Catalog:
    """Entity definitions by name, with the parent of every child entity."""

    def __init__(self, entities: Mapping[str, EntityDefinition]):
        self.entities = dict(entities)
        self.parents: dict[str, ChildLink] = {}
        for entity in self.entities.values():
            for table in entity.tables:
                if table.of is not None:
                    self.parents.setdefault(table.of, ChildLink(entity.name, table.name))

    def __contains__(self, name: str) -> bool:
        return name in self.entities

    def get(self, name: str) -> EntityDefinition | None:
        return self.entities.get(name)

    def is_child(self, name: str) -> bool:
        return name in self.parents

    def parents_field(self, entity: EntityDefinition, table_field: str) -> str:
        """The child entity whose rows ``entity.table_field`` holds."""
        item = entity.field(table_field)
        if item is None or item.of is None:
            raise KeyError(f"{entity.name} has no table field {table_field!r}")
        return item.of

    def children(self, entity: EntityDefinition) -> list[tuple[FieldDefinition, EntityDefinition]]:
        return [(table, self.entities[table.of]) for table in entity.tables if table.of in self.entities]


def check_catalog(new: Mapping[str, EntityDefinition], deployed: Mapping[str, EntityDefinition],
                  sandbox: Sandbox | None = None) -> list[DefinitionProblem]:
    """Problems of ``new`` definitions seen together with what is already deployed."""
    sandbox = sandbox or Sandbox()
    everything = {**deployed, **new}
    problems: list[DefinitionProblem] = []
    parents: dict[str, str] = {}
    holders: dict[str, str] = {}
    for entity in everything.values():
        for table in entity.tables:
            if table.of is None:
                continue
            holder = f"{entity.name}.{table.name}"
            if table.of in holders and entity.name in new:
                problems.append(DefinitionProblem(entity.file, f"fields.{table.name}.of",
                                                  f"{table.of} already holds the rows of {holders[table.of]}; "
                                                  "each table field needs a child entity of its own"))
            holders.setdefault(table.of, holder)
            parents.setdefault(table.of, entity.name)
    for entity in new.values():
        for item in entity.fields:
            problems.extend(_field_problems(entity, item, everything, parents, sandbox))
    return problems


def _field_problems(entity: EntityDefinition, item: FieldDefinition, everything, parents, sandbox
                    ) -> list[DefinitionProblem]:
    key = f"fields.{item.name}"
    found = []

    def problem(suffix: str, message: str) -> None:
        found.append(DefinitionProblem(entity.file, key + suffix, message))

    if item.type == "reference" and item.to not in everything:
        problem(".to", f"refers to unknown entity {item.to!r}")
    if item.type == "reference" and item.to in parents:
        problem(".to", f"{item.to!r} holds the rows of {parents[item.to]}; refer to {parents[item.to]} instead")
    if item.type == "table":
        child = everything.get(item.of)
        if child is None:
            problem(".of", f"rows of unknown entity {item.of!r}")
        elif child.tables:
            problem(".of", f"{item.of!r} has tables of its own; rows cannot nest")
        if item.index or item.unique or item.required or item.computed or item.required_when:
            problem("", "a table field cannot be indexed, unique, required or computed")
    if item.computed is not None:
        if item.required:
            problem(".required", "a computed field cannot be required")
        try:
            sandbox.compile(item.computed, "eval")
        except ScriptError as exc:
            problem(".computed", f"cannot read the formula: {exc}")
    if item.required_when is not None:
        if item.computed is not None or item.required:
            problem(".required_when", "a computed or always required field cannot be required on a condition")
        try:
            sandbox.compile(item.required_when, "eval")
        except ScriptError as exc:
            problem(".required_when", f"cannot read the condition: {exc}")
    if item.default is not None:
        why = default_problem(item)
        if why:
            problem(".default", why)
    if entity.name in parents and item.type == "table":
        problem("", "rows of a table cannot have tables")
    return found


def default_problem(item: FieldDefinition) -> str | None:
    """Why a field's default does not fit its type, or ``None``."""
    value = item.default
    if isinstance(value, str) and value in DEFAULT_WORDS:
        expected = {"today": ("date", "datetime"), "now": ("datetime",), "current_user": ("user", "string")}[value]
        return None if item.type in expected else f"{value!r} is no default for a {item.type} field"
    checks = {
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "decimal": _is_number, "money": _is_number,
        "choice": lambda v: str(v) in item.option_values,
        "date": lambda v: isinstance(v, dt.date) or _parses(dt.date.fromisoformat, v),
        "datetime": lambda v: isinstance(v, dt.datetime) or _parses(dt.datetime.fromisoformat, v),
        "string": lambda v: isinstance(v, str), "text": lambda v: isinstance(v, str),
        "email": lambda v: isinstance(v, str) and "@" in v, "phone": lambda v: isinstance(v, str),
        "json": lambda v: True,
    }
    check = checks.get(item.type)
    if check is None:
        return f"a {item.type} field has no default"
    return None if check(value) else f"{value!r} is no value for a {item.type} field"


def _is_number(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, decimal.Decimal)):
        return True
    try:
        decimal.Decimal(str(value))
        return True
    except decimal.InvalidOperation:
        return False


def _parses(parse, value) -> bool:
    try:
        parse(str(value))
        return True
    except ValueError:
        return False
