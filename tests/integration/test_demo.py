"""``weft demo``: demo users and the modules under ``processes/`` (as ``make run`` installs them)."""

from __future__ import annotations

from tests.conftest import ROOT
from weft.demo import DEMO_PASSWORD, install_demo
from weft.services.errors import ValidationError


def test_demo_installs_users_and_modules_idempotently(weft):
    first = list(install_demo(weft, ROOT / "processes"))
    assert "module demo 1.0.0: deployment version 1" in first
    assert {"module crm 1.0.0: deployment version 1", "procurement: seed demo.yaml loaded",
            "crm: seed demo.yaml loaded", "module manufacturing 1.0.0: deployment version 1",
            "manufacturing: seed demo.yaml loaded", "module claims 1.0.0: deployment version 1",
            "claims: seed demo.yaml loaded"} <= set(first)
    seeded = [line.split(":")[0] for line in first if line.endswith("seed demo.yaml loaded")]
    assert seeded.index("crm") < seeded.index("claims") and seeded.index("procurement") < seeded.index("manufacturing")
    assert weft.records.search("item", user="otto").total > 0          # granted by manufacturing's plugin.yaml
    second = list(install_demo(weft, ROOT / "processes"))
    assert all(line.startswith("module ") and line.endswith("deployment version 1") for line in second)   # unchanged
    assert {"employees", "managers"} <= set(weft.accounts.groups())
    assert {u.name for u in weft.accounts.users()} >= {"admin", "emma", "mike"}
    assert weft.accounts.authenticate_password("emma", DEMO_PASSWORD) is not None


def test_leave_request_approval_and_rejection_paths(weft):
    list(install_demo(weft, ROOT / "processes"))
    approved = weft.starts.start("leave_request", {"days": 5, "reason": "holiday"}, "emma")
    assert approved.variables["requester"] == "emma"                  # camunda:initiator
    [review] = weft.tasks(user="mike")
    assert (review.name, review.form, review.candidate_groups) == ("Review leave request", "demo/review_leave",
                                                                    ["managers"])
    done = weft.complete(review.id, {"decision": "approve"}, user="mike")
    assert (done.state, done.variables["status"], done.variables["remaining_days"]) == ("completed", "approved", 20)

    rejected = weft.start("leave_request", {"days": 30, "reason": "trip"}, user="emma")
    [review] = weft.tasks(user="mike")
    try:
        weft.complete(review.id, {"decision": "reject"}, user="mike")
    except ValidationError as exc:
        assert exc.errors == {"comment": ["required"]}
    weft.complete(review.id, {"decision": "reject", "comment": "busy month"}, user="mike")
    [acknowledge] = weft.tasks(user="emma")
    assert acknowledge.assignee == "emma"
    assert weft.complete(acknowledge.id, {}, user="emma").state == "completed"
    elements = [h["element_id"] for h in weft.instance(rejected.id).history]
    assert elements == ["requested", "review", "decision", "acknowledge_rejection", "rejected"]
    assert approved.id != rejected.id
