"""What an instance search may ask, checked: every bad criterion is named in the error."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from ..persistence.instance_search import InstanceFilter, VariableMatch
from .errors import ValidationError
from .variables import NAME

STATES = ("running", "waiting", "completed", "terminated", "failed")


@dataclass(frozen=True)
class InstanceQuery:
    """Search criteria. ``value`` is typed as text: ``42`` finds the number 42 and the text
    "42", ``true`` the boolean and the text; a decimal or date finds it by its written form
    (``12.50``, ``2026-01-05``). ``variable`` without ``value``: instances having it."""

    process_key: str | None = None
    version: int | None = None
    state: str | None = None
    suspended: bool | None = None
    business_key: str | None = None
    started_by: str | None = None
    started_from: dt.datetime | None = None
    started_to: dt.datetime | None = None
    variable: str | None = None
    value: str | None = None

    def to_filter(self) -> InstanceFilter:
        errors: dict[str, list[str]] = {}
        if self.state and self.state not in STATES:
            errors["state"] = [f"one of {', '.join(STATES)}"]
        if self.version is not None and self.version < 1:
            errors["version"] = ["a version number from 1"]
        if self.started_from and self.started_to and self.started_from >= self.started_to:
            errors["started_to"] = ["must be later than started_from"]
        if self.variable and not NAME.match(self.variable):
            errors["variable"] = ["not a variable name (letters, digits and _, not starting with a digit)"]
        if self.value not in (None, "") and not self.variable:
            errors["variable"] = ["name the variable whose value to look for"]
        if errors:
            raise ValidationError(errors, "invalid search")
        match = VariableMatch(self.variable, candidates(self.value)) if self.variable else None
        return InstanceFilter(self.process_key or None, self.version, self.state or None, self.suspended,
                              self.business_key or None, self.started_by or None, self.started_from,
                              self.started_to, match)


def candidates(text: str | None) -> tuple[Any, ...]:
    """The values a typed text may mean: itself, and what it reads as in JSON."""
    if text is None or text == "":
        return ()
    try:
        parsed = json.loads(text)
    except ValueError:
        return (text,)
    if isinstance(parsed, str):
        return (parsed,)
    if parsed is None or isinstance(parsed, (bool, int, float)):
        return (parsed, text)
    return (text,)
