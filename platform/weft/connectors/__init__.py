"""Built-in connectors (``mail.send``, ``http.request``, ``entity.*``) and the registry service tasks use."""

from __future__ import annotations

from ..config import Settings
from ..engine.connectors import ConnectorRegistry
from .entity import create_record, find_records, get_record, update_record
from .http import HttpRequest
from .mail import send_mail


def builtin_registry(settings: Settings) -> ConnectorRegistry:
    """The built-in connectors plus those installed through the ``weft.connectors`` entry points."""
    registry = ConnectorRegistry()
    registry.register("mail.send", send_mail)
    registry.register("http.request", HttpRequest(settings.http_allowed_hosts))
    registry.register("entity.create", create_record)
    registry.register("entity.update", update_record)
    registry.register("entity.get", get_record)
    registry.register("entity.find", find_records)
    registry.load_entry_points()
    return registry
