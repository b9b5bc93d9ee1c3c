"""Timers on the virtual clock: catch events, boundary timers, cycles, dates, start timers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.support.bpmn import (
    boundary_timer_any,
    chain,
    end,
    event_gateway,
    flow,
    message_catch,
    message_definition,
    process_xml,
    script,
    start,
    timer_catch,
    timer_start,
    user,
)
from weft import Weft
from weft.persistence.tables import jobs


def wait_then(duration="PT1H", **timer):
    timer = timer or {"duration": duration}
    return process_xml("waiting", [start(), timer_catch("pause", **timer), script("after", "done = True"), end()],
                       chain("start", "pause", "after", "end"))


def test_intermediate_timer_fires_when_due(weft, bpmn_file, clock):
    weft.deploy(bpmn_file(wait_then("PT1H")))
    instance = weft.start("waiting")
    assert (instance.state, instance.active_elements) == ("waiting", ["pause"])
    assert weft.fire_due_timers() == 0
    clock.advance(minutes=59)
    assert weft.fire_due_timers() == 0
    clock.advance(minutes=1)
    assert weft.fire_due_timers() == 1
    stored = weft.instance(instance.id)
    assert stored.state == "completed" and stored.variables["done"] is True
    pause = next(h for h in stored.history if h["element_id"] == "pause")
    assert pause["ended"] - pause["started"] == dt.timedelta(hours=1)
    assert weft.fire_due_timers() == 0


def test_timers_live_in_the_database(weft, bpmn_file, clock):
    weft.deploy(bpmn_file(wait_then("P2D")))
    instance = weft.start("waiting")
    with weft.database.engine.connect() as conn:
        [row] = conn.execute(select(jobs)).all()
    assert row.kind == "timer" and str(row.instance_id) == instance.id and row.element_id == "pause"
    assert row.due_at == clock.now + dt.timedelta(days=2)


def test_time_date_and_expression(weft, bpmn_file, clock):
    weft.deploy(bpmn_file(wait_then(date="2026-01-05T12:00:00Z")))
    literal = weft.start("waiting")
    weft.deploy(bpmn_file(process_xml("by_variable", [start(), timer_catch("pause", date="${deadline}"), end()],
                                      chain("start", "pause", "end")), "by_variable.bpmn"))
    computed = weft.start("by_variable", {"deadline": dt.datetime(2026, 1, 5, 15, tzinfo=dt.UTC)})
    clock.advance(hours=3)                                   # 12:00
    assert weft.fire_due_timers() == 1
    assert (weft.instance(literal.id).state, weft.instance(computed.id).state) == ("completed", "waiting")
    clock.advance(hours=3)
    assert weft.fire_due_timers() == 1
    assert weft.instance(computed.id).state == "completed"


def test_interrupting_boundary_timer_cancels_the_task(weft, bpmn_file, clock):
    xml = process_xml("escalate", [start(), user("approve"), boundary_timer_any("too_late", "approve", "P1D"),
                                   script("escalated", "escalated = True"), end("done"), end("late_end")],
                      chain("start", "approve", "done") + [flow("too_late", "escalated"), flow("escalated", "late_end")])
    weft.deploy(bpmn_file(xml))
    instance = weft.start("escalate")
    [task] = weft.tasks(instance_id=instance.id)
    clock.advance(days=1)
    assert weft.fire_due_timers() == 1
    stored = weft.instance(instance.id)
    assert stored.state == "completed" and stored.variables["escalated"] is True
    assert [t.state for t in weft.tasks(instance_id=instance.id, open=False)] == ["cancelled"]
    assert "approve" not in [h["element_id"] for h in stored.history]


def test_boundary_timer_is_removed_when_the_task_completes_first(weft, bpmn_file, clock):
    xml = process_xml("escalate", [start(), user("approve"), boundary_timer_any("too_late", "approve", "P1D"),
                                   end("done"), end("late_end")],
                      chain("start", "approve", "done") + [flow("too_late", "late_end")])
    weft.deploy(bpmn_file(xml))
    instance = weft.start("escalate")
    [task] = weft.tasks(instance_id=instance.id)
    weft.complete(task.id)
    clock.advance(days=2)
    assert weft.fire_due_timers() == 0
    assert [h["element_id"] for h in weft.instance(instance.id).history][-1] == "done"
    with weft.database.engine.connect() as conn:
        assert conn.execute(select(jobs)).all() == []


def test_non_interrupting_cycle_reminds_three_times(weft, bpmn_file, clock):
    xml = process_xml("remind", [start(), user("approve"),
                                 boundary_timer_any("reminder", "approve", cycle="R3/PT1H", cancel=False),
                                 script("nudge", "nudged = True"), end("done"), end("nudged_end")],
                      chain("start", "approve", "done") + [flow("reminder", "nudge"), flow("nudge", "nudged_end")])
    weft.deploy(bpmn_file(xml))
    instance = weft.start("remind")
    for _hour in range(5):
        clock.advance(hours=1)
        weft.fire_due_timers()
    history = [h["element_id"] for h in weft.instance(instance.id).history]
    assert history.count("nudge") == 3
    assert len(weft.tasks(instance_id=instance.id)) == 1          # the task is still open
    [task] = weft.tasks(instance_id=instance.id)
    assert weft.complete(task.id).state == "completed"


def test_timer_start_event_cycle_starts_instances(weft, bpmn_file, clock):
    xml = process_xml("nightly", [timer_start("tick", cycle="R2/PT1H"), script("work", "ran = True"), end()],
                      chain("tick", "work", "end"))
    weft.deploy(bpmn_file(xml))
    assert weft.instances.instances()[1] == 0
    clock.advance(hours=1)
    assert weft.fire_due_timers() == 1
    clock.advance(hours=1)
    assert weft.fire_due_timers() == 1
    clock.advance(hours=5)
    assert weft.fire_due_timers() == 0
    found, total = weft.instances.instances(process_key="nightly")
    assert total == 2 and all(i.state == "completed" and i.variables == {"ran": True} for i in found)


def test_a_daily_cycle_fires_once_after_an_outage_and_keeps_its_time_of_day(weft, bpmn_file, clock):
    clock.now = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
    xml = process_xml("morning", [timer_start("tick", cycle="R/2026-03-01T07:00:00Z/P1D"), end()], chain("tick", "end"))
    weft.deploy(bpmn_file(xml))
    assert weft.fire_due_timers() == 1                 # nine missed mornings: one firing
    clock.now = dt.datetime(2026, 3, 11, 6, 59, tzinfo=dt.UTC)
    assert weft.fire_due_timers() == 0
    clock.now = dt.datetime(2026, 3, 11, 7, 0, tzinfo=dt.UTC)
    assert weft.fire_due_timers() == 1
    assert weft.instances.instances(process_key="morning")[1] == 2


def test_new_version_replaces_start_timers(weft, bpmn_file, clock):
    path = bpmn_file(process_xml("nightly", [timer_start("tick", duration="PT10M"), end()], chain("tick", "end")))
    weft.deploy(path)
    path.write_text(process_xml("nightly", [timer_start("tick", duration="PT30M"), script("v2", "v = 2"), end()],
                                chain("tick", "v2", "end")))
    weft.deploy(path)
    clock.advance(minutes=10)
    assert weft.fire_due_timers() == 0
    clock.advance(minutes=20)
    assert weft.fire_due_timers() == 1
    [instance], _ = weft.instances.instances(process_key="nightly")
    assert instance.version == 2 and instance.variables == {"v": 2}


def test_overdue_timers_fire_after_a_restart(database_url, bpmn_file, clock):
    with Weft.open(database_url, clock=clock) as before:
        before.deploy(bpmn_file(wait_then("PT5M")))
        instance = before.start("waiting")
    clock.advance(hours=3)                                   # down for three hours
    with Weft.open(database_url, clock=clock) as after:
        assert after.fire_due_timers() == 1
        assert after.instance(instance.id).state == "completed"


def test_event_based_gateway_takes_the_first_event(weft, bpmn_file, clock):
    xml = process_xml("race", [start(), event_gateway("which"), message_catch("paid", "m_paid"),
                               timer_catch("expired", duration="P3D"), script("ship", "outcome = 'shipped'"),
                               script("cancel", "outcome = 'cancelled'"), end("e1"), end("e2")],
                      chain("start", "which") + [flow("which", "paid"), flow("which", "expired"), flow("paid", "ship"),
                                                 flow("expired", "cancel"), flow("ship", "e1"), flow("cancel", "e2")],
                      definitions_extra=message_definition("m_paid", "payment_received"))
    weft.deploy(bpmn_file(xml))
    by_message = weft.start("race", {"order": 1})
    by_timer = weft.start("race", {"order": 2})
    weft.correlate("payment_received", {"order": 1}, {"amount": 10})
    assert weft.instance(by_message.id).variables["outcome"] == "shipped"
    clock.advance(days=3)
    assert weft.fire_due_timers() == 1                        # only the one still waiting
    assert weft.instance(by_timer.id).variables["outcome"] == "cancelled"
    assert weft.instance(by_message.id).variables["amount"] == 10


def test_bad_timer_value_is_an_incident(weft, bpmn_file):
    weft.deploy(bpmn_file(process_xml("odd", [start(), timer_catch("pause", duration="${delay}"), end()],
                                      chain("start", "pause", "end"))))
    instance = weft.start("odd", {"delay": "soon"})
    [incident] = weft.instances.incidents(instance.id)
    assert instance.state == "failed" and incident["element_id"] == "pause"
    assert "soon" in incident["message"]
    fixed = weft.retry(instance.id, {"delay": "PT1M"})
    assert fixed.state == "waiting"


def test_scripts_and_expressions_read_the_platform_clock(weft, bpmn_file, clock):
    clock.now = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)
    xml = process_xml("stamp", [start(), script("write", "stamped = now()\nday = today()"), user("later"), end()],
                      chain("start", "write", "later", "end"))
    weft.deploy(bpmn_file(xml))
    instance = weft.start("stamp")
    assert instance.variables == {"stamped": clock.now, "day": dt.date(2026, 5, 4)}
