"""BPMN conformance: one small model per construct (tests/conformance/models, written by generate.py or
by hand), run on the engine; the marker tasks it executes must match tests/conformance/expected/*.yaml.
The README's conformance table lists these constructs with their files.

A case in the YAML files: ``variables`` to start with, ``process`` (the process key to start, when the
file has several), ``steps`` (each one of ``wait: <ISO duration>``, ``complete: <element id>`` with
optional ``data``, ``message: <name>`` with optional ``payload``, ``signal: <name>``, ``set: {variables}``),
then ``trace`` (markers in order; a nested list: those markers in any order), and optionally
``open_tasks``, ``state`` and ``variables_after`` (a subset of the final variables)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from weft.engine.iso8601 import parse_duration

HERE = Path(__file__).parent
EXPECTED = {path.stem: yaml.safe_load(path.read_text()) for path in sorted((HERE / "expected").glob("*.yaml"))}
CASES = [(name, case) for area in EXPECTED.values() for name, cases in area.items()
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


def process_key(deployment, case) -> str:
    if "process" in case:
        return case["process"]
    [key] = [p.key for p in deployment.processes if p.key.startswith("c_") and p.key != "c_child"]
    return key


def run_step(weft, clock, instance, step) -> None:
    if "wait" in step:
        clock.now = parse_duration(step["wait"]).after(clock.now)
        clock.advance(seconds=1)
        weft.fire_due_timers()
    elif "complete" in step:
        [task] = [t for t in weft.tasks(instance_id=instance.id) if t.element_id == step["complete"]]
        weft.complete(task.id, step.get("data") or {})
    elif "message" in step:
        weft.correlate(step["message"], step.get("payload") or {})
    elif "signal" in step:
        weft.signal(step["signal"])
    elif "set" in step:
        weft.set_variables(instance.id, step["set"])
    else:
        raise AssertionError(f"unknown step {step}")
    weft.run_jobs()


def test_every_model_has_cases():
    models = {path.stem for path in (HERE / "models").glob("*.bpmn")}
    assert models == {name for name, _case in CASES}


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}-{i}" for i, (n, _c) in enumerate(CASES)])
def test_construct(weft, clock, name, case):
    deployment = weft.deploy(HERE / "models" / f"{name}.bpmn")
    instance = weft.start(process_key(deployment, case), {"trace": [], **(case.get("variables") or {})})
    weft.run_jobs()
    for step in case.get("steps") or []:
        run_step(weft, clock, instance, step)
    after = weft.instance(instance.id)
    trace = trace_of(weft, instance.id)
    assert matches(trace, case["trace"]), f"{name}: trace {trace}, expected {case['trace']}"
    if "open_tasks" in case:
        assert sorted(t.element_id for t in weft.tasks(instance_id=instance.id)) == sorted(case["open_tasks"])
    if "state" in case:
        assert after.state == case["state"]
    for key, value in (case.get("variables_after") or {}).items():
        assert after.variables.get(key) == value, f"{name}: {key} = {after.variables.get(key)!r}, expected {value!r}"
