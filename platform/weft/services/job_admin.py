"""Timers and jobs for administrators: what is due when, what keeps failing, and running a
waiting job now. Jobs whose retries ran out became incidents: those are retried on their
instance (``retry``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from ..persistence.unit_of_work import UnitOfWork
from .accounts import require_admin
from .audit import record
from .errors import Conflict, NotFound, ValidationError

KINDS = ("timer", "start_timer", "async")


@dataclass(frozen=True)
class JobInfo:
    id: int
    kind: str                         # timer, start_timer, async
    instance_id: str | None
    process_key: str | None
    element_id: str | None
    due_at: dt.datetime
    retries: int
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class FailedJob:
    """An incident of a job whose retries ran out."""

    incident_id: int
    instance_id: str
    process_key: str
    element_id: str | None
    message: str
    created_at: dt.datetime


@dataclass(frozen=True)
class JobOverview:
    jobs: list[JobInfo]
    total: int
    failed: list[FailedJob]


class JobAdminService:
    def __init__(self, uow: UnitOfWork, clock: Callable[[], dt.datetime]):
        self.uow = uow
        self.clock = clock

    def overview(self, kind: str | None = None, failing: bool = False, page: int = 1, per_page: int = 50,
                 by: str | None = None) -> JobOverview:
        """Waiting jobs by due time (``failing``: only those whose last attempt failed), and the
        jobs that ran out of retries."""
        if kind is not None and kind not in KINDS:
            raise ValidationError({"kind": [f"one of {', '.join(KINDS)}"]})
        with self.uow.read() as tx:
            require_admin(tx, by, "see jobs")
            rows, total = tx.jobs.search(kind, failing, (max(page, 1) - 1) * per_page, per_page)
            failed = tx.incidents.open_of_kind("job")
        return JobOverview([JobInfo(r.id, r.kind, str(r.instance_id) if r.instance_id else None, r.process_key,
                                    r.element_id, r.due_at, r.retries, r.attempts, r.last_error) for r in rows],
                           total,
                           [FailedJob(r.id, str(r.instance_id), r.process_key, r.element_id, r.message, r.created_at)
                            for r in failed])

    def run_now(self, job_id: int, by: str | None = None) -> None:
        """Make an asynchronous job waiting for its next attempt due now (the scheduler or
        ``run_jobs`` takes it up). Timers fire when they are due, not earlier."""
        with self.uow.write() as tx:
            require_admin(tx, by, "run jobs")
            job = tx.jobs.get(job_id)
            if job is None:
                raise NotFound(f"no job {job_id} (it may have run meanwhile)")
            if job.kind != "async":
                raise Conflict(f"job {job_id} is a {job.kind.replace('_', ' ')}: timers fire when they are due")
            now = self.clock()
            tx.jobs.reschedule(job.id, now, job.retries, job.attempts, job.last_error)
            record(tx, now, by, "job.run_now", "job", job.id,
                   {"kind": job.kind, "instance_id": str(job.instance_id) if job.instance_id else None,
                    "element_id": job.element_id, "was_due": job.due_at.isoformat()})
