"""Starting, inspecting and stopping process instances."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from ..engine import Step
from ..engine.runner import OutgoingEvent
from ..persistence.unit_of_work import Transaction, UnitOfWork
from .actor import Actor, resolve_actor
from .audit import record
from .errors import Conflict, InstanceNotFound, NotAllowed, UnknownProcess
from .identifiers import parse_uuid
from .instance_query import InstanceQuery
from .instance_runner import InstanceRunner, StoredInstance
from .variables import checked_variables

ACTIVE_STATES = ("running", "waiting", "failed")


@dataclass(frozen=True)
class ProcessInstance:
    """An instance as it stands. ``history`` lists executed elements in order; instances
    returned by ``start``/``complete`` carry only what that call executed."""

    id: str
    process_key: str
    version: int
    state: str
    business_key: str | None
    started_by: str | None
    started_at: dt.datetime
    ended_at: dt.datetime | None
    suspended: bool
    variables: dict[str, Any]
    active_elements: list[str]
    history: list[dict[str, Any]]


class ProcessInstanceService:
    def __init__(self, uow: UnitOfWork, instances: InstanceRunner, clock: Callable[[], dt.datetime]):
        self.uow = uow
        self.instance_runner = instances
        self.runner = instances.runner
        self.codec = instances.codec
        self.clock = clock

    def start(self, process_key: str, variables: dict[str, Any] | None = None, business_key: str | None = None,
              user: str | None = None) -> ProcessInstance:
        values = checked_variables(variables, self.codec)
        with self.uow.write() as tx:
            resolve_actor(tx, user)
            return self.start_in(tx, process_key, values, business_key, user)

    def start_in(self, tx: Transaction, process_key: str, values: dict[str, Any], business_key: str | None,
                 user: str | None) -> ProcessInstance:
        """Start inside the caller's transaction (a start form writes its record in the same one)."""
        definition = tx.deployments.latest_definition(process_key)
        if definition is None:
            raise UnknownProcess(f"no process with key {process_key!r} is deployed")
        for event in definition.start_events or ():
            if event.get("kind") == "none" and event.get("initiator") and user is not None:
                values = {**values, event["initiator"]: user}           # camunda:initiator
        started, step = self.instance_runner.start(tx, definition, values, business_key, user)
        state = started.state
        now = self.clock()
        return ProcessInstance(str(started.id), process_key, definition.version, state, business_key, user, now,
                               now if state == "completed" else None, False, step.variables, step.active_elements,
                               [_entry(h) for h in step.history])

    def instance(self, instance_id: str | uuid.UUID, user: str | None = None) -> ProcessInstance:
        """An instance with its history. A user sees instances they started or have work in
        (administrators see all); any other is reported as not found."""
        key = parse_uuid(instance_id)
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
            row = tx.instances.get(key) if key else None
            if row is None or not may_see_instance(tx, actor, row):
                raise InstanceNotFound(f"no process instance {instance_id}")
            history = tx.instances.history(row.id)
        return self._instance(row, [_entry_row(h) for h in history])

    def instances(self, process_key: str | None = None, state: str | None = None, business_key: str | None = None,
                  started_by: str | None = None, page: int = 1, per_page: int = 50, user: str | None = None,
                  query: InstanceQuery | None = None) -> tuple[list[ProcessInstance], int]:
        """Instances, newest first, matching the keyword criteria or ``query`` (all the
        criteria: version, start dates, variable values…); a user who is not an administrator
        sees only their own."""
        query = query or InstanceQuery(process_key, state=state, business_key=business_key, started_by=started_by)
        where = query.to_filter()
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
            if actor is not None and not actor.is_admin:
                if where.started_by not in (None, actor.name):
                    return [], 0
                where = replace(where, started_by=actor.name)
            rows, total = tx.instances.search(where, (page - 1) * per_page, per_page)
        return [self._instance(row, []) for row in rows], total

    def cancel(self, instance_id: str | uuid.UUID, user: str | None = None) -> ProcessInstance:
        key = parse_uuid(instance_id)
        with self.uow.write() as tx:
            actor = resolve_actor(tx, user)
            row = tx.instances.get(key, for_update=True) if key else None
            if row is None:
                raise InstanceNotFound(f"no process instance {instance_id}")
            _require_manager(actor, row.started_by, "cancel")
            if row.state not in ACTIVE_STATES:
                raise Conflict(f"process instance {instance_id} is {row.state}; only active instances can be cancelled")
            stored = StoredInstance.from_row(row)
            self.instance_runner.advance(tx, stored, lambda model, execution, known: self.runner.cancel(
                model, stored.workflow_state))
            record(tx, self.clock(), user, "instance.cancel", "instance", row.id,
                   {"process_key": row.process_key, "version": row.version, "state": row.state})
            row = tx.instances.get(row.id)
        return self._instance(row, [])

    def retry(self, instance_id: str | uuid.UUID, variables: dict[str, Any] | None = None,
              user: str | None = None) -> ProcessInstance:
        """Resolve the instance's incidents: set ``variables`` on the failed elements, run them
        again, and deliver again what could not be delivered (administrators)."""
        values = checked_variables(variables, self.codec)
        key = parse_uuid(instance_id)
        with self.uow.write() as tx:
            actor = resolve_actor(tx, user)
            if actor is not None and not actor.is_admin:
                raise NotAllowed("only administrators may retry incidents")
            row = tx.instances.get(key, for_update=True) if key else None
            if row is None:
                raise InstanceNotFound(f"no process instance {instance_id}")
            incidents = tx.incidents.open_for(row.id)
            if not incidents:
                raise Conflict(f"process instance {instance_id} has no open incident")
            tx.incidents.resolve([i.id for i in incidents], user, self.clock())
            record(tx, self.clock(), user, "instance.retry", "instance", row.id, {
                "incidents": [{"element_id": i.element_id, "message": i.message} for i in incidents],
                "variables": self.codec.to_plain(values)})
            stored = StoredInstance.from_row(row)
            failed = [uuid.UUID(i.task_id) for i in incidents if i.kind != "message" and i.task_id]
            if stored.workflow_state is not None:
                def rerun(model, execution, known):
                    if failed:
                        return self.runner.retry(model, stored.workflow_state, failed, values, execution, known)
                    return self.runner.fire_timers(model, stored.workflow_state, execution, known)
                self.instance_runner.advance(tx, replace(stored, state="waiting"), rerun)
            else:
                tx.instances.save(row.id, row.revision, {"state": "completed", "updated_at": self.clock()})
            self._redeliver(tx, [i for i in incidents if i.kind == "message"], row.id)
            row = tx.instances.get(row.id)
        return self._instance(row, [])

    def _redeliver(self, tx, incidents, instance_id) -> None:
        for incident in incidents:
            details = incident.details or {}
            sender = StoredInstance.from_row(tx.instances.get(instance_id, for_update=True))
            event = OutgoingEvent(details.get("kind", "message"), details["name"],
                                  self.codec.from_plain(details.get("payload") or {}),
                                  self.codec.from_plain(details.get("correlation") or {}))
            self.instance_runner.send(tx, sender, Step("waiting", None, {}, [], outgoing=[event]), depth=0)

    def incidents(self, instance_id: str | uuid.UUID, user: str | None = None) -> list[dict[str, Any]]:
        instance = self.instance(instance_id, user)            # visibility
        with self.uow.read() as tx:
            rows = tx.incidents.all_for(uuid.UUID(instance.id))
        return [{"id": r.id, "kind": r.kind, "element_id": r.element_id, "message": r.message,
                 "created_at": r.created_at, "resolved_at": r.resolved_at, "resolved_by": r.resolved_by}
                for r in rows]

    def suspend(self, instance_id: str | uuid.UUID, user: str | None = None) -> ProcessInstance:
        return self._set_suspended(instance_id, True, user)

    def resume(self, instance_id: str | uuid.UUID, user: str | None = None) -> ProcessInstance:
        return self._set_suspended(instance_id, False, user)

    def _set_suspended(self, instance_id, suspended: bool, user: str | None) -> ProcessInstance:
        key = parse_uuid(instance_id)
        with self.uow.write() as tx:
            actor = resolve_actor(tx, user)
            row = tx.instances.get(key, for_update=True) if key else None
            if row is None:
                raise InstanceNotFound(f"no process instance {instance_id}")
            if actor is not None and not actor.is_admin:
                raise NotAllowed(f"only administrators may {'suspend' if suspended else 'resume'} instances")
            if row.state not in ACTIVE_STATES:
                raise Conflict(f"process instance {instance_id} is {row.state}")
            if row.suspended != suspended:
                tx.instances.save(row.id, row.revision, {"suspended": suspended, "updated_at": self.clock()})
                record(tx, self.clock(), user, "instance.suspend" if suspended else "instance.resume", "instance",
                       row.id, {"process_key": row.process_key, "version": row.version})
            row = tx.instances.get(row.id)
        return self._instance(row, [])

    def _instance(self, row, history: list[dict[str, Any]], variables: dict[str, Any] | None = None
                  ) -> ProcessInstance:
        return ProcessInstance(str(row.id), row.process_key, row.version, row.state, row.business_key,
                               row.started_by, row.started_at, row.ended_at, row.suspended,
                               self.codec.from_plain(row.variables) if variables is None else variables,
                               list(row.active_elements), history)


def may_see_instance(tx, actor: Actor | None, row) -> bool:
    if actor is None or actor.is_admin or actor.name == row.started_by:
        return True
    return tx.tasks.involves(row.id, actor.name, actor.groups)


def _require_manager(actor: Actor | None, started_by: str | None, what: str) -> None:
    if actor is None or actor.is_admin or actor.name == started_by:
        return
    raise NotAllowed(f"only the user who started an instance or an administrator may {what} it")


def _entry(entry) -> dict[str, Any]:
    return {"element_id": entry.element_id, "name": entry.name, "type": entry.type, "started": entry.started,
            "ended": entry.ended, "user": entry.user, "changes": entry.changes}


def _entry_row(row) -> dict[str, Any]:
    return {"element_id": row.element_id, "name": row.element_name, "type": row.element_type,
            "started": row.started_at, "ended": row.ended_at, "user": row.user_name, "changes": row.changes}
