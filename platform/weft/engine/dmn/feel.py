"""A practical subset of FEEL, translated to Python for the sandbox.

Unary tests (input entries): ``-``, ``< 250``, ``>= x``, ``[250..1000]``, ``(0..5]``,
``]a..b[``, ``"a","b"``, ``not("x")``, plain values, and Python boolean expressions (the input
value is ``cell_input``). Expressions (input expressions, output entries): literals, names and
dotted paths, arithmetic, comparisons (``=`` is equality), ``and``/``or``/``not(…)``,
``date("…")``/``date and time("…")``.
"""

from __future__ import annotations

import io
import re
import tokenize

from ..errors import ScriptError

CELL = "cell_input"
_COMPARISON = re.compile(r"^(<=|>=|<|>|!=|=)\s*(.+)$", re.DOTALL)
_RANGE = re.compile(r"^([\[\(\]])\s*(.+?)\s*\.\.\s*(.+?)\s*([\]\)\[])$", re.DOTALL)
_FUNCTIONS = {"date and time": "feel_datetime", "date": "feel_date", "time": "feel_time", "duration": "feel_duration"}


def unary_tests(text: str | None) -> str | None:
    """The Python boolean expression for an input entry, or ``None`` for "any value"."""
    source = (text or "").strip()
    if source in ("", "-"):
        return None
    negated = re.match(r"^not\s*\((.*)\)$", source, re.DOTALL)
    if negated:
        inner = unary_tests(negated.group(1))
        return "True" if inner is None else f"not ({inner})"
    parts = split_top_level(source)
    tests = [_positive_test(part) for part in parts]
    return tests[0] if len(tests) == 1 else "(" + " or ".join(f"({t})" for t in tests) + ")"


def _positive_test(text: str) -> str:
    text = text.strip()
    comparison = _COMPARISON.match(text)
    if comparison and not text.startswith("=="):
        operator = "==" if comparison.group(1) == "=" else comparison.group(1)
        return f"{CELL} {operator} ({expression(comparison.group(2))})"
    interval = _RANGE.match(text)
    if interval:
        low_open = interval.group(1) in "(]"
        high_open = interval.group(4) in ")["
        low, high = expression(interval.group(2)), expression(interval.group(3))
        return (f"({low}) {'<' if low_open else '<='} {CELL} "
                f"{'<' if high_open else '<='} ({high})")
    translated = expression(text)
    if re.search(rf"\b{CELL}\b", translated) or _is_boolean_expression(text):
        return translated
    return f"{CELL} == ({translated})"


def _is_boolean_expression(text: str) -> bool:
    return bool(re.search(r"(==|!=|<=|>=|<|>|\band\b|\bor\b|\bin\b|\bis\b)", _strip_strings(text)))


def _strip_strings(text: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', text)


def split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside brackets or strings."""
    parts: list[str] = []
    current: list[str] = []
    depth, quote = 0, None
    for char in text:
        if quote:
            current.append(char)
            if char == quote:
                quote = None
            continue
        if char in "\"'":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [part for part in (p.strip() for p in parts) if part]


def expression(text: str | None) -> str:
    """A FEEL (or Python) expression as Python."""
    source = (text or "").strip()
    if not source:
        return "None"
    for feel_name, python_name in _FUNCTIONS.items():
        source = re.sub(rf"\b{feel_name}\s*\(", f"{python_name}(", source)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        raise ScriptError(f"cannot read expression {text!r}: {exc}") from None
    out = []
    for token in tokens:
        kind, value = token.type, token.string
        if kind == tokenize.NAME and value in ("true", "false", "null"):
            out.append({"true": "True", "false": "False", "null": "None"}[value])
        elif kind == tokenize.OP and value == "=":
            out.append("==")
        elif kind in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
            continue
        else:
            out.append(value)
    return _join(out)


def _join(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        if text and (text[-1].isalnum() or text[-1] in "_\"')]") and (token[0].isalnum() or token[0] in "_\"'"):
            text += " "
        text += token
    return text
