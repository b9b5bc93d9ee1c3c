"""Form definitions (``forms/<module>/<name>.yaml``, DESIGN §6), read and checked."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..entities.definition import FieldDefinition, Option, read_options
from ..entities.definition_names import IDENTIFIER, NAME_RULE
from ..entities.errors import DefinitionProblem, Problems
from ..entities.labels import Label, humanize
from ..entities.types import FIELD_TYPES

FORM_KEYS = {"name", "title", "record", "sections", "description"}
SECTION_KEYS = {"title", "fields", "visible_when"}
FIELD_KEYS = {"field", "name", "type", "label", "required", "readonly", "options", "to", "widget", "default",
              "visible_when", "required_when", "help", "length"}
WIDGETS = {"input", "textarea", "select", "radio", "buttons", "checkbox", "date", "lookup", "table", "file"}
VARIABLE_TYPES = tuple(t for t in FIELD_TYPES if t not in ("table", "file"))      # files belong to records


@dataclass(frozen=True)
class FormField:
    """A field of a form: bound to the record's entity field (``field``) or a process variable
    (``name`` with its own ``type``)."""

    name: str
    bound: bool
    label: Label | None = None
    required: bool | None = None
    readonly: bool = False
    widget: str | None = None
    default: Any = None
    visible_when: str | None = None
    required_when: str | None = None
    help: Label | None = None
    variable: FieldDefinition | None = None     # the type of a variable field


@dataclass(frozen=True)
class Section:
    title: Label
    fields: tuple[FormField, ...]
    visible_when: str | None = None


@dataclass(frozen=True)
class FormDefinition:
    module: str
    name: str
    title: Label
    sections: tuple[Section, ...]
    record_entity: str | None = None
    record_variable: str | None = None
    file: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.module}/{self.name}"

    @property
    def fields(self) -> tuple[FormField, ...]:
        return tuple(f for s in self.sections for f in s.fields)


def required_when(item: FormField, definition: FieldDefinition) -> str | None:
    """The form field's condition, else its entity field's (a bound field keeps the entity's rule)."""
    if item.required_when is not None:
        return item.required_when
    return definition.required_when if item.bound else None


def parse_form(data: Any, module: str, file: str) -> tuple[FormDefinition | None, list[DefinitionProblem]]:
    problem = Problems(file)
    name = problem.named_mapping(data, "a form definition (name, title, sections, …)", FORM_KEYS)
    if name is None:
        return None, problem.found
    title = problem.label(data.get("title"), humanize(name), "title")
    entity, variable = _record(data.get("record"), problem)
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        problem("sections", "sections is a non-empty list of {title, fields}")
        raw_sections = []
    sections = [s for i, raw in enumerate(raw_sections) if (s := _section(raw, i, entity, problem)) is not None]
    names = [f.name for s in sections for f in s.fields]
    for duplicate in sorted({n for n in names if names.count(n) > 1}):
        problem("sections", f"field {duplicate!r} appears more than once")
    form = FormDefinition(module, name, title, tuple(sections), entity, variable, file, dict(data))
    return (form if not problem.found else None), problem.found


def _record(value: Any, problem) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict) or set(value) - {"entity", "id"}:
        problem("record", "record is {entity: <entity name>, id: <variable holding the record id>}")
        return None, None
    entity, variable = value.get("entity"), value.get("id")
    if not isinstance(entity, str) or not IDENTIFIER.match(entity):
        problem("record.entity", "record.entity names an entity")
        entity = None
    if not isinstance(variable, str) or not IDENTIFIER.match(variable):
        problem("record.id", "record.id names the process variable holding the record's id")
        variable = None
    return entity, variable


def _section(raw: Any, index: int, entity: str | None, problem) -> Section | None:
    key = f"sections[{index}]"
    if not isinstance(raw, dict):
        problem(key, "a section is {title, fields}")
        return None
    for extra in sorted(set(raw) - SECTION_KEYS):
        problem(f"{key}.{extra}", f"unknown key {extra!r}")
    raw_fields = raw.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        problem(f"{key}.fields", "fields is a non-empty list")
        raw_fields = []
    fields = [f for i, item in enumerate(raw_fields)
              if (f := _form_field(item, f"{key}.fields[{i}]", entity, problem)) is not None]
    return Section(problem.label(raw.get("title"), "", f"{key}.title"), tuple(fields),
                   _condition(raw.get("visible_when"), f"{key}.visible_when", problem))


def _condition(value: Any, key: str, problem) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        problem(key, "a condition is an expression, e.g. \"decision == 'reject'\"")
        return None
    return value


def _form_field(raw: Any, key: str, entity: str | None, problem) -> FormField | None:
    if not isinstance(raw, dict):
        problem(key, "a form field is {field: <entity field>} or {name, type}")
        return None
    for extra in sorted(set(raw) - FIELD_KEYS):
        problem(f"{key}.{extra}", f"unknown key {extra!r}")
    widget = raw.get("widget")
    if widget is not None and widget not in WIDGETS:
        problem(f"{key}.widget", f"unknown widget {widget!r} (one of {', '.join(sorted(WIDGETS))})")
    for flag in ("required", "readonly"):
        if flag in raw and not isinstance(raw[flag], bool):
            problem(f"{key}.{flag}", f"{flag} is true or false")
    length = raw.get("length")
    if length is not None and (not isinstance(length, int) or isinstance(length, bool) or not 0 < length <= 10_000):
        problem(f"{key}.length", "length must be a whole number between 1 and 10000")
        length = None
    common = FormField(
        "", False, label=problem.label(raw["label"], "", f"{key}.label") if "label" in raw else None,
        readonly=raw.get("readonly") is True, widget=widget, default=raw.get("default"),
        visible_when=_condition(raw.get("visible_when"), f"{key}.visible_when", problem),
        required_when=_condition(raw.get("required_when"), f"{key}.required_when", problem),
        help=problem.label(raw["help"], "", f"{key}.help") if "help" in raw else None,
        required=raw.get("required") if isinstance(raw.get("required"), bool) else None)
    if "field" in raw:
        name = raw["field"]
        if "name" in raw or "type" in raw:
            problem(key, "a field is either bound to the record (field) or a variable (name, type), not both")
        if entity is None:
            problem(f"{key}.field", "fields bound to a record need the form's record: {entity, id}")
        if not isinstance(name, str) or not IDENTIFIER.match(name):
            problem(f"{key}.field", "field names an entity field")
            return None
        return replace(common, name=name, bound=True)
    name, kind = raw.get("name"), raw.get("type")
    if not isinstance(name, str) or not IDENTIFIER.match(name):
        problem(f"{key}.name", f"a variable field needs a name ({NAME_RULE})")
        return None
    if kind not in VARIABLE_TYPES:
        problem(f"{key}.type", f"unknown field type {kind!r} (one of {', '.join(VARIABLE_TYPES)})")
        return None
    options: tuple[Option, ...] = read_options(raw.get("options"), kind, key, problem)
    variable = FieldDefinition(name, kind, common.label or {"en": humanize(name)},
                               required=bool(common.required), options=options,
                               to=raw.get("to") if kind == "reference" else None, length=length)
    if kind == "reference" and not isinstance(raw.get("to"), str):
        problem(f"{key}.to", "a reference field names the entity it refers to")
    return replace(common, name=name, variable=variable)
