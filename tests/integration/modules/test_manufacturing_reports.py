"""manufacturing reports: work orders by status, output by month, scrap rate by item, work center load."""

from __future__ import annotations

from tests.integration.modules.manufacturing_support import D, do, install, operate, order, release_and_issue


def test_reports_over_orders_run_by_the_process(weft):
    f = install(weft)
    weft.add_group("admin")
    weft.add_user("boss", groups=["admin"])
    made = order(weft, f, quantity="4")
    release_and_issue(weft, made.id)
    operate(weft, made.id)
    do(weft, made.id, "inspect_quality", "quinn", {"result": "rework", "defect_type": "surface", "defects": "Scratches"})
    operate(weft, made.id, minutes=("5", "15", "10"))
    do(weft, made.id, "inspect_quality", "quinn", {"result": "pass", "accepted_qty": "3"})
    do(weft, made.id, "receive_finished_goods", "stan")
    scrapped = order(weft, f, quantity="2")
    release_and_issue(weft, scrapped.id)
    operate(weft, scrapped.id)
    do(weft, scrapped.id, "inspect_quality", "quinn", {"result": "scrap", "defect_type": "welding", "defects": "Cracks"})
    order(weft, f, quantity="1")                                               # waits for release

    by_status = {r["group_value"]: r["orders"] for r in weft.reports.run("manufacturing/work_orders_by_status", "boss").rows}
    assert by_status == {"closed": 1, "scrapped": 1, "ready": 1}
    [month] = weft.reports.run("manufacturing/output_by_month", "boss").rows
    assert (month["produced"], month["scrapped"], month["orders"]) == (3, 3, 2)
    [bench] = weft.reports.run("manufacturing/scrap_by_item", "boss").rows
    assert (bench["group"], bench["produced"], bench["scrapped"], bench["reworks"]) == ("Workbench 1200", 3, 3, 1)
    assert D(str(bench["scrap_pct"])) == D("62.5")                             # (25 % + 100 %) / 2
    load = {r["group"]: r for r in weft.reports.run("manufacturing/work_center_load", "boss").rows}
    assert (load["Welding cell"]["operations"], load["Welding cell"]["actual"]) == (3, 60 + 15 + 60)
    assert load["Welding cell"]["rework_minutes"] == 15
    assert load["Band saw"]["planned"] == (15 + 6 * 4) * 2 + 15 + 6 * 2
