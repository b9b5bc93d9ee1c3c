"""processes/claims/claims_handling.bpmn: from the first notice of loss to payout or rejection, appeals included."""

from __future__ import annotations

from xml.sax.saxutils import escape

from bpmn_writer import (
    ROOT,
    Process,
    Script,
    SubProcess,
    connector,
    decision,
    end,
    gateway,
    message,
    message_catch,
    message_start,
    script,
    start,
    timer_catch,
    user,
)


def boundary_deadline(id: str, name: str, attached_to: str, date: str) -> str:
    """A non-interrupting boundary timer firing at a date (the SLA due date)."""
    return (f'<boundaryEvent id="{id}" name="{name}" attachedToRef="{attached_to}" cancelActivity="false">'
            f"<timerEventDefinition><timeDate>{escape(date)}</timeDate></timerEventDefinition></boundaryEvent>")


def claim_update(id: str, name: str, outputs: dict | None = None, **values) -> str:
    return connector(id, name, "entity.update", {"entity": "claim", "id": "${claim_id}", **values}, outputs)


p = Process("claims_handling", "Claims handling", documentation=(
    "A claim is registered by a claims clerk (start form) or arrives by the message claim_received (a map "
    "'claim': policy_number, type, amount, incident_date, subject, description, reporter_email, reporter_name). "
    "The policy is checked automatically (in force on the date of loss, claim type covered, limit) and the clerk "
    "triages it: claims not covered are rejected. Covered claims get an SLA by severity and a "
    "handler (least loaded active handler; major losses or no handler: the supervisor assigns). The handler "
    "assesses, optionally calling an expert inspection, and recommends payment or rejection; the DMN "
    "claim_authority sends payouts above the handler's authority limit (or by trainees, or with fraud "
    "indicators) to the claims supervisor. Approved claims are paid by the claims accountant and the client gets "
    "a payout letter; rejected ones (not covered included) a rejection letter. When the SLA due date passes during handling the "
    "supervisor is alerted and instructs the handler, while the work goes on. For 30 days after the letter the "
    "message claim_appeal (correlated by claim_number) reopens the claim for a new assessment; then it closes."))
p.definitions.append(message("msg_claim_received", "claim_received"))
p.definitions.append(message("msg_claim_appeal", "claim_appeal"))

# -- intake: by the clerk's form, or by message ---------------------------------------------------------------
p.add(start("claim_reported", "Claim reported", form="claims/new_claim", initiator="registered_by"))
p.add(message_start("claim_received", "Claim received", "msg_claim_received"))
p.add(connector("find_policy", "Find the policy", "entity.find", {
    "entity": "policy", "number": Script("claim.get('policy_number') or '-'"), "limit": "1"},
    {"policy_id": "${id}", "policy_number": Script("claim.get('policy_number')")}))
p.add(connector("create_claim", "Create the claim", "entity.create", {
    "entity": "claim", "policy": "${policy_id}", "claim_type": "${claim['type']}",
    "subject": Script("(claim.get('subject') or claim.get('description') or 'Claim')[:140]"),
    "incident_date": Script("claim.get('incident_date') or today()"), "claimed_amount": "${claim['amount']}",
    "description": "${claim['description']}", "location": Script("claim.get('location')"),
    "reporter_email": "${claim['reporter_email']}", "reporter_name": Script("claim.get('reporter_name')"),
    "intake_channel": Script("claim.get('channel') or 'email'")}, {"claim_id": "${id}"}))
p.add(gateway("claim_registered"))
p.add(connector("read_claim", "Read the claim", "entity.get", {"entity": "claim", "id": "${claim_id}"}, {
    "claim_number": "${number}", "policy_id": "${policy}", "claim_type": "${claim_type}",
    "incident_date": "${incident_date}", "claimed_amount": "${claimed_amount}", "claim_subject": "${subject}",
    "reporter_email": "${reporter_email}", "reporter_name": "${reporter_name}"}))

# -- coverage check and triage ------------------------------------------------------------------------------------
p.add(gateway("policy_known", "Policy found?", default="flow_policy_known_no_policy"))
p.add(connector("read_policy", "Read the policy", "entity.get", {"entity": "policy", "id": "${policy_id}"}, {
    "policy_number": "${number}", "insured": "${insured}", "policyholder": "${policyholder}",
    "policy_status": "${status}", "valid_from": "${valid_from}", "valid_to": "${valid_to}",
    "coverages": "${coverages}", "policy_deductible": "${deductible}"}))
