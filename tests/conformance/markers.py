"""Marker tasks for conformance models: a script task ``m_<x>`` appends ``x`` to the ``trace`` variable,
and the trace of executed markers is what tests/conformance/expected/*.yaml state."""

from __future__ import annotations

from tests.support.bpmn import Node, script


def m(id: str) -> Node:
    """A marker: a script task the trace shows."""
    return script(f"m_{id}", f"trace = trace + [{id!r}]")


def mi(id: str, body: str, sequential: bool = False) -> Node:
    loop = (f'<multiInstanceLoopCharacteristics isSequential="{str(sequential).lower()}">'
            f"{body}</multiInstanceLoopCharacteristics>")
    return script(f"m_{id}", f"trace = trace + [{id!r}]", body=loop)
