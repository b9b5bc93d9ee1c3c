"""processes/crm/lead_to_deal.bpmn: from a lead to a won or lost deal."""

from __future__ import annotations

from bpmn_writer import (
    ROOT,
    Process,
    Script,
    SubProcess,
    boundary_timer,
    connector,
    decision,
    end,
    gateway,
    message,
    message_start,
    script,
    start,
    timer_catch,
    user,
)

p = Process("lead_to_deal", "Lead to deal", documentation=(
    "A lead is captured (start form, or the message lead_received carrying a map 'lead'), assigned to a sales "
    "rep of its territory (least recently loaded first, else any active rep, else by the sales manager), "
    "qualified with follow-up reminders, and converted into organization, contact and deal. The deal gets a "
    "quote (approved by the sales manager when the discount asks for it: DMN quote_approval), negotiation and "
    "closing; won deals are handed off, lost ones keep their reason. A deal open for 14 days goes to the sales "
    "manager for review, every 14 days."))
p.definitions.append(message("msg_lead_received", "lead_received"))

# -- capture -------------------------------------------------------------------------------------------------
p.add(start("lead_captured", "Lead captured", form="crm/new_lead", initiator="captured_by"))
p.add(message_start("lead_received", "Lead received", "msg_lead_received"))
p.add(connector("create_lead", "Create lead", "entity.create", {"entity": "lead", "values": "${lead}"},
                {"lead_id": "${id}"}))
p.add(gateway("lead_ready"))
p.add(connector("read_lead", "Read lead", "entity.get", {"entity": "lead", "id": "${lead_id}"}, {
    "lead_number": "${number}", "person_name": "${person_name}", "company_name": "${company_name}",
    "lead_email": "${email}", "lead_phone": "${phone}", "territory": "${territory}", "industry": "${industry}",
    "interest": "${interest}", "estimated_value": "${estimated_value}", "source": "${source}",
    "campaign": "${campaign}", "owner": "${owner}"}))
p.add(gateway("has_owner", "Owner given?", default="flow_has_owner_find_rep"))

# -- assignment: the territory's least loaded rep, else anyone's, else the manager decides ------------------
p.add(connector("find_rep", "Find the territory's next rep", "entity.find", {
    "entity": "sales_rep", "filters": Script("{'active': True, 'territory': territory} if territory else {'active': True}"),
    "sort": "leads_assigned,last_assigned", "limit": "1"},
    {"rep_id": "${id}", "rep_user": "${record['user'] if record else None}",
     "rep_leads": "${record['leads_assigned'] if record else 0}"}))
p.add(gateway("rep_found", "Rep found?", default="flow_rep_found_find_any_rep"))
p.add(connector("find_any_rep", "Find any active rep", "entity.find", {
    "entity": "sales_rep", "active": "true", "sort": "leads_assigned,last_assigned", "limit": "1"},
    {"rep_id": "${id}", "rep_user": "${record['user'] if record else None}",
     "rep_leads": "${record['leads_assigned'] if record else 0}"}))
p.add(gateway("any_rep_found", "Anyone?", default="flow_any_rep_found_assign_manually"))
p.add(connector("book_rep", "Count the rep's lead", "entity.update", {
    "entity": "sales_rep", "id": "${rep_id}", "leads_assigned": Script("(rep_leads or 0) + 1"),
    "last_assigned": Script("now()")}, {"owner": "${rep_user}"}))
p.add(user("assign_manually", "Assign lead to a sales rep", "crm/assign_lead", groups="sales_manager", due="PT4H",
           priority="70"))
p.add(gateway("owner_known"))
p.add(connector("set_owner", "Give the lead its owner", "entity.update", {
    "entity": "lead", "id": "${lead_id}", "owner": "${owner}", "assigned_at": Script("now()")}))

