"""manufacturing / production_order: every main path to its end, through the embedding API."""

from __future__ import annotations

import pytest

from tests.integration.modules.manufacturing_support import (
    D,
    do,
    install,
    mails,
    operate,
    order,
    release_and_issue,
    stock,
    task,
    work_order,
)
from weft.services.errors import NotAllowed, ValidationError


@pytest.fixture
def mfg(weft):
    weft.fixtures = install(weft)
    return weft


def test_a_work_order_with_stock_runs_to_finished_goods(mfg):
    f = mfg.fixtures
    started = order(mfg, f)
    wo = work_order(mfg, started.id)
    assert (wo["status"], wo["item"], wo["planner"]) == ("ready", f["bench"], "pete")
    assert wo["number"].startswith("WO-2026-")
    needs = {m["item"]: (m["required_qty"], m["shortage_qty"]) for m in wo["required_materials"]}
    assert needs == {f["tube"]: (D("31.500"), 0), f["top"]: (D("5.000"), 0), f["screw"]: (D("80.000"), 0)}
    assert [t.element_id for t in mfg.tasks(instance_id=started.id)] == ["release_order"]
    do(mfg, started.id, "release_order", "pete", {"planned_start": "2026-01-06"})
    assert stock(mfg, f, "tube") == (D("100"), D("31.5"))                      # reserved
    assert work_order(mfg, started.id)["status"] == "released"
    do(mfg, started.id, "issue_materials", "stan")
    assert stock(mfg, f, "tube") == (D("68.5"), 0) and stock(mfg, f, "top") == (D("15"), 0)
    assert stock(mfg, f, "screw") == (D("920"), 0)
    [issue] = mfg.records.search("material_issue").records
    assert issue["status"] == "posted" and len(issue["lines"]) == 3
    assert work_order(mfg, started.id)["status"] == "in_progress"
    logs = operate(mfg, started.id)
    assert [(log["operation"], log["operator"], log["planned_minutes"]) for log in logs] == [
        ("Cut tubes", "otto", D("45")), ("Weld frame", "olga", D("60")), ("Assemble", "otto", D("50"))]
    assert [log["work_center"] for log in logs] == [f["saw"], f["weld"], f["assembly"]]
    assert work_order(mfg, started.id)["status"] == "quality_check"
    inspect = task(mfg, started.id, "inspect_quality")
    assert mfg.instance(started.id).variables["inspection_plan"] == {"sample_size": 2, "accept_max": 0}
    mfg.claim(inspect.id, "quinn")
    mfg.complete(inspect.id, {"defects_found": 0, "result": "pass", "accepted_qty": "5"}, user="quinn")
    assert work_order(mfg, started.id)["status"] == "completed"
    done = do(mfg, started.id, "receive_finished_goods", "stan", {"bin": "FG-A1"})
    assert done.state == "completed"
    wo = work_order(mfg, started.id)
    assert (wo["status"], wo["produced_qty"], wo["scrapped_qty"], wo["closed_on"].isoformat()) == (
        "closed", D("5"), 0, "2026-01-05")
    assert stock(mfg, f, "bench", "finished_goods") == (D("5"), 0)
    [receipt] = mfg.records.search("production_receipt").records
    assert (receipt["quantity"], receipt["received_by"], receipt["work_order"]) == (D("5"), "stan", wo["id"])
    assert [m.subject for m in mails(mfg)][-1] == f"Work order {wo['number']} closed"


def shortage_requests(weft):
    found = weft.records.search("purchase_request", {"source": "shortage"}, sort="id").records
    return [(r["lines"][0]["item"], r["lines"][0]["quantity"], r["needed_by"].isoformat(), r["department"])
            for r in found]


