"""Camunda multi-instance: camunda:collection (a variable, plain or ${…}) and camunda:elementVariable."""

from __future__ import annotations

import pytest

from tests.support.bpmn import Node, chain, end, process_xml, script, start


def mi_process(sequential: bool, collection: str = "${operations}", kind: str = "userTask") -> str:
    loop = (f'<multiInstanceLoopCharacteristics isSequential="{"true" if sequential else "false"}" '
            f'camunda:collection="{collection}" camunda:elementVariable="operation"/>')
    body = loop if kind == "userTask" else f"{loop}<script>log = (log or []) + [operation]</script>"
    attrs = {"camunda:candidateGroups": "shop"} if kind == "userTask" else {}
    return process_xml("mi", [start(), Node(kind, "op", "Operation", attrs, body),
                              script("after", "count = len(operations)"), end()],
                       chain("start", "op", "after", "end"))


def test_a_sequential_user_task_runs_once_per_item_in_order(weft, bpmn_file):
    weft.deploy(bpmn_file(mi_process(True)))
    instance = weft.start("mi", {"operations": ["cut", "weld", "paint"]})
    seen = []
    for _ in range(3):
        [task] = weft.tasks(instance_id=instance.id)
        seen.append(weft.instance(instance.id).variables["operation"])
        done = weft.complete(task.id, {f"minutes_{len(seen)}": len(seen) * 10})
    assert seen == ["cut", "weld", "paint"]
    assert done.state == "completed" and done.variables["count"] == 3
    assert {done.variables[f"minutes_{n}"] for n in (1, 2, 3)} == {10, 20, 30}     # merged back
    assert [h["element_id"] for h in weft.instance(instance.id).history].count("op") == 3


def test_a_parallel_user_task_offers_all_items_at_once(weft, bpmn_file):
    weft.deploy(bpmn_file(mi_process(False, collection="operations")))
    instance = weft.start("mi", {"operations": ["a", "b"]})
    tasks = weft.tasks(instance_id=instance.id)
    assert len(tasks) == 2
    for task in tasks:
        weft.complete(task.id, {})
    assert weft.instance(instance.id).state == "completed"


def test_script_instances_and_an_empty_collection(weft, bpmn_file):
    weft.deploy(bpmn_file(mi_process(True, kind="scriptTask")))
    done = weft.start("mi", {"operations": ["x", "y"], "log": None})
    assert done.state == "completed" and done.variables["log"] == ["x", "y"]
    empty = weft.start("mi", {"operations": [], "log": None})
    assert empty.state == "completed" and empty.variables["count"] == 0


def test_a_collection_expression_is_refused_at_deploy(weft, bpmn_file):
    from weft.engine.errors import DeploymentError

    with pytest.raises(DeploymentError, match="camunda:collection"):
        weft.deploy(bpmn_file(mi_process(True, collection="${order.lines}")))
