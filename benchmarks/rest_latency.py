"""User-task completion through the REST API; run ``python benchmarks/rest_latency.py``.

One instance loops over a user task 1,000 times; each iteration lists the instance's task and
completes it with ``POST /api/v1/tasks/{id}/complete`` (bearer token, JSON), through Flask's
test client in process (no network). Prints, for SQLite and PostgreSQL:
  1. completion latency p50 / p95 over all iterations;
  2. flatness: the median around iteration 1000 over the median around iteration 10 (target <= 1.3);
  3. SQL statements per completion request (target <= 10): one reads the token with its user and
     groups, the rest complete the task in one transaction (its BEGIN and COMMIT are not counted;
     nor are the token read's).
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

from tests.support.processes import user_loop  # noqa: E402

from benchmarks.engine import StatementCounter, postgres_database, window  # noqa: E402
from weft import Weft  # noqa: E402
from weft.app import create_app  # noqa: E402
from weft.config import Settings  # noqa: E402

ITERATIONS = 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def run(label: str, url: str, iterations: int, out) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="weft-bench-rest-"))
    (workdir / "user_loop.bpmn").write_text(user_loop())
    weft = Weft.open(url)
    try:
        weft.deploy(workdir)
        weft.add_user("bench", "benchmark-password")
        headers = {"Authorization": f"Bearer {weft.create_token('bench')}"}
        client = create_app(Settings(database_url=url, secret_key="bench"), weft=weft).test_client()
        started = client.post("/api/v1/process-instances", headers=headers,
                              json={"process_key": "user_loop", "variables": {"n": iterations + 1}})
        assert started.status_code == 201, started.json
        instance = started.json["id"]
        counter = StatementCounter(weft.database.engine)
        latencies, statements = [], []
        for _ in range(iterations):
            [task] = client.get(f"/api/v1/tasks?instance_id={instance}", headers=headers).json
            before = counter.count
            began = time.perf_counter()
            done = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=headers, json={"data": {"note": "ok"}})
            latencies.append(time.perf_counter() - began)
            statements.append(counter.count - before)
            assert done.status_code == 200, done.json
        assert weft.instance(instance).variables["count"] == iterations
        p50, p95 = statistics.median(latencies) * 1000, percentile(latencies, 0.95) * 1000
        at_10, at_end = window(latencies, 10), window(latencies, iterations)
        flat = at_end / at_10
        most = max(statements)
        out(f"[{label}] REST completion latency over {iterations:,} iterations: p50 {p50:.2f} ms, p95 {p95:.2f} ms")
        out(f"[{label}] REST completion at iteration 10 -> {iterations:,}: {at_10 * 1000:.2f} -> "
            f"{at_end * 1000:.2f} ms, ratio {flat:.2f} (target <= 1.3) {'OK' if flat <= 1.3 else 'MISSED'}")
        out(f"[{label}] SQL statements per REST completion: {most} (1 token check + {most - 1} in the completing "
            f"transaction, BEGIN/COMMIT not counted) (target <= 10) {'OK' if most <= 10 else 'MISSED'}")
    finally:
        weft.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=ITERATIONS)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        path = Path(tempfile.mkdtemp(prefix="weft-bench-rest-db-")) / "rest.db"
        run("SQLite", f"sqlite:///{path}", args.iterations, print)
    if args.backend in ("postgresql", "both"):
        url = postgres_database("weft_bench_rest")
        if url is None:
            print("[PostgreSQL] not reachable on 127.0.0.1:5432; skipped")
        else:
            run("PostgreSQL", url, args.iterations, print)


if __name__ == "__main__":
    main()
