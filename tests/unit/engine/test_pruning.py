"""Pruned, serialized runs execute exactly what stock SpiffWorkflow executes unpruned."""

from __future__ import annotations

import pytest

from tests.support.bpmn import (
    boundary_error,
    chain,
    end,
    error_definition,
    error_end,
    flow,
    gateway,
    process_xml,
    script,
    start,
    subprocess,
    user,
)
from tests.support.reference import reference_trace
from tests.unit.engine.support import weft_trace


def loop_around(body_nodes, body_flows, first, last, rounds="n", definitions_extra=""):
    """start → init → merge → [body] → inc → again? → merge | end"""
    return process_xml("loop", [
        start(), script("init", "i = 0"), gateway("merge", default="f_in"), *body_nodes,
        script("inc", "i += 1"), gateway("again", default="f_out"), end()],
        chain("start", "init") + [flow("init", "merge", id="f_in"), flow("merge", first)] + body_flows
        + [flow(last, "inc"), flow("inc", "again"), flow("again", "merge", f"i < {rounds}"),
           flow("again", "end", id="f_out")], definitions_extra=definitions_extra)


def parallel_body(kind="parallel", branches=("a", "b", "c"), user_branch="b", conditions=None):
    nodes = [gateway("split", kind), gateway("join", kind)]
    flows = []
    for name in branches:
        nodes.append(user(name) if name == user_branch else script(name, f"{name}_seen = i"))
        condition = (conditions or {}).get(name) if kind == "inclusive" else None
        flows += [flow("split", name, condition), flow(name, "join")]
    return nodes, flows


CASES = {
    "user task loop": (loop_around([user("work")], [], "work", "work"), {"n": 5}),
    "parallel join in a loop": (loop_around(*parallel_body(), "split", "join"), {"n": 4}),
    "parallel join in a loop, scripts only": (
        loop_around(*parallel_body(user_branch=None), "split", "join"), {"n": 4}),
    "inclusive join": (process_xml("loop", [start(), *parallel_body(
        "inclusive", conditions={"a": "True", "b": "x > 1", "c": "x > 5"})[0], end()],
        chain("start", "split") + parallel_body("inclusive", conditions={"a": "True", "b": "x > 1",
                                                                         "c": "x > 5"})[1]
        + [flow("join", "end")]), {"x": 3, "i": 0}),
    "embedded subprocess in a loop": (loop_around(
        [subprocess("sub", [start("s_start"), user("inside"), script("calc", "total = i * 2"), end("s_end")],
                    chain("s_start", "inside", "calc", "s_end"))], [], "sub", "sub"), {"n": 3}),
    "parallel multi-instance user task": (process_xml("loop", [
        start(), user("vote", body="<multiInstanceLoopCharacteristics><loopCardinality>3</loopCardinality>"
                                   "</multiInstanceLoopCharacteristics>"), script("count", "done = True"), end()],
        chain("start", "vote", "count", "end")), {}),
    "sequential multi-instance in a loop": (loop_around(
        [script("each", "each_seen = i",
                body='<multiInstanceLoopCharacteristics isSequential="true"><loopCardinality>3</loopCardinality>'
                     "</multiInstanceLoopCharacteristics>")], [], "each", "each"), {"n": 2}),
    "error boundary on a subprocess in a loop": (loop_around(
        [subprocess("risky", [start("r_start"), user("attempt"), gateway("ok", default="f_fail"), end("r_done"),
                              error_end("r_fail", "oops")],
                    chain("r_start", "attempt", "ok") + [flow("ok", "r_done", "good"),
                                                         flow("ok", "r_fail", id="f_fail")]),
         boundary_error("caught", "risky", "oops"), user("recover"), gateway("rejoin", default="f_rejoin")],
        [flow("risky", "rejoin", id="f_rejoin"), flow("caught", "recover"), flow("recover", "rejoin")],
        "risky", "rejoin", definitions_extra=error_definition("oops", "E1")), {"n": 4}),
}


def answers(element, n):
    return {"good": n % 2 == 0, f"answer_{element}": n}


@pytest.mark.parametrize("name", list(CASES))
def test_traces_match_unpruned_spiffworkflow(name):
    xml, variables = CASES[name]
    expected, expected_done = reference_trace(xml, "loop", dict(variables), answers)
    actual, done, _sizes = weft_trace(xml, "loop", dict(variables), answers)
    assert expected_done and done
    assert actual == expected


def test_inclusive_join_inside_a_loop_waits_for_every_live_branch():
    """Stock SpiffWorkflow 3.2 breaks on this model (it merges from join instances of earlier
    rounds); Weft's join fires once per round, after every branch taken that round."""
    nodes, flows = parallel_body("inclusive", conditions={"a": "True", "b": "i % 2 == 0", "c": "True"})
    xml = loop_around(nodes, flows, "split", "join")
    trace, done, _ = weft_trace(xml, "loop", {"n": 4}, answers)
    assert done
    rounds = " ".join(trace).split("split")[1:]
    assert len(rounds) == 4
    for number, body in enumerate(rounds):
        taken = [e for e in body.split() if e in ("a", "b", "c")]
        assert sorted(taken) == (["a", "b", "c"] if number % 2 == 0 else ["a", "c"])
        assert body.split().index("join") > max(body.split().index(e) for e in taken)
    assert trace.count("join") == 4 and trace.count("inc") == 4


def test_state_stays_small_and_flat_over_a_long_loop():
    xml = loop_around([user("work")], [], "work", "work")
    trace, done, sizes = weft_trace(xml, "loop", {"n": 1000}, answers, max_steps=1000)
    assert done and trace.count("work") == 1000
    assert max(sizes) < 16_000
    assert sizes[999] <= sizes[10] * 1.1


def test_loops_run_far_past_the_task_iterator_depth_limit():
    xml = loop_around([script("step", "steps = i")], [], "step", "step")
    trace, done, _ = weft_trace(xml, "loop", {"n": 3000}, answers)
    assert done and trace.count("step") == 3000 and trace[-1] == "end"
