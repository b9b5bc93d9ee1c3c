"""manufacturing / production_order: every main path to its end, through the embedding API."""

from __future__ import annotations

import pytest

from tests.integration.modules.manufacturing_support import D, do, install, mails, operate, order, release_and_issue, \
    stock, task, work_order


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
