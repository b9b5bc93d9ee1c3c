"""Sending the outbox: SMTP per ``WEFT_MAIL_*``, or files in ``WEFT_MAIL_FILE_SINK``."""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

from ..config import MailSettings
from ..persistence.unit_of_work import UnitOfWork

MAX_ATTEMPTS = 5


class MailDelivery:
    def __init__(self, uow: UnitOfWork, settings: MailSettings, clock: Callable[[], dt.datetime]):
        self.uow = uow
        self.settings = settings
        self.clock = clock

    def deliver_due(self, limit: int = 100) -> int:
        """Send due mail, one transaction per message; the number sent."""
        sent = 0
        for _ in range(limit):
            with self.uow.write() as tx:
                mail = tx.outbox.claim(self.clock())
                if mail is None:
                    break
                try:
                    self._send(mail)
                except (OSError, smtplib.SMTPException) as exc:
                    attempts = mail.attempts + 1
                    retry = self.clock() + dt.timedelta(minutes=2 ** attempts) if attempts < MAX_ATTEMPTS else None
                    tx.outbox.attempt_failed(mail.id, attempts, f"{type(exc).__name__}: {exc}", retry, self.clock())
                    continue
                tx.outbox.sent(mail.id, self.clock())
                sent += 1
        return sent

    def _message(self, mail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = mail.sender or self.settings.sender
        message["To"] = ", ".join(mail.recipients)
        if mail.cc:
            message["Cc"] = ", ".join(mail.cc)
        message["Subject"] = mail.subject
        message["Message-ID"] = f"<weft-{mail.id}@{(mail.sender or self.settings.sender).split('@')[-1]}>"
        message.set_content(mail.text)
        if mail.html:
            message.add_alternative(mail.html, subtype="html")
        return message

    def _send(self, mail) -> None:
        message = self._message(mail)
        if self.settings.file_sink:
            folder = Path(self.settings.file_sink)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{mail.id:08d}.eml").write_bytes(bytes(message))
            return
        recipients = list(mail.recipients) + list(mail.cc) + list(mail.bcc)
        with smtplib.SMTP(self.settings.host, self.settings.port, timeout=30) as smtp:
            if self.settings.use_tls:
                smtp.starttls()
            if self.settings.username:
                smtp.login(self.settings.username, self.settings.password or "")
            smtp.send_message(message, to_addrs=recipients)
