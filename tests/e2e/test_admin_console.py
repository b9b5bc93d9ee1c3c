"""The admin console through Flask's test client: instance search and operations, variables,
migration, versions and diffs, uploads, timers and jobs, accounts and tokens, the audit log."""

from __future__ import annotations

import io
import re

import pytest

from tests.support.bpmn import chain, end, process_xml, script, service, start, timer_catch, user
from tests.support.web import field_errors, signed_in

V1 = process_xml("order", [start(), user("check", "Check order"), script("price", "total = amount / rate"),
                           user("ship"), end()], chain("start", "check", "price", "ship", "end"), name="Order")
V2 = process_xml("order", [start(), user("check", "Check order", camunda_candidateGroups="sales"),
                           script("price", "total = amount / rate"), user("approve"), user("ship"), end()],
                 chain("start", "check", "price", "approve", "ship", "end"), name="Order")


def flashes(html: str) -> list[str]:
    return re.findall(r'class="flash[^"]*"[^>]*>([^<]*)<', html)


@pytest.fixture
def console(app, weft, bpmn_file):
    """An administrator ``root``, a user ``emma``, process ``order`` in two versions and two instances
    of version 1; returns the signed-in clients and the instances."""
    weft.add_group("admin")
    weft.add_user("root", groups=["admin"])
    weft.add_user("emma")
    path = bpmn_file(V1, "order.bpmn")
    weft.deploy(path, user="root")
    first = weft.start("order", {"amount": 42, "rate": 0}, "ORD-1", user="emma")
    second = weft.start("order", {"amount": 7, "rate": 1}, "ORD-2")
    path.write_text(V2)
    weft.deploy(path, user="root")
    return {"root": signed_in(app, "root"), "emma": signed_in(app, "emma"), "first": first.id,
            "second": second.id, "weft": weft}


def test_search_finds_instances_by_variable_and_names_bad_criteria(console):
    root = console["root"]
    page = root.get("/admin/instances?variable=amount&value=42").text
    assert console["first"] in page and console["second"] not in page
    page = root.get("/admin/instances?process_key=order&version=1&started_by=emma").text
    assert console["first"] in page and console["second"] not in page
    refused = root.get("/admin/instances?variable=1bad&value=2")
    assert refused.status_code == 422 and field_errors(refused.text) == [
        "not a variable name (letters, digits and _, not starting with a digit)"]
    assert field_errors(root.get("/admin/instances?started_from=2026-03-01&started_to=2026-02-01").text) == [
        "must be later than started_from"]
    assert console["emma"].get("/admin/instances").status_code == 403


def test_suspend_resume_and_cancel_from_the_instance_page(console):
    root, weft, url = console["root"], console["weft"], f"/admin/instances/{console['second']}"
    assert root.post(f"{url}/suspend").status_code == 302
    assert weft.instance(console["second"]).suspended is True
    assert "Instance suspended." in flashes(root.get(url).text)
    root.post(f"{url}/resume")
    root.post(f"{url}/cancel")
    assert weft.instance(console["second"]).state == "terminated"
    page = root.get(url).text
    assert "instance.cancel" in page and "instance.suspend" in page      # the instance's audit entries
    root.post(f"{url}/suspend")
    assert any("only active" not in f and "terminated" in f for f in flashes(root.get(url).text))


def test_an_incident_is_retried_with_variables(console):
    root, weft, url = console["root"], console["weft"], f"/admin/instances/{console['first']}"
    [check] = weft.tasks(instance_id=console["first"])
    assert weft.complete(check.id, user=None).state == "failed"         # amount / 0
    page = root.get(url).text
    assert "division by zero" in page and 'id="incidents"' in page
    bad = root.post(f"{url}/retry", data={"variables": "{rate: 2}"})
    assert bad.status_code == 422 and field_errors(bad.text)[0].startswith("not valid JSON")
    assert weft.instance(console["first"]).state == "failed"              # nothing changed
    assert root.post(f"{url}/retry", data={"variables": '{"rate": 2}'}).status_code == 302
    retried = weft.instance(console["first"])
    assert retried.state == "waiting" and retried.variables["total"] == 21 and retried.active_elements == ["ship"]
    assert "Incident retried." in flashes(root.get(url).text)


def test_variables_are_edited_as_json_and_audited(console):
    root, weft, url = console["root"], console["weft"], f"/admin/instances/{console['second']}"
    page = root.get(url).text
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    bad = root.post(f"{url}/variables", data={"variables": '["amount"]', "revision": revision})
    assert bad.status_code == 422 and field_errors(bad.text) == ["must be a JSON object: {&#34;name&#34;: value, …}"]
    stale = root.post(f"{url}/variables", data={"variables": '{"amount": 8}', "revision": "0"})
    assert stale.status_code == 422 and "changed meanwhile" in field_errors(stale.text)[0]
    assert weft.instance(console["second"]).variables == {"amount": 7, "rate": 1}
    done = root.post(f"{url}/variables", data={"variables": '{"amount": 8, "note": "<b>x</b>"}', "revision": revision})
    assert done.status_code == 302
    assert weft.instance(console["second"]).variables == {"amount": 8, "note": "<b>x</b>"}
    page = root.get(url).text
    assert "<del>7</del>" in page and "<ins>8</ins>" in page and "<b>x</b>" not in page      # escaped


