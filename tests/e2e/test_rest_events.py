"""REST: messages, signals, incidents and retry."""

from __future__ import annotations

import io

from tests.support.bpmn import (
    chain,
    end,
    message_catch,
    message_definition,
    process_xml,
    script,
    signal_catch,
    signal_definition,
    start,
)

DEFINITIONS = message_definition("m_pay", "payment_received") + signal_definition("s_halt", "halt")


def deploy(client, headers, xml, name):
    response = client.post("/api/v1/deployments", headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(xml.encode()), name)})
    assert response.status_code == 201, response.json


def test_messages_and_signals(client, tokens):
    deploy(client, tokens["anna"], process_xml(
        "order", [start(), message_catch("wait", "m_pay"), signal_catch("hold", "s_halt"), end()],
        chain("start", "wait", "hold", "end"), definitions_extra=DEFINITIONS), "order.bpmn")
    ids = [client.post("/api/v1/process-instances", headers=tokens["emma"],
                       json={"process_key": "order", "variables": {"order_id": n}}).json["id"] for n in (1, 2)]
    missing = client.post("/api/v1/messages", headers=tokens["emma"],
                          json={"name": "payment_received", "correlation": {"order_id": 3}})
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    both = client.post("/api/v1/messages", headers=tokens["emma"], json={"name": "payment_received"})
    assert both.status_code == 409
    delivered = client.post("/api/v1/messages", headers=tokens["emma"],
                            json={"name": "payment_received", "correlation": {"order_id": 1},
                                  "variables": {"paid": True}})
    assert delivered.status_code == 200 and delivered.json == {"instance_ids": [ids[0]]}
    assert client.post("/api/v1/messages", headers=tokens["emma"], json={"correlation": {}}).status_code == 422
    client.post("/api/v1/messages", headers=tokens["emma"],
                json={"name": "payment_received", "correlation": {"order_id": 2}})
    signalled = client.post("/api/v1/signals", headers=tokens["emma"], json={"name": "halt"})
    assert signalled.status_code == 200 and sorted(signalled.json["instance_ids"]) == sorted(ids)
    for instance_id in ids:
        assert client.get(f"/api/v1/process-instances/{instance_id}", headers=tokens["emma"]).json["state"] == \
            "completed"
    assert client.post("/api/v1/signals", json={"name": "halt"}).status_code == 401


def test_incidents_and_retry(client, tokens):
    deploy(client, tokens["anna"], process_xml("divide", [start(), script("ratio", "r = a / b"), end()],
                                               chain("start", "ratio", "end")), "divide.bpmn")
    instance = client.post("/api/v1/process-instances", headers=tokens["emma"],
                           json={"process_key": "divide", "variables": {"a": 1, "b": 0}}).json
    assert instance["state"] == "failed"
    url = f"/api/v1/process-instances/{instance['id']}"
    [incident] = client.get(f"{url}/incidents", headers=tokens["emma"]).json
    assert incident["element_id"] == "ratio" and incident["resolved_at"] is None
    assert client.post(f"{url}/retry", headers=tokens["emma"], json={"variables": {"b": 2}}).status_code == 403
    fixed = client.post(f"{url}/retry", headers=tokens["root"], json={"variables": {"b": 2}})
    assert fixed.status_code == 200 and fixed.json["state"] == "completed" and fixed.json["variables"]["r"] == 0.5
    assert client.post(f"{url}/retry", headers=tokens["root"], json={}).status_code == 409
    assert client.get(f"{url}/incidents", headers=tokens["emma"]).json[0]["resolved_by"] == "root"
