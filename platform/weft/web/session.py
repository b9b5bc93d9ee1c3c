"""Who is signed in to the web UI, CSRF tokens, and the language of the page."""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from flask import abort, current_app, g, redirect, request, session, url_for

from ..config import LOCALES
from ..i18n import best_locale, gettext
from ..services.accounts import User
from ..services.actor import Actor

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def platform():
    return current_app.extensions["weft"]


def csrf_token() -> str:
    token = session.get(CSRF_FIELD)
    if not token:
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    """Every state-changing request of the web UI carries the session's token (a form field,
    or the header htmx sends)."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = session.get(CSRF_FIELD)
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not expected or not hmac.compare_digest(str(expected), str(sent)):
        abort(400, description="the form expired or did not come from this site: reload the page and try again")


def load_user() -> None:
    """Before every page: ``g.user`` (the account) and ``g.actor`` (name and groups), or ``None``."""
    g.user = g.actor = None
    name = session.get("user")
    if name:
        try:
            user = platform().accounts.user(name)
        except Exception:  # noqa: BLE001 - a vanished account is simply signed out
            user = None
        if user is not None and user.is_active and session.get("epoch") == user.session_epoch:
            g.user, g.actor = user, Actor(user.name, user.groups)
        else:
            session.clear()
    g.locale = page_locale(g.user)


def page_locale(user: User | None) -> str:
    if user is not None and user.locale in LOCALES:
        return user.locale
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return best_locale(request.headers.get("Accept-Language"), current_app.extensions["weft_settings"].locale)


def sign_in_as(user_name: str) -> None:
    """A fresh session for the signed-in user (no session fixation), valid until the user signs
    out or changes their password (``session_epoch``)."""
    locale = session.get("locale")
    session.clear()
    session["user"] = user_name
    session["epoch"] = platform().accounts.user(user_name).session_epoch
    if locale:
        session["locale"] = locale
    csrf_token()


def _(text: str, **values: Any) -> str:
    return gettext(text, getattr(g, "locale", "en"), **values)


def signed_in(view: Callable) -> Callable:
    """Pages for signed-in users; others go to the sign-in page and come back."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if g.get("actor") is None:
            if request.headers.get("HX-Request"):
                abort(401)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapper


def admin_only(view: Callable) -> Callable:
    @functools.wraps(view)
    @signed_in
    def wrapper(*args, **kwargs):
        if not g.actor.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapper


def analyst_only(view: Callable) -> Callable:
    """Pages for analysts and administrators (process analytics, editors)."""
    @functools.wraps(view)
    @signed_in
    def wrapper(*args, **kwargs):
        if not g.actor.is_analyst:
            abort(403)
        return view(*args, **kwargs)
    return wrapper
