"""Task specs that Weft substitutes for SpiffWorkflow's defaults (by subclassing, never patching)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.specs.defaults import (
    NoneTask,
    ParallelMultiInstanceTask,
    SequentialMultiInstanceTask,
    StandardLoopTask,
)
from SpiffWorkflow.bpmn.specs.mixins import BpmnSpecMixin
from SpiffWorkflow.camunda.specs.user_task import UserTask as CamundaUserTask
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState


@dataclass(frozen=True)
class Assignment:
    """The Camunda 7 human-task attributes of a user task, as written in the diagram.

    Each value may be a literal or a ``${…}`` expression; they are evaluated when the task
    becomes ready (see ``human_task.py``).
    """

    assignee: str | None = None
    candidate_groups: str | None = None
    candidate_users: str | None = None
    due_date: str | None = None
    follow_up_date: str | None = None
    priority: str | None = None


class WeftUserTask(CamundaUserTask):
    """A user task that also carries its assignment attributes."""

    def __init__(self, wf_spec, bpmn_id, form, assignment: Assignment | None = None, **kwargs):
        super().__init__(wf_spec, bpmn_id, form, **kwargs)
        self.assignment = assignment or Assignment()


class PassThroughTask(NoneTask):
    """``bpmn:task`` and ``bpmn:manualTask``: the engine passes through, as Camunda 7 does.

    SpiffWorkflow makes both wait for a manual completion, which would strand diagrams drawn
    for Camunda, where neither creates work for anybody.
    """

    def __init__(self, wf_spec, bpmn_id, **kwargs):
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.manual = False


class CountingLoopTask(StandardLoopTask):
    """A standard loop that counts iterations instead of listing every finished child.

    The stock task keeps the id of every iteration in ``internal_data['merged']``, so its
    state grows without bound; here only the count and the latest child survive.
    """

    def merge_child(self, workflow, child):
        my_task = child.parent
        DeepMerge.merge(my_task.data, child.data)
        my_task.internal_data["merged"] = [str(child.id)]
        my_task.internal_data["iterations"] = my_task.internal_data.get("iterations", 0) + 1
        if self.loop_complete(my_task):
            my_task._set_state(TaskState.READY)
        else:
            self.create_child(my_task)

    def create_child(self, my_task):
        my_task.internal_data.setdefault("iterations", 0)
        task_spec = my_task.workflow.spec.task_specs[self.task_spec]
        if not task_spec.completed_event.is_connected(self.merge_child):
            task_spec.completed_event.connect(self.merge_child)
        child = my_task._add_child(task_spec, TaskState.WAITING)
        child.triggered = True
        child.internal_data["iteration"] = my_task.internal_data["iterations"]
        child.task_spec._update(child)

    def loop_complete(self, my_task):
        done = my_task.internal_data.get("iterations", 0)
        max_complete = self.maximum is not None and done >= self.maximum
        cond_complete = self.condition is not None and not my_task.workflow.script_engine.evaluate(
            my_task, self.condition)
        return max_complete or cond_complete

    def task_info(self, my_task):
        info = super().task_info(my_task)
        info["iterations_completed"] = my_task.internal_data.get("iterations", 0)
        if self.maximum:
            info["iterations_remaining"] = self.maximum - info["iterations_completed"]
        return info


class WeftBusinessRuleTask(BpmnSpecMixin):
    """``camunda:decisionRef`` evaluated with Weft's DMN engine; the result is stored in
    ``camunda:resultVariable`` after ``camunda:mapDecisionResult`` (default ``resultList``)."""

    def __init__(self, wf_spec, bpmn_id, decision_ref: str, result_variable: str | None,
                 map_decision_result: str | None, decisions: dict, **kwargs):
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.decision_ref = decision_ref
        self.result_variable = result_variable
        self.map_decision_result = map_decision_result
        self.decisions = decisions          # decision id -> Decision, shared by the whole model

    def _run_hook(self, my_task):
        from .dmn import evaluate_decision, map_decision_result

        engine = my_task.workflow.script_engine
        results = evaluate_decision(self.decision_ref, self.decisions, my_task.data, engine.sandbox)
        value = map_decision_result(results, self.map_decision_result, self.decision_ref)
        if self.result_variable:
            my_task.data[self.result_variable] = value
        elif len(results) == 1:
            my_task.data.update(results[0])
        return True


class WeftServiceTask(BpmnSpecMixin):
    """A service task calling a connector (``camunda:connector``) or evaluating
    ``camunda:expression`` into ``camunda:resultVariable``."""

    def __init__(self, wf_spec, bpmn_id, call=None, expression: str | None = None,
                 result_variable: str | None = None, **kwargs):
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.call = call
        self.expression = expression
        self.result_variable = result_variable

    def _run_hook(self, my_task):
        engine = my_task.workflow.script_engine
        if self.call is not None:
            params = {name: engine.evaluate_parameter(my_task, value) for name, value in self.call.io.inputs}
            result = my_task.workflow.top_workflow.connectors.invoke(self.call.connector_id, params, my_task)
            context = {**my_task.data, **(result or {})}
            for name, value in self.call.io.outputs:
                my_task.data[name] = engine.evaluate_parameter_in(my_task, context, value)
        elif self.expression is not None:
            value = engine.evaluate_value(my_task, self.expression)
            if self.result_variable:
                my_task.data[self.result_variable] = value
        return True


class _CamundaItems:
    """Camunda multi-instance: each instance gets its item in ``camunda:elementVariable``; what
    an instance sets is merged back into the instance's variables, but not that item (the next
    instance would otherwise find it already set)."""

    input_item: Any

    def merge_child(self, workflow, child):
        if self.input_item is not None:
            child.data.pop(self.input_item.bpmn_id, None)
        super().merge_child(workflow, child)  # type: ignore[misc]


class WeftSequentialMultiInstanceTask(_CamundaItems, SequentialMultiInstanceTask):
    pass


class WeftParallelMultiInstanceTask(_CamundaItems, ParallelMultiInstanceTask):
    pass
