"""What a user may start: the processes of plugin menus (menu ``roles`` restrict an entry) and
any other process people can start, with its start form where one is defined."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..entities.labels import translate
from ..persistence.unit_of_work import Transaction, UnitOfWork
from .actor import Actor, resolve_actor
from .errors import NotAllowed, UnknownProcess
from .process_instance import ProcessInstance, ProcessInstanceService
from .task_forms import TaskForms
from .variables import checked_variables


@dataclass(frozen=True)
class Startable:
    key: str
    name: str              # the menu's label, or the process name
    module: str | None     # the module whose menu offers it
    form: str | None       # the start event's form key


class StartService:
    def __init__(self, uow: UnitOfWork, instances: ProcessInstanceService, forms: TaskForms):
        self.uow = uow
        self.instances = instances
        self.forms = forms

    def catalogue(self, user: str, locale: str = "en") -> list[Startable]:
        with self.uow.read() as tx:
            return _catalogue(tx, _actor(tx, user), locale)

    def startable(self, key: str, user: str, locale: str = "en") -> tuple[Startable, dict[str, Any] | None]:
        """The process and its rendered start form (``None`` without one)."""
        with self.uow.read() as tx:
            entry = _entry(tx, _actor(tx, user), key, locale)
            form = self.forms.form(tx, entry.form)
            rendered = self.forms.render(tx, form, {}, locale, user) if form is not None else None
        return entry, rendered

    def conditions(self, key: str, data: dict[str, Any], user: str) -> dict[str, Any]:
        with self.uow.read() as tx:
            entry = _entry(tx, _actor(tx, user), key)
            form = self.forms.form(tx, entry.form)
            return self.forms.conditions(tx, form, data, {}) if form is not None else {"sections": [], "fields": {}}

    def start(self, key: str, data: dict[str, Any] | None, user: str, business_key: str | None = None
              ) -> ProcessInstance:
        """Start ``key``; with a start form, ``data`` is validated and written like a task's."""
        with self.uow.write() as tx:
            entry = _entry(tx, _actor(tx, user), key)
            form = self.forms.form(tx, entry.form)
            if form is not None:
                values = self.forms.submit_form(tx, form, data or {}, user, {}, f"{key}/start")
            else:
                values = checked_variables(data, self.instances.codec, "data")
            return self.instances.start_in(tx, key, values, business_key, user)


def _actor(tx: Transaction, user: str) -> Actor:
    actor = resolve_actor(tx, user)
    assert actor is not None
    return actor


def _catalogue(tx: Transaction, actor: Actor, locale: str = "en") -> list[Startable]:
    menu: dict[str, tuple[str | None, str, bool]] = {}      # key -> (label, module, allowed)
    for installed in tx.definitions.modules():
        for item in installed.menu or ():
            if "process" in item:
                roles = item.get("roles") or ()
                allowed = actor.is_admin or not roles or any(role in actor.groups for role in roles)
                label = translate(item["label"], locale) if item.get("label") else None
                menu[item["process"]] = (label, installed.name, allowed)
    offered: list[Startable] = []
    others: list[Startable] = []
    for row in tx.deployments.latest_definitions():
        manual = [e for e in row.start_events or () if e.get("kind") == "none"]
        if not manual or not menu.get(row.key, (None, "", True))[2]:
            continue
        label, module, _allowed = menu.get(row.key, (None, None, True))
        entry = Startable(row.key, label or row.name or row.key, module, manual[0].get("form"))
        (offered if row.key in menu else others).append(entry)
    return sorted(offered, key=lambda e: (e.module or "", e.name)) + sorted(others, key=lambda e: e.name)


def _entry(tx: Transaction, actor: Actor, key: str, locale: str = "en") -> Startable:
    for entry in _catalogue(tx, actor, locale):
        if entry.key == key:
            return entry
    if tx.deployments.latest_definition(key) is None:
        raise UnknownProcess(f"no process with key {key!r} is deployed")
    raise NotAllowed(f"{actor.name} may not start {key!r}")

