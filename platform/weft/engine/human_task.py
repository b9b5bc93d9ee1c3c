"""What a ready user task asks of people: who may do it, by when, with which form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from .errors import ProcessError
from .iso8601 import Iso8601Error, resolve_moment
from .specs import WeftUserTask

DEFAULT_PRIORITY = 50


@dataclass(frozen=True)
class UserTaskInfo:
    id: UUID
    element_id: str
    name: str
    form_key: str | None
    assignee: str | None
    candidate_groups: tuple[str, ...]
    candidate_users: tuple[str, ...]
    due: dt.datetime | None
    follow_up: dt.datetime | None
    priority: int
    lane: str | None


def describe_user_task(task, script_engine, now: dt.datetime, starter: str | None) -> UserTaskInfo:
    """Evaluate the Camunda attributes of a ready user task against its data.

    Without candidates, an assignee is the only candidate; without an assignee either, the
    lane name is the candidate group; without a lane, the user who started the instance is the
    candidate (their own follow-up work reaches them), and a task of an instance started by
    the system is open to everyone.
    """
    spec = task.task_spec
    element_id = getattr(spec, "bpmn_id", None) or spec.name
    assignment = getattr(spec, "assignment", None)
    lane = getattr(spec, "lane", None)

    def value(text: str | None, what: str) -> Any:
        if text is None:
            return None
        try:
            return script_engine.evaluate_value(task, text)
        except Exception as exc:  # noqa: BLE001
            raise ProcessError(f"cannot evaluate {what} {text!r}: {exc}", element_id) from None

    assignee = _single(value(assignment.assignee, "camunda:assignee")) if assignment else None
    groups = _names(value(assignment.candidate_groups, "camunda:candidateGroups")) if assignment else ()
    users = _names(value(assignment.candidate_users, "camunda:candidateUsers")) if assignment else ()
    if not groups and not users:
        if assignee:
            users = (assignee,)        # may claim it back after releasing it
        elif lane:
            groups = (lane.strip(),)
        elif starter:
            users = (starter,)
    return UserTaskInfo(
        id=task.id,
        element_id=element_id,
        name=getattr(spec, "bpmn_name", None) or element_id,
        form_key=_form_key(spec),
        assignee=assignee,
        candidate_groups=groups,
        candidate_users=users,
        due=_moment(value(assignment.due_date, "camunda:dueDate") if assignment else None, now, element_id),
        follow_up=_moment(value(assignment.follow_up_date, "camunda:followUpDate") if assignment else None,
                          now, element_id),
        priority=_priority(value(assignment.priority, "camunda:priority") if assignment else None, element_id),
        lane=lane,
    )


def _form_key(spec) -> str | None:
    if isinstance(spec, WeftUserTask) and spec.form is not None and spec.form.key:
        return str(spec.form.key)
    return None


def _single(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value).strip() or None


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    names = []
    for item in items:
        name = str(item).strip()
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _moment(value: Any, now: dt.datetime, element_id: str) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    try:
        return resolve_moment(str(value), now)
    except Iso8601Error as exc:
        raise ProcessError(f"camunda:dueDate: {exc}", element_id) from None


def _priority(value: Any, element_id: str) -> int:
    if value is None or value == "":
        return DEFAULT_PRIORITY
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ProcessError(f"camunda:priority must be an integer, got {value!r}", element_id) from None
