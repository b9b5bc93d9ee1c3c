"""Deployments and process versions for administrators: what is deployed, which versions each
process has and how many instances run on each, and what changed between two versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..engine.version_diff import ElementChange, diff_process
from ..persistence.unit_of_work import Transaction, UnitOfWork
from .accounts import require_admin
from .errors import UnknownProcess, ValidationError


@dataclass(frozen=True)
class VersionInfo:
    version: int
    definition_id: int
    deployment_id: int
    deployment: str              # the deployment's name and version, e.g. "crm v3"
    created_at: dt.datetime
    created_by: str | None
    instances: dict[str, int]    # state -> count


@dataclass(frozen=True)
class ProcessSummary:
    key: str
    name: str
    latest: int
    versions: int
    active: int                  # instances running, waiting or failed, over all versions


@dataclass(frozen=True)
class DeploymentInfo:
    id: int
    name: str
    version: int
    created_at: dt.datetime
    created_by: str | None
    source: str | None
    processes: list[tuple[str, int]]       # the process versions it created


@dataclass(frozen=True)
class VersionDiff:
    key: str
    old: int
    new: int
    changes: list[ElementChange]


ACTIVE = ("running", "waiting", "failed")


class ProcessVersionService:
    def __init__(self, uow: UnitOfWork):
        self.uow = uow

    def processes(self, by: str | None) -> list[ProcessSummary]:
        with self.uow.read() as tx:
            require_admin(tx, by, "see process versions")
            counts = tx.instances.counts_by_definition()
            found = []
            for row in tx.deployments.latest_definitions():
                versions = tx.deployments.versions(row.key)
                active = sum(counts.get(v.id, {}).get(state, 0) for v in versions for state in ACTIVE)
                found.append(ProcessSummary(row.key, row.name, row.version, len(versions), active))
        return found

    def versions(self, key: str, by: str | None) -> tuple[str, list[VersionInfo]]:
        """The process's name and its versions, newest first."""
        with self.uow.read() as tx:
            require_admin(tx, by, "see process versions")
            rows = tx.deployments.versions(key)
            if not rows:
                raise UnknownProcess(f"no process with key {key!r} is deployed")
            counts = tx.instances.counts_by_definition(key)
        return rows[0].name, [VersionInfo(r.version, r.id, r.deployment_id, f"{r.deployment_name} v{r.deployment_version}",
                                          r.created_at, r.created_by, counts.get(r.id, {})) for r in rows]

    def diff(self, key: str, old: int, new: int, by: str | None) -> VersionDiff:
        """What changed from version ``old`` to version ``new`` (element by element)."""
        with self.uow.read() as tx:
            require_admin(tx, by, "compare process versions")
            before, after = self._file(tx, key, old, "old"), self._file(tx, key, new, "new")
        return VersionDiff(key, old, new, diff_process(before, after, key))

    @staticmethod
    def _file(tx: Transaction, key: str, version: int, field: str) -> bytes:
        row = tx.deployments.definition_version(key, version)
        if row is None:
            if tx.deployments.latest_definition(key) is None:
                raise UnknownProcess(f"no process with key {key!r} is deployed")
            raise ValidationError({field: [f"process {key!r} has no version {version}"]})
        [resource] = tx.deployments.resources([row.resource_id])
        return bytes(resource.content)

    def deployments(self, page: int, per_page: int, by: str | None) -> tuple[list[DeploymentInfo], int]:
        """Deployments, newest first, with the process versions each created."""
        with self.uow.read() as tx:
            require_admin(tx, by, "see deployments")
            rows, total = tx.deployments.deployments((max(page, 1) - 1) * per_page, per_page)
            found = [DeploymentInfo(r.id, r.name, r.version, r.created_at, r.created_by, r.source,
                                    [(d.key, d.version) for d in tx.deployments.definitions_of_deployment(r.id)])
                     for r in rows]
        return found, total
