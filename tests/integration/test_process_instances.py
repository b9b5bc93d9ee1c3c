"""Starting instances and what an instance keeps: state, variables, active elements, history."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from tests.support.bpmn import chain, end, flow, gateway, process_xml, script, start, subprocess, user
from tests.support.processes import approval, script_chain
from weft import InstanceNotFound, UnknownProcess, ValidationError


def test_straight_through_process_completes_at_start(weft, bpmn_file):
    weft.deploy(bpmn_file(script_chain(10)))
    instance = weft.start("straight", {"seed": 1}, business_key="B-1")
    assert instance.state == "completed" and instance.ended_at is not None
    assert instance.variables["x9"] == 9 and instance.variables["seed"] == 1
    stored = weft.instance(instance.id)
    assert stored.business_key == "B-1" and stored.state == "completed"
    assert [h["element_id"] for h in stored.history] == ["start"] + [f"s{i}" for i in range(10)] + ["end"]
    assert [h["type"] for h in stored.history][:2] == ["startEvent", "scriptTask"]


def test_waiting_instance_exposes_active_elements_and_variables(weft, bpmn_file):
    weft.deploy(bpmn_file(approval()))
    instance = weft.start("approval", {"amount": decimal.Decimal("12.50"), "when": dt.date(2026, 3, 1)})
    stored = weft.instance(instance.id)
    assert stored.state == "waiting" and stored.active_elements == ["review"]
    assert stored.variables == {"amount": decimal.Decimal("12.50"), "when": dt.date(2026, 3, 1)}


def test_embedded_subprocess_runs_and_is_recorded(weft, bpmn_file):
    inner = subprocess("sub", [start("sub_start"), script("inner", "y = x * 2"), user("check"), end("sub_end")],
                       chain("sub_start", "inner", "check", "sub_end"))
    weft.deploy(bpmn_file(process_xml("outer", [start(), inner, script("after", "z = y + 1"), end()],
                                      chain("start", "sub", "after", "end"))))
    instance = weft.start("outer", {"x": 5})
    assert weft.instance(instance.id).active_elements == ["sub", "check"]
    [task] = weft.tasks(instance_id=instance.id)
    done = weft.complete(task.id, {"checked": True})
    assert done.state == "completed" and done.variables["z"] == 11
    assert [h["element_id"] for h in weft.instance(instance.id).history] == [
        "start", "sub_start", "inner", "check", "sub_end", "sub", "after", "end"]


def test_unknown_process_and_invalid_variables(weft, bpmn_file):
    with pytest.raises(UnknownProcess):
        weft.start("nope")
    weft.deploy(bpmn_file(approval()))
    with pytest.raises(ValidationError) as caught:
        weft.start("approval", {"ok": 1, "bad-name": 2, "__class__": 3})
    assert set(caught.value.errors) == {"bad-name", "__class__"}
    with pytest.raises(ValidationError):
        weft.start("approval", ["not", "a", "mapping"])


def test_failing_script_leaves_an_incident_at_its_element(weft, bpmn_file):
    xml = process_xml("broken", [start(), script("divide", "ratio = total / count"), end()],
                      chain("start", "divide", "end"))
    weft.deploy(bpmn_file(xml))
    instance = weft.start("broken", {"total": 1, "count": 0})
    assert instance.state == "failed" and instance.active_elements == []
    [incident] = weft.instances.incidents(instance.id)
    assert incident["element_id"] == "divide" and "ZeroDivisionError" in incident["message"]
    assert incident["resolved_at"] is None


def test_sandbox_refusal_is_an_incident_naming_the_element(weft, bpmn_file):
    xml = process_xml("sneaky", [start(), script("escape", "x = ().__class__"), end()],
                      chain("start", "escape", "end"))
    weft.deploy(bpmn_file(xml))
    instance = weft.start("sneaky")
    [incident] = weft.instances.incidents(instance.id)
    assert instance.state == "failed" and incident["element_id"] == "escape" and "__class__" in incident["message"]


def test_juel_conditions_on_sequence_flows(weft, bpmn_file):
    xml = process_xml("route", [start(), gateway("gw", default="f_small"), script("big", "size = 'big'"),
                                script("small", "size = 'small'"), end("e1"), end("e2")],
                      chain("start", "gw") + [flow("gw", "big", "${amount > 1000 && !vip}"),
                                              flow("gw", "small", id="f_small"), flow("big", "e1"),
                                              flow("small", "e2")])
    weft.deploy(bpmn_file(xml))
    assert weft.start("route", {"amount": 5000, "vip": False}).variables["size"] == "big"
    assert weft.start("route", {"amount": 5000, "vip": True}).variables["size"] == "small"


def test_instance_visibility_for_users(weft, bpmn_file):
    weft.add_group("managers")
    weft.add_user("emma", "password1")
    weft.add_user("mike", "password1", groups=["managers"])
    weft.add_user("olga", "password1")
    weft.deploy(bpmn_file(approval()))
    instance = weft.start("approval", user="emma")
    assert weft.instance(instance.id, user="emma").id == instance.id
    assert weft.instance(instance.id, user="mike").id == instance.id          # has work in it
    with pytest.raises(InstanceNotFound):
        weft.instance(instance.id, user="olga")
    assert weft.instances.instances(user="olga") == ([], 0)
    assert weft.instances.instances(user="emma")[1] == 1
    with pytest.raises(InstanceNotFound):
        weft.instance("no-such-id")


def test_ten_thousand_iteration_loop_runs_every_iteration(weft, bpmn_file):
    xml = process_xml("counter", [start(), script("init", "count = 0"), script("inc", "count += 1"),
                                  gateway("again", default="f_done"), end()],
                      chain("start", "init", "inc", "again") + [flow("again", "inc", "count < n"),
                                                                flow("again", "end", id="f_done")])
    weft.deploy(bpmn_file(xml))
    instance = weft.start("counter", {"n": 10_000})
    assert instance.state == "completed" and instance.variables["count"] == 10_000
    assert [h["element_id"] for h in instance.history].count("inc") == 10_000
