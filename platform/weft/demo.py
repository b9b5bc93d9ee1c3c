"""Demo data for ``make run``: users per role and every module found under ``processes/``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .embedding import Weft
from .packages.locate import locate_modules
from .packages.module import load_module
from .services.errors import Conflict

DEMO_PASSWORD = "weft-demo"
DEMO_GROUPS = ["admin", "analyst", "employees", "managers"]
DEMO_USERS = {
    "admin": ["admin", "analyst"],
    "anna": ["analyst", "employees"],
    "emma": ["employees"],
    "mike": ["managers", "employees"],
}


def install_demo(weft: Weft, processes: Path, root: Path | None = None) -> Iterator[str]:
    """Groups, users, then every module under ``root/plugins`` (with its forms and processes)
    and every other folder under ``processes/`` as plain BPMN."""
    for group in DEMO_GROUPS:
        try:
            weft.add_group(group)
            yield f"group {group} added"
        except Conflict:
            pass
    for name, groups in DEMO_USERS.items():
        try:
            weft.add_user(name, DEMO_PASSWORD, f"{name}@example.com", groups)
            yield f"user {name} added ({', '.join(groups)})"
        except Conflict:
            pass
    root = root or processes.parent
    modules = locate_modules(root) if (root / "plugins").is_dir() else None
    module_names: list[str] = []
    if modules:
        for result in weft.deploy_modules(modules, user="admin"):
            module_names.append(result.module)          # in the order their requires need
            yield f"module {result.module} {result.module_version}: deployment version {result.version}"
        by_name = {files.name: files for files in modules}
        for name in [*module_names, *(n for n in sorted(by_name) if n not in module_names)]:
            if name in by_name:                          # a module's seed may use what those it requires seeded
                yield from weft.seeds.load(name, load_module(by_name[name]).seeds, DEMO_PASSWORD)
    if not processes.is_dir():
        return
    for module in sorted(p for p in processes.iterdir() if p.is_dir() and p.name not in module_names):
        deployment = weft.deploy(module, user="admin")
        for process in deployment.processes:
            yield f"{module.name}: {process.key} version {process.version}"
