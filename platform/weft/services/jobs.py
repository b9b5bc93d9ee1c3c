"""The job executor: timers, start timers and asynchronous continuations, each run exactly
once in its own transaction (claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace

from ..engine.events import StartTrigger, next_start_timer_due
from ..persistence.unit_of_work import Transaction, UnitOfWork
from .instance_runner import ENDED_STATES, InstanceRunner, StoredInstance, retry_policy

TIMER_KINDS = ("timer", "start_timer")
MAX_JOBS_PER_RUN = 10_000


class _RetryLater(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class JobService:
    def __init__(self, uow: UnitOfWork, instances: InstanceRunner, clock: Callable[[], dt.datetime]):
        self.uow = uow
        self.instance_runner = instances
        self.runner = instances.runner
        self.clock = clock

    def fire_due_timers(self) -> int:
        """Fire every timer due at the clock's time; the number fired."""
        return self.run_due(TIMER_KINDS)

    def run_due(self, kinds: Iterable[str] | None = None, limit: int = MAX_JOBS_PER_RUN) -> int:
        """Run due jobs (of ``kinds``) one transaction each, until none is due; the number run."""
        kinds = tuple(kinds) if kinds is not None else None
        done = 0
        while done < limit:
            with self.uow.write() as tx:
                job = tx.jobs.claim(self.clock(), kinds)
                if job is None:
                    break
                self._execute(tx, job)
            done += 1
        return done

    def next_due(self) -> dt.datetime | None:
        with self.uow.read() as tx:
            return tx.jobs.next_due()

    def _execute(self, tx: Transaction, job) -> None:
        if job.kind == "start_timer":
            self._start_timer(tx, job)
            return
        row = tx.instances.get(job.instance_id, for_update=True) if job.instance_id else None
        if row is None or row.state in ENDED_STATES or row.suspended:
            if row is None or row.state in ENDED_STATES:
                tx.jobs.delete(job.id)
            else:
                tx.jobs.reschedule(job.id, self.clock() + dt.timedelta(minutes=1), job.retries, job.attempts,
                                   "instance is suspended")
            return
        stored = StoredInstance.from_row(row)
        if job.kind == "timer":
            self._timer(tx, job, stored)
        else:
            self._async(tx, job, stored)

    def _timer(self, tx: Transaction, job, stored: StoredInstance) -> None:
        tx.jobs.delete(job.id)
        waiting = tuple(w for w in stored.waiting if not (w["kind"] == "timer" and w["task"] == job.task_id
                                                          and w["name"] == job.name))
        stored = replace(stored, waiting=waiting)
        self.instance_runner.advance(tx, stored, lambda model, execution, known: self.runner.fire_timers(
            model, stored.workflow_state, execution, known))

    def _async(self, tx: Transaction, job, stored: StoredInstance) -> None:
        task_id = uuid.UUID(job.task_id)
        attempts = job.attempts + 1
        try:
            with tx.conn.begin_nested():
                def run(model, execution, known):
                    step = self.runner.run_job(model, stored.workflow_state, task_id, execution, known)
                    failure = next((i for i in step.incidents if i.task_id == job.task_id), None)
                    # As in Camunda, ``retries`` counts the attempts left, this one included.
                    if failure is not None and job.retries > 1:
                        raise _RetryLater(failure.message)
                    return step
                self.instance_runner.advance(tx, stored, run, incident_kind="job")
        except _RetryLater as retry:
            _retries, interval = retry_policy((job.payload or {}).get("retry_cycle"))
            pause = interval if interval is not None else 5.0 * 2 ** (attempts - 1)
            tx.jobs.reschedule(job.id, self.clock() + dt.timedelta(seconds=pause), job.retries - 1, attempts,
                               retry.message)

    def _start_timer(self, tx: Transaction, job) -> None:
        definition = tx.deployments.definition(job.definition_id)
        latest = tx.deployments.latest_definition(definition.key) if definition is not None else None
        if definition is None or latest is None or latest.id != definition.id:
            tx.jobs.delete(job.id)
            return
        self.instance_runner.start(tx, definition, {}, None, None, StartTrigger("timer"))
        state = dict(job.payload or {})
        due, state = next_start_timer_due(state, job.due_at, self.clock())
        if due is None:
            tx.jobs.delete(job.id)
        else:
            tx.jobs.reschedule(job.id, due, job.retries, job.attempts + 1, None, payload=state)
