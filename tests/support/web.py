"""Driving the web UI through Flask's test client: signed-in users, forms with CSRF tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass

CSRF = "test-csrf-token"


@dataclass
class Browser:
    client: object
    name: str | None

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict | None = None, htmx: bool = False, **kwargs):
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.post(url, data={"csrf_token": self.csrf_token(), **(data or {})}, headers=headers,
                                **kwargs)

    def post_json(self, url: str, body: dict, **kwargs):
        """A JSON request as the web UI's scripts send it (the CSRF token in a header)."""
        headers = {"X-CSRF-Token": self.csrf_token(), **kwargs.pop("headers", {})}
        return self.client.post(url, json=body, headers=headers, **kwargs)

    def csrf_token(self) -> str:
        """The session's token (signing in replaces it)."""
        with self.client.session_transaction() as session:
            return session.get("csrf_token") or CSRF


def signed_in(app, name: str | None) -> Browser:
    """A client with a session for ``name`` (``None``: nobody signed in)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["csrf_token"] = CSRF
        if name is not None:
            session["user"] = name
            session["epoch"] = app.extensions["weft"].accounts.user(name).session_epoch
    return Browser(client, name)


def task_ids(html: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r'href="/tasks/([0-9a-f-]{36})"', html)))


def field_errors(html: str) -> list[str]:
    return re.findall(r'class="field-error"[^>]*>([^<]*)<', html)
