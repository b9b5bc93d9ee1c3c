"""The form editor in a real browser: typing YAML updates the preview (drawn as the task page
draws forms) and names the file and key of a mistake; deploying makes the new version.

WEFT_SCREENSHOTS=docs/screenshots keeps docs/screenshots/form-editor.png."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import shot, sign_in


def test_the_form_editor_previews_as_you_type(server, browser, weft, project):
    weft.deploy(project / "plugins" / "lab")
    weft.add_group("analyst")
    weft.add_user("anna", "secret-pass", groups=["analyst"])
    anna = sign_in(browser, server, "anna")
    anna.click("nav.mainnav a:has-text('Editor')")
    anna.click("a:has-text('approve_order')")
    preview = anna.locator("#preview")
    expect(preview.locator("button.outcome-approve")).to_be_visible()
    source = anna.locator("textarea#source")
    text = source.input_value()
    # a new required field appears in the preview, with the required marker
    source.fill(text.replace("      - {name: comment,", "      - {name: cost_centre, type: choice, options: [lab, "
                             "plant], required: true, label: {en: Cost centre}}\n      - {name: comment,"))
    field = preview.locator(".field[data-name=cost_centre]")
    expect(field.locator("label")).to_contain_text("Cost centre")
    expect(field.locator("select option")).to_have_count(3)
    # a mistake names the file and key, and the form is not drawn
    source.fill(text.replace("{field: total", "{field: totl"))
    expect(preview.locator(".problems")).to_contain_text("forms/lab/approve_order.yaml [sections[0].fields[1].field]")
    source.fill(text.replace("      - {name: comment,", "      - {name: cost_centre, type: choice, options: [lab, "
                             "plant], required: true, label: {en: Cost centre}}\n      - {name: comment,"))
    expect(field).to_be_visible()
    shot(anna, "form-editor")
    anna.click("button:has-text('Deploy')")
    expect(anna.locator(".flash")).to_contain_text("Deployed module lab, version 2.")
    expect(anna.locator("textarea#source")).to_have_value(re.compile("name: cost_centre"))
    assert anna.errors == []
