"""Scenario files: what parses, and every mistake named by file and key."""

from __future__ import annotations

import datetime as dt

import pytest

from weft.scenarios.definition import DEFAULT_START, parse_scenario

FILE = "processes/crm/scenarios/s.yaml"


def test_a_scenario_parses_with_every_kind_of_step():
    scenario, problems = parse_scenario({
        "name": "won", "process": "lead_to_deal", "at": "2026-03-02T09:00:00Z",
        "start": {"user": "maria", "variables": {"x": 1}},
        "steps": [{"task": "qualify_lead", "user": "sara", "data": {"q": "ok"}}, {"wait": "P3D"},
                  {"message": "lead_received", "correlation": {"k": 1}, "variables": {"v": 2}},
                  {"record": "product", "key": "p", "values": {"code": "X"}}, {"expect": {"tasks": ["close_deal"]}}],
        "expect": {"state": "completed", "path": ["a", "b"], "ends": ["won"], "variables": {"stage": "won"}}}, FILE)
    assert problems == []
    assert [s.kind for s in scenario.steps] == ["task", "wait", "message", "record", "expect"]
    assert scenario.at == dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    assert scenario.steps[1].wait.after(scenario.at) == dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)
    assert scenario.steps[4].expect.tasks == ("close_deal",) and scenario.expect.ends == ("won",)


def test_defaults():
    scenario, _ = parse_scenario({"process": "p"}, FILE)
    assert (scenario.name, scenario.at, scenario.start_user, scenario.steps) == ("s.yaml", DEFAULT_START, None, ())


@pytest.mark.parametrize(("data", "key", "words"), [
    ([1], "", "a scenario is a mapping"),
    ({"process": "p", "given": 1}, "given", "unknown key"),
    ({}, "process", "names the process key"),
    ({"process": "p", "start": {"who": "x"}}, "start", "{user, variables}"),
    ({"process": "p", "steps": {"a": 1}}, "steps", "is a list"),
    ({"process": "p", "steps": [{"task": "t", "data": [1]}]}, "steps[0]", "a task step"),
    ({"process": "p", "steps": [{"wait": "soon"}]}, "steps[0].wait", "ISO 8601 duration"),
    ({"process": "p", "steps": [{"message": "m", "to": "x"}]}, "steps[0]", "a message step"),
    ({"process": "p", "steps": [{"record": "r", "values": [1]}]}, "steps[0]", "a record step"),
    ({"process": "p", "steps": [{"jump": "x"}]}, "steps[0]", "a step is"),
    ({"process": "p", "expect": {"state": "done"}}, "expect.state", "one of waiting"),
    ({"process": "p", "expect": {"path": "a > b"}}, "expect.path", "list of element ids"),
    ({"process": "p", "expect": {"colour": 1}}, "expect.colour", "unknown key"),
    ({"process": "p", "at": "yesterday"}, "at", "a date-time"),
])
def test_a_malformed_scenario_names_the_key(data, key, words):
    _scenario, problems = parse_scenario(data, FILE)
    found = {p.key: p.message for p in problems}
    assert key in found and words in found[key], found
    assert all(p.file == FILE for p in problems)
