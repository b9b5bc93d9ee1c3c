"""Flattening validation errors; record values as JSON (``entities.values``)."""

from __future__ import annotations

from typing import Any

from ..entities.values import json_value, same

__all__ = ["flatten_errors", "json_value", "same"]


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as ``field`` / ``lines[0].qty`` -> messages."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(key, int):
                name = f"{prefix}[{key}]"
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_errors(value, name))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "_schema"] = list(messages)
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            flat.update(flatten_errors(value, f"{prefix}[{index}]"))
    else:
        flat[prefix or "_schema"] = [str(messages)]
    return flat
