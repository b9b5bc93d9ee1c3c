"""The form and entity editors through the Flask test client: the deployed YAML, previews
rendered by the task page's macros, schema changes and refusals, deploys (forced by name when
data would be lost), conflicts, and who may use them."""

from __future__ import annotations

import html
import re

from sqlalchemy import inspect

from tests.integration.test_editors import lab_fixture  # noqa: F401 (the fixture)
from tests.support.web import field_errors, signed_in

FORM_PAGE = "/editor/forms/lab/approve_order"
ENTITY_PAGE = "/editor/entities/lab/purchase_order"


def source(page: str) -> str:
    return html.unescape(re.search(r'<textarea id="source"[^>]*>(.*?)</textarea>', page, re.S).group(1))


def columns(weft) -> set[str]:
    with weft.database.engine.connect() as conn:
        return {c["name"] for c in inspect(conn).get_columns("ent_purchase_order")}


def test_the_form_editor_previews_the_edit_as_the_task_page_draws_it(app, lab):
    anna = signed_in(app, "anna")
    page = anna.get(FORM_PAGE).text
    text = source(page)
    assert text == (lab.project / "forms/lab/approve_order.yaml").read_text()
    assert 'class="outcome outcome-approve"' in page and 'data-name="comment"' in page     # the initial preview
    added = text.replace("      - {name: comment,", "      - {name: cost_centre, type: string, required: true,"
                                                   " label: {en: Cost centre}}\n      - {name: comment,")
    fragment = anna.post(f"{FORM_PAGE}/preview", {"source": added}, htmx=True)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert re.search(r'<div class="field field-string" data-name="cost_centre">\s*<label for="f-cost_centre">Cost centre'
                     r'<span class="req" ', fragment.text)
    wrong = anna.post(f"{FORM_PAGE}/preview", {"source": text.replace("{field: total", "{field: totl")}, htmx=True).text
    assert "forms/lab/approve_order.yaml [sections[0].fields[1].field]</span>: purchase_order has no field &#39;totl&#39;" \
        in wrong
    # a default worked out from the instance's variables stays empty, as on a new instance's task page
    expression = text.replace("{field: supplier, readonly: true}", '{field: supplier, readonly: true, default: "${po}"}')
    drawn = anna.post(f"{FORM_PAGE}/preview", {"source": expression}, htmx=True)
    assert drawn.status_code == 200 and 'data-name="supplier"' in drawn.text and "${po}" not in drawn.text
    broken = anna.post(f"{FORM_PAGE}/preview", {"source": "name: [approve"}, htmx=True).text
    assert "forms/lab/approve_order.yaml" in broken and "line" in broken and "weft-form" not in broken


def test_a_form_edit_is_deployed_and_a_stale_one_is_refused_keeping_the_text(app, lab):
    anna = signed_in(app, "anna")
    text = source(anna.get(FORM_PAGE).text)
    edited = text.replace("Approve purchase order", "Check purchase order")
    done = anna.post(FORM_PAGE, {"source": edited, "base_version": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith(FORM_PAGE)
    page = anna.get(FORM_PAGE).text
    assert "Deployed module lab, version 2." in page and "Check purchase order" in source(page)
    stale = anna.post(FORM_PAGE, {"source": text + "# mine\n", "base_version": "1"})
    assert stale.status_code == 409 and "deployed meanwhile" in stale.text
    assert source(stale.text) == text + "# mine\n"                               # nothing typed is lost
    renamed = anna.post(FORM_PAGE, {"source": edited.replace("name: approve_order", "name: other"), "base_version": "2"})
    assert renamed.status_code == 422 and "forms/lab/approve_order.yaml [name]" in renamed.text
    assert "Not deployed" in renamed.text


def test_an_entity_edit_shows_its_schema_change_and_losing_data_needs_force(app, lab):
    anna = signed_in(app, "anna")
    text = source(anna.get(ENTITY_PAGE).text)
    added = text.replace("  urgent:", "  cost_centre:   {type: string, length: 20}\n  urgent:")
    preview = anna.post(f"{ENTITY_PAGE}/preview", {"source": added}, htmx=True).text
    assert "add_column purchase_order.cost_centre: string(20)" in preview
    assert "ALTER TABLE ent_purchase_order ADD COLUMN cost_centre VARCHAR(20);" in preview
    supplier = lab.records.create("supplier", {"name": "Acme"})["id"]
    for phone in ("+49 30 1234", "+49 40 5678", "+49 89 9012"):
        lab.records.create("purchase_order", {"supplier": supplier, "contact_phone": phone})
    removed = text.replace("  contact_phone: {type: phone}\n", "")
    refused = anna.post(f"{ENTITY_PAGE}/preview", {"source": removed}, htmx=True).text
    assert 'name="force" value="purchase_order.contact_phone" form="editor-form"' in refused
    assert "removing the field would delete its values in 3 rows" in refused and "DROP COLUMN" not in refused
    forced = anna.post(f"{ENTITY_PAGE}/preview", {"source": removed, "force": "purchase_order.contact_phone"}, htmx=True)
    assert "checked" in forced.text and "ALTER TABLE ent_purchase_order DROP COLUMN contact_phone;" in forced.text
    not_forced = anna.post(ENTITY_PAGE, {"source": removed, "base_version": "1"})
    assert not_forced.status_code == 422 and "delete its values in 3 rows" in not_forced.text
    assert 'value="purchase_order.contact_phone"' in not_forced.text and source(not_forced.text) == removed
    assert "contact_phone" in columns(lab)
    deployed = anna.post(ENTITY_PAGE, {"source": removed, "base_version": "1", "force": "purchase_order.contact_phone"})
    assert deployed.status_code == 302 and "contact_phone" not in columns(lab)
    assert lab.records.search("purchase_order").total == 3


def test_bad_input_is_refused_and_changes_nothing(app, lab):
    anna = signed_in(app, "anna")
    assert anna.post(f"{ENTITY_PAGE}/preview", {"source": "x", "force": "Robert'); DROP"}, htmx=True).status_code == 400
    assert anna.post(FORM_PAGE, {"source": "name: approve_order"}).status_code == 400            # no base version
    assert anna.post("/editor/forms/lab/nope/preview", {"source": "name: nope"}, htmx=True).status_code == 404
    assert anna.get("/editor/reports/lab/x").status_code == 404
    assert "no module &#39;crm&#39;" in anna.get("/editor/forms/crm/approve_order").text
    empty = anna.post(ENTITY_PAGE, {"source": "", "base_version": "1"})
    assert empty.status_code == 422 and "plugins/lab/entities/purchase_order.yaml" in empty.text
    assert field_errors(empty.text) == [] and "contact_phone" in columns(lab)


def test_only_analysts_and_administrators_edit(app, lab):
    emma = signed_in(app, "emma")
    assert emma.get("/editor").status_code == 403
    assert emma.get(FORM_PAGE).status_code == 403
    assert emma.post(f"{FORM_PAGE}/preview", {"source": "name: approve_order"}, htmx=True).status_code == 403
    assert emma.post(FORM_PAGE, {"source": "name: approve_order", "base_version": "1"}).status_code == 403
    assert 'href="/editor"' not in emma.get("/inbox").text
    anna = signed_in(app, "anna")
    index = anna.get("/editor").text
    assert f'href="{FORM_PAGE}"' in index and f'href="{ENTITY_PAGE}"' in index
    no_token = app.test_client()
    with no_token.session_transaction() as session:
        session["user"], session["epoch"] = "anna", lab.accounts.user("anna").session_epoch
    assert no_token.post(FORM_PAGE, data={"source": "x", "base_version": "1"}).status_code == 400
