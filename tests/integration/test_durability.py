"""Concurrency and crash safety: one transaction per use case, instances locked while they advance."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

from tests.support.bpmn import chain, end, flow, gateway, process_xml, script, start, user
from tests.support.processes import approval
from weft import TaskGone, Weft


def _race(functions):
    barrier = threading.Barrier(len(functions))
    outcomes: list[object] = [None] * len(functions)

    def run(index, function):
        barrier.wait()
        try:
            outcomes[index] = function()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_concurrent_completions_exactly_one_succeeds(database_url, clock, bpmn_file):
    first, second = Weft.open(database_url, clock=clock), Weft.open(database_url, clock=clock)
    try:
        first.deploy(bpmn_file(approval()))
        for _round in range(5):
            instance = first.start("approval")
            [task] = first.tasks(instance_id=instance.id)
            outcomes = _race([lambda task=task: first.complete(task.id, {"approved": True}),
                              lambda task=task: second.complete(task.id, {"approved": False})])
            winners = [o for o in outcomes if not isinstance(o, Exception)]
            losers = [o for o in outcomes if isinstance(o, Exception)]
            assert len(winners) == 1 and len(losers) == 1
            assert isinstance(losers[0], TaskGone)
            stored = first.instance(instance.id)
            assert stored.state == "completed"
            assert [h["element_id"] for h in stored.history].count("review") == 1
    finally:
        first.close()
        second.close()


def test_concurrent_completions_of_parallel_branches_both_count(database_url, clock, bpmn_file):
    xml = process_xml("both", [start(), gateway("split", "parallel"), user("a"), user("b"),
                               gateway("join", "parallel"), script("after", "joined = True"), end()],
                      chain("start", "split") + [flow("split", "a"), flow("split", "b"), flow("a", "join"),
                                                 flow("b", "join"), flow("join", "after"), flow("after", "end")])
    first, second = Weft.open(database_url, clock=clock), Weft.open(database_url, clock=clock)
    try:
        first.deploy(bpmn_file(xml))
        for _round in range(5):
            instance = first.start("both")
            tasks = {t.element_id: t for t in first.tasks(instance_id=instance.id)}
            outcomes = _race([lambda tasks=tasks: first.complete(tasks["a"].id, {"from_a": 1}),
                              lambda tasks=tasks: second.complete(tasks["b"].id, {"from_b": 2})])
            assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
            stored = first.instance(instance.id)
            assert stored.state == "completed"
            assert stored.variables == {"from_a": 1, "from_b": 2, "joined": True}
            assert [h["element_id"] for h in stored.history].count("after") == 1
    finally:
        first.close()
        second.close()


CRASHING_COMPLETION = textwrap.dedent("""
    import os, sys
    from weft import Weft
    from weft.persistence.instances import InstanceRepository

    original = InstanceRepository.save

    def save_then_die(self, *args, **kwargs):
        original(self, *args, **kwargs)      # every write of the step is done, but not committed
        os._exit(17)

    InstanceRepository.save = save_then_die
    weft = Weft.open(sys.argv[1])
    weft.complete(sys.argv[2], {"approved": True})
""")


def test_a_crash_mid_step_leaves_the_last_committed_state(database_url, weft, bpmn_file):
    weft.deploy(bpmn_file(approval()))
    instance = weft.start("approval", {"amount": 3})
    [task] = weft.tasks(instance_id=instance.id)
    before = weft.instance(instance.id)

    crashed = subprocess.run([sys.executable, "-c", CRASHING_COMPLETION, database_url, task.id],
                             capture_output=True, text=True, timeout=120)
    assert crashed.returncode == 17, crashed.stderr

    after = weft.instance(instance.id)
    assert (after.state, after.variables, after.history) == (before.state, before.variables, before.history)
    assert weft.tasks(instance_id=instance.id)[0].state == "open"
    assert weft.complete(task.id, {"approved": True}).state == "completed"
