"""Comments and files on process instances: whoever may see an instance may read and add them."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from ..persistence.unit_of_work import Transaction, UnitOfWork
from .actor import Actor, resolve_actor
from .errors import InstanceNotFound, NotFound, ValidationError
from .identifiers import parse_uuid
from .process_instance import may_see_instance
from .record_store import MAX_ATTACHMENT_BYTES

MAX_COMMENT_CHARS = 5000


@dataclass(frozen=True)
class Comment:
    id: int
    user: str
    text: str
    created: dt.datetime
    task_id: str | None


@dataclass(frozen=True)
class InstanceFile:
    id: int
    name: str
    content_type: str
    size: int
    created_by: str
    created: dt.datetime


class CollaborationService:
    def __init__(self, uow: UnitOfWork, clock: Callable[[], dt.datetime]):
        self.uow = uow
        self.clock = clock

    def comments(self, instance_id: str | uuid.UUID, user: str) -> list[Comment]:
        with self.uow.read() as tx:
            key, _actor = _visible(tx, instance_id, user)
            return [Comment(r.id, r.user_name, r.text, r.created_at, str(r.task_id) if r.task_id else None)
                    for r in tx.collaboration.comments(key)]

    def add_comment(self, instance_id: str | uuid.UUID, user: str, text: str, task_id: str | None = None) -> None:
        text = (text or "").strip()
        if not text or len(text) > MAX_COMMENT_CHARS:
            raise ValidationError({"text": [f"write 1 to {MAX_COMMENT_CHARS} characters"]})
        with self.uow.write() as tx:
            key, actor = _visible(tx, instance_id, user)
            tx.collaboration.add_comment(key, parse_uuid(task_id) if task_id else None, actor.name, text,
                                         self.clock())

    def files(self, instance_id: str | uuid.UUID, user: str) -> list[InstanceFile]:
        with self.uow.read() as tx:
            key, _actor = _visible(tx, instance_id, user)
            return [InstanceFile(r.id, r.name, r.content_type, r.size, r.created_by, r.created_at)
                    for r in tx.collaboration.files(key)]

    def add_file(self, instance_id: str | uuid.UUID, user: str, name: str, content_type: str, content: bytes,
                 task_id: str | None = None) -> None:
        if not content or len(content) > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"file": [f"a file of 1 byte to {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB"]})
        with self.uow.write() as tx:
            key, actor = _visible(tx, instance_id, user)
            now = self.clock()
            attachment_id = tx.records.add_attachment((name or "file")[:255], (content_type or
                                                      "application/octet-stream")[:255], content,
                                                      hashlib.sha256(content).hexdigest(), actor.name, now)
            tx.collaboration.add_file(key, attachment_id, parse_uuid(task_id) if task_id else None, actor.name, now)

    def file(self, instance_id: str | uuid.UUID, attachment_id: int, user: str) -> tuple[str, str, bytes]:
        with self.uow.read() as tx:
            key, _actor = _visible(tx, instance_id, user)
            row = tx.collaboration.file(key, attachment_id)
            if row is None:
                raise NotFound(f"no file {attachment_id} on this instance")
            return row.name, row.content_type, bytes(row.content)


def _visible(tx: Transaction, instance_id: str | uuid.UUID, user: str) -> tuple[uuid.UUID, Actor]:
    key = parse_uuid(instance_id)
    actor = resolve_actor(tx, user)
    row = tx.instances.get(key) if key else None
    if actor is None or row is None or not may_see_instance(tx, actor, row):
        raise InstanceNotFound(f"no process instance {instance_id}")
    return row.id, actor
