"""Small processes used across tests."""

from __future__ import annotations

from tests.support.bpmn import chain, end, flow, gateway, process_xml, script, start, user


def approval(**review_attrs) -> str:
    """start → review (user task) → approved? → record / reject → end."""
    attrs = {"lane": "managers", **review_attrs}
    return process_xml("approval", [
        start(), user("review", "Review request", **attrs), gateway("decide", default="f_rejected"),
        script("record", "status = 'approved'"), script("reject", "status = 'rejected'"),
        end("approved_end"), end("rejected_end")],
        chain("start", "review", "decide")
        + [flow("decide", "record", "approved"), flow("decide", "reject", id="f_rejected"),
           flow("record", "approved_end"), flow("reject", "rejected_end")])


def user_loop() -> str:
    """A user task repeated while ``count < n``."""
    return process_xml("user_loop", [
        start(), script("init", "count = 0"), user("work", "Work"), script("inc", "count += 1"),
        gateway("again", default="f_done"), end()],
        chain("start", "init", "work", "inc", "again")
        + [flow("again", "work", "count < n"), flow("again", "end", id="f_done")])


def script_chain(length: int = 10) -> str:
    """A straight line of ``length`` script tasks."""
    ids = [f"s{i}" for i in range(length)]
    nodes = [start()] + [script(i, f"x{n} = {n}") for n, i in enumerate(ids)] + [end()]
    return process_xml("straight", nodes, chain("start", *ids, "end"))
