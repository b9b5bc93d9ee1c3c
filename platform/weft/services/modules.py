"""Deploying and listing modules (plugins as data)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..engine import DeploymentError, Problem
from ..packages.module import ModuleFiles, load_module
from ..persistence.unit_of_work import UnitOfWork
from .actor import ADMIN_GROUP, resolve_actor
from .deployment import DEPLOYER_GROUP, Deployment, audit_deployment
from .errors import NotAllowed
from .module_deploy import ModuleDeploy


@dataclass(frozen=True)
class ModuleInfo:
    name: str
    version: str
    label: dict[str, str]
    requires: list[str]
    roles: list[str]
    menu: list[dict[str, Any]]
    deployment_id: int
    deployed_at: dt.datetime


class _DryRunDone(Exception):
    def __init__(self, results: list[Deployment]):
        self.results = results


class ModuleService:
    def __init__(self, uow: UnitOfWork, clock: Callable[[], dt.datetime],
                 connectors: Callable[[], set[str]] | None = None):
        self.uow = uow
        self.clock = clock
        self.connectors = connectors

    def deploy(self, modules: Sequence[ModuleFiles], user: str | None = None, force: Collection[str] = (),
               dry_run: bool = False) -> list[Deployment]:
        """Validate the modules together and apply them in one transaction (each a new
        deployment version), or raise ``DeploymentError`` listing every problem and change
        nothing. ``force`` names destructive schema changes to accept (``entity.field`` or
        ``entity``); ``dry_run`` checks and reports the changes and DDL, then rolls back."""
        names = [m.name for m in modules]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise DeploymentError([Problem(n, "the module is given more than once") for n in repeated])
        if not modules:
            raise DeploymentError([Problem("deploy", "no module given")])
        loaded = {m.name: (m, load_module(m)) for m in modules}
        try:
            with self.uow.write() as tx:
                actor = resolve_actor(tx, user)
                if actor is not None and not (actor.is_admin or DEPLOYER_GROUP in actor.groups):
                    raise NotAllowed(f"deploying needs the {DEPLOYER_GROUP} or {ADMIN_GROUP} role")
                tx.deployments.lock_for_deploy()
                results = ModuleDeploy(tx, loaded, set(force), self.clock(), user,
                                       self.connectors() if self.connectors else None).run()
                for result in results:
                    audit_deployment(tx, self.clock(), user, result)
                if dry_run:
                    raise _DryRunDone([replace(r, dry_run=True) for r in results])
        except _DryRunDone as done:
            return done.results
        return results

    def modules(self) -> list[ModuleInfo]:
        with self.uow.read() as tx:
            return [ModuleInfo(row.name, row.version, row.label, list(row.requires), list(row.roles), list(row.menu),
                               row.deployment_id, row.deployed_at) for row in tx.definitions.modules()]
