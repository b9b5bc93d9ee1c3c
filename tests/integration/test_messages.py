"""Messages (correlation, message start, throw and catch across processes) and signals."""

from __future__ import annotations

import pytest

from tests.support.bpmn import (
    boundary,
    chain,
    end,
    flow,
    message_catch,
    message_definition,
    message_start,
    message_throw,
    process_xml,
    receive_task,
    script,
    send_task,
    signal_catch,
    signal_definition,
    signal_start,
    signal_throw,
    start,
    user,
)
from weft import DeploymentError, MessageAmbiguous, MessageNotCorrelated

PAYMENT = message_definition("m_pay", "payment_received")


def awaiting_payment():
    return process_xml("order", [start(), message_catch("wait_payment", "m_pay"), script("ship", "shipped = True"),
                                 end()], chain("start", "wait_payment", "ship", "end"), definitions_extra=PAYMENT)


def test_message_reaches_the_instance_with_matching_variables(weft, bpmn_file):
    weft.deploy(bpmn_file(awaiting_payment()))
    first = weft.start("order", {"order_id": 1})
    second = weft.start("order", {"order_id": 2})
    assert weft.correlate("payment_received", {"order_id": 2}, {"amount": 99}) == [second.id]
    paid = weft.instance(second.id)
    assert paid.state == "completed" and paid.variables == {"order_id": 2, "amount": 99, "shipped": True}
    assert weft.instance(first.id).state == "waiting"


def test_correlation_by_business_key(weft, bpmn_file):
    weft.deploy(bpmn_file(awaiting_payment()))
    instance = weft.start("order", business_key="ORD-7")
    weft.start("order", business_key="ORD-8")
    assert weft.correlate("payment_received", {"business_key": "ORD-7"}) == [instance.id]


def test_unmatched_and_ambiguous_messages_are_clear_errors(weft, bpmn_file):
    weft.deploy(bpmn_file(awaiting_payment()))
    one, two = weft.start("order", {"order_id": 1}), weft.start("order", {"order_id": 1})
    with pytest.raises(MessageNotCorrelated, match="payment_received"):
        weft.correlate("payment_received", {"order_id": 3})
    with pytest.raises(MessageNotCorrelated):
        weft.correlate("nobody_listens")
    with pytest.raises(MessageAmbiguous, match="2 waiting instances"):
        weft.correlate("payment_received", {"order_id": 1})
    assert weft.instance(one.id).state == weft.instance(two.id).state == "waiting"


def test_message_start_event_starts_an_instance(weft, bpmn_file):
    weft.deploy(bpmn_file(process_xml("intake", [message_start("received", "m_lead"), user("qualify"), end()],
                                      chain("received", "qualify", "end"),
                                      definitions_extra=message_definition("m_lead", "lead_received"))))
    [instance_id] = weft.correlate("lead_received", {"business_key": "L-1"}, {"email": "a@example.com"})
    instance = weft.instance(instance_id)
    assert (instance.state, instance.business_key) == ("waiting", "L-1")
    assert instance.variables["email"] == "a@example.com"
    assert [h["element_id"] for h in instance.history] == ["received"]
    from weft.errors import WeftError
    with pytest.raises(WeftError, match="starts only by a message"):
        weft.start("intake")


def test_a_message_name_may_start_one_process_only(weft, bpmn_file):
    definitions = message_definition("m_lead", "lead_received")
    weft.deploy(bpmn_file(process_xml("intake", [message_start("s", "m_lead"), end()], chain("s", "end"),
                                      definitions_extra=definitions), "intake.bpmn"))
    with pytest.raises(DeploymentError) as caught:
        weft.deploy(bpmn_file(process_xml("other", [message_start("s", "m_lead"), end()], chain("s", "end"),
                                          definitions_extra=definitions), "other.bpmn"))
    assert "already starts process 'intake'" in caught.value.problems[0].message


def test_receive_task_and_interrupting_message_boundary(weft, bpmn_file):
    definitions = PAYMENT + message_definition("m_cancel", "order_cancelled")
    xml = process_xml("order", [start(), receive_task("wait_payment", "m_pay"), user("pack"),
                                boundary("cancelled", "pack", '<messageEventDefinition messageRef="m_cancel"/>'),
                                script("refund", "refunded = True"), end("done"), end("cancelled_end")],
                      chain("start", "wait_payment", "pack", "done")
                      + [flow("cancelled", "refund"), flow("refund", "cancelled_end")],
                      definitions_extra=definitions)
    weft.deploy(bpmn_file(xml))
    instance = weft.start("order", {"order_id": 5})
    weft.correlate("payment_received", {"order_id": 5})
    assert weft.instance(instance.id).active_elements == ["pack"]
    weft.correlate("order_cancelled", {"order_id": 5}, {"reason": "changed mind"})
    stored = weft.instance(instance.id)
    assert stored.state == "completed" and stored.variables["refunded"] is True
    assert weft.tasks(instance_id=instance.id, open=False)[0].state == "cancelled"


