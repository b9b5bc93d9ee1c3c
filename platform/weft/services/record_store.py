"""Reading and writing records inside a transaction: validation, defaults, references,
attachments, formulas, naming series, optimistic locking and change history."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import marshmallow as ma

from ..engine.sandbox import Sandbox
from ..entities.computed import ComputeError, compute, missing_when_required
from ..entities.definition import EntityDefinition
from ..entities.naming import format_number, series_key
from ..entities.validation import field_for, read_only_errors, record_schema
from ..persistence.unit_of_work import Transaction
from .entity_registry import Schema
from .errors import Conflict, NotFound, ValidationError
from .record_query import conditions, ordering
from .record_values import flatten_errors, json_value, same

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
SYSTEM_FIELDS = ("id", "number", "version", "created_at", "created_by", "updated_at", "updated_by")


class RecordNotFound(NotFound):
    pass


class StaleRecord(Conflict):
    """The record changed since the version the caller read."""


class RecordStore:
    def __init__(self, tx: Transaction, schema: Schema, clock: Callable[[], dt.datetime], sandbox: Sandbox):
        self.tx = tx
        self.schema = schema
        self.clock = clock
        self.sandbox = sandbox

    # -- reading ---------------------------------------------------------------------------------
    def read(self, entity_name: str, record_id: int) -> dict[str, Any]:
        entity = self.schema.entity(entity_name)
        row = self.tx.records.get(self.schema.tables[entity.name], record_id)
        if row is None:
            raise RecordNotFound(f"no {entity.name} {record_id}")
        return self.present(entity, [row])[0]

    def find(self, entity_name: str, filters: dict[str, str], sort: str | None = None, limit: int = 100
             ) -> list[dict[str, Any]]:
        """Records matching ``filters`` (``field`` or ``field__op`` -> text), as the records API reads them."""
        entity = self.schema.entity(entity_name)
        table = self.schema.tables[entity.name]
        rows, _total = self.tx.records.search(table, conditions(entity, table, filters),
                                              ordering(entity, table, sort), 0, limit)
        return self.present(entity, rows)

    def present(self, entity: EntityDefinition, rows: list) -> list[dict[str, Any]]:
        """Rows as records: system fields, values, child rows, attachment details."""
        records = [self._values(entity, row) for row in rows]
        ids = [record["id"] for record in records]
        for table, child in self.schema.catalog.children(entity):
            grouped: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
            child_rows = [(row.parent_id, self._values(child, row, system=False))
                          for row in self.tx.records.rows_of(self.schema.tables[child.name], ids)]
            self._attach_files(child, [values for _parent, values in child_rows])
            for parent_id, values in child_rows:
                grouped[parent_id].append(values)
            for record in records:
                record[table.name] = grouped[record["id"]]
        self._attach_files(entity, records)
        return records

    def _values(self, entity: EntityDefinition, row, system: bool = True) -> dict[str, Any]:
        mapping = row._mapping
        values: dict[str, Any] = {"id": mapping["id"]}
        if system:
            values.update({name: mapping[name] for name in SYSTEM_FIELDS[1:] if name in mapping})
        values.update({item.name: mapping[item.name] for item in entity.columns})
        return values

    def _attach_files(self, entity: EntityDefinition, records: list[dict[str, Any]]) -> None:
        names = [item.name for item in entity.columns if item.type == "file"]
        if not names:
            return
        found = self.tx.records.attachments(r[n] for r in records for n in names if r[n] is not None)
        for record in records:
            for name in names:
                info = found.get(record[name]) if record[name] is not None else None
                record[name] = {"id": info.id, "name": info.name, "content_type": info.content_type,
                                "size": info.size} if info else None

    # -- writing ---------------------------------------------------------------------------------
    def create(self, entity_name: str, data: dict[str, Any], user: str | None, source: str | None = None,
               by_process: bool = False, created_at: dt.datetime | None = None) -> int:
        """A new record; ``by_process``: a service task or seed data writes it, which may set
        read-only fields; ``created_at``: demo data dated back (seed files)."""
        entity = self._writable(entity_name)
        values = self._load(entity, data, creating=True, by_process=by_process)
        rows = {table.name: values.pop(table.name, []) or [] for table in entity.tables}
        self._apply_defaults(entity, values, user)
        self._apply_row_defaults(entity, rows, user)
        self._resolve(entity, values, rows, user)
        self._compute(entity, values, rows)
        self._check_required_when(entity, values, rows)
        now = created_at or self.clock()
        system = {"version": 1, "created_at": now, "created_by": user, "updated_at": now, "updated_by": user}
        if entity.naming:
            system["number"] = self._next_number(entity, now)
        columns = {item.name: values.get(item.name) for item in entity.columns}
        self._check_unique(entity, columns, None)
        record_id = self.tx.records.insert(self.schema.tables[entity.name], {**columns, **system})
        for name, items in rows.items():
            self._write_rows(entity, name, record_id, items, existing=[])
        changes = {name: [None, json_value(value)] for name, value in columns.items() if value is not None}
        changes.update({name: [None, self._row_values(entity, name, items)] for name, items in rows.items() if items})
        self.tx.records.add_history(entity.name, record_id, 1, "create", changes, user, now, source)
        return record_id

    def update(self, entity_name: str, record_id: int, data: dict[str, Any], user: str | None,
               expected_version: int | None = None, source: str | None = None, by_process: bool = False) -> bool:
        """Apply changes; ``False`` when nothing changed (the version stays)."""
        entity = self._writable(entity_name)
        table = self.schema.tables[entity.name]
        row = self.tx.records.get(table, record_id, for_update=True)
        if row is None:
            raise RecordNotFound(f"no {entity.name} {record_id}")
        values = self._load(entity, data, creating=False, by_process=by_process)
        version = values.pop("version", None)
        expected = expected_version if expected_version is not None else version
        if expected is not None and expected != row.version:
            raise StaleRecord(f"{entity.name} {record_id} is at version {row.version}, not {expected}; reload it")
        current = self.present(entity, [row])[0]
        given_rows = {t.name: values.pop(t.name) for t in entity.tables if t.name in values}
        self._apply_row_defaults(entity, given_rows, user)
        merged = {item.name: row._mapping[item.name] for item in entity.columns}
        merged.update(values)
        self._resolve(entity, values, given_rows, user, current)
        given_rows = {name: self._complete_rows(entity, name, items, current[name])
                      for name, items in given_rows.items()}
        rows = {t.name: given_rows.get(t.name, [dict(r) for r in current[t.name]]) for t in entity.tables}
        merged.update({k: v for k, v in values.items() if k in merged})
        self._compute(entity, merged, rows)
        self._check_required_when(entity, merged, rows)
        changes = {name: [json_value(row._mapping[name]), json_value(value)] for name, value in merged.items()
                   if not same(row._mapping[name], value)}
        for name, items in given_rows.items():
            before, after = self._row_values(entity, name, current[name]), self._row_values(entity, name, items)
            if before != after:
                changes[name] = [before, after]
        if not changes:
            return False
        now = self.clock()
        updates = {name: merged[name] for name in changes if name in merged}
        self._check_unique(entity, updates, record_id)
        if not self.tx.records.update(table, record_id, row.version,
                                      {**updates, "updated_at": now, "updated_by": user}):
            raise StaleRecord(f"{entity.name} {record_id} changed meanwhile; reload it")
        for name, items in given_rows.items():
            self._write_rows(entity, name, record_id, items, existing=current[name])
        self.tx.records.add_history(entity.name, record_id, row.version + 1, "update", changes, user, now, source)
        return True

    def delete(self, entity_name: str, record_id: int, user: str | None, expected_version: int | None = None) -> None:
        entity = self._writable(entity_name)
        table = self.schema.tables[entity.name]
        row = self.tx.records.get(table, record_id, for_update=True)
        if row is None:
            raise RecordNotFound(f"no {entity.name} {record_id}")
        if expected_version is not None and expected_version != row.version:
            raise StaleRecord(f"{entity.name} {record_id} is at version {row.version}, not {expected_version}")
        referrers = self._referrers(entity, record_id)
        if referrers:
            raise Conflict(f"{entity.name} {record_id} is referred to by {', '.join(referrers)}")
        snapshot = json_value({k: v for k, v in self.present(entity, [row])[0].items() if k not in SYSTEM_FIELDS})
        self.tx.records.delete(table, record_id)
        self.tx.records.add_history(entity.name, record_id, row.version + 1, "delete",
                                    {name: [value, None] for name, value in snapshot.items()}, user, self.clock())

    # -- helpers -----------------------------------------------------------------------------------
    def _writable(self, entity_name: str) -> EntityDefinition:
        entity = self.schema.entity(entity_name)
        link = self.schema.catalog.parents.get(entity.name)
        if link is not None:
            raise NotFound(f"{entity.name} rows are written through {link.parent}.{link.field}")
        return entity

    def _load(self, entity: EntityDefinition, data: Any, creating: bool, by_process: bool = False) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ValidationError({"_schema": ["expected an object of field values"]})
        errors = read_only_errors(entity, data, by_process)
        clean = {k: v for k, v in data.items() if k not in errors}
        try:
            schema = record_schema(entity, self.schema.catalog, creating, by_process)
            # Partial updates leave out fields, never the required fields of the rows sent.
            values = schema.load(clean, partial=() if creating else tuple(schema.fields))
        except ma.ValidationError as exc:
            errors.update(flatten_errors(exc.messages))
            values = {}
        if errors:
            raise ValidationError(errors, f"invalid {entity.name}")
        return values

    def _apply_defaults(self, entity: EntityDefinition, values: dict[str, Any], user: str | None) -> None:
        now = self.clock()
        for item in entity.columns:
            if item.name in values or item.default is None or item.computed:
                continue
            default = item.default
            if default == "today":
                default = now.date() if item.type == "date" else now
            elif default == "now":
                default = now
            elif default == "current_user":
                default = user
            else:
                try:
                    default = field_for(item, required=False).deserialize(default)
                except ma.ValidationError as exc:
                    raise ValidationError({item.name: [f"the default {default!r} does not fit: {exc.messages}"]},
                                          f"invalid {entity.name}") from None
            values[item.name] = default

    def _apply_row_defaults(self, entity: EntityDefinition, rows: dict[str, list], user: str | None) -> None:
        """New rows (without an ``id``) get their defaults too."""
        for table, child in self.schema.catalog.children(entity):
            for row in rows.get(table.name, []):
                if row.get("id") is None:
                    self._apply_defaults(child, row, user)

    def _resolve(self, entity: EntityDefinition, values: dict[str, Any], rows: dict[str, list], user: str | None,
                 current: dict[str, Any] | None = None) -> None:
        """References must exist, users must exist, uploads become attachments. ``current``:
        the record as it is (updates), whose files may be sent back by id."""
        current = current or {}
        errors: dict[str, list[str]] = {}
        self._resolve_fields(entity, values, "", errors, user, current)
        for table, child in self.schema.catalog.children(entity):
            existing = {row["id"]: row for row in current.get(table.name, [])}
            for index, row in enumerate(rows.get(table.name, [])):
                self._resolve_fields(child, row, f"{table.name}[{index}].", errors, user,
                                     existing.get(row.get("id"), {}))
        if errors:
            raise ValidationError(errors, f"invalid {entity.name}")

    def _resolve_fields(self, entity: EntityDefinition, values: dict[str, Any], prefix: str,
                        errors: dict[str, list[str]], user: str | None, current: dict[str, Any]) -> None:
        for item in entity.columns:
            value = values.get(item.name)
            if value is None:
                continue
            if item.type == "reference":
                target = self.schema.tables.get(item.to or "")
                if target is None or not self.tx.records.existing_ids(target, [value]):
                    errors[prefix + item.name] = [f"no {item.to} {value}"]
            elif item.type == "user" and self.tx.accounts.user(value) is None:
                errors[prefix + item.name] = [f"no user {value!r}"]
            elif item.type == "file" and isinstance(value, dict):
                try:
                    content = base64.b64decode(value["content_base64"], validate=True)
                except (binascii.Error, ValueError):
                    errors[prefix + item.name] = ["content_base64 is not base64"]
                    continue
                if len(content) > MAX_ATTACHMENT_BYTES:
                    errors[prefix + item.name] = [f"larger than {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB"]
                    continue
                values[item.name] = self.tx.records.add_attachment(
                    value["name"][:255], value["content_type"][:255], content, hashlib.sha256(content).hexdigest(),
                    user, self.clock())
            elif item.type == "file" and _file_id(current.get(item.name)) != value:
                # Ids name files of other records: only the field's own file may be sent back by id.
                errors[prefix + item.name] = ["send the file ({name, content_type, content_base64}); an attachment "
                                              "id is accepted only as the field's current file"]

    def _next_number(self, entity: EntityDefinition, now: dt.datetime) -> str:
        """The next number of the entity's series, skipping numbers already given (a pattern
        changed so that old and new numbers meet). The counter row stays locked until commit."""
        assert entity.naming is not None
        key = series_key(entity.naming, now.date())
        table = self.schema.tables[entity.name]
        for _attempt in range(1000):
            number = format_number(entity.naming, now.date(), self.tx.records.next_number(key))
            if self.tx.records.holder(table, "number", number, None) is None:
                return number
        raise Conflict(f"the naming series {entity.naming} of {entity.name} gives only numbers already used")

    def _row_values(self, entity: EntityDefinition, table_field: str, rows: list[dict[str, Any]]) -> Any:
        """Rows as history shows them: their fields without row ids, files by attachment id."""
        child = self.schema.entity(self.schema.catalog.parents_field(entity, table_field))
        files = {item.name for item in child.columns if item.type == "file"}
        return json_value([{k: _file_id(v) if k in files else v for k, v in row.items() if k != "id"}
                           for row in rows])

    def _check_unique(self, entity: EntityDefinition, values: dict[str, Any], record_id: int | None) -> None:
        """Unique fields are checked before writing, to name the field (the index still guards races)."""
        errors = {}
        for item in entity.columns:
            value = values.get(item.name)
            if item.unique and value is not None:
                holder = self.tx.records.holder(self.schema.tables[entity.name], item.name, value, record_id)
                if holder is not None:
                    errors[item.name] = [f"{value!r} is already used by {entity.name} {holder}"]
        if errors:
            raise ValidationError(errors, f"invalid {entity.name}")

    def _compute(self, entity: EntityDefinition, values: dict[str, Any], rows: dict[str, list]) -> None:
        try:
            values.update(compute(entity, values, rows, self.schema.catalog, self.sandbox))
        except ComputeError as exc:
            raise ValidationError({exc.field: [str(exc)]}, f"invalid {entity.name}") from None

    def _check_required_when(self, entity: EntityDefinition, values: dict[str, Any], rows: dict[str, list]) -> None:
        errors = missing_when_required(entity, values, rows, self.schema.catalog, self.sandbox)
        if errors:
            raise ValidationError(errors, f"invalid {entity.name}")

    def _complete_rows(self, entity: EntityDefinition, name: str, items: list[dict[str, Any]],
                       existing: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows sent with their ``id`` keep the fields they do not mention (a file, say)."""
        child = self.schema.entity(self.schema.catalog.parents_field(entity, name))
        files = {item.name for item in child.columns if item.type == "file"}
        stored = {row["id"]: {k: _file_id(v) if k in files else v for k, v in row.items()} for row in existing}
        return [{**stored[item["id"]], **item} if item.get("id") in stored else item for item in items]

    def _write_rows(self, entity: EntityDefinition, name: str, parent_id: int, items: list[dict[str, Any]],
                    existing: list[dict[str, Any]]) -> None:
        child = self.schema.entity(self.schema.catalog.parents_field(entity, name))
        table = self.schema.tables[child.name]
        known = {row["id"] for row in existing}
        kept = [item["id"] for item in items if item.get("id") in known]
        self.tx.records.delete_rows(table, parent_id, kept)
        now = self.clock()
        for position, item in enumerate(items):
            columns = {c.name: _file_id(item.get(c.name)) if c.type == "file" else item.get(c.name)
                       for c in child.columns}
            if item.get("id") in known:
                self.tx.records.update_row(table, item["id"], parent_id, {**columns, "position": position})
            else:
                self.tx.records.insert(table, {**columns, "parent_id": parent_id, "position": position,
                                               "version": 1, "created_at": now, "updated_at": now})

    def _referrers(self, entity: EntityDefinition, record_id: int) -> list[str]:
        found = []
        for other in self.schema.catalog.entities.values():
            for item in other.columns:
                if item.type == "reference" and item.to == entity.name:
                    count = self.tx.records.count(self.schema.tables[other.name], item.name, record_id)
                    if count:
                        found.append(f"{count} {other.name} ({item.name})")
        return found


def _file_id(value: Any) -> Any:
    return value.get("id") if isinstance(value, dict) else value
