"""The work of people: listing, claiming, delegating and completing user tasks."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..engine.runner import TaskNotReady
from ..persistence.unit_of_work import Transaction, UnitOfWork
from .actor import Actor, resolve_actor
from .entity_registry import EntityRegistry
from .errors import Conflict, NotAllowed, TaskClaimed, TaskGone, TaskNotFound, UnknownUser, ValidationError
from .identifiers import parse_uuid
from .instance_runner import InstanceRunner, StoredInstance
from .notifications import NotificationService
from .process_instance import ProcessInstance
from .task_forms import TaskForms
from .task_record_filters import readable_entities, record_conditions
from .variables import checked_variables

SCOPES = ("mine", "group", "team", "all")
SORTS = ("created", "-created", "due", "-due", "priority", "-priority", "name")


@dataclass(frozen=True)
class Task:
    id: str
    instance_id: str
    process_key: str
    element_id: str
    name: str
    form: str | None
    state: str
    assignee: str | None
    candidate_groups: list[str]
    candidate_users: list[str]
    due: dt.datetime | None
    follow_up: dt.datetime | None
    priority: int
    created: dt.datetime
    completed: dt.datetime | None
    completed_by: str | None


@dataclass(frozen=True)
class TaskPage:
    tasks: list[Task]
    total: int


class HumanTaskService:
    def __init__(self, uow: UnitOfWork, instances: InstanceRunner, clock: Callable[[], dt.datetime],
                 forms: TaskForms | None = None, notices: NotificationService | None = None,
                 registry: EntityRegistry | None = None):
        self.uow = uow
        self.registry = registry
        self.forms = forms
        self.notices = notices
        self.instance_runner = instances
        self.runner = instances.runner
        self.codec = instances.codec
        self.clock = clock

    # -- reading -----------------------------------------------------------------------------
    def tasks(self, user: str | None = None, instance_id: str | uuid.UUID | None = None, open: bool = True,
              scope: str = "all", process_key: str | None = None, text: str | None = None,
              due_before: dt.datetime | None = None, sort: str = "created", page: int = 1,
              per_page: int | None = None, record_filters: Mapping[str, str] | None = None) -> TaskPage:
        """Tasks ``user`` may work on (assigned to them, or claimable as a candidate); every
        task for ``user=None`` (the system) and for administrators with ``scope='all'``;
        ``record_filters`` (``{"amount__gt": "100"}``): on the fields of the tasks' records."""
        if scope not in SCOPES:
            raise ValidationError({"scope": [f"must be one of {', '.join(SCOPES)}"]})
        if sort not in SORTS:
            raise ValidationError({"sort": [f"must be one of {', '.join(SORTS)}"]})
        instance_key = parse_uuid(instance_id) if instance_id is not None else None
        if instance_id is not None and instance_key is None:
            return TaskPage([], 0)
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
            records = None
            if record_filters and self.registry is not None:
                schema = self.registry.schema(tx)
                readable = readable_entities(schema, actor) if actor else set(schema.catalog.entities)
                records = record_conditions(schema, readable, record_filters)
            rows, total = tx.tasks.search(
                user=actor.name if actor else None, groups=actor.groups if actor else (), scope=scope,
                see_everything=bool(actor and actor.is_admin), instance_id=instance_key, open_only=open,
                process_key=process_key, text=text, due_before=due_before, sort=sort,
                offset=(page - 1) * (per_page or 0), limit=per_page, records=records)
        return TaskPage([task_from_row(row) for row in rows], total)

    def task(self, task_id: str | uuid.UUID, user: str | None = None) -> Task:
        key = _task_key(task_id)
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
            row = tx.tasks.get(key)
            if row is None:
                raise TaskNotFound(f"no task {task_id}")
            if actor is not None and not _may_see(actor, row):
                # Not yours to see: indistinguishable from a task that does not exist.
                raise TaskNotFound(f"no task {task_id}")
        return task_from_row(row)

    def task_form(self, task_id: str | uuid.UUID, user: str | None = None, locale: str = "en"
                  ) -> dict[str, Any] | None:
        """The rendered form of a task (``None`` without one), with its current values."""
        key = _task_key(task_id)
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
            row = tx.tasks.get(key)
            if row is None or (actor is not None and not _may_see(actor, row)):
                raise TaskNotFound(f"no task {task_id}")
            return self.forms.view(tx, row, locale, user) if self.forms is not None else None

    def form_conditions(self, task_id: str | uuid.UUID, data: dict[str, Any], user: str | None = None
                        ) -> dict[str, Any]:
        """Visible and required fields of the task's form for the values typed so far."""
        key = _task_key(task_id)
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
            row = tx.tasks.get(key)
            if row is None or (actor is not None and not _may_see(actor, row)):
                raise TaskNotFound(f"no task {task_id}")
            return self.forms.task_conditions(tx, row, data) if self.forms is not None else \
                {"sections": [], "fields": {}}

    # -- claiming and delegating --------------------------------------------------------------
    def claim(self, task_id: str | uuid.UUID, user: str) -> Task:
        key = _task_key(task_id)
        with self.uow.write() as tx:
            actor = _required_actor(tx, user)
            row = self._open_task(tx, key, task_id)
            if row.assignee == actor.name:
                return task_from_row(row)
            if row.assignee is not None:
                raise TaskClaimed(f"task {task_id} is claimed by {row.assignee}", row.assignee)
            if not (actor.is_admin or _is_candidate(actor, row)):
                raise NotAllowed(f"{actor.name} is not a candidate for task {task_id}")
            tx.tasks.set_assignee(key, actor.name, self.clock())
            row = tx.tasks.get(key)
        return task_from_row(row)

    def unclaim(self, task_id: str | uuid.UUID, user: str) -> Task:
        key = _task_key(task_id)
        with self.uow.write() as tx:
            actor = _required_actor(tx, user)
            row = self._open_task(tx, key, task_id)
            if row.assignee is None:
                return task_from_row(row)
            if row.assignee != actor.name and not actor.is_admin:
                raise TaskClaimed(f"task {task_id} is claimed by {row.assignee}", row.assignee)
            tx.tasks.set_assignee(key, None, self.clock())
            row = tx.tasks.get(key)
        return task_from_row(row)

    def assign(self, task_id: str | uuid.UUID, user: str | None, by: str | None = None) -> Task:
        """Give the task to ``user`` (``None`` releases it). ``by`` must hold the task, be a
        candidate of an unclaimed one, or be an administrator; ``None`` is the system."""
        key = _task_key(task_id)
        with self.uow.write() as tx:
            actor = resolve_actor(tx, by)
            row = self._open_task(tx, key, task_id)
            if actor is not None and not actor.is_admin and row.assignee != actor.name:
                if row.assignee is not None:
                    raise TaskClaimed(f"task {task_id} is claimed by {row.assignee}", row.assignee)
                if not _is_candidate(actor, row):
                    raise NotAllowed(f"{actor.name} may not assign task {task_id}")
            if user is not None and tx.accounts.user(user) is None:
                raise UnknownUser(f"unknown user {user!r}")
            tx.tasks.set_assignee(key, user, self.clock())
            if user is not None and self.notices is not None and user != row.assignee:
                self.notices.announce_assignment(tx, row, user, by)
            row = tx.tasks.get(key)
        return task_from_row(row)

    # -- completing ----------------------------------------------------------------------------
    def complete(self, task_id: str | uuid.UUID, data: dict[str, Any] | None = None,
                 user: str | None = None) -> ProcessInstance:
        """Finish a task with ``data`` and run the instance to its next wait state, in one
        transaction. Of two concurrent completions one succeeds; the other gets ``TaskGone``."""
        values = checked_variables(data, self.codec, "data")
        key = _task_key(task_id)
        with self.uow.write() as tx:
            row = tx.tasks.get_with_instance(key, for_update=True)
            if row is None:
                raise TaskNotFound(f"no task {task_id}")
            if row.state != "open":
                raise TaskGone(f"task {task_id} is already {row.state}")
            if row.suspended:
                raise Conflict(f"the process instance of task {task_id} is suspended")
            actor = resolve_actor(tx, user)
            if actor is not None:
                _check_may_complete(actor, row, task_id)
            stored = StoredInstance.from_row(row, id_column="instance_id", state_column="instance_state")
            if self.forms is not None:
                values = self.forms.submit(tx, row, values, user)
            now = self.clock()
            if not tx.tasks.finish(key, user, now):
                raise TaskGone(f"task {task_id} was completed by someone else")
            try:
                step = self.instance_runner.advance(tx, stored, lambda model, execution, known: self.runner.complete_user_task(
                    model, stored.workflow_state, key, values, user, execution, known), finished_task=key)
            except TaskNotReady:
                raise TaskGone(f"task {task_id} is no longer waiting") from None
        state = "failed" if step.incidents else step.status
        return ProcessInstance(str(row.instance_id), row.process_key, row.version, state, row.business_key,
                               row.started_by, row.started_at, now if state == "completed" else None, False,
                               step.variables, step.active_elements,
                               [{"element_id": h.element_id, "name": h.name, "type": h.type, "started": h.started,
                                 "ended": h.ended, "user": h.user} for h in step.history])

    def _open_task(self, tx: Transaction, key: uuid.UUID, task_id) -> Any:
        row = tx.tasks.get(key, for_update=True)
        if row is None:
            raise TaskNotFound(f"no task {task_id}")
        if row.state != "open":
            raise TaskGone(f"task {task_id} is already {row.state}")
        if row.suspended:
            raise Conflict(f"the process instance of task {task_id} is suspended")
        return row


