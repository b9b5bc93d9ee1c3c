"""Records of entities: the use cases behind the records API, with entity permissions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, or_, select

from ..engine.sandbox import Sandbox
from ..entities.catalog import Catalog
from ..entities.definition import ACTIONS, EntityDefinition
from ..persistence.unit_of_work import Transaction, UnitOfWork
from .actor import Actor, resolve_actor
from .entity_registry import EntityRegistry, Schema, UnknownEntity
from .errors import NotAllowed, NotFound, ValidationError
from .record_query import TEXT_TYPES, conditions, ordering
from .record_store import RecordNotFound, RecordStore

MAX_PER_PAGE = 500


@dataclass(frozen=True)
class RecordPage:
    records: list[dict[str, Any]]
    total: int


def may(actor: Actor | None, entity: EntityDefinition, action: str) -> bool:
    """Administrators and the system may do anything; others need a role granted the action."""
    if actor is None or actor.is_admin:
        return True
    return any(action in entity.permissions.get(role, ()) for role in actor.groups)


class RecordService:
    def __init__(self, uow: UnitOfWork, registry: EntityRegistry, clock: Callable[[], dt.datetime],
                 sandbox: Sandbox):
        self.uow = uow
        self.registry = registry
        self.clock = clock
        self.sandbox = sandbox

    def store(self, tx: Transaction) -> RecordStore:
        return RecordStore(tx, self.registry.schema(tx), self.clock, self.sandbox)

    def search(self, entity_name: str, filters: Mapping[str, str] | None = None, sort: str | None = None,
               page: int = 1, per_page: int = 50, user: str | None = None, text: str | None = None) -> RecordPage:
        """Records matching ``filters`` (``field`` or ``field__op`` -> text), sorted, one page."""
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            raise ValidationError({"page": [f"page >= 1 and 1 <= per_page <= {MAX_PER_PAGE}"]}, "invalid page")
        with self.uow.read() as tx:
            store = self.store(tx)
            entity = self._allowed(tx, store.schema, entity_name, "read", user)
            table = store.schema.tables[entity.name]
            where = conditions(entity, table, filters or {})
            if text:
                where.append(or_(false(), *[c for name in _searchable(entity, table)
                                            for c in conditions(entity, table, {f"{name}__contains": text})]))
            rows, total = tx.records.search(table, where, ordering(entity, table, sort), (page - 1) * per_page,
                                            per_page)
            return RecordPage(store.present(entity, rows), total)

    def get(self, entity_name: str, record_id: int, user: str | None = None) -> dict[str, Any]:
        with self.uow.read() as tx:
            store = self.store(tx)
            entity = self._allowed(tx, store.schema, entity_name, "read", user)
            return store.read(entity.name, record_id)

    def create(self, entity_name: str, values: dict[str, Any], user: str | None = None) -> dict[str, Any]:
        with self.uow.write() as tx:
            store = self.store(tx)
            entity = self._allowed(tx, store.schema, entity_name, "create", user)
            record_id = store.create(entity.name, values, user)
            return store.read(entity.name, record_id)

    def update(self, entity_name: str, record_id: int, values: dict[str, Any], user: str | None = None,
               version: int | None = None) -> dict[str, Any]:
        with self.uow.write() as tx:
            store = self.store(tx)
            entity = self._allowed(tx, store.schema, entity_name, "update", user)
            store.update(entity.name, record_id, values, user, version)
            return store.read(entity.name, record_id)

    def delete(self, entity_name: str, record_id: int, user: str | None = None, version: int | None = None) -> None:
        with self.uow.write() as tx:
            store = self.store(tx)
            entity = self._allowed(tx, store.schema, entity_name, "delete", user)
            store.delete(entity.name, record_id, user, version)

    def history(self, entity_name: str, record_id: int, user: str | None = None) -> list[dict[str, Any]]:
        with self.uow.read() as tx:
            store = self.store(tx)
            entity = self._allowed(tx, store.schema, entity_name, "read", user)
            return [{"version": r.version, "action": r.action, "changes": r.changes, "changed_at": r.changed_at,
                     "changed_by": r.changed_by, "source": r.source} for r in tx.records.history(entity.name, record_id)]

    def entities(self, user: str | None = None) -> list[tuple[EntityDefinition, list[str]]]:
        """The entities the user may read, each with the actions the user may take (child row
        entities are part of their parent)."""
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
            schema = self.registry.schema(tx)
            return [(e, [a for a in ACTIONS if may(actor, e, a)]) for e in schema.catalog.entities.values()
                    if not schema.catalog.is_child(e.name) and may(actor, e, "read")]

    def catalog(self) -> Catalog:
        with self.uow.read() as tx:
            return self.registry.schema(tx).catalog

    def lookup(self, entity_name: str, text: str, user: str | None = None, limit: int = 10
               ) -> list[tuple[int, str]]:
        """Records whose number or title contains ``text`` (reference fields: search as you type).
        A title that is a reference is searched and shown by the referenced record's title (a
        supplier quote titled by its supplier is found by typing the supplier's name)."""
        with self.uow.read() as tx:
            schema = self.registry.schema(tx)
            actor = resolve_actor(tx, user)
            entity = self._allowed(tx, schema, entity_name, "read", user)
            table = schema.tables[entity.name]
            filters = [conditions(entity, table, {f"{c}__contains": text}) for c in _searchable(entity, table)] \
                if text else [[]]
            via = _referenced_title_condition(schema, entity, table, text) if text else None
            if via is not None:
                filters.append([via])
            rows: dict[int, Any] = {}
            for where in filters:
                found, _total = tx.records.search(table, where, [table.c.id], 0, limit)
                for row in found:
                    rows.setdefault(row.id, row._mapping)
                if len(rows) >= limit:
                    break
            titles = _titles(tx, schema, entity, dict(list(rows.items())[:limit]), actor)
            return list(titles.items())

    def titles(self, entity_name: str, ids: list[int], user: str | None = None) -> dict[int, str]:
        """Titles of some records for showing references (``#id`` without read permission)."""
        ids = [i for i in ids if isinstance(i, int)]
        if not ids:
            return {}
        with self.uow.read() as tx:
            schema = self.registry.schema(tx)
            entity = schema.catalog.get(entity_name)
            table = schema.tables.get(entity_name)
            if entity is None or table is None or not may(resolve_actor(tx, user), entity, "read"):
                return {i: f"#{i}" for i in ids}
            columns = [c for c in ("number", entity.title) if c and c in table.c]
            rows = {i: row._mapping for i, row in tx.records.values(table, ids, columns).items()}
            return _titles(tx, schema, entity, rows, resolve_actor(tx, user))

    def attachment(self, entity_name: str, record_id: int, field: str, user: str | None = None,
                   table: str | None = None, row_id: int | None = None) -> tuple[str, str, bytes]:
        """A file field's content: (name, content type, bytes); of a child row with ``table``
        (the table field) and ``row_id``."""
        with self.uow.read() as tx:
            store = self.store(tx)
            entity = self._allowed(tx, store.schema, entity_name, "read", user)
            holder: EntityDefinition | None = entity
            if table is not None:
                table_field = entity.field(table)
                holder = store.schema.catalog.get(table_field.of or "") if table_field else None
            if holder is None:
                raise NotFound(f"{entity.name} has no table field {table!r}")
            item = holder.field(field)
            if item is None or item.type != "file":
                raise NotFound(f"{holder.name} has no file field {field!r}")
            if tx.records.get(store.schema.tables[entity.name], record_id) is None:
                raise RecordNotFound(f"no {entity.name} {record_id}")
            if table is None:
                row = tx.records.get(store.schema.tables[entity.name], record_id)
            else:
                row = next((r for r in tx.records.rows(store.schema.tables[holder.name], record_id)
                            if r.id == row_id), None)
            value = row._mapping[field] if row is not None else None
            attachment = tx.records.attachment(value) if value is not None else None
            if attachment is None:
                raise NotFound(f"{entity.name} {record_id} has no file in {field}")
            return attachment.name, attachment.content_type, bytes(attachment.content)

    def _allowed(self, tx: Transaction, schema: Schema, entity_name: str, action: str, user: str | None
                 ) -> EntityDefinition:
        actor = resolve_actor(tx, user)
        entity = schema.entity(entity_name)
        link = schema.catalog.parents.get(entity.name)
        if link is not None:
            raise UnknownEntity(f"{entity.name} rows are part of {link.parent}.{link.field}")
        if not may(actor, entity, action):
            raise NotAllowed(f"{actor.name if actor else 'nobody'} may not {action} {entity.name} records")
        return entity


