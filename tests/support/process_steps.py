"""Driving module processes through the embedding API in tests: find an open task, complete it
as a user, read the mail the process sent."""

from __future__ import annotations

from weft.persistence.tables import mail_outbox


def task(weft, instance_id, element):
    """The open task of ``element`` in the instance (failing with what is open instead)."""
    found = [t for t in weft.tasks(instance_id=instance_id) if t.element_id == element]
    assert found, f"no open task {element}; open: {open_tasks(weft, instance_id)}"
    return found[0]


def open_tasks(weft, instance_id) -> list[str]:
    return sorted(t.element_id for t in weft.tasks(instance_id=instance_id))


def do(weft, instance_id, element, user, data=None):
    """Claim (unless the user holds it already) and complete the task with ``data``."""
    current = task(weft, instance_id, element)
    if current.assignee != user:
        weft.claim(current.id, user)
    return weft.complete(current.id, data or {}, user=user)


def mails(weft, subject: str = ""):
    """Mails in the outbox, oldest first; those whose subject contains ``subject``."""
    with weft.database.engine.connect() as conn:
        rows = conn.execute(mail_outbox.select().order_by(mail_outbox.c.id)).all()
    return [m for m in rows if subject in m.subject]
