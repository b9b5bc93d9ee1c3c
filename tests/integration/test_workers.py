"""Several worker processes: every timer fires exactly once, overdue work is picked up."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from tests.support.bpmn import chain, end, process_xml, script, start, timer_catch
from weft import Weft
from weft.persistence.tables import history_events, jobs, process_instances

WEFT = str(Path(sys.executable).with_name("weft"))
INSTANCES = 60


def test_two_workers_never_fire_one_timer_twice(database_url, bpmn_file):
    weft = Weft.open(database_url)
    try:
        weft.deploy(bpmn_file(process_xml("tick", [start(), timer_catch("pause", duration="PT1S"),
                                                   script("after", "fired = True"), end()],
                                          chain("start", "pause", "after", "end"))))
        ids = [weft.start("tick").id for _ in range(INSTANCES)]
        env = {**os.environ, "WEFT_DATABASE_URL": database_url}
        workers = [subprocess.Popen([WEFT, "worker", "--poll", "0.05"], env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True) for _ in range(2)]
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with weft.database.engine.connect() as conn:
                    done = conn.execute(select(func.count()).select_from(process_instances)
                                        .where(process_instances.c.state == "completed")).scalar()
                if done == INSTANCES:
                    break
                time.sleep(0.2)          # waiting for the workers, whose pace the test does not set
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)
        assert all(worker.returncode in (0, -15) for worker in workers), [w.stderr.read() for w in workers]
        with weft.database.engine.connect() as conn:
            fired = dict(conn.execute(select(history_events.c.instance_id, func.count())
                                      .where(history_events.c.element_id == "pause")
                                      .group_by(history_events.c.instance_id)).all())
            left = conn.execute(select(func.count()).select_from(jobs)).scalar()
        assert {str(k) for k in fired} == set(ids)
        assert set(fired.values()) == {1}
        assert left == 0
    finally:
        weft.close()
