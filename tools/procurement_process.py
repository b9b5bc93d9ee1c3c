"""processes/procurement/purchase_to_pay.bpmn: from a purchase request to the supplier's payment."""

from __future__ import annotations

from bpmn_writer import (
    ROOT,
    Process,
    Script,
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

p = Process("purchase_to_pay", "Purchase to pay", documentation=(
    "A purchase request is approved by amount (DMN purchase_approval), quoted by suppliers until the RFQ "
    "deadline, ordered, received (partial receipts loop), invoiced, matched three ways (DMN three_way_match) "
    "and paid. Rejections reach the requester. Manufacturing reports material shortages with the message "
    "material_shortage, which starts a request by itself."))
p.definitions.append(message("msg_shortage", "material_shortage"))

# -- a request: by hand, or from a shortage ----------------------------------------------------------
p.add(start("request_submitted", "Request submitted", form="procurement/new_request", initiator="requester"))
p.add(message_start("shortage_reported", "Material shortage", "msg_shortage"))
p.add(connector("create_shortage_request", "Create shortage request", "entity.create", {
    "entity": "purchase_request", "purpose": "Material shortage (production)", "department": "production",
    "source": "shortage", "needed_by": "${needed_by}",
    "lines": Script('[{"item": item_id, "quantity": quantity, "unit_price": unit_price}]')},
    {"request_id": "${id}"}))
p.add(gateway("request_ready"))
p.add(connector("submit_request", "Submit request", "entity.update",
                {"entity": "purchase_request", "id": "${request_id}", "status": "submitted"},
                {"request_total": "${record['total']}", "request_number": "${record['number']}",
                 "department": "${record['department']}", "requester": "${record['requester'] or 'purchase_managers'}"}))
p.add(decision("decide_approval", "Decide approval level", "purchase_approval", "approval_level"))
p.add(gateway("approval_route", "Approval needed?", default="flow_approval_route_manager_approval"))
p.add(user("manager_approval", "Approve purchase request", "procurement/approve_request", groups="purchase_manager",
           due="P2D", priority="60"))
p.add(gateway("manager_decided", "Manager's decision", default="flow_manager_decided_mark_approved"))
p.add(user("finance_approval", "Approve purchase request (finance)", "procurement/approve_request_finance",
           groups="finance_manager", due="P2D", priority="60"))
p.add(gateway("finance_decided", "Finance decision", default="flow_finance_decided_mark_approved"))

# -- rejection reaches the requester -------------------------------------------------------------------
p.add(gateway("rejected"))
p.add(connector("reject_request", "Mark request rejected", "entity.update",
                {"entity": "purchase_request", "id": "${request_id}", "status": "rejected"}))
p.add(user("review_rejection", "Request not approved", "procurement/review_rejection", assignee="${requester}"))
p.add(end("request_rejected", "Request rejected"))

# -- quotes ------------------------------------------------------------------------------------------------
p.add(gateway("approved"))
p.add(connector("mark_approved", "Mark request approved", "entity.update",
                {"entity": "purchase_request", "id": "${request_id}", "status": "approved",
                 "approval_level": "${approval_level}"}))
p.add(user("request_quotes", "Request supplier quotes", "procurement/request_quotes", groups="purchaser", due="P1D"))
p.add(connector("mark_rfq", "Mark request in RFQ", "entity.update",
                {"entity": "purchase_request", "id": "${request_id}", "status": "rfq"}))
p.add(timer_catch("rfq_deadline", "RFQ deadline", date="${rfq_deadline}"))
p.add(user("choose_quote", "Choose a quote", "procurement/choose_quote", groups="purchaser", due="P1D"))
p.add(gateway("quote_decided", "Order?", default="flow_quote_decided_get_quote"))

# -- the order ---------------------------------------------------------------------------------------------
p.add(connector("get_quote", "Read the chosen quote", "entity.get",
                {"entity": "supplier_quote", "id": "${chosen_quote}"},
                {"supplier_id": "${supplier}", "quote_total": "${total}"}))
p.add(connector("get_request", "Read the request", "entity.get", {"entity": "purchase_request", "id": "${request_id}"},
                {"request_lines": "${lines}"}))
p.add(connector("create_order", "Create purchase order", "entity.create", {
    "entity": "purchase_order", "supplier": "${supplier_id}", "request": "${request_id}", "quote": "${chosen_quote}",
    "lines": Script('[{"item": line["item"], "quantity": line["quantity"], "unit_price": round((line["unit_price"] or 0) '
                    '* quote_total / request_total, 2) if request_total else (line["unit_price"] or 0)} '
                    'for line in request_lines]')},
    {"po_id": "${id}", "po_number": "${number}"}))
p.add(connector("mark_ordered", "Mark request ordered", "entity.update",
                {"entity": "purchase_request", "id": "${request_id}", "status": "ordered"}))
p.add(connector("mark_quote_chosen", "Mark quote chosen", "entity.update",
                {"entity": "supplier_quote", "id": "${chosen_quote}", "status": "chosen"}))
p.add(user("confirm_order", "Confirm purchase order", "procurement/confirm_order", groups="purchaser", due="P1D"))
p.add(connector("get_supplier", "Read the supplier", "entity.get", {"entity": "supplier", "id": "${supplier_id}"},
                {"supplier_email": "${email}", "supplier_name": "${name}"}))
p.add(connector("send_order", "Send order to supplier", "mail.send", {
    "to": "${supplier_email or 'purchasing@example.com'}", "subject": "Purchase order ${po_number}",
    "text": "Dear ${supplier_name},\n\nplease deliver purchase order ${po_number}.\n\nKind regards\nProcurement"}))
p.add(connector("mark_sent", "Mark order sent", "entity.update",
                {"entity": "purchase_order", "id": "${po_id}", "status": "sent"}))

# -- goods receipts, as many as the deliveries ----------------------------------------------------------------------
p.add(user("receive_goods", "Receive goods", "procurement/receive_goods", groups="storekeeper", due="P7D"))
p.add(connector("get_receipt", "Read the receipt", "entity.get", {"entity": "goods_receipt", "id": "${receipt_id}"},
                {"receipt_lines": "${lines}"}))
p.add(connector("get_order", "Read the order", "entity.get", {"entity": "purchase_order", "id": "${po_id}"},
                {"order_lines": "${lines}", "order_total": "${total}", "received_amount": "${received_amount}"}))
p.add(script("value_receipt", "Value the receipt", (
    'prices = {line["item"]: line["unit_price"] for line in order_lines}\n'
    'accepted_value = sum((prices.get(line["item"]) or 0) * (line["accepted_qty"] or 0) for line in receipt_lines)\n'
    "received_amount = (received_amount or 0) + accepted_value\n"
    'order_status = "received" if delivery_complete else "partially_received"\n'
    "last_receipt = receipt_id\n"
    "receipt_id = None")))
p.add(connector("book_receipt", "Book the receipt", "entity.update", {
    "entity": "purchase_order", "id": "${po_id}", "received_amount": "${received_amount}",
    "status": "${order_status}"}))
p.add(connector("value_receipt_record", "Record the receipt's value", "entity.update",
                {"entity": "goods_receipt", "id": "${last_receipt}", "accepted_value": "${accepted_value}"}))
p.add(gateway("delivery_done", "Delivery complete?", default="flow_delivery_done_receive_goods"))

# -- invoice and three-way match -------------------------------------------------------------------------------
p.add(user("register_invoice", "Register supplier invoice", "procurement/register_invoice", groups="accountant",
           due="P3D"))
p.add(connector("get_invoice", "Read the invoice", "entity.get", {"entity": "supplier_invoice", "id": "${invoice_id}"},
                {"invoice_amount": "${amount}"}))
p.add(decision("three_way_match", "Three-way match", "three_way_match", "matched"))
p.add(gateway("match_result", "Matched?", default="flow_match_result_mark_discrepancy"))
p.add(connector("mark_matched", "Mark invoice matched", "entity.update",
                {"entity": "supplier_invoice", "id": "${invoice_id}", "status": "matched"}))
p.add(connector("mark_discrepancy", "Mark discrepancy", "entity.update",
                {"entity": "supplier_invoice", "id": "${invoice_id}", "status": "discrepancy"}))
p.add(user("resolve_discrepancy", "Resolve invoice discrepancy", "procurement/resolve_discrepancy",
           groups="purchase_manager", due="P2D", priority="70"))
p.add(gateway("discrepancy_decided", "Accept invoice?", default="flow_discrepancy_decided_reject_invoice"))
p.add(script("reject_invoice", "Reject invoice", "rejected_invoice = invoice_id\ninvoice_id = None"))
p.add(connector("mark_invoice_rejected", "Mark invoice rejected", "entity.update",
                {"entity": "supplier_invoice", "id": "${rejected_invoice}", "status": "rejected"}))

# -- payment ---------------------------------------------------------------------------------------------------
p.add(gateway("payable"))
p.add(user("approve_payment", "Approve payment", "procurement/approve_payment", groups="finance_manager", due="P2D"))
p.add(gateway("payment_decided", "Pay?", default="flow_payment_decided_record_payment"))
p.add(connector("refuse_payment", "Mark payment refused", "entity.update",
                {"entity": "supplier_invoice", "id": "${invoice_id}", "status": "rejected"}))
p.add(user("record_payment", "Record payment", "procurement/record_payment", groups="accountant", due="P5D"))
p.add(connector("mark_invoice_paid", "Mark invoice paid", "entity.update",
                {"entity": "supplier_invoice", "id": "${invoice_id}", "status": "paid"}))
p.add(connector("mark_order_paid", "Mark order paid", "entity.update",
                {"entity": "purchase_order", "id": "${po_id}", "status": "paid"}))
p.add(connector("close_request", "Close request", "entity.update",
                {"entity": "purchase_request", "id": "${request_id}", "status": "closed"}))
p.add(end("paid", "Paid"))

# -- flows ---------------------------------------------------------------------------------------------------------
p.flow("request_submitted", "request_ready")
p.chain("shortage_reported", "create_shortage_request", "request_ready")
p.chain("request_ready", "submit_request", "decide_approval", "approval_route")
p.flow("approval_route", "approved", "${approval_level == 'auto'}", "automatic")
p.flow("approval_route", "manager_approval", name="manager")
p.flow("manager_approval", "manager_decided")
p.flow("manager_decided", "rejected", "${manager_decision == 'reject'}", "rejected")
p.flow("manager_decided", "finance_approval", "${manager_decision != 'reject' && approval_level == 'finance'}",
       "above manager limit")
p.flow("manager_decided", "approved", id="flow_manager_decided_mark_approved", name="approved")
p.flow("finance_approval", "finance_decided")
p.flow("finance_decided", "rejected", "${finance_decision == 'reject'}", "rejected")
p.flow("finance_decided", "approved", id="flow_finance_decided_mark_approved", name="approved")
p.chain("rejected", "reject_request", "review_rejection", "request_rejected")
p.chain("approved", "mark_approved", "request_quotes", "mark_rfq", "rfq_deadline", "choose_quote", "quote_decided")
p.flow("quote_decided", "rejected", "${quote_outcome == 'cancel'}", "no acceptable quote")
p.flow("quote_decided", "get_quote", name="order")
p.chain("get_quote", "get_request", "create_order", "mark_ordered", "mark_quote_chosen", "confirm_order",
        "get_supplier", "send_order", "mark_sent", "receive_goods", "get_receipt", "get_order", "value_receipt",
        "book_receipt", "value_receipt_record", "delivery_done")
p.flow("delivery_done", "register_invoice", "${delivery_complete}", "complete")
p.flow("delivery_done", "receive_goods", name="more to come")
p.chain("register_invoice", "get_invoice", "three_way_match", "match_result")
p.flow("match_result", "mark_matched", "${matched}", "within tolerance")
p.flow("match_result", "mark_discrepancy", name="discrepancy")
p.chain("mark_matched", "payable")
p.chain("mark_discrepancy", "resolve_discrepancy", "discrepancy_decided")
p.flow("discrepancy_decided", "payable", "${discrepancy_decision == 'accept'}", "accept")
p.flow("discrepancy_decided", "reject_invoice", name="ask for a new invoice")
p.chain("reject_invoice", "mark_invoice_rejected", "register_invoice")
p.chain("payable", "approve_payment", "payment_decided")
p.flow("payment_decided", "refuse_payment", "${payment_decision == 'reject'}", "refused")
p.flow("payment_decided", "record_payment", name="approved")
p.chain("refuse_payment", "rejected")
p.chain("record_payment", "mark_invoice_paid", "mark_order_paid", "close_request", "paid")

if __name__ == "__main__":
    p.write(ROOT / "processes" / "procurement" / "purchase_to_pay.bpmn")
