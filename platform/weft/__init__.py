"""Weft: a low-code BPM platform. ``from weft import Weft`` is the embedding API."""

from .embedding import Weft
from .engine.errors import DeploymentError, Problem, ProcessError, ScriptError
from .errors import WeftError
from .services.errors import (
    Conflict,
    InstanceNotFound,
    NotAllowed,
    NotFound,
    TaskClaimed,
    TaskGone,
    TaskNotFound,
    UnknownGroup,
    UnknownProcess,
    UnknownUser,
    ValidationError,
)
from .services.instance_runner import MessageAmbiguous, MessageNotCorrelated

__all__ = [
    "Conflict", "DeploymentError", "InstanceNotFound", "MessageAmbiguous", "MessageNotCorrelated", "NotAllowed", "NotFound", "Problem", "ProcessError",
    "ScriptError", "TaskClaimed", "TaskGone", "TaskNotFound", "UnknownGroup", "UnknownProcess", "UnknownUser",
    "ValidationError", "Weft", "WeftError",
]
