"""Naming series such as ``PO-{YYYY}-{#####}``: the series key and the formatted number."""

from __future__ import annotations

import datetime as dt
import re

TOKEN = re.compile(r"\{([^{}]*)\}")
DATE_TOKENS = {"YYYY": "%Y", "YY": "%y", "MM": "%m", "DD": "%d"}
LITERAL = re.compile(r"^[A-Za-z0-9 ._/\-]*$")


def check_pattern(pattern: str) -> str | None:
    """Why a naming pattern is unusable, or ``None``."""
    counters = [t for t in TOKEN.findall(pattern) if t and set(t) == {"#"}]
    if len(counters) != 1:
        return "a naming pattern needs exactly one counter such as {#####}"
    for token in TOKEN.findall(pattern):
        if token not in DATE_TOKENS and set(token) != {"#"}:
            return f"unknown token {{{token}}} (use {{YYYY}}, {{YY}}, {{MM}}, {{DD}} or {{###}})"
    if not LITERAL.match(TOKEN.sub("", pattern)):
        return "a naming pattern may contain letters, digits, spaces and . _ / - besides its tokens"
    if len(pattern) > 60:
        return "a naming pattern is at most 60 characters"
    return None


def series_key(pattern: str, when: dt.date) -> str:
    """The counter's key: the pattern with its date tokens filled in (a new year, a new series)
    and its counter as ``{#}``, so widening the counter continues the series."""
    return TOKEN.sub(lambda m: when.strftime(DATE_TOKENS[m.group(1)]) if m.group(1) in DATE_TOKENS
                     else "{#}", pattern)


def format_number(pattern: str, when: dt.date, counter: int) -> str:
    def fill(match: re.Match) -> str:
        token = match.group(1)
        if token in DATE_TOKENS:
            return when.strftime(DATE_TOKENS[token])
        return str(counter).zfill(len(token))
    return TOKEN.sub(fill, pattern)