p.add(script("check_coverage", "Check the coverage", (
    "lines = [line for line in coverages if line['claim_type'] == claim_type]\n"
    "problems = []\n"
    "if policy_status != 'active':\n"
    "    problems.append('policy ' + policy_number + ' is ' + policy_status)\n"
    "if incident_date < valid_from or incident_date > valid_to:\n"
    "    problems.append('the loss of ' + str(incident_date) + ' is outside the policy period ' + str(valid_from)"
    " + ' to ' + str(valid_to))\n"
    "if not lines:\n"
    "    problems.append(claim_type + ' losses are not covered by policy ' + policy_number)\n"
    "coverage_ok = not problems\n"
    "coverage_limit = lines[0]['limit'] if lines else 0\n"
    "deductible = lines[0]['deductible'] if lines and lines[0]['deductible'] is not None else (policy_deductible or 0)\n"
    "notes = problems or ['covered by policy ' + policy_number + ', limit ' + str(coverage_limit) + ', deductible '"
    " + str(deductible)]\n"
    "if lines and claimed_amount > coverage_limit:\n"
    "    notes.append('the claimed amount exceeds the limit: the payout is capped at ' + str(coverage_limit))\n"
    "coverage_note = '; '.join(notes)")))
p.add(script("no_policy", "No policy", (
    "insured = reporter_name\npolicyholder = None\ncoverage_ok = False\ncoverage_limit = 0\ndeductible = 0\n"
    "coverage_note = 'no policy ' + (policy_number or '') + ' found'")))  # reached by messages only: forms need a policy
p.add(gateway("coverage_checked"))
p.add(claim_update("mark_triage", "Claim in triage", status="triage", policyholder="${policyholder}",
                   coverage_note="${coverage_note}", coverage_limit="${coverage_limit}"))
p.add(user("triage", "Triage the claim", "claims/triage_claim", groups="claims_clerk", due="P1D", priority="60"))
p.add(connector("read_triage", "Read the triage", "entity.get", {"entity": "claim", "id": "${claim_id}"},
                {"severity": "${severity}"}))
p.add(gateway("coverage", "Covered?", default="flow_coverage_plan_sla"))
p.add(claim_update("mark_not_covered", "Claim not covered", status="not_covered", resolution="not_covered",
                   decided_on=Script("today()")))
p.add(script("plan_sla", "Set the SLA", (
    "import datetime\n"
    "sla_days = {'minor': 10, 'moderate': 20, 'major': 30}[severity]\n"
    "sla_due = now() + datetime.timedelta(days=sla_days)\n"
    "handler = None\nappeal_reason = None")))
p.add(claim_update("mark_covered", "Claim covered", status="covered", sla_due="${sla_due}"))
p.add(gateway("to_handling"))

# -- handling: assignment, assessment (with an expert), authority, approval ------------------------------------------
h = SubProcess("handling", "Claim handling")
h.add(start("handling_started", "Handling started"))
h.add(gateway("handler_known", "Handler known?", default="flow_handler_known_route"))
h.add(gateway("route", "Major loss?", default="flow_route_find_handler"))
h.add(connector("find_handler", "Find the least loaded handler", "entity.find", {
    "entity": "claim_handler", "active": "true", "sort": "claims_assigned,last_assigned,id", "limit": "1"},
    {"handler": "${record['user'] if record else None}"}))
h.add(gateway("handler_found", "Anyone?", default="flow_handler_found_assign_claim"))
h.add(user("assign_claim", "Assign a claim handler", "claims/assign_claim", groups="claims_supervisor", due="PT4H",
           priority="70"))
h.add(gateway("handler_chosen"))
h.add(connector("read_authority", "Read the handler's authority", "entity.find", {
    "entity": "claim_handler", "user": "${handler}", "limit": "1"}, {
    "handler_record": "${id}", "authority_limit": "${record['authority_limit'] if record else 0}",
    "handler_level": "${record['level'] if record else 'adjuster'}",
    "handler_claims": "${record['claims_assigned'] if record else 0}"}))
h.add(gateway("handler_on_file", "Handler on file?", default="flow_handler_on_file_mark_assigned"))
h.add(connector("book_handler", "Count the handler's claim", "entity.update", {
    "entity": "claim_handler", "id": "${handler_record}", "claims_assigned": Script("(handler_claims or 0) + 1"),
    "last_assigned": Script("now()")}))
h.add(claim_update("mark_assigned", "Claim assigned", status="assigned", handler="${handler}",
                   assigned_at=Script("now()")))
h.add(gateway("assessment_due"))
h.add(user("assess_claim", "Assess the claim", "claims/assess_claim", assignee="${handler}", due="${sla_due}",
           priority="60"))
