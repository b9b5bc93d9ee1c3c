"""What redeploying entities changes in the database: safe additions, and changes that would
lose or reject data (refused unless forced by name)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .definition import EntityDefinition, FieldDefinition
from .types import column_storage, widening

# Kinds of change. The first group is always safe; "check_*" kinds are safe unless the data
# says otherwise (NULLs for a new required field, duplicates for a new unique one); the last
# group loses data and needs --force naming it.
SAFE = ("create_table", "add_column", "add_index", "widen", "drop_index", "keep")
CHECKED = ("check_required", "check_unique", "check_choice")
DESTRUCTIVE = ("drop_column", "drop_table", "narrow", "retarget")


@dataclass(frozen=True)
class Change:
    kind: str
    entity: str
    field: str | None = None
    detail: str = ""
    values: tuple[str, ...] = ()     # check_choice: the options removed

    @property
    def target(self) -> str:
        """How ``--force`` names this change: ``entity`` or ``entity.field``."""
        return f"{self.entity}.{self.field}" if self.field else self.entity

    def __str__(self) -> str:
        return f"{self.kind} {self.target}" + (f": {self.detail}" if self.detail else "")


def plan(old: Mapping[str, EntityDefinition], new: Mapping[str, EntityDefinition],
         removed: tuple[str, ...] = ()) -> list[Change]:
    """Changes that take the deployed ``old`` definitions to ``new`` (``removed``: entities the
    module no longer defines)."""
    changes: list[Change] = []
    for name, entity in new.items():
        before = old.get(name)
        if before is None:
            changes.append(Change("create_table", name))
            continue
        changes.extend(_entity_changes(before, entity))
    for name in removed:
        changes.append(Change("drop_table", name, detail="the module no longer defines this entity"))
    return changes


def _entity_changes(before: EntityDefinition, after: EntityDefinition) -> list[Change]:
    changes: list[Change] = []
    name = after.name
    if before.naming is None and after.naming is not None:
        changes.append(Change("add_column", name, "number", "naming series"))
    elif before.naming is not None and after.naming is None:
        changes.append(Change("keep", name, "number", "naming series removed: numbers given stay, new records "
                                                      "get none"))
    for field in after.fields:
        previous = before.field(field.name)
        if previous is None:
            changes.extend(_new_field(name, field))
        else:
            changes.extend(_changed_field(name, previous, field))
    for field in before.fields:
        if after.field(field.name) is None:
            if field.is_column:
                changes.append(Change("drop_column", name, field.name, "removed from the definition"))
            else:
                changes.append(Change("drop_column", name, field.name,
                                      f"table field removed: its rows in {field.of} would no longer be shown"))
    return changes


def _new_field(entity: str, field: FieldDefinition) -> list[Change]:
    if not field.is_column:
        return []                      # the child entity's own table carries the rows
    changes = [Change("add_column", entity, field.name, column_storage(field).describe())]
    if field.unique:
        changes.append(Change("add_index", entity, field.name, "unique"))
    elif field.index or field.type == "reference":
        changes.append(Change("add_index", entity, field.name))
    return changes


def _changed_field(entity: str, before: FieldDefinition, after: FieldDefinition) -> list[Change]:
    changes: list[Change] = []
    if before.is_column != after.is_column:
        return [Change("retarget", entity, after.name, f"{before.type} cannot become {after.type}")]
    if not after.is_column:
        if before.of != after.of:
            changes.append(Change("retarget", entity, after.name, f"rows of {before.of} become rows of {after.of}"))
        return changes
    old_storage, new_storage = column_storage(before), column_storage(after)
    linked = ("reference", "file")           # columns with a foreign key
    if before.type == "reference" and after.type == "reference" and before.to != after.to:
        changes.append(Change("retarget", entity, after.name, f"refers to {after.to} instead of {before.to}"))
    elif before.type != after.type and (before.type in linked or after.type in linked):
        changes.append(Change("retarget", entity, after.name, f"a {before.type} field cannot become a {after.type}"))
    elif old_storage != new_storage:
        why = widening(old_storage, new_storage)
        changes.append(Change("narrow" if why else "widen", entity, after.name,
                              why or f"{old_storage.describe()} -> {new_storage.describe()}"))
    if before.type == "choice" and after.type == "choice":
        lost = [v for v in before.option_values if v not in after.option_values]
        if lost:
            changes.append(Change("check_choice", entity, after.name, "options removed: " + ", ".join(lost),
                                  tuple(lost)))
    if after.required and not before.required:
        changes.append(Change("check_required", entity, after.name))
    if after.unique and not before.unique:
        changes.append(Change("check_unique", entity, after.name))
    elif before.unique and not after.unique:
        changes.append(Change("drop_index", entity, after.name, "unique"))
    if (after.index or after.type == "reference") and not (before.index or before.type == "reference") \
            and not after.unique:
        changes.append(Change("add_index", entity, after.name))
    return changes
