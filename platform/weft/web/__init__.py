"""The web UI: server-rendered Jinja2 pages with htmx for partial updates (DESIGN §1, issue 5).

Every page needs a signed-in user (``session.signed_in``) and every state-changing request the
session's CSRF token; authorization itself stays in the services, as for the REST API.
"""

from __future__ import annotations

from flask import Flask, g, redirect, render_template, request, url_for

from .admin import admin
from .analytics import analytics
from .assets import assets
from .auth import auth
from .editors import editors
from .inbox import inbox
from .instances import instances
from .modeler import modeler
from .notifications import notifications
from .processes import processes
from .records import records
from .reports import reports
from .scenarios import scenarios
from .session import _, check_csrf, csrf_token, load_user
from .tasks import tasks
from .templating import register_templating

BLUEPRINTS = (auth, inbox, tasks, processes, instances, records, reports, analytics, editors, notifications,
              modeler, scenarios,
              admin)
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                           "script-src 'self'; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                           "form-action 'self'; base-uri 'self'; object-src 'none'")


def register_web(app: Flask) -> None:
    app.register_blueprint(assets)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    web = {blueprint.name for blueprint in BLUEPRINTS}

    @app.before_request
    def web_request() -> None:
        if request.blueprint in web:
            load_user()
            check_csrf()

    @app.after_request
    def security_headers(response):
        if not request.path.startswith("/api/"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.get("/")
    def home():
        return redirect(url_for("inbox.inbox"))

    app.extensions["html_error"] = html_error
    register_templating(app)


def html_error(status: int, message: str):
    """An error page for the web UI (the REST API answers JSON)."""
    if not hasattr(g, "locale"):
        load_user()
    titles = {400: _("Bad request"), 401: _("Please sign in"), 403: _("Not allowed"), 404: _("Not found"),
              409: _("Changed meanwhile"), 413: _("Too large"), 422: _("Invalid input"), 429: _("Too many requests")}
    template = "_error_fragment.html" if request.headers.get("HX-Request") else "error.html"
    return render_template(template, status=status, title=titles.get(status, _("Something went wrong")),
                           message=message, csrf_token=csrf_token), status
