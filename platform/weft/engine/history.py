"""Recording executed elements as they complete (the task tree forgets them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask

from .implicit_splits import SUFFIX as SPLIT_SUFFIX
from .model import ProcessModel

STARTED_KEY = "weft_started"
MAX_CHANGES = 40            # variables recorded per element
MAX_VALUE_CHARS = 400       # longer values are recorded as "…"
MISSING = object()


@dataclass(frozen=True)
class HistoryEntry:
    element_id: str
    name: str | None
    type: str
    started: dt.datetime
    ended: dt.datetime
    user: str | None
    changes: dict[str, list[Any]] | None = None     # variable -> [before, after]


class HistoryRecorder:
    """Observer of one engine run: stamps start times and collects completed elements.

    Loop and multi-instance containers are not recorded: each of their iterations is.
    """

    def __init__(self, model: ProcessModel, clock: Callable[[], dt.datetime],
                 to_plain: Callable[[Any], Any] = lambda value: value):
        self.model = model
        self.clock = clock
        self.to_plain = to_plain
        self.entries: list[HistoryEntry] = []
        self.actor: str | None = None

    def task_starting(self, task) -> None:
        if STARTED_KEY not in task.internal_data and _element_id(task) is not None:
            task.internal_data[STARTED_KEY] = self.clock().isoformat()

    def task_completed(self, task) -> None:
        element_id = _element_id(task)
        if element_id is None:
            return
        ended = self.clock()
        started_text = task.internal_data.get(STARTED_KEY)
        started = dt.datetime.fromisoformat(started_text) if started_text else ended
        info = self.model.element(element_id)
        user = self.actor if task.task_spec.manual else None
        self.entries.append(HistoryEntry(element_id, task.task_spec.bpmn_name or info.name, info.type,
                                         started, ended, user, self._changes(task)))

    def _changes(self, task) -> dict[str, list[Any]] | None:
        """The variables the element set or changed: its data against the data it started with."""
        before = task.parent.data if task.parent is not None else {}
        changes: dict[str, list[Any]] = {}
        for name, value in task.data.items():
            old = before.get(name, MISSING)
            try:
                same = old is not MISSING and old == value
            except Exception:  # noqa: BLE001 - values that cannot be compared count as changed
                same = False
            if same or name == "data_objects":
                continue
            changes[name] = [None if old is MISSING else self._plain(old), self._plain(value)]
            if len(changes) >= MAX_CHANGES:
                break
        return changes or None

    def _plain(self, value: Any) -> Any:
        plain = self.to_plain(value)
        return plain if len(repr(plain)) <= MAX_VALUE_CHARS else "…"

    def stamp(self, tasks) -> None:
        """Give a start time to every task that is now waiting for something."""
        now = None
        for task in tasks:
            if STARTED_KEY not in task.internal_data and _element_id(task) is not None:
                now = now or self.clock().isoformat()
                task.internal_data[STARTED_KEY] = now


def _element_id(task) -> str | None:
    """The BPMN element a task ran, or ``None`` for what the diagram does not show (loop
    bookkeeping, the gateways that stand for an activity's several outgoing flows)."""
    spec = task.task_spec
    if isinstance(spec, LoopTask):
        return None
    element_id = getattr(spec, "bpmn_id", None)
    if element_id is not None and element_id.endswith(SPLIT_SUFFIX):
        return None
    return element_id
