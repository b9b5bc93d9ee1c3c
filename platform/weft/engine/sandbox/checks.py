"""What analyst code may contain, checked on its syntax tree before it ever runs, and the
rewriting that routes size-sensitive operations through checked helpers."""

from __future__ import annotations

import ast
import copy

from .limits import CHECKED_METHOD_NAMES, MAX_ITEMS
from .modules import ALLOWED_MODULES

BANNED_ATTRIBUTES = frozenset({
    "format", "format_map", "mro", "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code",
    "ag_frame", "ag_code", "f_globals", "f_locals", "f_builtins", "f_back", "f_code", "tb_frame",
    "tb_next", "func_globals", "func_code", "im_func", "im_self",
})
FORBIDDEN_NODES = (ast.AsyncFunctionDef, ast.AsyncFor, ast.AsyncWith, ast.Await)


class Checker(ast.NodeVisitor):
    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []

    def refuse(self, node: ast.AST, message: str) -> None:
        self.problems.append((getattr(node, "lineno", 0), message))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr.startswith("_"):
            self.refuse(node, f"access to attribute {node.attr!r} is not allowed")
        elif node.attr in BANNED_ATTRIBUTES:
            self.refuse(node, f"use of {node.attr!r} is not allowed")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id.startswith("__"):
            self.refuse(node, f"name {node.id!r} is not allowed")
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name not in ALLOWED_MODULES:
                self.refuse(node, f"import of {alias.name!r} is not allowed")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or node.module not in ALLOWED_MODULES:
            self.refuse(node, f"import from {node.module!r} is not allowed")
        for alias in node.names:
            if alias.name == "*" or alias.name.startswith("_"):
                self.refuse(node, f"import of {alias.name!r} is not allowed")
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name.startswith("__"):
            self.refuse(node, f"function name {node.name!r} is not allowed")
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.refuse(node, "class definitions are not allowed")

    def visit_arg(self, node: ast.arg) -> None:
        if node.arg.startswith("__"):
            self.refuse(node, f"argument name {node.arg!r} is not allowed")

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is None:
            self.refuse(node, "bare 'except:' is not allowed; name the exceptions")
        self.generic_visit(node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> None:
        spec = node.format_spec
        if isinstance(spec, ast.JoinedStr):
            for part in spec.values:
                if not isinstance(part, ast.Constant):
                    self.refuse(node, "computed format specifications are not allowed")
                elif any(len(digits) > len(str(MAX_ITEMS)) for digits in _digit_runs(str(part.value))):
                    self.refuse(node, "format width too large")
        self.visit(node.value)

    def generic_visit(self, node: ast.AST) -> None:
        if isinstance(node, FORBIDDEN_NODES):
            self.refuse(node, "asynchronous code is not allowed")
        super().generic_visit(node)


def _digit_runs(text: str) -> list[str]:
    runs, current = [], ""
    for char in text:
        if char.isdigit():
            current += char
        elif current:
            runs.append(current)
            current = ""
    return runs + ([current] if current else [])


_OPERATORS = {ast.Mult: "_checked_mul", ast.Pow: "_checked_pow", ast.LShift: "_checked_lshift",
              ast.Mod: "_checked_mod"}


class SizeGuard(ast.NodeTransformer):
    """Rewrites ``a * b``, ``a ** b``, ``a << b``, ``a % b`` (and their ``op=`` forms) and calls of
    padding, ``replace`` and ``join`` into calls of the checked helpers."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        helper = _OPERATORS.get(type(node.op))
        if helper is None:
            return node
        return ast.copy_location(ast.Call(ast.Name(helper, ast.Load()), [node.left, node.right], []), node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        helper = _OPERATORS.get(type(node.op))
        if helper is None or not isinstance(node.target, (ast.Name, ast.Subscript, ast.Attribute)):
            return node
        current = copy.deepcopy(node.target)
        current.ctx = ast.Load()
        call = ast.Call(ast.Name(helper, ast.Load()), [current, node.value], [])
        return ast.copy_location(ast.Assign([node.target], call), node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr in CHECKED_METHOD_NAMES:
            args = [function.value, ast.Constant(function.attr), *node.args]
            return ast.copy_location(ast.Call(ast.Name("_checked_method", ast.Load()), args, node.keywords), node)
        return node
