"""crm / lead_to_deal and client_mailing: every main path to its end, through the embedding API."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from tests.conftest import ROOT
from tests.support.process_steps import do, mails, task
from weft.persistence.tables import human_tasks
from weft.services.errors import ValidationError

ROLES = {"sara": ["sales_rep"], "sam": ["sales_rep"], "nick": ["sales_rep"], "victor": ["sales_manager"],
         "maria": ["marketing"]}


@pytest.fixture
def crm(weft, clock):
    clock.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    weft.deploy(ROOT / "plugins" / "crm")
    for name, groups in ROLES.items():
        weft.add_user(name, email=f"{name}@example.com", groups=groups)
    weft.records.create("sales_rep", {"user": "sara", "territory": "north"})
    weft.records.create("sales_rep", {"user": "sam", "territory": "north"})
    weft.records.create("sales_rep", {"user": "nick", "territory": "south"})
    pump = weft.records.create("product", {"code": "P-100", "name": "Pump P-100", "list_price": "1000"})
    service = weft.records.create("product", {"code": "S-1", "name": "Installation", "unit": "hour",
                                              "list_price": "80", "category": "service"})
    expo = weft.records.create("campaign", {"name": "Hannover Messe 2026", "kind": "exhibition",
                                            "channel": "exhibition"})
    weft.fixtures = {"pump": pump["id"], "service": service["id"], "expo": expo["id"]}
    return weft


def capture(weft, territory="north", company="Nordwind Logistics GmbH", person="Jana Berg", **extra):
    values = {"person_name": person, "company_name": company, "email": "jana.berg@nordwind.example",
              "source": "exhibition", "campaign": weft.fixtures["expo"], "territory": territory,
              "interest": "Pumps for the new depot", "estimated_value": "12000", **extra}
    return weft.starts.start("lead_to_deal", values, "maria")


CONTACTED = {"contact_kind": "call_out", "contact_subject": "First call", "contact_notes": "Needs 10 pumps"}


def qualified(weft, instance_id, user):
    return do(weft, instance_id, "qualify_lead", user, {**CONTACTED, "qualification": "qualified",
                                                        "budget_confirmed": True, "timeline": "quarter"})


def quote(weft, instance_id, user, discount="0", quantity="10"):
    f = weft.fixtures
    return do(weft, instance_id, "prepare_quote", user, {"valid_until": "2026-04-01", "lines": [
        {"product": f["pump"], "quantity": quantity, "unit_price": "1000", "discount_pct": discount},
        {"product": f["service"], "quantity": "8", "unit_price": "80"}]})


def test_a_lead_becomes_a_won_deal(crm, clock):
    started = capture(crm)
    instance, lead_id = started.id, started.variables["lead_id"]
    lead = crm.records.get("lead", lead_id)
    assert (lead["owner"], lead["status"], lead["number"]) == ("sara", "new", "LEAD-2026-00001")
    assert task(crm, instance, "qualify_lead").assignee == "sara"
    qualified(crm, instance, "sara")
    variables = crm.instance(instance).variables
    lead = crm.records.get("lead", lead_id)
    assert lead["status"] == "converted" and lead["converted_at"] == clock.now
    organization = crm.records.get("organization", variables["org_id"])
    assert (organization["name"], organization["territory"], organization["account_manager"], organization["status"]) \
        == ("Nordwind Logistics GmbH", "north", "sara", "prospect")
    contact = crm.records.get("contact", variables["contact_id"])
    assert (contact["first_name"], contact["last_name"], contact["organization"]) == ("Jana", "Berg", organization["id"])
    deal = crm.records.get("deal", variables["deal_id"])
    assert (deal["stage"], deal["probability"], deal["amount"], deal["source"], deal["campaign"], deal["owner"]) == \
        ("qualification", 10, decimal.Decimal("12000.00"), "exhibition", crm.fixtures["expo"], "sara")
    with crm.database.engine.connect() as conn:        # the new quote's task is listed under its deal
        bound = conn.execute(human_tasks.select().where(human_tasks.c.element_id == "prepare_quote")).one()
    assert (bound.record_entity, bound.record_id) == ("deal", deal["id"])
    [interaction] = crm.records.search("interaction").records
    assert (interaction["kind"], interaction["lead"], interaction["owner"]) == ("call_out", lead_id, "sara")

    quote(crm, instance, "sara", discount="5")                 # 5 % off: within the rep's discretion
    variables = crm.instance(instance).variables
    offer = crm.records.get("quote", variables["quote_id"])
    assert (offer["status"], offer["list_total"], offer["total"]) == ("sent", decimal.Decimal("10640.00"),
                                                                      decimal.Decimal("10140.00"))
    deal = crm.records.get("deal", variables["deal_id"])
    assert (deal["stage"], deal["probability"], deal["amount"]) == ("proposal", 50, decimal.Decimal("10140.00"))
    [sent] = [m for m in mails(crm) if "quote" in m.subject]
    assert sent.recipients == ["jana.berg@nordwind.example"] and sent.cc == ["sara@example.com"]

    do(crm, instance, "negotiate", "sara", {"deal_outcome": "agreed", "expected_close": "2026-03-20"})
    assert crm.records.get("deal", variables["deal_id"])["probability"] == 90
    clock.advance(days=10)
    do(crm, instance, "close_deal", "sara", {"deal_outcome": "won"})
    do(crm, instance, "hand_off", "sara", {"kickoff_on": "2026-03-16", "handoff_notes": "Deliver to the depot"})
    assert crm.instance(instance).state == "completed"
    deal = crm.records.get("deal", variables["deal_id"])
    assert (deal["stage"], deal["probability"], deal["closed_on"]) == ("won", 100, dt.date(2026, 3, 12))
    assert crm.records.get("quote", variables["quote_id"])["status"] == "accepted"
    assert crm.records.get("organization", variables["org_id"])["status"] == "customer"
    [won] = [m for m in mails(crm) if m.subject.startswith("Won")]
    assert won.recipients == ["victor@example.com"] and "Deliver to the depot" in won.text


def test_leads_go_round_robin_within_the_territory_then_anywhere_then_to_the_manager(crm, clock):
    owners = []
    for number in range(3):
        clock.advance(minutes=1)
        owners.append(crm.records.get("lead", capture(crm, company=f"North {number}").variables["lead_id"])["owner"])
    assert owners == ["sara", "sam", "sara"]
    elsewhere = capture(crm, territory="export", company="Far away")       # nobody in export: least loaded anywhere
    assert crm.records.get("lead", elsewhere.variables["lead_id"])["owner"] == "nick"
    reps = {r["user"]: r["leads_assigned"] for r in crm.records.search("sales_rep").records}
    assert reps == {"sara": 2, "sam": 1, "nick": 1}
    for rep in crm.records.search("sales_rep").records:
        crm.records.update("sales_rep", rep["id"], {"active": False})
    orphan = capture(crm, company="Nobody's")
    assignment = task(crm, orphan.id, "assign_manually")
    assert assignment.candidate_groups == ["sales_manager"]
    crm.complete(assignment.id, {"owner": "sam"}, user="victor")
    assert task(crm, orphan.id, "qualify_lead").assignee == "sam"
    given = capture(crm, company="Chosen", owner="nick")                   # the person capturing chose the rep
    assert task(crm, given.id, "qualify_lead").assignee == "nick"


def test_a_lead_arrives_by_message(crm):
    [instance_id] = crm.correlate("lead_received", {}, {"lead": {
        "person_name": "Ole Hansen", "company_name": "Fjord Shipping AS", "email": "ole@fjord.example",
        "source": "website", "territory": "south", "interest": "Ballast pumps"}})
    variables = crm.instance(instance_id).variables
    lead = crm.records.get("lead", variables["lead_id"])
    assert (lead["source"], lead["owner"], lead["status"]) == ("website", "nick", "new")
    assert task(crm, instance_id, "qualify_lead").assignee == "nick"


def test_follow_up_reminders_then_the_manager_reassigns_a_neglected_lead(crm, clock):
    started = capture(crm)
    for _ in range(4):
        clock.advance(days=2)
        crm.fire_due_timers()
    reminders = [m for m in mails(crm) if m.subject.startswith("Reminder")]
    assert len(reminders) == 3 and all(m.recipients == ["sara@example.com"] for m in reminders)
    assert "reminder 3 of 3" in reminders[-1].text
    assert crm.records.get("lead", started.variables["lead_id"])["reminders_sent"] == 3
    clock.advance(days=2)                                      # ten days untouched
    crm.fire_due_timers()
    assert [t.element_id for t in crm.tasks(instance_id=started.id)] == ["reassign_lead"]
    do(crm, started.id, "reassign_lead", "victor", {"owner": "sam"})
    assert task(crm, started.id, "qualify_lead").assignee == "sam"
    assert crm.records.get("lead", started.variables["lead_id"])["owner"] == "sam"


def test_nurture_waits_for_the_follow_up_date_and_unqualified_leads_end(crm, clock):
    started = capture(crm)
    with pytest.raises(ValidationError) as caught:
        do(crm, started.id, "qualify_lead", "sara", {**CONTACTED, "qualification": "nurture"})
    assert caught.value.errors == {"next_follow_up": ["required"]}
    do(crm, started.id, "qualify_lead", "sara", {**CONTACTED, "qualification": "nurture",
                                                 "next_follow_up": "2026-04-01"})
    lead_id = started.variables["lead_id"]
    assert crm.records.get("lead", lead_id)["status"] == "nurture"
    assert crm.instance(started.id).active_elements == ["nurture_wait"]
    clock.now = dt.datetime(2026, 4, 1, 0, 0, 1, tzinfo=dt.UTC)
    crm.fire_due_timers()
    assert crm.records.get("lead", lead_id)["status"] == "contacted"
    with pytest.raises(ValidationError) as caught:
        do(crm, started.id, "qualify_lead", "sara", {**CONTACTED, "qualification": "unqualified"})
    assert caught.value.errors == {"unqualified_reason": ["required"]}
    done = do(crm, started.id, "qualify_lead", "sara", {**CONTACTED, "qualification": "unqualified",
                                                        "unqualified_reason": "no_budget"})
    assert done.state == "completed"
    lead = crm.records.get("lead", lead_id)
    assert (lead["status"], lead["unqualified_reason"]) == ("unqualified", "no_budget")
    assert crm.records.search("interaction", {"lead": str(lead_id)}).total == 2
    assert crm.records.search("deal").total == 0


def test_a_known_client_and_contact_are_reused(crm):
    group = crm.records.create("client_group", {"name": "Key accounts"})
    known = crm.records.create("organization", {"name": "Nordwind Logistics GmbH", "client_group": group["id"]})
    jana = crm.records.create("contact", {"first_name": "Jana", "last_name": "Berg", "organization": known["id"],
                                          "email": "jana.berg@nordwind.example"})
    started = capture(crm)
    qualified(crm, started.id, "sara")
    variables = crm.instance(started.id).variables
    assert (variables["org_id"], variables["contact_id"]) == (known["id"], jana["id"])
    assert crm.records.search("organization").total == 1 and crm.records.search("contact").total == 1


def test_a_big_discount_needs_the_manager_and_a_lost_deal_keeps_its_reason(crm):
    started = capture(crm)
    instance = started.id
    qualified(crm, instance, "sara")
    quote(crm, instance, "sara", discount="20")
    variables = crm.instance(instance).variables
    first_quote = variables["quote_id"]
    assert variables["quote_check"] == {"approval": "manager", "reason": "overall discount above 15 %"}
    assert crm.records.get("quote", first_quote)["status"] == "pending_approval"
    approval = task(crm, instance, "approve_quote")
    assert approval.candidate_groups == ["sales_manager"]
    with pytest.raises(ValidationError):
        do(crm, instance, "approve_quote", "victor", {"quote_decision": "reject"})         # why?
    do(crm, instance, "approve_quote", "victor", {"quote_decision": "reject", "approval_note": "12 % at most"})
    assert crm.records.get("quote", first_quote)["status"] == "rejected"
    quote(crm, instance, "sara", discount="12")                # the same quote, revised: within limits now
    assert crm.instance(instance).variables["quote_id"] == first_quote
    assert crm.records.get("quote", first_quote)["status"] == "sent"

    do(crm, instance, "negotiate", "sara", {"deal_outcome": "revise"})
    assert crm.records.get("quote", first_quote)["status"] == "superseded"
    deal_id = variables["deal_id"]
    assert crm.records.get("deal", deal_id)["stage"] == "negotiation"
    quote(crm, instance, "sara", discount="10", quantity="12")
    second_quote = crm.instance(instance).variables["quote_id"]
    assert second_quote != first_quote
    assert crm.records.get("deal", deal_id)["stage"] == "negotiation"     # a new quote keeps the deal's stage
    with pytest.raises(ValidationError) as caught:
        do(crm, instance, "negotiate", "sara", {"deal_outcome": "lost"})
    assert caught.value.errors == {"lost_reason": ["required"]}
    done = do(crm, instance, "negotiate", "sara", {"deal_outcome": "lost", "lost_reason": "competitor",
                                                   "competitor": "PumpCo"})
    assert done.state == "completed"
    deal = crm.records.get("deal", deal_id)
    assert (deal["stage"], deal["probability"], deal["lost_reason"], deal["competitor"]) == \
        ("lost", 0, "competitor", "PumpCo")
    assert crm.records.get("quote", second_quote)["status"] == "declined"


def test_a_deal_cannot_be_lost_without_a_reason_anywhere(crm):
    organization = crm.records.create("organization", {"name": "Acme"})
    deal = crm.records.create("deal", {"name": "Acme pumps", "organization": organization["id"]})
    with pytest.raises(ValidationError) as caught:
        crm.records.update("deal", deal["id"], {"stage": "lost"})
    assert caught.value.errors == {"lost_reason": ["required"]}
    assert crm.records.update("deal", deal["id"], {"stage": "lost", "lost_reason": "price"})["stage"] == "lost"


def test_a_stale_deal_goes_to_the_manager_every_two_weeks(crm, clock):
    started = capture(crm)
    qualified(crm, started.id, "sara")
    deal_id = crm.instance(started.id).variables["deal_id"]
    clock.advance(days=14, seconds=1)
    crm.fire_due_timers()
    review = task(crm, started.id, "review_stale_deal")
    assert review.candidate_groups == ["sales_manager"]
    do(crm, started.id, "review_stale_deal", "victor", {"manager_advice": "Call their CFO this week"})
    [advice] = [m for m in mails(crm) if "advice" in m.subject]
    assert advice.recipients == ["sara@example.com"] and advice.text == "Call their CFO this week"
    assert crm.records.get("deal", deal_id)["stale_reviews"] == 1
    assert task(crm, started.id, "prepare_quote").assignee == "sara"      # the work goes on
    clock.advance(days=14)
    crm.fire_due_timers()
    assert crm.records.get("deal", deal_id)["stale_reviews"] == 2


def test_scheduled_mailings_reach_the_client_group(crm, clock):
    key, small = (crm.records.create("client_group", {"name": name}) for name in ("Key accounts", "Small"))
    nordwind = crm.records.create("organization", {"name": "Nordwind", "client_group": key["id"]})
    fjord = crm.records.create("organization", {"name": "Fjord", "client_group": key["id"]})
    corner = crm.records.create("organization", {"name": "Corner shop", "client_group": small["id"]})
    for first, last, org, email, consent in [("Jana", "Berg", nordwind, "jana@nordwind.example", True),
                                             ("Ole", "Hansen", fjord, "ole@fjord.example", True),
                                             ("Per", "Lund", fjord, "per@fjord.example", False),
                                             ("Kai", "Nils", fjord, None, True),
                                             ("Ann", "Small", corner, "ann@corner.example", True)]:
        crm.records.create("contact", {"first_name": first, "last_name": last, "organization": org["id"],
                                       "email": email, "mailing_consent": consent})
    due = crm.records.create("mailing", {"subject": "Spring service offer", "client_group": key["id"],
                                         "body": "Dear {name}, {organization} gets 10 % off.", "send_on": "2026-03-02"})
    later = crm.records.create("mailing", {"subject": "Summer", "client_group": key["id"], "body": "Hi {name}",
                                           "send_on": "2026-06-01"})
    clock.now = dt.datetime(2026, 3, 3, 7, 0, tzinfo=dt.UTC)                # the next morning run
    crm.fire_due_timers()
    letters = [m for m in mails(crm) if m.subject == "Spring service offer"]
    assert sorted((m.recipients[0], m.text) for m in letters) == [
        ("jana@nordwind.example", "Dear Jana Berg, Nordwind gets 10 % off."),
        ("ole@fjord.example", "Dear Ole Hansen, Fjord gets 10 % off.")]
    sent = crm.records.get("mailing", due["id"])
    assert (sent["status"], sent["recipients"], sent["sent_at"]) == ("sent", 2, clock.now)
    assert crm.records.get("mailing", later["id"])["status"] == "scheduled"
    with pytest.raises(ValidationError):
        crm.records.update("mailing", later["id"], {"recipients": 5})     # people cannot fake what was sent
    clock.advance(days=1)
    crm.fire_due_timers()                                                   # nothing due: nothing sent again
    assert len([m for m in mails(crm) if m.subject == "Spring service offer"]) == 2


def test_reports_funnel_performance_and_abc_xyz(crm, clock):
    crm.add_group("admin")
    crm.add_user("boss", groups=["admin"])
    amounts = {"sara": ["5000", "7000"], "sam": ["20000"]}
    for owner, values in amounts.items():
        for index, amount in enumerate(values):
            org = crm.records.create("organization", {"name": f"{owner} client {index}"})
            deal = crm.records.create("deal", {"name": "d", "organization": org["id"], "owner": owner,
                                               "amount": amount}, user=owner)
            clock.advance(days=10)
            crm.records.update("deal", deal["id"], {"stage": "won", "closed_on": clock.now.date().isoformat()})
    org = crm.records.create("organization", {"name": "Open one"})
    crm.records.create("deal", {"name": "open", "organization": org["id"], "owner": "sara", "amount": "1000",
                                "stage": "negotiation"})
    funnel = crm.reports.run("crm/sales_funnel", "boss")
    assert [(r["group_value"], r["deals"]) for r in funnel.rows] == [("negotiation", 1), ("won", 3)]
    performance = {r["group_value"]: r for r in crm.reports.run("crm/manager_performance", "boss").rows}
    assert performance["sara"]["won"] == 2 and performance["sara"]["revenue"] == 12000
    assert performance["sara"]["cycle_days"] == 10 and performance["sara"]["open_pipeline"] == 700
    assert performance["sam"]["revenue"] == 20000
    classes = {r["group"]: r["abc"] for r in crm.reports.run("crm/client_abc_xyz", "boss").rows}
    assert classes == {"sam client 0": "A", "sara client 1": "A", "sara client 0": "B"}   # by the share before them
