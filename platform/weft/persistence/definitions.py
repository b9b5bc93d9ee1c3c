"""Deployed modules, and the versions of their entity and form definitions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from .module_tables import (
    entity_definitions,
    form_definitions,
    modules,
    report_definitions,
    seed_files,
    seed_keys,
)


class DefinitionRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    # -- entities --------------------------------------------------------------------------------
    def generation(self) -> int:
        """Grows whenever an entity definition or a module is deployed (for caches: a module's
        grants change entities' permissions)."""
        entities = select(func.coalesce(func.max(entity_definitions.c.id), 0)).scalar_subquery()
        deployed = select(func.coalesce(func.max(modules.c.deployment_id), 0)).scalar_subquery()
        return int(self.conn.execute(select(entities + deployed)).scalar() or 0)

    def latest_entities(self) -> list[Row]:
        newest = (select(entity_definitions.c.name, func.max(entity_definitions.c.version).label("version"))
                  .group_by(entity_definitions.c.name).subquery())
        return list(self.conn.execute(
            select(entity_definitions).join(newest, (newest.c.name == entity_definitions.c.name)
                                            & (newest.c.version == entity_definitions.c.version))
            .where(entity_definitions.c.retired.is_(False)).order_by(entity_definitions.c.name)).all())

    def add_entity(self, module: str, name: str, version: int, definition: dict[str, Any], checksum: str,
                   deployment_id: int, now: dt.datetime, retired: bool = False) -> None:
        self.conn.execute(insert(entity_definitions).values(
            module=module, name=name, version=version, definition=definition, checksum=checksum,
            deployment_id=deployment_id, retired=retired, created_at=now))

    def entity_version(self, name: str) -> int:
        return int(self.conn.execute(select(func.coalesce(func.max(entity_definitions.c.version), 0))
                                     .where(entity_definitions.c.name == name)).scalar() or 0)

    # -- forms -----------------------------------------------------------------------------------
    def latest_form(self, module: str, name: str) -> Row | None:
        return self.conn.execute(select(form_definitions)
                                 .where(form_definitions.c.module == module, form_definitions.c.name == name)
                                 .order_by(form_definitions.c.version.desc()).limit(1)).first()

    def latest_forms(self) -> list[Row]:
        newest = (select(form_definitions.c.module, form_definitions.c.name,
                         func.max(form_definitions.c.version).label("version"))
                  .group_by(form_definitions.c.module, form_definitions.c.name).subquery())
        return list(self.conn.execute(
            select(form_definitions).join(newest, (newest.c.module == form_definitions.c.module)
                                          & (newest.c.name == form_definitions.c.name)
                                          & (newest.c.version == form_definitions.c.version))).all())

    def add_form(self, module: str, name: str, version: int, definition: dict[str, Any], checksum: str,
                 deployment_id: int, now: dt.datetime) -> None:
        self.conn.execute(insert(form_definitions).values(
            module=module, name=name, version=version, definition=definition, checksum=checksum,
            deployment_id=deployment_id, created_at=now))

    # -- reports ---------------------------------------------------------------------------------
    def latest_reports(self) -> list[Row]:
        newest = (select(report_definitions.c.module, report_definitions.c.name,
                         func.max(report_definitions.c.version).label("version"))
                  .group_by(report_definitions.c.module, report_definitions.c.name).subquery())
        return list(self.conn.execute(
            select(report_definitions).join(newest, (newest.c.module == report_definitions.c.module)
                                            & (newest.c.name == report_definitions.c.name)
                                            & (newest.c.version == report_definitions.c.version))
            .where(report_definitions.c.retired.is_(False))).all())

    def add_report(self, module: str, name: str, definition: dict[str, Any], checksum: str, deployment_id: int,
                   now: dt.datetime, retired: bool = False) -> None:
        version = int(self.conn.execute(select(func.coalesce(func.max(report_definitions.c.version), 0)).where(
            report_definitions.c.module == module, report_definitions.c.name == name)).scalar() or 0) + 1
        self.conn.execute(insert(report_definitions).values(
            module=module, name=name, version=version, definition=definition, checksum=checksum,
            deployment_id=deployment_id, retired=retired, created_at=now))

    # -- seed data --------------------------------------------------------------------------------
    def seeded(self, module: str) -> dict[str, str]:
        return {row.path: row.checksum for row in self.conn.execute(
            select(seed_files).where(seed_files.c.module == module))}

    def mark_seeded(self, module: str, path: str, checksum: str, now: dt.datetime) -> None:
        self.conn.execute(insert(seed_files).values(module=module, path=path, checksum=checksum, loaded_at=now))

    def seed_keys(self, module: str) -> dict[str, tuple[str, int]]:
        return {row.key: (row.entity, row.record_id) for row in self.conn.execute(
            select(seed_keys).where(seed_keys.c.module == module))}

    def all_seed_keys(self) -> list[Row]:
        return list(self.conn.execute(select(seed_keys).order_by(seed_keys.c.module, seed_keys.c.key)).all())

    def add_seed_key(self, module: str, key: str, entity: str, record_id: int) -> None:
        self.conn.execute(insert(seed_keys).values(module=module, key=key, entity=entity, record_id=record_id))

    # -- modules ---------------------------------------------------------------------------------
    def modules(self) -> list[Row]:
        return list(self.conn.execute(select(modules).order_by(modules.c.name)).all())

    def module(self, name: str) -> Row | None:
        return self.conn.execute(select(modules).where(modules.c.name == name)).first()

    def save_module(self, values: dict[str, Any]) -> None:
        if self.module(values["name"]) is None:
            self.conn.execute(insert(modules).values(**values))
        else:
            self.conn.execute(update(modules).where(modules.c.name == values["name"]).values(**values))
