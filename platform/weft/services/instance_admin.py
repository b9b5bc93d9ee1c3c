"""What administrators do to a running instance besides suspend/resume/cancel/retry: edit its
variables and move it to another version of its process. Both are audited with what changed."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..engine.migration import MigrationProblem
from ..engine.runner import MigrationRefused
from ..persistence.audit import AuditFilter
from ..persistence.unit_of_work import Transaction, UnitOfWork
from .actor import resolve_actor
from .audit import AuditRecord, audit_record, record
from .errors import Conflict, InstanceNotFound, NotAllowed, ValidationError
from .identifiers import parse_uuid
from .instance_runner import InstanceRunner, StoredInstance
from .instance_view import InstanceView, InstanceViewService
from .process_instance import ACTIVE_STATES, ProcessInstance, ProcessInstanceService
from .variables import NAME, checked_variables


@dataclass(frozen=True)
class InstanceDetail:
    """The administrator's page of an instance: what everybody sees (``view``) and more."""

    view: InstanceView
    revision: int
    variables_json: dict[str, Any]         # as stored: decimals and dates tagged with their type
    incidents: list[dict[str, Any]]        # open and resolved
    jobs: list[dict[str, Any]]             # timers and asynchronous continuations waiting
    versions: list[int]                    # the process's other versions, newest first
    audit: list[AuditRecord]


class MigrationNotPossible(Conflict):
    """The instance cannot move to that version; ``problems`` name the elements and why."""

    def __init__(self, message: str, problems: list[MigrationProblem]):
        self.problems = problems
        super().__init__(message)