# -- qualification, with reminders and escalation -----------------------------------------------------------------
p.add(user("qualify_lead", "Qualify lead", "crm/qualify_lead", assignee="${owner}", due="P2D", priority="60"))
p.add(boundary_timer("follow_up_due", "Follow-up due", "qualify_lead", "R3/P2D", cancel=False, cycle=True))
p.add(connector("count_reminder", "Count the reminder", "entity.get", {"entity": "lead", "id": "${lead_id}"},
                {"reminders": "${(reminders_sent or 0) + 1}"}))
p.add(connector("remind_owner", "Remind the owner", "mail.send", {
    "to": "${owner}", "subject": "Reminder: lead ${lead_number} waits for your follow-up",
    "text": "Lead ${lead_number} (${person_name}, ${company_name or 'no company'}) still needs qualifying. "
            "This is reminder ${reminders} of 3."}))
p.add(connector("record_reminder", "Record the reminder", "entity.update",
                {"entity": "lead", "id": "${lead_id}", "reminders_sent": "${reminders}"}))
p.add(end("reminded", "Reminded"))
p.add(boundary_timer("lead_gone_cold", "Untouched for 10 days", "qualify_lead", "P10D"))
p.add(user("reassign_lead", "Reassign a neglected lead", "crm/assign_lead", groups="sales_manager", due="P1D",
           priority="80"))
p.add(gateway("lead_outcome", "Qualified?", default="flow_lead_outcome_mark_contacted"))
p.add(connector("log_contact", "Log the interaction", "entity.create", {
    "entity": "interaction", "kind": "${contact_kind}", "subject": "${contact_subject}", "notes": "${contact_notes}",
    "lead": "${lead_id}", "campaign": "${campaign}", "owner": "${owner}"}))
p.add(connector("mark_contacted", "Mark lead contacted", "entity.update",
                {"entity": "lead", "id": "${lead_id}", "status": "contacted"}))
p.add(connector("mark_nurture", "Mark lead in nurture", "entity.update",
                {"entity": "lead", "id": "${lead_id}", "status": "nurture"},
                {"nurture_until": "${record['next_follow_up']}"}))
p.add(timer_catch("nurture_wait", "Until the follow-up date", date="${nurture_until}"))
p.add(connector("mark_unqualified", "Mark lead unqualified", "entity.update",
                {"entity": "lead", "id": "${lead_id}", "status": "unqualified"}))
p.add(end("lead_unqualified", "Lead unqualified"))

# -- conversion: organization (found or new), contact (found or new), deal ------------------------------------------------
p.add(connector("find_organization", "Find the organization", "entity.find", {
    "entity": "organization", "name": "${company_name or person_name}", "limit": "1"}, {"org_id": "${id}"}))
p.add(gateway("organization_known", "Known client?", default="flow_organization_known_create_organization"))
p.add(connector("create_organization", "Create organization", "entity.create", {
    "entity": "organization", "name": "${company_name or person_name}", "territory": "${territory}",
    "industry": "${industry}", "source": "${source}", "account_manager": "${owner}", "status": "prospect"},
    {"org_id": "${id}"}))
p.add(gateway("organization_ready"))
p.add(connector("find_contact", "Find the contact", "entity.find", {
    "entity": "contact", "filters": Script(
        "{'organization': org_id, 'email': lead_email} if lead_email else {'organization': org_id, 'full_name': person_name}"),
    "limit": "1"}, {"contact_id": "${id}"}))
p.add(gateway("contact_known", "Known contact?", default="flow_contact_known_create_contact"))
p.add(connector("create_contact", "Create contact", "entity.create", {
    "entity": "contact", "first_name": Script("person_name.split(' ', 1)[0]"),
    "last_name": Script("(person_name.split(' ', 1) + ['-'])[1]"), "organization": "${org_id}",
    "email": "${lead_email}", "phone": "${lead_phone}", "owner": "${owner}"}, {"contact_id": "${id}"}))
p.add(gateway("contact_ready"))
p.add(connector("create_deal", "Create deal", "entity.create", {
    "entity": "deal", "name": Script("(company_name or person_name) + ': ' + (interest or 'new business')[:100]"),
    "organization": "${org_id}", "contact": "${contact_id}", "lead": "${lead_id}", "owner": "${owner}",
    "stage": "qualification", "amount": "${estimated_value}", "source": "${source}", "campaign": "${campaign}"},
    {"deal_id": "${id}", "deal_number": "${number}", "stage_before_quote": "qualification"}))
