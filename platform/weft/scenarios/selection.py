"""Which scenarios ``weft test PATH…`` runs, and the lines it prints."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..engine.errors import DeploymentError, Problem
from ..packages.locate import locate_modules
from ..packages.module import load_module
from .runner import ScenarioRunner


def run_selected(root: Path, paths: tuple[str, ...]) -> Iterator[tuple[str, bool]]:
    """``(line, passed)`` per scenario, then a summary. A path is a scenario file, a folder
    holding some, or a module name; none means every module's scenarios."""
    modules = locate_modules(root, root) or []
    if not modules:
        raise DeploymentError([Problem(str(root), "the folder holds no modules (plugins/<module>/plugin.yaml)")])
    wanted = [(root / p).resolve() if not (root / p).is_absolute() else Path(p) for p in paths]
    names = {p for p in paths if p in {m.name for m in modules}}
    problems = []
    selected = []
    for files in modules:
        loaded = load_module(files)
        problems += [Problem(p.file, p.message, p.key or None) for p in loaded.problems if "/scenarios/" in p.file]
        for scenario in loaded.scenarios:
            path = (root / scenario.file).resolve()
            if not paths or files.name in names or any(path == w or w in path.parents for w in wanted):
                selected.append((files.name, scenario))
    if problems:
        raise DeploymentError(problems)
    if not selected:
        raise DeploymentError([Problem(", ".join(paths) or str(root), "no scenario files found")])
    passed = 0
    with ScenarioRunner(modules) as runner:
        for module, scenario in selected:
            result = runner.run(module, scenario)
            passed += result.passed
            if result.passed:
                yield f"PASS {scenario.file}: {scenario.name} ({' > '.join(result.path[-3:])})", True
            else:
                yield from ((f"FAIL {failure}", False) for failure in result.failures)
    yield f"{passed} of {len(selected)} scenarios passed", passed == len(selected)
