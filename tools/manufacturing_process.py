"""processes/manufacturing/production_order.bpmn: a work order from its demand to finished goods."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

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
    message_throw,
    multi_instance,
    script,
    start,
    user,
)


def boundary_date(id: str, name: str, attached_to: str, date: str) -> str:
    """A non-interrupting boundary timer firing at a date (an expression)."""
    return (f'<boundaryEvent id="{id}" name={quoteattr(name)} attachedToRef="{attached_to}" cancelActivity="false">'
            f"<timerEventDefinition><timeDate>{escape(date)}</timeDate></timerEventDefinition></boundaryEvent>")


def stock_updates(id: str, name: str) -> str:
    """Apply ``stock_updates`` ([{id, values}]) to stock balances, one update per balance."""
    return connector(id, name, "entity.update", {"entity": "stock_balance", "id": "${upd['id']}",
                                                 "values": "${upd['values']}"},
                     loop=multi_instance("stock_updates", "upd"))


def find_component_stock(id: str, name: str) -> str:
    return connector(id, name, "entity.find", {
        "entity": "stock_balance", "item__in": Script("[c['item'] for c in components]"),
        "warehouse": "${source_warehouse}", "limit": "1000"}, {"balances": "${records}"})


def order_status(id: str, name: str, status: str, **values) -> str:
    return connector(id, name, "entity.update", {"entity": "work_order", "id": "${work_order_id}", "status": status,
                                                 **values})


PLAN_MATERIALS = """\
available = {b["item"]: max(b["available"] or 0, 0) for b in balances}
prices = {i["id"]: i["standard_price"] or 0 for i in component_items}
needs = {part: round(sum(c["quantity"] * quantity * (100 + (c["scrap_pct"] or 0)) / 100
                         for c in components if c["item"] == part), 3)
         for part in dict.fromkeys(c["item"] for c in components)}
shortages = [{"item_id": part, "quantity": need - available.get(part, 0), "unit_price": prices.get(part, 0)}
             for part, need in needs.items() if available.get(part, 0) < need]
new_shortages = [s for s in shortages if s["item_id"] not in requested_items]
requested_items = requested_items + [s["item_id"] for s in new_shortages]
required_materials = [{"item": part, "required_qty": need, "available_qty": available.get(part, 0),
                       "requested": part in requested_items} for part, need in needs.items()]
