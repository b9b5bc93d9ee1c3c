"""Users, groups and API tokens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Row, delete, insert, select, update

from .tables import api_tokens, group_members, groups, inserted_id, users


@dataclass(frozen=True)
class UserRecord:
    id: int
    name: str
    email: str | None
    display_name: str | None
    locale: str
    is_active: bool
    groups: tuple[str, ...]
    notify_email: bool = True
    session_epoch: int = 0


class AccountRepository:
    def __init__(self, conn: Connection):
        self.conn = conn

    def user(self, name: str) -> UserRecord | None:
        """The user and their group names, in one statement."""
        rows = self.conn.execute(
            select(users.c.id, users.c.name, users.c.email, users.c.display_name, users.c.locale,
                   users.c.is_active, users.c.notify_email, users.c.session_epoch, groups.c.name.label("group_name"))
            .select_from(users.outerjoin(group_members, group_members.c.user_id == users.c.id)
                         .outerjoin(groups, groups.c.id == group_members.c.group_id))
            .where(users.c.name == name)
        ).all()
        if not rows:
            return None
        first = rows[0]
        names = tuple(sorted(row.group_name for row in rows if row.group_name))
        return UserRecord(first.id, first.name, first.email, first.display_name, first.locale, first.is_active,
                          names, first.notify_email, first.session_epoch)

    def password_hash(self, name: str) -> str | None:
        return self.conn.execute(select(users.c.password_hash).where(users.c.name == name)).scalar()

    def users(self) -> list[UserRecord]:
        memberships: dict[int, list[str]] = {}
        for user_id, group_name in self.conn.execute(
                select(group_members.c.user_id, groups.c.name).join(groups, groups.c.id == group_members.c.group_id)):
            memberships.setdefault(user_id, []).append(group_name)
        return [UserRecord(row.id, row.name, row.email, row.display_name, row.locale, row.is_active,
                           tuple(sorted(memberships.get(row.id, []))), row.notify_email, row.session_epoch)
                for row in self.conn.execute(select(users).order_by(users.c.name))]

    def add_user(self, name: str, password_hash: str | None, email: str | None, display_name: str | None,
                 now: dt.datetime) -> int:
        return inserted_id(self.conn.execute(insert(users).values(
            name=name, password_hash=password_hash, email=email, display_name=display_name, locale="en",
            is_active=True, created_at=now)))

    def update_user(self, name: str, values: dict) -> None:
        self.conn.execute(update(users).where(users.c.name == name).values(**values))

    def members(self, group_names: list[str]) -> list[str]:
        """Active users in any of the groups."""
        if not group_names:
            return []
        return list(self.conn.execute(
            select(users.c.name).distinct().join(group_members, group_members.c.user_id == users.c.id)
            .join(groups, groups.c.id == group_members.c.group_id)
            .where(groups.c.name.in_(group_names), users.c.is_active.is_(True)).order_by(users.c.name)).scalars())

    def end_sessions(self, name: str) -> None:
        self.conn.execute(update(users).where(users.c.name == name).values(session_epoch=users.c.session_epoch + 1))

    def remove_member(self, group_id: int, user_id: int) -> None:
        self.conn.execute(delete(group_members).where(group_members.c.group_id == group_id,
                                                      group_members.c.user_id == user_id))

    def set_password_hash(self, name: str, password_hash: str) -> None:
        self.conn.execute(update(users).where(users.c.name == name).values(password_hash=password_hash))

    def group_id(self, name: str) -> int | None:
        return self.conn.execute(select(groups.c.id).where(groups.c.name == name)).scalar()

    def group_names(self) -> list[str]:
        return list(self.conn.execute(select(groups.c.name).order_by(groups.c.name)).scalars())

    def add_group(self, name: str, now: dt.datetime) -> int:
        return inserted_id(self.conn.execute(insert(groups).values(name=name, created_at=now)))

    def is_member(self, group_id: int, user_id: int) -> bool:
        return self.conn.execute(select(group_members.c.user_id).where(
            group_members.c.group_id == group_id, group_members.c.user_id == user_id)).first() is not None

    def add_member(self, group_id: int, user_id: int) -> None:
        self.conn.execute(insert(group_members).values(group_id=group_id, user_id=user_id))

    def add_token(self, user_id: int, token_hash: str, label: str | None, now: dt.datetime) -> int:
        return inserted_id(self.conn.execute(insert(api_tokens).values(
            user_id=user_id, token_hash=token_hash, label=label, created_at=now)))

    def actor_for_token(self, token_hash: str) -> tuple[str, tuple[str, ...]] | None:
        """The active user of a live token with their group names, in one statement (every API call)."""
        rows = self.conn.execute(
            select(users.c.name, groups.c.name.label("group_name"))
            .select_from(users.join(api_tokens, api_tokens.c.user_id == users.c.id)
                         .outerjoin(group_members, group_members.c.user_id == users.c.id)
                         .outerjoin(groups, groups.c.id == group_members.c.group_id))
            .where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None),
                   users.c.is_active.is_(True))).all()
        if not rows:
            return None
        return rows[0].name, tuple(sorted(row.group_name for row in rows if row.group_name))

    def tokens(self) -> list[Row]:
        """Every API token (never the token itself) with its user's name, newest first."""
        return list(self.conn.execute(
            select(api_tokens.c.id, api_tokens.c.label, api_tokens.c.created_at, api_tokens.c.revoked_at,
                   users.c.name.label("user_name"))
            .join(users, users.c.id == api_tokens.c.user_id).order_by(api_tokens.c.id.desc())).all())

    def token(self, token_id: int) -> Row | None:
        return self.conn.execute(
            select(api_tokens.c.id, api_tokens.c.label, api_tokens.c.created_at, api_tokens.c.revoked_at,
                   users.c.name.label("user_name"))
            .join(users, users.c.id == api_tokens.c.user_id).where(api_tokens.c.id == token_id)).first()

    def revoke_token(self, token_id: int, now: dt.datetime) -> None:
        self.conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=now))

    def memberships(self) -> dict[str, list[str]]:
        """Each group's member names."""
        found: dict[str, list[str]] = {name: [] for name in self.group_names()}
        for group_name, user_name in self.conn.execute(
                select(groups.c.name, users.c.name).join(group_members, group_members.c.group_id == groups.c.id)
                .join(users, users.c.id == group_members.c.user_id).order_by(users.c.name)):
            found[group_name].append(user_name)
        return found
