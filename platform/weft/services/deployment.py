"""Deploying process packages as new, versioned definitions."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from ..engine import (
    CompiledDeployment,
    DeployedLookup,
    DeploymentError,
    ModelCache,
    Problem,
    ProcessModel,
    Resource,
    build_model,
    compile_deployment,
)
from ..engine.events import first_start_timer_due
from ..packages.sources import Source
from ..persistence.unit_of_work import Transaction, UnitOfWork
from .actor import ADMIN_GROUP, resolve_actor
from .audit import record
from .errors import NotAllowed

DEPLOYER_GROUP = "analyst"


@dataclass(frozen=True)
class ProcessDefinition:
    id: int
    key: str
    name: str
    version: int
    deployment_id: int
    created: bool = False      # True when this deployment created this version


@dataclass(frozen=True)
class Deployment:
    id: int
    name: str
    version: int
    process_keys: list[str]
    processes: list[ProcessDefinition] = field(default_factory=list)
    unchanged: bool = False    # True when nothing differed from the previous deployment
    module: str | None = None             # module deployments: the module and its manifest version
    module_version: str | None = None
    changes: list[str] = field(default_factory=list)      # schema changes, e.g. "add_column order.note: …"
    statements: list[str] = field(default_factory=list)   # the DDL they ran (or would run: dry_run)
    dry_run: bool = False


def deployment_checksum(resources: list[Resource]) -> str:
    digest = hashlib.sha256()
    for resource in sorted(resources, key=lambda r: r.name):
        digest.update(f"{resource.name}\0{resource.checksum}\0".encode())
    return digest.hexdigest()


class DeploymentService:
    def __init__(self, uow: UnitOfWork, models: ModelCache, clock: Callable[[], dt.datetime],
                 connectors: Callable[[], set[str]] | None = None):
        self.uow = uow
        self.models = models
        self.clock = clock
        self.connectors = connectors

    def deploy(self, source: Source, user: str | None = None) -> Deployment:
        """Validate everything, then store it in one transaction, or raise ``DeploymentError``
        (from the engine) and store nothing."""
        with self.uow.write() as tx:
            return self.deploy_in(tx, source, user)

    def deploy_in(self, tx: Transaction, source: Source, user: str | None) -> Deployment:
        """``deploy`` within the caller's transaction (the modeler drops the deployed draft in it)."""
        actor = resolve_actor(tx, user)
        if actor is not None and not (actor.is_admin or DEPLOYER_GROUP in actor.groups):
            raise NotAllowed(f"deploying needs the {DEPLOYER_GROUP} or {ADMIN_GROUP} role")
        tx.deployments.lock_for_deploy()
        compiled = self.check(tx, source.resources)
        checksum = deployment_checksum(source.resources)
        previous = tx.deployments.latest_deployment(source.name)
        if previous is not None and previous.checksum == checksum:
            return self._unchanged(tx, previous, [p.key for p in compiled.processes])
        now = self.clock()
        version = previous.version + 1 if previous is not None else 1
        deployment_id = tx.deployments.add_deployment(source.name, version, checksum, source.origin, user, now)
        processes = store_processes(tx, deployment_id, source.resources, compiled, now)
        deployment = Deployment(deployment_id, source.name, version, [p.key for p in processes], processes)
        audit_deployment(tx, now, user, deployment)
        return deployment

    def check(self, tx: Transaction, resources: list[Resource]) -> CompiledDeployment:
        """Every check a deployment of ``resources`` passes, storing nothing; raises ``DeploymentError``."""
        compiled = compile_deployment(resources, deployed_lookup(tx), self.connectors() if self.connectors else None)
        check_start_names(tx, compiled.processes)
        return compiled

    def process_definitions(self) -> list[ProcessDefinition]:
        with self.uow.read() as tx:
            return [_definition(row) for row in tx.deployments.latest_definitions()]

    def model(self, tx: Transaction, definition_id: int) -> ProcessModel:
        """The parsed model of a definition version, from the cache or the stored files."""
        return self.models.get(definition_id, lambda: _load_model(tx, definition_id))

    @staticmethod
    def _unchanged(tx: Transaction, previous, keys: list[str]) -> Deployment:
        processes = [_definition(row) for key in keys if (row := tx.deployments.latest_definition(key))]
        return Deployment(previous.id, previous.name, previous.version, keys, processes, unchanged=True)


