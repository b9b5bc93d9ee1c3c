"""Record values as plain JSON, and comparing stored with submitted values."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any


def json_value(value: Any) -> Any:
    """A value as plain JSON (for history and for the API)."""
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def same(old: Any, new: Any) -> bool:
    if isinstance(old, decimal.Decimal) or isinstance(new, decimal.Decimal):
        try:
            return decimal.Decimal(str(old)) == decimal.Decimal(str(new))
        except (decimal.InvalidOperation, TypeError):
            return False
    return old == new