def _check_may_complete(actor: Actor, row, task_id) -> None:
    if row.assignee is not None and row.assignee != actor.name and not actor.is_admin:
        raise TaskClaimed(f"task {task_id} is claimed by {row.assignee}", row.assignee)
    if row.assignee is None and not (actor.is_admin or _is_candidate(actor, row)):
        raise NotAllowed(f"{actor.name} is not a candidate for task {task_id}")


def _candidates(row) -> tuple[list[str], list[str]]:
    return list(row.candidate_groups or []), list(row.candidate_users or [])


def _is_candidate(actor: Actor, row) -> bool:
    groups, users = _candidates(row)
    if not groups and not users:
        return True       # nobody named: open to everyone
    return actor.name in users or any(group in actor.groups for group in groups)


def _may_see(actor: Actor, row) -> bool:
    return actor.is_admin or row.assignee == actor.name or _is_candidate(actor, row) \
        or (row.state != "open" and row.completed_by == actor.name)


def _required_actor(tx: Transaction, user: str | None) -> Actor:
    if user is None:
        raise ValidationError({"user": ["a user is required"]})
    actor = resolve_actor(tx, user)
    assert actor is not None
    return actor


def _task_key(task_id) -> uuid.UUID:
    key = parse_uuid(task_id)
    if key is None:
        raise TaskNotFound(f"no task {task_id}")
    return key


def task_from_row(row) -> Task:
    return Task(str(row.id), str(row.instance_id), row.process_key, row.element_id, row.name, row.form_key,
                row.state, row.assignee, list(row.candidate_groups or []), list(row.candidate_users or []),
                row.due_at, row.follow_up_at, row.priority, row.created_at, row.completed_at, row.completed_by)