def test_shortages_go_to_procurement_once_each_and_the_order_waits_for_arrival(mfg):
    f = mfg.fixtures
    mfg.records.update("stock_balance", f["tube_stock"], {"on_hand": "10"}, user="stan")
    mfg.records.update("stock_balance", f["screw_stock"], {"on_hand": "50"}, user="stan")
    started = order(mfg, f)
    wo = work_order(mfg, started.id)
    assert wo["status"] == "waiting_material"
    short = {m["item"]: (m["shortage_qty"], m["requested"]) for m in wo["required_materials"]}
    assert short == {f["tube"]: (D("21.5"), True), f["top"]: (0, False), f["screw"]: (D("30"), True)}
    assert shortage_requests(mfg) == [(f["tube"], D("21.5"), "2026-01-20", "production"),
                                      (f["screw"], D("30"), "2026-01-20", "production")]
    [tube_request] = [r for r in mfg.records.search("purchase_request", {"source": "shortage"}).records
                      if r["lines"][0]["item"] == f["tube"]]
    assert tube_request["total"] == D("204.25") and tube_request["status"] == "approved"   # small: no approval
    assert len(mfg.tasks(user="paul")) == 2                                  # the purchaser asks for quotes
    assert [t.element_id for t in mfg.tasks(instance_id=started.id)] == ["confirm_materials"]

    # the tubes arrive, but meanwhile another order took the worktops: one new request, for worktops only
    mfg.records.update("stock_balance", f["tube_stock"], {"on_hand": "40"}, user="stan")
    mfg.records.update("stock_balance", f["top_stock"], {"on_hand": "2"}, user="stan")
    do(mfg, started.id, "confirm_materials", "stan", {"arrival_note": "Tubes from Nordsteel"})
    assert work_order(mfg, started.id)["status"] == "waiting_material"
    assert shortage_requests(mfg)[2:] == [(f["top"], D("3"), "2026-01-20", "production")]
    do(mfg, started.id, "confirm_materials", "stan")                        # nothing new: nothing sent again
    assert len(shortage_requests(mfg)) == 3

    mfg.records.update("stock_balance", f["top_stock"], {"on_hand": "6"}, user="stan")
    mfg.records.update("stock_balance", f["screw_stock"], {"on_hand": "500"}, user="stan")
    do(mfg, started.id, "confirm_materials", "stan", {"arrival_note": "Worktops and screws"})
    wo = work_order(mfg, started.id)
    assert wo["status"] == "ready" and all(m["shortage_qty"] == 0 for m in wo["required_materials"])
    release_and_issue(mfg, started.id)
    assert stock(mfg, f, "tube") == (D("8.5"), 0) and stock(mfg, f, "top") == (D("1"), 0)
    assert stock(mfg, f, "screw") == (D("420"), 0)
    assert len(shortage_requests(mfg)) == 3


def test_the_storekeeper_is_reminded_while_materials_are_missing(mfg, clock):
    f = mfg.fixtures
    mfg.records.update("stock_balance", f["top_stock"], {"on_hand": "0"}, user="stan")
    started = order(mfg, f)
    for _ in range(2):
        clock.advance(days=3, seconds=1)
        assert mfg.fire_due_timers() == 1
    wo = work_order(mfg, started.id)
    assert wo["material_reminders"] == 2
    reminders = [m for m in mails(mfg) if "still waits for materials" in m.subject]
    assert len(reminders) == 2 and "reminder 2" in reminders[-1].text
    assert [t.element_id for t in mfg.tasks(instance_id=started.id)] == ["confirm_materials"]


