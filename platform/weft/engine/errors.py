"""Errors raised by the BPMN engine core."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import WeftError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a deployment, located as precisely as possible."""

    file: str
    message: str
    element: str | None = None
    line: int | None = None
    force: str | None = None        # a refused schema change: the --force name that accepts it

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
        if self.element:
            where += f" [{self.element}]"
        return f"{where}: {self.message}"


class DeploymentError(WeftError):
    """A deployment was refused; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "deployment refused")


class ProcessError(WeftError):
    """Executing a process element failed (script error, bad expression, missing data)."""

    def __init__(self, message: str, element: str | None = None, process: str | None = None):
        self.element = element
        self.process = process
        super().__init__(message)

    def __str__(self) -> str:
        text = super().__str__()
        if self.element:
            return f"{self.process or 'process'} [{self.element}]: {text}"
        return text


class ScriptError(WeftError):
    """An analyst script or expression was refused by the sandbox or raised an error."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(message)
