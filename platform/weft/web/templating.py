"""What templates may use: translation, CSRF, labels from data, dates, errors next to fields."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from flask import Flask, g, request, url_for
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from ..entities.labels import translate
from .session import _, csrf_token


def label(value: Any) -> str:
    """A label from data (``{en: …, ru: …}`` or text) in the page's language."""
    if isinstance(value, dict):
        return translate(value, getattr(g, "locale", "en"))
    return "" if value is None else str(value)


def when(value: dt.datetime | dt.date | None, with_time: bool = True) -> Markup:
    """A moment as ``<time>``; the browser shows it in the user's time zone."""
    if value is None:
        return Markup("")
    if isinstance(value, dt.datetime):
        text = value.strftime("%Y-%m-%d %H:%M UTC") if with_time else value.strftime("%Y-%m-%d")
        return Markup('<time datetime="{}" data-local="{}">{}</time>').format(
            value.isoformat(), "datetime" if with_time else "date", text)
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), value.isoformat())


def field_errors(errors: dict | None, name: str) -> Markup:
    if not errors or name not in errors:
        return Markup("")
    messages = errors[name] if isinstance(errors[name], list) else [errors[name]]
    return Markup('<p class="field-error" role="alert">{}</p>').format("; ".join(str(m) for m in messages))


def url_with(endpoint: str | None = None, **changes: Any) -> str:
    """The current query with some arguments changed (``None`` removes one), on the current
    page or on ``endpoint``'s."""
    args = MultiDict(request.args)
    for key, value in changes.items():
        args.setlist(key, [] if value is None else [str(value)])
    query = urlencode(list(args.items(multi=True)))
    path = url_for(endpoint) if endpoint else request.path
    return path + (f"?{query}" if query else "")


def register_templating(app: Flask) -> None:
    app.jinja_env.globals.update(_=_, csrf_token=csrf_token, label=label, field_errors=field_errors,
                                 url_with=url_with, now=lambda: app.extensions["weft"].clock())
    app.jinja_env.filters.update(when=when, label=label)
