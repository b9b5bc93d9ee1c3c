"""``entity.create``, ``entity.update``, ``entity.get``: service tasks that write and read records.

Input parameters: ``entity`` (its name), ``id`` (update, get), ``version`` (update: optional
optimistic lock), ``values`` (a map of field values) and/or one parameter per field. Results:
``id``, ``number``, ``version``, ``record`` (the whole record) and, for ``entity.get``, every
field by name, for output parameters such as ``${record.status}`` or ``${status}``.

A service task may set read-only fields (people may not); nobody sets computed ones. Writes go
through the same validation, formulas, naming series and history as the records API, in the
transaction of the process step, within a savepoint: a refused write changes nothing and
becomes an incident naming the fields.
"""

from __future__ import annotations

from typing import Any

from ..engine.connectors import ConnectorContext, ConnectorError
from ..errors import WeftError

CONTROL = ("entity", "id", "values", "version")


def create_record(params: dict[str, Any], context: ConnectorContext) -> dict[str, Any]:
    entity, values = _entity(params, "entity.create"), _values(params)
    store = context.service("records")
    record_id = _guarded(store, lambda: store.create(entity, values, None, source=_source(context), by_process=True))
    return _result(store.read(entity, record_id))


def update_record(params: dict[str, Any], context: ConnectorContext) -> dict[str, Any]:
    entity, record_id, values = _entity(params, "entity.update"), _id(params, "entity.update"), _values(params)
    version = params.get("version")
    store = context.service("records")
    _guarded(store, lambda: store.update(entity, record_id, values, None, version, source=_source(context),
                                            by_process=True))
    return _result(store.read(entity, record_id))


def get_record(params: dict[str, Any], context: ConnectorContext) -> dict[str, Any]:
    entity, record_id = _entity(params, "entity.get"), _id(params, "entity.get")
    store = context.service("records")
    record = _guarded(store, lambda: store.read(entity, record_id))
    return {**record, **_result(record)}


def find_records(params: dict[str, Any], context: ConnectorContext) -> dict[str, Any]:
    """``entity.find``: records of ``entity`` matching the other parameters as filters
    (``status``, ``amount__gt``, …; or a ``filters`` map), ``sort`` and ``limit`` (default 100).
    Results: ``records``, ``count``, and the first one as ``record`` and ``id`` (``None`` if none)."""
    entity = _entity(params, "entity.find")
    given = params.get("filters")
    if given is not None and not isinstance(given, dict):
        raise ConnectorError("the input parameter 'filters' must be a map of field filters")
    filters = {str(k): _text(v) for k, v in (given or {}).items()}
    filters.update({k: _text(v) for k, v in params.items() if k not in ("entity", "filters", "sort", "limit")})
    try:
        limit = max(1, min(int(params.get("limit") or 100), 1000))
    except (TypeError, ValueError):
        raise ConnectorError(f"limit must be a number, got {params.get('limit')!r}") from None
    store = context.service("records")
    records = _guarded(store, lambda: store.find(entity, filters, params.get("sort"), limit))
    first = records[0] if records else None
    return {"records": records, "count": len(records), "record": first, "id": first["id"] if first else None}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def _entity(params: dict[str, Any], connector: str) -> str:
    entity = params.get("entity")
    if not isinstance(entity, str) or not entity:
        raise ConnectorError(f"{connector} needs the input parameter 'entity' (the entity's name)")
    return entity


def _id(params: dict[str, Any], connector: str) -> int:
    value = params.get("id")
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConnectorError(f"{connector} needs the input parameter 'id' (a record id), got {value!r}") from None


def _values(params: dict[str, Any]) -> dict[str, Any]:
    given = params.get("values")
    if given is not None and not isinstance(given, dict):
        raise ConnectorError("the input parameter 'values' must be a map of field values")
    values = dict(given or {})
    values.update({name: value for name, value in params.items() if name not in CONTROL})
    return values


def _source(context: ConnectorContext) -> str:
    return f"{context.process_key}/{context.instance_id}/{context.element_id}"[:200]


def _guarded(store, action):
    try:
        with store.tx.conn.begin_nested():
            return action()
    except WeftError as exc:
        raise ConnectorError(str(exc)) from None


def _result(record: dict[str, Any]) -> dict[str, Any]:
    return {"id": record["id"], "number": record.get("number"), "version": record.get("version"), "record": record}
