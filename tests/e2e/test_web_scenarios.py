"""Analysts simulate the modules' scenario files in the browser: a dry run in a throw-away
database; the path it took, or what went wrong, is shown; nothing is saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import shot, sign_in
from tests.support.web import signed_in

FILE = "processes/crm/scenarios/lead_unqualified.yaml"


@pytest.fixture
def people(weft):
    weft.add_group("analyst")
    weft.add_user("anna", "secret-pass", groups=["analyst"])
    weft.add_user("emma", "secret-pass")


def test_analysts_list_edit_and_simulate_scenarios(app, weft, people):
    anna = signed_in(app, "anna")
    listed = anna.get("/scenarios").text
    assert FILE in listed and "A lead that does not fit ends unqualified" in listed
    page = anna.get(f"/scenarios/{FILE}")
    assert page.status_code == 200 and "qualification: unqualified" in page.text
    text = (weft_root := app.extensions["weft"].settings.project_root) and open(f"{weft_root}/{FILE}").read()
    passed = anna.post(f"/scenarios/{FILE}", data={"text": text}).text
    assert "result-passed" in passed and "lead_unqualified" in passed
    failing = anna.post(f"/scenarios/{FILE}", data={"text": text.replace("state: completed", "state: waiting")}).text
    assert "result-failed" in failing
    assert f"{FILE} [expect.state]: expected waiting, the instance is completed" in failing
    broken = anna.post(f"/scenarios/{FILE}", data={"text": "process: [1"}).text
    assert "not valid YAML" in broken
    assert anna.get("/scenarios/processes/crm/scenarios/nothing.yaml").status_code == 404
    assert anna.get("/scenarios/plugins/crm/plugin.yaml").status_code == 404          # only scenario files
    assert anna.get(f"/scenarios/diagram/{FILE}").text.startswith("<?xml")
    assert weft.process_definitions() == []                                          # nothing was deployed here
    assert signed_in(app, "emma").get("/scenarios").status_code == 403


def test_the_simulated_path_is_drawn_on_the_diagram(server, browser, people):
    anna = sign_in(browser, server, "anna")
    anna.click("nav.mainnav >> text=Scenarios")
    anna.click("text=A fair lead is qualified")
    anna.click("button:has-text('Simulate')")
    expect(anna.locator(".result-passed")).to_be_visible(timeout=60_000)
    expect(anna.locator(".diagram.ready")).to_be_visible()
    expect(anna.locator(".djs-element.weft-completed[data-element-id=qualify_lead]")).to_have_count(1)
    expect(anna.locator(".djs-element.weft-completed[data-element-id=deal_in_progress]")).to_have_count(1)
    shot(anna, "scenario-simulation")
    assert anna.errors == []
