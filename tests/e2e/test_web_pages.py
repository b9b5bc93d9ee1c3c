"""The web UI through Flask's test client: sign-in, the inbox, task pages with forms, starting
processes, instances, records, notifications, languages."""

from __future__ import annotations

import re

import pytest

from tests.support.web import field_errors, signed_in, task_ids


@pytest.fixture
def lab(weft, project):
    weft.deploy(project / "plugins" / "lab")
    weft.add_group("admin")
    weft.add_user("pam", email="pam@lab.test", groups=["purchaser"])
    weft.add_user("max", email="max@lab.test", groups=["purchase_manager"])
    weft.add_user("sam", groups=["purchase_manager"])
    weft.add_user("eve")
    weft.add_user("root", groups=["admin"])
    return weft


@pytest.fixture
def acme(lab):
    return lab.records.create("supplier", {"name": "Acme"})


def request_order(lab, acme, pam, lines=None):
    """pam starts a purchase and submits the request form."""
    started = pam.post("/start/lab_purchase")
    assert started.status_code == 302
    [task] = task_ids(pam.get("/inbox?view=group").text)
    assert pam.post(f"/tasks/{task}/claim").status_code == 302
    done = pam.post(f"/tasks/{task}/complete", data={
        "supplier": str(acme["id"]), "lines-0-item": "Bolt", "lines-0-quantity": "4", "lines-0-price": "2.50",
        "description": "for the line"})
    assert done.status_code == 302, field_errors(done.text)
    return started.headers["Location"].rsplit("/", 1)[1]


def test_pages_need_a_signed_in_user(app, lab):
    anonymous = signed_in(app, None)
    for url in ("/inbox", "/start", "/requests", "/records", "/profile", "/notifications", "/admin/users"):
        response = anonymous.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next="), url
    assert anonymous.get("/inbox/list", headers={"HX-Request": "true"}).status_code == 401


def test_sign_in_out_and_rate_limit(app, weft):
    weft.add_user("ann", "right-password")
    browser = signed_in(app, None)
    wrong = browser.post("/login", data={"name": "ann", "password": "nope"})
    assert wrong.status_code == 401 and "Unknown user name or wrong password." in wrong.text
    good = browser.post("/login", data={"name": "ann", "password": "right-password", "next": "/requests"})
    assert good.status_code == 302 and good.headers["Location"] == "/requests"
    assert browser.get("/inbox").status_code == 200
    assert browser.post("/logout").status_code == 302
    assert browser.get("/inbox").status_code == 302
    browser.get("/login")                                   # a fresh form, with a fresh token
    off_site = browser.post("/login", data={"name": "ann", "password": "right-password", "next": "//evil.test/x"})
    assert off_site.headers["Location"] == "/inbox"
    browser.post("/logout")
    browser.get("/login")
    for _ in range(4):
        browser.post("/login", data={"name": "ann", "password": "guess"})
    locked = browser.post("/login", data={"name": "ann", "password": "right-password"})
    assert locked.status_code == 429 and "Too many failed attempts" in locked.text


def test_state_changes_need_the_csrf_token(app, lab):
    browser = signed_in(app, "pam")
    response = browser.client.post("/start/lab_purchase", data={})
    assert response.status_code == 400
    assert lab.instances.instances()[1] == 0


def test_inbox_views_counts_filters_and_saved_views(app, lab, acme):
    pam, max_, sam = signed_in(app, "pam"), signed_in(app, "max"), signed_in(app, "sam")
    request_order(lab, acme, pam)
    other = lab.records.create("supplier", {"name": "Bolt Bros"})
    request_order(lab, other, pam)
    page = max_.get("/inbox?view=group").text
    assert len(task_ids(page)) == 2 and "PO-2026-00001 · Acme" in page and "Bolt Bros" in page
    assert re.search(r'id="count-group">2<', page) and re.search(r'id="count-mine">0<', page)
    first = task_ids(page)[0]
    row = max_.post(f"/tasks/{first}/claim", data={"part": "row"}, htmx=True)
    assert row.status_code == 200 and row.text.lstrip().startswith(f'<tr id="task-{first}"') and "Release" in row.text
    assert len(task_ids(max_.get("/inbox?view=mine").text)) == 1
    assert len(task_ids(sam.get("/inbox?view=group").text)) == 1          # claimed by max: not claimable
    assert len(task_ids(sam.get("/inbox?view=team").text)) == 2          # but visible to his group
    by_supplier = max_.get(f"/inbox/list?view=team&rf_field=supplier&rf_op=eq&rf_value={other['id']}",
                           headers={"HX-Request": "true"})
    assert len(task_ids(by_supplier.text)) == 1 and "Bolt Bros" in by_supplier.text
    assert 'hx-swap-oob="true"' in by_supplier.text
    by_total = max_.get("/inbox?view=team&field.total__gt=5").text
    assert len(task_ids(by_total)) == 2
    assert task_ids(max_.get("/inbox?view=team&field.total__gt=10").text) == []
    bad = max_.get("/inbox?view=team&field.colour=red")
    assert bad.status_code == 422 and "no entity you may read has this field" in bad.text
    saved = max_.post("/inbox/views", data={"name": "Bolt Bros orders", "query": f"view=team&field.supplier={other['id']}"})
    assert saved.status_code == 302
    page = max_.get("/inbox").text
    assert "Bolt Bros orders" in page and f"field.supplier={other['id']}" in page
    assert "Bolt Bros orders" not in sam.get("/inbox").text


