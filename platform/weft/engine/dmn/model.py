"""The parts of a DMN decision table, with every cell already translated to Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TableInput:
    id: str
    label: str | None
    expression: str                 # Python, evaluated against the decision's context


@dataclass(frozen=True)
class TableOutput:
    id: str
    name: str
    label: str | None
    priority: tuple[Any, ...] = ()  # allowed values, highest priority first (PRIORITY, OUTPUT ORDER)


@dataclass(frozen=True)
class Rule:
    id: str
    tests: tuple[str | None, ...]   # one Python boolean expression per input (None: any value)
    outputs: tuple[str, ...]        # one Python expression per output
    annotation: str | None = None


@dataclass(frozen=True)
class DecisionTable:
    hit_policy: str                 # UNIQUE FIRST PRIORITY ANY COLLECT "RULE ORDER" "OUTPUT ORDER"
    aggregation: str | None         # SUM MIN MAX COUNT (COLLECT only)
    inputs: tuple[TableInput, ...]
    outputs: tuple[TableOutput, ...]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Decision:
    id: str
    name: str | None
    table: DecisionTable
    required: tuple[str, ...] = field(default=())
    file: str | None = None
