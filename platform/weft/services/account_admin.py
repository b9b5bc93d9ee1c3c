"""Administering accounts: users with their groups, roles the modules declare, API tokens.

In Weft a role is a group: ``admin`` and ``analyst`` are built in, each module declares the
roles its processes and entities use (``plugin.yaml`` ``roles``), and an administrator makes
them real by creating the group and adding members. Every change is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.security import generate_password_hash

from ..persistence.unit_of_work import Transaction, UnitOfWork
from . import audit
from .accounts import MIN_PASSWORD_LENGTH, User, require_admin, user_from_record
from .actor import ADMIN_GROUP
from .deployment import DEPLOYER_GROUP
from .errors import NotFound, UnknownGroup, UnknownUser, ValidationError


@dataclass(frozen=True)
class GroupInfo:
    name: str
    members: list[str]
    declared_by: list[str]            # modules whose plugin.yaml lists it among their roles


@dataclass(frozen=True)
class TokenInfo:
    id: int
    user: str
    label: str | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None


@dataclass(frozen=True)
class Directory:
    users: list[User]
    groups: list[GroupInfo]
    missing_roles: dict[str, list[str]]      # role declared by modules -> those modules, without a group
    tokens: list[TokenInfo]


class AccountAdminService:
    def __init__(self, uow: UnitOfWork, clock: Callable[[], dt.datetime]):
        self.uow = uow
        self.clock = clock

    def directory(self, by: str | None) -> Directory:
        """Users, groups with members and the modules declaring them, roles without a group, tokens."""
        with self.uow.read() as tx:
            require_admin(tx, by, "administer accounts")
            users = [user_from_record(r) for r in tx.accounts.users()]
            members = tx.accounts.memberships()
            declared: dict[str, list[str]] = {ADMIN_GROUP: ["weft"], DEPLOYER_GROUP: ["weft"]}
            for module in tx.definitions.modules():
                for role in module.roles or ():
                    declared.setdefault(role, []).append(module.name)
            tokens = [TokenInfo(r.id, r.user_name, r.label, r.created_at, r.revoked_at) for r in tx.accounts.tokens()]
        groups = [GroupInfo(name, names, declared.get(name, [])) for name, names in members.items()]
        missing = {role: modules for role, modules in sorted(declared.items()) if role not in members}
        return Directory(users, groups, missing, tokens)

    def update_user(self, name: str, groups: list[str], active: bool, password: str | None = None,
                    by: str | None = None) -> User:
        """Set a user's groups and whether they may sign in, and optionally a new password
        (which ends their sessions), in one transaction. Administrators cannot take their own
        administrator role or account away (nobody would be left to give it back)."""
        if password and len(password) < MIN_PASSWORD_LENGTH:
            raise ValidationError({"password": [f"must be at least {MIN_PASSWORD_LENGTH} characters"]})
        if by == name and (ADMIN_GROUP not in groups or not active):
            raise ValidationError({"groups": ["you cannot remove your own administrator role or account"]})
        with self.uow.write() as tx:
            require_admin(tx, by, "change users")
            account = tx.accounts.user(name)
            if account is None:
                raise UnknownUser(f"unknown user {name!r}")
            added, removed = _set_groups(tx, account, groups)
            details: dict[str, object] = {}
            if added or removed:
                details["groups"] = {"added": sorted(added), "removed": sorted(removed)}
            if active != account.is_active:
                tx.accounts.update_user(name, {"is_active": active})
                details["active"] = [account.is_active, active]
            if password:
                tx.accounts.set_password_hash(name, generate_password_hash(password))
                tx.accounts.end_sessions(name)
                details["password"] = "reset"
            if details:
                audit.record(tx, self.clock(), by, "user.update", "user", name, details)
            updated = tx.accounts.user(name)
        return user_from_record(updated)

    def revoke_token(self, token_id: int, by: str | None = None) -> TokenInfo:
        """Revoke an API token: it stops working at once."""
        with self.uow.write() as tx:
            require_admin(tx, by, "revoke API tokens")
            token = tx.accounts.token(token_id)
            if token is None:
                raise NotFound(f"no API token {token_id}")
            now = self.clock()
            if token.revoked_at is None:
                tx.accounts.revoke_token(token_id, now)
                audit.record(tx, now, by, "token.revoke", "token", token_id, {"user": token.user_name,
                                                                               "label": token.label})
        return TokenInfo(token.id, token.user_name, token.label, token.created_at, token.revoked_at or now)


def _set_groups(tx: Transaction, account, groups: list[str]) -> tuple[list[str], list[str]]:
    """Make ``groups`` exactly the account's groups; the groups added and removed."""
    wanted = {}
    for group in dict.fromkeys(groups):
        group_id = tx.accounts.group_id(group)
        if group_id is None:
            raise UnknownGroup(f"unknown group {group!r}")
        wanted[group] = group_id
    removed = [g for g in account.groups if g not in wanted]
    added = [g for g in wanted if g not in account.groups]
    for group in removed:
        tx.accounts.remove_member(tx.accounts.group_id(group) or 0, account.id)
    for group in added:
        tx.accounts.add_member(wanted[group], account.id)
    return added, removed
