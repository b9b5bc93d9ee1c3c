"""The records API and module packages over HTTP."""

from __future__ import annotations

import base64
import io

import pytest

from tests.support.modules import edit_yaml, entity_file


@pytest.fixture
def people(weft, tokens):
    for name in ("pam", "max"):
        weft.add_user(name)
        headers = {"Authorization": f"Bearer {weft.create_token(name)}"}
        tokens[name] = headers
    return tokens


@pytest.fixture
def deployed(weft, client, project, people, tmp_path):
    package = weft.build_package("lab", project, tmp_path)
    response = upload(client, people["anna"], package.read_bytes(), package.name)
    assert response.status_code == 201, response.json
    for name, group in (("pam", "purchaser"), ("max", "purchase_manager")):
        weft.accounts.add_member(group, name)
    return people


def upload(client, headers, content, name, **form):
    return client.post("/api/v1/deployments", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), name), **form})


def test_a_package_deploys_over_http_with_dry_run_and_force(client, weft, project, people, tmp_path):
    package = weft.build_package("lab", project, tmp_path)
    refused = upload(client, people["emma"], package.read_bytes(), package.name)
    assert refused.status_code == 403
    first = upload(client, people["anna"], package.read_bytes(), package.name)
    assert first.status_code == 201
    assert (first.json["module"], first.json["version"], first.json["process_keys"]) == ("lab", 1, ["lab_purchase"])
    assert client.get("/api/v1/modules", headers=people["emma"]).json[0]["version"] == "1.0.0"
    weft.records.create("supplier", {"name": "Acme", "notes": "keep"})
    edit_yaml(entity_file(project, "supplier"), lambda d: d["fields"].pop("notes"))
    edit_yaml(project / "plugins" / "lab" / "plugin.yaml", lambda d: d.update({"version": "1.1.0"}))
    package = weft.build_package("lab", project, tmp_path)
    refused = upload(client, people["anna"], package.read_bytes(), package.name)
    assert refused.status_code == 422 and refused.json["error"]["code"] == "deployment_refused"
    [detail] = refused.json["error"]["details"]
    assert detail["file"] == "plugins/lab/entities/supplier.yaml" and detail["element"] == "supplier.notes"
    assert "1 rows" in detail["message"]
    dry = upload(client, people["anna"], package.read_bytes(), package.name, dry_run="true", force="supplier.notes")
    assert dry.status_code == 201 and dry.json["dry_run"] is True
    assert dry.json["changes"] == ["drop_column supplier.notes: removed from the definition"]
    assert any("notes" in statement for statement in dry.json["statements"])
    assert client.get("/api/v1/modules", headers=people["emma"]).json[0]["version"] == "1.0.0"
    forced = upload(client, people["anna"], package.read_bytes(), package.name, force="supplier.notes")
    assert forced.status_code == 201 and forced.json["version"] == 2 and forced.json["module_version"] == "1.1.0"


def test_unsafe_or_broken_packages_are_refused(client, people):
    evil = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("manifest.json", '{"name": "x", "files": {}}')
        archive.writestr("../../evil.sh", "rm -rf /")
    response = upload(client, people["anna"], evil.getvalue(), "evil.weftpkg")
    assert response.status_code == 422
    assert "without '..'" in response.json["error"]["details"][0]["message"]
    assert upload(client, people["anna"], b"not a zip", "x.weftpkg").status_code == 422


def test_records_crud_with_permissions_filters_and_versions(client, deployed):
    pam, max_, emma = deployed["pam"], deployed["max"], deployed["emma"]
    supplier = client.post("/api/v1/entities/supplier", headers=max_, json={"name": "Acme", "rating": 4})
    assert supplier.status_code == 201, supplier.json
    assert client.post("/api/v1/entities/supplier", headers=pam, json={"name": "X"}).status_code == 403
    created = client.post("/api/v1/entities/purchase_order", headers=pam, json={
        "supplier": supplier.json["id"], "deliver_by": "2026-03-01T12:00:00Z", "details": {"a": [1]},
        "quote": {"name": "q.txt", "content_type": "text/plain", "content_base64": base64.b64encode(b"hi").decode()},
        "lines": [{"item": "Bolt", "quantity": 3, "price": "1.10"}]})
    assert created.status_code == 201, created.json
    order = created.json
    assert order["number"] == "PO-2026-00001" and order["total"] == "3.30"
    assert order["deliver_by"] == "2026-03-01T12:00:00+00:00" and order["order_date"] == "2026-01-05"
    assert order["quote"]["name"] == "q.txt" and order["lines"][0]["amount"] == "3.30"
    download = client.get(f"/api/v1/entities/purchase_order/{order['id']}/files/quote", headers=pam)
    assert download.status_code == 200 and download.data == b"hi"
    assert download.headers["Content-Disposition"] == "attachment; filename=\"q.txt\"; filename*=UTF-8''q.txt"
    assert client.get(f"/api/v1/entities/purchase_order/{order['id']}", headers=emma).status_code == 403

    invalid = client.post("/api/v1/entities/purchase_order", headers=pam, json={"status": "lost", "colour": 1})
    assert invalid.status_code == 422
    assert set(invalid.json["error"]["details"]) == {"status", "colour", "supplier"}

    patched = client.patch(f"/api/v1/entities/purchase_order/{order['id']}", headers=pam,
                           json={"version": 1, "urgent": True})
    assert patched.status_code == 200 and patched.json["version"] == 2
    stale = client.patch(f"/api/v1/entities/purchase_order/{order['id']}", headers=pam,
                         json={"version": 1, "urgent": False})
    assert stale.status_code == 409 and stale.json["error"]["code"] == "conflict"

    client.post("/api/v1/entities/purchase_order", headers=pam, json={"supplier": supplier.json["id"],
                                                                      "status": "approved"})
    listing = client.get("/api/v1/entities/purchase_order?status=approved&sort=-number", headers=pam)
    assert listing.status_code == 200 and listing.headers["X-Total-Count"] == "1"
    assert listing.json[0]["number"] == "PO-2026-00002"
    page = client.get("/api/v1/entities/purchase_order?per_page=1&page=2&sort=number", headers=pam)
    assert [o["number"] for o in page.json] == ["PO-2026-00002"] and page.headers["X-Total-Count"] == "2"
    bad_filter = client.get("/api/v1/entities/purchase_order?colour=red", headers=pam)
    assert bad_filter.status_code == 422 and "colour" in bad_filter.json["error"]["details"]

    history = client.get(f"/api/v1/entities/purchase_order/{order['id']}/history", headers=pam)
    assert [h["action"] for h in history.json] == ["create", "update"]
    assert history.json[1]["changes"] == {"urgent": [False, True]}

    assert client.delete(f"/api/v1/entities/purchase_order/{order['id']}", headers=pam).status_code == 403
    assert client.delete(f"/api/v1/entities/purchase_order/{order['id']}?version=1",
                         headers=max_).status_code == 409
    assert client.delete(f"/api/v1/entities/purchase_order/{order['id']}?version=2",
                         headers=max_).status_code == 204
    assert client.get(f"/api/v1/entities/purchase_order/{order['id']}", headers=pam).status_code == 404
    assert client.get("/api/v1/entities/ghost", headers=pam).status_code == 404
    assert client.get("/api/v1/entities/purchase_order").status_code == 401


