"""Checks across the modules of one deploy: dependency order, declared roles, who owns which
entity, and the forms that processes name. Pure functions over parsed modules."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from ..entities.definition import EntityDefinition
from ..entities.errors import DefinitionProblem
from .manifest import Manifest

ALWAYS_KNOWN_ROLES = frozenset({"admin", "analyst"})


def manifest_file(module: str) -> str:
    return f"plugins/{module}/plugin.yaml"


def order_modules(batch: Mapping[str, Manifest], deployed: Mapping[str, Collection[str]]
                  ) -> tuple[list[str], list[DefinitionProblem]]:
    """The modules of ``batch`` so that each comes after those it requires; problems for a
    required module that is nowhere, and for cycles (also through deployed modules)."""
    graph: dict[str, tuple[str, ...]] = {name: tuple(requires) for name, requires in deployed.items()}
    graph.update({name: manifest.requires for name, manifest in batch.items()})
    problems = [DefinitionProblem(manifest_file(name), "requires",
                                  f"module {required!r} is neither deployed nor part of this deploy")
                for name, manifest in sorted(batch.items()) for required in manifest.requires
                if required not in graph]
    order: list[str] = []
    state: dict[str, str] = {}
    cycles: set[frozenset[str]] = set()

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = path[path.index(name):] + [name]
            if frozenset(cycle) not in cycles:
                cycles.add(frozenset(cycle))
                first = next(n for n in cycle if n in batch)
                problems.append(DefinitionProblem(manifest_file(first), "requires",
                                                  "modules require each other in a cycle: " + " -> ".join(cycle)))
            return
        state[name] = "visiting"
        for required in graph.get(name, ()):
            if required in graph:
                visit(required, path + [name])
        state[name] = "done"
        if name in batch:
            order.append(name)

    for name in sorted(batch):
        visit(name, [])
    return order, problems


def available_roles(module: str, manifests: Mapping[str, Manifest | None],
                    deployed_roles: Mapping[str, Collection[str]],
                    deployed_requires: Mapping[str, Collection[str]]) -> set[str]:
    """Roles a module may grant: its own, those of every module it requires (transitively),
    and the platform's own roles."""
    roles = set(ALWAYS_KNOWN_ROLES)
    seen: set[str] = set()
    pending = [module]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        manifest = manifests.get(name)
        if manifest is not None:
            roles.update(manifest.roles)
            pending.extend(manifest.requires)
        else:
            roles.update(deployed_roles.get(name, ()))
            pending.extend(deployed_requires.get(name, ()))
    return roles


def role_problems(entity: EntityDefinition, module: str, roles: Collection[str]) -> list[DefinitionProblem]:
    return [DefinitionProblem(entity.file, f"permissions.{role}",
                              f"role {role!r} is not declared in {manifest_file(module)} (roles) "
                              "nor by a module it requires")
            for role in entity.permissions if role not in roles]


def ownership_problems(module: str, entities: Mapping[str, EntityDefinition], owners: Mapping[str, str]
                       ) -> list[DefinitionProblem]:
    """An entity belongs to the module that first deployed it (or is deployed with it now)."""
    return [DefinitionProblem(entity.file, "name", f"entity {name!r} belongs to module {owners[name]!r}")
            for name, entity in sorted(entities.items()) if owners.get(name, module) != module]


def form_key_problems(form_keys: list[tuple[str, str, str]], forms: Collection[str]) -> list[DefinitionProblem]:
    """Every ``camunda:formKey`` of a module's processes names a form: ``<module>/<form>``."""
    problems = []
    for file, element, key in form_keys:
        if "/" not in key:
            problems.append(DefinitionProblem(file, element, f"formKey {key!r} should name a form as "
                                                             "'<module>/<form name>'"))
        elif key not in forms:
            problems.append(DefinitionProblem(file, element, f"formKey {key!r} names no form "
                                                             "(neither deployed nor in this deploy)"))
    return problems


def menu_problems(manifest: Manifest, entities: Collection[str], processes: Collection[str]
                  ) -> list[DefinitionProblem]:
    problems = []
    for index, item in enumerate(manifest.menu):
        if "entity" in item and item["entity"] not in entities:
            problems.append(DefinitionProblem(manifest_file(manifest.name), f"menu[{index}].entity",
                                              f"unknown entity {item['entity']!r}"))
        if "process" in item and item["process"] not in processes:
            problems.append(DefinitionProblem(manifest_file(manifest.name), f"menu[{index}].process",
                                              f"unknown process {item['process']!r}"))
    return problems


def grant_problems(manifest: Manifest, owners: Mapping[str, str], required: Collection[str],
                   roles: Collection[str]) -> list[DefinitionProblem]:
    """Grants name entities of modules the granting module requires, and roles it may grant."""
    file = manifest_file(manifest.name)
    problems = []
    for entity, granted in sorted(manifest.grants.items()):
        owner = owners.get(entity)
        if owner is None:
            problems.append(DefinitionProblem(file, f"grants.{entity}", f"unknown entity {entity!r}"))
        elif owner == manifest.name:
            problems.append(DefinitionProblem(file, f"grants.{entity}",
                                              f"{entity!r} is this module's own: give permissions in its entity file"))
        elif owner not in required:
            problems.append(DefinitionProblem(file, f"grants.{entity}",
                                              f"{entity!r} belongs to {owner!r}, which this module does not require"))
        problems += [DefinitionProblem(file, f"grants.{entity}.{role}",
                                       f"role {role!r} is not declared in {file} (roles) nor by a module it requires")
                     for role in granted if role not in roles]
    return problems


def required_modules(module: str, manifests: Mapping[str, Manifest | None],
                     deployed_requires: Mapping[str, Collection[str]]) -> set[str]:
    """The modules ``module`` requires, directly or through others."""
    found: set[str] = set()
    own = manifests.get(module)
    pending = list(own.requires if own is not None else deployed_requires.get(module, ()))
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found.add(name)
        manifest = manifests.get(name)
        pending.extend(manifest.requires if manifest is not None else deployed_requires.get(name, ()))
    return found
