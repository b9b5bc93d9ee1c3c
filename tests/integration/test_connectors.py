"""Service tasks: connectors (mail.send, http.request, custom), expressions, asyncBefore jobs
with retries, and incidents when they fail."""

from __future__ import annotations

import datetime as dt
import json
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tests.support.bpmn import chain, end, process_xml, service, start, user
from weft import DeploymentError, Weft
from weft.config import MailSettings, Settings
from weft.persistence.tables import mail_outbox as outbox


class _Api(BaseHTTPRequestHandler):
    calls: list = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Api.calls.append(body)
        payload = json.dumps({"credit_ok": body["amount"] < 1000, "score": 700}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def api_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Api.calls = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def platform(database_url, clock, tmp_path):
    settings = Settings(database_url=database_url, http_allowed_hosts=("127.0.0.1",),
                        mail=MailSettings(file_sink=str(tmp_path / "mail"), sender="weft@example.com"))
    weft = Weft.open(database_url, clock=clock, settings=settings)
    yield weft
    weft.close()


def test_mail_send_goes_through_the_outbox(platform, bpmn_file, tmp_path):
    xml = process_xml("notify", [start(), service("mail", "mail.send", inputs={
        "to": "${customer_email}", "subject": "Order ${order_id} confirmed", "text": "Thank you."}), end()],
        chain("start", "mail", "end"))
    platform.deploy(bpmn_file(xml))
    instance = platform.start("notify", {"customer_email": "ann@example.com", "order_id": 12})
    assert instance.state == "completed"
    assert not (tmp_path / "mail").exists()                      # nothing is sent inside the transaction
    assert platform.run_jobs() == 1
    [sent] = list((tmp_path / "mail").iterdir())
    message = message_from_bytes(sent.read_bytes())
    assert (message["To"], message["Subject"], message["From"]) == ("ann@example.com", "Order 12 confirmed",
                                                                      "weft@example.com")
    assert platform.run_jobs() == 0


def test_mail_send_reaches_users_and_groups_by_name(platform, bpmn_file):
    platform.add_group("sales")
    platform.add_user("sara", email="sara@example.com", groups=["sales"])
    platform.add_user("sam", email="sam@example.com", groups=["sales"])
    platform.add_user("noaddress", groups=["sales"])
    xml = process_xml("tell", [start(), service("mail", "mail.send", inputs={
        "to": "${owner}", "cc": "sales, boss@example.com", "subject": "Lead", "text": "Call them."}), end()],
        chain("start", "mail", "end"))
    platform.deploy(bpmn_file(xml))
    assert platform.start("tell", {"owner": "sara"}).state == "completed"
    with platform.database.engine.connect() as conn:
        [mail] = conn.execute(select(outbox)).all()
    assert mail.recipients == ["sara@example.com"]
    assert mail.cc == ["sam@example.com", "sara@example.com", "boss@example.com"]
    failed = platform.start("tell", {"owner": "nobody"})
    [incident] = platform.instances.incidents(failed.id)
    assert failed.state == "failed" and "nor a user or group with one: nobody" in incident["message"]


def test_http_request_maps_the_response_into_variables(platform, bpmn_file, api_server):
    xml = process_xml("credit", [start(), service(
        "check", "http.request",
        inputs={"url": f"{api_server}/checks", "method": "POST", "json": "${ {'amount': amount} }"},
        outputs={"approved": "${json['credit_ok']}", "status": "${status_code}"}), end()],
        chain("start", "check", "end"))
    platform.deploy(bpmn_file(xml))
    done = platform.start("credit", {"amount": 500})
    assert done.variables["approved"] is True and done.variables["status"] == 201
    assert _Api.calls == [{"amount": 500}]


def test_http_request_to_a_host_not_allowed_is_an_incident(platform, bpmn_file):
    xml = process_xml("leak", [start(), service("call", "http.request", inputs={"url": "http://10.0.0.1/x"}), end()],
                      chain("start", "call", "end"))
    platform.deploy(bpmn_file(xml))
    instance = platform.start("leak")
    [incident] = platform.instances.incidents(instance.id)
    assert instance.state == "failed" and incident["element_id"] == "call"
    assert "not an allowed host" in incident["message"]


def test_expression_service_task(platform, bpmn_file):
    xml = process_xml("calc", [start(), service("total", expression="${price * qty}", result_variable="sum"), end()],
                      chain("start", "total", "end"))
    platform.deploy(bpmn_file(xml))
    assert platform.start("calc", {"price": 3, "qty": 4}).variables["sum"] == 12


def test_unknown_connectors_and_java_delegates_are_refused(platform, bpmn_file):
    xml = process_xml("bad", [start(), service("a", "sms.send"), end()], chain("start", "a", "end"))
    with pytest.raises(DeploymentError) as caught:
        platform.deploy(bpmn_file(xml, "a.bpmn"))
    assert caught.value.problems[0].element == "a" and "unknown connector 'sms.send'" in caught.value.problems[0].message
    java = process_xml("java", [start(), user("u"), end()], chain("start", "u", "end")).replace(
        '<userTask id="u" name="u">', '<serviceTask id="j" camunda:class="com.acme.Delegate"/><userTask id="u" name="u">')
    with pytest.raises(DeploymentError) as caught:
        platform.deploy(bpmn_file(java, "b.bpmn"))
    assert "Java delegate classes" in caught.value.problems[0].message


def test_custom_connector_registered_in_code(platform, bpmn_file):
    platform.connectors.register("erp.price", lambda params, context: {"price": len(params["sku"]) * 10})
    xml = process_xml("quote", [start(), service("lookup", "erp.price", inputs={"sku": "${sku}"},
                                                 outputs={"unit_price": "${price}"}), end()],
                      chain("start", "lookup", "end"))
    platform.deploy(bpmn_file(xml))
    assert platform.start("quote", {"sku": "AB-12"}).variables["unit_price"] == 50


def _flaky(failures: list[int]):
    def connector(params, context):
        if failures[0] > 0:
            failures[0] -= 1
            raise RuntimeError("ERP is down")
        return {"booked": True}
    return connector


def test_async_before_runs_as_a_job_with_retries_and_backoff(platform, bpmn_file, clock):
    failures = [2]
    platform.connectors.register("erp.book", _flaky(failures))
    xml = process_xml("book", [start(), service("post", "erp.book", outputs={"ok": "${booked}"}, async_before=True),
                               end()], chain("start", "post", "end"))
    platform.deploy(bpmn_file(xml))
    instance = platform.start("book")
    assert (instance.state, instance.active_elements) == ("running", ["post"])
    assert platform.run_jobs() == 1                             # attempt 1 fails; retry in 5 s
    assert platform.instance(instance.id).state == "running"
    assert platform.run_jobs() == 0
    clock.advance(seconds=5)
    assert platform.run_jobs() == 1                             # attempt 2 fails; retry in 10 s
    clock.advance(seconds=10)
    assert platform.run_jobs() == 1                             # attempt 3 succeeds
    done = platform.instance(instance.id)
    assert done.state == "completed" and done.variables["ok"] is True
    assert platform.instances.incidents(instance.id) == []


def test_exhausted_retries_become_an_incident_and_retry_resumes(platform, bpmn_file, clock):
    failures = [10]
    platform.connectors.register("erp.book", _flaky(failures))
    xml = process_xml("book", [start(), service("post", "erp.book", async_before=True, retry_cycle="R2/PT1M"),
                               end()], chain("start", "post", "end"))
    platform.deploy(bpmn_file(xml))
    instance = platform.start("book")
    for _attempt in range(2):                                   # R2: two attempts in all
        assert platform.run_jobs() == 1
        clock.advance(minutes=1)
    stored = platform.instance(instance.id)
    [incident] = platform.instances.incidents(instance.id)
    assert stored.state == "failed" and incident["kind"] == "job" and "ERP is down" in incident["message"]
    assert platform.run_jobs() == 0
    failures[0] = 0                                            # the ERP is back
    assert platform.retry(instance.id).state == "completed"
    [resolved] = platform.instances.incidents(instance.id)
    assert resolved["resolved_at"] is not None


def test_retry_with_variables_fixes_a_failed_script(platform, bpmn_file):
    from tests.support.bpmn import script
    xml = process_xml("divide", [start(), script("ratio", "ratio = total / count"), end()],
                      chain("start", "ratio", "end"))
    platform.deploy(bpmn_file(xml))
    instance = platform.start("divide", {"total": 10, "count": 0})
    assert instance.state == "failed"
    fixed = platform.retry(instance.id, {"count": 4})
    assert fixed.state == "completed" and fixed.variables["ratio"] == 2.5
    from weft import Conflict
    with pytest.raises(Conflict, match="no open incident"):
        platform.retry(instance.id)


def test_time_limit_stops_a_runaway_script(database_url, clock, bpmn_file):
    from tests.support.bpmn import script
    with Weft.open(database_url, clock=clock, settings=Settings(database_url=database_url,
                                                                script_cpu_seconds=0.2)) as weft:
        weft.deploy(bpmn_file(process_xml("spin", [start(), script("loop", "while True:\n    pass"), end()],
                                          chain("start", "loop", "end"))))
        started = dt.datetime.now()
        instance = weft.start("spin")
        assert (dt.datetime.now() - started).total_seconds() < 5
        [incident] = weft.instances.incidents(instance.id)
        assert "CPU time limit" in incident["message"] and incident["element_id"] == "loop"


def test_mail_is_delivered_over_smtp(database_url, clock, bpmn_file):
    from aiosmtpd.controller import Controller

    received = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's naming
            received.append((envelope.rcpt_tos, envelope.content))
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = Settings(database_url=database_url, mail=MailSettings(host="127.0.0.1", port=port,
                                                                         sender="weft@example.com"))
        with Weft.open(database_url, clock=clock, settings=settings) as weft:
            weft.deploy(bpmn_file(process_xml("notify", [start(), service("mail", "mail.send", inputs={
                "to": "a@example.com", "cc": "b@example.com", "subject": "Hello", "text": "Body"}), end()],
                chain("start", "mail", "end"))))
            weft.start("notify")
            assert weft.run_jobs() == 1
    finally:
        controller.stop()
    [(recipients, content)] = received
    assert recipients == ["a@example.com", "b@example.com"] and b"Subject: Hello" in content


def test_unreachable_smtp_server_is_retried_later(database_url, clock, bpmn_file):
    from sqlalchemy import select

    from weft.persistence.tables import mail_outbox
    settings = Settings(database_url=database_url, mail=MailSettings(host="127.0.0.1", port=1))
    with Weft.open(database_url, clock=clock, settings=settings) as weft:
        weft.deploy(bpmn_file(process_xml("notify", [start(), service("mail", "mail.send", inputs={
            "to": "a@example.com", "subject": "Hello"}), end()], chain("start", "mail", "end"))))
        weft.start("notify")
        assert weft.run_jobs() == 0
        with weft.database.engine.connect() as conn:
            [row] = conn.execute(select(mail_outbox)).all()
        assert row.sent_at is None and row.attempts == 1 and row.next_attempt_at > clock.now
        assert "Error" in row.last_error
