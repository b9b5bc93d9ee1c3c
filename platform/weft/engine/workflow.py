"""SpiffWorkflow's BPMN workflow, extended so that every executed element is reported to an
observer (the history lives outside the task tree), the tree stays small while running,
timers use the platform's clock, asynchronous tasks wait for the job executor, and thrown
events that leave the instance are collected for the platform to deliver."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import SignalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from .connectors import ConnectorRuntime
from .events import StartTrigger
from .pruning import prune
from .tree import task_count

# Prune inside a long engine run once the trees hold this many tasks. Keeps every step's cost
# flat and stays far below SpiffWorkflow's task-iterator depth limit of 1000.
PRUNE_THRESHOLD = 200
ASYNC_KEY = "weft_async"


def tasks_in_state(workflow, state: int, into_subprocesses: bool) -> list:
    """The tasks in ``state``, in the depth-first order SpiffWorkflow's task iterator uses
    (not descending below predicted tasks, entering subprocesses first).

    Usually zero or one task qualifies and no subprocess runs: then a scan of the task table
    answers without walking the tree.
    """
    subprocesses = workflow.top_workflow.subprocesses if into_subprocesses else {}
    if not subprocesses:
        found = [task for task in workflow.tasks.values() if task._state == state]
        if len(found) <= 1:
            return found
    found = []
    stack = [workflow.task_tree]
    while stack:
        task = stack.pop()
        if task._state == state:
            found.append(task)
        subprocess = subprocesses.get(task.id)
        if subprocess is None:
            if task._children and task._state >= TaskState.FUTURE:
                tasks = task.workflow.tasks
                stack.extend(tasks[child] for child in reversed(task._children) if child in tasks)
            continue
        tasks = task.workflow.tasks
        stack.extend(tasks[child] for child in reversed(task._children) if child in tasks)
        stack.append(subprocess.task_tree)
    return found


def update_waiting(workflow) -> None:
    """``Workflow.update_waiting_tasks`` without its generic iterator (same order)."""
    for task in tasks_in_state(workflow, TaskState.WAITING, into_subprocesses=False):
        if task._state == TaskState.WAITING:
            task.task_spec._update(task)


def waits_for_job(task) -> bool:
    """A ready ``camunda:asyncBefore`` task that the job executor has not taken up yet."""
    return bool(getattr(task.task_spec, "async_before", False)) and task.internal_data.get(ASYNC_KEY) != "released"


class ExecutionObserver(Protocol):
    def task_completed(self, task) -> None: ...


class WeftWorkflow(BpmnWorkflow):
    """The top-level workflow of one process instance.

    ``clock``, ``connectors``, ``observer`` and ``start_trigger`` are set by the runner for
    one run and never serialized.
    """

    observer: ExecutionObserver | None = None
    connectors: ConnectorRuntime | None = None
    start_trigger: StartTrigger | None = None

    def __init__(self, *args, clock: Callable[[], dt.datetime] | None = None, **kwargs):
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.outgoing: list = []
        super().__init__(*args, **kwargs)

    def create_subprocess(self, my_task, spec_name):
        subprocess = WeftSubWorkflow(self.subprocess_specs[spec_name], parent_task_id=my_task.id, top_workflow=self)
        self.subprocesses[my_task.id] = subprocess
        return subprocess

    def _task_completed_notify(self, task):
        if self.observer is not None:
            self.observer.task_completed(task)
        super()._task_completed_notify(task)

    def catch(self, event):
        """Signals are broadcast: caught here and also handed out to every other instance.
        Messages nobody here catches leave the instance (SpiffWorkflow's rule)."""
        if isinstance(event.event_definition, SignalEventDefinition) and event.target is None:
            self.outgoing.append(event)
            self.event_manager.catch(event, internal=False)
        else:
            self.event_manager.catch(event)
        self.outgoing.extend(self.get_events())

    def deliver(self, event) -> int:
        """An event from outside: caught by whatever waits for it here, never sent back out."""
        return self.event_manager.catch(event, internal=False)

    def do_engine_steps(self, will_complete_task=None, did_complete_task=None):
        while True:
            while self._do_engine_steps(will_complete_task, did_complete_task):
                pass
            if not self.refresh_timers():
                break

    def refresh_timers(self) -> bool:
        """Let due timers fire; True when one did (so the engine runs on at once, instead of
        SpiffWorkflow's refresh that comes only after the run has ended)."""
        fired = False
        for task in list(self.event_manager.tasks.values()):
            definition = task.task_spec.event_definition
            if isinstance(definition, (TimerEventDefinition, MultipleEventDefinition)):
                before = (task._state, len(task._children))
                task.task_spec._update(task)
                fired = fired or (task._state, len(task._children)) != before
        return fired

    def _do_engine_steps(self, will_complete_task=None, did_complete_task=None):
        """One pass over every workflow, as SpiffWorkflow does, pruning between passes."""
        active = self.get_active_subprocesses()
        for subprocess in sorted(active, key=lambda sp: sp.depth, reverse=True):
            while self._run_ready(subprocess, will_complete_task, did_complete_task):
                self._prune_if_large()
            if subprocess.parent_task_id is not None:
                task = self.get_task_from_id(subprocess.parent_task_id)
                task.task_spec._update(task)
        count = self._run_ready(self, will_complete_task, did_complete_task)
        self._prune_if_large()
        return count > 0 or len(self.get_active_subprocesses()) > len(active)

    @staticmethod
    def _run_ready(workflow, will_complete_task, did_complete_task) -> int:
        count = 0
        for task in tasks_in_state(workflow, TaskState.READY, into_subprocesses=True):
            if task.task_spec.manual or not task.has_state(TaskState.READY) or waits_for_job(task):
                continue
            if will_complete_task is not None:
                will_complete_task(task)
            task.run()
            count += 1
            if did_complete_task is not None:
                did_complete_task(task)
        return count

    def _prune_if_large(self) -> None:
        if task_count(self) > PRUNE_THRESHOLD:
            prune(self)

    def update_waiting_tasks(self) -> None:
        update_waiting(self)


class WeftSubWorkflow(BpmnSubWorkflow):
    """An embedded subprocess or called process inside an instance."""

    def update_waiting_tasks(self) -> None:
        update_waiting(self)

    def _task_completed_notify(self, task):
        observer = self.top_workflow.observer
        if observer is not None:
            observer.task_completed(task)
        super()._task_completed_notify(task)
