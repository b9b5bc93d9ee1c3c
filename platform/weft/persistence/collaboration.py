"""Comments on instances and files attached to them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Connection, Row, insert, select

from .columns import inserted_id
from .inbox_tables import comments, instance_files
from .module_tables import attachments


class CollaborationRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def comments(self, instance_id: uuid.UUID) -> list[Row]:
        return list(self.conn.execute(select(comments).where(comments.c.instance_id == instance_id)
                                      .order_by(comments.c.id)).all())

    def add_comment(self, instance_id: uuid.UUID, task_id: uuid.UUID | None, user: str, text: str,
                    now: dt.datetime) -> int:
        return inserted_id(self.conn.execute(insert(comments).values(
            instance_id=instance_id, task_id=task_id, user_name=user, text=text, created_at=now)))

    def files(self, instance_id: uuid.UUID) -> list[Row]:
        return list(self.conn.execute(
            select(attachments.c.id, attachments.c.name, attachments.c.content_type, attachments.c.size,
                   instance_files.c.created_by, instance_files.c.created_at, instance_files.c.task_id)
            .join(attachments, attachments.c.id == instance_files.c.attachment_id)
            .where(instance_files.c.instance_id == instance_id).order_by(instance_files.c.created_at)).all())

    def add_file(self, instance_id: uuid.UUID, attachment_id: int, task_id: uuid.UUID | None, user: str,
                 now: dt.datetime) -> None:
        self.conn.execute(insert(instance_files).values(instance_id=instance_id, attachment_id=attachment_id,
                                                        task_id=task_id, created_by=user, created_at=now))

    def file(self, instance_id: uuid.UUID, attachment_id: int) -> Row | None:
        return self.conn.execute(
            select(attachments).join(instance_files, instance_files.c.attachment_id == attachments.c.id)
            .where(instance_files.c.instance_id == instance_id, attachments.c.id == attachment_id)).first()
