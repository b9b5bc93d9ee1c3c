"""claims / claims_handling: the SLA timer, intake by message, appeals, assignment and authority
rules, and the reports."""

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
    open_tasks,
    report,
    task,
    triaged,
)
from weft.services.errors import NotFound

D = decimal.Decimal


def test_a_missed_sla_alerts_the_supervisor_while_the_handler_works_on(claims, clock):
    started = report(claims)
    triaged(claims, started.id)                                  # minor: ten days to decide
    clock.advance(days=9)
    claims.fire_due_timers()
    assert mails(claims, "SLA") == []
    clock.advance(days=1, seconds=1)
    claims.fire_due_timers()
    claim = claim_of(claims, started.id)
    assert (claim["sla_breached"], claim["status"]) == (True, "assigned")
    [alert] = mails(claims, "SLA breached")
    assert alert.recipients == ["susan@insurer.example"] and "handled by hank" in alert.text
    assert open_tasks(claims, started.id) == ["assess_claim", "review_overdue"]
    assert task(claims, started.id, "review_overdue").candidate_groups == ["claims_supervisor"]
    do(claims, started.id, "review_overdue", "susan", {"supervisor_note": "Settle it this week, the photos suffice"})
    [instruction] = mails(claims, "instruction")
    assert instruction.recipients == ["hank@insurer.example"]
    assert instruction.text == "Settle it this week, the photos suffice"
    assessed(claims, started.id, "hank")                         # the work went on all along
    do(claims, started.id, "record_payout", "carl", {"reference": "CLP-17"})
    claim = claim_of(claims, started.id)
    assert (claim["status"], claim["sla_breached"], claim["paid_amount"]) == ("paid", True, D("2500.00"))
    clock.advance(days=40)
    claims.fire_due_timers()
    assert claims.instance(started.id).state == "completed"
    assert len(mails(claims, "SLA breached")) == 1               # it fired once


def test_a_claim_arrives_by_message(claims):
    [instance_id] = claims.correlate("claim_received", {}, {"claim": {
        "policy_number": claims.fixtures["policy_number"], "type": "liability", "amount": "12500",
        "incident_date": "2026-02-20", "subject": "Visitor slipped in the warehouse",
        "description": "A driver slipped on a wet floor and broke his wrist; he claims damages.",
        "reporter_email": "jana.berg@nordwind.example", "reporter_name": "Jana Berg"}})
    claim = claim_of(claims, instance_id)
    assert (claim["status"], claim["intake_channel"], claim["policy"], claim["claim_type"], claim["claimed_amount"]) \
        == ("triage", "email", claims.fixtures["policy"], "liability", D("12500.00"))
    assert claim["coverage_note"].endswith("limit 100000.00, deductible 250.00")     # the policy's deductible
    triaged(claims, instance_id, severity="moderate")
    assert claim_of(claims, instance_id)["handler"] == "hank"
    assessed(claims, instance_id, "hank", damage="4000", cause="injury")
    assert claim_of(claims, instance_id)["payout"] == D("3750.00")

    [unknown] = claims.correlate("claim_received", {}, {"claim": {
        "policy_number": "POL-1999-0042", "type": "property", "amount": "900",
        "description": "Broken window", "reporter_email": "someone@example.net"}})
    claim = claim_of(claims, unknown)
    assert (claim["policy"], claim["subject"], claim["coverage_note"]) == (None, "Broken window",
                                                                            "no policy POL-1999-0042 found")
    do(claims, unknown, "triage", "clara", {"severity": "minor", "coverage_decision": "not_covered",
                                            "rejection_reason": "no_policy"})
    [letter] = mails(claims, "rejected")
    assert letter.recipients == ["someone@example.net"] and "because we hold no such policy" in letter.text


def test_an_appeal_reopens_the_claim_for_a_new_assessment(claims, clock):
    started = report(claims)
    triaged(claims, started.id)
    assessed(claims, started.id, "hank", recommendation="reject", rejection_reason="insufficient_evidence")
    number = claim_of(claims, started.id)["number"]
    clock.advance(days=5)
    assert claims.correlate("claim_appeal", {"claim_number": number},
                            {"appeal_reason": "Here are the plumber's invoice and photos."}) == [started.id]
    claim = claim_of(claims, started.id)
    assert (claim["status"], claim["appeal_count"], claim["resolution"], claim["rejection_reason"]) == \
        ("reopened", 1, None, None)
    assert claim["sla_due"] == clock.now + dt.timedelta(days=14)
    assert claim["appeal_reason"] == "Here are the plumber's invoice and photos."
    [reopened] = mails(claims, "reopened on appeal")
    assert reopened.recipients == ["hank@insurer.example"]
    assert task(claims, started.id, "assess_claim").assignee == "hank"          # straight back to the handler
    assessed(claims, started.id, "hank", damage="2900")
    assert claims.records.search("assessment").total == 2                       # a new assessment for the appeal
    do(claims, started.id, "record_payout", "carl", {"reference": "CLP-23"})
    claim = claim_of(claims, started.id)
    assert (claim["status"], claim["paid_amount"], claim["appeal_count"]) == ("paid", D("2400.00"), 1)
    assert claims.records.search("claim_handler", {"user": "hank"}).records[0]["claims_assigned"] == 1
    appeal_window_passes(claims, clock)
    assert claim_of(claims, started.id)["status"] == "closed"
    with pytest.raises(NotFound):                                              # too late now
        claims.correlate("claim_appeal", {"claim_number": number}, {"appeal_reason": "again"})