def _title(entity: EntityDefinition, values: Any, shown_title: Any = None) -> str:
    title = values.get(entity.title) if entity.title else None
    parts = [str(v) for v in (values.get("number"), shown_title if shown_title is not None else title)
             if v not in (None, "")]
    return " · ".join(dict.fromkeys(parts)) or f"#{values['id']}"


def _titles(tx: Transaction, schema: Schema, entity: EntityDefinition, rows: dict[int, Any],
            actor: Actor | None) -> dict[int, str]:
    """``number · title`` per record; a reference title shows the referenced record's title."""
    field = entity.field(entity.title) if entity.title else None
    if field is None or field.type != "reference":
        return {i: _title(entity, values) for i, values in rows.items()}
    target, table = schema.catalog.get(field.to or ""), schema.tables.get(field.to or "")
    if target is None or table is None or not target.title or target.title not in table.c or \
            not may(actor, target, "read"):
        return {i: _title(entity, values) for i, values in rows.items()}
    ids = [v.get(field.name) for v in rows.values() if v.get(field.name) is not None]
    names = {i: getattr(row, target.title) for i, row in tx.records.values(table, ids, [target.title]).items()}
    return {i: _title(entity, values, names.get(values.get(field.name))) for i, values in rows.items()}


def _referenced_title_condition(schema: Schema, entity: EntityDefinition, table, text: str):
    """``title IN (referenced records whose title contains text)``, for a reference title."""
    field = entity.field(entity.title) if entity.title else None
    if field is None or field.type != "reference":
        return None
    target, target_table = schema.catalog.get(field.to or ""), schema.tables.get(field.to or "")
    if target is None or target_table is None or not target.title:
        return None
    matching = conditions(target, target_table, {f"{target.title}__contains": text})
    return table.c[field.name].in_(select(target_table.c.id).where(*matching))


def _searchable(entity: EntityDefinition, table) -> list[str]:
    """The number and the title field (when it holds text): what search and lookups look at."""
    title = entity.field(entity.title) if entity.title else None
    return (["number"] if "number" in table.c else []) + \
        ([title.name] if title is not None and title.type in TEXT_TYPES else [])
