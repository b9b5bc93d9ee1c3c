"""The rendering model of a form: what the inbox (and API clients) draw, resolved against the
entities and translated into the user's language."""

from __future__ import annotations

from typing import Any

from ..entities.catalog import Catalog
from ..entities.definition import EntityDefinition, FieldDefinition
from ..entities.labels import translate
from .definition import FormDefinition, FormField, required_when

WIDGET_BY_TYPE = {"text": "textarea", "choice": "select", "boolean": "checkbox", "date": "date",
                  "datetime": "date", "reference": "lookup", "table": "table", "file": "file"}


def render(form: FormDefinition, catalog: Catalog, locale: str = "en",
           values: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sections and fields with type, label, options, flags, conditions, rows and lookups."""
    values = values or {}
    entity = catalog.get(form.record_entity) if form.record_entity else None
    sections = []
    for section in form.sections:
        fields = []
        for item in section.fields:
            definition = entity.field(item.name) if item.bound and entity is not None else item.variable
            if definition is None:
                continue
            fields.append(_field(item, definition, catalog, locale, values))
        sections.append({"title": translate(section.title, locale) if section.title else "",
                         "visible_when": section.visible_when, "fields": fields})
    return {
        "key": form.key,
        "title": translate(form.title, locale),
        "record": {"entity": form.record_entity, "id_variable": form.record_variable} if form.record_entity else None,
        "sections": sections,
    }


def render_entity(entity: EntityDefinition, catalog: Catalog, locale: str = "en",
                  values: dict[str, Any] | None = None) -> dict[str, Any]:
    """A form of every field of an entity (the records pages' create and edit forms)."""
    values = values or {}
    fields = [_field(_plain(item), item, catalog, locale, values) for item in entity.fields]
    return {"key": f"entity/{entity.name}", "title": translate(entity.label, locale),
            "record": None, "sections": [{"title": "", "visible_when": None, "fields": fields}]}


def _field(item: FormField, definition: FieldDefinition, catalog: Catalog, locale: str,
           values: dict[str, Any]) -> dict[str, Any]:
    label = item.label or definition.label
    rendered: dict[str, Any] = {
        "name": item.name,
        "source": "record" if item.bound else "variable",
        "type": definition.type,
        "label": translate(label, locale),
        "required": bool(item.required if item.required is not None else definition.required),
        "required_when": required_when(item, definition),
        "visible_when": item.visible_when,
        "readonly": item.readonly or not definition.writable,
        "widget": item.widget or WIDGET_BY_TYPE.get(definition.type, "input"),
        "help": translate(help_text, locale) if (help_text := item.help or definition.help) else None,
        "value": values.get(item.name, item.default if item.default is not None else None),
    }
    if definition.options:
        rendered["options"] = [{"value": o.value, "label": translate(o.label, locale)} for o in definition.options]
    if definition.type == "reference":
        target = catalog.get(definition.to or "")
        rendered["reference"] = {"entity": definition.to,
                                 "title_field": target.title if target else None,
                                 "label": translate(target.label, locale) if target else definition.to}
    if definition.type == "table":
        child = catalog.get(definition.of or "")
        rendered["columns"] = [_field(_plain(f), f, catalog, locale, {}) for f in child.columns] if child else []
    return rendered


def _plain(definition: FieldDefinition) -> FormField:
    return FormField(definition.name, True)
