"""The deployed entities and forms, parsed once and kept until a deploy changes them."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from sqlalchemy import Table

from ..entities.catalog import Catalog
from ..entities.definition import EntityDefinition, parse_entity
from ..forms.definition import FormDefinition, parse_form
from ..persistence.entity_tables import build_tables
from ..persistence.unit_of_work import Transaction
from .errors import NotFound


class UnknownEntity(NotFound):
    pass


@dataclass(frozen=True)
class Schema:
    """Deployed entities and their tables, as of one generation of definitions."""

    generation: int
    catalog: Catalog
    tables: dict[str, Table]
    modules: dict[str, str]                 # entity -> module

    def entity(self, name: str) -> EntityDefinition:
        entity = self.catalog.get(name)
        if entity is None:
            raise UnknownEntity(f"no entity {name!r} is deployed")
        return entity


class EntityRegistry:
    def __init__(self) -> None:
        self._schema = Schema(-1, Catalog({}), {}, {})
        self._forms: dict[tuple[str, str, int], FormDefinition] = {}
        self._lock = threading.Lock()

    def schema(self, tx: Transaction) -> Schema:
        """The current schema (one cheap query to see whether a deploy changed it)."""
        generation = tx.definitions.generation()
        with self._lock:
            if generation == self._schema.generation:
                return self._schema
        schema = self.load(tx, generation)
        with self._lock:
            self._schema = schema
        return schema

    @staticmethod
    def load(tx: Transaction, generation: int | None = None) -> Schema:
        entities, modules = {}, {}
        for row in tx.definitions.latest_entities():
            entity, _problems = parse_entity(row.definition, f"{row.module}:{row.name}")
            if entity is not None:
                entities[entity.name] = entity
                modules[entity.name] = row.module
        for module in tx.definitions.modules():       # roles other modules grant on these entities
            for entity_name, granted in (module.grants or {}).items():
                if entity_name in entities:
                    entities[entity_name] = with_grants(entities[entity_name], granted)
        catalog = Catalog(entities)
        return Schema(tx.definitions.generation() if generation is None else generation, catalog,
                      build_tables(catalog) if entities else {}, modules)

    def form(self, tx: Transaction, key: str) -> FormDefinition | None:
        module, _, name = key.partition("/")
        row = tx.definitions.latest_form(module, name) if name else None
        if row is None:
            return None
        cache_key = (module, name, row.version)
        with self._lock:
            cached = self._forms.get(cache_key)
        if cached is not None:
            return cached
        form, _problems = parse_form(row.definition, module, f"forms/{module}/{name}.yaml")
        if form is not None:
            with self._lock:
                self._forms[cache_key] = form
        return form


def with_grants(entity: EntityDefinition, granted: dict[str, list[str]]) -> EntityDefinition:
    """The entity with the actions another module grants its roles added to its permissions."""
    permissions = {role: tuple(actions) for role, actions in entity.permissions.items()}
    for role, actions in granted.items():
        permissions[role] = tuple(dict.fromkeys([*permissions.get(role, ()), *actions]))
    return replace(entity, permissions=permissions)