def test_migration_from_the_page_is_refused_naming_the_element_or_done(console, bpmn_file):
    root, weft, url = console["root"], console["weft"], f"/admin/instances/{console['second']}"
    assert '<option value="2">v2</option>' in root.get(url).text
    root.post(f"{url}/migrate", data={"version": "2"})
    assert "Instance migrated to version 2." in flashes(root.get(url).text)
    [check] = weft.tasks(instance_id=console["second"])
    assert weft.complete(check.id).active_elements == ["approve"]             # version 2's path
    path = bpmn_file(process_xml("order", [start(), user("review"), end()], chain("start", "review", "end")),
                     "order.bpmn")
    weft.deploy(path)
    root.post(f"{url}/migrate", data={"version": "3"})
    assert flashes(root.get(url).text) == [
        "Not done: cannot migrate: element approve no longer exists in version 3"]
    assert weft.instance(console["second"]).version == 2


def test_processes_versions_and_what_changed(console):
    root = console["root"]
    assert "Order" in root.get("/admin/processes").text
    page = root.get("/admin/processes/order").text
    assert "v2" in page and "v1" in page and "waiting: 2" in page
    diff = root.get("/admin/processes/order/diff?old=1&new=2").text
    assert re.search(r"<strong class=\"mono\">approve</strong>.*?change-added", diff, re.S)
    assert "camunda:candidateGroups" in diff and "<ins>sales</ins>" in diff
    refused = root.get("/admin/processes/order/diff?old=1&new=9", follow_redirects=True).text
    assert "Not done: new: process &#39;order&#39; has no version 9" in refused
    assert root.get("/admin/processes/nothing").status_code == 404


def test_uploads_deploy_or_list_every_problem(console):
    root, weft = console["root"], console["weft"]
    good = process_xml("uploaded", [start(), user("t"), end()], chain("start", "t", "end"))
    done = root.post("/admin/deployments", content_type="multipart/form-data",
                     data={"file": (io.BytesIO(good.encode()), "uploaded.bpmn")})
    assert done.status_code == 200 and "uploaded v1" in done.text
    assert [d.key for d in weft.process_definitions()] == ["order", "uploaded"]
    bad = root.post("/admin/deployments", content_type="multipart/form-data",
                    data={"file": (io.BytesIO(b"<definitions>"), "broken.bpmn")})
    assert bad.status_code == 422 and "Nothing was deployed:" in bad.text and "broken.bpmn" in bad.text
    none = root.post("/admin/deployments", data={}, follow_redirects=True)
    assert "Not done: file: choose the files to deploy" in none.text
    audit = root.get("/admin/audit?action=deployment.deploy").text
    assert audit.count("<code>deployment.deploy</code>") == 3                # two in the fixture, one here


def test_timers_and_jobs_are_listed_and_a_failing_job_runs_now(console, bpmn_file, clock):
    root, weft = console["root"], console["weft"]
    weft.deploy(bpmn_file(process_xml("wait", [start(), timer_catch("pause", duration="P3D"), end()],
                                      chain("start", "pause", "end")), "wait.bpmn"))
    weft.deploy(bpmn_file(process_xml("calc", [start(), service("divide", expression="${amount / rate}",
                                                                result_variable="total", async_before=True),
                                               user("done"), end()], chain("start", "divide", "done", "end")),
                          "calc.bpmn"))
    weft.start("wait")
    calc = weft.start("calc", {"amount": 6, "rate": 0})
    assert weft.jobs.run_due() == 1                                        # the division fails; retry in 5 s
    page = root.get("/admin/jobs").text
    assert "pause" in page and "2 waiting" in page and "division by zero" in page
    assert "1 waiting" in root.get("/admin/jobs?kind=timer").text
    failing = root.get("/admin/jobs?failing=true").text
    assert "1 waiting" in failing and "divide" in failing
    refused = root.get("/admin/jobs?kind=sleep")
    assert refused.status_code == 422 and field_errors(refused.text) == ["one of timer, start_timer, async"]
    weft.set_variables(calc.id, {"rate": 2})
    job_id = re.search(r'action="/admin/jobs/(\d+)/run"', failing).group(1)
    root.post(f"/admin/jobs/{job_id}/run")
    assert weft.jobs.run_due() == 1                                        # due now, no waiting 5 s
    assert weft.instance(calc.id).variables["total"] == 3
    assert "Not done: no job" in root.post(f"/admin/jobs/{job_id}/run", follow_redirects=True).text


def test_groups_roles_and_tokens(console, client):
    root, weft = console["root"], console["weft"]
    weft.add_group("sales")
    root.post("/admin/users/emma", data={"groups": ["sales"], "active": "true"})
    assert weft.accounts.user("emma").groups == ("sales",)
    refused = root.post("/admin/users/root", data={"groups": [], "active": "true"}, follow_redirects=True).text
    assert "you cannot remove your own administrator role" in refused
    page = root.post("/admin/tokens", data={"user": "emma", "label": "reports <script>"})
    token = re.search(r'<code id="new-token">([^<]+)</code>', page.text).group(1)
    assert page.headers["Cache-Control"] == "no-store" and "reports &lt;script&gt;" in page.text
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/tasks", headers=bearer).status_code == 200
    token_id = re.search(r'action="/admin/tokens/(\d+)/revoke"', root.get("/admin/users").text).group(1)
    root.post(f"/admin/tokens/{token_id}/revoke")
    assert client.get("/api/v1/tasks", headers=bearer).status_code == 401
    audit = root.get("/admin/audit?target_kind=token").text
    assert "token.create" in audit and "token.revoke" in audit and token not in audit
    assert "user.update" in root.get("/admin/audit?actor=root&action=user.").text
    assert root.get("/admin/audit?action=nonsense").status_code == 422