def test_rework_runs_the_operations_again_then_passes_with_some_scrap(mfg):
    f = mfg.fixtures
    started = order(mfg, f, quantity="12")
    release_and_issue(mfg, started.id)
    operate(mfg, started.id)
    assert mfg.instance(started.id).variables["inspection_plan"] == {"sample_size": 3, "accept_max": 0}
    with pytest.raises(ValidationError) as caught:
        do(mfg, started.id, "inspect_quality", "quinn", {"result": "rework", "defects_found": 2})
    assert set(caught.value.errors) == {"defect_type", "defects"}
    do(mfg, started.id, "inspect_quality", "quinn", {"result": "rework", "defects_found": 2, "defect_type": "welding",
                                                      "defects": "Porous welds on two frames"})
    wo = work_order(mfg, started.id)
    assert (wo["status"], wo["rework_count"]) == ("in_progress", 1)
    logs = operate(mfg, started.id, users=("olga", "olga", "otto"), minutes=("20", "90", "30"))
    assert [(log["operation"], log["round"]) for log in logs] == [
        ("Cut tubes", 1), ("Weld frame", 1), ("Assemble", 1), ("Cut tubes", 2), ("Weld frame", 2), ("Assemble", 2)]
    do(mfg, started.id, "inspect_quality", "quinn", {"result": "pass", "defects_found": 0, "accepted_qty": "11"})
    wo = work_order(mfg, started.id)
    assert (wo["status"], wo["produced_qty"], wo["scrapped_qty"], wo["scrap_pct"]) == (
        "completed", D("11"), D("1"), D("8.33"))
    inspections = mfg.records.search("quality_inspection", sort="id").records
    assert [(i["round"], i["result"], i["inspector"]) for i in inspections] == [(1, "rework", "quinn"),
                                                                                (2, "pass", "quinn")]
    mfg.records.create("stock_balance", {"item": f["bench"], "warehouse": "finished_goods", "on_hand": "3"})
    do(mfg, started.id, "receive_finished_goods", "stan")
    assert stock(mfg, f, "bench", "finished_goods") == (D("14"), 0)
    assert work_order(mfg, started.id)["status"] == "closed"


def test_a_scrapped_lot_adds_no_stock_and_tells_the_planner(mfg):
    f = mfg.fixtures
    started = order(mfg, f)
    release_and_issue(mfg, started.id)
    operate(mfg, started.id)
    done = do(mfg, started.id, "inspect_quality", "quinn", {"result": "scrap", "defects_found": 2,
                                                             "defect_type": "material", "defects": "Cracked tubes"})
    assert done.state == "completed"
    wo = work_order(mfg, started.id)
    assert (wo["status"], wo["produced_qty"], wo["scrapped_qty"], wo["scrap_pct"]) == ("scrapped", 0, D("5"), D("100"))
    assert stock(mfg, f, "bench", "finished_goods") is None
    assert stock(mfg, f, "tube") == (D("68.5"), 0)                     # the materials are gone all the same
    assert [m.recipients for m in mails(mfg) if m.subject.endswith("scrapped")] == [["pete@example.com"]]
    assert [h["element_id"] for h in mfg.instance(started.id).history][-2:] == ["tell_scrapped", "order_scrapped"]


def test_an_order_past_its_due_date_is_flagged_once(mfg, clock):
    f = mfg.fixtures
    started = order(mfg, f, due="2026-01-07")
    do(mfg, started.id, "release_order", "pete", {"planned_start": "2026-01-06"})
    clock.advance(days=2)
    assert mfg.fire_due_timers() == 0
    clock.advance(hours=7, seconds=1)                                   # 7 January, 16:00 UTC
    assert mfg.fire_due_timers() == 1
    assert work_order(mfg, started.id)["overdue"] is True
    assert [m.subject for m in mails(mfg) if "overdue" in m.subject] == [
        f"Work order {work_order(mfg, started.id)['number']} is overdue"]
    clock.advance(days=5)
    assert mfg.fire_due_timers() == 0
    do(mfg, started.id, "issue_materials", "stan")                      # production carries on
    assert [t.element_id for t in mfg.tasks(instance_id=started.id)] == ["perform_operation"]


def test_only_planners_start_orders_and_operators_cannot_release(mfg):
    f = mfg.fixtures
    with pytest.raises(NotAllowed):
        mfg.starts.start("production_order", {"bom": f["bom"], "quantity": "1", "due_date": "2026-02-01",
                                              "demand_source": "forecast"}, "otto")
    started = order(mfg, f, demand_source="replenishment", demand_reference=None)
    release = task(mfg, started.id, "release_order")
    assert release.candidate_groups == ["production_planner"]
    with pytest.raises(NotAllowed):
        mfg.claim(release.id, "otto")
