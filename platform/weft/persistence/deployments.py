"""Deployments, their files, and the process and decision definitions they carry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, Row, bindparam, func, insert, select, text

from .tables import decision_definitions, deployment_resources, deployments, inserted_id, process_definitions

# Serialises deployments on PostgreSQL so version numbers are handed out one at a time.
DEPLOY_LOCK_ID = 0x57EF8


_LATEST_DEFINITION = (select(process_definitions).where(process_definitions.c.key == bindparam("key"))
                      .order_by(process_definitions.c.version.desc()).limit(1))


class DeploymentRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def lock_for_deploy(self) -> None:
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": DEPLOY_LOCK_ID})

    # -- deployments -------------------------------------------------------------------------
    def latest_deployment(self, name: str) -> Row | None:
        return self.conn.execute(select(deployments).where(deployments.c.name == name)
                                 .order_by(deployments.c.version.desc()).limit(1)).first()

    def deployment(self, deployment_id: int) -> Row | None:
        return self.conn.execute(select(deployments).where(deployments.c.id == deployment_id)).first()

    def add_deployment(self, name: str, version: int, checksum: str, source: str | None, user: str | None,
                       now: dt.datetime) -> int:
        return inserted_id(self.conn.execute(insert(deployments).values(
            name=name, version=version, checksum=checksum, source=source, created_by=user, created_at=now,
        )))

    def add_resource(self, deployment_id: int, name: str, checksum: str, content: bytes) -> int:
        return inserted_id(self.conn.execute(insert(deployment_resources).values(
            deployment_id=deployment_id, name=name, checksum=checksum, content=content,
        )))

    def resources(self, resource_ids: Iterable[int]) -> list[Row]:
        ids = list(resource_ids)
        rows = self.conn.execute(select(deployment_resources).where(deployment_resources.c.id.in_(ids))).all()
        order = {resource_id: index for index, resource_id in enumerate(ids)}
        return sorted(rows, key=lambda row: order[row.id])

    def resources_of(self, deployment_id: int) -> list[Row]:
        """Every file a deployment stored (a module's: its processes, YAML files and seeds)."""
        return list(self.conn.execute(select(deployment_resources)
                                      .where(deployment_resources.c.deployment_id == deployment_id)
                                      .order_by(deployment_resources.c.name)).all())

    # -- process definitions -----------------------------------------------------------------
    def latest_definition(self, key: str) -> Row | None:
        return self.conn.execute(_LATEST_DEFINITION, {"key": key}).first()

    def definition(self, definition_id: int) -> Row | None:
        return self.conn.execute(select(process_definitions)
                                 .where(process_definitions.c.id == definition_id)).first()

    def all_versions(self) -> list[Row]:
        """``(key, name, version)`` of every stored process version, by key, newest first."""
        return list(self.conn.execute(
            select(process_definitions.c.key, process_definitions.c.name, process_definitions.c.version)
            .order_by(process_definitions.c.key, process_definitions.c.version.desc())).all())

    def versions(self, key: str) -> list[Row]:
        """Every version of a process, newest first, with who deployed it when."""
        return list(self.conn.execute(
            select(process_definitions, deployments.c.name.label("deployment_name"),
                   deployments.c.version.label("deployment_version"), deployments.c.created_by)
            .join(deployments, deployments.c.id == process_definitions.c.deployment_id)
            .where(process_definitions.c.key == key).order_by(process_definitions.c.version.desc())).all())

    def definition_version(self, key: str, version: int) -> Row | None:
        return self.conn.execute(select(process_definitions).where(
            process_definitions.c.key == key, process_definitions.c.version == version)).first()

    def deployments(self, offset: int, limit: int) -> tuple[list[Row], int]:
        """Deployments, newest first, and how many there are."""
        total = self.conn.execute(select(func.count()).select_from(deployments)).scalar()
        rows = self.conn.execute(select(deployments).order_by(deployments.c.id.desc()).offset(offset).limit(limit))
        return list(rows.all()), int(total or 0)

    def definitions_of_deployment(self, deployment_id: int) -> list[Row]:
        return list(self.conn.execute(select(process_definitions)
                                 .where(process_definitions.c.deployment_id == deployment_id)
                                 .order_by(process_definitions.c.key)).all())

    def latest_definitions(self) -> list[Row]:
        newest = (select(process_definitions.c.key, func.max(process_definitions.c.version).label("version"))
                  .group_by(process_definitions.c.key).subquery())
        return list(self.conn.execute(
            select(process_definitions).join(newest, (newest.c.key == process_definitions.c.key)
                                             & (newest.c.version == process_definitions.c.version))
            .order_by(process_definitions.c.key)).all())

    def add_definition(self, key: str, name: str, version: int, deployment_id: int, resource_id: int,
                       bundle: list[int], checksum: str, now: dt.datetime,
                       start_events: list[dict] | None = None) -> int:
        return inserted_id(self.conn.execute(insert(process_definitions).values(
            key=key, name=name, version=version, deployment_id=deployment_id, resource_id=resource_id,
            bundle=bundle, checksum=checksum, created_at=now, start_events=start_events or [],
        )))

    # -- decision definitions ----------------------------------------------------------------
    def latest_decision(self, key: str) -> Row | None:
        return self.conn.execute(select(decision_definitions).where(decision_definitions.c.key == key)
                                 .order_by(decision_definitions.c.version.desc()).limit(1)).first()

    def decision_keys(self) -> list[str]:
        return list(self.conn.execute(select(decision_definitions.c.key).distinct()
                                      .order_by(decision_definitions.c.key)).scalars().all())

    def add_decision(self, key: str, name: str | None, version: int, deployment_id: int, resource_id: int,
                     checksum: str, now: dt.datetime) -> int:
        return inserted_id(self.conn.execute(insert(decision_definitions).values(
            key=key, name=name, version=version, deployment_id=deployment_id, resource_id=resource_id,
            checksum=checksum, created_at=now,
        )))
