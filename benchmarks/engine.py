"""Engine benchmarks for the foundation issue; run ``python benchmarks/engine.py``.

Prints, for SQLite and (when it answers) PostgreSQL:
  1. a 10-script straight-through process, persisted, in instances/s, against raw in-memory
     SpiffWorkflow measured in the same run (targets: >= 0.5x on SQLite, >= 0.3x on PostgreSQL);
  2. user-task completion latency in a loop at iterations 10 and 1000 (target: ratio <= 1.3);
  3. a 10,000-iteration loop run to completion, every iteration counted;
  4. SQL statements per user-task completion, BEGIN and COMMIT included (target: <= 10);
  5. timer lateness with the in-process scheduler, p95 (target: <= 1 s).

Numbers vary with the machine; the README records a run on the reference machine.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "platform"))

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser  # noqa: E402
from sqlalchemy import create_engine, event, select, text  # noqa: E402
from tests.support.processes import script_chain, user_loop  # noqa: E402

from weft import Weft  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get("WEFT_TEST_POSTGRES_URL",
                                    "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
LOOP_XML = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://weft/bench">
<process id="counter" isExecutable="true">
<startEvent id="start"/><scriptTask id="init"><script>count = 0</script></scriptTask>
<scriptTask id="inc"><script>count += 1</script></scriptTask>
<exclusiveGateway id="again" default="f_done"/><endEvent id="end"/>
<sequenceFlow id="f1" sourceRef="start" targetRef="init"/><sequenceFlow id="f2" sourceRef="init" targetRef="inc"/>
<sequenceFlow id="f3" sourceRef="inc" targetRef="again"/>
<sequenceFlow id="f4" sourceRef="again" targetRef="inc"><conditionExpression>count &lt; n</conditionExpression></sequenceFlow>
<sequenceFlow id="f_done" sourceRef="again" targetRef="end"/>
</process></definitions>"""


def raw_spiff_rate(xml: str, seconds: float) -> float:
    parser = CamundaParser()
    parser.add_bpmn_str(xml.encode())
    spec, subprocesses = parser.get_spec("straight"), parser.get_subprocess_specs("straight")
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        workflow = BpmnWorkflow(spec, subprocesses)
        workflow.do_engine_steps()
        assert workflow.is_completed()
        count += 1
    return count / (time.perf_counter() - started)


def weft_rate(weft: Weft, seconds: float) -> float:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        assert weft.start("straight").state == "completed"
        count += 1
    return count / (time.perf_counter() - started)


class StatementCounter:
    """Counts SQL statements sent, leaving out transaction control (BEGIN, COMMIT), which is
    added back as 2 in the report whatever the driver's way of sending it."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._statement)

    def _statement(self, conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT")):
            self.count += 1


def loop_latencies(weft: Weft, iterations: int, counter: StatementCounter):
    instance = weft.start("user_loop", {"n": iterations + 1}, user="bench")
    latencies, statements = [], []
    for _ in range(iterations):
        [task] = weft.tasks(instance_id=instance.id)
        before = counter.count
        started = time.perf_counter()
        weft.complete(task.id, {"note": "done"}, user="bench")
        latencies.append(time.perf_counter() - started)
        statements.append(counter.count - before)
    return latencies, statements


def window(values: list[float], at: int, width: int = 5) -> float:
    """The median around iteration ``at`` (1-based), so one scheduling hiccup cannot decide."""
    return statistics.median(values[max(0, at - 1 - width): at + width])


def run_backend(label: str, url: str, target_ratio: float, seconds: float, out) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="weft-bench-"))
    (workdir / "straight.bpmn").write_text(script_chain(10))
    (workdir / "user_loop.bpmn").write_text(user_loop())
    (workdir / "counter.bpmn").write_text(LOOP_XML)
    weft = Weft.open(url)
    try:
        weft.deploy(workdir)
        weft.add_user("bench", "benchmark-password")
        raw_spiff_rate(script_chain(10), 0.5)            # warm-up
        weft_rate(weft, 0.5)
        raw = raw_spiff_rate(script_chain(10), seconds)
        ours = weft_rate(weft, seconds)
        ratio = ours / raw
        out(f"[{label}] 10-script process, persisted: {ours:,.0f} instances/s; raw in-memory SpiffWorkflow: "
            f"{raw:,.0f}/s; ratio {ratio:.2f} (target >= {target_ratio}) {'OK' if ratio >= target_ratio else 'MISSED'}")

        counter = StatementCounter(weft.database.engine)
        latencies, statements = loop_latencies(weft, 1000, counter)
        at_10, at_1000 = window(latencies, 10), window(latencies, 1000)
        flat = at_1000 / at_10
        out(f"[{label}] user-task completion in a loop: {at_10 * 1000:.2f} ms at iteration 10, "
            f"{at_1000 * 1000:.2f} ms at iteration 1000; ratio {flat:.2f} (target <= 1.3) "
            f"{'OK' if flat <= 1.3 else 'MISSED'}")
        most = max(statements) + 2
        out(f"[{label}] SQL statements per user-task completion: {max(statements)} + BEGIN + COMMIT = {most} "
            f"(target <= 10) {'OK' if most <= 10 else 'MISSED'}")

        started = time.perf_counter()
        result = weft.start("counter", {"n": 10_000})
        elapsed = time.perf_counter() - started
        iterations = [h["element_id"] for h in weft.instance(result.id).history].count("inc")
        ok = result.state == "completed" and result.variables["count"] == 10_000 and iterations == 10_000
        out(f"[{label}] 10,000-iteration loop: {result.state}, count={result.variables['count']}, "
            f"{iterations:,} iterations in history, {elapsed:.1f} s {'OK' if ok else 'MISSED'}")
    finally:
        weft.close()


TIMER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="t" targetNamespace="http://weft/bench">
<process id="timed" isExecutable="true">
<startEvent id="start"/><intermediateCatchEvent id="pause"><timerEventDefinition>
<timeDuration>${delay}</timeDuration></timerEventDefinition></intermediateCatchEvent><endEvent id="end"/>
<sequenceFlow id="f1" sourceRef="start" targetRef="pause"/><sequenceFlow id="f2" sourceRef="pause" targetRef="end"/>
</process></definitions>"""


