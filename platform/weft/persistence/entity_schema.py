"""Applying entity schema changes: checks against the data, DDL, and dry runs.

Safe changes (new tables, columns, indexes, widened types) are applied in the deploy's
transaction. Changes that would lose or reject data are refused with the number of rows they
touch, unless ``--force`` names them (``entity.field``); a unique constraint over duplicate
values, or a reference moved to another entity, is refused even then.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Column, Connection, Table, func, inspect, select
from sqlalchemy.schema import CreateColumn, CreateIndex, CreateTable

from ..entities.catalog import Catalog
from ..entities.definition_names import database_name
from ..entities.evolution import CHECKED, DESTRUCTIVE, Change
from ..entities.types import column_storage
from .entity_tables import build_tables, column_type, field_column, field_indexes, index_name


@dataclass(frozen=True)
class Refusal:
    change: Change
    rows: int
    message: str

    def __str__(self) -> str:
        return self.message


class EntitySchema:
    def __init__(self, conn: Connection):
        self.conn = conn
        self.dialect = conn.dialect
        self.quote = conn.dialect.identifier_preparer.quote

    # -- checking ----------------------------------------------------------------------------
    def refusals(self, changes: list[Change], old: Catalog, forced: Collection[str]) -> list[Refusal]:
        """What would lose or reject data, with the number of rows concerned."""
        tables = build_tables(old) if old.entities else {}
        found = []
        for change in changes:
            if change.kind not in DESTRUCTIVE + CHECKED:
                continue
            table = tables.get(change.entity)
            rows = self._affected_rows(change, table) if table is not None else 0
            before = old.get(change.entity)
            item = before.field(change.field) if before is not None and change.field else None
            if change.kind == "drop_column" and item is not None and item.of in tables:
                rows = self._count(select(func.count()).select_from(tables[item.of]))     # rows of a table field
            if change.kind == "check_unique" and rows:
                found.append(Refusal(change, rows, f"{change.target}: {rows} rows share a value, so it cannot "
                                                   "become unique; make the values distinct first"))
            elif change.kind == "retarget":
                found.append(Refusal(change, rows, f"{change.target}: {change.detail}; {rows} rows hold values. "
                                                   "Add a new field instead"))
            elif not rows:
                continue          # nothing to lose: an empty column, an empty table, no duplicates
            elif change.target not in forced and change.entity not in forced:
                found.append(Refusal(change, rows, _refusal_message(change, rows)))
        return found

    def _affected_rows(self, change: Change, table: Table) -> int:
        if change.kind == "drop_table":
            return self._count(select(func.count()).select_from(table))
        if change.field is None or change.field not in table.c:
            return 0
        column = table.c[change.field]
        if change.kind == "check_required":
            return self._count(select(func.count()).select_from(table).where(column.is_(None)))
        if change.kind == "check_unique":
            duplicates = (select(column).where(column.is_not(None)).group_by(column)
                          .having(func.count() > 1).subquery())
            return self._count(select(func.count()).select_from(duplicates))
        if change.kind == "check_choice":
            return self._count(select(func.count()).select_from(table).where(column.in_(list(change.values))))
        return self._count(select(func.count()).select_from(table).where(column.is_not(None)))

    def _count(self, query) -> int:
        return int(self.conn.execute(query).scalar() or 0)

    # -- DDL -------------------------------------------------------------------------------------
    def statements(self, changes: list[Change], old: Catalog, new: Catalog, forced: Collection[str]
                   ) -> list[Statement]:
        """The DDL the changes need, in order, each with the entity it belongs to (also what a
        dry run shows): new tables, then column and index changes, then dropped tables."""
        new_tables = build_tables(new)
        created = [c.entity for c in changes if c.kind == "create_table"]
        statements = self._create_tables(created, new_tables)
        for change in changes:
            if change.kind != "drop_table":
                statements += [(change.entity, sql) for sql in
                               self._statements_for(change, old, new, new_tables, forced)]
        dropped = [c.entity for c in changes if c.kind == "drop_table" and (c.target in forced or c.entity in forced)]
        for name in drop_order(dropped, old):
            statements += [(name, sql) for sql in self._drop_table(name)]
        return statements

    def apply(self, changes: list[Change], old: Catalog, new: Catalog, forced: Collection[str]) -> list[Statement]:
        statements = self.statements(changes, old, new, forced)
        for _entity, statement in statements:
            if not statement.startswith("--"):
                self.conn.exec_driver_sql(statement)
        return statements

    def _create_tables(self, names: list[str], tables: dict[str, Table]) -> list[Statement]:
        if not names:
            return []
        ordered = [t for t in tables[names[0]].metadata.sorted_tables if t.name in {f"ent_{n}" for n in names}]
        statements: list[Statement] = []
        postgres = self.dialect.name == "postgresql"
        for table in ordered:
            entity = table.name.removeprefix("ent_")
            skip = {fk for fk in table.foreign_key_constraints if postgres and _is_reference(fk)}
            statements.append((entity, str(CreateTable(table, include_foreign_key_constraints=[
                fk for fk in table.foreign_key_constraints if fk not in skip]).compile(dialect=self.dialect)).strip()))
            for index in sorted(table.indexes, key=lambda i: i.name or ""):
                statements.append((entity, str(CreateIndex(index).compile(dialect=self.dialect)).strip()))
        if postgres:
            for table in ordered:
                for fk in table.foreign_key_constraints:
                    if _is_reference(fk):
                        statements.append((table.name.removeprefix("ent_"), self._add_foreign_key(
                            table.name, fk.column_keys[0], fk.elements[0].column.table.name, str(fk.name))))
        return statements

    def _drop_table(self, entity: str) -> list[str]:
        table = f"ent_{entity}"
        if self.dialect.name != "sqlite":
            return [f"DROP TABLE {self.quote(table)} CASCADE"]       # CASCADE: constraints only, never rows
        # SQLite: a dropped table may still be named by foreign keys of emptied, renamed
        # columns elsewhere; renaming keeps those valid, emptying it keeps none of its data.
        inspector = inspect(self.conn)
        taken = set(inspector.get_table_names())
        tombstone = next(f"_dropped_{table}_{n}" for n in range(1, 10_000) if f"_dropped_{table}_{n}" not in taken)
        drops = [f"DROP INDEX IF EXISTS {self.quote(str(index['name']))}" for index in inspector.get_indexes(table)
                 if index.get("name")]
        return drops + [f"ALTER TABLE {self.quote(table)} RENAME TO {self.quote(tombstone)}",
                        f"DELETE FROM {self.quote(tombstone)}"]

    def _statements_for(self, change: Change, old: Catalog, new: Catalog, tables: dict[str, Table],
                        forced: Collection[str]) -> list[str]:
        entity = new.get(change.entity) or old.get(change.entity)
        if entity is None:
            return []
        table = self.quote(f"ent_{change.entity}")
        field = entity.field(change.field) if entity is not None and change.field else None
        if change.kind == "add_column":
            if change.field == "number":        # a naming series; the column stays if one was removed before
                existing = {c["name"] for c in inspect(self.conn).get_columns(entity.table_name)}
                add = [] if "number" in existing else [f"ALTER TABLE {table} ADD COLUMN number VARCHAR(80)"]
                return add + [self._index_sql(tables, change.entity, index_name(entity, "number", True))
                              .replace("CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS", 1)]
            return self._add_column(change, entity, new)
        if change.kind == "add_index" and field is not None:
            return [self._index_sql(tables, change.entity, name) for name, _c, _u in field_indexes(entity, field)]
        if change.kind == "drop_index" and field is not None:
            name = index_name(entity, field.name, unique=True)
            return [f"DROP INDEX {self.quote(name)}"]
        if change.kind == "check_unique" and field is not None:
            return [self._index_sql(tables, change.entity, index_name(entity, field.name, True))]
        if change.kind == "widen" and field is not None:
            return self._retype(change, old, field, narrowing=False)
        forced_here = change.target in forced or change.entity in forced
        if change.kind == "narrow" and field is not None and forced_here:
            return self._retype(change, old, field, narrowing=True)
        if change.kind == "drop_column" and forced_here:
            return self._drop_column(change, old)
        return []

    def _add_column(self, change: Change, entity, new: Catalog) -> list[str]:
        item = entity.field(change.field)
        column = field_column(entity, item, new)
        spec = str(CreateColumn(Column(column.name, column.type, nullable=True)).compile(dialect=self.dialect))
        table = self.quote(entity.table_name)
        target = f"ent_{item.to}" if item.type == "reference" else "attachments" if item.type == "file" else None
        if target and self.dialect.name == "sqlite":
            action = "RESTRICT" if item.type == "reference" else "SET NULL"
            return [f"ALTER TABLE {table} ADD COLUMN {spec} REFERENCES {self.quote(target)}(id) ON DELETE {action}"]
        statements = [f"ALTER TABLE {table} ADD COLUMN {spec}"]
        if target:
            statements.append(self._add_foreign_key(entity.table_name, item.name, target,
                                                    database_name("fk", entity.table_name, item.name),
                                                    "RESTRICT" if item.type == "reference" else "SET NULL"))
        return statements

    def _add_foreign_key(self, table: str, column: str, target: str, name: str | None,
                         on_delete: str = "RESTRICT") -> str:
        return (f"ALTER TABLE {self.quote(table)} ADD CONSTRAINT {self.quote(name or database_name('fk', table, column))} "
                f"FOREIGN KEY ({self.quote(column)}) REFERENCES {self.quote(target)} (id) ON DELETE {on_delete}")

    def _index_sql(self, tables: dict[str, Table], entity: str, name: str) -> str:
        index = next(i for i in tables[entity].indexes if i.name == name)
        return str(CreateIndex(index).compile(dialect=self.dialect)).strip()

    def _retype(self, change: Change, old: Catalog, field, narrowing: bool) -> list[str]:
        entity = old.get(change.entity)
        before = entity.field(field.name) if entity is not None else None
        if before is None:
            return []
        old_storage, new_storage = column_storage(before), column_storage(field)
        table, column = self.quote(f"ent_{change.entity}"), self.quote(field.name)
        new_type = column_type(new_storage).compile(dialect=self.dialect)
        if self.dialect.name == "sqlite":
            if old_storage.kind == "date" and new_storage.kind == "datetime":
                return [f"UPDATE {table} SET {column} = {column} || ' 00:00:00.000000' WHERE {column} IS NOT NULL"]
            return [f"-- SQLite keeps {change.entity}.{field.name} as it is: it does not enforce sizes"]
        using = f"{column}::{new_type}"
        if narrowing and new_storage.kind == "string":
            using = f"left({column}, {new_storage.length})"
        return [f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {new_type} USING {using}"]

    def _drop_column(self, change: Change, old: Catalog) -> list[str]:
        entity = old.get(change.entity)
        item = entity.field(change.field) if entity is not None and change.field else None
        if entity is None or item is None or not item.is_column:
            return [f"-- {change.target}: rows stay in their table but are no longer shown"]
        table, column = self.quote(entity.table_name), self.quote(item.name)
        if self.dialect.name != "sqlite":
            return [f"ALTER TABLE {table} DROP COLUMN {column}"]
        drops = [f"DROP INDEX IF EXISTS {self.quote(name)}" for name, _c, _u in field_indexes(entity, item)]
        if item.type not in ("reference", "file"):
            return drops + [f"ALTER TABLE {table} DROP COLUMN {column}"]
        # SQLite cannot drop a column inside a foreign key, and rebuilding the table would
        # cascade into its child rows: empty the column and move it out of the way instead.
        taken = {c["name"] for c in inspect(self.conn).get_columns(entity.table_name)}
        tombstone = next(f"_dropped_{item.name}_{n}" for n in range(1, 10_000)
                         if f"_dropped_{item.name}_{n}" not in taken)
        return drops + [f"UPDATE {table} SET {column} = NULL",
                        f"ALTER TABLE {table} RENAME COLUMN {column} TO {self.quote(tombstone)}"]


Statement = tuple[str, str]          # (entity, SQL)


def drop_order(names: list[str], catalog: Catalog) -> list[str]:
    """Entities to drop, each after every entity among them that refers to it or holds its rows
    (children and referrers first), so foreign keys never block a drop."""
    remaining = sorted(names)
    ordered: list[str] = []

    def depends_on(entity: str, other: str) -> bool:
        definition = catalog.get(entity)
        link = catalog.parents.get(entity)
        return (link is not None and link.parent == other) or \
            (definition is not None and any(f.to == other for f in definition.fields))

    while remaining:
        free = [n for n in remaining if not any(depends_on(other, n) for other in remaining if other != n)]
        chosen = free[0] if free else remaining[0]          # a reference cycle: any order fails alike
        ordered.append(chosen)
        remaining.remove(chosen)
    return ordered


def _is_reference(fk) -> bool:
    return fk.elements[0].column.table.name.startswith("ent_") and not str(fk.name or "").endswith("__parent")


def _refusal_message(change: Change, rows: int) -> str:
    what = {
        "drop_column": f"removing the field would delete its values in {rows} rows",
        "drop_table": f"removing the entity would delete its {rows} rows",
        "narrow": f"{change.detail}: {rows} rows hold values that may not fit",
        "check_required": f"{rows} rows have no value, so the field cannot become required",
        "check_choice": f"{change.detail}; {rows} rows hold them",
    }.get(change.kind, change.detail)
    return f"{change.target}: {what} (deploy with --force {change.target} to accept)"