def test_task_form_errors_keep_what_was_typed(app, lab, acme):
    pam = signed_in(app, "pam")
    pam.post("/start/lab_purchase")
    [task] = task_ids(pam.get("/inbox?view=group").text)
    page = pam.get(f"/tasks/{task}").text
    assert "Claim this task to work on it." in page and 'class="weft-form"' not in page
    pam.post(f"/tasks/{task}/claim")
    page = pam.get(f"/tasks/{task}").text
    assert 'class="weft-form"' in page and 'data-row-template="lines"' in page and "Why now?" in page
    response = pam.post(f"/tasks/{task}/complete", data={
        "urgent": "true", "description": "typed <b>text</b>", "lines-0-item": "Bolt", "lines-0-quantity": "x"})
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert "required" in errors                                   # supplier, reason (required_when urgent)
    assert "typed &lt;b&gt;text&lt;/b&gt;</textarea>" in response.text
    assert 'name="lines-0-item" type="text" value="Bolt"' in response.text
    assert lab.records.search("purchase_order").total == 0
    done = pam.post(f"/tasks/{task}/complete", data={"supplier": str(acme["id"]), "urgent": "true", "reason": "stock",
                                                     "lines-0-item": "Bolt", "lines-0-quantity": "1",
                                                     "lines-0-price": "3"})
    assert done.status_code == 302 and done.headers["Location"] == "/inbox"
    assert lab.records.search("purchase_order").records[0]["total"] == 3


def test_outcome_buttons_and_conditions(app, lab, acme):
    pam, max_ = signed_in(app, "pam"), signed_in(app, "max")
    instance_id = request_order(lab, acme, pam)
    [task] = task_ids(max_.get("/inbox?view=group").text)
    max_.post(f"/tasks/{task}/claim")
    page = max_.get(f"/tasks/{task}").text
    assert 'name="decision" value="approve" class="outcome outcome-approve"' in page
    conditions = max_.post(f"/tasks/{task}/conditions", data={"decision": "reject"}).json
    assert conditions["fields"]["comment"] == {"visible": True, "required": True}
    assert max_.post(f"/tasks/{task}/conditions", data={"decision": "approve"}).json["fields"]["comment"]["required"] \
        is False
    refused = max_.post(f"/tasks/{task}/complete", data={"decision": "reject"})
    assert refused.status_code == 422 and "required" in field_errors(refused.text)
    assert max_.post(f"/tasks/{task}/complete", data={"decision": "approve"}).status_code == 302
    assert lab.instance(instance_id).state == "completed"
    order = lab.records.search("purchase_order").records[0]
    assert order["status"] == "approved"


def test_comments_files_and_history_on_a_task(app, lab, acme):
    pam, max_, eve = signed_in(app, "pam"), signed_in(app, "max"), signed_in(app, "eve")
    instance_id = request_order(lab, acme, pam)
    [task] = task_ids(max_.get("/inbox?view=group").text)
    part = max_.post(f"/tasks/{task}/comments", data={"text": "<script>alert(1)</script> looks fine"}, htmx=True)
    assert part.status_code == 200 and "&lt;script&gt;alert(1)&lt;/script&gt; looks fine" in part.text
    assert "<script>alert(1)" not in part.text
    uploaded = max_.post(f"/tasks/{task}/files", data={"file": (__import__("io").BytesIO(b"quote"), "q.txt")},
                         content_type="multipart/form-data")
    assert uploaded.status_code == 302
    page = max_.get(f"/tasks/{task}").text
    file_link = re.search(r'href="(/instances/[0-9a-f-]+/files/\d+)"', page).group(1)
    assert max_.get(file_link).data == b"quote"
    assert eve.get(file_link).status_code == 404
    assert "Request purchase" in page and "pam" in page                          # history: who did what
    instance_page = pam.get(f"/instances/{instance_id}").text
    assert "looks fine" in instance_page and "Variables" in instance_page       # the starter sees variables
    assert "Variables" not in max_.get(f"/instances/{instance_id}").text
    diagram = max_.get(f"/instances/{instance_id}/diagram.bpmn")
    assert diagram.status_code == 200 and b"BPMNShape" in diagram.data
    assert eve.get(f"/instances/{instance_id}").status_code == 404