def timer_lateness(url: str, timers: int = 200) -> list[float]:
    """Start ``timers`` instances whose timers fall due over the next few seconds, let the
    in-process scheduler fire them in real time, and return each one's lateness in seconds."""
    from weft.persistence.tables import history_events, jobs
    from weft.scheduler import start_in_process

    workdir = Path(tempfile.mkdtemp(prefix="weft-bench-timers-"))
    (workdir / "timed.bpmn").write_text(TIMER_XML)
    weft = Weft.open(url)
    try:
        weft.deploy(workdir / "timed.bpmn")
        ids = [weft.start("timed", {"delay": f"PT{1 + (n % 40) / 10:.1f}S"}).id for n in range(timers)]
        with weft.database.engine.connect() as conn:
            due = {str(r.instance_id): r.due_at for r in conn.execute(select(jobs.c.instance_id, jobs.c.due_at))}
        scheduler = start_in_process(weft)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with weft.database.engine.connect() as conn:
                    fired = {str(r.instance_id): r.ended_at for r in conn.execute(
                        select(history_events.c.instance_id, history_events.c.ended_at)
                        .where(history_events.c.element_id == "pause"))}
                if len(fired) == len(ids):
                    break
                time.sleep(0.25)
        finally:
            scheduler.shutdown(wait=True)
        return [(fired[i] - due[i]).total_seconds() for i in ids if i in fired] + \
            [float("inf")] * sum(1 for i in ids if i not in fired)
    finally:
        weft.close()


def report_lateness(label: str, url: str, out) -> None:
    lateness = sorted(timer_lateness(url))
    p95 = lateness[int(len(lateness) * 0.95) - 1]
    out(f"[{label}] timer lateness with the in-process scheduler ({len(lateness)} timers): "
        f"median {statistics.median(lateness):.2f} s, p95 {p95:.2f} s, max {lateness[-1]:.2f} s "
        f"(target p95 <= 1 s) {'OK' if p95 <= 1 else 'MISSED'}")


def postgres_database(name: str) -> str | None:
    try:
        socket.create_connection(("127.0.0.1", 5432), 2).close()
    except OSError:
        if "WEFT_TEST_POSTGRES_URL" not in os.environ:
            return None
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    from sqlalchemy.engine import make_url
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per throughput figure")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        path = Path(tempfile.mkdtemp(prefix="weft-bench-db-")) / "bench.db"
        run_backend("SQLite", f"sqlite:///{path}", 0.5, args.seconds, print)
        report_lateness("SQLite", f"sqlite:///{path.with_name('timers.db')}", print)
    if args.backend in ("postgresql", "both"):
        url = postgres_database("weft_bench")
        if url is None:
            print("[PostgreSQL] not reachable on 127.0.0.1:5432; skipped")
        else:
            run_backend("PostgreSQL", url, 0.3, args.seconds, print)
            report_lateness("PostgreSQL", postgres_database("weft_bench_timers"), print)


if __name__ == "__main__":
    main()
