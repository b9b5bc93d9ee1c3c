"""One deploy of modules inside one transaction: read what is deployed, check the new modules
against it and against each other, then apply schema changes, definitions and processes.

Every problem found is collected before anything is written; if there is one, nothing is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..engine import DeployedLookup, DeploymentError, Problem, Resource, compile_deployment
from ..engine.compiler import CompiledDeployment
from ..entities.catalog import Catalog, check_catalog
from ..entities.definition import EntityDefinition, parse_entity
from ..entities.errors import DefinitionProblem
from ..entities.evolution import Change, plan
from ..forms.checks import check_form
from ..packages.checks import (
    available_roles,
    form_key_problems,
    grant_problems,
    manifest_file,
    menu_problems,
    order_modules,
    ownership_problems,
    required_modules,
    role_problems,
)
from ..packages.module import Module, ModuleFiles
from ..persistence.entity_schema import EntitySchema
from ..persistence.unit_of_work import Transaction
from ..reports.definition import check_report
from .deployment import Deployment, check_start_names, deployed_lookup, store_processes

UNFORCEABLE = ("check_unique", "retarget")          # refused even when forced (docs/modules.md)


def as_problem(problem: DefinitionProblem) -> Problem:
    return Problem(problem.file, problem.message, problem.key or None)


def definition_checksum(raw: Mapping) -> str:
    return hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()


def plain(raw: Mapping) -> dict:
    """A definition as stored: JSON only (YAML dates become ISO text)."""
    return json.loads(json.dumps(raw, default=str))


@dataclass
class Deployed:
    """What the database holds before this deploy."""

    modules: dict[str, Any]                          # name -> modules row
    entities: dict[str, EntityDefinition]
    entity_checksums: dict[str, str]
    owners: dict[str, str]                           # entity -> module
    forms: dict[str, str]                            # "module/form" -> checksum

    @classmethod
    def read(cls, tx: Transaction) -> Deployed:
        entities, checksums, owners = {}, {}, {}
        for row in tx.definitions.latest_entities():
            entity, _ = parse_entity(row.definition, f"plugins/{row.module}/entities/{row.name}.yaml")
            if entity is not None:
                entities[entity.name] = entity
                checksums[entity.name] = row.checksum
                owners[entity.name] = row.module
        forms = {f"{row.module}/{row.name}": row.checksum for row in tx.definitions.latest_forms()}
        return cls({row.name: row for row in tx.definitions.modules()}, entities, checksums, owners, forms)


@dataclass
class ModuleDeploy:
    tx: Transaction
    loaded: dict[str, tuple[ModuleFiles, Module]]
    force: Collection[str]
    now: dt.datetime
    user: str | None
    connectors: Collection[str] | None
    problems: list[Problem] = field(default_factory=list)

    def run(self) -> list[Deployment]:
        deployed = Deployed.read(self.tx)
        unchanged = {name for name, (files, _m) in self.loaded.items()
                     if (previous := self.tx.deployments.latest_deployment(name)) is not None
                     and previous.checksum == files.checksum and name in deployed.modules}
        batch = {name: module for name, (_f, module) in self.loaded.items() if name not in unchanged}
        for module in batch.values():
            self.problems += [as_problem(p) for p in module.problems]
        manifests = {name: m.manifest for name, m in batch.items() if m.manifest is not None}
        order, order_problems = order_modules(manifests, {n: tuple(r.requires or ()) for n, r in
                                                         deployed.modules.items()})
        self._add(order_problems)
        changes, catalog = self._check_entities(batch, deployed, manifests)
        self._check_forms(batch, deployed, catalog)
        compiled = self._compile(order, batch, deployed, catalog)
        if self.problems:
            raise DeploymentError(_unique(self.problems))
        # Checks passed: each destructive change is forced or touches no data.
        statements = EntitySchema(self.tx.conn).apply(changes, Catalog(deployed.entities), catalog,
                                                      {c.target for c in changes})
        results = []
        stored: dict[str, int] = {}
        for name in order:
            def owned(entity: str, module: str = name) -> bool:
                return entity in batch[module].entities or deployed.owners.get(entity) == module
            results.append(self._store(name, batch[name], compiled[name], deployed,
                                       [c for c in changes if owned(c.entity)],
                                       [sql for entity, sql in statements if owned(entity)], stored))
        results += [self._unchanged(name) for name in sorted(unchanged)]
        return results

    def _add(self, problems: list[DefinitionProblem]) -> None:
        self.problems += [as_problem(p) for p in problems]

    # -- checks ----------------------------------------------------------------------------------
    def _check_entities(self, batch: dict[str, Module], deployed: Deployed, manifests
                        ) -> tuple[list[Change], Catalog]:
        new: dict[str, EntityDefinition] = {}
        for name, module in sorted(batch.items()):
            self._add(ownership_problems(name, module.entities, deployed.owners))
            for entity_name, entity in module.entities.items():
                if entity_name in new:
                    self._add([DefinitionProblem(entity.file, "name", f"entity {entity_name!r} is also defined "
                                                                      f"in {new[entity_name].file}")])
                new.setdefault(entity_name, entity)
        removed = _children_first([e for e, owner in deployed.owners.items() if owner in batch and e not in new],
                                  Catalog(deployed.entities))
        kept = {n: e for n, e in deployed.entities.items() if n not in new and n not in removed}
        self._add(check_catalog(new, kept))
        self._check_children(Catalog(deployed.entities), Catalog({**kept, **new}), new)
        for name in removed:
            for other in kept.values():
                if any(f.to == name or f.of == name for f in other.fields):
                    self._add([DefinitionProblem(manifest_file(deployed.owners[name]), name,
                                                 f"entity {name!r} would be removed, but {other.name} uses it")])
        deployed_roles = {n: tuple(r.roles or ()) for n, r in deployed.modules.items()}
        deployed_requires = {n: tuple(r.requires or ()) for n, r in deployed.modules.items()}
        owners = {**deployed.owners, **{e: n for n, m in batch.items() for e in m.entities}}
        for name, module in batch.items():
            roles = available_roles(name, manifests, deployed_roles, deployed_requires)
            for entity in module.entities.values():
                self._add(role_problems(entity, name, roles))
            if module.manifest is not None and module.manifest.grants:
                self._add(grant_problems(module.manifest, owners,
                                         required_modules(name, manifests, deployed_requires), roles))
        changed = {n: e for n, e in new.items() if deployed.entity_checksums.get(n) != definition_checksum(e.raw)}
        changes = plan(deployed.entities, changed, tuple(removed))
        catalog = Catalog({**kept, **new})
        if not self.problems:
            self._check_changes(changes, deployed, new)
        return changes, catalog

    def _check_children(self, old: Catalog, new: Catalog, changed: dict[str, EntityDefinition]) -> None:
        """A child entity stays the child of the same table field, and an entity with records of
        its own never becomes one: their tables differ (a parent link, or none)."""
        for name in sorted(set(old.entities) & set(new.entities)):
            before, after = old.parents.get(name), new.parents.get(name)
            if before == after:
                continue
            entity = changed.get(name) or new.entities[name]
            if before is None and after is not None:
                message = (f"{name} has records of its own and cannot become the rows of {after.parent}.{after.field};"
                           " define a new entity for the rows")
                holder = new.entities[after.parent]
                self._add([DefinitionProblem(holder.file, f"fields.{after.field}.of", message)])
            elif before is not None:
                where = f"{after.parent}.{after.field}" if after else "no table field"
                self._add([DefinitionProblem(entity.file, "name",
                                             f"{name} holds the rows of {before.parent}.{before.field} and cannot "
                                             f"move to {where}; remove both the table field and {name} instead")])

    def _check_changes(self, changes: list[Change], deployed: Deployed, new: dict[str, EntityDefinition]) -> None:
        refusals = EntitySchema(self.tx.conn).refusals(changes, Catalog(deployed.entities), self.force)
        for refusal in refusals:
            entity = new.get(refusal.change.entity) or deployed.entities[refusal.change.entity]
            forceable = refusal.change.kind not in UNFORCEABLE
            self.problems.append(Problem(entity.file, refusal.message, refusal.change.target,
                                         force=refusal.change.target if forceable else None))
        targets = {c.target for c in changes} | {c.entity for c in changes}
        for name in sorted(set(self.force) - targets):
            self.problems.append(Problem("--force", f"{name!r} names no change of this deploy "
                                         f"(changes: {', '.join(sorted(targets)) or 'none'})"))

    def _check_forms(self, batch: dict[str, Module], deployed: Deployed, catalog: Catalog) -> None:
        for module in batch.values():
            for form in module.forms.values():
                self._add(check_form(form, catalog))
            for report in module.reports.values():
                self._add(check_report(report, catalog))

    def _compile(self, order: list[str], batch: dict[str, Module], deployed: Deployed, catalog: Catalog
                 ) -> dict[str, CompiledDeployment]:
        forms = set(deployed.forms) | {form.key for m in batch.values() for form in m.forms.values()}
        stored = deployed_lookup(self.tx)
        earlier: dict[str, CompiledDeployment] = {}

        def process_bundle(key: str) -> list[Resource] | None:
            for done in earlier.values():
                for process in done.processes:
                    if process.key == key:
                        return process.bundle
            return stored.process_bundle(key)

        def decision_bundle(decision: str) -> list[Resource] | None:
            for done in earlier.values():
                if decision in done.decisions:
                    return [done.decisions[decision]]
            return stored.decision_bundle(decision)

        lookup = DeployedLookup(process_bundle, decision_bundle)
        known_processes = {row.key for row in self.tx.deployments.latest_definitions()}
        for name in order:
            module = batch[name]
            try:
                compiled = compile_deployment(module.resources, lookup, self.connectors) if module.resources \
                    else CompiledDeployment([], {})
            except DeploymentError as exc:
                self.problems += exc.problems
                continue
            try:
                check_start_names(self.tx, compiled.processes)
            except DeploymentError as exc:
                self.problems += exc.problems
            self._add(form_key_problems(compiled.form_keys, forms))
            earlier[name] = compiled
            known_processes |= {p.key for p in compiled.processes}
            if module.manifest is not None:
                self._add(menu_problems(module.manifest, catalog.entities, known_processes))
        return earlier

    # -- applying --------------------------------------------------------------------------------
    def _store(self, name: str, module: Module, compiled: CompiledDeployment, deployed: Deployed,
               changes: list[Change], statements: list[str], stored: dict[str, int]) -> Deployment:
        files, _ = self.loaded[name]
        manifest = module.manifest
        assert manifest is not None
        previous = self.tx.deployments.latest_deployment(name)
        version = previous.version + 1 if previous is not None else 1
        deployment_id = self.tx.deployments.add_deployment(name, version, files.checksum, files.origin or name,
                                                           self.user, self.now)
        processes = store_processes(self.tx, deployment_id, module.resources, compiled, self.now, stored)
        processes_files = {r.name for r in module.resources}
        for path, content in sorted(files.files.items()):      # the module's other files, for the editors
            if path not in processes_files:
                self.tx.deployments.add_resource(deployment_id, path, hashlib.sha256(content).hexdigest(), content)
        definitions = self.tx.definitions
        for entity_name, entity in module.entities.items():
            checksum = definition_checksum(entity.raw)
            if deployed.entity_checksums.get(entity_name) != checksum:
                definitions.add_entity(name, entity_name, definitions.entity_version(entity_name) + 1,
                                       plain(entity.raw), checksum, deployment_id, self.now)
        for change in changes:
            if change.kind == "drop_table":
                self.tx.records.retire_history(change.entity, str(deployment_id))
                raw = deployed.entities[change.entity].raw
                definitions.add_entity(name, change.entity, definitions.entity_version(change.entity) + 1,
                                       plain(raw), definition_checksum(raw), deployment_id, self.now, retired=True)
        for form in module.forms.values():
            checksum = definition_checksum(form.raw)
            if deployed.forms.get(form.key) != checksum:
                current = definitions.latest_form(name, form.name)
                definitions.add_form(name, form.name, (current.version if current else 0) + 1, plain(form.raw),
                                     checksum, deployment_id, self.now)
        stored_reports = {row.name: row.checksum for row in definitions.latest_reports() if row.module == name}
        for report in module.reports.values():
            checksum = definition_checksum(report.raw)
            if stored_reports.get(report.name) != checksum:
                definitions.add_report(name, report.name, plain(report.raw), checksum, deployment_id, self.now)
        for gone in sorted(set(stored_reports) - set(module.reports)):
            definitions.add_report(name, gone, {}, "", deployment_id, self.now, retired=True)
        definitions.save_module({"name": name, "version": manifest.version, "label": manifest.label,
                                 "requires": list(manifest.requires), "roles": list(manifest.roles),
                                 "menu": list(manifest.menu), "deployment_id": deployment_id,
                                 "grants": {e: {r: list(a) for r, a in g.items()} for e, g in manifest.grants.items()},
                                 "deployed_at": self.now})
        for role in manifest.roles:
            if self.tx.accounts.group_id(role) is None:
                self.tx.accounts.add_group(role, self.now)
        return Deployment(deployment_id, name, version, [p.key for p in processes], processes, module=name,
                          module_version=manifest.version, changes=[str(c) for c in changes],
                          statements=statements)

    def _unchanged(self, name: str) -> Deployment:
        previous = self.tx.deployments.latest_deployment(name)
        assert previous is not None, "an unchanged module has a deployment"
        module = self.tx.definitions.module(name)
        keys = [row.key for row in self.tx.deployments.definitions_of_deployment(previous.id)]
        return Deployment(previous.id, name, previous.version, keys, [], unchanged=True, module=name,
                          module_version=module.version if module else None)


def _children_first(names: list[str], catalog: Catalog) -> list[str]:
    return sorted(names, key=lambda n: (not catalog.is_child(n), n))


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
