"""What ``weft deploy`` is pointed at: a ``.weftpkg``, a module folder, a project holding
modules, or a module name; anything else is a plain BPMN/DMN deployment."""

from __future__ import annotations

import os
from pathlib import Path

from ..engine.errors import DeploymentError, Problem
from ..entities.definition_names import IDENTIFIER
from .archive import read_package
from .module import ModuleFiles, read_module_folder

PACKAGE_SUFFIX = ".weftpkg"
MODULE_PARTS = ("plugins", "forms", "processes")


def locate_modules(target: str | os.PathLike, root: Path | None = None) -> list[ModuleFiles] | None:
    """The modules ``target`` names, or ``None`` when it is not a module (plain BPMN/DMN)."""
    root = root or Path.cwd()
    path = Path(target)
    try:
        if path.is_file() and path.name.lower().endswith(PACKAGE_SUFFIX):
            return [read_package(path.read_bytes(), path.name)]
        if path.is_dir() and (path / "plugin.yaml").is_file():
            return [read_module_folder(path.resolve().parent.parent, path.resolve().name)]
        if path.is_dir() and (path / "plugins").is_dir():
            names = sorted(p.name for p in (path / "plugins").iterdir() if (p / "plugin.yaml").is_file())
            return [read_module_folder(path, name) for name in names] or None
        if not path.exists() and IDENTIFIER.match(str(target)) and \
                any((root / part / str(target)).is_dir() for part in MODULE_PARTS):
            return [read_module_folder(root, str(target))]
    except ValueError as exc:
        raise DeploymentError([Problem(str(target), str(exc))]) from None
    return None
