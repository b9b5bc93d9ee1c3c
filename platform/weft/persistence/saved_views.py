"""Users' saved inbox views."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Row, delete, insert, select, update

from .inbox_tables import saved_views


class SavedViewRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def of(self, user: str) -> list[Row]:
        return list(self.conn.execute(select(saved_views).where(saved_views.c.user_name == user)
                                      .order_by(saved_views.c.name)).all())

    def save(self, user: str, name: str, query: str, now: dt.datetime) -> None:
        changed = self.conn.execute(update(saved_views).where(saved_views.c.user_name == user,
                                                              saved_views.c.name == name).values(query=query))
        if changed.rowcount == 0:
            self.conn.execute(insert(saved_views).values(user_name=user, name=name, query=query, created_at=now))

    def delete(self, user: str, view_id: int) -> bool:
        result = self.conn.execute(delete(saved_views).where(saved_views.c.user_name == user,
                                                             saved_views.c.id == view_id))
        return result.rowcount == 1
