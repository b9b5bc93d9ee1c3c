"""The administrators' REST endpoints: instance search criteria, migration, variables, versions
and diffs, jobs, the audit log."""

from __future__ import annotations

import io

from tests.support.bpmn import chain, end, process_xml, start, user

V1 = process_xml("order", [start(), user("check"), end()], chain("start", "check", "end"))
V2 = process_xml("order", [start(), user("check"), user("ship"), end()], chain("start", "check", "ship", "end"))
V3 = process_xml("order", [start(), user("pack"), end()], chain("start", "pack", "end"))


def deploy(client, headers, xml):
    response = client.post("/api/v1/deployments", headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(xml.encode()), "order.bpmn")})
    assert response.status_code == 201, response.json


def test_instances_migrate_and_variables_over_rest(client, tokens):
    root, emma = tokens["root"], tokens["emma"]
    deploy(client, root, V1)
    started = client.post("/api/v1/process-instances", headers=emma,
                          json={"process_key": "order", "variables": {"amount": 42}}).json
    client.post("/api/v1/process-instances", headers=root, json={"process_key": "order", "variables": {"amount": 1}})
    deploy(client, root, V2)
    deploy(client, root, V3)
    found = client.get("/api/v1/process-instances?variable=amount&value=42&version=1", headers=root)
    assert found.headers["X-Total-Count"] == "1" and found.json[0]["id"] == started["id"]
    invalid = client.get("/api/v1/process-instances?variable=amount&value=1&started_from=yesterday", headers=root)
    assert invalid.status_code == 422 and "started_from" in invalid.json["error"]["details"]
    url = f"/api/v1/process-instances/{started['id']}"
    assert client.post(f"{url}/migrate", headers=emma, json={"version": 2}).status_code == 403
    refused = client.post(f"{url}/migrate", headers=root, json={"version": 3})
    assert refused.status_code == 409
    assert refused.json["error"]["message"] == "cannot migrate: element check no longer exists in version 3"
    moved = client.post(f"{url}/migrate", headers=root, json={"version": 2})
    assert moved.status_code == 200 and moved.json["version"] == 2
    bad = client.patch(f"{url}/variables", headers=root, json={"set": {"9lives": 1}})
    assert bad.status_code == 422 and list(bad.json["error"]["details"]) == ["9lives"]
    edited = client.patch(f"{url}/variables", headers=root, json={"set": {"amount": 43}, "remove": []})
    assert edited.status_code == 200 and edited.json["variables"] == {"amount": 43}
    audit = client.get(f"/api/v1/audit?target_kind=instance&target_id={started['id']}", headers=root).json
    assert [e["action"] for e in audit] == ["instance.variables", "instance.migrate"]
    assert audit[0]["details"]["changes"] == {"amount": [42, 43]} and audit[0]["actor"] == "root"
    assert client.get("/api/v1/audit", headers=emma).status_code == 403


def test_versions_diffs_and_jobs_over_rest(client, tokens):
    root = tokens["root"]
    deploy(client, root, V1)
    deploy(client, root, V2)
    versions = client.get("/api/v1/process-definitions/order/versions", headers=root).json
    assert [v["version"] for v in versions] == [2, 1]
    diff = client.get("/api/v1/process-definitions/order/diff?old=1&new=2", headers=root).json
    assert {(c["element_id"], c["change"]) for c in diff} >= {("ship", "added"), ("flow_check_end", "removed")}
    missing = client.get("/api/v1/process-definitions/order/diff?old=1&new=5", headers=root)
    assert missing.status_code == 422 and missing.json["error"]["details"] == {
        "new": ["process 'order' has no version 5"]}
    assert client.get("/api/v1/process-definitions/order/versions", headers=tokens["emma"]).status_code == 403
    jobs = client.get("/api/v1/jobs", headers=root)
    assert jobs.status_code == 200 and jobs.headers["X-Total-Count"] == "0"
    assert client.post("/api/v1/jobs/99/run", headers=root).status_code == 404
    spec = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/api/v1/audit", "/api/v1/jobs", "/api/v1/process-instances/{instance_id}/migrate",
            "/api/v1/process-definitions/{key}/diff"} <= set(spec)
