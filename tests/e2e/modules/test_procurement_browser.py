"""procurement / purchase_to_pay in the browser, as the demo users work it: Rita requests
parts, Mark approves, Paul asks for quotes, records Acme's and orders from it, Stan receives the
goods, Alice registers the invoice (matched three ways), Fiona approves and Alice pays."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from tests.support.browser import demo_user as person
from tests.support.browser import open_task, shot

PURPOSE = "Steel tube for press line 2 guards"


def pick(page, scope: str, text: str, option: str) -> None:
    """Search a reference field as you type and pick an option."""
    page.fill(f"{scope} .lookup-text", text)
    page.click(f".lookup-options button:has-text('{option}')")


def complete(page, outcome: str | None = None) -> None:
    page.click(f"button.outcome-{outcome}" if outcome else "button:has-text('Complete')")
    expect(page.locator(".flash")).to_contain_text("Task completed")


def test_a_request_is_ordered_received_invoiced_and_paid(server, browser, demo, weft, clock):
    demo("procurement")

    rita = person(browser, server, "rita")
    rita.click("text=Start")
    rita.click("text=New purchase request")
    rita.fill("textarea[name=purpose], input[name=purpose]", PURPOSE)
    rita.select_option("select[name=department]", "production")
    rita.fill("input[name=needed_by]", "2026-02-02")
    rita.click("[data-add-row-to=lines]")
    pick(rita, "tr.row", "tube", "Steel tube 40 mm")
    rita.fill("input[name='lines-0-quantity']", "40")
    rita.fill("input[name='lines-0-unit_price']", "60")
    rita.click("button:has-text('Start')")
    expect(rita.locator(".flash")).to_contain_text("Started")

    mark = person(browser, server, "mark")                      # 2,400: above what needs no approval
    open_task(mark, server, "Approve purchase request", PURPOSE, view="group")
    expect(mark.locator(".field[data-name=total] .readonly")).to_contain_text("2400.00")
    complete(mark, "approve")

    paul = person(browser, server, "paul")
    open_task(paul, server, "Request supplier quotes", PURPOSE, view="group")
    paul.fill("input[name=rfq_deadline]", "2026-01-09")
    paul.fill("textarea[name=rfq_suppliers]", "Acme Industrial, Bolt Brothers")
    complete(paul)

    # Acme's answer arrives and is recorded while the RFQ is open
    paul.goto(f"{server}/records/supplier_quote/new")
    pick(paul, ".field[data-name=request]", "press line", PURPOSE)
    pick(paul, ".field[data-name=supplier]", "Acme", "Acme Industrial")
    paul.fill("input[name=total]", "2350")
    paul.fill("input[name=delivery_days]", "7")
    paul.click("button[type=submit].primary")
    expect(paul.locator(".flash")).to_be_visible()

    clock.now = dt.datetime(2026, 1, 9, 0, 0, 1, tzinfo=dt.UTC)          # the RFQ deadline passes
    assert weft.fire_due_timers() == 1

    open_task(paul, server, "Choose a quote", PURPOSE, view="group")
    pick(paul, ".field[data-name=chosen_quote]", "Acme", "Acme")
    complete(paul, "order")
    open_task(paul, server, "Confirm purchase order", "Acme", view="group")
    paul.fill("input[name=expected_date]", "2026-01-16")
    complete(paul)

    stan = person(browser, server, "stan")
    open_task(stan, server, "Receive goods", "Acme", view="group")
    stan.click("[data-add-row-to=lines]")
    pick(stan, "tr.row", "tube", "Steel tube 40 mm")
    stan.fill("input[name='lines-0-accepted_qty']", "40")
    stan.check("input[name=delivery_complete]")
    complete(stan)

    alice = person(browser, server, "alice")
    open_task(alice, server, "Register supplier invoice", "Acme", view="group")
    alice.fill("input[name=invoice_number]", "AC-2026-118")
    alice.fill("input[name=amount]", "2350")
    complete(alice)

    fiona = person(browser, server, "fiona")
    open_task(fiona, server, "Approve payment", "AC-2026-118", view="group")
    expect(fiona.locator(".field[data-name=status] .readonly")).to_contain_text("Matched")
    complete(fiona, "approve")

    open_task(alice, server, "Record payment", "AC-2026-118", view="group")
    alice.fill("input[name=reference]", "BANK-2026-0042")
    shot(alice, "procurement-payment")
    complete(alice)

    # the request is closed and its order paid
    rita.goto(f"{server}/records/purchase_request")
    rita_row = rita.locator("table tbody tr", has_text=PURPOSE)
    expect(rita_row).to_contain_text("Closed")
    for page in (rita, mark, paul, stan, alice, fiona):
        assert page.errors == []
