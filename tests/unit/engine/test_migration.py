"""Moving running workflows to another version of their process (engine only, no database)."""

from __future__ import annotations

import pytest

from tests.integration.test_multi_instance import mi_process
from tests.support.bpmn import (
    Node,
    boundary_timer,
    chain,
    end,
    event_gateway,
    flow,
    gateway,
    message_catch,
    message_definition,
    process_xml,
    script,
    start,
    subprocess,
    timer_catch,
    user,
)
from tests.unit.engine.support import NOW, model_of
from weft.engine import ProcessRunner, Sandbox
from weft.engine.connectors import Execution
from weft.engine.runner import MigrationRefused

RUNNER = ProcessRunner(Sandbox(), lambda: NOW)


def run(key: str, xml: str, variables: dict | None = None):
    model = model_of(xml, key)
    return model, RUNNER.start(model, variables or {}, Execution())


def migrate(old, new, step):
    return RUNNER.migrate(old, new, step.state, Execution(), set(step.open_tasks))


def complete(model, step, element: str | None = None, data: dict | None = None):
    tasks = {info.id: info.element_id for info in step.new_user_tasks}
    task = next(t for t in step.open_tasks if element is None or tasks.get(t, element) == element)
    return RUNNER.complete_user_task(model, step.state, task, data or {}, None, Execution(), set(step.open_tasks))


def line(*names: str, extra: list | None = None) -> str:
    return process_xml("p", [start(), *[user(n) for n in names], *(extra or []), end()],
                       chain("start", *names, "end"))


def test_the_instance_continues_on_the_new_path_with_its_data():
    old, step = run("p", line("a"), {"n": 1})
    new = model_of(line("a", "b"), "p")
    moved = migrate(old, new, step)
    assert moved.active_elements == ["a"] and moved.variables == {"n": 1} and moved.open_tasks == step.open_tasks
    assert moved.new_user_tasks == []                                   # the waiting task is the same task
    after = RUNNER.complete_user_task(new, moved.state, moved.open_tasks[0], {}, None, Execution(),
                                      set(moved.open_tasks))
    assert after.active_elements == ["b"]


def test_refusals_name_each_element_and_why():
    old, step = run("p", line("a", extra=[boundary_timer("t", "a", "PT1H"), user("x")]).replace(
        "</process>", '<sequenceFlow id="tx" sourceRef="t" targetRef="x"/><sequenceFlow id="xe" sourceRef="x" '
                      'targetRef="end"/></process>'))
    gone = model_of(line("b"), "p")
    with pytest.raises(MigrationRefused) as refused:
        migrate(old, gone, step)
    assert {(p.element_id, p.reason) for p in refused.value.problems} == {("a", "missing"), ("t", "missing")}
    without_timer = model_of(line("a"), "p")
    with pytest.raises(MigrationRefused) as refused:
        migrate(old, without_timer, step)
    assert ("a", "boundary", "t") in {(p.element_id, p.reason, p.detail) for p in refused.value.problems}
    plain, waiting = run("p", line("a"))
    retyped = model_of(process_xml("p", [start(), script("a", "x = 1"), end()], chain("start", "a", "end")), "p")
    with pytest.raises(MigrationRefused) as refused:
        migrate(plain, retyped, waiting)
    [problem] = refused.value.problems
    assert problem.reason == "kind" and problem.element_id == "a"


def test_a_running_multi_instance_keeps_its_iterations():
    old, step = run("mi", mi_process(False), {"operations": ["x", "y"]})
    loop = ('<multiInstanceLoopCharacteristics isSequential="false" camunda:collection="${operations}" '
            'camunda:elementVariable="operation"/>')
    new = model_of(process_xml("mi", [start(), Node("userTask", "op", "Operation", {}, loop), user("check"), end()],
                               chain("start", "op", "check", "end")), "mi")
    step = migrate(old, new, step)
    step = complete(new, step)
    step = complete(new, step)
    assert step.active_elements == ["check"]


def test_a_multi_instance_resumes_with_a_model_built_anew():
    """Another process (or a restart) builds the model again: iterations still report back."""
    model, step = run("mi", mi_process(True), {"operations": ["x", "y"]})
    fresh = model_of(mi_process(True), "mi")
    step = complete(fresh, step)
    step = complete(fresh, step)
    assert step.status == "completed"


def test_an_embedded_subprocess_moves_with_its_content():
    def outer(inner: list[str], after: list[str]) -> str:
        sub = subprocess("sub", [start("s0"), *[user(n) for n in inner], end("e0")], chain("s0", *inner, "e0"))
        return process_xml("p", [start(), sub, *[user(n) for n in after], end()], chain("start", "sub", *after, "end"))
    old, step = run("p", outer(["in1"], []))
    new = model_of(outer(["in1", "in2"], ["after"]), "p")
    step = migrate(old, new, step)
    assert step.active_elements == ["sub", "in1"]
    for expected in (["sub", "in2"], ["after"]):
        step = complete(new, step)
        assert step.active_elements == expected


def test_waiting_events_keep_waiting_on_the_new_version():
    messages = message_definition("m", "go")
    old, step = run("p", process_xml("p", [start(), event_gateway("g"), message_catch("got", "m"),
                                          timer_catch("late", duration="PT1H"), end("e1"), end("e2")],
                                     chain("start", "g") + [flow("g", "got"), flow("g", "late"), flow("got", "e1"),
                                                            flow("late", "e2")], definitions_extra=messages))
    new = model_of(process_xml("p", [start(), event_gateway("g"), message_catch("got", "m"),
                                     timer_catch("late", duration="PT1H"), user("handle"), end("e1"), end("e2")],
                                chain("start", "g") + [flow("g", "got"), flow("g", "late"), flow("got", "handle"),
                                                       flow("handle", "e1"), flow("late", "e2")],
                                definitions_extra=messages), "p")
    before = {(w.kind, w.name, w.element_id, w.due) for w in step.waits}
    step = migrate(old, new, step)
    assert {(w.kind, w.name, w.element_id, w.due) for w in step.waits} == before
    assert {kind for kind, *_rest in before} == {"message", "timer"}
    delivered = RUNNER.deliver(new, step.state, "message", "go", {}, None, Execution(), set())
    assert delivered.active_elements == ["handle"]


def test_a_failed_element_is_retried_on_the_new_version():
    old, step = run("p", process_xml("p", [start(), script("calc", "y = 1 / x"), end()],
                                     chain("start", "calc", "end")), {"x": 0})
    assert step.status == "failed"
    new = model_of(process_xml("p", [start(), script("calc", "y = 1 / x"), user("check"), end()],
                               chain("start", "calc", "check", "end")), "p")
    step = migrate(old, new, step)
    retried = RUNNER.retry(new, step.state, None, {"x": 2}, Execution(), set())
    assert retried.active_elements == ["check"] and retried.variables["y"] == 0.5


def test_a_join_waiting_for_a_branch_migrates():
    def split(after: list[str]) -> str:
        nodes = [start(), gateway("fork", "parallel"), user("a"), user("b"), gateway("join", "parallel"),
                 *[user(n) for n in after], end()]
        return process_xml("p", nodes, chain("start", "fork") + [flow("fork", "a"), flow("fork", "b"),
                                                                 flow("a", "join"), flow("b", "join")]
                           + chain("join", *after, "end"))
    old, step = run("p", split([]))
    step = complete(old, step, "a")
    new = model_of(split(["c"]), "p")
    step = migrate(old, new, step)
    assert complete(new, step).active_elements == ["c"]