material_status = "waiting_material" if shortages else "ready"
del available, prices, needs
"""

p = Process("production_order", "Production order", documentation=(
    "A planner opens a work order from a demand (sales order, forecast or stock replenishment) for a bill of "
    "materials. Materials are checked against the stock balances (BOM components x quantity, with scrap); for each "
    "short component the message material_shortage goes to procurement once, and the storekeeper confirms arrivals "
    "until everything is there (reminders every three days). The planner releases the order (materials reserved), "
    "the storekeeper issues them (stock decreases), operators run the BOM's operations in sequence, each logged. "
    "Quality control samples the lot (DMN inspection_plan): pass -> the storekeeper receives the finished goods "
    "(stock increases) and the order closes; rework -> the operations run again; scrap -> the order ends scrapped. "
    "Past its due date, the planner is told once."))
p.definitions.append(message("msg_material_shortage", "material_shortage"))

# -- the order and its bill of materials ---------------------------------------------------------------------
p.add(start("order_created", "Work order created", form="manufacturing/new_work_order", initiator="planner"))
p.add(connector("read_order", "Read the work order", "entity.get", {"entity": "work_order", "id": "${work_order_id}"}, {
    "wo_number": "${number}", "bom_id": "${bom}", "quantity": "${quantity}", "due_date": "${due_date}",
    "source_warehouse": "${source_warehouse}", "fg_warehouse": "${fg_warehouse}"}))
p.add(connector("read_bom", "Read the bill of materials", "entity.get", {"entity": "bom", "id": "${bom_id}"},
                {"item_id": "${item}", "components": "${components}", "bom_operations": "${operations}"}))
p.add(script("plan_order", "Plan the routing", (
    "requested_items = []\nrework_count = 0\nneeded_by = due_date\n"
    'overdue_at = str(due_date) + "T16:00:00+00:00"\n'
    'operations = sorted([{"sequence": o["sequence"], "operation": o["operation"], "work_center": o["work_center"], '
    '"planned_minutes": (o["setup_minutes"] or 0) + o["minutes_per_unit"] * quantity} for o in bom_operations], '
    'key=lambda o: o["sequence"])')))
p.add(order_status("mark_checking", "Checking materials", "checking", item="${item_id}"))

# -- material availability; shortages go to procurement once per component ---------------------------------------
p.add(gateway("check_materials"))
p.add(find_component_stock("find_stock", "Read the stock balances"))
p.add(connector("find_prices", "Read the components", "entity.find", {
    "entity": "item", "id__in": Script("[c['item'] for c in components]"), "limit": "1000"},
    {"component_items": "${records}"}))
p.add(script("plan_materials", "Work out requirements and shortages", PLAN_MATERIALS))
p.add(order_status("record_requirements", "Record the requirements", "${material_status}",
                   required_materials="${required_materials}"))
p.add(gateway("materials_available", "Materials available?", default="flow_materials_available_request_materials"))
report = SubProcess("request_materials", "Report each new shortage to procurement",
                    loop=multi_instance("new_shortages", "shortage"))
report.add(start("shortage_found", "New shortage"))
report.add(message_throw("report_shortage", "Material shortage", "msg_material_shortage", payload={
    "item_id": "${shortage['item_id']}", "quantity": "${shortage['quantity']}",
    "unit_price": "${shortage['unit_price']}", "needed_by": "${needed_by}"}))
report.add(end("shortage_reported", "Reported"))
report.chain("shortage_found", "report_shortage", "shortage_reported")
p.add(report.element())
p.add(user("confirm_materials", "Confirm material arrival", "manufacturing/confirm_materials", groups="storekeeper",
           due="P3D"))
p.add(boundary_timer("materials_late", "Every 3 days", "confirm_materials", "R/P3D", cancel=False, cycle=True))
p.add(connector("count_material_reminder", "Count the reminder", "entity.get",
                {"entity": "work_order", "id": "${work_order_id}"},
                {"material_reminders": "${(material_reminders or 0) + 1}"}))
p.add(connector("record_material_reminder", "Record the reminder", "entity.update",
                {"entity": "work_order", "id": "${work_order_id}", "material_reminders": "${material_reminders}"}))
p.add(connector("remind_materials", "Remind the planner", "mail.send", {
    "to": "${planner}", "cc": "purchaser", "subject": "Work order ${wo_number} still waits for materials",
    "text": "Work order ${wo_number} is short of ${len(shortages)} material(s); it is due on ${due_date}. "
            "This is reminder ${material_reminders}."}))
p.add(end("materials_reminded", "Reminded"))

# -- production: release, issue, operations, quality control (with rework) ------------------------------------------
prod = SubProcess("production", "Production")
prod.add(start("production_started", "Materials available"))
prod.add(user("release_order", "Release work order", "manufacturing/release_order", groups="production_planner",
              due="P1D", priority="60"))
prod.add(find_component_stock("find_stock_to_reserve", "Read the stock to reserve"))
prod.add(script("plan_reservation", "Reserve the requirements", (
    'need = {m["item"]: m["required_qty"] for m in required_materials}\n'
    'stock_updates = [{"id": b["id"], "values": {"reserved": (b["reserved"] or 0) + need[b["item"]]}} '
    'for b in balances if b["item"] in need]')))
prod.add(stock_updates("reserve_stock", "Reserve stock"))
prod.add(order_status("mark_released", "Mark released", "released", released_on=Script("today()")))
prod.add(connector("create_issue", "Prepare the material issue", "entity.create", {
    "entity": "material_issue", "work_order": "${work_order_id}", "warehouse": "${source_warehouse}",
    "lines": Script('[{"item": m["item"], "required_qty": m["required_qty"], "quantity": m["required_qty"]} '
                    "for m in required_materials]")}, {"issue_id": "${id}"}))
prod.add(user("issue_materials", "Issue materials", "manufacturing/issue_materials", groups="storekeeper", due="P1D"))
prod.add(connector("read_issue", "Read the issue", "entity.get", {"entity": "material_issue", "id": "${issue_id}"},
                   {"issue_lines": "${lines}"}))
prod.add(find_component_stock("find_stock_to_issue", "Read the stock to issue from"))
prod.add(script("plan_issue", "Take the issue off stock", (
    'issued = {part: sum(line["quantity"] or 0 for line in issue_lines if line["item"] == part) '
    'for part in {line["item"] for line in issue_lines}}\n'
    'need = {m["item"]: m["required_qty"] for m in required_materials}\n'
    'stock_updates = [{"id": b["id"], "values": {"on_hand": (b["on_hand"] or 0) - issued.get(b["item"], 0), '
    '"reserved": max((b["reserved"] or 0) - need.get(b["item"], 0), 0)}} '
    'for b in balances if b["item"] in issued or b["item"] in need]')))
prod.add(stock_updates("post_issue", "Post the issue"))
prod.add(connector("mark_issue_posted", "Mark the issue posted", "entity.update",
                   {"entity": "material_issue", "id": "${issue_id}", "status": "posted"}))
prod.add(gateway("run_operations"))
prod.add(order_status("mark_in_progress", "Mark in progress", "in_progress"))

ops = SubProcess("operations_run", "Operations in sequence", loop=multi_instance("operations", "op"))
ops.add(start("operation_started", "Next operation"))
ops.add(user("perform_operation", "Perform operation", "manufacturing/perform_operation", groups="production_operator",
             due="P1D"))
ops.add(script("file_operation_log", "File the log", "last_log = log_id\nlog_id = None"))
ops.add(end("operation_done", "Operation done"))
ops.chain("operation_started", "perform_operation", "file_operation_log", "operation_done")
prod.add(ops.element())

prod.add(order_status("mark_quality_check", "Mark in quality check", "quality_check"))
prod.add(decision("plan_inspection", "Sampling plan", "inspection_plan", "inspection_plan", mapping="singleResult"))
prod.add(user("inspect_quality", "Inspect quality", "manufacturing/inspect_quality", groups="quality_inspector",
              due="P1D", priority="60"))
prod.add(connector("read_inspection", "Read the inspection", "entity.get",
                   {"entity": "quality_inspection", "id": "${inspection_id}"},
                   {"qc_result": "${result}", "accepted_qty": "${accepted_qty}"}))
prod.add(script("file_inspection", "File the inspection", "last_inspection = inspection_id\ninspection_id = None"))
prod.add(gateway("qc_outcome", "Quality?", default="flow_qc_outcome_book_output"))
prod.add(script("book_output", "Book the output", (
    "produced_qty = min(accepted_qty if accepted_qty is not None else quantity, quantity)\n"
    "scrapped_qty = quantity - produced_qty")))
prod.add(order_status("mark_completed", "Mark completed", "completed", produced_qty="${produced_qty}",
                      scrapped_qty="${scrapped_qty}"))
prod.add(end("production_passed", "Passed"))
prod.add(script("count_rework", "Count the rework", "rework_count = rework_count + 1"))
prod.add(order_status("mark_rework", "Mark in rework", "rework", rework_count="${rework_count}"))
prod.add(order_status("mark_scrapped", "Mark scrapped", "scrapped", produced_qty="0", scrapped_qty="${quantity}",
                      closed_on=Script("today()")))
prod.add(end("production_scrapped", "Scrapped"))
prod.chain("production_started", "release_order", "find_stock_to_reserve", "plan_reservation", "reserve_stock",
           "mark_released", "create_issue", "issue_materials", "read_issue", "find_stock_to_issue", "plan_issue",
           "post_issue", "mark_issue_posted", "run_operations", "mark_in_progress", "operations_run",
           "mark_quality_check", "plan_inspection", "inspect_quality", "read_inspection", "file_inspection",
           "qc_outcome")
prod.flow("qc_outcome", "count_rework", "${qc_result == 'rework'}", "rework")
prod.flow("qc_outcome", "mark_scrapped", "${qc_result == 'scrap'}", "scrap")
prod.flow("qc_outcome", "book_output", id="flow_qc_outcome_book_output", name="pass")
prod.chain("book_output", "mark_completed", "production_passed")
prod.chain("count_rework", "mark_rework", "run_operations")
prod.chain("mark_scrapped", "production_scrapped")
p.add(prod.element())

p.add(boundary_date("due_date_passed", "Due date passed", "production", "${overdue_at}"))
p.add(connector("mark_overdue", "Mark overdue", "entity.update",
                {"entity": "work_order", "id": "${work_order_id}", "overdue": "true"}))
p.add(connector("warn_overdue", "Tell the planner", "mail.send", {
    "to": "${planner}", "subject": "Work order ${wo_number} is overdue",
    "text": "Work order ${wo_number} was due on ${due_date} and is not finished yet."}))
p.add(end("overdue_reported", "Overdue reported"))

# -- finished goods into stock, or the scrap reported ----------------------------------------------------------------
p.add(gateway("production_result", "Result?", default="flow_production_result_receive_finished_goods"))
p.add(connector("tell_scrapped", "Tell the planner", "mail.send", {
    "to": "${planner}", "subject": "Work order ${wo_number} scrapped",
    "text": "Quality control scrapped the ${quantity} units of work order ${wo_number}. Plan a new order if the "
            "demand stands."}))
p.add(end("order_scrapped", "Order scrapped"))
p.add(user("receive_finished_goods", "Receive finished goods", "manufacturing/receive_finished_goods",
           groups="storekeeper", due="P1D"))
p.add(connector("read_receipt", "Read the receipt", "entity.get", {"entity": "production_receipt", "id": "${receipt_id}"},
                {"received_qty": "${quantity}", "receipt_warehouse": "${warehouse}"}))
p.add(connector("find_fg_balance", "Find the item's balance", "entity.find", {
    "entity": "stock_balance", "item": "${item_id}", "warehouse": "${receipt_warehouse}", "limit": "1"},
    {"fg_balance_id": "${id}", "fg_on_hand": "${record['on_hand'] if record else 0}"}))
p.add(gateway("fg_balance_known", "Balance exists?", default="flow_fg_balance_known_open_fg_balance"))
p.add(connector("add_to_fg_balance", "Add to the balance", "entity.update", {
    "entity": "stock_balance", "id": "${fg_balance_id}", "on_hand": "${fg_on_hand + received_qty}"}))
p.add(connector("open_fg_balance", "Open a balance", "entity.create", {
    "entity": "stock_balance", "item": "${item_id}", "warehouse": "${receipt_warehouse}", "on_hand": "${received_qty}"}))
p.add(gateway("fg_booked"))
p.add(order_status("close_order", "Close the work order", "closed", closed_on=Script("today()")))
p.add(connector("tell_closed", "Tell the planner", "mail.send", {
    "to": "${planner}", "subject": "Work order ${wo_number} closed",
    "text": "${received_qty} units of work order ${wo_number} are in stock (${receipt_warehouse})."}))
p.add(end("order_closed", "Order closed"))

# -- flows -------------------------------------------------------------------------------------------------------------
p.chain("order_created", "read_order", "read_bom", "plan_order", "mark_checking", "check_materials", "find_stock",
        "find_prices", "plan_materials", "record_requirements", "materials_available")
p.flow("materials_available", "production", "${len(shortages) == 0}", "all available")
p.flow("materials_available", "request_materials", id="flow_materials_available_request_materials", name="short")
p.chain("request_materials", "confirm_materials", "check_materials")
p.chain("materials_late", "count_material_reminder", "record_material_reminder", "remind_materials",
        "materials_reminded")
p.chain("production", "production_result")
p.chain("due_date_passed", "mark_overdue", "warn_overdue", "overdue_reported")
p.flow("production_result", "tell_scrapped", "${qc_result == 'scrap'}", "scrapped")
p.flow("production_result", "receive_finished_goods", id="flow_production_result_receive_finished_goods",
       name="passed")
p.chain("tell_scrapped", "order_scrapped")
p.chain("receive_finished_goods", "read_receipt", "find_fg_balance", "fg_balance_known")
p.flow("fg_balance_known", "add_to_fg_balance", "${fg_balance_id != None}", "yes")
p.flow("fg_balance_known", "open_fg_balance", id="flow_fg_balance_known_open_fg_balance", name="no")
p.chain("add_to_fg_balance", "fg_booked")
p.chain("open_fg_balance", "fg_booked")
p.chain("fg_booked", "close_order", "tell_closed", "order_closed")

if __name__ == "__main__":
    p.write(ROOT / "processes" / "manufacturing" / "production_order.bpmn")