p.add(connector("mark_converted", "Mark lead converted", "entity.update", {
    "entity": "lead", "id": "${lead_id}", "status": "converted", "organization": "${org_id}",
    "contact": "${contact_id}", "converted_at": Script("now()")}))

# -- the deal: quote, approval, negotiation, closing; reviewed by the manager when it goes stale --------------------
deal = SubProcess("deal_in_progress", "Deal in progress")
deal.add(start("deal_opened", "Deal opened"))
deal.add(user("prepare_quote", "Prepare quote", "crm/prepare_quote", assignee="${owner}", due="P3D"))
deal.add(connector("read_quote", "Read the quote", "entity.get", {"entity": "quote", "id": "${quote_id}"}, {
    "quote_number": "${number}", "quote_total": "${total}", "quote_discount": "${discount_pct}",
    "quote_max_line_discount": "${max_line_discount}", "quote_contact": "${contact}"}))
deal.add(connector("mark_proposal", "Deal at proposal", "entity.update", {
    "entity": "deal", "id": "${deal_id}", "amount": "${quote_total}",
    "stage": Script("'proposal' if stage_before_quote in (None, 'qualification') else stage_before_quote")}))
deal.add(decision("decide_quote_approval", "Does the discount need approval?", "quote_approval", "quote_check",
                  mapping="singleResult"))
deal.add(gateway("approval_needed", "Approval?", default="flow_approval_needed_mark_quote_approved"))
deal.add(connector("mark_quote_pending", "Quote awaits approval", "entity.update",
                   {"entity": "quote", "id": "${quote_id}", "status": "pending_approval"}))
deal.add(user("approve_quote", "Approve quote discount", "crm/approve_quote", groups="sales_manager", due="P1D",
              priority="70"))
deal.add(gateway("quote_decided", "Approved?", default="flow_quote_decided_mark_quote_approved"))
deal.add(connector("mark_quote_rejected", "Quote rejected", "entity.update",
                   {"entity": "quote", "id": "${quote_id}", "status": "rejected"}))
deal.add(connector("mark_quote_approved", "Quote approved", "entity.update",
                   {"entity": "quote", "id": "${quote_id}", "status": "approved"}))
deal.add(connector("read_contact", "Read the addressee", "entity.get",
                   {"entity": "contact", "id": "${quote_contact or contact_id}"},
                   {"contact_email": "${email}", "contact_name": "${full_name}"}))
deal.add(gateway("has_email", "E-mail known?", default="flow_has_email_mark_quote_sent"))
deal.add(connector("send_quote", "Send the quote", "mail.send", {
    "to": "${contact_email}", "cc": "${owner}", "subject": "Our quote ${quote_number}",
    "text": "Dear ${contact_name},\n\nplease find our quote ${quote_number} over ${quote_total}.\n\n"
            "Kind regards\n${owner}"}))
deal.add(connector("mark_quote_sent", "Quote sent", "entity.update",
                   {"entity": "quote", "id": "${quote_id}", "status": "sent"}))
deal.add(user("negotiate", "Negotiate", "crm/negotiate_deal", assignee="${owner}", due="P7D"))
deal.add(gateway("negotiation", "Client's answer", default="flow_negotiation_mark_ready"))
deal.add(connector("supersede_quote", "Quote superseded", "entity.update",
                   {"entity": "quote", "id": "${quote_id}", "status": "superseded"}))
deal.add(script("new_quote", "Start a new quote", "previous_quote = quote_id\nquote_id = None\n"
                                                  "stage_before_quote = 'negotiation'"))
deal.add(connector("mark_negotiation", "Deal in negotiation", "entity.update",
                   {"entity": "deal", "id": "${deal_id}", "stage": "negotiation"}))
deal.add(connector("mark_ready", "Deal ready to close", "entity.update",
                   {"entity": "deal", "id": "${deal_id}", "stage": "ready_to_close"}))
