"""Inbox benchmark for the web inbox issue; run ``python benchmarks/inbox.py``.

Fills a database with 10,000 open tasks (each bound to a record of a small entity, with due
dates and priorities spread out), then measures, for a member of the candidate group:
  1. the inbox list request (``GET /inbox/list``: query, counts per view, record titles and the
     rendered HTML) — server time, median and p95 (target: < 150 ms);
  2. the same with a filter on a field of the bound record (``amount > 5000``);
  3. the full inbox page (``GET /inbox``).

Server time is measured around Flask's test client, in process: no network, no browser.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "platform"))

from tests.support.bpmn import chain, end, process_xml, start, user  # noqa: E402
from tests.support.modules import module_files  # noqa: E402

from benchmarks.engine import postgres_database  # noqa: E402
from weft import Weft  # noqa: E402
from weft.app import create_app  # noqa: E402
from weft.config import Settings  # noqa: E402

TASKS = 10_000
TARGET_MS = 150


def bench_module():
    process = process_xml("review", [
        start(), user("check", "Check ticket", camunda_formKey="bench/check", camunda_candidateGroups="reviewers",
                      camunda_dueDate="${due}", camunda_priority="${priority}"), end()],
        chain("start", "check", "end"), name="Ticket review")
    return module_files("bench", {
        "plugins/bench/plugin.yaml": {"name": "bench", "version": "1.0.0", "roles": ["reviewers"]},
        "plugins/bench/entities/ticket.yaml": {
            "name": "ticket", "naming": "T-{######}", "title": "subject",
            "fields": {"subject": {"type": "string", "required": True}, "amount": {"type": "money", "index": True}},
            "permissions": {"reviewers": ["read", "update"]}},
        "forms/bench/check.yaml": {"name": "check", "record": {"entity": "ticket", "id": "ticket_id"},
                                   "sections": [{"fields": [{"field": "subject", "readonly": True},
                                                            {"name": "ok", "type": "boolean"}]}]},
        "processes/bench/review.bpmn": process,
    })


def fill(weft: Weft, tasks: int) -> None:
    weft.deploy_modules([bench_module()])
    weft.add_user("rev", groups=["reviewers"])
    started = time.perf_counter()
    for n in range(tasks):
        ticket = weft.records.create("ticket", {"subject": f"Ticket {n}", "amount": str(n % 10_000)})
        weft.start("review", {"ticket_id": ticket["id"], "due": f"2027-{1 + n % 12:02d}-{1 + n % 28:02d}",
                              "priority": n % 100})
        if n and n % 2000 == 0:
            print(f"  … {n:,} tasks ({time.perf_counter() - started:.0f} s)", flush=True)
    if weft.database.engine.dialect.name == "postgresql":
        # Statistics as autovacuum keeps them on a database that grew over days, not seconds.
        with weft.database.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def measure(client, url: str, runs: int) -> list[float]:
    client.get(url)                                          # warm caches and templates
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    return timings


def report(label: str, what: str, timings: list[float], out) -> None:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    median = statistics.median(ordered)
    out(f"[{label}] {what}: median {median:.0f} ms, p95 {p95:.0f} ms (target < {TARGET_MS} ms) "
        f"{'OK' if p95 < TARGET_MS else 'MISSED'}")


def run(label: str, url: str, tasks: int, runs: int, out) -> None:
    weft = Weft.open(url)
    try:
        fill(weft, tasks)
        app = create_app(Settings(database_url=url, secret_key="bench"), weft=weft)
        client = app.test_client()
        with client.session_transaction() as session:
            session["user"] = "rev"
            session["epoch"] = 0
        first = client.get("/inbox/list?view=group").text
        assert f"{tasks:,}".replace(",", "") in first.replace(",", "") or str(tasks) in first
        report(label, f"inbox list, {tasks:,} open tasks, 25 per page",
               measure(client, "/inbox/list?view=group&sort=due", runs), out)
        report(label, "inbox list filtered by a record field (amount > 5000)",
               measure(client, "/inbox/list?view=group&sort=-priority&field.amount__gt=5000", runs), out)
        report(label, "whole inbox page", measure(client, "/inbox?view=group", runs), out)
    finally:
        weft.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=TASKS)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        path = Path(tempfile.mkdtemp(prefix="weft-bench-inbox-")) / "inbox.db"
        run("SQLite", f"sqlite:///{path}", args.tasks, args.runs, print)
    if args.backend in ("postgresql", "both"):
        url = postgres_database("weft_bench_inbox")
        if url is None:
            print("[PostgreSQL] not reachable on 127.0.0.1:5432; skipped")
        else:
            run("PostgreSQL", url, args.tasks, args.runs, print)


if __name__ == "__main__":
    main()
