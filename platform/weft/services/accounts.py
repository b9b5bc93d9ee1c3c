"""Users, groups and API tokens."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.security import check_password_hash, generate_password_hash

from ..config import LOCALES
from ..persistence.unit_of_work import Transaction, UnitOfWork
from . import audit
from .actor import Actor, resolve_actor
from .errors import Conflict, NotAllowed, UnknownGroup, UnknownUser, ValidationError

ACCOUNT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,149}$")
TOKEN_PREFIX = "weft_"
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class User:
    name: str
    email: str | None
    display_name: str | None
    groups: tuple[str, ...]
    is_active: bool = True
    locale: str = "en"
    notify_email: bool = True
    session_epoch: int = 0


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountService:
    def __init__(self, uow: UnitOfWork, clock: Callable[[], dt.datetime]):
        self.uow = uow
        self.clock = clock

    def add_user(self, name: str, password: str | None = None, email: str | None = None,
                 groups: list[str] | None = None, display_name: str | None = None, by: str | None = None) -> User:
        _check_name(name, "name")
        errors = {}
        if password is not None and len(password) < MIN_PASSWORD_LENGTH:
            errors["password"] = [f"must be at least {MIN_PASSWORD_LENGTH} characters"]
        if email is not None and not re.match(r"^[^@\s]+@[^@\s]+$", email):
            errors["email"] = ["not an email address"]
        if errors:
            raise ValidationError(errors, f"cannot add user {name!r}")
        with self.uow.write() as tx:
            require_admin(tx, by, "add users")
            if tx.accounts.user(name) is not None:
                raise Conflict(f"user {name!r} already exists")
            group_ids = []
            for group in groups or []:
                group_id = tx.accounts.group_id(group)
                if group_id is None:
                    raise UnknownGroup(f"unknown group {group!r} (create it first: weft groups add {group})")
                group_ids.append(group_id)
            password_hash = generate_password_hash(password) if password else None
            user_id = tx.accounts.add_user(name, password_hash, email, display_name, self.clock())
            for group_id in group_ids:
                tx.accounts.add_member(group_id, user_id)
            audit.record(tx, self.clock(), by, "user.add", "user", name, {"email": email, "groups": sorted(groups or [])})
        return User(name, email, display_name, tuple(sorted(groups or [])))

    def users(self) -> list[User]:
        with self.uow.read() as tx:
            return [user_from_record(r) for r in tx.accounts.users()]

    def user(self, name: str) -> User:
        with self.uow.read() as tx:
            record = tx.accounts.user(name)
        if record is None:
            raise UnknownUser(f"unknown user {name!r}")
        return user_from_record(record)

    def update_profile(self, name: str, display_name: str | None = None, email: str | None = None,
                       locale: str | None = None, notify_email: bool | None = None) -> User:
        """A user's own settings: name shown, email, language (en, ru), email notifications."""
        values: dict[str, object] = {}
        errors = {}
        if display_name is not None:
            values["display_name"] = display_name.strip()[:200] or None
        if email is not None:
            if email.strip() and not re.match(r"^[^@\s]+@[^@\s]+$", email.strip()):
                errors["email"] = ["not an email address"]
            values["email"] = email.strip() or None
        if locale is not None:
            if locale not in LOCALES:
                errors["locale"] = [f"one of {', '.join(LOCALES)}"]
            values["locale"] = locale
        if notify_email is not None:
            values["notify_email"] = bool(notify_email)
        if errors:
            raise ValidationError(errors, "invalid profile")
        with self.uow.write() as tx:
            if tx.accounts.user(name) is None:
                raise UnknownUser(f"unknown user {name!r}")
            if values:
                tx.accounts.update_user(name, values)
        return self.user(name)

    def change_password(self, name: str, current: str | None, new: str) -> None:
        """Set a new password; ``current`` must match unless ``None`` (an administrator's reset)."""
        if len(new) < MIN_PASSWORD_LENGTH:
            raise ValidationError({"password": [f"must be at least {MIN_PASSWORD_LENGTH} characters"]})
        if current is not None and self.authenticate_password(name, current) is None:
            raise ValidationError({"current_password": ["wrong password"]})
        with self.uow.write() as tx:
            if tx.accounts.user(name) is None:
                raise UnknownUser(f"unknown user {name!r}")
            tx.accounts.set_password_hash(name, generate_password_hash(new))
            tx.accounts.end_sessions(name)               # a stolen session dies with the old password

    def colleagues(self, groups: list[str], users: list[str]) -> list[str]:
        """Who a task may be handed to: members of its candidate groups and its candidate users."""
        with self.uow.read() as tx:
            found = set(tx.accounts.members(groups))
            found.update(name for name in users if (record := tx.accounts.user(name)) and record.is_active)
        return sorted(found)

    def end_sessions(self, name: str) -> None:
        """Sign the user out of every web session."""
        with self.uow.write() as tx:
            tx.accounts.end_sessions(name)

    def set_groups(self, name: str, groups: list[str]) -> User:
        """Make ``groups`` exactly the user's groups."""
        with self.uow.write() as tx:
            record = tx.accounts.user(name)
            if record is None:
                raise UnknownUser(f"unknown user {name!r}")
            wanted = {}
            for group in groups:
                group_id = tx.accounts.group_id(group)
                if group_id is None:
                    raise UnknownGroup(f"unknown group {group!r}")
                wanted[group] = group_id
            for group in record.groups:
                if group not in wanted:
                    tx.accounts.remove_member(tx.accounts.group_id(group) or 0, record.id)
            for group, group_id in wanted.items():
                if group not in record.groups:
                    tx.accounts.add_member(group_id, record.id)
        return self.user(name)

    def set_active(self, name: str, active: bool) -> User:
        with self.uow.write() as tx:
            if tx.accounts.user(name) is None:
                raise UnknownUser(f"unknown user {name!r}")
            tx.accounts.update_user(name, {"is_active": active})
        return self.user(name)

    def add_group(self, name: str, by: str | None = None) -> str:
        _check_name(name, "name")
        with self.uow.write() as tx:
            require_admin(tx, by, "add groups")
            if tx.accounts.group_id(name) is not None:
                raise Conflict(f"group {name!r} already exists")
            tx.accounts.add_group(name, self.clock())
            audit.record(tx, self.clock(), by, "group.add", "group", name)
        return name

    def groups(self) -> list[str]:
        with self.uow.read() as tx:
            return tx.accounts.group_names()

    def add_member(self, group: str, user: str, by: str | None = None) -> None:
        with self.uow.write() as tx:
            require_admin(tx, by, "change groups")
            group_id = tx.accounts.group_id(group)
            if group_id is None:
                raise UnknownGroup(f"unknown group {group!r}")
            record = tx.accounts.user(user)
            if record is None:
                raise UnknownUser(f"unknown user {user!r}")
            if not tx.accounts.is_member(group_id, record.id):
                tx.accounts.add_member(group_id, record.id)
                audit.record(tx, self.clock(), by, "group.add_member", "group", group, {"user": user})

    def create_token(self, user: str, label: str | None = None, by: str | None = None) -> str:
        """A new API token for ``user``; only its SHA-256 digest is stored. ``by`` (when not
        the system) must be an administrator."""
        if label is not None and len(label) > 200:
            raise ValidationError({"label": ["at most 200 characters"]})
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.uow.write() as tx:
            require_admin(tx, by, "create API tokens")
            account = tx.accounts.user(user)
            if account is None:
                raise UnknownUser(f"unknown user {user!r}")
            token_id = tx.accounts.add_token(account.id, token_digest(token), label, self.clock())
            audit.record(tx, self.clock(), by, "token.create", "token", token_id, {"user": user, "label": label})
        return token

    def authenticate_token(self, token: str) -> Actor | None:
        if not token.startswith(TOKEN_PREFIX):
            return None
        with self.uow.read() as tx:
            found = tx.accounts.actor_for_token(token_digest(token))
        return Actor(*found) if found else None

    def authenticate_password(self, name: str, password: str) -> Actor | None:
        with self.uow.read() as tx:
            password_hash = tx.accounts.password_hash(name)
            record = tx.accounts.user(name)
        if not password_hash or record is None or not record.is_active:
            # Same work as a real check, so timing does not reveal which names exist.
            check_password_hash(_dummy_hash(), password)
            return None
        if not check_password_hash(password_hash, password):
            return None
        return Actor(record.name, record.groups)


def require_admin(tx: Transaction, by: str | None, what: str) -> None:
    """``by`` is the system (``None``) or an administrator."""
    actor = resolve_actor(tx, by)
    if actor is not None and not actor.is_admin:
        raise NotAllowed(f"only administrators may {what}")


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash("not-a-real-password")


def user_from_record(record) -> User:
    return User(record.name, record.email, record.display_name, record.groups, record.is_active, record.locale,
                record.notify_email, record.session_epoch)


def _check_name(name: str, field: str) -> None:
    if not isinstance(name, str) or not ACCOUNT_NAME.match(name):
        raise ValidationError({field: ["use letters, digits, and . _ @ - (up to 150 characters)"]},
                              f"invalid name {name!r}")
