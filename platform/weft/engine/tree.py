"""Walking SpiffWorkflow task trees without its depth-limited iterator."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID


def preorder(workflow) -> Iterator:
    """The tasks of one workflow, depth first, parents before children."""
    tasks = workflow.tasks
    stack = [workflow.task_tree.id]
    while stack:
        task = tasks.get(stack.pop())
        if task is None:
            continue
        yield task
        stack.extend(reversed(task._children))


def all_tasks(workflow) -> Iterator:
    """The tasks of the top-level workflow, then those of each subprocess."""
    yield from preorder(workflow)
    for subprocess in workflow.subprocesses.values():
        yield from preorder(subprocess)


def find_task(workflow, task_id: UUID):
    """A task of the top-level workflow or of any of its subprocesses, or ``None``."""
    task = workflow.tasks.get(task_id)
    if task is not None:
        return task
    for subprocess in workflow.subprocesses.values():
        task = subprocess.tasks.get(task_id)
        if task is not None:
            return task
    return None


def task_count(workflow) -> int:
    return len(workflow.tasks) + sum(len(sp.tasks) for sp in workflow.subprocesses.values())
