"""SQLAlchemy tables for entity definitions: ``ent_<name>``, with system columns, typed
columns, foreign keys for references, a parent link for child rows, and declared indexes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
)

from ..entities.catalog import Catalog
from ..entities.definition import EntityDefinition, FieldDefinition
from ..entities.definition_names import database_name
from ..entities.types import StorageType, storage_of
from .columns import BigId, Json, UtcDateTime
from .module_tables import attachments

NUMBER_LENGTH = 80


def column_type(storage: StorageType):
    kind = storage.kind
    if kind == "string":
        return String(storage.length)
    if kind == "text":
        return Text()
    if kind in ("integer", "file"):
        return BigInteger()
    if kind == "numeric":
        return Numeric(storage.precision, storage.scale)
    if kind == "boolean":
        return Boolean()
    if kind == "date":
        return Date()
    if kind == "datetime":
        return UtcDateTime()
    return Json


def field_column(entity: EntityDefinition, item: FieldDefinition, catalog: Catalog) -> Column:
    """The column of one field (nullable: ``required`` is enforced when records are written,
    so a new required field never fails on rows written before it)."""
    storage = storage_of(item)
    assert storage is not None
    if item.type == "reference":
        target = catalog.get(item.to or "")
        return Column(item.name, BigInteger(), ForeignKey(f"ent_{item.to}.id", ondelete="RESTRICT",
                                                          name=database_name("fk", entity.table_name, item.name)),
                      nullable=True) if target else Column(item.name, BigInteger(), nullable=True)
    if item.type == "file":
        return Column(item.name, BigInteger(), ForeignKey("attachments.id", ondelete="SET NULL",
                                                          name=database_name("fk", entity.table_name, item.name)),
                      nullable=True)
    return Column(item.name, column_type(storage), nullable=True)


def system_columns(entity: EntityDefinition, catalog: Catalog) -> list[Column]:
    columns: list[Column[Any]] = [Column("id", BigId, primary_key=True, autoincrement=True)]
    link = catalog.parents.get(entity.name)
    if link is not None:
        columns.append(Column("parent_id", BigInteger(),
                              ForeignKey(f"ent_{link.parent}.id", ondelete="CASCADE",
                                         name=database_name("fk", entity.table_name, "parent")), nullable=False))
        columns.append(Column("position", Integer(), nullable=False, default=0))
    if entity.naming:
        # Nullable: records written before a naming series was added, or after it was removed.
        columns.append(Column("number", String(NUMBER_LENGTH), nullable=True))
    columns += [
        Column("version", Integer(), nullable=False, default=1),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("created_by", String(150)),
        Column("updated_at", UtcDateTime(), nullable=False),
        Column("updated_by", String(150)),
    ]
    return columns


def index_name(entity: EntityDefinition, field: str, unique: bool = False) -> str:
    return database_name("uq" if unique else "ix", entity.table_name, field)


def field_indexes(entity: EntityDefinition, item: FieldDefinition) -> list[tuple[str, str, bool]]:
    """(index name, column, unique) for a field."""
    if item.unique:
        return [(index_name(entity, item.name, True), item.name, True)]
    if item.index or item.type == "reference":
        return [(index_name(entity, item.name), item.name, False)]
    return []


def build_table(entity: EntityDefinition, catalog: Catalog, metadata: MetaData) -> Table:
    columns = system_columns(entity, catalog) + [field_column(entity, f, catalog) for f in entity.columns]
    # AUTOINCREMENT on SQLite: ids of deleted records are never given again (history and
    # process variables keep naming them).
    table = Table(entity.table_name, metadata, *columns, sqlite_autoincrement=True)
    if entity.naming:
        Index(index_name(entity, "number", True), table.c.number, unique=True)
    if catalog.parents.get(entity.name) is not None:
        Index(index_name(entity, "parent_id"), table.c.parent_id, table.c.position)
    for item in entity.columns:
        for name, column, unique in field_indexes(entity, item):
            Index(name, table.c[column], unique=unique)
    return table


def build_tables(catalog: Catalog) -> dict[str, Table]:
    """Every entity's table, in one MetaData (foreign keys resolve across them)."""
    metadata = MetaData()
    attachments.to_metadata(metadata)
    return {name: build_table(entity, catalog, metadata) for name, entity in catalog.entities.items()}
