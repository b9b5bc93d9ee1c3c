"""Entity definitions (``plugins/<module>/entities/<name>.yaml``, DESIGN §5), read and checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .definition_names import IDENTIFIER, NAME_RULE
from .errors import DefinitionProblem, Problems
from .labels import Label, humanize
from .naming import check_pattern
from .types import FIELD_TYPES

SYSTEM_COLUMNS = frozenset({"id", "number", "version", "created_at", "created_by", "updated_at", "updated_by",
                            "parent_id", "position"})
ACTIONS = ("read", "create", "update", "delete")
ENTITY_KEYS = {"name", "label", "naming", "title", "fields", "permissions", "description"}
FIELD_KEYS = {"type", "label", "required", "default", "options", "to", "of", "index", "unique", "computed",
              "readonly", "length", "precision", "scale", "help", "description", "required_when"}
DEFAULT_WORDS = {"today", "now", "current_user"}


@dataclass(frozen=True)
class Option:
    value: str
    label: Label


@dataclass(frozen=True)
class FieldDefinition:
    name: str
    type: str
    label: Label
    required: bool = False
    default: Any = None
    options: tuple[Option, ...] = ()
    to: str | None = None            # reference: the entity referred to
    of: str | None = None            # table: the child entity of its rows
    index: bool = False
    unique: bool = False
    computed: str | None = None
    readonly: bool = False
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    help: Label | None = None
    required_when: str | None = None  # a condition over the record's fields: then it is required

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    @property
    def is_column(self) -> bool:
        return self.type != "table"

    @property
    def writable(self) -> bool:
        return not (self.readonly or self.computed)


@dataclass(frozen=True)
class EntityDefinition:
    name: str
    label: Label
    fields: tuple[FieldDefinition, ...]
    naming: str | None = None
    title: str | None = None
    permissions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    file: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def table_name(self) -> str:
        return f"ent_{self.name}"

    def field(self, name: str) -> FieldDefinition | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def columns(self) -> tuple[FieldDefinition, ...]:
        return tuple(f for f in self.fields if f.is_column)

    @property
    def tables(self) -> tuple[FieldDefinition, ...]:
        return tuple(f for f in self.fields if f.type == "table")


def parse_entity(data: Any, file: str) -> tuple[EntityDefinition | None, list[DefinitionProblem]]:
    """An entity definition from loaded YAML, or the problems that stand in the way."""
    problem = Problems(file)
    name = problem.named_mapping(data, "an entity definition (name, label, fields, …)", ENTITY_KEYS)
    if name is None:
        return None, problem.found
    label = problem.label(data.get("label"), humanize(name), "label")
    naming = data.get("naming")
    if naming is not None:
        why = check_pattern(naming) if isinstance(naming, str) else "the naming pattern must be a text"
        if why is not None:
            problem("naming", why)
            naming = None
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, dict) or not raw_fields:
        problem("fields", "fields must be a non-empty mapping of field name to its definition")
        raw_fields = {}
    fields = [f for key, value in raw_fields.items() if (f := _field(key, value, problem)) is not None]
    title = data.get("title")
    if title is not None and (not isinstance(title, str) or title not in raw_fields):
        problem("title", f"title names no field of {name}")
        title = None
    permissions = _permissions(data.get("permissions"), problem)
    entity = EntityDefinition(name, label, tuple(fields), naming, title, permissions, file, dict(data))
    return (entity if not problem.found else None), problem.found


def _field(name: Any, value: Any, problem: Problems) -> FieldDefinition | None:
    key = f"fields.{name}"
    if not isinstance(name, str) or not IDENTIFIER.match(name):
        problem(key, f"a field name must be {NAME_RULE}")
        return None
    if name in SYSTEM_COLUMNS:
        problem(key, f"{name!r} is a system field every record has; choose another name")
        return None
    if isinstance(value, str):
        value = {"type": value}
    if not isinstance(value, dict):
        problem(key, "a field is a mapping such as {type: string, required: true}")
        return None
    for extra in sorted(set(value) - FIELD_KEYS):
        problem(f"{key}.{extra}", f"unknown key {extra!r}")
    kind = value.get("type")
    if kind not in FIELD_TYPES:
        problem(f"{key}.type", f"unknown field type {kind!r} (one of {', '.join(FIELD_TYPES)})")
        return None
    options = read_options(value.get("options"), kind, key, problem)
    to, of = value.get("to"), value.get("of")
    if kind == "reference" and (not isinstance(to, str) or not IDENTIFIER.match(to)):
        problem(f"{key}.to", "a reference names the entity it refers to: {type: reference, to: supplier}")
    if kind == "table" and (not isinstance(of, str) or not IDENTIFIER.match(of)):
        problem(f"{key}.of", "a table names the entity of its rows: {type: table, of: order_line}")
    sizes = {attr: value.get(attr) for attr in ("length", "precision", "scale")}
    for attr, number in sizes.items():
        if number is not None and (not isinstance(number, int) or isinstance(number, bool) or not 0 <= number <= 10_000):
            problem(f"{key}.{attr}", f"{attr} must be a whole number between 0 and 10000")
            sizes[attr] = None
    computed = value.get("computed")
    if computed is not None and not isinstance(computed, str):
        problem(f"{key}.computed", "computed is an expression (text)")
        computed = None
    required_when = value.get("required_when")
    if required_when is not None and not isinstance(required_when, str):
        problem(f"{key}.required_when", "required_when is a condition (text), such as \"stage == 'lost'\"")
        required_when = None
    flags = {}
    for flag in ("required", "index", "unique", "readonly"):
        flags[flag] = value.get(flag, False)
        if not isinstance(flags[flag], bool):
            problem(f"{key}.{flag}", f"{flag} is true or false")
            flags[flag] = False
    help_text = problem.label(value["help"], "", f"{key}.help") if "help" in value else None
    default = value.get("default")
    if kind == "choice" and isinstance(default, (int, float)) and not isinstance(default, bool):
        default = str(default)             # options are text: [1, 2] means "1", "2"
    return FieldDefinition(
        name=name, type=kind, label=problem.label(value.get("label"), humanize(name), f"{key}.label"),
        required=flags["required"], default=default, options=options,
        to=to if kind == "reference" else None, of=of if kind == "table" else None, index=flags["index"],
        unique=flags["unique"], computed=computed, readonly=flags["readonly"], length=sizes["length"],
        precision=sizes["precision"], scale=sizes["scale"], help=help_text, required_when=required_when)


def read_options(value: Any, kind: str, key: str, problem: Problems) -> tuple[Option, ...]:
    """The options of a choice field: values, or ``{value, label}``."""
    if kind != "choice":
        if value is not None:
            problem(f"{key}.options", "only choice fields have options")
        return ()
    if not isinstance(value, list) or not value:
        problem(f"{key}.options", "a choice field lists its options: [draft, approved] or [{value, label}]")
        return ()
    options = []
    for item in value:
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            options.append(Option(str(item), {"en": humanize(str(item))}))
        elif isinstance(item, dict) and isinstance(item.get("value"), (str, int)):
            option_value = str(item["value"])
            options.append(Option(option_value, problem.label(item.get("label"), humanize(option_value),
                                                              f"{key}.options")))
        else:
            problem(f"{key}.options", f"option {item!r} is neither a value nor {{value, label}}")
    values = [o.value for o in options]
    if len(set(values)) != len(values):
        problem(f"{key}.options", "options repeat")
    return tuple(options)


def _permissions(value: Any, problem: Problems) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problem("permissions", "permissions map roles to actions: {purchaser: [read, create]}")
        return {}
    result = {}
    for role, actions in value.items():
        if not isinstance(role, str) or not IDENTIFIER.match(role):
            problem(f"permissions.{role}", f"a role name must be {NAME_RULE}")
            continue
        if not isinstance(actions, list) or any(a not in ACTIONS for a in actions):
            problem(f"permissions.{role}", f"actions are a list of {', '.join(ACTIONS)}")
            continue
        result[role] = tuple(actions)
    return result
