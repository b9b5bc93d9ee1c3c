"""The mail outbox: written in the same transaction as the step, sent by a background job."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import Connection, Row, insert, select, update

from .tables import mail_outbox


class OutboxRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, instance_id: uuid.UUID | None, mails: Sequence, now: dt.datetime, default_sender: str | None) -> None:
        if not mails:
            return
        self.conn.execute(insert(mail_outbox), [
            {"instance_id": instance_id, "sender": mail.sender or default_sender, "recipients": list(mail.to),
             "cc": list(mail.cc), "bcc": list(mail.bcc), "subject": mail.subject, "text": mail.text,
             "html": mail.html, "created_at": now, "next_attempt_at": now, "attempts": 0}
            for mail in mails])

    def claim(self, now: dt.datetime) -> Row | None:
        query = (select(mail_outbox).where(mail_outbox.c.sent_at.is_(None), mail_outbox.c.failed_at.is_(None),
                                           mail_outbox.c.next_attempt_at <= now)
                 .order_by(mail_outbox.c.next_attempt_at, mail_outbox.c.id).limit(1))
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return self.conn.execute(query).first()

    def sent(self, mail_id: int, now: dt.datetime) -> None:
        self.conn.execute(update(mail_outbox).where(mail_outbox.c.id == mail_id).values(sent_at=now))

    def attempt_failed(self, mail_id: int, attempts: int, error: str, next_attempt: dt.datetime | None,
                       now: dt.datetime) -> None:
        values = {"attempts": attempts, "last_error": error}
        values.update({"next_attempt_at": next_attempt} if next_attempt else {"failed_at": now})
        self.conn.execute(update(mail_outbox).where(mail_outbox.c.id == mail_id).values(**values))

    def all(self) -> list[Row]:
        return list(self.conn.execute(select(mail_outbox).order_by(mail_outbox.c.id)).all())
