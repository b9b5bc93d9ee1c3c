"""claims in a browser, as the demo users work it: Clara registers a claim from the catalogue and
triages it, Hank assesses it above his authority, Susan approves the payout, Carl pays it, and the
claim's page shows it paid."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser import demo_user as person
from tests.support.browser import shot

SUBJECT = "Forklift crashed into a high rack"


def open_task(page, server, weft, element, view):
    """Find the claim's task in the inbox view, claim it if nobody holds it, and open its form."""
    [task] = [t for t in weft.tasks() if t.element_id == element and _ours(weft, t)]
    page.goto(f"{server}/inbox?view={view}")
    row = page.locator(f"tr#task-{task.id}")
    expect(row).to_be_visible()
    if task.assignee is None:
        row.locator("button:has-text('Claim')").click()
        expect(row.locator("td.assignee")).to_contain_text(page.user)
    row.locator("a.task-link").click()
    expect(page.locator("h1")).to_contain_text(task.name)


def _ours(weft, task) -> bool:
    claim_id = weft.instance(task.instance_id).variables.get("claim_id")
    return claim_id is not None and weft.records.get("claim", claim_id)["subject"] == SUBJECT


def test_a_claim_goes_from_the_clerk_to_the_payout(server, browser, demo, weft):
    demo("crm", "claims")

    # Clara registers the claim from the catalogue, picking the policy by the insured's name
    clara = person(browser, server, "clara")
    clara.click("text=Start")
    clara.click("text=Register a claim")
    clara.fill(".field[data-name=policy] .lookup-text", "Kühlhaus")
    clara.click(".lookup-options button:has-text('Elbe Kühlhaus GmbH')")
    clara.select_option("select[name=claim_type]", "property")
    clara.fill("input[name=subject]", SUBJECT)
    clara.fill("input[name=incident_date]", "2026-11-20")
    clara.fill("textarea[name=description]", "A forklift hit rack 14; the rack and forty cartons of stock came down.")
    clara.fill("input[name=claimed_amount]", "9500")
    clara.fill("input[name=reporter_name]", "Ines Vogt")
    clara.fill("input[name=reporter_email]", "ines.vogt@elbe-kuehlhaus.example")
    clara.click("button:has-text('Start')")
    expect(clara.locator(".flash")).to_contain_text("Started")

    # she triages it: the automatic coverage check is on the form
    open_task(clara, server, weft, "triage", "group")
    expect(clara.locator(".field[data-name=coverage_note]")).to_contain_text("covered by policy")
    clara.select_option("select[name=severity]", "moderate")
    clara.click("button.outcome-covered")
    expect(clara.locator(".flash")).to_contain_text("Task completed")

    # Hank got it round robin and assesses 9,000 of damage: above his authority
    hank = person(browser, server, "hank")
    open_task(hank, server, weft, "assess_claim", "mine")
    hank.fill("textarea[name=findings]", "Rack 14 bent beyond repair; 40 cartons of stock written off.")
    hank.select_option("select[name=cause]", "other")
    hank.fill("input[name=assessed_damage]", "9000")
    shot(hank, "claims-assessment")
    hank.click("button.outcome-pay")
    expect(hank.locator(".flash")).to_contain_text("Task completed")

    # Susan sees why it needs her and approves the payout
    susan = person(browser, server, "susan")
    open_task(susan, server, weft, "approve_claim", "group")
    expect(susan.locator(".field[data-name=authority_reason]")).to_contain_text("above the handler's authority limit")
    expect(susan.locator(".field[data-name=payout]")).to_contain_text("8000")
    susan.fill("textarea[name=supervisor_note]", "Photos and the rack invoice support the amount.")
    susan.click("button.outcome-approve")
    expect(susan.locator(".flash")).to_contain_text("Task completed")

    # Carl pays it
    carl = person(browser, server, "carl")
    open_task(carl, server, weft, "record_payout", "group")
    expect(carl.locator("input[name=amount]")).to_have_value("8000.00")
    carl.fill("input[name=iban]", "DE89370400440532013000")
    carl.fill("input[name=reference]", "CLP-2026-0999")
    carl.click("button:has-text('Complete')")
    expect(carl.locator(".flash")).to_contain_text("Task completed")

    # the claim's page shows it paid, and who did what
    [claim] = weft.records.search("claim", {"subject": SUBJECT}).records
    clara.goto(f"{server}/records/claim/{claim['id']}")
    expect(clara.locator("h1")).to_have_text(claim["number"])
    props = clara.locator("dl.props")
    expect(props).to_contain_text("Paid")
    expect(props).to_contain_text("hank")
    expect(props).to_contain_text("8000.00")
    expect(clara.locator("ol.timeline")).to_contain_text("claims_handling")
    shot(clara, "claims-claim")
    assert (claim["status"], claim["paid_amount"], claim["handler"]) == ("paid", 8000, "hank")
    for page in (clara, hank, susan, carl):
        assert page.errors == []
