"""Moving a running workflow onto another version of its process.

The task trees keep their tasks (ids, states, data, timers' internal data) and are re-bound to
the new version's specs by name. What has not happened yet is predicted again from the new
version, so the instance continues along the new version's path. Refused, naming the element,
when a task holding a token (or a boundary event listening on one) has no counterpart in the
new version, changed its kind, or had its boundary events changed: there is no safe place to
put that token.
"""

from __future__ import annotations

from dataclasses import dataclass

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.util.task import TaskState

from .model import ProcessModel
from .tree import preorder

TOKEN = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
NOT_REACHED = TaskState.FUTURE | TaskState.LIKELY | TaskState.MAYBE


@dataclass(frozen=True)
class MigrationProblem:
    element_id: str
    reason: str          # "missing", "kind" or "boundary"
    detail: str = ""


def migration_problems(workflow, target: ProcessModel) -> list[MigrationProblem]:
    """Why ``workflow`` cannot move to ``target`` (empty when it can)."""
    problems: list[MigrationProblem] = []
    for tree, specs in _trees(workflow, target):
        if specs is None:
            problems.append(MigrationProblem(tree.spec.name, "missing"))
            continue
        for task in preorder(tree):
            if task._state & TOKEN:
                problem = _token_problem(task, specs)
                if problem is not None and problem not in problems:
                    problems.append(problem)
    return problems


def rebind(workflow, target: ProcessModel) -> None:
    """Re-bind ``workflow`` (checked with ``migration_problems``) to ``target``'s specs, in place."""
    for tree, specs in _trees(workflow, target):
        assert specs is not None
        _drop_not_reached(tree)
        for task in list(preorder(tree)):
            spec = specs.task_specs.get(task.task_spec.name)
            if spec is None:
                _drop_keeping_children(tree, task)     # a finished task of an element gone
            else:
                task.task_spec = spec
        tree.spec = specs
    workflow.subprocess_specs = target.subprocess_specs
    for tree, _specs in _trees(workflow, target):
        for task in list(preorder(tree)):
            if task._state & TOKEN:
                _predict(task)


def _trees(workflow, target: ProcessModel):
    """Each task tree with the specs it moves to (``None``: the subprocess is gone)."""
    yield workflow, target.spec
    for subprocess in workflow.subprocesses.values():
        yield subprocess, target.subprocess_specs.get(subprocess.spec.name)


def _element(spec) -> str:
    return getattr(spec, "bpmn_id", None) or spec.name


def _token_problem(task, specs) -> MigrationProblem | None:
    old = task.task_spec
    new = specs.task_specs.get(old.name)
    if new is None:
        return MigrationProblem(_element(old), "missing")
    if type(new) is not type(old):
        return MigrationProblem(_element(old), "kind", f"{type(old).__name__} -> {type(new).__name__}")
    if isinstance(old, BoundaryEvent):
        return None
    before, after = _boundary_events(task.parent.task_spec if task.parent else None, old), \
        _boundary_events(_split_of(new), new)
    if before != after:
        return MigrationProblem(_element(old), "boundary", ", ".join(sorted(before ^ after)))
    return None


def _split_of(spec):
    return next((s for s in spec.inputs if isinstance(s, BoundaryEventSplit)), None)


def _boundary_events(split, spec) -> set[str]:
    if not isinstance(split, BoundaryEventSplit) or spec not in split.outputs:
        return set()
    return {_element(s) for s in split.outputs if isinstance(s, BoundaryEvent)}


def _drop_not_reached(tree) -> None:
    """Predicted tasks go (they are predicted again from the new version); a task not reached
    yet whose parent has finished holds a token and stays."""
    for task in list(preorder(tree)):
        if task.id not in tree.tasks or not task._state & NOT_REACHED:
            continue
        parent = task.parent
        if parent is None or not parent._state & (TaskState.COMPLETED | TaskState.CANCELLED):
            _drop_branch(tree, task)


def _drop_branch(tree, task) -> None:
    parent = task.parent
    if parent is not None:
        parent._children = [c for c in parent._children if c != task.id]
    stack = [task.id]
    while stack:
        dropped = tree.tasks.pop(stack.pop(), None)
        if dropped is not None:
            stack.extend(dropped._children)
            tree.top_workflow.event_manager.tasks.pop(dropped.id, None)


def _drop_keeping_children(tree, task) -> None:
    parent = task.parent or tree.task_tree
    if task is tree.task_tree:
        return
    index = parent._children.index(task.id)
    parent._children[index:index + 1] = task._children
    for child in task._children:
        tree.tasks[child]._parent = parent.id
    tree.tasks.pop(task.id, None)
    if tree.last_task is task:
        tree.last_task = None


def _predict(task) -> None:
    """Predict what follows a task holding a token, as SpiffWorkflow does for a task in its
    state (a failed task as the ready task it was). A multi-instance or loop task keeps its
    running iterations: only the elements after it are predicted."""
    outputs = task.task_spec.outputs
    if task._children:
        if any(child.task_spec in outputs for child in task.children):
            return
        for spec in outputs:
            child = task._add_child(spec, TaskState.FUTURE)
            child.task_spec._predict(child, mask=TaskState.NOT_FINISHED_MASK)
        return
    state = task._state
    if state == TaskState.ERROR:
        task._state = TaskState.READY
    try:
        task.task_spec._predict(task, mask=TaskState.NOT_FINISHED_MASK)
    finally:
        task._state = state
