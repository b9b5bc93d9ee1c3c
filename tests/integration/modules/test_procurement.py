"""procurement / purchase_to_pay: every main path to its end, through the embedding API."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from tests.conftest import ROOT
from tests.support.process_steps import do, task
from weft.services.errors import ValidationError

ROLES = {"rita": ["requester"], "paul": ["purchaser"], "mark": ["purchase_manager"], "fiona": ["finance_manager"],
         "stan": ["storekeeper"], "alice": ["accountant"]}


@pytest.fixture
def p2p(weft):
    weft.deploy(ROOT / "plugins" / "procurement")
    for name, groups in ROLES.items():
        weft.add_user(name, email=f"{name}@example.com", groups=groups)
    acme = weft.records.create("supplier", {"name": "Acme Industrial", "email": "sales@acme.test"})
    bolt = weft.records.create("item", {"code": "B-M8", "name": "Bolt M8", "standard_price": "0.40"})
    plate = weft.records.create("item", {"code": "P-2", "name": "Steel plate 2 mm", "standard_price": "48"})
    weft.fixtures = {"acme": acme["id"], "bolt": bolt["id"], "plate": plate["id"]}
    return weft


def request(weft, lines, department="production", user="rita"):
    return weft.starts.start("purchase_to_pay", {"purpose": "Bolts for line 3", "department": department,
                                                 "needed_by": "2026-02-01", "lines": lines}, user)


def test_the_happy_path_from_request_to_payment(p2p, clock):
    f = p2p.fixtures
    started = request(p2p, [{"item": f["bolt"], "quantity": "4000", "unit_price": "0.40"},
                            {"item": f["plate"], "quantity": "20", "unit_price": "50"}])       # 2,600 -> manager
    instance = started.id
    request_id = started.variables["request_id"]
    assert p2p.records.get("purchase_request", request_id)["status"] == "submitted"
    assert started.variables["approval_level"] == "manager"
    do(p2p, instance, "manager_approval", "mark", {"manager_decision": "approve"})
    assert p2p.records.get("purchase_request", request_id)["status"] == "approved"
    do(p2p, instance, "request_quotes", "paul", {"rfq_deadline": "2026-01-08", "rfq_suppliers": "Acme, Bolt Bros"})
    assert p2p.instance(instance).active_elements == ["rfq_deadline"]
    quote = p2p.records.create("supplier_quote", {"request": request_id, "supplier": f["acme"], "total": "2470",
                                                  "delivery_days": 10})
    clock.now = dt.datetime(2026, 1, 8, 0, 0, 1, tzinfo=dt.UTC)
    assert p2p.fire_due_timers() == 1
    do(p2p, instance, "choose_quote", "paul", {"quote_outcome": "order", "chosen_quote": quote["id"]})
    po_id = p2p.instance(instance).variables["po_id"]
    order = p2p.records.get("purchase_order", po_id)
    assert order["supplier"] == f["acme"] and order["total"] == decimal.Decimal("2470.00")
    assert p2p.records.get("supplier_quote", quote["id"])["status"] == "chosen"
    do(p2p, instance, "confirm_order", "paul", {"expected_date": "2026-01-20"})
    assert p2p.records.get("purchase_order", po_id)["status"] == "sent"
    # two deliveries: the first partial
    do(p2p, instance, "receive_goods", "stan", {"lines": [{"item": f["bolt"], "accepted_qty": "2000"}]})
    assert p2p.records.get("purchase_order", po_id)["status"] == "partially_received"
    do(p2p, instance, "receive_goods", "stan", {"lines": [
        {"item": f["bolt"], "accepted_qty": "2000"}, {"item": f["plate"], "accepted_qty": "20"}],
        "delivery_complete": True})
    order = p2p.records.get("purchase_order", po_id)
    assert order["status"] == "received" and order["received_amount"] == decimal.Decimal("2470.00")
    assert p2p.records.search("goods_receipt", {"order": str(po_id)}).total == 2
    do(p2p, instance, "register_invoice", "alice", {"invoice_number": "INV-77", "amount": "2480"})
    invoice_id = p2p.instance(instance).variables["invoice_id"]
    assert p2p.records.get("supplier_invoice", invoice_id)["status"] == "matched"     # within 2 %
    do(p2p, instance, "approve_payment", "fiona", {"payment_decision": "approve"})
    done = do(p2p, instance, "record_payment", "alice", {"reference": "BANK-123"})
    assert done.state == "completed"
    assert p2p.records.get("supplier_invoice", invoice_id)["status"] == "paid"
    assert p2p.records.get("purchase_order", po_id)["status"] == "paid"
    assert p2p.records.get("purchase_request", request_id)["status"] == "closed"
    [payment] = p2p.records.search("payment").records
    assert payment["amount"] == decimal.Decimal("2480.00") and payment["paid_by"] == "alice"


def test_small_requests_need_no_approval_and_big_ones_go_to_finance(p2p):
    f = p2p.fixtures
    small = request(p2p, [{"item": f["bolt"], "quantity": "100", "unit_price": "0.40"}])
    assert small.variables["approval_level"] == "auto"
    assert [t.element_id for t in p2p.tasks(instance_id=small.id)] == ["request_quotes"]
    big = request(p2p, [{"item": f["plate"], "quantity": "300", "unit_price": "50"}])
    assert big.variables["approval_level"] == "finance"
    do(p2p, big.id, "manager_approval", "mark", {"manager_decision": "approve"})
    do(p2p, big.id, "finance_approval", "fiona", {"finance_decision": "approve"})
    assert [t.element_id for t in p2p.tasks(instance_id=big.id)] == ["request_quotes"]
    it = request(p2p, [{"item": f["plate"], "quantity": "120", "unit_price": "50"}], department="it")
    assert it.variables["approval_level"] == "finance"


@pytest.mark.parametrize("who", ["manager", "finance"])
def test_a_rejection_reaches_the_requester(p2p, who):
    f = p2p.fixtures
    started = request(p2p, [{"item": f["plate"], "quantity": "300", "unit_price": "50"}])
    with pytest.raises(ValidationError) as caught:
        do(p2p, started.id, "manager_approval", "mark", {"manager_decision": "reject"})
    assert caught.value.errors == {"decision_note": ["required"]}
    if who == "manager":
        do(p2p, started.id, "manager_approval", "mark", {"manager_decision": "reject", "decision_note": "Too much"})
    else:
        do(p2p, started.id, "manager_approval", "mark", {"manager_decision": "approve"})
        do(p2p, started.id, "finance_approval", "fiona", {"finance_decision": "reject", "decision_note": "No budget"})
    review = task(p2p, started.id, "review_rejection")
    assert review.assignee == "rita"
    request_record = p2p.records.get("purchase_request", started.variables["request_id"])
    assert request_record["status"] == "rejected"
    assert p2p.complete(review.id, {}, user="rita").state == "completed"


def test_no_acceptable_quote_cancels_and_tells_the_requester(p2p, clock):
    f = p2p.fixtures
    started = request(p2p, [{"item": f["bolt"], "quantity": "10", "unit_price": "0.40"}])
    do(p2p, started.id, "request_quotes", "paul", {"rfq_deadline": "2026-01-06"})
    clock.advance(days=2)
    p2p.fire_due_timers()
    with pytest.raises(ValidationError):
        do(p2p, started.id, "choose_quote", "paul", {"quote_outcome": "order"})      # which quote?
    do(p2p, started.id, "choose_quote", "paul", {"quote_outcome": "cancel"})
    assert task(p2p, started.id, "review_rejection").assignee == "rita"


def test_an_invoice_discrepancy_is_resolved_or_sent_back(p2p, clock):
    f = p2p.fixtures
    started = request(p2p, [{"item": f["plate"], "quantity": "10", "unit_price": "50"}])
    instance = started.id
    do(p2p, instance, "request_quotes", "paul", {"rfq_deadline": "2026-01-06"})
    quote = p2p.records.create("supplier_quote", {"request": started.variables["request_id"], "supplier": f["acme"],
                                                  "total": "500"})
    clock.advance(days=2)
    p2p.fire_due_timers()
    do(p2p, instance, "choose_quote", "paul", {"quote_outcome": "order", "chosen_quote": quote["id"]})
    do(p2p, instance, "confirm_order", "paul", {"expected_date": "2026-01-20"})
    do(p2p, instance, "receive_goods", "stan", {"lines": [{"item": f["plate"], "accepted_qty": "8",
                                                           "rejected_qty": "2", "reason": "dented"}],
                                                "delivery_complete": True})
    do(p2p, instance, "register_invoice", "alice", {"invoice_number": "INV-1", "amount": "500"})   # 2 were rejected
    first = p2p.instance(instance).variables["invoice_id"]
    assert p2p.records.get("supplier_invoice", first)["status"] == "discrepancy"
    do(p2p, instance, "resolve_discrepancy", "mark", {"discrepancy_decision": "reject",
                                                      "discrepancy_note": "Invoice 8 plates"})
    assert p2p.records.get("supplier_invoice", first)["status"] == "rejected"
    do(p2p, instance, "register_invoice", "alice", {"invoice_number": "INV-1b", "amount": "400"})
    second = p2p.instance(instance).variables["invoice_id"]
    assert second != first and p2p.records.get("supplier_invoice", second)["status"] == "matched"
    do(p2p, instance, "approve_payment", "fiona", {"payment_decision": "reject", "payment_note": "Wait"})
    assert p2p.records.get("supplier_invoice", second)["status"] == "rejected"
    assert task(p2p, instance, "review_rejection").assignee == "rita"


def test_a_material_shortage_message_starts_a_request(p2p):
    [instance_id] = p2p.correlate("material_shortage", {}, {"item_id": p2p.fixtures["plate"], "quantity": 5,
                                                             "unit_price": 48, "needed_by": "2026-02-01"})
    variables = p2p.instance(instance_id).variables
    pr = p2p.records.get("purchase_request", variables["request_id"])
    assert (pr["source"], pr["department"], pr["status"], pr["total"]) == ("shortage", "production", "approved",
                                                                          decimal.Decimal("240.00"))
    assert [t.element_id for t in p2p.tasks(instance_id=instance_id)] == ["request_quotes"]


def test_quotes_are_looked_up_and_shown_by_their_suppliers_name(p2p):
    f = p2p.fixtures
    started = request(p2p, [{"item": f["bolt"], "quantity": "10", "unit_price": "0.40"}])
    quote = p2p.records.create("supplier_quote", {"request": started.variables["request_id"], "supplier": f["acme"],
                                                  "total": "4"})
    shown = f"{quote['number']} · Acme Industrial"
    assert p2p.records.lookup("supplier_quote", "acme", user="paul") == [(quote["id"], shown)]
    assert p2p.records.lookup("supplier_quote", quote["number"], user="paul") == [(quote["id"], shown)]
    assert p2p.records.lookup("supplier_quote", "Bolt", user="paul") == []
    assert p2p.records.titles("supplier_quote", [quote["id"]], user="paul") == {quote["id"]: shown}
