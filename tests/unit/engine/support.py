"""Running processes through Weft's engine alone (no database), serializing between steps."""

from __future__ import annotations

import datetime as dt

from weft.engine import ProcessRunner, Resource, Sandbox, build_model, compile_deployment
from weft.engine.connectors import Execution

NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def model_of(xml: str, key: str):
    compiled = compile_deployment([Resource("test.bpmn", xml.encode())])
    [process] = [p for p in compiled.processes if p.key == key]
    return build_model(process.key, process.bundle)


def weft_trace(xml: str, key: str, variables: dict, answers=lambda element, n: {}, max_steps: int = 500,
               runner: ProcessRunner | None = None):
    """Like ``reference_trace``, but through Weft's runner: pruned and serialized every step.
    Returns the trace, whether the instance completed, and every step's state size."""
    runner = runner or ProcessRunner(Sandbox(), lambda: NOW)
    model = model_of(xml, key)
    step = runner.start(model, variables, Execution())
    trace = [h.element_id for h in step.history]
    elements = {info.id: info.element_id for info in step.new_user_tasks}
    sizes = [len(step.state or "")]
    completed = 0
    while step.status == "waiting" and step.open_tasks and completed < max_steps:
        task_id = sorted(step.open_tasks, key=lambda t: elements[t])[0]
        element = elements[task_id]
        step = runner.complete_user_task(model, step.state, task_id, answers(element, completed), None,
                                         Execution(), known=set(step.open_tasks))
        elements.update({info.id: info.element_id for info in step.new_user_tasks})
        completed += 1
        trace += [h.element_id for h in step.history]
        sizes.append(len(step.state or ""))
    return trace, step.status == "completed", sizes
