"""The admin console in a real browser: an administrator finds a failed instance, retries its
incident with corrected data, and migrates it to the process's new version, where it goes on
along the new path.

With WEFT_SCREENSHOTS=<folder>: admin-instances.png and admin-instance.png (docs/screenshots)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.bpmn import chain, end, process_xml, script, start, user
from tests.support.browser import shot, sign_in


def invoice(second_approval: bool) -> str:
    nodes = [start("received", "Invoice received"), user("check", "Check invoice", camunda_candidateGroups="accounting"),
             script("tax", "tax = round(amount * rate, 2)", "Compute tax"),
             user("approve", "Approve payment", camunda_candidateGroups="managers")]
    path = ["received", "check", "tax", "approve"]
    if second_approval:
        nodes.append(user("approve_cfo", "CFO approval", camunda_candidateGroups="managers"))
        path.append("approve_cfo")
    return process_xml("invoice", [*nodes, end("paid", "Paid")], chain(*path, "paid"), name="Invoice approval")


@pytest.fixture
def invoices(weft, bpmn_file):
    weft.add_group("admin")
    weft.add_group("accounting")
    weft.add_user("root", "secret-pass", "root@weft.test", ["admin"], display_name="Ada Admin")
    weft.add_user("carl", "secret-pass", groups=["accounting"])
    path = bpmn_file(invoice(False), "invoice.bpmn")
    weft.deploy(path, user="root")
    started = {}
    for key, supplier, amount, rate in [("INV-1041", "Acme", 1200, 0.2), ("INV-1042", "Acme", 310, 0),
                                        ("INV-1043", "Bolt Brothers", 87, 0.2), ("INV-1044", "Acme", 5400, 0.2)]:
        variables = {"supplier": supplier, "amount": amount, **({"rate": rate} if rate else {})}
        started[key] = weft.start("invoice", variables, key, user="carl").id
    for key in ("INV-1042", "INV-1043"):
        [check] = weft.tasks(instance_id=started[key])
        weft.complete(check.id, {"checked": True}, user=None)
    assert weft.instance(started["INV-1042"]).state == "failed"         # the tax rate is missing
    path.write_text(invoice(True))
    weft.deploy(path, user="root")
    return started


def test_an_admin_retries_an_incident_and_migrates_an_instance(server, browser, weft, invoices):
    page = sign_in(browser, server, "root")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("nav.mainnav a:has-text('Admin')")
    expect(page.locator("h1")).to_have_text("Administration")

    # find the supplier's invoices by a variable's value
    page.fill("input[name=variable]", "supplier")
    page.fill("input[name=value]", "Acme")
    page.click("button:has-text('Search')")
    rows = page.locator("#instances tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("p.total")).to_have_text("3 instances")
    shot(page, "admin-instances")

    # the failed one: retry with the missing rate
    rows.filter(has_text="INV-1042").locator("a.task-link").click()
    expect(page.locator("#incidents")).to_contain_text("tax")
    page.fill("#retry-variables", '{"rate": 0.2}')
    page.click("#incidents button:has-text('Retry')")
    expect(page.locator(".flash")).to_have_text("Incident retried.")
    expect(page.locator("#state")).to_have_text("waiting")
    expect(page.locator("#incidents")).to_have_count(0)

    # then move it to version 2, which adds the CFO's approval
    page.select_option("#migrate select[name=version]", "2")
    page.click("#migrate button:has-text('Migrate')")
    expect(page.locator(".flash")).to_have_text("Instance migrated to version 2.")
    expect(page.locator("#version")).to_have_text("v2")
    expect(page.locator("#audit")).to_contain_text("instance.migrate")
    expect(page.locator("#audit")).to_contain_text("instance.retry")
    expect(page.locator(".diagram.ready")).to_be_visible()
    expect(page.locator(".djs-element.weft-active")).to_have_count(1)
    expect(page.locator(".djs-element[data-element-id=approve_cfo]")).to_have_count(1)     # version 2's diagram
    shot(page, "admin-instance")
    assert page.errors == []

    # the instance goes on along version 2's path
    instance_id = invoices["INV-1042"]
    assert weft.instance(instance_id).variables["tax"] == 62.0
    [approve] = weft.tasks(instance_id=instance_id)
    assert weft.complete(approve.id).active_elements == ["approve_cfo"]
