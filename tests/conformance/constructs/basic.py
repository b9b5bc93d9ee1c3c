"""The basic constructs: sequence, gateways, subprocesses and call activities, timers, errors, signals,
event-based gateways, multi-instance, loops, terminate, implicit splits."""

from __future__ import annotations

from tests.conformance.markers import m, mi
from tests.support.bpmn import (
    boundary_error,
    boundary_timer,
    call,
    chain,
    end,
    error_definition,
    error_end,
    event_gateway,
    flow,
    gateway,
    message_catch,
    message_definition,
    process_xml,
    script,
    signal_catch,
    signal_definition,
    start,
    subprocess,
    terminate_end,
    timer_catch,
    user,
)


def models() -> dict[str, str]:
    p = {}
    p["sequence"] = process_xml("c_sequence", [start(), m("a"), m("b"), end()], chain("start", "m_a", "m_b", "end"))
    p["exclusive_gateway_default"] = process_xml("c_exclusive", [
        start(), gateway("x", default="flow_x_m_low"), m("high"), m("low"), end("e1"), end("e2")],
        [flow("start", "x"), flow("x", "m_high", "amount > 100"), flow("x", "m_low"),
         flow("m_high", "e1"), flow("m_low", "e2")])
    p["parallel_gateway"] = process_xml("c_parallel", [
        start(), gateway("fork", "parallel"), m("a"), m("b"), gateway("join", "parallel"), m("after"), end()],
        [flow("start", "fork"), flow("fork", "m_a"), flow("fork", "m_b"), flow("m_a", "join"), flow("m_b", "join"),
         *chain("join", "m_after", "end")])
    p["inclusive_gateway"] = process_xml("c_inclusive", [
        start(), gateway("split", "inclusive", default="flow_split_m_c"), m("a"), m("b"), m("c"),
        gateway("merge", "inclusive"), m("after"), end()],
        [flow("start", "split"), flow("split", "m_a", "amount > 10"), flow("split", "m_b", "amount > 50"),
         flow("split", "m_c"), flow("m_a", "merge"), flow("m_b", "merge"), flow("m_c", "merge"),
         *chain("merge", "m_after", "end")])
    p["embedded_subprocess"] = process_xml("c_subprocess", [
        start(), m("before"), subprocess("sub", [start("s_start"), m("inside"), end("s_end")],
                                         chain("s_start", "m_inside", "s_end")), m("after"), end()],
        chain("start", "m_before", "sub", "m_after", "end"))
    child = ('<process id="c_child" isExecutable="true"><startEvent id="c_start"/>'
             '<scriptTask id="m_child"><script>trace = trace + [\'child\']</script></scriptTask>'
             '<endEvent id="c_end"/><sequenceFlow id="cf1" sourceRef="c_start" targetRef="m_child"/>'
             '<sequenceFlow id="cf2" sourceRef="m_child" targetRef="c_end"/></process>')
    p["call_activity"] = process_xml("c_call", [start(), m("before"), call("call", "c_child"), m("after"), end()],
                                     chain("start", "m_before", "call", "m_after", "end"), extra_processes=child)
    p["timer_intermediate"] = process_xml("c_timer", [start(), m("before"), timer_catch("wait", duration="PT1H"),
                                                      m("after"), end()],
                                          chain("start", "m_before", "wait", "m_after", "end"))
    p["boundary_timer_interrupting"] = process_xml("c_boundary_timer", [
        start(), user("work"), boundary_timer("late", "work", "PT1H"), m("done"), m("escalated"), end("e1"),
        end("e2")], [*chain("start", "work", "m_done", "e1"), *chain("late", "m_escalated", "e2")])
    p["boundary_timer_non_interrupting"] = process_xml("c_boundary_timer_ni", [
        start(), user("work"), boundary_timer("remind", "work", "PT1H", cancel=False), m("reminded"), m("done"),
        end("e1"), end("e2")], [*chain("start", "work", "m_done", "e1"), *chain("remind", "m_reminded", "e2")])
    p["error_boundary_by_code"] = process_xml("c_error", [
        start(), subprocess("sub", [start("s_start"), m("inside"), error_end("s_fail", "err_late")],
                            chain("s_start", "m_inside", "s_fail")),
        boundary_error("caught", "sub", "err_late"), m("handled"), m("normal"), end("e1"), end("e2")],
        [*chain("start", "sub", "m_normal", "e1"), *chain("caught", "m_handled", "e2")],
        definitions_extra=error_definition("err_late", "LATE"))
    p["error_boundary_catch_all"] = process_xml("c_error_all", [
        start(), subprocess("sub", [start("s_start"), m("inside"), error_end("s_fail", "err_any")],
                            chain("s_start", "m_inside", "s_fail")),
        boundary_error("caught", "sub"), m("handled"), m("normal"), end("e1"), end("e2")],
        [*chain("start", "sub", "m_normal", "e1"), *chain("caught", "m_handled", "e2")],
        definitions_extra=error_definition("err_any", "ANY"))
    p["event_based_gateway"] = process_xml("c_event_gateway", [
        start(), event_gateway("wait"), message_catch("paid", "msg_paid"), timer_catch("timeout", duration="P1D"),
        m("paid"), m("timed_out"), end("e1"), end("e2")],
        [flow("start", "wait"), flow("wait", "paid"), flow("wait", "timeout"), *chain("paid", "m_paid", "e1"),
         *chain("timeout", "m_timed_out", "e2")], definitions_extra=message_definition("msg_paid", "paid"))
    p["signal_catch"] = process_xml("c_signal", [start(), m("before"), signal_catch("go", "sig_go"), m("after"),
                                                 end()], chain("start", "m_before", "go", "m_after", "end"),
                                    definitions_extra=signal_definition("sig_go", "go"))
    p["multi_instance_parallel"] = process_xml("c_mi_parallel", [
        start(), mi("each", "<loopCardinality>3</loopCardinality>"), m("after"), end()],
        chain("start", "m_each", "m_after", "end"))
    p["multi_instance_sequential"] = process_xml("c_mi_sequential", [
        start(), mi("each", "<loopCardinality>3</loopCardinality>", sequential=True), m("after"), end()],
        chain("start", "m_each", "m_after", "end"))
    p["terminate_end"] = process_xml("c_terminate", [
        start(), gateway("fork", "parallel"), user("waiting"), m("quick"), terminate_end("stop"), end("e1")],
        [flow("start", "fork"), flow("fork", "waiting"), flow("fork", "m_quick"), flow("m_quick", "stop"),
         flow("waiting", "e1")])
    p["implicit_parallel_split"] = process_xml("c_implicit_split", [
        start(), m("first"), m("a"), m("b"), gateway("join", "parallel"), m("after"), end()],
        [flow("start", "m_first"), flow("m_first", "m_a"), flow("m_first", "m_b"), flow("m_a", "join"),
         flow("m_b", "join"), *chain("join", "m_after", "end")])
    p["conditional_flows_from_task"] = process_xml("c_conditional_task", [
        start(), script("m_first", "trace = trace + ['first']", default="flow_m_first_m_low"),
        m("big"), m("rush"), m("low"), end("e1"), end("e2"), end("e3")],
        [flow("start", "m_first"), flow("m_first", "m_big", "amount > 100"), flow("m_first", "m_rush", "rush"),
         flow("m_first", "m_low"), flow("m_big", "e1"), flow("m_rush", "e2"), flow("m_low", "e3")])
    p["multi_instance_zero"] = process_xml("c_mi_zero", [
        start(), mi("each", "<loopCardinality>0</loopCardinality>"), m("after"), end()],
        chain("start", "m_each", "m_after", "end"))
    p["multi_instance_completion_condition"] = process_xml("c_mi_completion", [
        start(), mi("each", "<loopCardinality>5</loopCardinality>"
                            "<completionCondition>len(trace) &gt;= 2</completionCondition>", sequential=True),
        m("after"), end()], chain("start", "m_each", "m_after", "end"))
    loop = ('<standardLoopCharacteristics testBefore="false" loopMaximum="3">'
            '<loopCondition>len(trace) &lt; 10</loopCondition></standardLoopCharacteristics>')
    p["standard_loop_maximum"] = process_xml("c_loop_max", [
        start(), script("m_again", "trace = trace + ['again']", body=loop), m("after"), end()],
        chain("start", "m_again", "m_after", "end"))
    before = ('<standardLoopCharacteristics testBefore="true">'
              '<loopCondition>len(trace) &gt; 0 and len(trace) &lt; 3</loopCondition></standardLoopCharacteristics>')
    p["standard_loop_test_before"] = process_xml("c_loop_before", [
        start(), script("m_again", "trace = trace + ['again']", body=before), m("after"), end()],
        chain("start", "m_again", "m_after", "end"))
    return p
