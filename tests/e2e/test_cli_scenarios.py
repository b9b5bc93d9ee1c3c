"""``weft test``: scenario files run in a throw-away database; failures name the file and step."""

from __future__ import annotations

import yaml

from tests.e2e.test_cli import cli  # noqa: F401 (the fixture)
from weft import Weft

APPROVED = {
    "name": "An order is approved", "process": "lab_purchase",
    "steps": [{"record": "supplier", "key": "acme", "values": {"name": "Acme"}},
              {"expect": {"tasks": ["request"]}},
              {"task": "request", "data": {"supplier": "@acme", "lines": [{"item": "Bolt", "quantity": 4,
                                                                          "price": "2.50"}]}},
              {"task": "approve", "data": {"decision": "approve"}}],
    "expect": {"state": "completed", "path": ["request", "approve", "approved_end"], "not_visited": ["rejected_end"],
               "variables": {"decision": "approve"}}}


def scenario(project, name, data):
    folder = project / "processes" / "lab" / "scenarios"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def test_a_passing_scenario_leaves_the_database_alone(cli, project):  # noqa: F811
    scenario(project, "approved", APPROVED)
    result = cli("test", "lab", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "PASS processes/lab/scenarios/approved.yaml: An order is approved (decided > mark_approved > approved_end)",
        "1 of 1 scenarios passed"]
    with Weft.open(cli.url) as weft:                                     # the real database is left alone
        assert weft.process_definitions() == []


def test_a_failing_scenario_names_the_file_step_and_what_happened(cli, project):  # noqa: F811
    wrong = {**APPROVED, "name": "Expected a rejection",
             "expect": {"state": "completed", "path": ["request", "rejected_end"], "variables": {"decision": "reject"}}}
    stuck = {**APPROVED, "name": "A task that is not there", "steps": [{"task": "approve", "data": {}}]}
    typo = {**APPROVED, "name": "A typo", "expect": {"not_visited": ["rejected"]}}
    scenario(project, "approved", APPROVED)
    scenario(project, "wrong", wrong)
    scenario(project, "stuck", stuck)
    scenario(project, "typo", typo)
    result = cli("test", "processes/lab/scenarios/wrong.yaml", "processes/lab/scenarios/stuck.yaml",
                 "processes/lab/scenarios/typo.yaml", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "FAIL processes/lab/scenarios/stuck.yaml [steps[0]]: no open task 'approve' (open: request)",
        "FAIL processes/lab/scenarios/typo.yaml [expect.not_visited]: no element 'rejected' in the processes of lab",
        "FAIL processes/lab/scenarios/wrong.yaml [expect.path]: 'rejected_end' was not visited in this order; "
        "path: start > request > submit > read > approve > decided > mark_approved > approved_end",
        "FAIL processes/lab/scenarios/wrong.yaml [expect.variables.decision]: expected 'reject', got 'approve'",
        "0 of 3 scenarios passed"]


def test_a_malformed_scenario_is_refused_naming_file_and_key(cli, project):  # noqa: F811
    scenario(project, "broken", {"process": "lab_purchase", "steps": [{"wait": "soon"}], "expect": {"state": "done"}})
    result = cli("test", cwd=project)
    assert result.returncode == 1
    assert "processes/lab/scenarios/broken.yaml" in result.stderr and "steps[0].wait" in result.stderr
    assert "expect.state" in result.stderr
