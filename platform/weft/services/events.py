"""Messages and signals sent to the platform from outside (the API, embedding code)."""

from __future__ import annotations

from typing import Any

from ..persistence.unit_of_work import UnitOfWork
from .actor import resolve_actor
from .errors import ValidationError
from .instance_runner import InstanceRunner
from .variables import checked_variables


class EventService:
    def __init__(self, uow: UnitOfWork, instances: InstanceRunner):
        self.uow = uow
        self.instance_runner = instances
        self.codec = instances.codec

    def correlate(self, name: str, correlation: dict[str, Any] | None = None,
                  variables: dict[str, Any] | None = None, user: str | None = None) -> list[str]:
        """Deliver a message to the one waiting catch whose instance variables (or business key)
        equal every correlation value; without one, start the process with that message start
        event. Raises ``MessageNotCorrelated`` (404) or ``MessageAmbiguous`` (409)."""
        _check_name(name)
        keys = checked_variables(correlation, self.codec, "correlation")
        values = checked_variables(variables, self.codec)
        with self.uow.write() as tx:
            resolve_actor(tx, user)
            return self.instance_runner.correlate(tx, name, keys, values, user=user)

    def signal(self, name: str, variables: dict[str, Any] | None = None, user: str | None = None) -> list[str]:
        """Broadcast a signal to every waiting catch and start every process it starts."""
        _check_name(name)
        values = checked_variables(variables, self.codec)
        with self.uow.write() as tx:
            resolve_actor(tx, user)
            return self.instance_runner.broadcast(tx, name, values, user=user)


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise ValidationError({"name": ["a message or signal name (1 to 255 characters) is required"]})