def test_thrown_messages_reach_instances_of_other_processes(weft, tmp_path):
    definitions = message_definition("m_shipped", "order_shipped")
    folder = tmp_path / "module"
    folder.mkdir()
    (folder / "warehouse.bpmn").write_text(process_xml(
        "warehouse", [start(), send_task("notify", "m_shipped", payload={"tracking": "${tracking}"},
                                         correlation={"order_id": "${order_id}"}), end()],
        chain("start", "notify", "end"), definitions_extra=definitions))
    (folder / "sales.bpmn").write_text(process_xml(
        "sales", [start(), message_catch("await_shipping", "m_shipped"), end()],
        chain("start", "await_shipping", "end"), definitions_extra=definitions))
    weft.deploy(folder)
    waiting = weft.start("sales", {"order_id": 42})
    other = weft.start("sales", {"order_id": 43})
    warehouse = weft.start("warehouse", {"order_id": 42, "tracking": "TRK-1"})
    assert warehouse.state == "completed"
    received = weft.instance(waiting.id)
    assert received.state == "completed" and received.variables["tracking"] == "TRK-1"
    assert weft.instance(other.id).state == "waiting"


def test_undeliverable_thrown_message_is_an_incident_until_retried(weft, tmp_path):
    definitions = message_definition("m_shipped", "order_shipped")
    folder = tmp_path / "module"
    folder.mkdir()
    (folder / "warehouse.bpmn").write_text(process_xml(
        "warehouse", [start(), message_throw("notify", "m_shipped", correlation={"order_id": "${order_id}"},
                                             end_event=True)],
        chain("start", "notify"), definitions_extra=definitions))
    (folder / "sales.bpmn").write_text(process_xml(
        "sales", [start(), message_catch("await_shipping", "m_shipped"), end()],
        chain("start", "await_shipping", "end"), definitions_extra=definitions))
    weft.deploy(folder)
    sender = weft.start("warehouse", {"order_id": 7})
    assert sender.state == "failed"
    [incident] = weft.instances.incidents(sender.id)
    assert incident["kind"] == "message" and "order_shipped" in incident["message"]
    receiver = weft.start("sales", {"order_id": 7})
    assert weft.retry(sender.id).state == "completed"
    assert weft.instance(receiver.id).state == "completed"


def test_signals_reach_every_waiting_instance_and_start_processes(weft, tmp_path):
    definitions = signal_definition("s_close", "year_closed")
    folder = tmp_path / "module"
    folder.mkdir()
    (folder / "ledger.bpmn").write_text(process_xml(
        "ledger", [start(), signal_catch("wait_close", "s_close"), end()], chain("start", "wait_close", "end"),
        definitions_extra=definitions))
    (folder / "report.bpmn").write_text(process_xml(
        "report", [signal_start("closed", "s_close"), script("compile", "compiled = year"), end()],
        chain("closed", "compile", "end"), definitions_extra=definitions))
    weft.deploy(folder)
    ledgers = [weft.start("ledger", {"book": n}) for n in range(3)]
    reached = weft.signal("year_closed", {"year": 2026})
    assert set(reached) >= {ledger.id for ledger in ledgers} and len(reached) == 4
    assert all(weft.instance(ledger.id).state == "completed" for ledger in ledgers)
    [report], _ = weft.instances.instances(process_key="report")
    assert report.variables["compiled"] == 2026
    again = weft.signal("year_closed", {"year": 2027})          # the ledgers are done: only a new report
    assert len(again) == 1 and weft.instance(again[0]).process_key == "report"


def test_thrown_signal_reaches_other_instances(weft, tmp_path):
    definitions = signal_definition("s_recall", "product_recalled")
    folder = tmp_path / "module"
    folder.mkdir()
    (folder / "quality.bpmn").write_text(process_xml(
        "quality", [start(), signal_throw("recall", "s_recall", payload={"product": "${product}"}), end()],
        chain("start", "recall", "end"), definitions_extra=definitions))
    (folder / "stock.bpmn").write_text(process_xml(
        "stock", [start(), signal_catch("await_recall", "s_recall"), end()], chain("start", "await_recall", "end"),
        definitions_extra=definitions))
    weft.deploy(folder)
    stocks = [weft.start("stock") for _ in range(2)]
    weft.start("quality", {"product": "P-9"})
    for stock in stocks:
        stored = weft.instance(stock.id)
        assert stored.state == "completed" and stored.variables["product"] == "P-9"
