"""The Flask application factory: reads like a table of contents."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask

from .api import register_api
from .config import Settings
from .embedding import Weft
from .web import register_web


def create_app(settings: Settings | None = None, weft: Weft | None = None,
               test_config: dict[str, Any] | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__, instance_relative_config=False, static_folder="web/static", static_url_path="/static",
                template_folder="web/templates")
    app.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["weft"] = weft or Weft.open(settings.database_url)
    app.extensions["weft_settings"] = settings
    register_api(app)
    register_web(app)
    return app
