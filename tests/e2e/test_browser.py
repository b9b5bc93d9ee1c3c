"""The web UI in a real browser (Debian's chromium driven by Playwright): a request goes from the
requester through a group member's form (once wrong, then right) to a manager's approval, and
the instance page shows the path taken.

Set WEFT_SCREENSHOTS=<folder> to keep screenshots of the inbox, task and instance pages (the
ones in docs/ come from here)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import shot, sign_in


@pytest.fixture
def people(weft, project):
    weft.deploy(project / "plugins" / "lab")
    for name, groups in {"rita": ["purchaser"], "paul": ["purchaser"], "max": ["purchase_manager"]}.items():
        weft.add_user(name, "secret-pass", f"{name}@lab.test", groups)
    weft.records.create("supplier", {"name": "Acme Industrial"})
    weft.records.create("supplier", {"name": "Bolt Brothers"})


def test_a_request_travels_from_requester_to_approver(server, browser, people, weft):
    # the requester starts the process from the catalogue
    rita = sign_in(browser, server, "rita")
    rita.click("text=Start")
    rita.click("text=New purchase request")
    rita.click("button:has-text('Start')")
    expect(rita.locator("h1")).to_contain_text("Lab purchase")

    # a member of the group claims the request from the group's tasks, without reloading the page
    paul = sign_in(browser, server, "paul")
    paul.click("a.view:has-text('Group tasks')")
    row = paul.locator("table.tasks tbody tr").first
    expect(row).to_contain_text("Request purchase")
    row.locator("button:has-text('Claim')").click()
    expect(row.locator("td.assignee")).to_contain_text("paul")
    row.locator("a.task-link").click()

    # first submission: the required supplier is missing -> errors next to fields, typed values kept
    paul.fill("textarea[name=description]", "Spare bolts for line 3")
    paul.fill("input[name=deliver_by]", "2026-07-01T10:00")
    paul.click("[data-add-row-to=lines]")
    paul.fill("input[name='lines-0-item']", "Bolt M8")
    paul.fill("input[name='lines-0-quantity']", "40")
    paul.click("button:has-text('Complete')")
    expect(paul.locator(".field[data-name=supplier] .field-error")).to_have_text("required")
    expect(paul.locator("textarea[name=description]")).to_have_value("Spare bolts for line 3")
    expect(paul.locator("input[name='lines-0-item']")).to_have_value("Bolt M8")
    expect(paul.locator(".field-error", has_text="price")).to_be_visible()

    # the reason becomes required (and shown as such) when the order is urgent
    paul.check("input[name=urgent]")
    expect(paul.locator(".field[data-name=reason] .req")).to_be_visible()
    paul.fill("textarea[name=reason]", "Line stopped")

    # second submission: supplier picked by searching as you type, price filled in
    paul.fill(".field[data-name=supplier] .lookup-text", "Bolt")
    paul.click(".lookup-options button:has-text('Bolt Brothers')")
    paul.fill("input[name='lines-0-price']", "0.35")
    shot(paul, "task-page")
    paul.click("button:has-text('Complete')")
    expect(paul.locator(".flash")).to_contain_text("Task completed")

    # a second user sees the next task, with the order's number and supplier, and approves it
    max_ = sign_in(browser, server, "max")
    max_.click("a.view:has-text('Group tasks')")
    row = max_.locator("table.tasks tbody tr").first
    expect(row).to_contain_text("Approve purchase")
    expect(row).to_contain_text("PO-2026-00001 · Bolt Brothers")
    shot(max_, "inbox")
    row.locator("button:has-text('Claim')").click()
    expect(row.locator("td.assignee")).to_contain_text("max")
    row.locator("a.task-link").click()
    expect(max_.locator(".diagram.ready")).to_be_visible()
    expect(max_.locator(".djs-element.weft-current")).to_have_count(1)
    max_.click("button.outcome-approve")
    expect(max_.locator(".flash")).to_contain_text("Task completed")

    # the instance page shows the path taken
    rita.click("text=My requests")
    rita.locator("table.tasks tbody tr a").first.click()
    expect(rita.locator(".chip.state-completed")).to_be_visible()
    expect(rita.locator(".diagram.ready")).to_be_visible()
    completed = rita.locator(".djs-element.weft-completed")
    expect(completed).to_have_count(8)           # start, request, submit, read, approve, gateway, approved, end
    expect(rita.locator(".djs-element.weft-completed[data-element-id=mark_rejected]")).to_have_count(0)
    expect(rita.locator(".bjs-powered-by")).to_be_visible()           # the bpmn.io watermark stays
    expect(rita.locator("ol.timeline")).to_contain_text("Approve purchase")
    shot(rita, "instance-page")
    order = weft.records.search("purchase_order").records[0]
    assert order["status"] == "approved"
    assert order["deliver_by"].isoformat() == "2026-07-01T08:00:00+00:00"        # 10:00 Berlin summer time
    for page in (rita, paul, max_):
        assert page.errors == []
