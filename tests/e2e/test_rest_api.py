"""The REST API over HTTP (Flask's test client): every endpoint, its errors and its spec."""

from __future__ import annotations

import io

import pytest

from tests.support.processes import approval


def deploy(client, headers, xml, name="approval.bpmn"):
    return client.post("/api/v1/deployments", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(xml.encode()), name)})


@pytest.fixture
def deployed(client, tokens):
    assert deploy(client, tokens["anna"], approval(camunda_formKey="demo/review")).status_code == 201
    return tokens


def start(client, headers, **body):
    response = client.post("/api/v1/process-instances", headers=headers,
                           json={"process_key": "approval", **body})
    assert response.status_code == 201, response.json
    return response.json


def open_task(client, headers, instance_id):
    response = client.get(f"/api/v1/tasks?instance_id={instance_id}", headers=headers)
    [task] = response.json
    return task


def test_every_call_needs_a_valid_token(client, deployed):
    for method, url in [("get", "/api/v1/tasks"), ("get", "/api/v1/process-definitions"),
                        ("post", "/api/v1/process-instances"), ("post", "/api/v1/deployments"),
                        ("get", "/api/v1/process-instances/x"), ("post", "/api/v1/tasks/x/complete")]:
        response = getattr(client, method)(url)
        assert response.status_code == 401, url
        assert response.json["error"]["code"] == "unauthorized"
    bad = client.get("/api/v1/tasks", headers={"Authorization": "Bearer weft_not-a-token"})
    assert bad.status_code == 401
    assert client.get("/api/v1/tasks", headers={"Authorization": "Basic abc"}).status_code == 401


def test_tokens_are_stored_hashed(weft, deployed):
    from sqlalchemy import select

    from weft.persistence.tables import api_tokens
    token = deployed["emma"]["Authorization"].split()[1]
    with weft.database.engine.connect() as conn:
        stored = list(conn.execute(select(api_tokens.c.token_hash)).scalars())
    assert token not in stored and all(len(value) == 64 for value in stored)


def test_deploy_versions_and_refusals(client, tokens):
    first = deploy(client, tokens["anna"], approval())
    assert first.status_code == 201 and first.json["version"] == 1
    assert first.json["processes"][0] | {"id": 0} == {"id": 0, "key": "approval", "name": "approval",
                                                     "version": 1, "deployment_id": first.json["id"],
                                                     "created": True}
    assert deploy(client, tokens["anna"], approval()).json["unchanged"] is True
    changed = deploy(client, tokens["anna"], approval(camunda_priority="80"))
    assert changed.json["processes"][0]["version"] == 2

    refused = deploy(client, tokens["root"], "<definitions", "broken.bpmn")
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "deployment_refused"
    assert refused.json["error"]["details"][0]["file"] == "broken.bpmn"

    assert deploy(client, tokens["emma"], approval()).status_code == 403
    no_file = client.post("/api/v1/deployments", headers=tokens["anna"], content_type="multipart/form-data",
                          data={})
    assert no_file.status_code == 422

    listing = client.get("/api/v1/process-definitions", headers=tokens["emma"])
    assert listing.status_code == 200 and listing.headers["X-Total-Count"] == "1"
    assert [(d["key"], d["version"]) for d in listing.json] == [("approval", 2)]


def test_start_inspect_and_list_instances(client, deployed):
    instance = start(client, deployed["emma"], variables={"amount": 5}, business_key="REQ-1")
    assert (instance["state"], instance["active_elements"], instance["business_key"]) == (
        "waiting", ["review"], "REQ-1")
    fetched = client.get(f"/api/v1/process-instances/{instance['id']}", headers=deployed["emma"]).json
    assert fetched["variables"] == {"amount": 5} and fetched["history"][0]["element_id"] == "start"
    assert client.get(f"/api/v1/process-instances/{instance['id']}", headers=deployed["mike"]).status_code == 200
    hidden = client.get(f"/api/v1/process-instances/{instance['id']}", headers=deployed["anna"])
    assert hidden.status_code == 404

    mine = client.get("/api/v1/process-instances?state=waiting", headers=deployed["emma"])
    assert mine.headers["X-Total-Count"] == "1"
    assert client.get("/api/v1/process-instances", headers=deployed["anna"]).json == []
    assert client.get("/api/v1/process-instances", headers=deployed["root"]).headers["X-Total-Count"] == "1"


def test_start_errors(client, deployed):
    unknown = client.post("/api/v1/process-instances", headers=deployed["emma"], json={"process_key": "nope"})
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "not_found"
    missing = client.post("/api/v1/process-instances", headers=deployed["emma"], json={})
    assert missing.status_code == 422 and "process_key" in missing.json["error"]["details"]
    bad_vars = client.post("/api/v1/process-instances", headers=deployed["emma"],
                           json={"process_key": "approval", "variables": {"no good": 1}})
    assert bad_vars.status_code == 422 and "no good" in bad_vars.json["error"]["details"]
    extra = client.post("/api/v1/process-instances", headers=deployed["emma"],
                        json={"process_key": "approval", "surprise": 1})
    assert extra.status_code == 422


