"""Errors of the use cases. They carry no HTTP status (``api/errors.py`` maps them)."""

from __future__ import annotations

from ..errors import WeftError


class NotFound(WeftError):
    """The thing asked for does not exist."""


class UnknownProcess(NotFound):
    pass


class InstanceNotFound(NotFound):
    pass


class TaskGone(WeftError):
    """The task was completed or cancelled already (or never existed: see ``TaskNotFound``)."""


class TaskNotFound(TaskGone, NotFound):
    pass


class TaskClaimed(WeftError):
    """The task is claimed by somebody else."""

    def __init__(self, message: str, assignee: str | None = None):
        self.assignee = assignee
        super().__init__(message)


class NotAllowed(WeftError):
    """The acting user may not do this."""


class Conflict(WeftError):
    """The request contradicts the current state (a name already taken, a suspended instance…)."""


class UnknownUser(WeftError):
    """A user named in a request does not exist."""


class UnknownGroup(WeftError):
    pass


class ValidationError(WeftError):
    """Input that fails validation; ``errors`` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]], message: str = "invalid input"):
        self.errors = errors
        detail = "; ".join(f"{field}: {', '.join(messages)}" for field, messages in errors.items())
        super().__init__(f"{message}: {detail}" if detail else message)
