"""Claiming, delegating and completing user tasks; the task projection and its attributes."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.bpmn import chain, end, flow, gateway, process_xml, start, user
from tests.support.processes import approval
from weft import NotAllowed, TaskClaimed, TaskGone, TaskNotFound, UnknownUser, ValidationError


@pytest.fixture
def people(weft):
    weft.add_group("managers")
    weft.add_group("admin")
    weft.add_user("mike", "password1", groups=["managers"])
    weft.add_user("mary", "password1", groups=["managers"])
    weft.add_user("emma", "password1")
    weft.add_user("root", "password1", groups=["admin"])
    return weft


def test_lane_name_is_the_candidate_group(people, bpmn_file):
    people.deploy(bpmn_file(approval()))
    instance = people.start("approval", user="emma")
    [task] = people.tasks(instance_id=instance.id)
    assert task.candidate_groups == ["managers"] and task.assignee is None
    assert [t.id for t in people.tasks(user="mike")] == [task.id]
    assert people.tasks(user="emma") == []


def test_camunda_attributes_are_projected(people, bpmn_file, clock):
    xml = approval(camunda_candidateGroups="${team}", camunda_candidateUsers="emma, mary",
                   camunda_dueDate="P2DT4H", camunda_priority="${urgency * 10}", camunda_formKey="demo/review")
    people.deploy(bpmn_file(xml))
    instance = people.start("approval", {"team": "auditors", "urgency": 8})
    [task] = people.tasks(instance_id=instance.id)
    assert task.candidate_groups == ["auditors"] and task.candidate_users == ["emma", "mary"]
    assert task.due == clock.now + dt.timedelta(days=2, hours=4)
    assert (task.priority, task.form) == (80, "demo/review")


def test_assignee_expression_assigns_the_task(people, bpmn_file):
    people.deploy(bpmn_file(approval(camunda_assignee="${owner}")))
    instance = people.start("approval", {"owner": "mary"})
    [task] = people.tasks(instance_id=instance.id)
    assert task.assignee == "mary"
    assert [t.id for t in people.tasks(user="mary")] == [task.id]
    assert people.tasks(user="mike") == []


def test_task_without_candidates_goes_to_the_starter(people, bpmn_file):
    xml = process_xml("own", [start(), user("fill"), end()], chain("start", "fill", "end"))
    people.deploy(bpmn_file(xml))
    people.start("own", user="emma")
    assert len(people.tasks(user="emma")) == 1 and people.tasks(user="mike") == []


def test_claim_unclaim_and_claim_by_another(people, bpmn_file):
    people.deploy(bpmn_file(approval()))
    [task] = people.tasks(instance_id=people.start("approval").id)
    assert people.claim(task.id, "mike").assignee == "mike"
    assert people.claim(task.id, "mike").assignee == "mike"         # claiming again is harmless
    with pytest.raises(TaskClaimed, match="claimed by mike"):
        people.claim(task.id, "mary")
    assert [t.id for t in people.tasks(user="mary")] == []
    with pytest.raises(TaskClaimed):
        people.unclaim(task.id, "mary")
    assert people.unclaim(task.id, "mike").assignee is None
    assert people.claim(task.id, "mary").assignee == "mary"


def test_non_candidates_may_not_claim_or_complete(people, bpmn_file):
    people.deploy(bpmn_file(approval()))
    [task] = people.tasks(instance_id=people.start("approval").id)
    with pytest.raises(NotAllowed):
        people.claim(task.id, "emma")
    with pytest.raises(NotAllowed):
        people.complete(task.id, {"approved": True}, user="emma")
    assert people.claim(task.id, "root").assignee == "root"           # administrators may


def test_completing_a_task_claimed_by_someone_else_is_refused(people, bpmn_file):
    people.deploy(bpmn_file(approval()))
    instance = people.start("approval")
    [task] = people.tasks(instance_id=instance.id)
    people.claim(task.id, "mike")
    with pytest.raises(TaskClaimed):
        people.complete(task.id, {"approved": True}, user="mary")
    assert people.instance(instance.id).state == "waiting"


def test_assign_delegates_to_a_colleague(people, bpmn_file):
    people.deploy(bpmn_file(approval()))
    [task] = people.tasks(instance_id=people.start("approval").id)
    people.claim(task.id, "mike")
    assert people.assign(task.id, "mary", by="mike").assignee == "mary"
    with pytest.raises(TaskClaimed):
        people.assign(task.id, "mike", by="mike")
    with pytest.raises(UnknownUser):
        people.assign(task.id, "ghost", by="mary")
    assert people.assign(task.id, "emma").assignee == "emma"          # the system may


def test_complete_runs_to_the_next_wait_state_and_records_who(people, bpmn_file, clock):
    people.deploy(bpmn_file(approval()))
    instance = people.start("approval", {"amount": 12}, user="emma")
    [task] = people.tasks(instance_id=instance.id)
    clock.advance(hours=3)
    result = people.complete(task.id, {"approved": True}, user="mike")
    assert result.state == "completed"
    assert result.variables == {"amount": 12, "approved": True, "status": "approved"}
    history = people.instance(instance.id).history
    assert [h["element_id"] for h in history] == ["start", "review", "decide", "record", "approved_end"]
    review = history[1]
    assert (review["user"], review["type"], review["name"]) == ("mike", "userTask", "Review request")
    assert review["ended"] - review["started"] == dt.timedelta(hours=3)
    assert people.tasks(instance_id=instance.id) == []
    [done] = people.tasks(instance_id=instance.id, open=False)
    assert (done.state, done.completed_by, done.assignee) == ("completed", "mike", "mike")


def test_completing_twice_unknown_and_malformed_ids(people, bpmn_file):
    people.deploy(bpmn_file(approval()))
    [task] = people.tasks(instance_id=people.start("approval").id)
    people.complete(task.id, {"approved": False})
    with pytest.raises(TaskGone, match="already completed"):
        people.complete(task.id, {"approved": False})
    with pytest.raises(TaskNotFound):
        people.complete("5f0e3c36-0000-4000-8000-000000000000")
    with pytest.raises(TaskNotFound):
        people.complete("not-a-task-id")


def test_invalid_data_changes_nothing(people, bpmn_file):
    people.deploy(bpmn_file(approval()))
    instance = people.start("approval")
    [task] = people.tasks(instance_id=instance.id)
    with pytest.raises(ValidationError) as caught:
        people.complete(task.id, {"approved": True, "1st": 1, "obj": object()}, user="mike")
    assert set(caught.value.errors) == {"1st", "obj"}
    assert people.tasks(instance_id=instance.id)[0].state == "open"
    assert people.instance(instance.id).variables == {}


def test_unknown_acting_user_is_refused(people, bpmn_file):
    people.deploy(bpmn_file(approval()))
    [task] = people.tasks(instance_id=people.start("approval").id)
    with pytest.raises(UnknownUser, match="ghost"):
        people.complete(task.id, {"approved": True}, user="ghost")
    with pytest.raises(UnknownUser):
        people.claim(task.id, "ghost")
    with pytest.raises(UnknownUser):
        people.start("approval", user="ghost")


def test_parallel_user_tasks_and_cancelled_branches(people, bpmn_file):
    xml = process_xml("review_both", [
        start(), gateway("split", "parallel"), user("legal", lane="managers"), user("finance", lane="managers"),
        gateway("join", "parallel"), end()],
        chain("start", "split") + [flow("split", "legal"), flow("split", "finance"), flow("legal", "join"),
                                   flow("finance", "join"), flow("join", "end")])
    people.deploy(bpmn_file(xml))
    instance = people.start("review_both")
    tasks = {t.element_id: t for t in people.tasks(instance_id=instance.id)}
    assert set(tasks) == {"legal", "finance"}
    assert people.complete(tasks["legal"].id, {"legal_ok": True}, user="mike").state == "waiting"
    assert [t.element_id for t in people.tasks(instance_id=instance.id)] == ["finance"]
    final = people.complete(tasks["finance"].id, {"finance_ok": True}, user="mary")
    assert final.state == "completed"
    assert final.variables == {"legal_ok": True, "finance_ok": True}


def test_cancelled_instance_cancels_its_tasks(people, bpmn_file):
    people.deploy(bpmn_file(approval()))
    instance = people.start("approval", user="emma")
    with pytest.raises(NotAllowed):
        people.cancel(instance.id, user="mike")
    assert people.cancel(instance.id, user="emma").state == "terminated"
    [task] = people.tasks(instance_id=instance.id, open=False)
    assert task.state == "cancelled"
    with pytest.raises(TaskGone):
        people.complete(task.id, {})


def test_suspended_instance_blocks_its_tasks(people, bpmn_file):
    from weft import Conflict
    people.deploy(bpmn_file(approval()))
    instance = people.start("approval")
    [task] = people.tasks(instance_id=instance.id)
    with pytest.raises(NotAllowed):
        people.suspend(instance.id, user="mike")
    assert people.suspend(instance.id, user="root").suspended
    with pytest.raises(Conflict, match="suspended"):
        people.complete(task.id, {"approved": True}, user="mike")
    with pytest.raises(Conflict):
        people.claim(task.id, "mike")
    people.resume(instance.id)
    assert people.complete(task.id, {"approved": True}, user="mike").state == "completed"


def test_task_search_filters_and_sorting(people, bpmn_file, clock):
    people.deploy(bpmn_file(approval(camunda_priority="${p}")))
    for priority in (10, 90, 50):
        people.start("approval", {"p": priority})
        clock.advance(minutes=1)
    page = people.human_tasks.tasks(user="mike", sort="-priority", per_page=2)
    assert page.total == 3 and [t.priority for t in page.tasks] == [90, 50]
    assert people.human_tasks.tasks(user="mike", scope="mine").total == 0
    first = page.tasks[0]
    people.claim(first.id, "mike")
    assert [t.id for t in people.human_tasks.tasks(user="mike", scope="mine").tasks] == [first.id]
    assert people.human_tasks.tasks(user="mary", scope="group").total == 2
    assert people.human_tasks.tasks(user="mike", text="review").total == 3
    assert people.human_tasks.tasks(user="mike", text="nothing like it").total == 0


def test_user_task_in_a_loop_is_recreated_each_round(people, bpmn_file):
    from tests.support.processes import user_loop
    people.deploy(bpmn_file(user_loop()))
    instance = people.start("user_loop", {"n": 3}, user="emma")
    for round_number in range(3):
        [task] = people.tasks(instance_id=instance.id)
        result = people.complete(task.id, {"round": round_number}, user="emma")
    assert result.state == "completed" and result.variables["count"] == 3
    assert len(people.tasks(instance_id=instance.id, open=False)) == 3
    elements = [h["element_id"] for h in people.instance(instance.id).history]
    assert elements.count("work") == 3 and elements[-1] == "end"


def test_due_date_literal_and_bad_priority(people, bpmn_file):
    people.deploy(bpmn_file(approval(camunda_dueDate="2026-02-01T12:00:00Z", camunda_priority="${p}")))
    instance = people.start("approval", {"p": 1})
    assert people.tasks(instance_id=instance.id)[0].due == dt.datetime(2026, 2, 1, 12, tzinfo=dt.UTC)
    broken = people.start("approval", {"p": "high"})
    assert broken.state == "failed" and people.tasks(instance_id=broken.id) == []
    [incident] = people.instances.incidents(broken.id)
    assert incident["element_id"] == "review" and "priority" in incident["message"]
    fixed = people.retry(broken.id, {"p": 7})
    assert fixed.state == "waiting"
    assert people.tasks(instance_id=broken.id)[0].priority == 7
