"""Loading modules' seed data (demo users, records, process instances), each file once."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any

from ..packages.seed import SeedFile, SeedInstance
from ..persistence.unit_of_work import UnitOfWork
from .accounts import AccountService
from .errors import Conflict, ValidationError
from .human_task import HumanTaskService
from .records import RecordService
from .start_catalogue import StartService


class SeedService:
    def __init__(self, uow: UnitOfWork, accounts: AccountService, records: RecordService, starts: StartService,
                 human_tasks: HumanTaskService, clock: Callable[[], dt.datetime]):
        self.uow = uow
        self.accounts = accounts
        self.records = records
        self.starts = starts
        self.human_tasks = human_tasks
        self.clock = clock

    def load(self, module: str, seeds: list[SeedFile], password: str | None) -> Iterator[str]:
        """Load the seed files of ``module`` not loaded before; yields what it did."""
        with self.uow.read() as tx:
            done = tx.definitions.seeded(module)
        for seed in sorted(seeds, key=lambda s: s.path):
            if seed.path in done:
                continue
            yield from self._users(seed, password)
            yield from self._records(module, seed)
            for instance in seed.instances:
                yield self._instance(instance)
            with self.uow.write() as tx:
                tx.definitions.mark_seeded(module, seed.path, _checksum(seed), self.clock())
            yield f"{module}: seed {seed.path.rsplit('/', 1)[-1]} loaded"

    def resolve(self, value: Any) -> Any:
        """``"@key"`` anywhere in ``value`` becomes the id of the record seeded with that key."""
        with self.uow.read() as tx:
            return _resolved(value, _all_keys(tx))

    def _users(self, seed: SeedFile, password: str | None) -> Iterator[str]:
        for user in seed.users:
            try:
                self.accounts.add_user(user.name, password, user.email, list(user.groups), user.display_name)
                yield f"user {user.name} added ({', '.join(user.groups)})"
            except Conflict:
                self.accounts.set_groups(user.name, sorted(set(self.accounts.user(user.name).groups) | set(user.groups)))

    def _records(self, module: str, seed: SeedFile) -> Iterator[str]:
        """All records of a file in one transaction: each reference ``@key`` to an earlier record."""
        counts: dict[str, int] = {}
        with self.uow.write() as tx:
            keys = _all_keys(tx)
            store = self.records.store(tx)
            for record in seed.records:
                values = _resolved(record.values, keys)
                try:
                    record_id = store.create(record.entity, values, None, source=f"seed/{module}", by_process=True,
                                             created_at=record.created_at)
                except ValidationError as exc:
                    raise ValidationError(exc.errors, f"{seed.path}: {record.entity} {record.key or ''}") from None
                if record.key:
                    tx.definitions.add_seed_key(module, record.key, record.entity, record_id)
                    keys[record.key] = record_id
                counts[record.entity] = counts.get(record.entity, 0) + 1
        for entity, count in counts.items():
            yield f"{count} {entity} records"

    def _instance(self, instance: SeedInstance) -> str:
        with self.uow.read() as tx:
            keys = _all_keys(tx)
        started = self.starts.start(instance.process, _resolved(instance.data, keys), instance.user)
        for step in instance.steps:
            open_tasks = [t for t in self.human_tasks.tasks(instance_id=started.id).tasks if t.element_id == step.task]
            if not open_tasks:
                raise Conflict(f"seed: {instance.process} has no open task {step.task!r}")
            self.human_tasks.complete(open_tasks[0].id, _resolved(step.data, keys), user=step.user)
        return f"{instance.process} started by {instance.user}"


def _all_keys(tx) -> dict[str, int]:
    found: dict[str, int] = {}
    for row in tx.definitions.all_seed_keys():
        found.setdefault(row.key, row.record_id)
    return found


def _resolved(value: Any, keys: dict[str, int]) -> Any:
    """``"@acme"`` becomes the id of the record seeded with key ``acme``."""
    if isinstance(value, str) and value.startswith("@") and value[1:] in keys:
        return keys[value[1:]]
    if isinstance(value, dict):
        return {k: _resolved(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v, keys) for v in value]
    return value


def _checksum(seed: SeedFile) -> str:
    return hashlib.sha256(json.dumps(repr(seed)).encode()).hexdigest()
