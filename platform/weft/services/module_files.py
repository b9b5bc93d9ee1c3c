"""The files of a deployed module, as its latest deployment stored them, so that one of them
can be edited and the module deployed again with everything else as it was.

Modules deployed before their YAML files were kept with the deployment get them written back
from the stored definitions (same content; comments and layout are not known)."""

from __future__ import annotations

from typing import Any

import yaml

from ..packages.module import ModuleFiles
from ..persistence.unit_of_work import Transaction
from .errors import NotFound


def deployed_module_files(tx: Transaction, module: str) -> ModuleFiles:
    """The module's files; ``NotFound`` when no module of that name is deployed."""
    row = tx.definitions.module(module)
    if row is None:
        raise NotFound(f"no module {module!r} is deployed")
    deployment = tx.deployments.latest_deployment(module)
    stored = {r.name: bytes(r.content) for r in tx.deployments.resources_of(deployment.id)} if deployment else {}
    if f"plugins/{module}/plugin.yaml" not in stored:
        stored.update(_written_back(tx, module, row))
    return ModuleFiles(module, stored, f"{module} (deployed)")


def _written_back(tx: Transaction, module: str, row: Any) -> dict[str, bytes]:
    manifest = {"name": row.name, "version": row.version, "label": row.label, "requires": list(row.requires or ()),
                "roles": list(row.roles or ()), "menu": list(row.menu or ()), "grants": row.grants or {}}
    files = {f"plugins/{module}/plugin.yaml": _yaml({k: v for k, v in manifest.items() if v not in ([], {}, None)})}
    for entity in tx.definitions.latest_entities():
        if entity.module == module:
            files[f"plugins/{module}/entities/{entity.name}.yaml"] = _yaml(entity.definition)
    for form in tx.definitions.latest_forms():
        if form.module == module:
            files[f"forms/{module}/{form.name}.yaml"] = _yaml(form.definition)
    for report in tx.definitions.latest_reports():
        if report.module == module:
            files[f"plugins/{module}/reports/{report.name}.yaml"] = _yaml(report.definition)
    return files


def _yaml(data: Any) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110).encode()