h.add(connector("read_assessment", "Read the assessment", "entity.get", {"entity": "assessment", "id": "${assessment_id}"},
                {"recommendation": "${recommendation}", "assessed_damage": "${assessed_damage}",
                 "fraud_suspected": "${fraud_suspected}", "assessment_reason": "${rejection_reason}"}))
h.add(gateway("recommended", "Recommendation", default="flow_recommended_settle"))
h.add(claim_update("mark_in_assessment", "Claim in assessment", status="in_assessment"))
x = SubProcess("expert_inspection", "Expert inspection")
x.add(start("expert_requested", "Expert requested"))
x.add(user("inspect_loss", "Inspect the loss", "claims/expert_report", groups="claims_expert", due="P5D"))
x.add(connector("tell_handler", "Tell the handler", "mail.send", {
    "to": "${handler}", "subject": "Expert report on claim ${claim_number}",
    "text": "The expert has inspected the loss of claim ${claim_number} (${claim_subject}). "
            "The report is on the assessment."}))
x.add(end("inspection_done", "Report in"))
x.chain("expert_requested", "inspect_loss", "tell_handler", "inspection_done")
h.add(x.element())
h.add(script("settle", "Compute the settlement", (
    "approved_amount = min(assessed_damage, coverage_limit) if coverage_limit else assessed_damage\n"
    "fraud_suspected = bool(fraud_suspected)")))
h.add(claim_update("record_settlement", "Record the settlement", {"payout": "${record['payout']}"},
                   approved_amount="${approved_amount}", deductible_applied="${deductible}"))
h.add(gateway("worth_paying", "Above the deductible?", default="flow_worth_paying_below_deductible"))
h.add(claim_update("below_deductible", "Rejected: below the deductible", status="rejected", resolution="rejected",
                   rejection_reason="below_deductible", decided_on=Script("today()")))
h.add(decision("decide_authority", "Who may settle?", "claim_authority", "authority", mapping="singleResult"))
h.add(gateway("authority_route", "Approval needed?", default="flow_authority_route_mark_approved"))
h.add(claim_update("mark_awaiting_approval", "Claim awaits approval", {"authority_reason": "${authority['reason']}"},
                   status="awaiting_approval"))
h.add(user("approve_claim", "Approve the settlement", "claims/approve_claim", groups="claims_supervisor", due="P2D",
           priority="70"))
h.add(gateway("supervisor_decision", "Approved?", default="flow_supervisor_decision_mark_approved"))
h.add(claim_update("supervisor_rejects", "Rejected by the supervisor", status="rejected", resolution="rejected",
                   decided_on=Script("today()")))
h.add(claim_update("handler_rejects", "Rejected by the handler", status="rejected", resolution="rejected",
                   rejection_reason="${assessment_reason}", decided_on=Script("today()")))
h.add(gateway("rejected"))
h.add(end("claim_rejected", "Rejected"))
h.add(claim_update("mark_approved", "Claim approved", status="approved", decided_on=Script("today()")))
h.add(end("claim_approved", "Approved"))
h.flow("handling_started", "handler_known")
h.flow("handler_known", "assessment_due", "${not empty handler}", "reopened")
h.flow("handler_known", "route", id="flow_handler_known_route", name="new")
h.flow("route", "assign_claim", "${severity == 'major'}", "major loss")
h.flow("route", "find_handler", id="flow_route_find_handler", name="round robin")
h.chain("find_handler", "handler_found")
h.flow("handler_found", "handler_chosen", "${handler != null}", "found")
h.flow("handler_found", "assign_claim", id="flow_handler_found_assign_claim", name="no active handler")
h.chain("assign_claim", "handler_chosen")
h.chain("handler_chosen", "read_authority", "handler_on_file")
h.flow("handler_on_file", "book_handler", "${handler_record != null}", "yes")
h.flow("handler_on_file", "mark_assigned", id="flow_handler_on_file_mark_assigned", name="no")
h.chain("book_handler", "mark_assigned", "assessment_due", "assess_claim", "read_assessment", "recommended")
h.flow("recommended", "mark_in_assessment", "${recommendation == 'expert'}", "expert needed")
h.flow("recommended", "handler_rejects", "${recommendation == 'reject'}", "reject")
h.flow("recommended", "settle", id="flow_recommended_settle", name="pay")
h.chain("mark_in_assessment", "expert_inspection", "assessment_due")
h.chain("settle", "record_settlement", "worth_paying")
h.flow("worth_paying", "decide_authority", "${payout > 0}", "yes")
h.flow("worth_paying", "below_deductible", id="flow_worth_paying_below_deductible", name="no")
h.chain("decide_authority", "authority_route")
h.flow("authority_route", "mark_awaiting_approval", "${authority['approval'] == 'supervisor'}", "above authority")
h.flow("authority_route", "mark_approved", id="flow_authority_route_mark_approved", name="within authority")
h.chain("mark_awaiting_approval", "approve_claim", "supervisor_decision")
h.flow("supervisor_decision", "supervisor_rejects", "${approval_decision == 'reject'}", "reject")
h.flow("supervisor_decision", "mark_approved", id="flow_supervisor_decision_mark_approved", name="approve")
h.chain("supervisor_rejects", "rejected")
h.chain("handler_rejects", "rejected")
h.chain("below_deductible", "rejected")
h.chain("rejected", "claim_rejected")
h.chain("mark_approved", "claim_approved")
p.add(h.element())

