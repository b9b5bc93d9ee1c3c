"""Web UI cases found in review: what the inbox shows of unreadable records, sessions that end,
files in child rows, JSON text, colleagues' tasks, non-Latin file names, hostile inputs."""

from __future__ import annotations

import io

import pytest

from tests.support.modules import module_files
from tests.support.web import field_errors, signed_in, task_ids


@pytest.fixture
def lab(weft, project):
    weft.deploy(project / "plugins" / "lab")
    weft.add_group("admin")
    for name, groups in {"pam": ["purchaser"], "pat": ["purchaser"], "max": ["purchase_manager"], "eve": [],
                         "root": ["admin"]}.items():
        weft.add_user(name, groups=groups)
    return weft


def order_waiting_for_approval(app, lab):
    supplier = lab.records.create("supplier", {"name": "Acme"})
    pam = signed_in(app, "pam")
    pam.post("/start/lab_purchase")
    [task] = task_ids(pam.get("/inbox?view=group").text)
    pam.post(f"/tasks/{task}/claim")
    pam.post(f"/tasks/{task}/complete", data={"supplier": str(supplier["id"]), "description": "secret merger"})
    [approve] = task_ids(signed_in(app, "max").get("/inbox?view=group").text)
    return approve


def test_the_inbox_shows_and_filters_only_records_the_user_may_read(app, lab):
    approve = order_waiting_for_approval(app, lab)
    lab.assign(approve, "eve", by="root")
    eve = signed_in(app, "eve")
    page = eve.get("/inbox?view=mine").text
    assert task_ids(page) == [approve] and "PO-2026-00001" not in page and "Acme" not in page
    probe = eve.get("/inbox?view=mine&field.description__contains=merger")
    assert probe.status_code == 422 and task_ids(probe.text) == []
    assert "Purchase order" not in eve.get("/inbox").text.split("Record fields")[1].split("</fieldset>")[0]


def test_signing_out_or_a_new_password_ends_copied_sessions(app, weft):
    weft.add_user("ann", "first-password")
    browser = signed_in(app, None)
    browser.get("/login")
    browser.post("/login", data={"name": "ann", "password": "first-password"})
    cookie = browser.client.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/inbox").status_code == 200
    assert browser.post("/profile/password", data={"current_password": "first-password",
                                                   "password": "second-password"}).status_code == 302
    assert thief.get("/inbox").status_code == 302                  # the copy died with the old password
    assert browser.get("/inbox").status_code == 200                # this session goes on
    cookie = browser.client.get_cookie("session").value
    thief.set_cookie("session", cookie)
    assert thief.get("/inbox").status_code == 200
    browser.post("/logout")
    assert thief.get("/inbox").status_code == 302                  # signing out ends the copies too


def claims_module():
    return module_files("claims", {
        "plugins/claims/plugin.yaml": {"name": "claims", "version": "1.0.0", "roles": ["clerk"]},
        "plugins/claims/entities/claim.yaml": {
            "name": "claim", "fields": {"title": "string", "extra": "json",
                                        "docs": {"type": "table", "of": "claim_doc"}},
            "permissions": {"clerk": ["read", "create", "update"]}},
        "plugins/claims/entities/claim_doc.yaml": {"name": "claim_doc",
                                                   "fields": {"label": "string", "scan": "file"}},
    })


def test_files_in_child_rows_are_kept_uploaded_and_downloaded(app, weft):
    weft.deploy_modules([claims_module()])
    weft.add_user("cleo", groups=["clerk"])
    cleo = signed_in(app, "cleo")
    created = cleo.post("/records/claim/new", content_type="multipart/form-data", data={
        "title": "Dent", "docs-0-label": "photo", "docs-0-scan": (io.BytesIO(b"JPEG"), "фото.jpg", "image/jpeg")})
    assert created.status_code == 302, field_errors(created.text)
    url = created.headers["Location"]
    claim = weft.records.search("claim").records[0]
    [row] = claim["docs"]
    assert row["scan"]["name"] == "фото.jpg"
    detail = cleo.get(url).text
    link = f"/records/claim/{claim['id']}/rows/docs/{row['id']}/files/scan"
    assert link in detail
    download = cleo.get(link)
    assert download.data == b"JPEG"
    assert download.headers["Content-Disposition"] == \
        "attachment; filename=\".jpg\"; filename*=UTF-8''%D1%84%D0%BE%D1%82%D0%BE.jpg"
    edited = cleo.post(url + "/edit", data={"title": "Dent, rear", "version": "1",
                                            "docs-0-id": str(row["id"]), "docs-0-label": "photo 1"})
    assert edited.status_code == 302, field_errors(edited.text)
    [row] = weft.records.get("claim", claim["id"])["docs"]
    assert row["label"] == "photo 1" and row["scan"]["name"] == "фото.jpg"      # the file stayed


def test_json_text_survives_an_edit(app, weft):
    weft.deploy_modules([claims_module()])
    weft.add_user("cleo", groups=["clerk"])
    claim = weft.records.create("claim", {"title": "x", "extra": "hello"})
    cleo = signed_in(app, "cleo")
    form = cleo.get(f"/records/claim/{claim['id']}/edit").text
    assert 'class="mono">"hello"</textarea>' in form
    assert cleo.post(f"/records/claim/{claim['id']}/edit",
                     data={"title": "x", "extra": '"hello"', "version": "1"}).status_code == 302
    assert weft.records.get("claim", claim["id"])["extra"] == "hello"
    broken = cleo.post(f"/records/claim/{claim['id']}/edit", data={"title": "x", "extra": "{oops", "version": "1"})
    assert broken.status_code == 422 and any("not valid JSON" in e for e in field_errors(broken.text))
    assert "{oops</textarea>" in broken.text


def test_a_colleague_opens_a_task_claimed_in_their_group(app, lab):
    supplier = lab.records.create("supplier", {"name": "Acme"})
    pam, pat = signed_in(app, "pam"), signed_in(app, "pat")
    pam.post("/start/lab_purchase")
    [task] = task_ids(pam.get("/inbox?view=group").text)
    pam.post(f"/tasks/{task}/claim")
    assert task_ids(pat.get("/inbox?view=team").text) == [task]
    page = pat.get(f"/tasks/{task}")
    assert page.status_code == 200 and "pam" in page.text
    assert str(supplier["id"])


def test_hostile_or_absurd_inputs_are_refused_cleanly(app, lab):
    max_ = signed_in(app, "max")
    saved = max_.post("/inbox/views", data={"name": "x", "query": "view=mine\r\nSet-Cookie: a=b"})
    assert saved.status_code == 302 and saved.headers["Location"] == "/inbox"
    assert lab.inbox.saved_views("max") == []
    assert max_.get("/records/supplier?page=99999999999999999999").status_code == 200
    approve = order_waiting_for_approval(app, lab)
    max_.post(f"/tasks/{approve}/claim")
    page = max_.get(f"/tasks/{approve}").text
    assert page.index('class="no-implicit-submit"') < page.index("outcome-approve")   # Enter presses nothing
    assert 'list="weft-assignees"' in page and '<option value="eve">' not in page      # colleagues only
