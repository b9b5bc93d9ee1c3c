"""Keeping the task tree small: drop what finished and nothing still needs.

SpiffWorkflow keeps every task it ever ran in the tree, so state size and the cost of every
step grow with the history of the instance (and its iterators stop at depth 1000). Between
steps Weft keeps only the unfinished tasks, each with up to two finished ancestors (joins
read ``task.parent``; boundary-event joins look two levels up for their split), and hangs
what remains under the original root (where message- and event-started subprocesses attach).
The history of executed elements is recorded outside the tree as it happens.
"""

from __future__ import annotations

from SpiffWorkflow.util.task import TaskState

from .tree import find_task, preorder

KEEP_FINISHED_ANCESTORS = 2


def prune(workflow) -> None:
    """Prune the top-level workflow and all its subprocesses in place."""
    _prune_tree(workflow)
    for subprocess in list(workflow.subprocesses.values()):
        _prune_tree(subprocess)
    _drop_finished_subprocesses(workflow)


def _prune_tree(workflow) -> None:
    tasks = workflow.tasks
    root = workflow.task_tree
    if root is None:
        return
    # A failed task (ERROR) stays, with its ancestors, until it is retried.
    live = {task_id for task_id, task in tasks.items()
            if not task._state & (TaskState.COMPLETED | TaskState.CANCELLED)}
    if not live:
        return
    keep = {root.id} | live
    for task_id in live:
        finished_seen = 0
        parent_id = tasks[task_id]._parent
        while parent_id is not None and parent_id != root.id and parent_id not in live:
            finished_seen += 1
            if finished_seen > KEEP_FINISHED_ANCESTORS:
                break
            keep.add(parent_id)
            parent_id = tasks[parent_id]._parent
    if len(keep) == len(tasks):
        return
    order = [task.id for task in preorder(workflow)]
    root_children = []
    for task_id in order[1:]:
        if task_id not in keep:
            continue
        task = tasks[task_id]
        if task._parent == root.id or task._parent not in keep:
            task._parent = root.id
            root_children.append(task_id)
        task._children = [child for child in task._children if child in keep]
    root._children = root_children
    for task_id in order:
        if task_id not in keep:
            tasks.pop(task_id, None)
            workflow.top_workflow.event_manager.tasks.pop(task_id, None)
    if workflow.last_task is not None and workflow.last_task.id not in keep:
        workflow.last_task = None


def _drop_finished_subprocesses(workflow) -> None:
    changed = True
    while changed:
        changed = False
        for parent_id in list(workflow.subprocesses):
            parent = find_task(workflow, parent_id)
            if parent is None or parent._state & TaskState.FINISHED_MASK:
                del workflow.subprocesses[parent_id]
                changed = True

