"""Helpers for module tests: edit the YAML files of a copied test project, build module files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from weft.packages.module import ModuleFiles


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())



def edit_yaml(path: Path, change: Callable[[Any], Any]) -> None:
    """Load ``path``, let ``change`` modify the data in place, write it back."""
    data = read_yaml(path)
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def entity_file(project: Path, name: str, module: str = "lab") -> Path:
    return project / "plugins" / module / "entities" / f"{name}.yaml"


def module_files(name: str, files: dict[str, Any]) -> ModuleFiles:
    """A module from ``{relative path: YAML data or text or bytes}``; plugin.yaml is added when absent."""
    contents: dict[str, bytes] = {}
    manifest = f"plugins/{name}/plugin.yaml"
    if manifest not in files:
        files = {manifest: {"name": name, "version": "1.0.0"}, **files}
    for path, value in files.items():
        if isinstance(value, bytes):
            contents[path] = value
        elif isinstance(value, str):
            contents[path] = value.encode()
        else:
            contents[path] = yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode()
    return ModuleFiles(name, contents, "test")
