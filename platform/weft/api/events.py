"""``/api/v1/messages`` and ``/api/v1/signals``."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from .auth import current_actor
from .context import platform
from .schemas import ApiErrorSchema, DeliveredSchema, MessageSchema, SignalSchema

events = Blueprint("events", __name__, url_prefix="/api/v1", description="Messages and signals")


@events.route("/messages")
class Messages(MethodView):
    @events.arguments(MessageSchema)
    @events.response(200, DeliveredSchema)
    @events.alt_response(404, schema=ApiErrorSchema, description="no waiting catch and no message start matched")
    @events.alt_response(409, schema=ApiErrorSchema, description="several waiting instances matched")
    def post(self, body):
        """Deliver a message to the one instance waiting for it whose variables (or
        ``business_key``) equal every correlation value, or start the process it starts."""
        ids = platform().events.correlate(body["name"], body["correlation"], body["variables"],
                                          user=current_actor().name)
        return {"instance_ids": ids}


@events.route("/signals")
class Signals(MethodView):
    @events.arguments(SignalSchema)
    @events.response(200, DeliveredSchema)
    def post(self, body):
        """Broadcast a signal to every instance waiting for it; start every process it starts."""
        ids = platform().events.signal(body["name"], body["variables"], user=current_actor().name)
        return {"instance_ids": ids}
