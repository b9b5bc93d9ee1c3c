"""``/api/v1/reports``: the CRM's reports with its demo data, and who may read them."""

from __future__ import annotations


def test_reports_are_listed_and_run_for_those_who_may_read_them(client, weft, demo):
    demo("crm")
    victor = {"Authorization": f"Bearer {weft.create_token('victor')}"}
    listed = client.get("/api/v1/reports", headers=victor)
    assert listed.status_code == 200
    assert {"crm/sales_funnel", "crm/manager_performance", "crm/client_abc_xyz"} <= {r["key"] for r in listed.json}

    funnel = client.get("/api/v1/reports/crm/sales_funnel", headers=victor)
    assert funnel.status_code == 200, funnel.json
    body = funnel.json
    won = next(row for row in body["rows"] if row["group_value"] == "won")
    assert won["deals"] >= 1 and won["amount"] > 0
    assert body["chart_data"]["labels"] and body["chart_data"]["datasets"]

    weft.add_user("outsider")
    outsider = {"Authorization": f"Bearer {weft.create_token('outsider')}"}
    assert client.get("/api/v1/reports", headers=outsider).json == []
    assert client.get("/api/v1/reports/crm/sales_funnel", headers=outsider).status_code == 403
    assert client.get("/api/v1/reports/crm/nothing", headers=victor).status_code == 404
    assert client.get("/api/v1/reports/crm/sales_funnel").status_code == 401
