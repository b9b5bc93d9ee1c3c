"""The modules scripts may import, each seen through a read-only proxy of chosen members."""

from __future__ import annotations

import datetime
import decimal
import json
import math
from types import ModuleType
from typing import Any

import regex

from .limits import remaining_seconds


class SafeModule:
    """A read-only view of a module that exposes only the listed members."""

    __slots__ = ("_name", "_members")

    def __init__(self, name: str, members: dict[str, Any]):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_members", members)

    def __getattr__(self, name: str) -> Any:
        members = object.__getattribute__(self, "_members")
        if name in members:
            return members[name]
        raise AttributeError(f"module {object.__getattribute__(self, '_name')!r} has no usable member {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("modules are read-only in scripts")

    def __repr__(self) -> str:
        return f"<module {object.__getattribute__(self, '_name')!r}>"


def _members(module: ModuleType, names: list[str]) -> dict[str, Any]:
    return {name: getattr(module, name) for name in names}


def _public(module: ModuleType) -> list[str]:
    return [name for name in dir(module) if not name.startswith("_")]


class _TimedPattern:
    """A compiled pattern whose matching stops when the script's time is up."""

    __slots__ = ("_pattern",)

    def __init__(self, pattern):
        self._pattern = pattern

    def __getattr__(self, name: str) -> Any:
        if name in ("pattern", "flags", "groups", "groupindex"):
            return getattr(self._pattern, name)
        if name in _REGEX_FUNCTIONS:
            method = getattr(self._pattern, name)
            return lambda *args, **kwargs: method(*args, timeout=remaining_seconds(), **kwargs)
        raise AttributeError(f"pattern has no usable member {name!r}")


_REGEX_FUNCTIONS = ("search", "match", "fullmatch", "split", "findall", "finditer", "sub", "subn")


def _timed(function):
    return lambda *args, **kwargs: function(*args, timeout=remaining_seconds(), **kwargs)


def _re_members() -> dict[str, Any]:
    members: dict[str, Any] = {name: _timed(getattr(regex, name)) for name in _REGEX_FUNCTIONS}
    members["compile"] = lambda pattern, flags=0: _TimedPattern(regex.compile(pattern, flags))
    members["escape"] = regex.escape
    members["error"] = regex.error
    for flag in ("IGNORECASE", "I", "MULTILINE", "M", "DOTALL", "S", "VERBOSE", "X", "ASCII", "A"):
        members[flag] = getattr(regex, flag)
    return members


ALLOWED_MODULES: dict[str, SafeModule] = {
    "math": SafeModule("math", _members(math, _public(math))),
    "datetime": SafeModule("datetime", _members(datetime, ["date", "datetime", "time", "timedelta", "timezone",
                                                           "MINYEAR", "MAXYEAR"])),
    "decimal": SafeModule("decimal", _members(decimal, ["Decimal", "InvalidOperation", "DivisionByZero"]
                                              + [name for name in dir(decimal) if name.startswith("ROUND_")])),
    "re": SafeModule("re", _re_members()),
    "json": SafeModule("json", _members(json, ["dumps", "loads", "JSONDecodeError"])),
}


def safe_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level != 0 or name not in ALLOWED_MODULES:
        raise ImportError(f"import of {name!r} is not allowed; allowed: {', '.join(sorted(ALLOWED_MODULES))}")
    return ALLOWED_MODULES[name]
