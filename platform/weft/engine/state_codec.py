"""Writing a running workflow to text and back, without its spec.

SpiffWorkflow's serializer embeds the whole process spec in every snapshot; Weft stores the
spec once per process version and writes only the (pruned) task trees, in pre-order so that
every task's data delta can be applied to its parent's.
"""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.event_definition import (
    MessageEventDefinitionConverter,
    TimerConditionalEventDefinitionConverter,
)
from SpiffWorkflow.bpmn.serializer.helpers.encoder import create_encoder
from SpiffWorkflow.bpmn.serializer.helpers.registry import DefaultRegistry
from SpiffWorkflow.bpmn.serializer.helpers.spec import EventDefinitionConverter
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.util.task import TaskState

from .events import WeftCycle, WeftDuration, WeftMessage, WeftSignal, WeftTimeDate
from .model import ProcessModel
from .tree import preorder
from .workflow import WeftSubWorkflow, WeftWorkflow

FORMAT_VERSION = 1


def build_registry() -> DefaultRegistry:
    registry = DefaultRegistry()
    for target_class, converter_class in DEFAULT_CONFIG.items():
        converter_class(target_class, registry)
    registry.register(decimal.Decimal, lambda v: {"value": str(v)}, lambda v: decimal.Decimal(v["value"]))
    registry.register(datetime.date, lambda v: {"value": v.isoformat()},
                      lambda v: datetime.date.fromisoformat(v["value"]))
    registry.register(datetime.time, lambda v: {"value": v.isoformat()},
                      lambda v: datetime.time.fromisoformat(v["value"]))
    registry.register(set, lambda v: {"items": sorted(v, key=repr)}, lambda v: set(v["items"]))
    # Weft's event definitions reach the state inside caught events (an event-based gateway
    # keeps the events it saw until the path it chose has moved on).
    MessageEventDefinitionConverter(WeftMessage, registry)
    EventDefinitionConverter(WeftSignal, registry)
    for timer in (WeftTimeDate, WeftDuration, WeftCycle):
        TimerConditionalEventDefinitionConverter(timer, registry)
    return registry


class StateCodec:
    def __init__(self) -> None:
        self.registry = build_registry()
        self._encoder = create_encoder(self.registry)

    # -- values ------------------------------------------------------------------------------
    def to_plain(self, value: Any) -> Any:
        """Variables as JSON-compatible values (dates and decimals tagged with their type)."""
        return json.loads(self.dump_json(value))

    def from_plain(self, value: Any) -> Any:
        return self.registry.restore(value)

    def dump_json(self, value: Any) -> str:
        self.registry._encoder_mode = True
        try:
            return json.dumps(self.registry.convert(value), cls=self._encoder, separators=(",", ":"))
        finally:
            self.registry._encoder_mode = False

    # -- workflows ---------------------------------------------------------------------------
    def dumps(self, workflow: WeftWorkflow) -> str:
        subprocesses = {str(task_id): {**self._workflow_dict(sp), "spec": sp.spec.name}
                        for task_id, sp in workflow.subprocesses.items()}
        state = {
            "format": FORMAT_VERSION,
            **self._workflow_dict(workflow),
            "subprocesses": subprocesses,
            "bpmn_events": workflow.bpmn_events,
        }
        return self.dump_json(state)

    def loads(self, text: str, model: ProcessModel, script_engine) -> WeftWorkflow:
        state = json.loads(text)
        workflow = WeftWorkflow(model.spec, model.subprocess_specs, script_engine=script_engine, deserializing=True)
        self._restore_tasks(workflow, state)
        self._restore_subprocesses(workflow, workflow, state["subprocesses"])
        workflow.bpmn_events = self.registry.restore(state.get("bpmn_events", []))
        return workflow

    def _workflow_dict(self, workflow) -> dict[str, Any]:
        return {
            "data": self.registry.clean(workflow.data),
            "correlations": workflow.correlations,
            "last_task": str(workflow.last_task.id) if workflow.last_task is not None else None,
            "success": workflow.success,
            "completed": workflow.completed,
            "root": str(workflow.task_tree.id),
            "tasks": [self.registry.convert(task) for task in preorder(workflow)],
        }

    def _restore_tasks(self, workflow, state: dict[str, Any]) -> None:
        workflow.tasks = {}
        for task_state in state["tasks"]:
            self.registry.restore(task_state, workflow=workflow)
        workflow.task_tree = workflow.tasks[UUID(state["root"])]
        workflow.success = state["success"]
        workflow.completed = state["completed"]
        workflow.correlations = state.get("correlations", {})
        last = state.get("last_task")
        workflow.last_task = workflow.tasks.get(UUID(last)) if last else None
        workflow.data = self.registry.restore(state.get("data", {}))
        _reconnect_loops(workflow)

    def _restore_subprocesses(self, top: WeftWorkflow, parent, states: dict[str, Any]) -> None:
        for task in list(parent.tasks.values()):
            if not isinstance(task.task_spec, SubWorkflowTask) or str(task.id) not in states:
                continue
            state = states.pop(str(task.id))
            spec = top.subprocess_specs[state["spec"]]
            subprocess = WeftSubWorkflow(spec, task.id, top, deserializing=True)
            self._restore_tasks(subprocess, state)
            top.subprocesses[task.id] = subprocess
            subprocess.completed_event.connect(task.task_spec._on_subworkflow_completed, task)
            self._restore_subprocesses(top, subprocess, states)



def _reconnect_loops(workflow) -> None:
    """A loop or multi-instance task learns that an iteration finished through a callback that
    SpiffWorkflow connects on the iteration's spec when it creates the iteration. A model
    built since (another process, a new version) lacks it: connect it again."""
    for task in workflow.tasks.values():
        spec = task.task_spec
        if isinstance(spec, LoopTask) and not task._state & TaskState.FINISHED_MASK:
            iteration = workflow.spec.task_specs.get(spec.task_spec)
            if iteration is not None and not iteration.completed_event.is_connected(spec.merge_child):
                iteration.completed_event.connect(spec.merge_child)
