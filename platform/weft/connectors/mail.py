"""``mail.send``: queue an e-mail in the outbox (sent by a background job after commit).

``to``, ``cc`` and ``bcc`` take e-mail addresses, user names (their e-mail address) and group
names (the addresses of its active members), as a list or separated by commas."""

from __future__ import annotations

import re
from typing import Any

from ..engine.connectors import ConnectorContext, ConnectorError, Mail

ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+$")
MAX_RECIPIENTS = 100


def _addresses(value: Any, field: str, context: ConnectorContext | None = None) -> tuple[str, ...]:
    if value in (None, "", []):
        return ()
    items = [part.strip() for part in value.split(",")] if isinstance(value, str) else [str(v).strip() for v in value]
    found: list[str] = []
    bad: list[str] = []
    for item in items:
        if ADDRESS.match(item):
            found.append(item)
        else:
            resolved = _of_people(item, context) if context is not None and item else []
            found.extend(resolved) if resolved else bad.append(item or "(empty)")
    if bad:
        raise ConnectorError(f"mail.send: {field} is neither an e-mail address nor a user or group with one: "
                             f"{', '.join(bad)}")
    return tuple(dict.fromkeys(found))


def _of_people(name: str, context: ConnectorContext) -> list[str]:
    """The address of the user ``name``, or those of the group ``name``'s members."""
    accounts = context.service("accounts")
    user = accounts.user(name)
    if user is not None:
        return [user.email] if user.email and user.is_active else []
    members = [accounts.user(member) for member in accounts.members([name])]
    return [member.email for member in members if member is not None and member.email]


def send_mail(params: dict[str, Any], context: ConnectorContext) -> dict[str, Any]:
    to = _addresses(params.get("to"), "to", context)
    cc, bcc = _addresses(params.get("cc"), "cc", context), _addresses(params.get("bcc"), "bcc", context)
    if not to:
        raise ConnectorError("mail.send: 'to' is required")
    if len(to) + len(cc) + len(bcc) > MAX_RECIPIENTS:
        raise ConnectorError(f"mail.send: more than {MAX_RECIPIENTS} recipients")
    subject = str(params.get("subject") or "").replace("\r", " ").replace("\n", " ")
    text = str(params.get("text", params.get("body", "")) or "")
    html = params.get("html")
    sender = params.get("from")
    if sender is not None:
        sender = _addresses(sender, "from")[0]
    context.outbox.append(Mail(to, subject, text, str(html) if html else None, cc, bcc, sender))
    return {"queued": True}
