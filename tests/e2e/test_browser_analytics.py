"""Process analytics in a real browser: the diagram becomes a heatmap of element durations,
with runs, averages and waiting instances on badges, beside the duration histogram.

WEFT_SCREENSHOTS=docs/screenshots keeps docs/screenshots/analytics.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import shot, sign_in
from tests.support.process_steps import do

# (requester, hours until the request is done, decision, hours until the decision)
PURCHASES = [("paul", 1, "approve", 6), ("rita", 3, "approve", 8), ("paul", 2, "reject", 3), ("rita", 1, None, 0),
             ("paul", None, None, 0)]


@pytest.fixture
def purchases(weft, project, clock):
    weft.deploy(project / "plugins" / "lab")
    weft.add_group("analyst")
    for name, groups in {"paul": ["purchaser"], "rita": ["purchaser"], "max": ["purchase_manager"],
                         "anna": ["analyst"]}.items():
        weft.add_user(name, "secret-pass", groups=groups)
    supplier = weft.records.create("supplier", {"name": "Acme Industrial"})["id"]
    for requester, request_hours, decision, decision_hours in PURCHASES:
        instance = weft.start("lab_purchase", user=requester).id
        if request_hours is None:
            continue
        clock.advance(hours=request_hours)
        do(weft, instance, "request", requester, {"supplier": supplier})
        if decision is not None:
            clock.advance(hours=decision_hours)
            do(weft, instance, "approve", "max", {"decision": decision, "comment": "Too expensive"})
    clock.advance(hours=2)


def test_the_analytics_page_shows_the_heatmap(server, browser, purchases):
    anna = sign_in(browser, server, "anna")
    anna.click("nav.mainnav a:has-text('Analytics')")
    row = anna.locator("table.analytics-table tbody tr", has_text="Lab purchase")
    expect(row.locator("td.num").first).to_have_text("5")
    row.locator("a.task-link").click()
    expect(anna.locator(".diagram.heatmap.ready")).to_be_visible()
    # the approval takes longest: the hottest colour, its runs and average on a badge
    expect(anna.locator(".djs-element.weft-heat-5")).to_have_count(1)
    expect(anna.locator('.djs-element.weft-heat-5[data-element-id="approve"]')).to_have_count(1)
    expect(anna.locator('.djs-element[data-element-id="request"]')).to_have_class(
        "djs-element djs-shape weft-heat-2")
    expect(anna.locator(".djs-overlay .heat-badge", has_text="3× · 5 h 40 min")).to_be_visible()
    expect(anna.locator(".djs-overlay .heat-badge.waiting")).to_have_count(2)      # one at each user task
    expect(anna.locator("canvas[data-drawn]")).to_have_count(1)
    expect(anna.locator(".bjs-powered-by")).to_be_visible()
    anna.set_viewport_size({"width": 1360, "height": 1300})
    shot(anna, "analytics")
    assert anna.errors == []
