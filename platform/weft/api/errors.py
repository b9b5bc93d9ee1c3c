"""The one place where errors become HTTP responses: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from ..engine.errors import DeploymentError, ProcessError, ScriptError
from ..errors import WeftError
from ..services.errors import (
    Conflict,
    NotAllowed,
    NotFound,
    TaskClaimed,
    TaskGone,
    UnknownGroup,
    UnknownUser,
    ValidationError,
)

# Checked in order: the first matching class decides (TaskNotFound is both NotFound and TaskGone).
STATUS_BY_ERROR: list[tuple[type[Exception], int, str]] = [
    (NotFound, 404, "not_found"),
    (TaskGone, 409, "task_gone"),
    (TaskClaimed, 409, "task_claimed"),
    (Conflict, 409, "conflict"),
    (NotAllowed, 403, "forbidden"),
    (ValidationError, 422, "invalid"),
    (UnknownUser, 422, "unknown_user"),
    (UnknownGroup, 422, "unknown_group"),
    (DeploymentError, 422, "deployment_refused"),
    (ProcessError, 422, "process_error"),
    (ScriptError, 422, "script_error"),
]


def error_response(status: int, code: str, message: str, details: Any = None):
    response = jsonify({"error": {"code": code, "message": message, "details": details}})
    response.status_code = status
    return response


def _details(exc: Exception) -> Any:
    if isinstance(exc, DeploymentError):
        return [{"file": p.file, "element": p.element, "line": p.line, "message": p.message} for p in exc.problems]
    if isinstance(exc, ValidationError):
        return exc.errors
    if isinstance(exc, ProcessError):
        return {"element": exc.element, "process": exc.process}
    if isinstance(exc, TaskClaimed):
        return {"assignee": exc.assignee}
    return None


def handle_weft_error(exc: WeftError):
    if _web_page():
        status = next((status for error_class, status, _code in STATUS_BY_ERROR if isinstance(exc, error_class)), 400)
        return current_app.extensions["html_error"](status, str(exc))
    return json_error(exc)


def json_error(exc: WeftError):
    """The JSON answer to a domain error (the REST API, and the web UI's JSON endpoints)."""
    for error_class, status, code in STATUS_BY_ERROR:
        if isinstance(exc, error_class):
            return error_response(status, code, str(exc), _details(exc))
    return error_response(400, "bad_request", str(exc))


def _web_page() -> bool:
    """Requests of the web UI get error pages; the REST API answers JSON."""
    return not request.path.startswith("/api/") and "html_error" in current_app.extensions


def handle_http_error(exc: HTTPException):
    if _web_page():
        return current_app.extensions["html_error"](exc.code or 500, exc.description or exc.name or "error")
    data = getattr(exc, "data", None)          # webargs puts validation messages here
    if isinstance(data, dict) and "messages" in data:
        details = _flatten(data["messages"])
        summary = "; ".join(f"{field}: {' '.join(map(str, messages)) if isinstance(messages, list) else messages}"
                            for field, messages in details.items())
        return error_response(422, "invalid", f"invalid request: {summary}", details)
    code = (exc.name or "error").lower().replace(" ", "_")
    return error_response(exc.code or 500, code, exc.description or exc.name or "error")


def _flatten(messages: dict[str, Any]) -> dict[str, Any]:
    """webargs nests messages by location (json, query, files); callers want them by field."""
    flat: dict[str, Any] = {}
    for location_messages in messages.values():
        if isinstance(location_messages, dict):
            flat.update(location_messages)
    return flat or messages


def handle_integrity_error(_exc: IntegrityError):
    """A race the services' own checks could not see (two writers of one unique value)."""
    return error_response(409, "conflict", "the change conflicts with a concurrent one (a value that must be unique, "
                                           "or a record still referred to); reload and try again")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(WeftError, handle_weft_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(HTTPException, handle_http_error)