def test_entity_listing_shows_what_each_user_may_do(client, deployed):
    mine = {e["name"]: e for e in client.get("/api/v1/entities", headers=deployed["pam"]).json}
    assert set(mine) == {"purchase_order", "supplier"}
    assert mine["supplier"]["actions"] == ["read"]
    assert mine["purchase_order"]["label"] == {"en": "Purchase order", "ru": "Заказ поставщику"}
    status = next(f for f in mine["purchase_order"]["fields"] if f["name"] == "status")
    assert status["type"] == "choice" and status["options"][0] == {"value": "draft", "label": {"en": "Draft"}}
    assert client.get("/api/v1/entities", headers=deployed["emma"]).json == []


def test_a_task_shows_its_form_and_completing_it_validates(client, weft, deployed):
    supplier = weft.records.create("supplier", {"name": "Acme"})
    started = client.post("/api/v1/process-instances", headers=deployed["pam"], json={"process_key": "lab_purchase"})
    [task] = client.get(f"/api/v1/tasks?instance_id={started.json['id']}", headers=deployed["pam"]).json
    detail = client.get(f"/api/v1/tasks/{task['id']}", headers=deployed["pam"]).json
    assert detail["form"] == "lab/request_order"
    assert detail["form_definition"]["title"] == "Request a purchase"
    assert [f["name"] for f in detail["form_definition"]["sections"][0]["fields"]][:2] == ["supplier", "deliver_by"]
    invalid = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=deployed["pam"],
                          json={"data": {"urgent": True}})
    assert invalid.status_code == 422
    assert invalid.json["error"]["details"] == {"supplier": ["required"], "reason": ["required"]}
    done = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=deployed["pam"],
                       json={"data": {"supplier": supplier["id"], "lines": []}})
    assert done.status_code == 200 and done.json["variables"]["po_id"] == 1


def test_the_openapi_spec_documents_the_records_api(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/api/v1/entities", "/api/v1/entities/{entity}", "/api/v1/entities/{entity}/{record_id}",
            "/api/v1/entities/{entity}/{record_id}/history", "/api/v1/modules"} <= set(paths)
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/entities/{entity}/{record_id}"])


def test_tasks_filter_by_the_fields_of_their_records(client, weft, deployed):
    """``GET /api/v1/tasks?field.<name>__<op>=`` (DESIGN §4): the fields of the record each task works on."""
    by_name = {}
    for name in ("Acme", "Bolt Bros"):
        supplier = weft.records.create("supplier", {"name": name})
        started = client.post("/api/v1/process-instances", headers=deployed["pam"],
                              json={"process_key": "lab_purchase"})
        [task] = client.get(f"/api/v1/tasks?instance_id={started.json['id']}", headers=deployed["pam"]).json
        client.post(f"/api/v1/tasks/{task['id']}/claim", headers=deployed["pam"])
        done = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=deployed["pam"],
                           json={"data": {"supplier": supplier["id"], "lines": []}})
        assert done.status_code == 200, done.json
        by_name[name] = (supplier["id"], started.json["id"])
    bolt, bolt_instance = by_name["Bolt Bros"]
    found = client.get(f"/api/v1/tasks?scope=all&field.supplier={bolt}", headers=deployed["max"])
    assert found.status_code == 200 and found.headers["X-Total-Count"] == "1"
    assert [t["instance_id"] for t in found.json] == [bolt_instance]
    both = client.get(f"/api/v1/tasks?scope=all&field.supplier__in={bolt},{by_name['Acme'][0]}",
                      headers=deployed["max"])
    assert both.headers["X-Total-Count"] == "2"
    unknown = client.get("/api/v1/tasks?field.colour=red", headers=deployed["max"])
    assert unknown.status_code == 422 and "field.colour" in unknown.json["error"]["details"]
    stray = client.get("/api/v1/tasks?colour=red", headers=deployed["max"])
    assert stray.status_code == 422 and "colour" in stray.json["error"]["details"]
