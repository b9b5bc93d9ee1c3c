"""What the instance and task pages show of an instance: its diagram with the path taken,
current and failed elements, its open tasks, incidents and (for those allowed) variables."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ..engine.layout import with_diagram
from ..persistence.unit_of_work import UnitOfWork
from .actor import Actor, resolve_actor
from .errors import InstanceNotFound
from .human_task import Task, task_from_row
from .identifiers import parse_uuid
from .process_instance import ProcessInstanceService, may_see_instance

VARIABLE_READERS = ("admin", "analyst")
DIAGRAM_CACHE = 200


@dataclass(frozen=True)
class DiagramMarks:
    completed: list[str]         # elements executed at least once
    active: list[str]            # elements holding a token
    failed: list[str]            # elements with an open incident


@dataclass(frozen=True)
class InstanceView:
    instance: Any                # ProcessInstance
    process_name: str
    marks: DiagramMarks
    tasks: list[Task]            # open tasks of the instance
    incidents: list[dict[str, Any]]
    show_variables: bool


class InstanceViewService:
    def __init__(self, uow: UnitOfWork, instances: ProcessInstanceService):
        self.uow = uow
        self.instances = instances
        self._diagrams: dict[int, bytes] = {}        # definition id -> file with a diagram

    def view(self, instance_id: str | uuid.UUID, user: str) -> InstanceView:
        instance = self.instances.instance(instance_id, user)            # raises when not visible
        key = uuid.UUID(instance.id)
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
            row = tx.instances.get(key)
            assert row is not None
            definition = tx.deployments.definition(row.definition_id)
            incidents = [{"element_id": r.element_id, "message": r.message, "created_at": r.created_at}
                         for r in tx.incidents.open_for(key)]
            tasks, _total = tx.tasks.search(instance_id=key, open_only=True)
        completed = list(dict.fromkeys(h["element_id"] for h in instance.history))
        marks = DiagramMarks(completed, instance.active_elements, [i["element_id"] for i in incidents])
        return InstanceView(instance, definition.name if definition else instance.process_key, marks,
                            [task_from_row(t) for t in tasks], incidents,
                            _may_read_variables(actor, instance.started_by))

    def diagram(self, instance_id: str | uuid.UUID, user: str) -> bytes:
        """The BPMN file holding the instance's process (as deployed for its version), with a
        generated diagram when the file has none."""
        key = parse_uuid(instance_id)
        with self.uow.read() as tx:
            actor = resolve_actor(tx, user)
            row = tx.instances.get(key) if key else None
            if row is None or not may_see_instance(tx, actor, row):
                raise InstanceNotFound(f"no process instance {instance_id}")
            definition = tx.deployments.definition(row.definition_id)
            assert definition is not None
            cached = self._diagrams.get(definition.id)
            if cached is None:
                [resource] = tx.deployments.resources([definition.resource_id])
                cached = self._diagrams[definition.id] = with_diagram(bytes(resource.content), definition.key)
                while len(self._diagrams) > DIAGRAM_CACHE:
                    self._diagrams.pop(next(iter(self._diagrams)))
            return cached


def _may_read_variables(actor: Actor | None, started_by: str | None) -> bool:
    return actor is None or actor.name == started_by or any(g in VARIABLE_READERS for g in actor.groups)
