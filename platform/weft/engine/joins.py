"""Converging gateways that keep their tokens in the waiting join task itself.

SpiffWorkflow 3.2 finds the tokens of a converging gateway by scanning the whole task tree
for earlier instances of the gateway and looking at their parents. That breaks in two ways:
finished instances from earlier loop iterations are counted again (the inclusive join fires
too early inside loops), and it relies on completed tasks staying in the tree forever, which
makes every step slower as history grows. Here the arrived inputs travel with the single
waiting instance (``internal_data['arrived']``), so the tree can be pruned between steps.
"""

from __future__ import annotations

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.defaults import InclusiveGateway, ParallelGateway
from SpiffWorkflow.specs.base import TaskSpec
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

TOKEN_STATES = TaskState.READY | TaskState.WAITING | TaskState.STARTED


class TokenJoinMixin:
    """Shared token bookkeeping for converging parallel and inclusive gateways."""

    def _update_hook(self, my_task):
        arrived = set(my_task.internal_data.get("arrived", []))
        merged: dict = {}
        for other in list(my_task.workflow.tasks.values()):
            if other is my_task or other.task_spec is not self or other.state != TaskState.WAITING:
                continue
            if other.is_descendant_of(my_task) or my_task.is_descendant_of(other):
                continue
            # Absorb the earlier waiting instance: its tokens and its branch data move here.
            arrived.update(other.internal_data.get("arrived", []))
            DeepMerge.merge(merged, other.data)
            other.cancel()
        parent = my_task.parent
        if not my_task.internal_data.get("token") and parent is not None and parent.state == TaskState.COMPLETED:
            my_task.internal_data["token"] = True
            arrived.add(parent.task_spec.name)
            DeepMerge.merge(merged, parent.data)
        if merged:
            DeepMerge.merge(my_task.data, merged)
        my_task.internal_data["arrived"] = sorted(arrived)
        if self._may_fire(my_task, arrived):
            return True
        my_task._set_state(TaskState.WAITING)
        return False

    def _may_fire(self, my_task, arrived: set[str]) -> bool:
        raise NotImplementedError


class TokenParallelGateway(TokenJoinMixin, ParallelGateway):
    """Fires once a token has arrived on every incoming flow."""

    def _may_fire(self, my_task, arrived):
        """Fire once every input of the arrived kind has a token.

        Inputs split into entry flows and flows that come back round from this gateway
        itself (loop edges). Like SpiffWorkflow, a token arriving on an entry flow does not
        wait for loop edges (they cannot carry a token before the gateway first fires), and
        one arriving round the loop does not wait for entry flows; decided from the diagram,
        not from the tree, so it holds however much of the tree has been pruned.
        """
        looping = self._loop_inputs()
        if arrived & looping:
            required = looping
        else:
            required = {spec.name for spec in self.inputs} - looping
        return required <= arrived

    def _loop_inputs(self) -> set[str]:
        cached = self.__dict__.get("_loop_input_names")
        if cached is None:
            reachable = _reachable_names(self)
            cached = {spec.name for spec in self.inputs if spec.name in reachable}
            self.__dict__["_loop_input_names"] = cached
        return cached

    def _run_hook(self, my_task):
        # Branch data was merged as the tokens arrived; there is nothing left to collect.
        return TaskSpec._run_hook(self, my_task)


class TokenInclusiveGateway(TokenJoinMixin, InclusiveGateway):
    """Fires when no other live token can still reach it (Camunda 7 semantics).

    Tasks that are READY, WAITING or STARTED (a running subprocess counts) are tokens; one that
    can reach this gateway along sequence flows, without passing through it, is waited for.
    """

    def _may_fire(self, my_task, arrived):
        if not arrived:
            return False
        for task in my_task.workflow.tasks.values():
            if task is my_task or task.task_spec is self or not task.has_state(TOKEN_STATES):
                continue
            if task.is_descendant_of(my_task):
                continue
            if self._reachable_from(task.task_spec):
                return False
        return True

    def _run_hook(self, my_task):
        # The diverging half of the gateway (the converging half ran in _update_hook).
        matches, defaults = self._get_matching_outputs(my_task)
        if not matches and not defaults:
            raise WorkflowTaskException("No conditions satisfied on gateway", task=my_task)
        my_task._sync_children(matches or defaults, TaskState.FUTURE)
        for child in my_task.children:
            child.task_spec._predict(child, mask=TaskState.FUTURE | TaskState.PREDICTED_MASK)
        return True

    def _reachable_from(self, spec) -> bool:
        cache = self.__dict__.setdefault("_reachability", {})
        if spec.name not in cache:
            cache[spec.name] = self.name in _reachable_names(spec, stop_at=self.name)
        return cache[spec.name]


def _reachable_names(start, stop_at: str | None = None) -> set[str]:
    """Names of the specs reachable from ``start`` along outputs (not going past ``stop_at``)."""
    seen: set[str] = set()
    stack = list(start.outputs)
    while stack:
        spec = stack.pop()
        if spec is None or spec.name in seen:
            continue
        seen.add(spec.name)
        if spec.name != stop_at:
            stack.extend(spec.outputs)
    return seen
