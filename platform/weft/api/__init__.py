"""The JSON REST API under ``/api/v1`` (DESIGN §4), with an OpenAPI document generated from
its marshmallow schemas at ``/api/v1/openapi.json``."""

from __future__ import annotations

from flask import Flask, request
from flask_smorest import Api

from .admin import audit, jobs
from .auth import authenticate
from .deployments import definitions, deployments, modules
from .entities import entities
from .errors import register_error_handlers
from .events import events
from .process_instances import instances
from .reports import reports
from .schemas import ApiErrorSchema
from .tasks import tasks

BLUEPRINTS = (deployments, definitions, modules, instances, tasks, events, entities, reports, audit, jobs)


class WeftApi(Api):
    """flask-smorest's API, documenting Weft's error body for every error response."""

    ERROR_SCHEMA = ApiErrorSchema


def register_api(app: Flask) -> Api:
    app.config.setdefault("API_TITLE", "Weft")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearerAuth": []}],
    })
    api = WeftApi(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    protected = {blueprint.name for blueprint in BLUEPRINTS}

    @app.before_request
    def authenticate_api_calls() -> None:
        if request.blueprint in protected:
            authenticate()

    register_error_handlers(app)
    return api
