"""Tables of the web inbox: sign-in attempts, saved views, notifications, comments and files
attached to instances."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import cast

from sqlalchemy import Boolean, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .columns import Base, BigId, Timestamp


class LoginAttempt(Base):
    """Every sign-in attempt, to slow down password guessing per user name and per address."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_name_at", "name", "at"),
                      Index("ix_login_attempts_address_at", "address", "at"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(150))
    address: Mapped[str] = mapped_column(String(64))
    success: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[dt.datetime] = Timestamp()


class SavedView(Base):
    """A user's named inbox filter (the query string of the inbox)."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("user_name", "name"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_name: Mapped[str] = mapped_column(String(150))
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[dt.datetime] = Timestamp()


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_name", "read_at", "id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_name: Mapped[str] = mapped_column(String(150))
    kind: Mapped[str] = mapped_column(String(20))               # assigned, group, overdue
    title: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(500))
    task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("human_tasks.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = Timestamp()
    read_at: Mapped[dt.datetime | None] = Timestamp()


class Comment(Base):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    instance_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("process_instances.id", ondelete="CASCADE"),
                                                   index=True)
    task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("human_tasks.id", ondelete="SET NULL"))
    user_name: Mapped[str] = mapped_column(String(150))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = Timestamp()


class InstanceFile(Base):
    """A file attached to an instance (from its task page), stored in ``attachments``."""

    __tablename__ = "instance_files"
    instance_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("process_instances.id", ondelete="CASCADE"),
                                                   primary_key=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("attachments.id", ondelete="CASCADE"), primary_key=True)
    task_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("human_tasks.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(150))
    created_at: Mapped[dt.datetime] = Timestamp()


login_attempts = cast(Table, LoginAttempt.__table__)
saved_views = cast(Table, SavedView.__table__)
notifications = cast(Table, Notification.__table__)
comments = cast(Table, Comment.__table__)
instance_files = cast(Table, InstanceFile.__table__)
