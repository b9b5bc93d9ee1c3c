"""Every page and action of the web UI checks who asks: a matrix of routes and roles; and
what users or analysts type is escaped wherever it is shown."""

from __future__ import annotations

import pytest

from tests.support.web import signed_in, task_ids

ROLES = ("anonymous", "eve", "pam", "ann", "max", "root")
DENIED = (403, 404)


@pytest.fixture
def world(app, weft, project):
    weft.deploy(project / "plugins" / "lab")
    weft.add_group("admin")
    weft.add_group("analyst")
    weft.add_user("ann", groups=["analyst"])
    weft.add_user("pam", groups=["purchaser"])
    weft.add_user("max", groups=["purchase_manager"])
    weft.add_user("eve")
    weft.add_user("root", groups=["admin"])
    weft.create_token("eve", "matrix")                   # token 1
    supplier = weft.records.create("supplier", {"name": "Acme"})
    pam = signed_in(app, "pam")
    pam.post("/start/lab_purchase")
    [request_task] = task_ids(pam.get("/inbox?view=group").text)
    pam.post(f"/tasks/{request_task}/claim")
    pam.post(f"/tasks/{request_task}/complete", data={"supplier": str(supplier["id"])})
    [approve] = task_ids(signed_in(app, "max").get("/inbox?view=group").text)
    order = weft.records.search("purchase_order").records[0]
    instance = weft.tasks(user=None)[0].instance_id
    return {"task": approve, "instance": instance, "order": order["id"], "supplier": supplier["id"],
            "form_yaml": (project / "forms/lab/approve_order.yaml").read_text(),
            "entity_yaml": (project / "plugins/lab/entities/purchase_order.yaml").read_text()}


# (method, url, roles allowed); {task}, {instance}, {order}, {supplier} are filled in
MATRIX = [
    ("get", "/tasks/{task}", {"max", "root"}),
    ("get", "/instances/{instance}", {"pam", "max", "root"}),
    ("get", "/instances/{instance}/diagram.bpmn", {"pam", "max", "root"}),
    ("get", "/records/purchase_order", {"pam", "max", "root"}),
    ("get", "/records/purchase_order/{order}", {"pam", "max", "root"}),
    ("get", "/records/purchase_order/{order}/edit", {"pam", "max", "root"}),
    ("get", "/records/supplier/new", {"max", "root"}),
    ("get", "/lookup/supplier?q=A", {"pam", "max", "root"}),
    ("get", "/admin/users", {"root"}),
    ("get", "/modeler", {"ann", "root"}),
    ("get", "/modeler/new", {"ann", "root"}),
    ("get", "/modeler/lab_purchase", {"ann", "root"}),
    ("get", "/modeler/lab_purchase?version=1", {"ann", "root"}),
    ("get", "/modeler/lab_purchase/diagram.bpmn", {"ann", "root"}),
    ("get", "/modeler/choices.json", {"ann", "root"}),
    ("get", "/admin/", {"root"}),
    ("get", "/admin/instances?variable=amount&value=1", {"root"}),
    ("get", "/admin/instances/{instance}", {"root"}),
    ("get", "/admin/processes", {"root"}),
    ("get", "/admin/processes/lab_purchase", {"root"}),
    ("get", "/admin/processes/lab_purchase/diff?old=1&new=1", {"root"}),
    ("get", "/admin/deployments", {"root"}),
    ("get", "/admin/jobs", {"root"}),
    ("get", "/admin/audit", {"root"}),
    ("post", "/tasks/{task}/claim", {"max", "root"}),
    ("post", "/tasks/{task}/comments", {"max", "root"}),
    ("post", "/tasks/{task}/conditions", {"max", "root"}),
    ("post", "/instances/{instance}/comments", {"pam", "max", "root"}),
    ("post", "/records/supplier/{supplier}/delete", {"max", "root"}),
    ("post", "/admin/groups", {"root"}),
    ("get", "/scenarios", {"ann", "root"}),
    ("get", "/scenarios/processes/crm/scenarios/lead_unqualified.yaml", {"ann", "root"}),
    ("get", "/scenarios/diagram/processes/crm/scenarios/lead_unqualified.yaml", {"ann", "root"}),
    ("post", "/scenarios/processes/crm/scenarios/lead_unqualified.yaml", {"ann", "root"}),
    ("post", "/admin/users/eve", {"root"}),
    ("post", "/admin/tokens", {"root"}),
    ("post", "/admin/tokens/1/revoke", {"root"}),
    ("post", "/admin/instances/{instance}/suspend", {"root"}),
    ("post", "/admin/instances/{instance}/resume", {"root"}),
    ("post", "/admin/instances/{instance}/cancel", {"root"}),
    ("post", "/admin/instances/{instance}/retry", {"root"}),
    ("post", "/admin/instances/{instance}/variables", {"root"}),
    ("post", "/admin/instances/{instance}/migrate", {"root"}),
    ("post", "/admin/deployments", {"root"}),
    ("post", "/admin/jobs/1/run", {"root"}),
    ("get", "/analytics", {"ann", "root"}),
    ("get", "/analytics/lab_purchase", {"ann", "root"}),
    ("get", "/analytics/lab_purchase?version=1", {"ann", "root"}),
    ("get", "/analytics/lab_purchase/diagram.bpmn", {"ann", "root"}),
    ("get", "/editor", {"ann", "root"}),
    ("get", "/editor/forms/lab/approve_order", {"ann", "root"}),
    ("get", "/editor/entities/lab/purchase_order", {"ann", "root"}),
    ("post", "/editor/forms/lab/approve_order/preview", {"ann", "root"}),
    ("post", "/editor/entities/lab/purchase_order/preview", {"ann", "root"}),
    ("post", "/editor/forms/lab/approve_order", {"ann", "root"}),
    ("post", "/editor/entities/lab/purchase_order", {"ann", "root"}),
]
# Posts that need more than the common fields: {field: key of the world} (the editors deploy the
# files as deployed: nothing changes)
POSTED = {"/editor/forms/lab/approve_order": {"source": "form_yaml"},
          "/editor/entities/lab/purchase_order": {"source": "entity_yaml"}}


