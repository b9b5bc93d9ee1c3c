"""Checking variables handed in from outside before they reach a process."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..engine.state_codec import StateCodec
from .errors import ValidationError

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,199}$")


def checked_variables(values: Any, codec: StateCodec, what: str = "variables") -> dict[str, Any]:
    """A plain dict of storable values with identifier names, or ``ValidationError`` per field."""
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise ValidationError({what: ["must be an object of name/value pairs"]})
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if not isinstance(name, str) or not NAME.match(name) or name.startswith("__"):
            errors[str(name)] = ["not a valid variable name (letters, digits and _, not starting with a digit)"]
            continue
        try:
            codec.dump_json(value)
        except (TypeError, ValueError) as exc:
            errors[name] = [f"value cannot be stored: {exc}"]
    if errors:
        raise ValidationError(errors, f"invalid {what}")
    return dict(values)