# -- SLA: the supervisor hears of an overdue claim and instructs the handler; the work goes on ----------------------
p.add(boundary_deadline("sla_missed", "SLA due date passed", "handling", "${sla_due}"))
p.add(connector("read_overdue", "Read the overdue claim", "entity.get", {"entity": "claim", "id": "${claim_id}"},
                {"overdue_handler": "${handler}", "overdue_status": "${status}"}))
p.add(claim_update("mark_breached", "Mark the SLA breached", sla_breached="true"))
p.add(connector("alert_supervisors", "Alert the supervisors", "mail.send", {
    "to": "claims_supervisor", "subject": "SLA breached: claim ${claim_number}",
    "text": "Claim ${claim_number} (${claim_subject}) was due for a decision by ${sla_due}. "
            "It is ${overdue_status}, handled by ${overdue_handler or 'nobody yet'}."}))
p.add(user("review_overdue", "Review an overdue claim", "claims/review_overdue_claim", groups="claims_supervisor",
           due="P1D", priority="80"))
p.add(connector("read_instruction", "Read the instruction", "entity.get", {"entity": "claim", "id": "${claim_id}"},
                {"instruction": "${supervisor_note}", "overdue_handler": "${handler}"}))
p.add(connector("instruct_handler", "Pass the instruction on", "mail.send", {
    "to": "${overdue_handler or 'claims_supervisor'}", "subject": "Overdue claim ${claim_number}: your supervisor's instruction",
    "text": "${instruction}"}))
p.add(end("escalated", "Escalated"))

# -- the decision: payout or rejection letter ---------------------------------------------------------------------
p.add(gateway("decision_made"))
p.add(connector("read_decision", "Read the decision", "entity.get", {"entity": "claim", "id": "${claim_id}"}, {
    "claim_status": "${status}", "payout": "${payout}", "paid_amount": "${paid_amount}",
    "rejection_reason": "${rejection_reason}", "decision_note": "${decision_note}", "handler": "${handler}",
    "approved_amount": "${approved_amount}", "deductible_applied": "${deductible_applied}"}))
p.add(gateway("decided", "Approved?", default="flow_decided_word_rejection"))
p.add(script("prepare_payout", "Work out what is due", (
    "amount_due = payout - (paid_amount or 0)\npaid_now = 0\npayment_id = None")))
p.add(gateway("anything_due", "Anything to pay?", default="flow_anything_due_payout_booked"))
p.add(user("record_payout", "Pay the claim", "claims/record_payout", groups="claims_accountant", due="P3D"))
p.add(connector("read_payment", "Read the payment", "entity.get", {"entity": "claim_payment", "id": "${payment_id}"},
                {"paid_now": "${amount}", "payment_number": "${number}"}))
p.add(gateway("payout_booked"))
p.add(claim_update("mark_paid", "Claim paid", {"paid_amount": "${record['paid_amount']}"}, status="paid",
                   resolution="paid", paid_amount=Script("(paid_amount or 0) + paid_now")))
p.add(connector("send_payout_letter", "Send the payout letter", "mail.send", {
    "to": "${reporter_email}", "cc": "${handler}", "subject": "Your claim ${claim_number}: payout",
    "text": "Dear ${reporter_name or 'client'},\n\nwe have settled your claim ${claim_number} (${claim_subject}). "
            "The approved loss is ${approved_amount}, less the deductible of ${deductible_applied}; "
            "we have paid ${paid_amount} in all.\n\nYou may appeal this decision within 30 days.\n\nYour claims team"}))
