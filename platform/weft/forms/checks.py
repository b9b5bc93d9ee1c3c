"""A form against the entities it uses: bound fields exist, references resolve, conditions parse."""

from __future__ import annotations

from ..engine.errors import ScriptError
from ..engine.sandbox import Sandbox
from ..entities.catalog import Catalog
from ..entities.errors import DefinitionProblem
from .definition import FormDefinition


def check_form(form: FormDefinition, catalog: Catalog, sandbox: Sandbox | None = None) -> list[DefinitionProblem]:
    sandbox = sandbox or Sandbox()
    problems: list[DefinitionProblem] = []

    def problem(key: str, message: str) -> None:
        problems.append(DefinitionProblem(form.file, key, message))

    entity = catalog.get(form.record_entity) if form.record_entity else None
    if form.record_entity and entity is None:
        problem("record.entity", f"unknown entity {form.record_entity!r}")
    if form.record_entity and catalog.is_child(form.record_entity):
        problem("record.entity", f"{form.record_entity!r} holds rows of another entity; bind its parent")
    for index, section in enumerate(form.sections):
        for position, item in enumerate(section.fields):
            key = f"sections[{index}].fields[{position}]"
            if item.bound and entity is not None and entity.field(item.name) is None:
                problem(f"{key}.field", f"{form.record_entity} has no field {item.name!r}")
            if item.variable is not None and item.variable.type == "reference" and \
                    (item.variable.to or "") not in catalog:
                problem(f"{key}.to", f"refers to unknown entity {item.variable.to!r}")
            for attribute in ("visible_when", "required_when"):
                condition = getattr(item, attribute)
                if condition is not None:
                    try:
                        sandbox.compile(condition, "eval")
                    except ScriptError as exc:
                        problem(f"{key}.{attribute}", f"cannot read the condition: {exc}")
    return problems
