"""The modeler in a real browser: an analyst opens a deployed process, changes a user task's
candidate groups in the properties panel, breaks a gateway and sees it marked, fixes it and
deploys version 2; diagrams drawn with Camunda's modelers come through unchanged.
Set WEFT_SCREENSHOTS=<folder> to keep docs/screenshots/modeler.png."""

from __future__ import annotations

import pytest
from lxml import etree
from playwright.sync_api import expect

from tests.conftest import CORPORA, ROOT
from tests.support.bpmn_semantics import semantics
from tests.support.browser import shot, sign_in

CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
CAMUNDA_7 = ROOT / "tests" / "support" / "camunda" / "invoice_check.bpmn"
MIWG = CORPORA / "miwg-reference"


@pytest.fixture
def analyst(weft, project):
    weft.deploy(project / "plugins" / "lab")
    weft.add_group("analyst")
    weft.add_user("ann", "secret-pass", groups=["analyst"])


def element(xml: str, element_id: str):
    return etree.fromstring(xml.encode()).xpath("//*[@id=$id]", id=element_id)[0]


def test_an_analyst_changes_a_process_fixes_a_broken_gateway_and_deploys_version_2(server, browser, analyst, weft):
    page = sign_in(browser, server, "ann")
    page.click("nav.mainnav a:has-text('Modeler')")
    page.click("a.process-link:has-text('Lab purchase')")
    expect(page.locator("#modeler.ready")).to_be_visible()
    status = page.locator("#modeler-status")

    # the approval task goes to the managers and the auditors
    page.locator(".djs-shape[data-element-id=approve]").click()
    page.click(".bio-properties-panel-group-header:has-text('Weft')")
    expect(page.locator("#bio-properties-panel-weft-formKey")).to_have_value("lab/approve_order")
    page.fill("#bio-properties-panel-weft-candidateGroups", "purchase_manager,auditors")
    expect(status).to_have_text("Unsaved changes")

    # without its default flow the gateway cannot route: validation marks it and lists why
    page.locator(".djs-shape[data-element-id=decided]").click()
    page.select_option("#bio-properties-panel-weft-default", "")
    page.click("button[data-action=validate]")
    expect(page.locator(".djs-shape.weft-problem[data-element-id=decided]")).to_be_visible()
    problem = page.locator("#modeler-problems li", has_text="non-default flow without condition")
    expect(problem).to_contain_text("decided")
    page.locator(".djs-shape[data-element-id=approve]").click()
    problem.locator("button[data-element=decided]").click()          # the list selects the element
    expect(page.locator(".djs-shape.selected[data-element-id=decided]")).to_be_visible()
    shot(page, "modeler")

    # the default flow back: no problems, and the next version is deployed
    page.select_option("#bio-properties-panel-weft-default", "flow_rejected")
    page.click("button[data-action=validate]")
    expect(status).to_have_text("No problems: the diagram can be deployed.")
    expect(page.locator(".weft-problem")).to_have_count(0)
    page.click("button[data-action=deploy]")
    expect(status).to_have_text("Deployed: lab_purchase version 2.")

    [definition] = weft.process_definitions()
    assert (definition.key, definition.version) == ("lab_purchase", 2)
    deployed = weft.modeler.diagram("lab_purchase", None, version=2)
    assert deployed.draft is None
    assert element(deployed.xml, "approve").get(f"{{{CAMUNDA}}}candidateGroups") == "purchase_manager,auditors"
    assert element(deployed.xml, "approve").get(f"{{{CAMUNDA}}}formKey") == "lab/approve_order"
    assert element(deployed.xml, "decided").get("default") == "flow_rejected"
    first = weft.modeler.diagram("lab_purchase", None, version=1)
    assert element(first.xml, "approve").get(f"{{{CAMUNDA}}}candidateGroups") == "purchase_manager"
    assert page.errors == []


def test_a_camunda_modeler_7_diagram_opens_saves_and_deploys_unchanged(server, browser, analyst, weft):
    page = sign_in(browser, server, "ann")
    page.goto(f"{server}/modeler/new")
    expect(page.locator("#modeler.ready")).to_be_visible()
    page.set_input_files("input[data-action=open]", str(CAMUNDA_7))
    expect(page.locator(".djs-shape[data-element-id=Activity_notify]")).to_be_visible()
    page.click("button[data-action=save]")
    expect(page.locator("#modeler-status")).to_have_text("Draft saved (version 1).")
    assert page.url.endswith("/modeler/invoice_check")
    page.click("button[data-action=deploy]")
    expect(page.locator("#modeler-status")).to_have_text("Deployed: invoice_check version 1.")

    deployed = weft.modeler.diagram("invoice_check", None, version=1).xml
    assert semantics(deployed) == semantics(CAMUNDA_7.read_bytes())
    assert page.errors == []


@pytest.mark.skipif(not MIWG.is_dir(), reason=f"public corpora not found at {CORPORA} "
                                              "(present on developer and CI machines)")
def test_camunda_corpus_diagrams_round_trip_through_the_modeler_unchanged(server, browser, analyst):
    page = sign_in(browser, server, "ann")
    page.goto(f"{server}/modeler/new")
    expect(page.locator("#modeler.ready")).to_be_visible()
    for path in sorted(MIWG.glob("C.9.*.bpmn")):               # drawn with Camunda's modeler
        exported = page.evaluate("""async (xml) => {
            const imported = await window.weftModeler.importXML(xml);
            return [(await window.weftModeler.saveXML({ format: true })).xml, imported.warnings.length];
        }""", path.read_text(encoding="utf-8"))
        assert exported[1] == 0, path.name
        assert semantics(exported[0]) == semantics(path.read_bytes()), path.name
    assert page.errors == []