def test_handlers_take_turns_and_the_supervisor_assigns_major_losses_or_when_nobody_is_free(claims, clock):
    handlers = []
    for _ in range(3):
        clock.advance(minutes=1)
        started = report(claims)
        triaged(claims, started.id)
        handlers.append(claim_of(claims, started.id)["handler"])
    assert handlers == ["hank", "holly", "hank"]
    major = report(claims, amount="45000", subject="Fire in the paint store")
    triaged(claims, major.id, severity="major")
    assignment = task(claims, major.id, "assign_claim")
    assert assignment.candidate_groups == ["claims_supervisor"]
    assert claim_of(claims, major.id)["sla_due"] == clock.now + dt.timedelta(days=30)
    do(claims, major.id, "assign_claim", "susan", {"handler": "holly"})
    claim = claim_of(claims, major.id)
    assert (claim["handler"], claim["status"]) == ("holly", "assigned")
    assert task(claims, major.id, "assess_claim").assignee == "holly"
    for handler in claims.records.search("claim_handler").records:
        claims.records.update("claim_handler", handler["id"], {"active": False})
    orphan = report(claims)
    triaged(claims, orphan.id)
    assert open_tasks(claims, orphan.id) == ["assign_claim"]
    counts = {h["user"]: h["claims_assigned"] for h in claims.records.search("claim_handler").records}
    assert counts == {"hank": 2, "holly": 2}


def test_the_authority_rules(claims):
    holly_large = report(claims, amount="30000")
    claims.records.update("claim_handler", claims.records.search("claim_handler", {"user": "hank"}).records[0]["id"],
                          {"active": False})
    triaged(claims, holly_large.id)
    assessed(claims, holly_large.id, "holly", damage="20000")           # 19,500: within holly's 25,000
    assert claim_of(claims, holly_large.id)["status"] == "approved"
    fraud = report(claims, amount="1200")
    triaged(claims, fraud.id)
    assessed(claims, fraud.id, "holly", damage="1200", fraud_suspected=True)
    assert claims.instance(fraud.id).variables["authority"]["reason"] == "fraud indicators"
    assert claim_of(claims, fraud.id)["status"] == "awaiting_approval"
    claims.records.update("claim_handler", claims.records.search("claim_handler", {"user": "holly"}).records[0]["id"],
                          {"level": "trainee"})
    trainee = report(claims, amount="900")
    triaged(claims, trainee.id)
    assessed(claims, trainee.id, "holly", damage="900")
    assert claims.instance(trainee.id).variables["authority"]["reason"] == "settled by a trainee"
    small = report(claims, amount="450")
    triaged(claims, small.id)
    assessed(claims, small.id, "holly", damage="450")                   # below the 500 deductible
    claim = claim_of(claims, small.id)
    assert (claim["status"], claim["rejection_reason"], claim["payout"]) == ("rejected", "below_deductible", D("0.00"))
    assert "because the loss does not exceed the deductible" in mails(claims, "rejected")[0].text
    capped = report(claims, amount="80000", subject="Warehouse roof collapsed")
    assert "exceeds the limit: the payout is capped at 50000.00" in claim_of(claims, capped.id)["coverage_note"]


def test_reports_by_status_type_handler_and_month(claims, clock):
    claims.add_group("admin")
    claims.add_user("boss", groups=["admin"])
    paid = report(claims)
    triaged(claims, paid.id)
    clock.advance(days=4)
    assessed(claims, paid.id, "hank")
    do(claims, paid.id, "record_payout", "carl", {"reference": "CLP-1"})
    rejected = report(claims, amount="700", claim_type="liability")
    triaged(claims, rejected.id)
    clock.advance(days=2)
    assessed(claims, rejected.id, "holly", recommendation="reject", rejection_reason="exclusion")
    report(claims, amount="999")                                         # still in triage
    statuses = {r["group_value"]: r["claims"] for r in claims.reports.run("claims/claims_by_status", "boss").rows}
    assert statuses == {"paid": 1, "rejected": 1, "triage": 1}
    types = {r["group_value"]: r for r in claims.reports.run("claims/claims_by_type", "boss").rows}
    assert (types["property"]["claims"], types["property"]["paid"]) == (2, 2500)
    assert (types["liability"]["rejected"], types["liability"]["claimed"]) == (1, 700)
    handlers = {r["group_value"]: r for r in claims.reports.run("claims/handler_performance", "boss").rows}
    assert (handlers["hank"]["claims"], handlers["hank"]["days_to_decide"], handlers["hank"]["paid"]) == (1, 4, 2500)
    assert (handlers["holly"]["decided"], handlers["holly"]["sla_breaches"]) == (1, 0)
    [month] = claims.reports.run("claims/payouts_by_month", "boss").rows
    assert (month["paid"], month["payments"]) == (2500, 1)