class InstanceAdminService:
    def __init__(self, uow: UnitOfWork, runner: InstanceRunner, instances: ProcessInstanceService,
                 views: InstanceViewService, clock: Callable[[], dt.datetime]):
        self.uow = uow
        self.views = views
        self.instance_runner = runner
        self.runner = runner.runner
        self.codec = runner.codec
        self.instances = instances
        self.clock = clock

    def detail(self, instance_id: str | uuid.UUID, user: str) -> InstanceDetail:
        """Everything the administrator's instance page shows (administrators)."""
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
        if actor is not None and not actor.is_admin:
            raise NotAllowed("only administrators may manage instances")
        view = self.views.view(instance_id, user)
        key = uuid.UUID(view.instance.id)
        with self.uow.read() as tx:
            row = tx.instances.get(key)
            assert row is not None
            incidents = [{"id": r.id, "kind": r.kind, "element_id": r.element_id, "message": r.message,
                          "created_at": r.created_at, "resolved_at": r.resolved_at, "resolved_by": r.resolved_by}
                         for r in tx.incidents.all_for(key)]
            jobs = [{"id": j.id, "kind": j.kind, "element_id": j.element_id, "due_at": j.due_at,
                     "retries": j.retries, "attempts": j.attempts, "last_error": j.last_error}
                    for j in tx.jobs.for_instance(key)]
            versions = [r.version for r in tx.deployments.versions(row.process_key) if r.version != row.version]
            entries, _total = tx.audit.search(AuditFilter(target_kind="instance", target_id=str(key)), 0, 50)
        return InstanceDetail(view, row.revision, row.variables, incidents, jobs, versions,
                              [audit_record(e) for e in entries])

    def set_variables(self, instance_id: str | uuid.UUID, values: dict[str, Any] | None = None,
                      remove: list[str] | None = None, user: str | None = None,
                      revision: int | None = None) -> ProcessInstance:
        """Set ``values`` and remove the variables named in ``remove`` (administrators); the
        audit log keeps each old and new value. With ``revision``, refused if the instance
        changed since it was read."""
        values = checked_variables(values, self.codec)
        remove = list(dict.fromkeys(remove or []))
        bad = {name: ["not a variable name"] for name in remove if not isinstance(name, str) or not NAME.match(name)}
        bad.update({name: ["set and removed at once"] for name in remove if name in values})
        if bad:
            raise ValidationError(bad, "invalid variables")
        with self.uow.write() as tx:
            row = self._active_row(tx, instance_id, user, "edit the variables of", revision)
            current = self.codec.from_plain(row.variables)
            missing = {name: ["no such variable"] for name in remove if name not in current}
            if missing:
                raise ValidationError(missing, "invalid variables")
            changes = {name: [current.get(name), value] for name, value in values.items()
                       if name not in current or current[name] != value}
            changes.update({name: [current[name], None] for name in remove})
            if changes:
                stored = StoredInstance.from_row(row)
                step = self.runner.set_variables(self.instance_runner.deployments.model(tx, row.definition_id),
                                                 row.workflow_state, values, remove, stored.execution,
                                                 set(stored.open_task_ids))
                self.instance_runner.store(tx, stored, step)
                record(tx, self.clock(), user, "instance.variables", "instance", row.id,
                       {"changes": self.codec.to_plain(changes), "removed": remove})
        return self.instances.instance(row.id)

    def replace_variables(self, instance_id: str | uuid.UUID, plain: Any, revision: int | None = None,
                          user: str | None = None) -> ProcessInstance:
        """Make the variables exactly ``plain`` (JSON values; decimals and dates in their tagged
        form, as ``variables_json`` shows them): changed and new ones set, missing ones removed."""
        if not isinstance(plain, dict):
            raise ValidationError({"variables": ["must be a JSON object of name/value pairs"]})
        try:
            wanted = self.codec.from_plain(plain)
        except (TypeError, ValueError, KeyError) as exc:
            raise ValidationError({"variables": [f"a value cannot be read: {exc}"]}) from None
        current = self.instances.instance(instance_id, user).variables
        changed = {name: value for name, value in wanted.items() if name not in current or current[name] != value}
        return self.set_variables(instance_id, changed, [name for name in current if name not in wanted], user,
                                  revision)

    def migrate(self, instance_id: str | uuid.UUID, version: int, user: str | None = None) -> ProcessInstance:
        """Move the instance to ``version`` of its process, keeping its variables, history,
        tasks and timers (administrators). Refused, naming the element, when an element
        holding a token no longer exists there (``MigrationNotPossible``)."""
        with self.uow.write() as tx:
            row = self._active_row(tx, instance_id, user, "migrate")
            if row.version == version:
                raise Conflict(f"process instance {row.id} is already on version {version}")
            target = tx.deployments.definition_version(row.process_key, version)
            if target is None:
                raise ValidationError({"version": [f"process {row.process_key!r} has no version {version}"]})
            stored = StoredInstance.from_row(row)
            models = self.instance_runner.deployments
            try:
                step = self.runner.migrate(models.model(tx, row.definition_id), models.model(tx, target.id),
                                           row.workflow_state, stored.execution, set(stored.open_task_ids))
            except MigrationRefused as exc:
                raise MigrationNotPossible(_refusal(exc.problems, version), exc.problems) from None
            stored = self.instance_runner.store(tx, stored, step)
            tx.instances.save(row.id, stored.revision, {"definition_id": target.id})
            record(tx, self.clock(), user, "instance.migrate", "instance", row.id,
                   {"process_key": row.process_key, "from_version": row.version, "to_version": version,
                    "active_elements": step.active_elements})
        return self.instances.instance(row.id)

    def _active_row(self, tx: Transaction, instance_id: str | uuid.UUID, user: str | None, what: str,
                    revision: int | None = None):
        actor = resolve_actor(tx, user)
        if actor is not None and not actor.is_admin:
            raise NotAllowed(f"only administrators may {what} instances")
        key = parse_uuid(instance_id)
        row = tx.instances.get(key, for_update=True) if key else None
        if row is None:
            raise InstanceNotFound(f"no process instance {instance_id}")
        if row.state not in ACTIVE_STATES or row.workflow_state is None:
            raise Conflict(f"process instance {instance_id} is {row.state}; only active instances can be changed")
        if revision is not None and row.revision != revision:
            raise Conflict(f"process instance {instance_id} changed meanwhile; reload it and try again")
        return row


def _refusal(problems: list[MigrationProblem], version: int) -> str:
    reasons = []
    for problem in problems:
        if problem.reason == "missing":
            reasons.append(f"element {problem.element_id} no longer exists in version {version}")
        elif problem.reason == "kind":
            reasons.append(f"element {problem.element_id} is another kind of element in version {version} "
                           f"({problem.detail})")
        else:
            reasons.append(f"the boundary events of element {problem.element_id} differ in version {version} "
                           f"({problem.detail})")
    return "cannot migrate: " + "; ".join(reasons)