deal.add(user("close_deal", "Close the deal", "crm/close_deal", assignee="${owner}", due="P7D"))
deal.add(gateway("closing", "Signed?", default="flow_closing_won"))
deal.add(gateway("deal_lost"))
deal.add(end("won", "Won"))
deal.add(end("lost", "Lost"))
deal.flow("deal_opened", "prepare_quote")
deal.chain("prepare_quote", "read_quote", "mark_proposal", "decide_quote_approval", "approval_needed")
deal.flow("approval_needed", "mark_quote_pending", "${quote_check['approval'] == 'manager'}", "discount too high")
deal.flow("approval_needed", "mark_quote_approved", id="flow_approval_needed_mark_quote_approved", name="within limits")
deal.chain("mark_quote_pending", "approve_quote", "quote_decided")
deal.flow("quote_decided", "mark_quote_rejected", "${quote_decision == 'reject'}", "rejected")
deal.flow("quote_decided", "mark_quote_approved", id="flow_quote_decided_mark_quote_approved", name="approved")
deal.chain("mark_quote_rejected", "prepare_quote")
deal.chain("mark_quote_approved", "read_contact", "has_email")
deal.flow("has_email", "send_quote", "${not empty contact_email}", "yes")
deal.flow("has_email", "mark_quote_sent", id="flow_has_email_mark_quote_sent", name="no: handed over in person")
deal.chain("send_quote", "mark_quote_sent", "negotiate", "negotiation")
deal.flow("negotiation", "supersede_quote", "${deal_outcome == 'revise'}", "new quote")
deal.flow("negotiation", "deal_lost", "${deal_outcome == 'lost'}", "lost")
deal.flow("negotiation", "mark_ready", id="flow_negotiation_mark_ready", name="agreed")
deal.chain("supersede_quote", "new_quote", "mark_negotiation", "prepare_quote")
deal.chain("mark_ready", "close_deal", "closing")
deal.flow("closing", "negotiate", "${deal_outcome == 'back'}", "more to discuss")
deal.flow("closing", "deal_lost", "${deal_outcome == 'lost'}", "lost")
deal.flow("closing", "won", id="flow_closing_won", name="signed")
deal.chain("deal_lost", "lost")
p.add(deal.element())

p.add(boundary_timer("deal_stale", "Open for 14 days", "deal_in_progress", "R/P14D", cancel=False, cycle=True))
p.add(connector("count_review", "Count the review", "entity.get", {"entity": "deal", "id": "${deal_id}"},
                {"stale_reviews": "${(stale_reviews or 0) + 1}"}))
p.add(connector("record_review", "Record the review", "entity.update",
                {"entity": "deal", "id": "${deal_id}", "stale_reviews": "${stale_reviews}"}))
p.add(user("review_stale_deal", "Review a stale deal", "crm/review_stale_deal", groups="sales_manager", due="P2D",
           priority="70"))
p.add(connector("nudge_owner", "Pass the advice on", "mail.send", {
    "to": "${owner}", "subject": "Deal ${deal_number}: your manager's advice",
    "text": "${manager_advice}"}))
p.add(end("reviewed", "Reviewed"))

# -- won or lost ----------------------------------------------------------------------------------------------
p.add(gateway("deal_result", "Won?", default="flow_deal_result_mark_lost"))
p.add(connector("mark_won", "Deal won", "entity.update", {
    "entity": "deal", "id": "${deal_id}", "stage": "won", "closed_on": Script("today()")}))
p.add(connector("mark_quote_accepted", "Quote accepted", "entity.update",
                {"entity": "quote", "id": "${quote_id}", "status": "accepted"}))
p.add(connector("make_customer", "Client becomes a customer", "entity.update",
                {"entity": "organization", "id": "${org_id}", "status": "customer"}))
p.add(user("hand_off", "Hand the deal off to delivery", "crm/hand_off", assignee="${owner}", due="P2D"))
p.add(connector("tell_delivery", "Tell the sales managers", "mail.send", {
    "to": "sales_manager", "subject": "Won: ${deal_number} (${quote_total})",
    "text": "Deal ${deal_number} is won. Delivery starts ${kickoff_on}.\n\n${handoff_notes}"}))
