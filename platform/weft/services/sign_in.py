"""Signing in to the web UI with a password, with attempts limited per user name and per
network address (so guessing is slow, and one attacker cannot lock out everybody)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..persistence.unit_of_work import UnitOfWork
from .accounts import AccountService
from .actor import Actor
from .errors import WeftError

WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 30


class SignInRefused(WeftError):
    """Wrong name or password (deliberately not saying which)."""


class TooManyAttempts(WeftError):
    def __init__(self, retry_after: int):
        self.retry_after = max(1, retry_after)          # seconds
        super().__init__(f"too many failed sign-ins; try again in {max(1, self.retry_after // 60)} min")


class SignInService:
    def __init__(self, uow: UnitOfWork, accounts: AccountService, clock: Callable[[], dt.datetime]):
        self.uow = uow
        self.accounts = accounts
        self.clock = clock

    def sign_in(self, name: str, password: str, address: str) -> Actor:
        now = self.clock()
        name = name.strip()[:150]
        with self.uow.read() as tx:
            by_name = tx.sign_ins.failures(now - WINDOW, name=name)
            by_address = tx.sign_ins.failures(now - WINDOW, address=address)
        for (count, first), limit in ((by_name, MAX_FAILURES_PER_NAME), (by_address, MAX_FAILURES_PER_ADDRESS)):
            if count >= limit and first is not None:
                raise TooManyAttempts(int((first + WINDOW - now).total_seconds()))
        actor = self.accounts.authenticate_password(name, password)
        with self.uow.write() as tx:
            tx.sign_ins.record(name, address, actor is not None, now)
            if actor is None:
                tx.sign_ins.forget_before(now - 4 * WINDOW)
        if actor is None:
            raise SignInRefused("unknown user name or wrong password")
        return actor
