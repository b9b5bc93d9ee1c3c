"""An event-based gateway keeps the events it saw in its state: they must survive storing
and restoring, whichever event came first (regression: a wait after the gateway's path could
not be stored)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.bpmn import (
    chain,
    end,
    event_gateway,
    flow,
    message_catch,
    message_definition,
    process_xml,
    start,
    timer_catch,
    user,
)
from tests.unit.engine.support import NOW, model_of
from weft.engine import ProcessRunner, Sandbox
from weft.engine.connectors import Execution

XML = process_xml("race", [start(), event_gateway("g"), message_catch("paid", "m"),
                           timer_catch("late", duration="PT1H"), user("ship"), user("chase"), end("e1"), end("e2")],
                  chain("start", "g") + [flow("g", "paid"), flow("g", "late"), flow("paid", "ship"),
                                         flow("late", "chase"), flow("ship", "e1"), flow("chase", "e2")],
                  definitions_extra=message_definition("m", "paid"))


@pytest.mark.parametrize("event, waits_at", [("message", "ship"), ("timer", "chase")])
def test_the_path_after_the_gateway_can_wait(event, waits_at):
    clock = [NOW]
    runner = ProcessRunner(Sandbox(), lambda: clock[0])
    model = model_of(XML, "race")
    step = runner.start(model, {}, Execution())
    if event == "message":
        step = runner.deliver(model, step.state, "message", "paid", {"amount": 3}, None, Execution(), set())
    else:
        clock[0] += dt.timedelta(hours=2)
        step = runner.fire_timers(model, step.state, Execution(), set())
    assert step.active_elements == [waits_at]
    [task] = step.open_tasks
    done = runner.complete_user_task(model, step.state, task, {}, None, Execution(), {task})
    assert done.status == "completed"
