"""A small reviewed-and-approved process and instances worked on a virtual clock, for the
analytics tests: known durations give known averages, percentiles and workload."""

from __future__ import annotations

from tests.support.bpmn import chain, end, process_xml, script, start, user


def review_process(name: str = "Review") -> str:
    """start → Review (group reviewers, due in 1 h) → Approve (managers) → book (total / count) → end."""
    return process_xml("review", [start(), user("check", "Review", camunda_candidateGroups="reviewers",
                                                camunda_dueDate="PT1H"),
                                  user("approve", "Approve", camunda_candidateGroups="managers"),
                                  script("book", "booked = total / count"), end()],
                       chain("start", "check", "approve", "book", "end"), name=name)


def add_people(weft) -> None:
    for group in ("reviewers", "managers", "analyst", "admin"):
        weft.add_group(group)
    weft.add_user("rita", "password1", groups=["reviewers"])
    weft.add_user("mike", "password1", groups=["managers"])
    weft.add_user("anna", "password1", groups=["analyst"])
    weft.add_user("emma", "password1")


def work(weft, clock, hours: list[float], count: int = 1):
    """Start an instance and complete its user tasks after ``hours`` each (fewer: it waits);
    ``count=0`` makes it fail at "book"."""
    instance = weft.start("review", {"total": 10, "count": count}, user="emma")
    for (element, who), spent in zip([("check", "rita"), ("approve", "mike")], hours, strict=False):
        clock.advance(hours=spent)
        [task] = [t for t in weft.tasks(instance_id=instance.id) if t.element_id == element]
        weft.claim(task.id, who)
        weft.complete(task.id, {}, user=who)
    return instance


def worked_history(weft, bpmn_file, clock) -> None:
    """Five instances: completed after 3 h and 4 h, one waiting for approval, one failed at
    "book", one waiting for review (overdue); then 5 more hours pass."""
    add_people(weft)
    weft.deploy(bpmn_file(review_process()))
    work(weft, clock, [1, 2])
    work(weft, clock, [3, 1])
    work(weft, clock, [2])
    work(weft, clock, [2, 1], count=0)
    work(weft, clock, [])
    clock.advance(hours=5)
