"""Process diagrams being modelled: one shared draft per process key, saved with optimistic locking."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import Connection, Integer, Row, String, Table, Text, delete, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from .columns import Base, Timestamp


class ProcessDraft(Base):
    """The XML an analyst saved in the modeler, not deployed yet. ``version`` grows with every
    save, so a save based on an older version is refused instead of overwriting a colleague's."""

    __tablename__ = "process_drafts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    process_key: Mapped[str] = mapped_column(String(255), unique=True)
    # The deployed version the draft started from (None: a process never deployed).
    base_version: Mapped[int | None] = mapped_column(Integer)
    # The file name the process is deployed under (versions are counted per deployment name).
    file_name: Mapped[str] = mapped_column(String(500))
    xml: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    saved_by: Mapped[str] = mapped_column(String(150))
    saved_at: Mapped[dt.datetime] = Timestamp()


process_drafts = cast(Table, ProcessDraft.__table__)


class DraftRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def get(self, key: str, for_update: bool = False) -> Row | None:
        query = select(process_drafts).where(process_drafts.c.process_key == key)
        return self.conn.execute(query.with_for_update() if for_update else query).first()

    def all(self) -> list[Row]:
        return list(self.conn.execute(select(process_drafts.c.process_key, process_drafts.c.base_version,
                                             process_drafts.c.version, process_drafts.c.saved_by,
                                             process_drafts.c.saved_at, process_drafts.c.file_name)
                                      .order_by(process_drafts.c.process_key)).all())

    def add(self, key: str, base_version: int | None, file_name: str, xml: str, user: str, now: dt.datetime) -> None:
        self.conn.execute(insert(process_drafts).values(process_key=key, base_version=base_version, file_name=file_name,
                                                        xml=xml, version=1, saved_by=user, saved_at=now))

    def replace(self, key: str, expected_version: int, xml: str, user: str, now: dt.datetime) -> bool:
        """Store a new version of the draft if it is still at ``expected_version``."""
        changed = self.conn.execute(update(process_drafts)
                                    .where(process_drafts.c.process_key == key,
                                           process_drafts.c.version == expected_version)
                                    .values(xml=xml, version=expected_version + 1, saved_by=user, saved_at=now))
        return changed.rowcount == 1

    def delete(self, key: str, expected_version: int | None = None) -> bool:
        query = delete(process_drafts).where(process_drafts.c.process_key == key)
        if expected_version is not None:
            query = query.where(process_drafts.c.version == expected_version)
        return self.conn.execute(query).rowcount == 1
