"""What the manufacturing tests share: the modules deployed, people per role, a workbench with its
bill of materials, stock in the stores, and helpers to drive production_order."""

from __future__ import annotations

import decimal

from tests.conftest import ROOT
from tests.support.process_steps import do, mails, open_tasks, task  # noqa: F401 - the module tests import them from here

ROLES = {"pete": ["production_planner"], "otto": ["production_operator"], "olga": ["production_operator"],
         "quinn": ["quality_inspector"], "stan": ["storekeeper"], "paul": ["purchaser"], "mark": ["purchase_manager"]}


def install(weft) -> dict[str, int]:
    weft.deploy_modules([ROOT / "plugins" / "procurement", ROOT / "plugins" / "manufacturing"])
    for name, groups in ROLES.items():
        weft.add_user(name, email=f"{name}@example.com", groups=groups)
    create = weft.records.create
    ids = {
        "bench": create("item", {"code": "WB-1200", "name": "Workbench 1200", "category": "finished_good"})["id"],
        "tube": create("item", {"code": "T-40", "name": "Steel tube 40 mm", "unit": "m", "category": "raw_material",
                                "standard_price": "9.50"})["id"],
        "top": create("item", {"code": "WT-1200", "name": "Beech worktop", "category": "component",
                               "standard_price": "85.00"})["id"],
        "screw": create("item", {"code": "S-M6", "name": "Screw M6x20", "category": "component",
                                 "standard_price": "0.05"})["id"],
    }
    saw = create("work_center", {"code": "SAW", "name": "Band saw", "kind": "cutting", "hour_rate": "40"})["id"]
    weld = create("work_center", {"code": "WLD", "name": "Welding cell", "kind": "welding", "hour_rate": "65"})["id"]
    bench = create("work_center", {"code": "ASM", "name": "Assembly bench", "kind": "assembly", "hour_rate": "45"})["id"]
    ids["saw"], ids["weld"], ids["assembly"] = saw, weld, bench
    ids["bom"] = create("bom", {"name": "Workbench 1200 v1", "item": ids["bench"], "components": [
        {"item": ids["tube"], "quantity": "6", "scrap_pct": "5", "rate": "9.50"},
        {"item": ids["top"], "quantity": "1", "rate": "85"},
        {"item": ids["screw"], "quantity": "16", "rate": "0.05"}], "operations": [
        {"sequence": 30, "operation": "Assemble", "work_center": bench, "minutes_per_unit": "10"},
        {"sequence": 10, "operation": "Cut tubes", "work_center": saw, "setup_minutes": "15", "minutes_per_unit": "6"},
        {"sequence": 20, "operation": "Weld frame", "work_center": weld, "minutes_per_unit": "12"}]})["id"]
    for item, on_hand in (("tube", "100"), ("top", "20"), ("screw", "1000")):
        ids[f"{item}_stock"] = create("stock_balance", {"item": ids[item], "warehouse": "stores",
                                                        "on_hand": on_hand})["id"]
    return ids


def order(weft, ids, quantity="5", due="2026-01-20", **extra):
    data = {"bom": ids["bom"], "quantity": quantity, "due_date": due, "demand_source": "sales_order",
            "demand_reference": "SO-2026-00042", **extra}
    return weft.starts.start("production_order", data, "pete")


def stock(weft, ids, item, warehouse="stores"):
    found = weft.records.search("stock_balance", {"item": str(ids[item]), "warehouse": warehouse}).records
    return (found[0]["on_hand"], found[0]["reserved"]) if found else None


def work_order(weft, instance_id):
    return weft.records.get("work_order", weft.instance(instance_id).variables["work_order_id"])


def operate(weft, instance_id, users=("otto", "olga", "otto"), minutes=("45", "60", "50")):
    """Run the routing's operations in sequence, one operator each; the logs they filed."""
    for user, spent in zip(users, minutes, strict=True):
        do(weft, instance_id, "perform_operation", user, {"actual_minutes": spent})
    work_order_id = weft.instance(instance_id).variables["work_order_id"]
    return weft.records.search("operation_log", {"work_order": str(work_order_id)}, sort="id").records


def release_and_issue(weft, instance_id):
    do(weft, instance_id, "release_order", "pete", {"planned_start": "2026-01-06"})
    do(weft, instance_id, "issue_materials", "stan")


D = decimal.Decimal
