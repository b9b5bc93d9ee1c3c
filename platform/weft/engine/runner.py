"""Running process instances: from one wait state to the next, in memory, in one go.

The runner is pure: it takes a model and a stored state, performs one action (start,
complete a task, fire timers, deliver an event, run a job, retry, cancel), runs the engine to
the next wait state and returns a ``Step``: new state, variables, executed elements, ready
user tasks, what the instance now waits for, events and mail to send, and incidents. The
caller persists it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.util.task import TaskState

from .connectors import ConnectorRegistry, ConnectorRuntime, Execution, Mail
from .errors import ProcessError
from .events import StartTrigger, Wait, WeftMessage, WeftSignal, starts_by_hand, waits_of
from .history import HistoryEntry, HistoryRecorder
from .human_task import UserTaskInfo, describe_user_task
from .migration import MigrationProblem, migration_problems, rebind
from .model import ProcessModel
from .pruning import prune
from .sandbox import Sandbox
from .script_engine import WeftScriptEngine
from .state_codec import StateCodec
from .tree import all_tasks, find_task
from .workflow import ASYNC_KEY, WeftWorkflow, waits_for_job

LIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
MAX_INCIDENTS_PER_RUN = 20


class TaskNotReady(ProcessError):
    """The task does not exist in this instance or cannot be completed now."""


class NotStartable(ProcessError):
    """The process has only message or signal start events."""


class MigrationRefused(ProcessError):
    """The instance cannot move to the other version; ``problems`` say which element and why."""

    def __init__(self, message: str, problems: list[MigrationProblem], process: str | None = None):
        self.problems = problems
        super().__init__(message, element=problems[0].element_id if problems else None, process=process)


@dataclass(frozen=True)
class Incident:
    element_id: str
    task_id: str | None
    message: str


@dataclass(frozen=True)
class AsyncJob:
    task_id: str
    element_id: str
    retry_cycle: str | None


@dataclass(frozen=True)
class OutgoingEvent:
    kind: str                          # "message" or "signal"
    name: str
    payload: dict[str, Any]
    correlation: dict[str, Any]


@dataclass
class Step:
    """Where an instance stands after a run, and what the run did."""

    status: str                        # running, waiting, completed, terminated or failed
    state: str | None                  # serialized workflow; None once ended
    variables: dict[str, Any]
    active_elements: list[str]
    history: list[HistoryEntry] = field(default_factory=list)
    open_tasks: list[UUID] = field(default_factory=list)              # every ready user task
    new_user_tasks: list[UserTaskInfo] = field(default_factory=list)  # those not known before
    waits: list[Wait] = field(default_factory=list)                   # timers, messages, signals
    jobs: list[AsyncJob] = field(default_factory=list)                # asyncBefore tasks due now
    outgoing: list[OutgoingEvent] = field(default_factory=list)
    outbox: list[Mail] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)


class ProcessRunner:
    def __init__(self, sandbox: Sandbox, clock: Callable[[], dt.datetime],
                 connectors: ConnectorRegistry | None = None):
        self.script_engine = WeftScriptEngine(sandbox)
        self.codec = StateCodec()
        self.clock = clock
        self.connectors = connectors or ConnectorRegistry()

    # -- actions -------------------------------------------------------------------------------
    def start(self, model: ProcessModel, variables: dict[str, Any], execution: Execution,
              trigger: StartTrigger | None = None) -> Step:
        if trigger is None and not starts_by_hand(model.spec):
            raise NotStartable(f"process {model.key!r} starts only by a message or signal", process=model.key)

        def begin(workflow: WeftWorkflow, recorder: HistoryRecorder) -> None:
            workflow.task_tree.data.update(variables)
            workflow.start_trigger = trigger

        return self._run(model, None, execution, set(), begin, action_starts=True)

    def complete_user_task(self, model: ProcessModel, state: str | None, task_id: UUID, data: dict[str, Any],
                           actor: str | None, execution: Execution, known: set[UUID]) -> Step:
        def complete(workflow: WeftWorkflow, recorder: HistoryRecorder) -> None:
            task = find_task(workflow, task_id)
            if task is None or not task.has_state(TaskState.READY) or not task.task_spec.manual:
                raise TaskNotReady(f"task {task_id} is not waiting for completion", process=model.key)
            task.data.update(data)
            recorder.actor = actor
            try:
                task.run()
            finally:
                recorder.actor = None

        return self._run(model, state, execution, known, complete)

    def fire_timers(self, model: ProcessModel, state: str | None, execution: Execution, known: set[UUID]) -> Step:
        """Let every timer of the instance that is due at the clock's time fire."""
        return self._run(model, state, execution, known, lambda workflow, recorder: workflow.refresh_timers())

    def deliver(self, model: ProcessModel, state: str | None, kind: str, name: str, payload: dict[str, Any],
                task_id: UUID | None, execution: Execution, known: set[UUID]) -> Step:
        """A message to one waiting task, or a signal to every task of the instance waiting for it."""
        definition = WeftMessage(name) if kind == "message" else WeftSignal(name)
        event = BpmnEvent(definition, payload=dict(payload))

        def deliver(workflow: WeftWorkflow, recorder: HistoryRecorder) -> None:
            if task_id is None:
                workflow.deliver(event)
                return
            task = find_task(workflow, task_id)
            if task is None or not task.has_state(TaskState.WAITING) or not task.task_spec.catches(task, event):
                raise TaskNotReady(f"task {task_id} is not waiting for {kind} {name!r}", process=model.key)
            task.task_spec.catch(task, event)
            task.task_spec._update(task)

        return self._run(model, state, execution, known, deliver)

    def run_job(self, model: ProcessModel, state: str | None, task_id: UUID, execution: Execution,
                known: set[UUID]) -> Step:
        """Run an ``asyncBefore`` task the job executor has taken up."""
        def release(workflow: WeftWorkflow, recorder: HistoryRecorder) -> None:
            task = find_task(workflow, task_id)
            if task is None or not task.has_state(TaskState.READY):
                raise TaskNotReady(f"task {task_id} is not waiting for the job executor", process=model.key)
            task.internal_data[ASYNC_KEY] = "released"

        return self._run(model, state, execution, known, release)

    def retry(self, model: ProcessModel, state: str | None, task_ids: list[UUID] | None, variables: dict[str, Any],
              execution: Execution, known: set[UUID]) -> Step:
        """Re-run failed elements (all of them when ``task_ids`` is None), after setting ``variables``."""
        def reset(workflow: WeftWorkflow, recorder: HistoryRecorder) -> None:
            failed = [t for t in all_tasks(workflow) if t.has_state(TaskState.ERROR)
                      and (task_ids is None or t.id in task_ids)]
            if not failed:
                raise TaskNotReady("nothing to retry: no failed element", process=model.key)
            for task in failed:
                # Tasks inherit their parent's data when they become ready again, so the fix goes
                # there as well as onto the failed task itself.
                if task.parent is not None:
                    task.parent.data.update(variables)
                task.data.update(variables)
                task._set_state(TaskState.FUTURE)
                task.task_spec._update(task)
                task.data.update(variables)
                if getattr(task.task_spec, "async_before", False):
                    task.internal_data[ASYNC_KEY] = "released"
            workflow.update_waiting_tasks()

        return self._run(model, state, execution, known, reset)

    def set_variables(self, model: ProcessModel, state: str | None, values: dict[str, Any], removed: list[str],
                      execution: Execution, known: set[UUID]) -> Step:
        """Set and remove variables on every live or failed task; nothing runs."""
        def edit(workflow: WeftWorkflow) -> None:
            for task in all_tasks(workflow):
                if task.has_state(LIVE | TaskState.ERROR):
                    task.data.update(values)
                    for name in removed:
                        task.data.pop(name, None)

        return self._change(model, model, state, execution, known, edit)

    def migrate(self, model: ProcessModel, target: ProcessModel, state: str | None, execution: Execution,
                known: set[UUID]) -> Step:
        """Move the instance onto ``target`` (another version of its process); nothing runs.
        Raises ``MigrationRefused`` when an element holding a token has no place in ``target``."""
        def move(workflow: WeftWorkflow) -> None:
            problems = migration_problems(workflow, target)
            if problems:
                raise MigrationRefused(f"cannot migrate: {problems[0].element_id}", problems, model.key)
            rebind(workflow, target)

        return self._change(model, target, state, execution, known, move)

    def _change(self, model: ProcessModel, target: ProcessModel, state: str | None, execution: Execution,
                known: set[UUID], change: Callable[[WeftWorkflow], None]) -> Step:
        with model.lock:
            workflow = self._restore(model, state)
            change(workflow)
            state = self.codec.dumps(workflow)
        with target.lock:
            workflow = self._restore(target, state)
            workflow.connectors = ConnectorRuntime(self.connectors, execution, self.clock)
            return self._step(workflow, HistoryRecorder(target, self.clock, self.codec.to_plain), execution, known,
                              [])

    def cancel(self, model: ProcessModel, state: str | None) -> Step:
        with model.lock:
            workflow = self._restore(model, state)
            variables = self.variables(workflow)
            workflow.cancel()
            return Step("terminated", None, variables, [])

    # -- running -------------------------------------------------------------------------------
    def _restore(self, model: ProcessModel, state: str | None) -> WeftWorkflow:
        if state is None:
            raise TaskNotReady("the instance has ended", process=model.key)
        workflow = self.codec.loads(state, model, self.script_engine)
        workflow.clock = self.clock
        return workflow

    def _run(self, model: ProcessModel, state: str | None, execution: Execution, known: set[UUID],
             action: Callable[[WeftWorkflow, HistoryRecorder], Any], action_starts: bool = False) -> Step:
        with model.lock:
            if action_starts:
                workflow = WeftWorkflow(model.spec, model.subprocess_specs, script_engine=self.script_engine,
                                        clock=self.clock)
            else:
                workflow = self._restore(model, state)
            workflow.connectors = ConnectorRuntime(self.connectors, execution, self.clock)
            recorder = HistoryRecorder(model, self.clock, self.codec.to_plain)
            workflow.observer = recorder
            incidents: list[Incident] = []
            try:
                self._attempt(workflow, lambda: action(workflow, recorder), incidents)
                while len(incidents) < MAX_INCIDENTS_PER_RUN:
                    if self._attempt(workflow, lambda: workflow.do_engine_steps(
                            will_complete_task=recorder.task_starting), incidents):
                        break
            finally:
                workflow.observer = None
                workflow.start_trigger = None
            return self._step(workflow, recorder, execution, known, incidents)

    def _attempt(self, workflow: WeftWorkflow, work: Callable[[], Any], incidents: list[Incident]) -> bool:
        """Run ``work``; an error of an element becomes an incident (the element is left failed and
        the rest of the instance goes on). Errors that belong to no element are raised."""
        try:
            work()
            return True
        except ProcessError:
            raise
        except Exception as exc:  # noqa: BLE001 - every execution error becomes an incident
            task = getattr(exc, "task", None)
            if task is None:
                failed = [t for t in all_tasks(workflow) if t.has_state(TaskState.ERROR)
                          and str(t.id) not in {i.task_id for i in incidents}]
                task = failed[0] if failed else None
            if task is None:
                raise ProcessError(f"{type(exc).__name__}: {exc}", process=workflow.spec.name) from exc
            if not task.has_state(TaskState.ERROR):
                task._set_state(TaskState.ERROR)
                workflow.event_manager.remove_task(task)
            element = getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name
            message = str(exc.args[0]) if getattr(exc, "args", None) else type(exc).__name__
            notes = getattr(exc, "notes", None)
            if notes:
                message += " (" + "; ".join(notes) + ")"
            incidents.append(Incident(element, str(task.id), message))
            return False

    def _step(self, workflow: WeftWorkflow, recorder: HistoryRecorder, execution: Execution, known: set[UUID],
              incidents: list[Incident]) -> Step:
        outgoing = [_outgoing(event) for event in workflow.outgoing]
        outbox: list[Mail] = list(workflow.connectors.outbox) if workflow.connectors else []
        failed = any(t.has_state(TaskState.ERROR) for t in all_tasks(workflow))
        if workflow.is_completed() and not failed:
            return Step("completed", None, self.variables(workflow), [], recorder.entries, outgoing=outgoing,
                        outbox=outbox, incidents=incidents)
        prune(workflow)
        live = [task for task in all_tasks(workflow) if task.has_state(LIVE)]
        recorder.stamp(live)
        now = self.clock()
        ready, new = [], []
        for task in live:
            if not task.has_state(TaskState.READY) or not task.task_spec.manual:
                continue
            if task.id not in known:
                try:
                    new.append(describe_user_task(task, self.script_engine, now, execution.starter))
                except ProcessError as exc:
                    task._set_state(TaskState.ERROR)
                    incidents.append(Incident(exc.element or task.task_spec.name, str(task.id), str(exc.args[0])))
                    failed = True
                    continue
            ready.append(task.id)
        waits = [wait for task in workflow.event_manager.tasks.values() for wait in waits_of(task)]
        jobs = [AsyncJob(str(t.id), getattr(t.task_spec, "bpmn_id", None) or t.task_spec.name,
                         getattr(t.task_spec, "retry_cycle", None))
                for t in live if t.has_state(TaskState.READY) and waits_for_job(t)]
        status = "failed" if failed else "running" if jobs else "waiting"
        return Step(status, self.codec.dumps(workflow), self.variables(workflow), _element_ids(live),
                    recorder.entries, ready, new, waits, jobs, outgoing, outbox, incidents)

    def variables(self, workflow: WeftWorkflow) -> dict[str, Any]:
        """The instance's variables: the data of its live (and failed) tasks, merged in tree order."""
        if workflow.is_completed() and not any(t.has_state(TaskState.ERROR) for t in all_tasks(workflow)):
            merged = dict(workflow.data)
        else:
            merged = {}
            for task in all_tasks(workflow):
                if task.has_state(LIVE | TaskState.ERROR):
                    merged.update(task.data)
        merged.pop("data_objects", None)
        return merged


def _outgoing(event) -> OutgoingEvent:
    kind = "signal" if isinstance(event.event_definition, WeftSignal) else "message"
    return OutgoingEvent(kind, event.event_definition.name, dict(event.payload or {}), dict(event.correlations or {}))


def _element_ids(tasks) -> list[str]:
    """Elements holding a token (boundary events merely listening are not among them)."""
    seen: list[str] = []
    for task in tasks:
        if isinstance(task.task_spec, BoundaryEvent) and task.has_state(TaskState.WAITING):
            continue
        element_id = getattr(task.task_spec, "bpmn_id", None)
        if element_id and element_id not in seen:
            seen.append(element_id)
    return seen
