"""Who is calling: a bearer token (``weft token create``) or the web session."""

from __future__ import annotations

import hmac

from flask import current_app, g, request, session
from werkzeug.exceptions import Forbidden, Unauthorized

from ..services.actor import Actor


def authenticate() -> None:
    """Before every API request: set ``g.actor`` or answer 401."""
    header = request.headers.get("Authorization", "")
    weft = current_app.extensions["weft"]
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("use 'Authorization: Bearer <token>'")
        actor = weft.accounts.authenticate_token(token.strip())
        if actor is None:
            raise Unauthorized("invalid or revoked token")
        g.actor = actor
        return
    user = session.get("user")
    if user:
        try:
            record = weft.accounts.user(user)
        except Exception:  # noqa: BLE001 - a stale session is simply not a login
            record = None
        if record is not None and record.is_active and session.get("epoch") == record.session_epoch:
            _check_csrf()
            g.actor = Actor(record.name, record.groups)
            return
    raise Unauthorized("authentication required: send 'Authorization: Bearer <token>'")


def current_actor() -> Actor:
    return g.actor


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _check_csrf() -> None:
    """Cookie-authenticated changes must echo the session's CSRF token in a header."""
    if request.method in SAFE_METHODS:
        return
    expected = session.get("csrf_token")
    sent = request.headers.get("X-CSRF-Token", "")
    if not expected or not hmac.compare_digest(str(expected), sent):
        raise Forbidden("missing or wrong X-CSRF-Token header for a session-authenticated request")
