"""Sign-in attempts, counted to slow down password guessing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, delete, func, insert, select

from .inbox_tables import login_attempts


class SignInRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def record(self, name: str, address: str, success: bool, now: dt.datetime) -> None:
        self.conn.execute(insert(login_attempts).values(name=name[:150], address=address[:64], success=success,
                                                        at=now))

    def failures(self, since: dt.datetime, name: str | None = None, address: str | None = None
                 ) -> tuple[int, dt.datetime | None]:
        """Failed attempts since ``since`` for a name or an address, and the first of them."""
        query = select(func.count(), func.min(login_attempts.c.at)).where(
            login_attempts.c.success.is_(False), login_attempts.c.at >= since)
        if name is not None:
            query = query.where(login_attempts.c.name == name)
        if address is not None:
            query = query.where(login_attempts.c.address == address)
        count, first = self.conn.execute(query).one()
        return int(count or 0), first

    def forget_before(self, before: dt.datetime) -> None:
        self.conn.execute(delete(login_attempts).where(login_attempts.c.at < before))