def store_processes(tx: Transaction, deployment_id: int, resources: list[Resource], compiled,
                    now: dt.datetime, stored: dict[str, int] | None = None) -> list[ProcessDefinition]:
    """Store a deployment's files and a new version of every process that changed.

    ``stored`` maps names of files stored earlier in the same transaction to their ids (a
    module calling a process of a module deployed with it); this deployment's files are added."""
    stored = stored if stored is not None else {}
    stored.update({r.name: tx.deployments.add_resource(deployment_id, r.name, r.checksum, r.content)
                   for r in resources})
    processes = []
    for process in compiled.processes:
        current = tx.deployments.latest_definition(process.key)
        if current is not None and current.checksum == process.checksum:
            processes.append(_definition(current))
            continue
        next_version = current.version + 1 if current is not None else 1
        bundle = [stored[r.name] if r.stored_id is None else r.stored_id for r in process.bundle]
        definition_id = tx.deployments.add_definition(
            process.key, process.name, next_version, deployment_id, stored[process.resource.name], bundle,
            process.checksum, now, process.start_events)
        _schedule_start_timers(tx, process.key, definition_id, process.start_events, now)
        processes.append(ProcessDefinition(definition_id, process.key, process.name, next_version, deployment_id,
                                           created=True))
    for decision, resource in compiled.decisions.items():
        current = tx.deployments.latest_decision(decision)
        if current is None or current.checksum != resource.checksum:
            tx.deployments.add_decision(decision, None, current.version + 1 if current else 1, deployment_id,
                                        stored[resource.name], resource.checksum, now)
    return processes


def audit_deployment(tx: Transaction, now: dt.datetime, user: str | None, deployment: Deployment) -> None:
    """The audit entry of a deployment that stored something."""
    if deployment.unchanged:
        return
    details: dict[str, object] = {
        "name": deployment.name, "version": deployment.version,
        "processes": [{"key": p.key, "version": p.version, "created": p.created} for p in deployment.processes]}
    if deployment.module:
        details.update(module=deployment.module, module_version=deployment.module_version,
                       changes=deployment.changes)
    record(tx, now, user, "deployment.deploy", "deployment", deployment.id, details)


def deployed_lookup(tx: Transaction) -> DeployedLookup:
    return DeployedLookup(lambda key: _process_bundle(tx, key), lambda key: _decision_bundle(tx, key))


def check_start_names(tx: Transaction, processes) -> None:
    """A message or signal name may start one process only (as in Camunda), so that starting
    by message is never ambiguous."""
    problems = []
    claimed: dict[tuple[str, str], str] = {}
    for row in tx.deployments.latest_definitions():
        for event in row.start_events or ():
            if event["kind"] == "message":
                claimed[("message", event["name"])] = row.key
    for process in processes:
        for event in process.start_events:
            if event["kind"] != "message":
                continue
            owner = claimed.setdefault(("message", event["name"]), process.key)
            if owner != process.key:
                problems.append(Problem(process.resource.name, f"message {event['name']!r} already starts "
                                        f"process {owner!r}", event["element"]))
    if problems:
        raise DeploymentError(problems)


def _schedule_start_timers(tx: Transaction, key: str, definition_id: int, events, now: dt.datetime) -> None:
    tx.jobs.delete_start_timers(key)
    rows = []
    for event in events:
        if event["kind"] != "timer":
            continue
        due, state = first_start_timer_due(event, now)
        if due is not None:
            rows.append({"kind": "start_timer", "instance_id": None, "definition_id": definition_id,
                         "task_id": None, "element_id": event["element"], "name": event["name"], "due_at": due,
                         "retries": 0, "attempts": 0, "payload": state, "created_at": now})
    tx.jobs.add(rows)


def _definition(row) -> ProcessDefinition:
    return ProcessDefinition(row.id, row.key, row.name, row.version, row.deployment_id)


def _resources(tx: Transaction, resource_ids: list[int]) -> list[Resource]:
    return [Resource(row.name, bytes(row.content), row.id) for row in tx.deployments.resources(resource_ids)]


def _process_bundle(tx: Transaction, key: str) -> list[Resource] | None:
    definition = tx.deployments.latest_definition(key)
    return _resources(tx, definition.bundle) if definition is not None else None


def _decision_bundle(tx: Transaction, decision: str) -> list[Resource] | None:
    row = tx.deployments.latest_decision(decision)
    return _resources(tx, [row.resource_id]) if row is not None else None


def _load_model(tx: Transaction, definition_id: int) -> ProcessModel:
    definition = tx.deployments.definition(definition_id)
    assert definition is not None, f"process definition {definition_id} is referenced but missing"
    return build_model(definition.key, _resources(tx, definition.bundle))
