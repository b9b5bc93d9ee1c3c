"""Running instances against the database: the engine's steps, stored; what they send, delivered.

Every use case that moves an instance (start, complete a task, fire a timer, deliver a message
or signal, run a job, retry) goes through here, inside the caller's transaction, with the
instance row locked.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..engine import ProcessModel, ProcessRunner, Step
from ..engine.connectors import Execution
from ..engine.events import StartTrigger
from ..engine.state_codec import StateCodec
from ..persistence.unit_of_work import Transaction
from .deployment import DeploymentService
from .errors import Conflict, NotFound

ENDED_STATES = ("completed", "terminated")
MAX_EVENT_DEPTH = 8

Action = Callable[[ProcessModel, Execution, set[uuid.UUID]], Step]
# Services connectors may use inside a step, bound to its transaction: name -> factory.
StepServices = Callable[[Transaction], Mapping[str, Callable[[], Any]]]
# The record each new user task's form works on: (transaction, tasks, variables) -> {task id: (entity, id)}.
TaskBindings = Callable[[Transaction, Any, dict[str, Any]], dict[uuid.UUID, tuple[str, int]]]


class MessageNotCorrelated(NotFound):
    """No waiting catch and no message start event matched the message."""


class MessageAmbiguous(Conflict):
    """Several instances wait for the message with matching correlation values."""


@dataclass(frozen=True)
class StoredInstance:
    """The instance row fields a step needs (the row is locked by the caller)."""

    id: uuid.UUID
    definition_id: int
    process_key: str
    business_key: str | None
    started_by: str | None
    revision: int
    state: str
    workflow_state: str | None
    open_task_ids: tuple[uuid.UUID, ...]
    waiting: tuple[dict[str, Any], ...]

    @classmethod
    def from_row(cls, row, id_column: str = "id", state_column: str = "state") -> StoredInstance:
        return cls(getattr(row, id_column), row.definition_id, row.process_key, row.business_key, row.started_by,
                   row.revision, getattr(row, state_column), row.workflow_state,
                   tuple(uuid.UUID(value) for value in row.open_task_ids or ()), tuple(row.waiting or ()))

    @property
    def execution(self) -> Execution:
        return Execution(str(self.id), self.process_key, self.started_by)


class InstanceRunner:
    def __init__(self, runner: ProcessRunner, deployments: DeploymentService, clock: Callable[[], dt.datetime],
                 mail_sender: str | None = None, services: StepServices | None = None,
                 bindings: TaskBindings | None = None):
        self.runner = runner
        self.services = services
        self.bindings = bindings
        self.deployments = deployments
        self.codec: StateCodec = runner.codec
        self.clock = clock
        self.mail_sender = mail_sender

    # -- starting and advancing ---------------------------------------------------------------
    def start(self, tx: Transaction, definition, variables: dict[str, Any], business_key: str | None,
              user: str | None, trigger: StartTrigger | None = None, depth: int = 0) -> tuple[StoredInstance, Step]:
        """Start an instance of ``definition``; returns the instance as stored (its ``state``
        includes incidents from undeliverable messages) and the step it ran."""
        model = self.deployments.model(tx, definition.id)
        instance_id = uuid.uuid4()
        execution = Execution(str(instance_id), definition.key, user, self._services(tx))
        step = self.runner.start(model, variables, execution, trigger)
        now = self.clock()
        stored = StoredInstance(instance_id, definition.id, definition.key, business_key, user, 1, step.status,
                                None, (), ())
        tx.instances.add({
            "id": instance_id, "definition_id": definition.id, "process_key": definition.key,
            "business_key": business_key, "started_by": user, "started_at": now, "suspended": False, "revision": 1,
            **self._values(step, now), "waiting": self._waiting(step)})
        self._write_effects(tx, stored, step, now, None)
        self._sync_waits(tx, stored, step, now)
        stored = self.send(tx, replace(stored, state="failed" if step.incidents else step.status), step, depth)
        return stored, step

    def advance(self, tx: Transaction, stored: StoredInstance, action: Action, finished_task: uuid.UUID | None = None,
                depth: int = 0, incident_kind: str = "element") -> Step:
        model = self.deployments.model(tx, stored.definition_id)
        step = action(model, replace(stored.execution, services=self._services(tx)), set(stored.open_task_ids))
        stored = self.store(tx, stored, step, finished_task, incident_kind)
        self.send(tx, stored, step, depth)
        return step

    def _services(self, tx: Transaction) -> Mapping[str, Callable[[], Any]]:
        return self.services(tx) if self.services is not None else {}

    def store(self, tx: Transaction, stored: StoredInstance, step: Step, finished_task: uuid.UUID | None = None,
              incident_kind: str = "element") -> StoredInstance:
        now = self.clock()
        still_open = set(step.open_tasks)
        vanished = [t for t in stored.open_task_ids if t not in still_open and t != finished_task]
        tx.tasks.cancel(vanished, now)
        self._write_effects(tx, stored, step, now, incident_kind)
        self._sync_waits(tx, stored, step, now)
        values = self._values(step, now)
        if values["state"] != "failed" and stored.state == "failed" and tx.incidents.count_open(stored.id):
            values["state"] = "failed"
        values["waiting"] = self._waiting(step)
        tx.instances.save(stored.id, stored.revision, values)
        return replace(stored, revision=stored.revision + 1, state=values["state"])

    def _values(self, step: Step, now: dt.datetime) -> dict[str, Any]:
        state = "failed" if step.incidents else step.status
        return {
            "state": state,
            "variables": self.codec.to_plain(step.variables),
            "active_elements": step.active_elements,
            "open_task_ids": [str(task_id) for task_id in step.open_tasks],
            "workflow_state": step.state,
            "ended_at": now if state in ENDED_STATES else None,
            "updated_at": now,
        }

    def _write_effects(self, tx: Transaction, stored: StoredInstance, step: Step, now: dt.datetime,
                       incident_kind: str | None) -> None:
        bound = self.bindings(tx, step.new_user_tasks, step.variables) if self.bindings and step.new_user_tasks \
            else {}
        tx.tasks.add(stored.id, stored.process_key, step.new_user_tasks, now, bound)
        tx.instances.add_history(stored.id, step.history)
        tx.outbox.add(stored.id, step.outbox, now, self.mail_sender)
        tx.incidents.add([{"instance_id": stored.id, "kind": incident_kind or "element", "element_id": i.element_id,
                           "task_id": i.task_id, "message": i.message, "details": None, "created_at": now}
                          for i in step.incidents])

    # -- what the instance waits for ---------------------------------------------------------
    @staticmethod
    def _waiting(step: Step) -> list[dict[str, Any]]:
        waits = [{"kind": w.kind, "task": w.task_id, "element": w.element_id, "name": w.name,
                  "due": w.due.isoformat() if w.due else None} for w in step.waits]
        waits += [{"kind": "job", "task": j.task_id, "element": j.element_id, "name": j.retry_cycle, "due": None}
                  for j in step.jobs]
        return waits

    def _sync_waits(self, tx: Transaction, stored: StoredInstance, step: Step, now: dt.datetime) -> None:
        """Make jobs and subscriptions match what the instance now waits for, touching only changes."""
        desired = {_wait_key(w): w for w in self._waiting(step)}
        current = {_wait_key(w): w for w in stored.waiting}
        if desired.keys() == current.keys():
            return
        removed = [current[k] for k in current.keys() - desired.keys()]
        added = [desired[k] for k in desired.keys() - current.keys()]
        timers = {w["task"] for w in removed if w["kind"] == "timer"}
        asyncs = {w["task"] for w in removed if w["kind"] == "job"}
        events = {w["task"] for w in removed if w["kind"] in ("message", "signal")}
        if timers:
            tx.jobs.delete_for_instance_tasks(stored.id, "timer", timers)
            added += [w for w in desired.values() if w["kind"] == "timer" and w["task"] in timers and w not in added]
        if asyncs:
            tx.jobs.delete_for_instance_tasks(stored.id, "async", asyncs)
        if events:
            tx.subscriptions.delete_for_instance_tasks(stored.id, events)
            added += [w for w in desired.values() if w["kind"] in ("message", "signal") and w["task"] in events
                      and w not in added]
        tx.jobs.add([self._job_row(stored, w, now) for w in added if w["kind"] in ("timer", "job")])
        tx.subscriptions.add([{"instance_id": stored.id, "kind": w["kind"], "name": w["name"], "task_id": w["task"],
                               "element_id": w["element"], "created_at": now}
                              for w in added if w["kind"] in ("message", "signal")])

    @staticmethod
    def _job_row(stored: StoredInstance, wait: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
        if wait["kind"] == "timer":
            return {"kind": "timer", "instance_id": stored.id, "definition_id": None, "task_id": wait["task"],
                    "element_id": wait["element"], "name": wait["name"], "due_at": dt.datetime.fromisoformat(wait["due"]),
                    "retries": 0, "attempts": 0, "payload": None, "created_at": now}
        retries, _interval = retry_policy(wait["name"])
        return {"kind": "async", "instance_id": stored.id, "definition_id": None, "task_id": wait["task"],
                "element_id": wait["element"], "name": None, "due_at": now, "retries": retries, "attempts": 0,
                "payload": {"retry_cycle": wait["name"]}, "created_at": now}

    # -- sending events -------------------------------------------------------------------------
    def send(self, tx: Transaction, sender: StoredInstance, step: Step, depth: int) -> StoredInstance:
        """Deliver what a step threw; returns the sender as stored afterwards."""
        for event in step.outgoing:
            if depth + 1 > MAX_EVENT_DEPTH:
                sender = self._message_incident(tx, sender, event,
                                                f"events passed on more than {MAX_EVENT_DEPTH} times")
                continue
            if event.kind == "signal":
                self.broadcast(tx, event.name, event.payload, depth + 1, exclude=sender.id)
                continue
            try:
                self.correlate(tx, event.name, event.correlation, event.payload, depth + 1, user=None)
            except (MessageNotCorrelated, MessageAmbiguous) as exc:
                sender = self._message_incident(tx, sender, event, str(exc))
        return sender

    def _message_incident(self, tx: Transaction, sender: StoredInstance, event, reason: str) -> StoredInstance:
        now = self.clock()
        tx.incidents.add([{"instance_id": sender.id, "kind": "message", "element_id": None, "task_id": None,
                           "message": f"message {event.name!r} could not be delivered: {reason}",
                           "details": {"kind": event.kind, "name": event.name,
                                       "correlation": self.codec.to_plain(event.correlation),
                                       "payload": self.codec.to_plain(event.payload)},
                           "created_at": now}])
        tx.instances.save(sender.id, sender.revision, {"state": "failed", "ended_at": None, "updated_at": now})
        return replace(sender, revision=sender.revision + 1, state="failed")

    def correlate(self, tx: Transaction, name: str, correlation: dict[str, Any], variables: dict[str, Any],
                  depth: int = 0, user: str | None = None) -> list[str]:
        """Deliver to the one waiting catch whose instance matches every correlation value, or
        start the process whose message start event has this name."""
        wanted = self.codec.to_plain(correlation)
        matches: dict[uuid.UUID, Any] = {}
        for subscription in tx.subscriptions.waiting("message", name):
            if not subscription.suspended and _correlates(subscription, wanted):
                matches.setdefault(subscription.instance_id, subscription)
        if len(matches) > 1:
            raise MessageAmbiguous(f"message {name!r} matches {len(matches)} waiting instances; "
                                   "add correlation keys to pick one")
        if matches:
            [subscription] = matches.values()
            row = tx.instances.get(subscription.instance_id, for_update=True)
            stored = StoredInstance.from_row(row)
            task_id = uuid.UUID(subscription.task_id)
            self.advance(tx, stored, lambda model, execution, known: self.runner.deliver(
                model, stored.workflow_state, "message", name, variables, task_id, execution, known), depth=depth)
            return [str(stored.id)]
        definition = self._started_by(tx, "message", name)
        if not definition:
            raise MessageNotCorrelated(f"no instance waits for message {name!r} with "
                                       f"{_describe(correlation)} and no process starts with it")
        business_key = correlation.get("business_key")
        start_variables = {k: v for k, v in correlation.items() if k != "business_key"} | dict(variables)
        started, _step = self.start(tx, definition[0], start_variables, business_key, user,
                                    StartTrigger("message", name, {}), depth)
        return [str(started.id)]

    def broadcast(self, tx: Transaction, name: str, variables: dict[str, Any], depth: int = 0,
                  exclude: uuid.UUID | None = None, user: str | None = None) -> list[str]:
        """Deliver a signal to every instance waiting for it and start every process it starts."""
        reached = []
        targets = sorted({s.instance_id for s in tx.subscriptions.waiting("signal", name)
                          if not s.suspended and s.instance_id != exclude}, key=str)
        for instance_id in targets:
            row = tx.instances.get(instance_id, for_update=True)
            stored = StoredInstance.from_row(row)
            if not any(w["kind"] == "signal" and w["name"] == name for w in stored.waiting):
                continue
            self.advance(tx, stored, _signal_delivery(self.runner, stored, name, variables), depth=depth)
            reached.append(str(instance_id))
        for definition in self._started_by(tx, "signal", name):
            started, _step = self.start(tx, definition, dict(variables), None, user,
                                        StartTrigger("signal", name, {}), depth)
            reached.append(str(started.id))
        return reached

    @staticmethod
    def _started_by(tx: Transaction, kind: str, name: str) -> list:
        return [row for row in tx.deployments.latest_definitions()
                if any(e.get("kind") == kind and e.get("name") == name for e in row.start_events or ())]


def _signal_delivery(runner: ProcessRunner, stored: StoredInstance, name: str, variables: dict[str, Any]) -> Action:
    def deliver(model: ProcessModel, execution: Execution, known: set[uuid.UUID]) -> Step:
        return runner.deliver(model, stored.workflow_state, "signal", name, variables, None, execution, known)
    return deliver


def retry_policy(cycle: str | None) -> tuple[int, float | None]:
    """Retries and the pause between them from ``camunda:failedJobRetryTimeCycle`` (``R5/PT1M``);
    the default is 3 retries with growing pauses (``None``)."""
    from ..engine.iso8601 import Iso8601Error, parse_duration

    if not cycle:
        return 3, None
    parts = cycle.strip().upper().split("/")
    try:
        retries = int(parts[0][1:] or 3) if parts[0].startswith("R") else 3
        interval = parse_duration(parts[1]).delta.total_seconds() if len(parts) > 1 else None
    except (ValueError, Iso8601Error):
        return 3, None
    return retries, interval


def _wait_key(wait: dict[str, Any]) -> tuple:
    if wait["kind"] == "timer":
        return ("timer", wait["task"], wait["name"], wait["due"])
    return (wait["kind"], wait["task"], wait["name"] if wait["kind"] != "job" else None)


def _correlates(subscription, wanted: dict[str, Any]) -> bool:
    variables = subscription.variables or {}
    for key, value in wanted.items():
        if key == "business_key":
            if subscription.business_key != value:
                return False
        elif key not in variables or variables[key] != value:
            return False
    return True


def _describe(correlation: dict[str, Any]) -> str:
    if not correlation:
        return "no correlation keys"
    return ", ".join(f"{key}={value!r}" for key, value in correlation.items())
