"""claims / claims_handling: every main path to its end, through the embedding API (rules, SLA,
messages and reports: test_claims_rules.py)."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from tests.integration.modules.claims_support import (
    appeal_window_passes,
    assessed,
    claim_of,
    claims_fixture,  # noqa: F401 (the fixture)
    do,
    mails,
    report,
    task,
    triaged,
)
from weft.services.errors import ValidationError

D = decimal.Decimal


def test_a_covered_claim_is_assessed_paid_and_closed(claims, clock):
    started = report(claims)
    claim = claim_of(claims, started.id)
    assert (claim["number"], claim["status"], claim["policyholder"]) == ("CLM-2026-00001", "triage",
                                                                         claims.fixtures["nordwind"])
    assert claim["coverage_note"] == (f"covered by policy {claims.fixtures['policy_number']}, limit 50000.00, "
                                      "deductible 500.00")
    assert task(claims, started.id, "triage").candidate_groups == ["claims_clerk"]
    triaged(claims, started.id)
    claim = claim_of(claims, started.id)
    assert (claim["status"], claim["handler"], claim["severity"]) == ("assigned", "hank", "minor")
    assert claim["sla_due"] == clock.now + dt.timedelta(days=10)
    assessment = task(claims, started.id, "assess_claim")
    assert assessment.assignee == "hank" and assessment.due == clock.now + dt.timedelta(days=10)

    clock.advance(days=3)
    assessed(claims, started.id, "hank", damage="3000")       # 2,500 after the deductible: within hank's 5,000
    claim = claim_of(claims, started.id)
    assert (claim["status"], claim["approved_amount"], claim["deductible_applied"], claim["payout"]) == \
        ("approved", D("3000.00"), D("500.00"), D("2500.00"))
    assert claim["decided_on"] == dt.date(2026, 3, 5)
    payout = task(claims, started.id, "record_payout")
    assert payout.candidate_groups == ["claims_accountant"]
    do(claims, started.id, "record_payout", "carl", {"iban": "DE89370400440532013000", "reference": "CLP-881"})
    [payment] = claims.records.search("claim_payment").records
    assert (payment["amount"], payment["payee"], payment["paid_by"], payment["claim"]) == \
        (D("2500.00"), "Nordwind Logistics GmbH", "carl", claim["id"])
    claim = claim_of(claims, started.id)
    assert (claim["status"], claim["resolution"], claim["paid_amount"]) == ("paid", "paid", D("2500.00"))
    [letter] = mails(claims, "payout")
    assert letter.recipients == ["jana.berg@nordwind.example"] and letter.cc == ["hank@insurer.example"]
    assert "we have paid 2500.00 in all" in letter.text
    assert claims.records.search("claim_handler", {"user": "hank"}).records[0]["claims_assigned"] == 1

    appeal_window_passes(claims, clock)
    assert claims.instance(started.id).state == "completed"
    claim = claim_of(claims, started.id)
    assert (claim["status"], claim["closed_on"]) == ("closed", dt.date(2026, 4, 4))
    [assessment] = claims.records.search("assessment").records
    assert (assessment["claim"], assessment["assessor"], assessment["cause"]) == (claim["id"], "hank", "water")


def test_a_claim_the_policy_does_not_cover_is_rejected_by_the_clerk(claims, clock):
    started = report(claims, claim_type="auto", policy=claims.fixtures["expired"], amount="8000",
                     subject="Truck damaged at the ramp")
    note = claim_of(claims, started.id)["coverage_note"]
    assert note.startswith("policy POL-2026-0002 is expired; the loss of 2026-02-27 is outside the policy period")
    with pytest.raises(ValidationError) as caught:
        do(claims, started.id, "triage", "clara", {"severity": "moderate", "coverage_decision": "not_covered"})
    assert caught.value.errors == {"rejection_reason": ["required"]}
    do(claims, started.id, "triage", "clara", {"severity": "moderate", "coverage_decision": "not_covered",
                                               "rejection_reason": "policy_not_in_force",
                                               "decision_note": "The motor fleet policy ended on 31 December."})
    claim = claim_of(claims, started.id)
    assert (claim["status"], claim["resolution"], claim["rejection_reason"], claim["handler"]) == \
        ("not_covered", "not_covered", "policy_not_in_force", None)
    [letter] = mails(claims, "rejected")
    assert letter.recipients == ["jana.berg@nordwind.example"]
    assert "because the policy was not in force" in letter.text and "ended on 31 December" in letter.text
    assert claims.instance(started.id).active_elements == ["appeal_window"]
    appeal_window_passes(claims, clock)
    assert claims.instance(started.id).state == "completed"
    assert claim_of(claims, started.id)["status"] == "closed"


def test_the_handler_rejects_a_claim_after_assessment(claims, clock):
    started = report(claims)
    triaged(claims, started.id)
    with pytest.raises(ValidationError) as caught:
        assessed(claims, started.id, "hank", recommendation="reject")
    assert caught.value.errors == {"rejection_reason": ["required"]}
    assessed(claims, started.id, "hank", recommendation="reject", rejection_reason="exclusion", cause="wear",
             findings="The pipe was corroded for years: gradual deterioration is excluded")
    claim = claim_of(claims, started.id)
    assert (claim["status"], claim["resolution"], claim["rejection_reason"], claim["payout"]) == \
        ("rejected", "rejected", "exclusion", D("0.00"))
    [letter] = mails(claims, "rejected")
    assert "because the cause of the loss is excluded by the policy" in letter.text
    assert letter.cc == ["hank@insurer.example"]
    assert claims.records.search("claim_payment").total == 0
    appeal_window_passes(claims, clock)
    assert claim_of(claims, started.id)["status"] == "closed"


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_a_payout_above_the_handlers_authority_needs_the_supervisor(claims, decision):
    started = report(claims, amount="9000")
    triaged(claims, started.id, severity="moderate")
    assessed(claims, started.id, "hank", damage="8500")        # 8,000 payout: above hank's 5,000
    variables = claims.instance(started.id).variables
    assert variables["authority"] == {"approval": "supervisor", "reason": "payout above the handler's authority limit"}
    claim = claim_of(claims, started.id)
    assert (claim["status"], claim["payout"]) == ("awaiting_approval", D("8000.00"))
    approval = task(claims, started.id, "approve_claim")
    assert approval.candidate_groups == ["claims_supervisor"]
    with pytest.raises(ValidationError) as caught:
        do(claims, started.id, "approve_claim", "susan", {"approval_decision": "reject"})
    assert caught.value.errors == {"rejection_reason": ["required"]}
    if decision == "approve":
        do(claims, started.id, "approve_claim", "susan", {"approval_decision": "approve",
                                                          "supervisor_note": "Photos support the damage"})
        assert claim_of(claims, started.id)["status"] == "approved"
        do(claims, started.id, "record_payout", "carl", {"reference": "CLP-900"})
        claim = claim_of(claims, started.id)
        assert (claim["status"], claim["paid_amount"], claim["supervisor_note"]) == \
            ("paid", D("8000.00"), "Photos support the damage")
        assert len(mails(claims, "payout")) == 1
    else:
        do(claims, started.id, "approve_claim", "susan", {"approval_decision": "reject",
                                                          "rejection_reason": "insufficient_evidence"})
        claim = claim_of(claims, started.id)
        assert (claim["status"], claim["rejection_reason"]) == ("rejected", "insufficient_evidence")
        assert "because the loss could not be established" in mails(claims, "rejected")[0].text
        assert claims.tasks(instance_id=started.id) == []
    assert claims.instance(started.id).active_elements == ["appeal_window"]


def test_the_handler_asks_an_expert_to_inspect_the_loss(claims):
    started = report(claims, amount="14000", subject="Roof damaged by storm")
    triaged(claims, started.id)
    assessed(claims, started.id, "hank", damage="12000", recommendation="expert", cause="storm")
    assert claim_of(claims, started.id)["status"] == "in_assessment"
    inspection = task(claims, started.id, "inspect_loss")
    assert inspection.candidate_groups == ["claims_expert"]
    with pytest.raises(ValidationError) as caught:
        do(claims, started.id, "inspect_loss", "eric", {"expert_opinion": "Storm damage confirmed"})
    assert set(caught.value.errors) == {"inspected_on", "expert_damage"}
    do(claims, started.id, "inspect_loss", "eric", {"inspected_on": "2026-03-04", "expert_damage": "10400",
                                                    "expert_opinion": "Storm damage to 40 m² of roof; the rest is old"})
    [note] = mails(claims, "Expert report")
    assert note.recipients == ["hank@insurer.example"]
    again = task(claims, started.id, "assess_claim")
    assert again.assignee == "hank"
    [assessment] = claims.records.search("assessment").records
    assert (assessment["expert_damage"], assessment["assessor"]) == (D("10400.00"), "hank")
    assessed(claims, started.id, "hank", damage="10400", cause="storm")       # 9,900: above hank's limit
    assert claim_of(claims, started.id)["status"] == "awaiting_approval"
    assert claims.records.search("assessment").total == 1                   # the same assessment, completed
