"""The admin console's blueprint (every page under ``/admin``, administrators only) and what
its action routes share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect

from ...services.errors import Conflict, NotAllowed, UnknownGroup, UnknownUser, ValidationError
from ..session import _

admin = Blueprint("admin", __name__, url_prefix="/admin")

# Refusals an administrator reads on the page they came from (not-found answers 404).
REFUSALS = (Conflict, ValidationError, NotAllowed, UnknownGroup, UnknownUser)


def act(action: Callable[[], Any], done: str, back: str):
    """Run one service call and go back to ``back`` saying how it went."""
    try:
        action()
    except REFUSALS as exc:
        flash(_("Not done: {reason}", reason=refusal(exc)), "warning")
    else:
        flash(done, "success")
    return redirect(back)


def refuse(errors: dict[str, list[str]], back: str):
    """Go back to ``back`` naming each bad field; nothing was done."""
    flash(_("Not done: {reason}", reason=describe(errors)), "warning")
    return redirect(back)


def describe(errors: dict[str, list[str]]) -> str:
    return "; ".join(f"{field}: {', '.join(str(m) for m in messages)}" for field, messages in errors.items())


def refusal(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    return describe(errors) if errors else str(exc)
