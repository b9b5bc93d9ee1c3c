"""The sandbox in which analyst-written scripts and expressions run.

Code is parsed and checked before it runs: no access to names or attributes that start with
an underscore (the way out of every Python sandbox goes through ``__class__``, ``__globals__``,
``__subclasses__`` and friends), no string ``format`` (which reaches attributes by name), only
whitelisted modules, each seen through a proxy that exposes its public, harmless members.
Builtins are a fixed list without ``open``, ``getattr``, ``type``, ``eval`` and the like. While
it runs, CPU time, memory growth and the size of values built in one step are limited.
"""

from __future__ import annotations

import ast
import builtins
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from types import CodeType, ModuleType
from typing import Any

from ..errors import ScriptError
from .checks import Checker, SizeGuard
from .limits import CHECKED, ScriptLimitExceeded, checked_iter, checked_range, limited
from .modules import ALLOWED_MODULES, SafeModule, safe_import

MAX_SOURCE_CHARS = 64 * 1024
CACHE_SIZE = 2048
DEFAULT_CPU_SECONDS = 2.0

__all__ = ["ALLOWED_MODULES", "Record", "SAFE_BUILTINS", "Sandbox", "ScriptLimitExceeded"]


def _is_empty(value: Any) -> bool:
    """JUEL's ``empty`` operator."""
    if value is None:
        return True
    try:
        return len(value) == 0
    except TypeError:
        return False


_BUILTIN_NAMES = [
    "abs", "all", "any", "ascii", "bin", "bool", "chr", "dict", "divmod", "enumerate", "filter", "float",
    "frozenset", "hash", "hex", "int", "isinstance", "len", "list", "map", "max", "min", "next",
    "oct", "ord", "pow", "repr", "reversed", "round", "set", "slice", "sorted", "str", "sum",
    "tuple", "zip",
    "ArithmeticError", "AssertionError", "Exception", "IndexError", "KeyError", "LookupError",
    "NameError", "OverflowError", "RuntimeError", "StopIteration", "TypeError", "ValueError",
    "ZeroDivisionError",
]

SAFE_BUILTINS: dict[str, Any] = {name: getattr(builtins, name) for name in _BUILTIN_NAMES}
SAFE_BUILTINS.update({
    "True": True, "False": False, "None": None, "__import__": safe_import, "is_empty": _is_empty,
    "print": lambda *args, **kwargs: None, "range": checked_range, "iter": checked_iter,
    "pow": lambda base, exponent: CHECKED["_checked_pow"](base, exponent), **CHECKED,
})


class Record(dict):
    """A mapping whose keys can also be read as attributes (``order.total``), as in JUEL and FEEL."""

    __slots__ = ()

    @staticmethod
    def wrap(value: Any) -> Any:
        return Record(value) if type(value) is dict else value

    def __getattr__(self, name: str) -> Any:
        try:
            return Record.wrap(self[name])
        except KeyError:
            raise AttributeError(f"no field {name!r}") from None


class Sandbox:
    """Compiles (with a cache), checks and runs scripts and expressions.

    ``functions`` are trusted callables (from ``script_functions`` or entry points) offered to
    every script by name.
    """

    def __init__(self, functions: Mapping[str, Callable[..., Any]] | None = None,
                 cpu_seconds: float = DEFAULT_CPU_SECONDS):
        self.functions = dict(functions or {})
        self.cpu_seconds = cpu_seconds
        self._cache: OrderedDict[tuple[str, str], CodeType] = OrderedDict()
        self._lock = threading.Lock()

    def compile(self, source: str, mode: str) -> CodeType:
        key = (mode, source)
        with self._lock:
            code = self._cache.get(key)
            if code is not None:
                self._cache.move_to_end(key)
                return code
        code = self._check_and_compile(source, mode)
        with self._lock:
            self._cache[key] = code
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return code

    def evaluate(self, expression: str, variables: Mapping[str, Any]) -> Any:
        """The value of an expression; mappings in it allow ``a.b`` for ``a["b"]``."""
        code = self.compile(expression.strip(), "eval")
        environment = self._environment({name: Record.wrap(value) for name, value in variables.items()})
        return self._run(lambda: eval(code, environment))  # noqa: S307 - checked and sandboxed

    def execute(self, script: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        """Run a script; return the variables as the script left them."""
        code = self.compile(script, "exec")
        environment = self._environment(variables)
        self._run(lambda: exec(code, environment))  # noqa: S102 - checked and sandboxed
        return {name: value for name, value in environment.items() if self._is_data(name, value)}

    def _run(self, work: Callable[[], Any]) -> Any:
        try:
            with limited(self.cpu_seconds):
                return work()
        except ScriptLimitExceeded as exc:
            raise ScriptError(str(exc)) from None
        except RecursionError:
            raise ScriptError("recursion too deep") from None

    def _environment(self, variables: Mapping[str, Any]) -> dict[str, Any]:
        environment: dict[str, Any] = dict(self.functions)
        environment.update(variables)
        environment["__builtins__"] = SAFE_BUILTINS
        return environment

    def _is_data(self, name: str, value: Any) -> bool:
        if name == "__builtins__" or (name in self.functions and self.functions[name] is value):
            return False
        return not (callable(value) or isinstance(value, (SafeModule, ModuleType)))

    @staticmethod
    def _check_and_compile(source: str, mode: str) -> CodeType:
        if len(source) > MAX_SOURCE_CHARS:
            raise ScriptError(f"script is longer than {MAX_SOURCE_CHARS} characters")
        try:
            tree = ast.parse(source, mode=mode)
        except SyntaxError as exc:
            raise ScriptError(f"syntax error: {exc.msg}", exc.lineno) from None
        checker = Checker()
        checker.visit(tree)
        if checker.problems:
            line, message = checker.problems[0]
            raise ScriptError(message, line or None)
        tree = ast.fix_missing_locations(SizeGuard().visit(tree))
        return compile(tree, "<script>", mode)  # type: ignore[call-overload]