def test_task_lifecycle(client, deployed):
    instance = start(client, deployed["emma"])
    assert client.get("/api/v1/tasks", headers=deployed["emma"]).json == []
    group = client.get("/api/v1/tasks?scope=group", headers=deployed["mike"])
    assert group.headers["X-Total-Count"] == "1"
    task = group.json[0]
    assert (task["form"], task["candidate_groups"], task["assignee"]) == ("demo/review", ["managers"], None)

    detail = client.get(f"/api/v1/tasks/{task['id']}", headers=deployed["mike"])
    assert detail.status_code == 200 and detail.json["values"] == {}
    assert client.get(f"/api/v1/tasks/{task['id']}", headers=deployed["emma"]).status_code == 404

    claimed = client.post(f"/api/v1/tasks/{task['id']}/claim", headers=deployed["mike"])
    assert claimed.status_code == 200 and claimed.json["assignee"] == "mike"
    taken = client.post(f"/api/v1/tasks/{task['id']}/claim", headers=deployed["mary"])
    assert taken.status_code == 409 and taken.json["error"]["details"] == {"assignee": "mike"}
    assert client.post(f"/api/v1/tasks/{task['id']}/complete", headers=deployed["mary"],
                       json={"data": {"approved": True}}).status_code == 409
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=deployed["emma"]).status_code == 409

    assert client.get("/api/v1/tasks?scope=mine", headers=deployed["mike"]).headers["X-Total-Count"] == "1"
    delegated = client.post(f"/api/v1/tasks/{task['id']}/assign", headers=deployed["mike"], json={"user": "mary"})
    assert delegated.json["assignee"] == "mary"
    assert client.post(f"/api/v1/tasks/{task['id']}/assign", headers=deployed["mary"],
                       json={"user": "ghost"}).status_code == 422
    released = client.post(f"/api/v1/tasks/{task['id']}/unclaim", headers=deployed["mary"])
    assert released.json["assignee"] is None

    invalid = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=deployed["mary"],
                          json={"data": {"approved": True, "9lives": 1}})
    assert invalid.status_code == 422 and set(invalid.json["error"]["details"]) == {"9lives"}
    done = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=deployed["mary"],
                       json={"data": {"approved": True}})
    assert done.status_code == 200
    assert done.json["state"] == "completed" and done.json["variables"]["status"] == "approved"
    assert [h["element_id"] for h in done.json["history"]] == ["review", "decide", "record", "approved_end"]
    again = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=deployed["mary"], json={"data": {}})
    assert again.status_code == 409 and again.json["error"]["code"] == "task_gone"
    assert client.post("/api/v1/tasks/0b7c1a9e-0000-4000-8000-000000000000/complete", headers=deployed["mary"],
                       json={}).status_code == 404

    history = client.get(f"/api/v1/process-instances/{instance['id']}", headers=deployed["emma"]).json["history"]
    assert [(h["element_id"], h["user"]) for h in history if h["type"] == "userTask"] == [("review", "mary")]


def test_task_query_validation(client, deployed):
    assert client.get("/api/v1/tasks?scope=everything", headers=deployed["mike"]).status_code == 422
    assert client.get("/api/v1/tasks?sort=random", headers=deployed["mike"]).status_code == 422
    assert client.get("/api/v1/tasks?per_page=100000", headers=deployed["mike"]).status_code == 422
    assert client.get("/api/v1/tasks?page=0", headers=deployed["mike"]).status_code == 422
    unknown = client.get("/api/v1/tasks?field.supplier=x", headers=deployed["mike"])
    assert unknown.status_code == 422 and "field.supplier" in unknown.json["error"]["details"]


def test_instance_operations(client, deployed):
    instance = start(client, deployed["emma"])
    url = f"/api/v1/process-instances/{instance['id']}"
    assert client.post(f"{url}/suspend", headers=deployed["emma"]).status_code == 403
    assert client.post(f"{url}/suspend", headers=deployed["root"]).json["suspended"] is True
    task = open_task(client, deployed["mike"], instance["id"])
    blocked = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=deployed["mike"], json={"data": {}})
    assert blocked.status_code == 409
    assert client.post(f"{url}/resume", headers=deployed["root"]).json["suspended"] is False
    assert client.post(f"{url}/cancel", headers=deployed["mike"]).status_code == 403
    assert client.post(f"{url}/cancel", headers=deployed["emma"]).json["state"] == "terminated"
    assert client.post(f"{url}/cancel", headers=deployed["emma"]).status_code == 409
    assert client.post("/api/v1/process-instances/nope/cancel", headers=deployed["root"]).status_code == 404


def test_openapi_spec_is_generated_from_the_schemas(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in ["/api/v1/deployments", "/api/v1/process-definitions", "/api/v1/process-instances",
                 "/api/v1/process-instances/{instance_id}", "/api/v1/process-instances/{instance_id}/cancel",
                 "/api/v1/tasks", "/api/v1/tasks/{task_id}", "/api/v1/tasks/{task_id}/complete",
                 "/api/v1/tasks/{task_id}/claim", "/api/v1/tasks/{task_id}/unclaim",
                 "/api/v1/tasks/{task_id}/assign"]:
        assert path in paths, path
    schemas = spec["components"]["schemas"]
    assert {"Task", "ProcessInstance", "Deployment", "ApiError"} <= set(schemas)
    assert set(schemas["Task"]["properties"]) >= {"id", "assignee", "candidate_groups", "due", "priority", "form"}
    complete = paths["/api/v1/tasks/{task_id}/complete"]["post"]
    assert {"200", "409", "422"} <= set(complete["responses"])
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_session_cookie_changes_need_the_csrf_header(app, client, deployed):
    with client.session_transaction() as session:
        session["user"] = "emma"
        session["epoch"] = 0
        session["csrf_token"] = "token-123"
    assert client.get("/api/v1/process-definitions").status_code == 200
    body = {"process_key": "approval"}
    assert client.post("/api/v1/process-instances", json=body).status_code == 403
    assert client.post("/api/v1/process-instances", json=body, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert client.post("/api/v1/process-instances", json=body,
                       headers={"X-CSRF-Token": "token-123"}).status_code == 201
