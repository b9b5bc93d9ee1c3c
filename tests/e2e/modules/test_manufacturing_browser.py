"""manufacturing / production_order in the browser, as the demo users work it: Pete (planner)
opens a work order for three workbenches and releases it, Stan (storekeeper) issues the
materials, Otto and Olga (operators) run the four operations in turn, Quinn (inspector) passes
the lot, Stan receives the finished goods, and the order shows closed with the stock raised."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser import demo_user as person
from tests.support.browser import shot


def claim_and_open(page, server: str, name: str, about: str):
    """Claim the task ``name`` about ``about`` from the group's tasks and open its form."""
    page.goto(f"{server}/inbox?view=group")
    row = page.locator("table.tasks tbody tr", has_text=name).filter(has_text=about).first
    expect(row).to_be_visible()
    row.locator("button:has-text('Claim')").click()
    expect(row.locator("td.assignee")).to_contain_text(page.user)
    row.locator("a.task-link").click()
    expect(page.locator("h1")).to_contain_text(name)


def complete(page):
    page.click("button:has-text('Complete')")
    expect(page.locator(".flash")).to_contain_text("Task completed")


def test_a_work_order_goes_from_the_planner_to_finished_goods(server, browser, demo, weft):
    demo("procurement", "manufacturing")
    fg_before = weft.records.search("stock_balance", {"warehouse": "finished_goods"}).records

    pete = person(browser, server, "pete")
    pete.click("text=Start")
    pete.click("text=New work order")
    pete.fill(".field[data-name=bom] .lookup-text", "Workbench")
    pete.click(".lookup-options button:has-text('Workbench 1200 mm, standard')")
    pete.fill("input[name=quantity]", "3")
    pete.fill("input[name=due_date]", "2026-12-22")
    pete.check("input[name=demand_source][value=sales_order]")
    pete.fill("input[name=demand_reference]", "SO-2026-00130")
    pete.click("button:has-text('Start')")
    expect(pete.locator(".flash")).to_contain_text("Started")
    number = weft.records.search("work_order", sort="-id", per_page=1).records[0]["number"]

    # enough stock: the planner releases the order (materials are reserved)
    claim_and_open(pete, server, "Release work order", number)
    expect(pete.locator(".field[data-name=required_materials]")).to_contain_text("23.625")   # 7.5 m x 3 + 5 %
    pete.fill("input[name=planned_start]", "2026-12-01")
    complete(pete)

    stan = person(browser, server, "stan")
    claim_and_open(stan, server, "Issue materials", "MI-2026")      # the one issue waiting
    shot(stan, "manufacturing-issue")
    complete(stan)

    # the routing's four operations, in sequence, by whoever is free
    otto, olga = person(browser, server, "otto"), person(browser, server, "olga")
    for operator, minutes in ((otto, "28"), (olga, "45"), (otto, "50"), (olga, "38")):
        claim_and_open(operator, server, "Perform operation", number)
        operator.fill("input[name=actual_minutes]", minutes)
        complete(operator)

    quinn = person(browser, server, "quinn")
    claim_and_open(quinn, server, "Inspect quality", number)
    expect(quinn.locator(".field[data-name=sample_size]")).to_contain_text("2")
    quinn.fill("input[name=defects_found]", "0")
    shot(quinn, "manufacturing-inspection")
    quinn.click("button.outcome-pass")
    expect(quinn.locator(".flash")).to_contain_text("Task completed")

    claim_and_open(stan, server, "Receive finished goods", number)
    stan.fill("input[name=bin]", "FG-01")
    complete(stan)

    # the planner sees the order closed with its output
    pete.goto(f"{server}/records/work_order")
    pete.locator("table tbody tr", has_text=number).locator("a").first.click()
    expect(pete.locator("body")).to_contain_text("Closed")
    expect(pete.locator("body")).to_contain_text("3.000")
    shot(pete, "manufacturing-work-order")
    [bench] = [b for b in weft.records.search("stock_balance", {"warehouse": "finished_goods"}).records
               if b["id"] in {r["id"] for r in fg_before} and b["on_hand"] == 15]
    assert bench["version"] == 2
    wo = weft.records.search("work_order", {"number": number}).records[0]
    logs = weft.records.search("operation_log", {"work_order": str(wo["id"])}, sort="id").records
    assert [(log["sequence"], log["operator"]) for log in logs] == [(10, "otto"), (20, "olga"), (30, "otto"),
                                                                    (40, "olga")]
    for page in (pete, stan, otto, olga, quinn):
        assert page.errors == []
