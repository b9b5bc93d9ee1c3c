"""Access to the platform object from request handlers."""

from __future__ import annotations

from flask import current_app, jsonify

from ..embedding import Weft


def platform() -> Weft:
    return current_app.extensions["weft"]


def paged(items, total: int):
    """A JSON list with the total count in ``X-Total-Count``."""
    response = jsonify(items)
    response.headers["X-Total-Count"] = str(total)
    return response
