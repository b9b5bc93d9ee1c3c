"""Rows of entity tables: records, their child rows, naming series, change history, attachments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Row, Table, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .columns import inserted_id
from .module_tables import attachments, naming_series, record_history


class RecordRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def insert(self, table: Table, values: dict[str, Any]) -> int:
        return inserted_id(self.conn.execute(insert(table).values(**values)))

    def get(self, table: Table, record_id: int, for_update: bool = False) -> Row | None:
        query = select(table).where(table.c.id == record_id)
        if for_update:
            query = query.with_for_update()
        return self.conn.execute(query).first()

    def update(self, table: Table, record_id: int, version: int, values: dict[str, Any]) -> bool:
        """Write ``values`` if the record is still at ``version``; it moves to the next one."""
        result = self.conn.execute(update(table).where(table.c.id == record_id, table.c.version == version)
                                   .values(version=version + 1, **values))
        return result.rowcount == 1

    def delete(self, table: Table, record_id: int) -> None:
        self.conn.execute(delete(table).where(table.c.id == record_id))

    def rows(self, table: Table, parent_id: int) -> list[Row]:
        return list(self.conn.execute(select(table).where(table.c.parent_id == parent_id)
                                      .order_by(table.c.position, table.c.id)).all())

    def rows_of(self, table: Table, parent_ids: Sequence[int]) -> list[Row]:
        if not parent_ids:
            return []
        return list(self.conn.execute(select(table).where(table.c.parent_id.in_(list(parent_ids)))
                                      .order_by(table.c.parent_id, table.c.position, table.c.id)).all())

    def delete_rows(self, table: Table, parent_id: int, keep: Iterable[int]) -> None:
        keep = list(keep)
        query = delete(table).where(table.c.parent_id == parent_id)
        if keep:
            query = query.where(table.c.id.not_in(keep))
        self.conn.execute(query)

    def update_row(self, table: Table, row_id: int, parent_id: int, values: dict[str, Any]) -> bool:
        result = self.conn.execute(update(table).where(table.c.id == row_id, table.c.parent_id == parent_id)
                                   .values(**values))
        return result.rowcount == 1

    def search(self, table: Table, conditions: list, ordering: list, offset: int, limit: int
               ) -> tuple[list[Row], int]:
        total = self.conn.execute(select(func.count()).select_from(table).where(*conditions)).scalar()
        rows = self.conn.execute(select(table).where(*conditions).order_by(*ordering, table.c.id)
                                 .offset(offset).limit(limit)).all()
        return list(rows), int(total or 0)

    def values(self, table: Table, ids: Iterable[int], columns: Sequence[str]) -> dict[int, Row]:
        """Some columns of some records, by id (lists show titles without whole records)."""
        ids = list(set(ids))
        if not ids:
            return {}
        rows = self.conn.execute(select(table.c.id, *[table.c[name] for name in columns])
                                 .where(table.c.id.in_(ids))).all()
        return {row.id: row for row in rows}

    def rows_of_query(self, query) -> list[Row]:
        """Rows of a query the services built over entity tables (reports)."""
        return list(self.conn.execute(query).all())

    def count(self, table: Table, column: str, value: Any) -> int:
        return int(self.conn.execute(select(func.count()).select_from(table).where(table.c[column] == value))
                   .scalar() or 0)

    def holder(self, table: Table, column: str, value: Any, other_than: int | None) -> int | None:
        """The id of a record (other than ``other_than``) whose ``column`` holds ``value``."""
        query = select(table.c.id).where(table.c[column] == value)
        if other_than is not None:
            query = query.where(table.c.id != other_than)
        return self.conn.execute(query.limit(1)).scalar()

    def existing_ids(self, table: Table, ids: Iterable[int]) -> set[int]:
        ids = list(set(ids))
        if not ids:
            return set()
        return set(self.conn.execute(select(table.c.id).where(table.c.id.in_(ids))).scalars())

    def next_number(self, key: str) -> int:
        """The next counter of a naming series; atomic under concurrent writers."""
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        statement = (dialect.insert(naming_series).values(key=key, current=1)
                     .on_conflict_do_update(index_elements=["key"], set_={"current": naming_series.c.current + 1})
                     .returning(naming_series.c.current))
        return int(self.conn.execute(statement).scalar_one())

    # -- history and attachments -----------------------------------------------------------------
    def add_history(self, entity: str, record_id: int, version: int, action: str, changes: dict[str, Any],
                    user: str | None, now: dt.datetime, source: str | None = None) -> None:
        self.conn.execute(insert(record_history).values(
            entity=entity, record_id=record_id, version=version, action=action, changes=changes, changed_at=now,
            changed_by=user, source=source))

    def retire_history(self, entity: str, suffix: str) -> None:
        """Keep the history of a dropped entity under ``entity~suffix``: a new entity of that
        name starts with none."""
        self.conn.execute(update(record_history).where(record_history.c.entity == entity)
                          .values(entity=f"{entity}~{suffix}"))

    def history(self, entity: str, record_id: int) -> list[Row]:
        return list(self.conn.execute(select(record_history).where(record_history.c.entity == entity,
                                                                   record_history.c.record_id == record_id)
                                      .order_by(record_history.c.id)).all())

    def add_attachment(self, name: str, content_type: str, content: bytes, sha256: str, user: str | None,
                       now: dt.datetime) -> int:
        return inserted_id(self.conn.execute(insert(attachments).values(
            name=name, content_type=content_type, size=len(content), sha256=sha256, content=content,
            created_at=now, created_by=user)))

    def attachments(self, ids: Iterable[int]) -> dict[int, Row]:
        ids = list(set(ids))
        if not ids:
            return {}
        rows = self.conn.execute(select(attachments.c.id, attachments.c.name, attachments.c.content_type,
                                        attachments.c.size).where(attachments.c.id.in_(ids))).all()
        return {row.id: row for row in rows}

    def attachment(self, attachment_id: int) -> Row | None:
        return self.conn.execute(select(attachments).where(attachments.c.id == attachment_id)).first()
