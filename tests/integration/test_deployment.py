"""Deploying: versions, unchanged redeploys, call activities across files, refusals."""

from __future__ import annotations

import pytest

from tests.support.bpmn import call, chain, end, process_xml, script, start, user
from weft import DeploymentError, UnknownProcess


def simple(process_id="order", label="one", task_name="Check"):
    return process_xml(process_id, [start(), user("check", task_name), script("mark", f"label = '{label}'"), end()],
                       chain("start", "check", "mark", "end"))


def test_first_deploy_creates_version_one(weft, bpmn_file):
    deployment = weft.deploy(bpmn_file(simple()))
    assert deployment.version == 1
    assert deployment.process_keys == ["order"]
    [definition] = weft.process_definitions()
    assert (definition.key, definition.version, definition.deployment_id) == ("order", 1, deployment.id)


def test_unchanged_redeploy_is_not_duplicated(weft, bpmn_file):
    path = bpmn_file(simple())
    first = weft.deploy(path)
    again = weft.deploy(path)
    assert again.id == first.id and again.unchanged
    assert [(d.key, d.version) for d in weft.process_definitions()] == [("order", 1)]


def test_changed_process_gets_next_version_and_running_instances_stay(weft, bpmn_file):
    path = bpmn_file(simple(label="one"))
    weft.deploy(path)
    old = weft.start("order")
    path.write_text(simple(label="two", task_name="Check again"))
    second = weft.deploy(path)
    assert [(p.key, p.version, p.created) for p in second.processes] == [("order", 2, True)]
    new = weft.start("order")
    assert (weft.instance(old.id).version, weft.instance(new.id).version) == (1, 2)

    [old_task] = weft.tasks(instance_id=old.id)
    [new_task] = weft.tasks(instance_id=new.id)
    assert (old_task.name, new_task.name) == ("Check", "Check again")
    assert weft.complete(old_task.id).variables["label"] == "one"
    assert weft.complete(new_task.id).variables["label"] == "two"


def test_only_changed_processes_of_a_deployment_get_new_versions(weft, tmp_path):
    folder = tmp_path / "module"
    folder.mkdir()
    (folder / "a.bpmn").write_text(simple("proc_a"))
    (folder / "b.bpmn").write_text(simple("proc_b"))
    weft.deploy(folder)
    (folder / "b.bpmn").write_text(simple("proc_b", label="changed"))
    deployment = weft.deploy(folder)
    assert deployment.version == 2
    assert {(p.key, p.version, p.created) for p in deployment.processes} == {("proc_a", 1, False),
                                                                            ("proc_b", 2, True)}


def test_call_activity_resolves_to_a_process_in_another_file(weft, tmp_path):
    folder = tmp_path / "module"
    folder.mkdir()
    (folder / "parent.bpmn").write_text(process_xml(
        "parent", [start(), call("delegate", "child"), end()], chain("start", "delegate", "end")))
    (folder / "child.bpmn").write_text(process_xml(
        "child", [start("c_start"), script("work", "done = True"), end("c_end")], chain("c_start", "work", "c_end")))
    weft.deploy(folder)
    instance = weft.start("parent")
    assert instance.state == "completed"
    assert instance.variables["done"] is True
    assert [h["element_id"] for h in instance.history] == ["start", "c_start", "work", "c_end", "delegate", "end"]


def test_call_activity_resolves_to_an_already_deployed_process(weft, bpmn_file):
    weft.deploy(bpmn_file(process_xml("child", [start("c_start"), script("work", "n = 1"), end("c_end")],
                                      chain("c_start", "work", "c_end")), "child.bpmn"))
    weft.deploy(bpmn_file(process_xml("parent", [start(), call("delegate", "child"), end()],
                                      chain("start", "delegate", "end")), "parent.bpmn"))
    assert weft.start("parent").variables["n"] == 1


def _problems(weft, path):
    with pytest.raises(DeploymentError) as caught:
        weft.deploy(path)
    assert weft.process_definitions() == []
    return caught.value.problems


def test_malformed_xml_is_refused_with_file_and_line(weft, bpmn_file):
    [problem] = _problems(weft, bpmn_file("<definitions><process id='x'>\n<oops></definitions>", "broken.bpmn"))
    assert problem.file == "broken.bpmn"
    assert "malformed XML" in problem.message and problem.line == 2


@pytest.mark.parametrize("payload", [
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><definitions>&x;</definitions>',
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><definitions>&b;</definitions>',
])
def test_doctype_and_entities_are_refused(weft, bpmn_file, payload):
    [problem] = _problems(weft, bpmn_file(payload, "evil.bpmn"))
    assert "DOCTYPE" in problem.message and problem.file == "evil.bpmn"


def test_file_without_executable_process_is_refused(weft, bpmn_file):
    xml = process_xml("sketch", [start(), end()], chain("start", "end"), executable=False)
    [problem] = _problems(weft, bpmn_file(xml, "sketch.bpmn"))
    assert "no executable process" in problem.message


def test_unknown_call_activity_target_names_the_element(weft, bpmn_file):
    xml = process_xml("parent", [start(), call("delegate", "nowhere"), end()], chain("start", "delegate", "end"))
    [problem] = _problems(weft, bpmn_file(xml, "parent.bpmn"))
    assert (problem.file, problem.element) == ("parent.bpmn", "delegate")
    assert "unknown process 'nowhere'" in problem.message


def test_unsupported_element_names_the_element(weft, bpmn_file):
    xml = process_xml("p", [start(), user("t"), end()], chain("start", "t", "end")).replace(
        '<endEvent id="end">', '<complexGateway id="cx"/><endEvent id="end">')
    problems = _problems(weft, bpmn_file(xml, "p.bpmn"))
    assert any(p.element == "cx" and "unsupported element <complexGateway>" in p.message for p in problems)


def test_every_problem_of_every_file_is_listed_and_nothing_is_stored(weft, tmp_path):
    folder = tmp_path / "module"
    folder.mkdir()
    (folder / "good.bpmn").write_text(simple("good"))
    (folder / "bad.bpmn").write_text("not xml")
    (folder / "calls.bpmn").write_text(process_xml("calls", [start(), call("c", "ghost"), end()],
                                                   chain("start", "c", "end")))
    problems = _problems(weft, folder)
    assert {p.file for p in problems} == {"bad.bpmn", "calls.bpmn"}
    with pytest.raises(UnknownProcess):
        weft.start("good")


def test_gateway_without_condition_is_refused(weft, bpmn_file):
    from tests.support.bpmn import flow, gateway
    xml = process_xml("p", [start(), gateway("gw"), user("a"), user("b"), end("e1"), end("e2")],
                      chain("start", "gw") + [flow("gw", "a", "x > 1"), flow("gw", "b"), flow("a", "e1"),
                                              flow("b", "e2")])
    [problem] = _problems(weft, bpmn_file(xml, "p.bpmn"))
    assert problem.file == "p.bpmn" and "without condition" in problem.message
