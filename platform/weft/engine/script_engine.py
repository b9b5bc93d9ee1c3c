"""SpiffWorkflow's script engine, backed by Weft's sandbox and ``${…}`` expressions."""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from .camunda_io import ScriptValue
from .errors import ScriptError
from .expressions import to_python
from .sandbox import Sandbox


class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """The environment SpiffWorkflow calls for conditions, scripts and DMN cells."""

    def __init__(self, sandbox: Sandbox):
        super().__init__({})
        self.sandbox = sandbox

    def evaluate(self, expression, context, external_context=None):
        variables = dict(external_context or {})
        variables.update(context)
        return self.sandbox.evaluate(to_python(expression), variables)

    def execute(self, script, context, external_context=None):
        variables = dict(external_context or {})
        variables.update(context)
        result = self.sandbox.execute(script, variables)
        for name in external_context or {}:
            result.pop(name, None)
        context.clear()
        context.update(result)
        return True

    def call_service(self, context, **kwargs):
        raise ScriptError("service calls are made through connectors, not scripts")


class WeftScriptEngine(PythonScriptEngine):
    """Turns sandbox refusals and script errors into SpiffWorkflow task exceptions that name
    the element, so the engine reports them like any other execution error."""

    def __init__(self, sandbox: Sandbox):
        super().__init__(environment=SandboxEnvironment(sandbox))
        self.sandbox = sandbox

    def validate(self, expression):
        self.sandbox.compile(to_python(expression), "eval")

    def evaluate(self, task, expression, external_context=None):
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except Exception as exc:  # noqa: BLE001 - any analyst error becomes a task error
            raise WorkflowTaskException(_describe(exc, f"expression {expression.strip()!r}"), task=task,
                                        exception=exc) from exc

    def execute(self, task, script, external_context=None):
        try:
            return self.environment.execute(script, task.data, external_context)
        except Exception as exc:  # noqa: BLE001
            raise WorkflowTaskException(_describe(exc, "script"), task=task, exception=exc) from exc

    def evaluate_value(self, task, text: str) -> Any:
        """Evaluate a Camunda attribute value: ``${…}`` is an expression, anything else a literal."""
        if "${" not in text:
            return text
        return self.evaluate(task, text)

    def evaluate_parameter(self, task, value: Any) -> Any:
        """A ``camunda:inputParameter`` value against the task's data."""
        return self.evaluate_parameter_in(task, task.data, value)

    def evaluate_parameter_in(self, task, context: dict[str, Any], value: Any) -> Any:
        """A parameter value against ``context``: text (literal or ``${…}``), list, map or script."""
        if isinstance(value, list):
            return [self.evaluate_parameter_in(task, context, item) for item in value]
        if isinstance(value, dict):
            return {key: self.evaluate_parameter_in(task, context, item) for key, item in value.items()}
        if isinstance(value, ScriptValue):
            return self._in_context(task, context, value.source)
        if isinstance(value, str) and "${" in value:
            return self._in_context(task, context, value)
        return value

    def _in_context(self, task, context: dict[str, Any], expression: str) -> Any:
        try:
            return self.environment.evaluate(expression, context)
        except Exception as exc:  # noqa: BLE001
            raise WorkflowTaskException(_describe(exc, f"expression {expression.strip()!r}"), task=task,
                                        exception=exc) from exc


def _describe(exc: Exception, what: str) -> str:
    if isinstance(exc, ScriptError):
        where = f" (line {exc.line})" if exc.line else ""
        return f"{what} refused{where}: {exc}"
    if isinstance(exc, NameError):
        return f"{what} failed: {exc} (is the variable set?)"
    return f"{what} failed: {type(exc).__name__}: {exc}"
