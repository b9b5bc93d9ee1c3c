"""Timer, message and signal event definitions with Weft's semantics.

Timers read ISO 8601 values written without quotes (``PT5M``, ``R3/PT1H``, dates) or ``${…}``
expressions, and use the platform's clock, not the wall clock, so tests run on virtual time.
Messages and signals carry a payload of variables, merged into the catching task's data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.defaults import StartEvent as DefaultStartEvent
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import SignalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.util.task import TaskState

from .iso8601 import Duration, Iso8601Error, looks_like_iso8601, parse_cycle, parse_datetime, parse_duration


def now_of(my_task) -> dt.datetime:
    clock = getattr(my_task.workflow.top_workflow, "clock", None)
    return clock() if clock is not None else dt.datetime.now(dt.UTC)


class WeftTimerMixin:
    """What all Weft timers share: how the value is read, and where the due time is kept."""

    expression: str
    name: str

    def timer_value(self, my_task) -> str:
        text = (self.expression or "").strip()
        if looks_like_iso8601(text):
            return text
        value = my_task.workflow.script_engine.evaluate(my_task, text)
        if isinstance(value, dt.datetime):
            return value.isoformat()
        return str(value).strip()

    def timer_error(self, my_task, exc: Exception) -> WorkflowTaskException:
        return WorkflowTaskException(f"timer {self.name!r}: {exc}", task=my_task, exception=exc)

    def _key(self) -> str:
        return f"weft_due:{self.name}"

    def due_at(self, my_task) -> dt.datetime | None:
        """When this timer fires next, computing it on first use."""
        due = my_task.internal_data.get(self._key())
        if due is None:
            due = self.first_due(my_task)
            if due is None:
                return None
            my_task.internal_data[self._key()] = due.isoformat()
            return due
        return dt.datetime.fromisoformat(due)

    def first_due(self, my_task) -> dt.datetime | None:
        raise NotImplementedError

    def has_fired(self, my_task):
        """Fired once the clock reaches the due time (a start event's timer never waits)."""
        if _is_trigger(my_task) or my_task.internal_data.get("event_fired"):
            my_task._set_internal_data(event_fired=True)
            return True
        due = self.due_at(my_task)
        if due is not None and due <= now_of(my_task):
            my_task._set_internal_data(event_fired=True)
        return my_task._get_internal_data("event_fired", False)

    def reset(self, my_task):
        my_task.internal_data.pop(self._key(), None)
        super().reset(my_task)  # type: ignore[misc]


def _is_trigger(my_task) -> bool:
    """A timer start event only says when to start an instance; inside one it never waits."""
    return isinstance(my_task.task_spec, StartEvent)


class WeftTimeDate(WeftTimerMixin, TimeDateEventDefinition):
    def first_due(self, my_task):
        try:
            return parse_datetime(self.timer_value(my_task))
        except Iso8601Error as exc:
            raise self.timer_error(my_task, exc) from None


class WeftDuration(WeftTimerMixin, DurationTimerEventDefinition):
    def first_due(self, my_task):
        try:
            return parse_duration(self.timer_value(my_task)).after(now_of(my_task))
        except Iso8601Error as exc:
            raise self.timer_error(my_task, exc) from None


class WeftCycle(WeftTimerMixin, CycleTimerEventDefinition):
    """``R[n]/…``: on a non-interrupting boundary event each firing starts a new path."""

    def _state_key(self) -> str:
        return f"weft_cycle:{self.name}"

    def first_due(self, my_task):
        state = self._cycle(my_task)
        return dt.datetime.fromisoformat(state["next"]) if state["left"] != 0 else None

    def due_at(self, my_task):
        state = self._cycle(my_task)
        return dt.datetime.fromisoformat(state["next"]) if state["left"] != 0 else None

    def _cycle(self, my_task) -> dict[str, Any]:
        state = my_task.internal_data.get(self._state_key())
        if state is None:
            try:
                cycle = parse_cycle(self.timer_value(my_task), now_of(my_task))
            except Iso8601Error as exc:
                raise self.timer_error(my_task, exc) from None
            state = {"left": cycle.repetitions, "next": cycle.first.isoformat(),
                     "years": cycle.interval.years, "months": cycle.interval.months,
                     "seconds": cycle.interval.delta.total_seconds()}
            my_task.internal_data[self._state_key()] = state
        return state

    def cycle_complete(self, my_task):
        if _is_trigger(my_task):
            my_task.internal_data["event_fired"] = True
            return False
        state = self._cycle(my_task)
        if state["left"] == 0:
            my_task.internal_data["event_fired"] = True
            return False
        due = dt.datetime.fromisoformat(state["next"])
        if due > now_of(my_task):
            return False
        interval = Duration(state["years"], state["months"], dt.timedelta(seconds=state["seconds"]))
        # A long outage fires once, not once per missed interval; the schedule keeps its times.
        state["next"] = interval.next_after(due, now_of(my_task)).isoformat()
        if state["left"] > 0:
            state["left"] -= 1
        return True

    def has_fired(self, my_task):
        return my_task._get_internal_data("event_fired", False)

    def reset(self, my_task):
        my_task.internal_data.pop(self._state_key(), None)
        super().reset(my_task)


class WeftMessage(MessageEventDefinition):
    """A message: its payload (variables) is merged into the catching task.

    A thrown message carries the throwing element's ``camunda:inputOutput`` input parameters
    as payload, and its ``correlation.<name>`` properties as correlation keys."""

    def __init__(self, name, outgoing=None, **kwargs):
        super().__init__(name, **kwargs)
        self.outgoing = outgoing          # Outgoing, set by the parser for throwing elements

    def catches(self, my_task, event):
        return self == event.event_definition

    def catch(self, my_task, event=None):
        my_task.internal_data[self.name] = dict(event.payload or {}) if event is not None else {}
        my_task._set_internal_data(event_fired=True)

    def update_task_data(self, my_task):
        payload = my_task.internal_data.get(self.name)
        if payload:
            my_task.data.update(payload)

    def throw(self, my_task):
        payload, correlations = (self.outgoing or Outgoing()).evaluate(my_task)
        my_task.workflow.top_workflow.catch(BpmnEvent(self, payload=payload, correlations=correlations))

    def reset(self, my_task):
        my_task.internal_data.pop(self.name, None)
        super().reset(my_task)


class WeftSignal(SignalEventDefinition):
    """A signal: broadcast; its payload (variables) is merged into every catching task."""

    def __init__(self, name, outgoing=None, **kwargs):
        super().__init__(name, **kwargs)
        self.outgoing = outgoing

    def catch(self, my_task, event=None):
        my_task.internal_data[self.name] = dict(event.payload or {}) if event is not None else {}
        my_task._set_internal_data(event_fired=True)

    def throw(self, my_task):
        payload, _ = (self.outgoing or Outgoing()).evaluate(my_task)
        my_task.workflow.top_workflow.catch(BpmnEvent(self, payload=payload))


@dataclass(frozen=True)
class Outgoing:
    """What a throwing element sends: named values (payload) and correlation keys, each a
    literal or a ``${…}`` expression evaluated against the thrower's data."""

    payload: tuple[tuple[str, Any], ...] = ()
    correlation: tuple[tuple[str, str], ...] = ()

    def evaluate(self, my_task) -> tuple[dict[str, Any], dict[str, Any]]:
        engine = my_task.workflow.script_engine
        payload = {name: engine.evaluate_parameter(my_task, value) for name, value in self.payload}
        correlation = {name: engine.evaluate_value(my_task, value) for name, value in self.correlation}
        return payload, correlation


@dataclass(frozen=True)
class Wait:
    """Something an instance waits for outside itself: a timer, a message or a signal."""

    task_id: str
    element_id: str
    kind: str                # "timer", "message" or "signal"
    name: str | None = None
    due: dt.datetime | None = None


def waits_of(task) -> list[Wait]:
    """The external events a waiting catch task subscribes to."""
    if not task.has_state(TaskState.WAITING):
        return []
    definition = getattr(task.task_spec, "event_definition", None)
    definitions = definition.event_definitions if isinstance(definition, MultipleEventDefinition) else [definition]
    element = getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name
    found = []
    for item in definitions:
        if isinstance(item, TimerEventDefinition) and isinstance(item, WeftTimerMixin):
            due = item.due_at(task)
            if due is not None:
                found.append(Wait(str(task.id), element, "timer", item.name, due))
        elif isinstance(item, MessageEventDefinition):
            found.append(Wait(str(task.id), element, "message", item.name))
        elif isinstance(item, SignalEventDefinition):
            found.append(Wait(str(task.id), element, "signal", item.name))
    return found


@dataclass(frozen=True)
class StartTrigger:
    """What started an instance: a message or signal (with its payload), or a timer."""

    kind: str                          # "message", "signal" or "timer"
    name: str | None = None
    payload: dict[str, Any] | None = None

    def matches(self, definition) -> bool:
        if self.kind == "timer":
            return isinstance(definition, TimerEventDefinition)
        if self.kind == "message":
            return isinstance(definition, MessageEventDefinition) and definition.name == self.name
        if self.kind == "signal":
            return isinstance(definition, SignalEventDefinition) and definition.name == self.name
        return False


class WeftStartEvent(DefaultStartEvent):
    """A start event of the top-level process. When an instance is started by a trigger, only
    the start events that match it fire (their payload becomes data); the others stay put and
    are cancelled when the first one completes. Started by hand, none and timer start events
    fire at once."""

    def _update_hook(self, my_task):
        workflow = my_task.workflow
        trigger = getattr(workflow, "start_trigger", None)
        if trigger is not None and workflow is workflow.top_workflow:
            if not trigger.matches(self.event_definition):
                my_task._set_state(TaskState.WAITING)
                return False
            if trigger.name is not None:
                my_task.internal_data[trigger.name] = dict(trigger.payload or {})
            my_task._set_internal_data(event_fired=True)
        return super()._update_hook(my_task)

    def _predict_hook(self, my_task):
        # SpiffWorkflow predicts no children for cycle timers (a boundary cycle adds a path per
        # firing); a start event's cycle starts one instance per firing, which then runs on.
        super(CatchingEvent, self)._predict_hook(my_task)


def starts_by_hand(spec) -> bool:
    """Whether a process can be started without a message or signal."""
    return any(not isinstance(s.event_definition, (MessageEventDefinition, SignalEventDefinition))
               for s in spec.bpmn_start_events)


def start_events(spec) -> list[dict[str, Any]]:
    """The start events of a process: those that start instances by themselves (timer, message,
    signal) and those people start (``none``; the compiler adds their ``form``)."""
    found = []
    for event in spec.bpmn_start_events:
        definition = event.event_definition
        element = getattr(event, "bpmn_id", None) or event.name
        if isinstance(definition, MessageEventDefinition):
            found.append({"kind": "message", "name": definition.name, "element": element})
        elif isinstance(definition, SignalEventDefinition):
            found.append({"kind": "signal", "name": definition.name, "element": element})
        elif isinstance(definition, WeftTimerMixin):
            timer = {WeftTimeDate: "date", WeftDuration: "duration", WeftCycle: "cycle"}[type(definition)]
            found.append({"kind": "timer", "name": definition.name, "element": element, "timer": timer,
                          "expression": definition.expression})
        else:
            found.append({"kind": "none", "name": None, "element": element, "form": None})
    return found


def first_start_timer_due(event: dict[str, Any], now: dt.datetime) -> tuple[dt.datetime | None, dict[str, Any]]:
    """When a timer start event first fires, and the state its later firings continue from."""
    expression = event["expression"].strip()
    if not looks_like_iso8601(expression):
        raise Iso8601Error(f"timer start event {event['element']!r} needs an ISO 8601 value, not {expression!r}")
    if event["timer"] == "date":
        return parse_datetime(expression), {"left": 0}
    if event["timer"] == "duration":
        return parse_duration(expression).after(now), {"left": 0}
    cycle = parse_cycle(expression, now)
    state = {"left": cycle.repetitions - 1 if cycle.repetitions > 0 else -1, "years": cycle.interval.years,
             "months": cycle.interval.months, "seconds": cycle.interval.delta.total_seconds()}
    return (cycle.first if cycle.repetitions != 0 else None), state


def next_start_timer_due(state: dict[str, Any], due: dt.datetime, now: dt.datetime
                         ) -> tuple[dt.datetime | None, dict[str, Any]]:
    """After a start timer fired at ``due``: the next due time (None when done)."""
    if state.get("left", 0) == 0 or "seconds" not in state:
        return None, state
    interval = Duration(state["years"], state["months"], dt.timedelta(seconds=state["seconds"]))
    left = state["left"] - 1 if state["left"] > 0 else -1
    return interval.next_after(due, now), {**state, "left": left}
