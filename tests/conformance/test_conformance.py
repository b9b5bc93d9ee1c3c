"""BPMN conformance: one small model per construct (tests/conformance/models, written by
generate.py), run on the engine; the marker tasks it executes must match expected.yaml. The README's
conformance table lists these constructs with their files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).parent
EXPECTED = yaml.safe_load((HERE / "expected.yaml").read_text())
CASES = [(name, case) for name, cases in EXPECTED.items()
         for case in (cases if isinstance(cases, list) else [cases])]


def trace_of(weft, instance_id) -> list[str]:
    return [h["element_id"][2:] for h in weft.instance(instance_id).history if h["element_id"].startswith("m_")]


def matches(trace: list[str], expected: list) -> bool:
    """``expected`` in order; a nested list: those markers in any order."""
    position = 0
    for item in expected:
        group = item if isinstance(item, list) else [item]
        if sorted(trace[position:position + len(group)]) != sorted(group):
            return False
        position += len(group)
    return position == len(trace)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{i}" for i, (n, _c) in enumerate(CASES)])
def test_construct(weft, clock, name, case):
    deployment = weft.deploy(HERE / "models" / f"{name}.bpmn")
    process = next(p.key for p in deployment.processes if p.key.startswith("c_") and p.key != "c_child")
    instance = weft.start(process, {"trace": [], **(case.get("variables") or {})})
    for step in case.get("steps") or []:
        if "wait" in step:
            clock.advance(**{"hours": 1} if step["wait"] == "PT1H" else {"days": 1})
            clock.advance(seconds=1)
            weft.fire_due_timers()
        elif "complete" in step:
            [task] = [t for t in weft.tasks(instance_id=instance.id) if t.element_id == step["complete"]]
            weft.complete(task.id, {})
        elif "message" in step:
            weft.correlate(step["message"], {})
        elif "signal" in step:
            weft.signal(step["signal"])
    weft.run_jobs()
    trace = trace_of(weft, instance.id)
    assert matches(trace, case["trace"]), f"{name}: trace {trace}, expected {case['trace']}"
    if "open_tasks" in case:
        assert [t.element_id for t in weft.tasks(instance_id=instance.id)] == case["open_tasks"]
    assert isinstance(clock.now, dt.datetime)
