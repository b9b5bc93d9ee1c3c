"""crm / lead_to_deal in the browser, as the demo users work it: Maria (marketing) captures a
lead from a trade fair, Sara (sales rep, north) qualifies it and quotes with a discount that
needs Victor's (sales manager) approval, then negotiates, wins and hands the deal off."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser import demo_user as person
from tests.support.browser import open_task, shot


def test_a_fair_lead_becomes_a_won_and_handed_off_deal(server, browser, demo):
    demo("crm")

    maria = person(browser, server, "maria")
    maria.click("text=Start")
    maria.click("text=New lead")
    maria.fill("input[name=person_name]", "Greta Holm")
    maria.fill("input[name=company_name]", "Holm Reederei KG")
    maria.fill("input[name=email]", "greta@holm.example")
    maria.select_option("select[name=source]", "exhibition")
    maria.fill(".field[data-name=campaign] .lookup-text", "Hannover")
    maria.click(".lookup-options button:has-text('Hannover Messe 2026')")
    maria.select_option("select[name=territory]", "north")
    maria.fill("textarea[name=interest]", "Ballast pumps for two vessels")
    maria.fill("input[name=estimated_value]", "30000")
    maria.click("button:has-text('Start')")
    expect(maria.locator(".flash")).to_contain_text("Started")

    # assigned by territory: Sara, the north rep, has the qualification in her own tasks
    sara = person(browser, server, "sara")
    open_task(sara, server, "Qualify lead", "Holm")
    sara.select_option("select[name=contact_kind]", "call_out")
    sara.fill("input[name=contact_subject]", "First call after the fair")
    sara.check("input[name=budget_confirmed]")
    sara.click("button.outcome-qualified")
    expect(sara.locator(".flash")).to_contain_text("Task completed")

    # the conversion opened a deal; the quote asks 20 % off, above what a rep may give
    open_task(sara, server, "Prepare quote", "Holm Reederei")
    sara.fill("input[name=valid_until]", "2026-02-15")
    sara.click("[data-add-row-to=lines]")
    sara.fill("tr.row .lookup-text", "P-300")
    sara.click(".lookup-options button:has-text('P-300')")
    sara.fill("input[name='lines-0-quantity']", "8")
    sara.fill("input[name='lines-0-unit_price']", "3900")
    sara.fill("input[name='lines-0-discount_pct']", "20")
    shot(sara, "crm-quote")
    sara.click("button:has-text('Complete')")
    expect(sara.locator(".flash")).to_contain_text("Task completed")

    victor = person(browser, server, "victor")
    open_task(victor, server, "Approve quote discount", "Holm", view="group")
    expect(victor.locator(".field[data-name=discount_pct] .readonly")).to_contain_text("20")
    expect(victor.locator(".field[data-name=lines] .readonly")).to_contain_text("Centrifugal pump P-300")
    victor.click("button.outcome-approve")
    expect(victor.locator(".flash")).to_contain_text("Task completed")

    open_task(sara, server, "Negotiate", "Holm")
    sara.click("button.outcome-agreed")
    expect(sara.locator(".flash")).to_contain_text("Task completed")
    open_task(sara, server, "Close the deal", "Holm")
    sara.click("button.outcome-won")
    expect(sara.locator(".flash")).to_contain_text("Task completed")
    open_task(sara, server, "Hand the deal off", "Holm")
    sara.fill("input[name=kickoff_on]", "2026-02-01")
    sara.fill("textarea[name=handoff_notes]", "Two vessels, docking in Kiel")
    sara.click("button:has-text('Complete')")
    expect(sara.locator(".flash")).to_contain_text("Task completed")

    # the deal is won at the discounted total, and the lead converted
    sara.goto(f"{server}/records/deal")
    sara.locator("table tbody tr", has_text="Holm").locator("a").first.click()
    expect(sara.locator("body")).to_contain_text("Won")
    expect(sara.locator("body")).to_contain_text("24960.00")
    shot(sara, "crm-deal")
    assert sara.errors == [] and victor.errors == [] and maria.errors == []
