"""claims: the demo seed loads, with claims at every stage of claims_handling."""

from __future__ import annotations

import datetime as dt

from tests.conftest import ROOT
from weft.demo import install_demo


def test_the_demo_seed_leaves_claims_at_every_stage(weft, clock):
    clock.now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    lines = list(install_demo(weft, ROOT / "processes"))
    assert "claims: seed demo.yaml loaded" in lines
    waiting = {}
    for task in weft.tasks():
        if task.form and task.form.startswith("claims/"):
            claim_id = weft.instance(task.instance_id).variables["claim_id"]
            waiting[weft.records.get("claim", claim_id)["subject"]] = (task.element_id, task.assignee,
                                                                       task.candidate_groups)
    assert waiting == {
        "Power outage spoiled frozen goods": ("triage", None, ["claims_clerk"]),
        "Truck hit a loading gate": ("assess_claim", "hank", []),
        "Flooded storage cellar": ("approve_claim", None, ["claims_supervisor"]),
        "Hydraulic press out of order": ("inspect_loss", None, ["claims_expert"]),
    }
    statuses = {c["subject"]: c["status"] for c in weft.records.search("claim", per_page=100).records}
    assert statuses["Client's pallets damaged by a forklift"] == "paid"
    assert statuses["Flooded storage cellar"] == "awaiting_approval"
    assert sorted(statuses.values()).count("closed") == 6
    handlers = {h["user"]: h["claims_assigned"] for h in weft.records.search("claim_handler").records}
    assert handlers == {"hank": 5, "holly": 5}