p.add(script("word_rejection", "Word the rejection", (
    "reasons = {'no_policy': 'we hold no such policy', 'policy_not_in_force': 'the policy was not in force',\n"
    "           'peril_not_covered': 'the policy does not cover this loss', 'exclusion': 'the cause of the loss is "
    "excluded by the policy',\n"
    "           'below_deductible': 'the loss does not exceed the deductible', 'insufficient_evidence': 'the loss "
    "could not be established',\n"
    "           'late_notice': 'the loss was reported too late', 'fraud': 'the claim is not genuine'}\n"
    "letter_reason = reasons.get(rejection_reason, 'see the note below')")))
p.add(connector("send_rejection_letter", "Send the rejection letter", "mail.send", {
    "to": "${reporter_email}", "cc": "${handler}", "subject": "Your claim ${claim_number}: rejected",
    "text": "Dear ${reporter_name or 'client'},\n\nwe are sorry: we cannot pay your claim ${claim_number} "
            "(${claim_subject}) because ${letter_reason}.\n${decision_note or ''}\n\n"
            "You may appeal this decision within 30 days.\n\nYour claims team"}))
p.add(gateway("letter_sent"))

# -- appeal window -----------------------------------------------------------------------------------------------------
p.add(gateway("appeal_window", "Appeal within 30 days?", kind="eventBased"))
p.add(message_catch("appeal_received", "Appeal received", "msg_claim_appeal"))
p.add(connector("count_appeal", "Count the appeal", "entity.get", {"entity": "claim", "id": "${claim_id}"},
                {"appeals": "${(appeal_count or 0) + 1}"}))
p.add(script("reopen", "Reopen for assessment", (
    "import datetime\n"
    "sla_due = now() + datetime.timedelta(days=14)\n"
    "assessment_id = None\npayment_id = None")))
p.add(claim_update("mark_reopened", "Claim reopened", status="reopened", appeal_count="${appeals}",
                   appeal_reason="${appeal_reason}", sla_due="${sla_due}", resolution="${null}",
                   rejection_reason="${null}", decided_on="${null}", closed_on="${null}"))
p.add(connector("tell_reopened", "Tell the handler", "mail.send", {
    "to": "${handler or 'claims_supervisor'}", "subject": "Claim ${claim_number} reopened on appeal",
    "text": "The client appeals the decision on claim ${claim_number}:\n\n${appeal_reason}\n\n"
            "Please assess it again by ${sla_due}."}))
p.add(timer_catch("appeal_window_closed", "30 days without appeal", duration="P30D"))
p.add(claim_update("close_claim", "Close the claim", status="closed", closed_on=Script("today()")))
p.add(end("claim_closed", "Claim closed"))

# -- flows -------------------------------------------------------------------------------------------------------------
p.flow("claim_reported", "claim_registered")
p.chain("claim_received", "find_policy", "create_claim", "claim_registered")
p.chain("claim_registered", "read_claim", "policy_known")
p.flow("policy_known", "read_policy", "${policy_id != null}", "yes")
p.flow("policy_known", "no_policy", id="flow_policy_known_no_policy", name="no")
p.chain("read_policy", "check_coverage", "coverage_checked")
p.chain("no_policy", "coverage_checked")
p.chain("coverage_checked", "mark_triage", "triage", "read_triage", "coverage")
p.flow("coverage", "mark_not_covered", "${coverage_decision == 'not_covered'}", "not covered")
p.flow("coverage", "plan_sla", id="flow_coverage_plan_sla", name="covered")
p.chain("mark_not_covered", "decision_made")
p.chain("plan_sla", "mark_covered", "to_handling", "handling", "decision_made", "read_decision", "decided")
p.chain("sla_missed", "read_overdue", "mark_breached", "alert_supervisors", "review_overdue", "read_instruction",
        "instruct_handler", "escalated")
p.flow("decided", "prepare_payout", "${claim_status == 'approved'}", "approved")
p.flow("decided", "word_rejection", id="flow_decided_word_rejection", name="rejected")
p.chain("prepare_payout", "anything_due")
p.flow("anything_due", "record_payout", "${amount_due > 0}", "yes")
p.flow("anything_due", "payout_booked", id="flow_anything_due_payout_booked", name="paid already")
p.chain("record_payout", "read_payment", "payout_booked")
p.chain("payout_booked", "mark_paid", "send_payout_letter", "letter_sent")
p.chain("word_rejection", "send_rejection_letter", "letter_sent")
p.chain("letter_sent", "appeal_window")
p.chain("appeal_window", "appeal_received", "count_appeal", "reopen", "mark_reopened", "tell_reopened", "to_handling")
p.chain("appeal_window", "appeal_window_closed", "close_claim", "claim_closed")

if __name__ == "__main__":
    p.write(ROOT / "processes" / "claims" / "claims_handling.bpmn")
