"""Connectors: named, trusted Python callables that service tasks invoke.

A connector takes the evaluated input parameters and a ``ConnectorContext`` and returns a
dict of result values (read by the task's output parameters). Built-ins live in
``weft.connectors``; more come from installed packages through the ``weft.connectors`` entry
point group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

from ..errors import WeftError


class ConnectorError(WeftError):
    """A connector failed; the message says why (it becomes the incident's message)."""


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    cc: tuple[str, ...] = ()
    bcc: tuple[str, ...] = ()
    sender: str | None = None


@dataclass
class ConnectorContext:
    instance_id: str | None
    process_key: str | None
    element_id: str
    now: dt.datetime
    outbox: list[Mail] = field(default_factory=list)
    services: Mapping[str, Callable[[], Any]] = field(default_factory=dict)
    _made: dict[str, Any] = field(default_factory=dict, repr=False)

    def service(self, name: str) -> Any:
        """A service of the platform bound to the current transaction (e.g. ``records``),
        made on first use."""
        if name not in self._made:
            factory = self.services.get(name)
            if factory is None:
                raise ConnectorError(f"the {name!r} service is not available here")
            self._made[name] = factory()
        return self._made[name]


Connector = Callable[[dict[str, Any], ConnectorContext], "dict[str, Any] | None"]


class ConnectorRegistry:
    def __init__(self, connectors: dict[str, Connector] | None = None):
        self._connectors: dict[str, Connector] = dict(connectors or {})

    def register(self, name: str, connector: Connector) -> None:
        self._connectors[name] = connector

    def names(self) -> set[str]:
        return set(self._connectors)

    def get(self, name: str) -> Connector:
        try:
            return self._connectors[name]
        except KeyError:
            raise ConnectorError(f"unknown connector {name!r}") from None

    def load_entry_points(self, group: str = "weft.connectors") -> None:
        for entry in entry_points(group=group):
            self._connectors[entry.name] = entry.load()


@dataclass(frozen=True)
class Execution:
    """Who and what a run belongs to (for connectors, history and default candidates)."""

    instance_id: str | None = None
    process_key: str | None = None
    starter: str | None = None
    # Platform services for connectors, bound to the step's transaction: name -> factory.
    services: Mapping[str, Callable[[], Any]] = field(default_factory=dict, compare=False, hash=False)


class ConnectorRuntime:
    """What a running workflow uses to call connectors; collects their side effects."""

    def __init__(self, registry: ConnectorRegistry, execution: Execution, clock: Callable[[], dt.datetime]):
        self.registry = registry
        self.execution = execution
        self.clock = clock
        self.outbox: list[Mail] = []
        made: dict[str, Any] = {}
        # One instance of each service per run, shared by the connectors it calls.
        self._services = {name: (lambda n=name, f=factory: made[n] if n in made else made.setdefault(n, f()))
                          for name, factory in execution.services.items()}

    def invoke(self, connector_id: str, params: dict[str, Any], task) -> dict[str, Any]:
        connector = self.registry.get(connector_id)
        element = getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name
        context = ConnectorContext(self.execution.instance_id, self.execution.process_key, element, self.clock(),
                                   services=self._services)
        result = connector(params, context)
        self.outbox.extend(context.outbox)
        return dict(result or {})
