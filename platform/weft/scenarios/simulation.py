"""Simulating a scenario for the web: the project's scenario files, one run on its own
throw-away database, and the diagram with the path it took."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..packages.locate import locate_modules
from ..packages.module import ModuleFiles, load_module
from .definition import Scenario, parse_scenario
from .runner import ScenarioResult, ScenarioRunner


@dataclass(frozen=True)
class ScenarioFile:
    module: str
    file: str
    name: str
    process: str


@dataclass
class Simulation:
    file: str
    problems: list[str] = field(default_factory=list)          # the text does not parse
    result: ScenarioResult | None = None
    diagram: str | None = None                                  # the process's BPMN, to draw the path on


class ScenarioCatalogue:
    """The scenario files of the modules under ``root``."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def modules(self) -> list[ModuleFiles]:
        return locate_modules(self.root, self.root) or [] if (self.root / "plugins").is_dir() else []

    def files(self) -> list[ScenarioFile]:
        return [ScenarioFile(m.name, s.file, s.name, s.process)
                for m in self.modules() for s in load_module(m).scenarios]

    def text(self, file: str) -> str | None:
        """The text of a scenario file the catalogue lists (never any other file)."""
        if file not in {f.file for f in self.files()}:
            return None
        return (self.root / file).read_text(encoding="utf-8")

    def diagram(self, file: str) -> str | None:
        """The BPMN of the process the scenario file ``file`` starts."""
        modules = self.modules()
        for files in modules:
            for scenario in load_module(files).scenarios:
                if scenario.file == file:
                    return _diagram(modules, scenario)
        return None

    def simulate(self, file: str, text: str) -> Simulation | None:
        """Run ``text`` (the file as the analyst edited it; nothing is saved) in a throw-away
        database. ``None`` when ``file`` is not one of the project's scenario files."""
        known = {f.file: f for f in self.files()}
        if file not in known:
            return None
        simulation = Simulation(file)
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            simulation.problems.append(f"{file}: not valid YAML: {getattr(exc, 'problem', exc)}")
            return simulation
        scenario, problems = parse_scenario(data, file)
        if scenario is None:
            simulation.problems += [str(p) for p in problems]
            return simulation
        modules = self.modules()
        with ScenarioRunner(modules) as runner:
            simulation.result = runner.run(known[file].module, scenario)
        simulation.diagram = _diagram(modules, scenario)
        return simulation


def _diagram(modules: list[ModuleFiles], scenario: Scenario) -> str | None:
    marker = f'id="{scenario.process}"'
    for files in modules:
        for path, content in sorted(files.files.items()):
            if path.endswith(".bpmn") and marker in (text := content.decode("utf-8", "replace")):
                return text
    return None