def test_start_catalogue_and_my_requests(app, lab, acme):
    pam = signed_in(app, "pam")
    catalogue = pam.get("/start").text
    assert "New purchase request" in catalogue and "/start/lab_purchase" in catalogue
    instance_id = request_order(lab, acme, pam)
    requests = pam.get("/requests").text
    assert f"/instances/{instance_id}" in requests and "Lab purchase" in requests
    assert f"/instances/{instance_id}" not in signed_in(app, "max").get("/requests").text


def test_records_pages_follow_permissions(app, lab, acme):
    pam, max_, eve = signed_in(app, "pam"), signed_in(app, "max"), signed_in(app, "eve")
    assert "Purchase order" in pam.get("/records").text
    assert eve.get("/records/supplier").status_code == 404
    assert pam.get("/records/supplier/new").status_code == 403
    created = max_.post("/records/supplier/new", data={"name": "New Co", "rating": "3", "active": "true"})
    assert created.status_code == 302
    record_url = created.headers["Location"]
    detail = max_.get(record_url).text
    assert "New Co" in detail and "create" in detail
    edit_url = record_url + "/edit"
    assert 'name="version" value="1"' in max_.get(edit_url).text
    stale = max_.post(edit_url, data={"name": "New Co", "rating": "4", "version": "0"})
    assert stale.status_code == 302 and stale.headers["Location"].endswith("/edit")
    saved = max_.post(edit_url, data={"name": "New Co", "rating": "4", "version": "1"})
    assert saved.status_code == 302
    invalid = max_.post(edit_url, data={"name": "", "rating": "many", "version": "2"})
    assert invalid.status_code == 422 and field_errors(invalid.text)
    listing = pam.get("/records/supplier?rf_field=rating&rf_op=gte&rf_value=4").text
    assert "New Co" in listing and "Acme" not in listing
    assert pam.post(record_url + "/delete", data={"version": "2"}).status_code == 403
    assert max_.post(record_url + "/delete", data={"version": "2"}).status_code == 302
    options = pam.get("/lookup/supplier?q=Ac&target=f-supplier").text
    assert f'data-pick="{acme["id"]}"' in options and "Acme" in options
    assert eve.get("/lookup/supplier?q=Ac").status_code == 403


def test_notifications_in_app_and_by_mail(app, lab, acme):
    pam, max_ = signed_in(app, "pam"), signed_in(app, "max")
    request_order(lab, acme, pam)
    lab.run_jobs()
    badge = max_.get("/notifications/badge").text
    assert 'class="badge-count"' in badge and ">1<" in badge
    page = max_.get("/notifications").text
    assert "New task for your group: Approve purchase" in page
    from sqlalchemy import select

    from weft.persistence.tables import mail_outbox
    with lab.database.engine.connect() as conn:
        mails = conn.execute(select(mail_outbox.c.recipients, mail_outbox.c.subject)).all()
    assert (["max@lab.test"], "New task for your group: Approve purchase") in [(list(r[0]), r[1]) for r in mails]
    assert max_.post("/notifications/read").status_code == 302
    assert 'class="badge-count"' not in max_.get("/notifications/badge").text
    [task] = task_ids(max_.get("/inbox?view=group").text)
    max_.post(f"/tasks/{task}/assign", data={"user": "sam"})
    assert "Task assigned to you: Approve purchase" in signed_in(app, "sam").get("/notifications").text


def test_pages_speak_russian(app, lab):
    pam = signed_in(app, "pam")
    assert pam.post("/language", data={"locale": "ru", "next": "/inbox"}).status_code == 302
    page = pam.get("/inbox").text
    assert "Мои задачи" in page and '<html lang="ru">' in page
    assert lab.accounts.user("pam").locale == "ru"
    catalogue = pam.get("/start").text
    assert "Новая заявка" in catalogue
    records = pam.get("/records").text
    assert "Заказ поставщику" in records                                   # labels from data, translated


def test_admins_manage_users(app, lab):
    root, pam = signed_in(app, "root"), signed_in(app, "pam")
    assert pam.get("/admin/users").status_code == 403
    assert root.post("/admin/users", data={"name": "newbie", "password": "longenough", "groups": "purchaser"}
                     ).status_code == 302
    assert lab.accounts.user("newbie").groups == ("purchaser",)
    root.post("/admin/users/newbie", data={"groups": ["purchaser", "purchase_manager"], "active": "true"})
    assert lab.accounts.user("newbie").groups == ("purchase_manager", "purchaser")
    root.post("/admin/users/newbie", data={})
    assert lab.accounts.user("newbie").is_active is False
    assert pam.post("/admin/users", data={"name": "x", "password": "longenough"}).status_code == 403


