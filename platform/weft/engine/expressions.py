"""Camunda-style ``${…}`` (JUEL) expressions, translated to sandboxed Python.

Supported: ``&&``, ``||``, ``!``, ``and``/``or``/``not``, ``eq ne lt gt le ge``, ``div``/``mod``,
``empty x``, ``true``/``false``/``null``, property access and indexing. Text with embedded
``${…}`` parts (``Order ${number}``) becomes a string.
"""

from __future__ import annotations

import io
import re
import tokenize

from .errors import ScriptError

_WHOLE = re.compile(r"^\s*\$\{(?P<body>.*)\}\s*$", re.DOTALL)
_EMBEDDED = re.compile(r"\$\{(?P<body>[^}]*)\}")
_WORDS = {
    "eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=",
    "div": "/", "mod": "%", "true": "True", "false": "False", "null": "None",
}


def is_juel(text: str) -> bool:
    return "${" in text


def to_python(text: str) -> str:
    """Translate an expression that may be written as ``${…}`` into a Python expression."""
    match = _WHOLE.match(text)
    if match and "${" not in match.group("body"):
        return translate_juel(match.group("body"))
    if "${" in text:
        parts = []
        position = 0
        for part in _EMBEDDED.finditer(text):
            if part.start() > position:
                parts.append(repr(text[position:part.start()]))
            parts.append(f"str({translate_juel(part.group('body'))})")
            position = part.end()
        if position < len(text):
            parts.append(repr(text[position:]))
        return " + ".join(parts) if parts else "''"
    return text.strip()


def translate_juel(body: str) -> str:
    """Rewrite JUEL operators into Python, token by token (strings are left untouched)."""
    source = body.replace("&&", " and ").replace("||", " or ")
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        raise ScriptError(f"cannot read expression ${{{body}}}: {exc}") from None
    out: list[str] = []
    pending_empty = 0
    for index, token in enumerate(tokens):
        kind, text = token.type, token.string
        if kind == tokenize.OP and text == "!" and not _next_is(tokens, index, "="):
            out.append(" not ")
        elif kind == tokenize.ERRORTOKEN and text == "!":
            out.append(" not ")
        elif kind == tokenize.NAME and text in _WORDS:
            out.append(f" {_WORDS[text]} ")
        elif kind == tokenize.NAME and text == "empty":
            out.append(" is_empty(")
            pending_empty += 1
            continue
        elif kind in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
            continue
        else:
            out.append(text if kind != tokenize.NAME else f" {text} ")
        if pending_empty and kind in (tokenize.NAME, tokenize.NUMBER, tokenize.STRING) \
                and not _next_is(tokens, index, ".") and not _next_is(tokens, index, "["):
            out.append(")" * pending_empty)
            pending_empty = 0
    out.append(")" * pending_empty)
    return " ".join("".join(out).split())


def _next_is(tokens: list[tokenize.TokenInfo], index: int, text: str) -> bool:
    return index + 1 < len(tokens) and tokens[index + 1].string == text
