"""Reading HTML form posts with marshmallow schemas (routes stay thin: load, call, render)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request


def load_form(schema: ma.Schema, data: Any = None) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """``(values, {})`` or ``({}, errors per field)``; unknown fields (the CSRF token) are ignored."""
    source = request.form if data is None else data
    plain = {key: source.get(key) for key in source.keys()} if hasattr(source, "keys") else dict(source)
    try:
        return schema.load(plain, unknown=ma.EXCLUDE), {}
    except ma.ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return {}, {key: value if isinstance(value, list) else [str(value)] for key, value in messages.items()}