@pytest.mark.parametrize("method, url, allowed", MATRIX, ids=[f"{m} {u}" for m, u, _a in MATRIX])
def test_routes_refuse_whoever_may_not(app, world, method, url, allowed):
    target = url.format(**world)
    posted = POSTED.get(target.removesuffix("/preview"), {})
    data = {"text": "hello", "name": "qa", "version": "1", "base_version": "1",
            **{field: world[key] for field, key in posted.items()}}
    for role in ROLES:
        browser = signed_in(app, None if role == "anonymous" else role)
        response = browser.get(target) if method == "get" else browser.post(target, data=data)
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"], (role, target)
        elif role in allowed:
            assert response.status_code in (200, 302), (role, target, response.status_code)
        else:
            assert response.status_code in DENIED, (role, target, response.status_code)


# The modeler's JSON endpoints (the CSRF token in a header, as its script sends it): (url, body, roles allowed)
JSON_MATRIX = [
    ("/modeler/validate", {"xml": "{diagram}", "key": "lab_purchase"}, {"ann", "root"}),
    ("/modeler/drafts", {"xml": "{diagram}", "key": "lab_purchase"}, {"ann", "root"}),
    ("/modeler/lab_purchase/discard", {"version": 1}, {"ann", "root"}),
    ("/modeler/deploy", {"xml": "{diagram}", "key": "lab_purchase"}, {"ann", "root"}),
]


@pytest.mark.parametrize("url, body, allowed", JSON_MATRIX, ids=[u for u, _b, _a in JSON_MATRIX])
def test_json_endpoints_refuse_whoever_may_not(app, weft, world, url, body, allowed):
    diagram = weft.modeler.diagram("lab_purchase", None).xml
    for role in ROLES:
        browser = signed_in(app, None if role == "anonymous" else role)
        if role in allowed and url.endswith("/discard"):
            weft.modeler.save(diagram, role, "lab_purchase")          # something to discard
        sent = {key: diagram if value == "{diagram}" else value for key, value in body.items()}
        response = browser.post_json(url, sent)
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"], (role, url)
        elif role in allowed:
            assert response.status_code == 200, (role, url, response.status_code, response.get_data(as_text=True))
            if url.endswith("/drafts"):
                weft.modeler.discard("lab_purchase", None, 1)
        else:
            assert response.status_code in DENIED and response.json["error"]["code"] == "forbidden", (role, url)


def test_script_in_values_labels_and_comments_is_escaped(app, weft, project):
    from tests.support.modules import edit_yaml, entity_file

    edit_yaml(entity_file(project, "supplier"), lambda d: d.update(
        {"label": {"en": "<script>alert('label')</script>"}}))
    edit_yaml(entity_file(project, "supplier"), lambda d: d["fields"]["name"].update(
        {"label": {"en": "<img src=x onerror=alert(1)>"}}))
    weft.deploy(project / "plugins" / "lab")
    weft.add_user("max", groups=["purchase_manager"])
    supplier = weft.records.create("supplier", {"name": "<script>alert('value')</script>",
                                                "notes": "<b onclick=alert(1)>x</b>"})
    max_ = signed_in(app, "max")
    pages = [max_.get("/records").text, max_.get("/records/supplier").text,
             max_.get(f"/records/supplier/{supplier['id']}").text,
             max_.get(f"/records/supplier/{supplier['id']}/edit").text,
             max_.get("/lookup/supplier?q=script").text]
    for html in pages:
        assert "<script>alert(" not in html and "<img src=x" not in html and "<b onclick" not in html
    assert "&lt;script&gt;alert(&#39;value&#39;)&lt;/script&gt;" in pages[2]
    assert "&lt;script&gt;alert(&#39;label&#39;)&lt;/script&gt;" in pages[0]


def test_pages_carry_security_headers(app, weft):
    weft.add_user("eve")
    response = signed_in(app, "eve").get("/inbox")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "HttpOnly" in response.headers.get("Set-Cookie", "HttpOnly")
