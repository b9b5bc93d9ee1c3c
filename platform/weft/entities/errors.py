"""Errors of entity definitions and records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import WeftError
from .definition_names import IDENTIFIER, NAME_RULE
from .labels import Label, read_label


@dataclass(frozen=True)
class DefinitionProblem:
    """One thing wrong with a definition file: which file, which key, what."""

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file} [{self.key}]: {self.message}" if self.key else f"{self.file}: {self.message}"


class Problems:
    """The problems of one definition file, collected while reading it: ``problems(key, message)``."""

    def __init__(self, file: str):
        self.file = file
        self.found: list[DefinitionProblem] = []

    def __call__(self, key: str, message: str) -> None:
        self.found.append(DefinitionProblem(self.file, key, message))

    def label(self, value: Any, default: str, key: str) -> Label:
        try:
            return read_label(value, default)
        except ValueError as exc:
            self(key, str(exc))
            return {"en": default}

    def named_mapping(self, data: Any, what: str, known_keys: set[str]) -> str | None:
        """The ``name`` of a definition that must be a mapping of ``known_keys`` (unknown keys
        are problems); ``None`` when it is no mapping or has no valid name. ``what`` reads like
        "an entity definition (name, label, fields, …)"."""
        if not isinstance(data, dict):
            self("", what.replace(" (", " must be a mapping (", 1))
            return None
        for key in sorted(set(data) - known_keys, key=str):
            self(str(key), f"unknown key {key!r}")
        name = data.get("name")
        if not isinstance(name, str) or not IDENTIFIER.match(name):
            self("name", f"the name must be {NAME_RULE}")
            return None
        return name


class DefinitionError(WeftError):
    def __init__(self, problems: list[DefinitionProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