p.add(end("deal_won", "Deal won"))
p.add(connector("mark_lost", "Deal lost", "entity.update", {
    "entity": "deal", "id": "${deal_id}", "stage": "lost", "closed_on": Script("today()")}))
p.add(gateway("has_quote", "Quote given?", default="flow_has_quote_deal_closed_lost"))
p.add(connector("mark_quote_declined", "Quote declined", "entity.update",
                {"entity": "quote", "id": "${quote_id}", "status": "declined"}))
p.add(end("deal_closed_lost", "Deal lost"))

# -- flows --------------------------------------------------------------------------------------------------------
p.flow("lead_captured", "lead_ready")
p.chain("lead_received", "create_lead", "lead_ready")
p.chain("lead_ready", "read_lead", "has_owner")
p.flow("has_owner", "owner_known", "${not empty owner}", "given")
p.flow("has_owner", "find_rep", id="flow_has_owner_find_rep", name="assign")
p.chain("find_rep", "rep_found")
p.flow("rep_found", "book_rep", "${rep_id != null}", "in the territory")
p.flow("rep_found", "find_any_rep", id="flow_rep_found_find_any_rep", name="nobody there")
p.chain("find_any_rep", "any_rep_found")
p.flow("any_rep_found", "book_rep", "${rep_id != null}", "elsewhere")
p.flow("any_rep_found", "assign_manually", id="flow_any_rep_found_assign_manually", name="no active rep")
p.chain("book_rep", "owner_known")
p.chain("assign_manually", "owner_known")
p.chain("owner_known", "set_owner", "qualify_lead", "log_contact", "lead_outcome")
p.chain("follow_up_due", "count_reminder", "remind_owner", "record_reminder", "reminded")
p.chain("lead_gone_cold", "reassign_lead", "owner_known")
p.flow("lead_outcome", "find_organization", "${qualification == 'qualified'}", "qualified")
p.flow("lead_outcome", "mark_nurture", "${qualification == 'nurture'}", "not yet")
p.flow("lead_outcome", "mark_unqualified", "${qualification == 'unqualified'}", "unqualified")
p.flow("lead_outcome", "mark_contacted", id="flow_lead_outcome_mark_contacted", name="keep working")
p.chain("mark_contacted", "qualify_lead")
p.chain("mark_nurture", "nurture_wait", "mark_contacted")
p.chain("mark_unqualified", "lead_unqualified")
p.chain("find_organization", "organization_known")
p.flow("organization_known", "organization_ready", "${org_id != null}", "yes")
p.flow("organization_known", "create_organization", id="flow_organization_known_create_organization", name="new")
p.chain("create_organization", "organization_ready")
p.chain("organization_ready", "find_contact", "contact_known")
p.flow("contact_known", "contact_ready", "${contact_id != null}", "yes")
p.flow("contact_known", "create_contact", id="flow_contact_known_create_contact", name="new")
p.chain("create_contact", "contact_ready")
p.chain("contact_ready", "create_deal", "mark_converted", "deal_in_progress", "deal_result")
p.chain("deal_stale", "count_review", "record_review", "review_stale_deal", "nudge_owner", "reviewed")
p.flow("deal_result", "mark_won", "${deal_outcome == 'won'}", "won")
p.flow("deal_result", "mark_lost", id="flow_deal_result_mark_lost", name="lost")
p.chain("mark_won", "mark_quote_accepted", "make_customer", "hand_off", "tell_delivery", "deal_won")
p.chain("mark_lost", "has_quote")
p.flow("has_quote", "mark_quote_declined", "${quote_id != null}", "yes")
p.flow("has_quote", "deal_closed_lost", id="flow_has_quote_deal_closed_lost", name="no")
p.chain("mark_quote_declined", "deal_closed_lost")

if __name__ == "__main__":
    p.write(ROOT / "processes" / "crm" / "lead_to_deal.bpmn")
