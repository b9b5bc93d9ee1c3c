"""The inbox at scale, on PostgreSQL; run ``python benchmarks/inbox_scale.py``.

Builds a database with 1,000,000 user tasks of which 100,000 are open, each bound to its own
record of a small entity (``ticket``: subject, amount), in a few minutes: one instance is started
through the engine and then copied by ``INSERT … SELECT … generate_series`` (records, instances,
tasks, candidates), varying due date, priority, amount and state. Then measures, for a member of
the tasks' candidate group:
  1. the inbox query alone (InboxService.page: the page of tasks with the total, the three view
     counts, process names and record titles), filtered by a record field (``amount > 5000``),
     sorted by due date, 50 per page — p95 (target: < 30 ms);
  2. the same request through the web (``GET /inbox/list``, rendered HTML), for comparison.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "platform"))

from sqlalchemy import Connection, inspect, text  # noqa: E402

from benchmarks.engine import postgres_database  # noqa: E402
from benchmarks.inbox import bench_module  # noqa: E402
from weft import Weft  # noqa: E402
from weft.app import create_app  # noqa: E402
from weft.config import Settings  # noqa: E402
from weft.services.inbox import InboxQuery  # noqa: E402

TASKS = 1_000_000
OPEN = 100_000
TARGET_MS = 30


def copy_rows(conn: Connection, table: str, where: str, overrides: dict[str, str], count: int) -> None:
    """``count`` copies of the row of ``table`` that ``where`` finds, ``overrides`` giving SQL
    expressions in ``n`` (1..count) for the columns that vary."""
    columns = [c["name"] for c in inspect(conn).get_columns(table)]
    chosen = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    conn.execute(text(f'INSERT INTO "{table}" ({names}) SELECT {chosen} '
                      f'FROM "{table}" t CROSS JOIN generate_series(1, {count}) AS n WHERE {where}'))


def fill(weft: Weft, tasks: int, open_tasks: int, out) -> None:
    weft.deploy_modules([bench_module()])
    weft.add_user("rev", groups=["reviewers"])
    weft.add_group("auditors")
    weft.add_user("other", groups=["auditors"])
    ticket = weft.records.create("ticket", {"subject": "Template", "amount": "1"})
    template = weft.start("review", {"ticket_id": ticket["id"], "due": "2027-01-01", "priority": 50})
    started = time.perf_counter()
    uid = "md5('{kind}' || n)::uuid"
    is_open = f"n <= {open_tasks}"
    with weft.database.engine.begin() as conn:
        copy_rows(conn, "ent_ticket", f"t.id = {ticket['id']}", {
            "id": f"{ticket['id']} + n", "number": "'T-' || lpad(n::text, 7, '0')",
            "subject": "'Ticket ' || n", "amount": "(n::bigint * 7919) % 10000"}, tasks)
        out(f"  records: {time.perf_counter() - started:.0f} s")
        copy_rows(conn, "process_instances", f"t.id = '{template.id}'", {
            "id": uid.format(kind="i"), "business_key": "NULL",
            "state": f"CASE WHEN {is_open} THEN t.state ELSE 'completed' END",
            "workflow_state": f"CASE WHEN {is_open} THEN t.workflow_state END",
            "started_at": "t.started_at - make_interval(secs => n)"}, tasks)
        out(f"  instances: {time.perf_counter() - started:.0f} s")
        copy_rows(conn, "human_tasks", f"t.instance_id = '{template.id}'", {
            "id": uid.format(kind="t"), "instance_id": uid.format(kind="i"),
            "state": f"CASE WHEN {is_open} THEN 'open' ELSE 'completed' END",
            "assignee": f"CASE WHEN {is_open} THEN NULL ELSE 'rev' END",
            "completed_by": f"CASE WHEN {is_open} THEN NULL ELSE 'rev' END",
            "completed_at": f"CASE WHEN {is_open} THEN NULL ELSE t.created_at END",
            "due_at": "t.due_at + make_interval(days => (n % 730) - 365)", "priority": "n % 100",
            "created_at": "t.created_at - make_interval(secs => n)", "record_id": f"{ticket['id']} + n"}, tasks)
        out(f"  tasks: {time.perf_counter() - started:.0f} s")
        copy_rows(conn, "human_task_candidates", "t.task_id = (SELECT id FROM human_tasks WHERE instance_id = "
                  f"'{template.id}')", {"task_id": uid.format(kind="t"),
                                        "name": "CASE WHEN n % 4 = 0 THEN 'auditors' ELSE t.name END"}, tasks)
        out(f"  candidates: {time.perf_counter() - started:.0f} s")
    with weft.database.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    out(f"  built {tasks:,} tasks ({open_tasks:,} open) in {time.perf_counter() - started:.0f} s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def timed(call, runs: int) -> list[float]:
    call()                                              # warm caches
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def report(what: str, timings: list[float], out, target: float | None = TARGET_MS) -> None:
    p95 = percentile(timings, 0.95)
    verdict = "" if target is None else f" (target < {target:.0f} ms) {'OK' if p95 < target else 'MISSED'}"
    out(f"[PostgreSQL] {what}: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms{verdict}")


def run(url: str, tasks: int, open_tasks: int, runs: int, out, reuse: bool = False) -> None:
    weft = Weft.open(url)
    try:
        if reuse:
            with weft.database.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
        else:
            fill(weft, tasks, open_tasks, out)
        app = create_app(Settings(database_url=url, secret_key="bench"), weft=weft)
        query = InboxQuery(view="group", record_filters={"amount__gt": "5000"}, sort="due", per_page=50)
        page = weft.inbox.page("rev", query)
        assert len(page.rows) == 50 and all(r.record for r in page.rows), page.total
        report(f"inbox query, {tasks:,} tasks / {open_tasks:,} open, amount > 5000, by due, 50 per page "
               f"(total {page.total:,})", timed(lambda: weft.inbox.page("rev", query), runs), out)
        client = app.test_client()
        with client.session_transaction() as session:
            session["user"] = "rev"
            session["epoch"] = 0
        url_list = "/inbox/list?view=group&sort=due&per_page=50&field.amount__gt=5000"
        assert client.get(url_list).status_code == 200
        report("the same through GET /inbox/list (HTML)",
               timed(lambda: client.get(url_list), runs), out, target=None)
    finally:
        weft.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=TASKS)
    parser.add_argument("--open", type=int, default=OPEN)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="measure the database the last run built")
    args = parser.parse_args()
    url = existing_database("weft_bench_inbox_scale") if args.reuse else postgres_database("weft_bench_inbox_scale")
    if url is None:
        print("[PostgreSQL] not reachable on 127.0.0.1:5432; the inbox-at-scale benchmark needs it")
        return
    run(url, args.tasks, args.open, args.runs, print, reuse=args.reuse)


def existing_database(name: str) -> str:
    from sqlalchemy.engine import make_url

    from benchmarks.engine import POSTGRES_ADMIN_URL
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


if __name__ == "__main__":
    main()