def test_a_file_field_of_a_form_uploads_to_attachments(app, lab, acme):
    import io

    pam = signed_in(app, "pam")
    pam.post("/start/lab_purchase")
    [task] = task_ids(pam.get("/inbox?view=group").text)
    pam.post(f"/tasks/{task}/claim")
    done = pam.post(f"/tasks/{task}/complete", content_type="multipart/form-data", data={
        "supplier": str(acme["id"]), "quote": (io.BytesIO(b"%PDF quote"), "quote.pdf", "application/pdf")})
    assert done.status_code == 302, field_errors(done.text)
    order = lab.records.search("purchase_order").records[0]
    assert order["quote"]["name"] == "quote.pdf"
    download = pam.get(f"/records/purchase_order/{order['id']}/files/quote")
    assert download.data == b"%PDF quote" and "attachment" in download.headers["Content-Disposition"]


def test_the_demo_module_runs_in_the_pages(app, weft):
    """The demo of make run: a start form, the initiator, outcome buttons, a required comment."""
    from tests.conftest import ROOT
    from weft.demo import install_demo

    list(install_demo(weft, ROOT / "processes"))
    emma, mike = signed_in(app, "emma"), signed_in(app, "mike")
    assert "Ask for leave" in emma.get("/start").text
    assert 'name="days"' in emma.get("/start/leave_request").text
    refused = emma.post("/start/leave_request", data={"reason": "sun"})
    assert refused.status_code == 422 and "required" in field_errors(refused.text)
    started = emma.post("/start/leave_request", data={"days": "4", "reason": "sun"})
    assert started.status_code == 302
    assert emma.get(started.headers["Location"]).status_code == 200
    [task] = task_ids(mike.get("/inbox?view=group").text)
    mike.post(f"/tasks/{task}/claim")
    review = mike.get(f"/tasks/{task}").text
    assert "emma" in review and "outcome-approve" in review
    assert mike.post(f"/tasks/{task}/complete", data={"decision": "reject"}).status_code == 422
    assert mike.post(f"/tasks/{task}/complete", data={"decision": "reject", "comment": "busy"}).status_code == 302
    [acknowledge] = task_ids(emma.get("/inbox?view=mine").text)
    assert "busy" in emma.get(f"/tasks/{acknowledge}").text
    assert emma.post(f"/tasks/{acknowledge}/complete").status_code == 302


def test_a_new_record_form_has_an_input_for_every_field_type(app, lab, acme):
    page = signed_in(app, "pam").get("/records/purchase_order/new").text
    for fragment in ('type="date"', 'type="datetime-local"', 'name="discount" type="number" step="any"',
                     'type="checkbox"', '<select id="f-status"', 'type="file"', 'type="email"', 'type="tel"',
                     'class="lookup-text"', 'name="buyer" type="text"', '<textarea id="f-details"',
                     '<textarea id="f-description"', 'data-row-template="lines"',
                     'name="lines-__index__-quantity" type="number" step="1"'):
        assert fragment in page, fragment
    assert ' name="total"' not in page and ' name="quantity"' not in page        # computed: shown, not typed


def test_failed_elements_are_marked_on_the_instance_page(app, weft, bpmn_file):
    from tests.support.bpmn import chain, end, process_xml, script, start

    weft.deploy(bpmn_file(process_xml("fragile", [start(), script("boom", "1 / 0"), end()],
                                      chain("start", "boom", "end"))))
    weft.add_user("root", groups=[])
    weft.add_group("admin")
    weft.accounts.set_groups("root", ["admin"])
    instance = weft.start("fragile", user="root")
    page = signed_in(app, "root").get(f"/instances/{instance.id}").text
    assert 'data-failed="[&#34;boom&#34;]"' in page and "Incidents" in page and "division by zero" in page


def test_inbox_counts_stop_at_their_limit_and_say_so(app, lab, acme, monkeypatch):
    """Badges and the total are capped (99+, five pages ahead) so a page costs the same however
    many tasks are open; here with the limits made small."""
    from weft.services import inbox

    monkeypatch.setattr(inbox, "BADGE_LIMIT", 2)
    monkeypatch.setattr(inbox, "PAGES_AHEAD", 2)
    pam, max_ = signed_in(app, "pam"), signed_in(app, "max")
    for _ in range(4):
        request_order(lab, acme, pam)
    page = max_.get("/inbox?view=group&per_page=1").text
    assert re.search(r'id="count-group">2\+<', page) and re.search(r'id="count-mine">0<', page)
    assert "2+ tasks" in page and "Page 1 of 2+" in page and "Next" in page
    last = max_.get("/inbox?view=group&per_page=1&page=4").text
    assert len(task_ids(last)) == 1 and "4 tasks" in last and "Page 4 of 4" in last and "Next" not in last
