"""Stock SpiffWorkflow, unpruned and never serialized: the reference Weft's runs must match."""

from __future__ import annotations

from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.util.task import TaskState


def _element(task):
    spec = task.task_spec
    return None if isinstance(spec, LoopTask) else getattr(spec, "bpmn_id", None)


class _ObservedSub(BpmnSubWorkflow):
    def _task_completed_notify(self, task):
        if (element := _element(task)) is not None:
            self.top_workflow.trace.append(element)
        super()._task_completed_notify(task)


class _Observed(BpmnWorkflow):
    def __init__(self, *args, **kwargs):
        self.trace: list[str] = []
        super().__init__(*args, **kwargs)

    def create_subprocess(self, my_task, spec_name):
        subprocess = _ObservedSub(self.subprocess_specs[spec_name], parent_task_id=my_task.id, top_workflow=self)
        self.subprocesses[my_task.id] = subprocess
        return subprocess

    def _task_completed_notify(self, task):
        if (element := _element(task)) is not None:
            self.trace.append(element)
        super()._task_completed_notify(task)


def reference_trace(xml: str, key: str, variables: dict, answers=lambda element, n: {}, max_steps: int = 500):
    """Run with stock SpiffWorkflow; complete ready user tasks one at a time, lowest element id
    first, with ``answers(element_id, how_many_completed_so_far)`` as data."""
    parser = CamundaParser()
    parser.add_bpmn_str(xml.encode())
    workflow = _Observed(parser.get_spec(key), parser.get_subprocess_specs(key))
    workflow.task_tree.data.update(variables)
    workflow.do_engine_steps()
    completed = 0
    while completed < max_steps:
        ready = [t for t in workflow.get_tasks(state=TaskState.READY) if t.task_spec.manual]
        if not ready:
            break
        task = sorted(ready, key=lambda t: t.task_spec.bpmn_id)[0]
        task.data.update(answers(task.task_spec.bpmn_id, completed))
        task.run()
        completed += 1
        workflow.do_engine_steps()
    return workflow.trace, workflow.is_completed()
