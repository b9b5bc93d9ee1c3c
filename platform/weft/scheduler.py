"""Background work: the in-process scheduler of ``weft run`` and the loop of ``weft worker``."""

from __future__ import annotations

import logging
import signal
import threading

from apscheduler.schedulers.background import BackgroundScheduler

from .embedding import Weft

log = logging.getLogger("weft.jobs")
POLL_SECONDS = 0.5


def run_once(weft: Weft) -> int:
    """Run due jobs and send due mail; errors are logged, never raised (the next poll retries)."""
    try:
        return weft.run_jobs()
    except Exception:  # noqa: BLE001 - a background loop must survive a bad job or a lost database
        log.exception("running due jobs failed")
        return 0


def start_in_process(weft: Weft, poll_seconds: float = POLL_SECONDS) -> BackgroundScheduler:
    """Poll for due jobs every ``poll_seconds`` in a background thread of this process."""
    scheduler = BackgroundScheduler(daemon=True)
    scheduler.add_job(run_once, "interval", seconds=poll_seconds, args=[weft], max_instances=1, coalesce=True,
                      id="weft-jobs")
    scheduler.start()
    return scheduler


def work(weft: Weft, poll_seconds: float = POLL_SECONDS, stop: threading.Event | None = None) -> None:
    """Run jobs until stopped (SIGTERM or SIGINT); sleep ``poll_seconds`` only when idle."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    while not stop.is_set():
        if run_once(weft) == 0:
            stop.wait(poll_seconds)
