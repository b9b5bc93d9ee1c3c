"""Running scenarios in a throw-away SQLite database: the scenario's module and the modules it
requires are deployed with their seed data once (a template), then each scenario runs on its
own copy with a virtual clock."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..embedding import Weft
from ..entities.values import json_value
from ..errors import WeftError
from ..packages.module import ModuleFiles, load_module
from .definition import Expectation, Scenario, Step

PASSWORD = "scenario-pass"
ELEMENT_ID = re.compile(r'\sid="([^"]+)"')


class VirtualClock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass
class ScenarioResult:
    scenario: Scenario
    failures: list[str] = field(default_factory=list)
    path: list[str] = field(default_factory=list)          # elements visited, in order
    active: list[str] = field(default_factory=list)        # where it stands at the end
    state: str | None = None

    @property
    def passed(self) -> bool:
        return not self.failures


class ScenarioRunner:
    """Runs scenarios of the modules in ``modules`` (every module of the project: those a
    scenario's module requires are deployed with it)."""

    def __init__(self, modules: list[ModuleFiles]):
        self.modules = {m.name: m for m in modules}
        self._workdir = Path(tempfile.mkdtemp(prefix="weft-scenarios-"))
        self._templates: dict[tuple[str, ...], Path] = {}

    def close(self) -> None:
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> ScenarioRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def run(self, module: str, scenario: Scenario) -> ScenarioResult:
        result = ScenarioResult(scenario)
        try:
            database = self._copy(self._template(self._needed(module), scenario.at))
        except WeftError as exc:
            result.failures.append(f"{scenario.file}: the modules do not deploy: {exc}")
            return result
        unknown = _unknown_elements(scenario, self._element_ids(self._needed(module)))
        if unknown:
            result.failures += [f"{scenario.file} [{key}]: no element {element!r} in the processes of "
                                f"{', '.join(self._needed(module))}" for key, element in unknown]
            return result
        clock = VirtualClock(scenario.at)
        with Weft.open(f"sqlite:///{database}", clock=clock) as weft:
            _Play(weft, clock, scenario, result).run()
        database.unlink(missing_ok=True)
        return result

    def _needed(self, module: str) -> tuple[str, ...]:
        """The module and those it requires, those first."""
        order: list[str] = []

        def visit(name: str) -> None:
            if name in order or name not in self.modules:
                return
            manifest = load_module(self.modules[name]).manifest
            for required in manifest.requires if manifest else ():
                visit(required)
            order.append(name)

        visit(module)
        return tuple(order)

    def _element_ids(self, names: tuple[str, ...]) -> set[str]:
        found: set[str] = set()
        for name in names:
            for path, content in self.modules[name].files.items():
                if path.startswith("processes/") and path.endswith(".bpmn"):
                    found |= set(ELEMENT_ID.findall(content.decode("utf-8", "replace")))
        return found

    def _template(self, names: tuple[str, ...], at: dt.datetime) -> Path:
        if names not in self._templates:
            path = self._workdir / f"template-{len(self._templates)}.db"
            with Weft.open(f"sqlite:///{path}", clock=VirtualClock(at)) as weft:
                weft.deploy_modules([self.modules[n] for n in names])
                for name in names:
                    list(weft.seeds.load(name, load_module(self.modules[name]).seeds, PASSWORD))
            self._templates[names] = path
        return self._templates[names]

    def _copy(self, template: Path) -> Path:
        target = Path(tempfile.mkstemp(suffix=".db", dir=self._workdir)[1])
        shutil.copyfile(template, target)
        return target


class _Play:
    """One scenario against one database: every problem becomes a failure naming the step."""

    def __init__(self, weft: Weft, clock: VirtualClock, scenario: Scenario, result: ScenarioResult):
        self.weft, self.clock, self.scenario, self.result = weft, clock, scenario, result
        self.instance_id: str | None = None
        self.keys: dict[str, int] = {}                        # records the scenario's record steps created
        self._variables: dict[str, Any] = {}

    def run(self) -> None:
        s = self.scenario
        try:
            variables = self._resolve(s.start_variables)
            started = self.weft.starts.start(s.process, variables, s.start_user) if s.start_user else \
                self.weft.start(s.process, variables)
            self.instance_id = started.id
            self._settle()
        except WeftError as exc:
            self._fail("start", str(exc))
            return
        for step in s.steps:
            try:
                self._step(step)
            except WeftError as exc:
                self._fail(step.key, f"{type(exc).__name__}: {exc}{_details(exc, str(exc))}")
            if self.result.failures:
                break
        self._record()
        if not self.result.failures:
            self._check(s.expect, "expect", final=True)

    def _step(self, step: Step) -> None:
        if step.kind == "task":
            open_tasks = [t for t in self.weft.tasks(instance_id=self.instance_id) if t.element_id == step.task]
            if not open_tasks:
                self._fail(step.key, f"no open task {step.task!r} (open: {', '.join(self._open()) or 'none'})")
                return
            task = open_tasks[0]
            user = step.user or task.assignee             # no user: whoever the process gave it to
            if user and task.assignee != user:
                self.weft.claim(task.id, user)
            self.weft.complete(task.id, self._resolve(step.data), user=user)
        elif step.kind == "wait" and step.wait is not None:
            self.clock.now = step.wait.after(self.clock.now)
            self.weft.fire_due_timers()
        elif step.kind == "message" and step.message is not None:
            self.weft.correlate(step.message, self._resolve(step.correlation), self._resolve(step.data))
        elif step.kind == "record" and step.entity is not None:
            created = self.weft.records.create(step.entity, self._resolve(step.data))
            if step.record_key:
                self.keys[step.record_key] = created["id"]
        elif step.kind == "expect" and step.expect is not None:
            self._record()
            self._check(step.expect, step.key, final=False)
        self._settle()

    def _resolve(self, value: Any) -> Any:
        """``"@key"``: a record the scenario or the seeds created; ``"${name}"``: a variable."""
        variables = self.weft.instance(self.instance_id).variables if self.instance_id else {}

        def walk(item: Any) -> Any:
            if isinstance(item, str) and item.startswith("@") and item[1:] in self.keys:
                return self.keys[item[1:]]
            if isinstance(item, str) and item.startswith("${") and item.endswith("}") and item[2:-1] in variables:
                return variables[item[2:-1]]
            if isinstance(item, dict):
                return {k: walk(v) for k, v in item.items()}
            if isinstance(item, list):
                return [walk(v) for v in item]
            return item

        return self.weft.seeds.resolve(walk(value))

    def _settle(self) -> None:
        """Background jobs run to the end (as the worker would), timers already due fire."""
        for _round in range(100):
            if not (self.weft.run_jobs() or self.weft.fire_due_timers()):
                return

    def _record(self) -> None:
        if self.instance_id is None:
            return
        instance = self.weft.instance(self.instance_id)
        self.result.path = [h["element_id"] for h in instance.history]
        self.result.active = list(instance.active_elements)
        self.result.state = instance.state
        self._variables = instance.variables

    def _open(self) -> list[str]:
        return sorted(t.element_id for t in self.weft.tasks(instance_id=self.instance_id))

    def _check(self, expect: Expectation, key: str, final: bool) -> None:
        path = self.result.path
        if expect.state and self.result.state != expect.state:
            self._fail(f"{key}.state", f"expected {expect.state}, the instance is {self.result.state}")
        missing = _not_in_order(expect.path, path)
        if missing:
            self._fail(f"{key}.path", f"{missing!r} was not visited in this order; path: {' > '.join(path)}")
        for element in expect.not_visited:
            if element in path:
                self._fail(f"{key}.not_visited", f"{element!r} was visited")
        if expect.ends and (not path or path[-1] not in expect.ends or self.result.active):
            self._fail(f"{key}.ends", f"expected to end at {', '.join(expect.ends)}; it stands at "
                                      f"{', '.join(self.result.active) or (path[-1] if path else 'nothing')}")
        for name, wanted in expect.variables.items():
            actual = self._variables.get(name)
            if not _same(actual, wanted):
                self._fail(f"{key}.variables.{name}", f"expected {wanted!r}, got {json_value(actual)!r}")
        if expect.tasks is not None and sorted(expect.tasks) != self._open():
            self._fail(f"{key}.tasks", f"expected open tasks {sorted(expect.tasks)}, open: {self._open()}")

    def _fail(self, key: str, message: str) -> None:
        self.result.failures.append(f"{self.scenario.file} [{key}]: {message}")


def _not_in_order(wanted: tuple[str, ...], path: list[str]) -> str | None:
    position = 0
    for element in wanted:
        try:
            position = path.index(element, position) + 1
        except ValueError:
            return element
    return None


def _same(actual: Any, wanted: Any) -> bool:
    if actual == wanted:
        return True
    return str(json_value(actual)) == str(json_value(wanted))


def _details(exc: Exception, said: str) -> str:
    """The per-field errors of a validation error, unless its message lists them already."""
    errors = getattr(exc, "errors", None) or {}
    return f" {errors}" if any(str(field) not in said for field in errors) else ""


def run_all(modules: list[ModuleFiles]) -> Iterator[tuple[str, ScenarioResult]]:
    """Every scenario of every module, in file order."""
    with ScenarioRunner(modules) as runner:
        for files in modules:
            for scenario in load_module(files).scenarios:
                yield files.name, runner.run(files.name, scenario)


def _unknown_elements(scenario: Scenario, known: set[str]) -> list[tuple[str, str]]:
    """Element ids the scenario names that its processes do not have: (key, id)."""
    named: list[tuple[str, str]] = []

    def expectation(expect: Expectation, key: str) -> None:
        for name in ("path", "not_visited", "ends", "tasks"):
            named.extend((f"{key}.{name}", e) for e in getattr(expect, name) or ())

    for step in scenario.steps:
        if step.kind == "task" and step.task:
            named.append((step.key, step.task))
        if step.expect is not None:
            expectation(step.expect, f"{step.key}.expect")
    expectation(scenario.expect, "expect")
    return [(key, element) for key, element in named if element not in known]
