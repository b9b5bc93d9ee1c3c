"""A module: its manifest, entities, forms and processes, read from its files."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..engine.model import RESOURCE_SUFFIXES, Resource
from ..entities.definition import EntityDefinition, parse_entity
from ..entities.errors import DefinitionProblem
from ..forms.definition import FormDefinition, parse_form
from ..reports.definition import ReportDefinition, parse_report
from ..scenarios.definition import Scenario, parse_scenario
from .manifest import Manifest, parse_manifest
from .seed import SeedFile, parse_seed

MAX_YAML_BYTES = 512 * 1024
MAX_MODULE_FILES = 2000


@dataclass(frozen=True)
class ModuleFiles:
    """The files of one module by path: ``plugins/<m>/…``, ``forms/<m>/…``, ``processes/<m>/…``."""

    name: str
    files: Mapping[str, bytes]
    origin: str = ""

    @property
    def checksum(self) -> str:
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(f"{path}\0{hashlib.sha256(self.files[path]).hexdigest()}\0".encode())
        return digest.hexdigest()


@dataclass
class Module:
    manifest: Manifest | None
    entities: dict[str, EntityDefinition] = field(default_factory=dict)
    forms: dict[str, FormDefinition] = field(default_factory=dict)
    reports: dict[str, ReportDefinition] = field(default_factory=dict)
    seeds: list[SeedFile] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    problems: list[DefinitionProblem] = field(default_factory=list)


def read_module_folder(root: Path, name: str) -> ModuleFiles:
    """A module from a project: ``plugins/<name>``, ``forms/<name>``, ``processes/<name>`` under ``root``."""
    files: dict[str, bytes] = {}
    for part in ("plugins", "forms", "processes"):
        folder = root / part / name
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_symlink():
                raise ValueError(f"{path}: symbolic links are not deployed")
            if path.is_file() and not path.name.startswith("."):
                files[path.relative_to(root).as_posix()] = path.read_bytes()
                if len(files) > MAX_MODULE_FILES:
                    raise ValueError(f"{root}: module {name!r} has more than {MAX_MODULE_FILES} files")
    return ModuleFiles(name, files, str(root))


def load_module(module: ModuleFiles) -> Module:
    """Parse every file of the module; problems name the file and key."""
    name = module.name
    result = Module(None)
    manifest_path = f"plugins/{name}/plugin.yaml"
    if manifest_path not in module.files:
        result.problems.append(DefinitionProblem(manifest_path, "", "the module has no plugin.yaml"))
    for path, content in sorted(module.files.items()):
        parts = path.split("/")
        if len(parts) < 3 or parts[1] != name or parts[0] not in ("plugins", "forms", "processes"):
            result.problems.append(DefinitionProblem(path, "", f"not a file of module {name!r}"))
            continue
        if path == manifest_path:
            manifest, problems = parse_manifest(_yaml(content, path, result.problems), path)
            result.manifest = manifest
            result.problems += problems
            if manifest is not None and manifest.name != name:
                result.problems.append(DefinitionProblem(path, "name", f"the module in folder {name!r} is named "
                                                                       f"{manifest.name!r}"))
        elif parts[0] == "plugins" and parts[2] == "entities" and path.endswith((".yaml", ".yml")):
            _add(result, content, path, parse_entity, result.entities, "entity")
        elif parts[0] == "plugins" and parts[2] == "reports" and path.endswith((".yaml", ".yml")):
            _add(result, content, path, lambda data, file: parse_report(data, name, file), result.reports, "report")
        elif parts[0] == "plugins" and parts[2] == "seed" and path.endswith((".yaml", ".yml")):
            _add_seed(result, content, path)
        elif parts[0] == "forms" and path.endswith((".yaml", ".yml")):
            _add(result, content, path, lambda data, file: parse_form(data, name, file), result.forms, "form")
        elif parts[0] == "processes" and len(parts) == 4 and parts[2] == "scenarios" and \
                path.endswith((".yaml", ".yml")):
            _add_scenario(result, content, path)
        elif parts[0] == "processes" and path.lower().endswith(RESOURCE_SUFFIXES):
            result.resources.append(Resource(path, content))
    return result


class StrictLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _yaml(content: bytes, path: str, problems: list[DefinitionProblem]):
    if len(content) > MAX_YAML_BYTES:
        problems.append(DefinitionProblem(path, "", f"larger than {MAX_YAML_BYTES // 1024} KB"))
        return None
    try:
        return yaml.load(content.decode("utf-8"), Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problems.append(DefinitionProblem(path, "", f"not valid YAML{where}: {getattr(exc, 'problem', exc)}"))
        return None


def _add_seed(result: Module, content: bytes, path: str) -> None:
    data = _yaml(content, path, result.problems)
    if data is None and result.problems and result.problems[-1].file == path:
        return
    seed, problems = parse_seed(data, path)
    result.problems += problems
    if seed is not None:
        result.seeds.append(seed)


def _add(result: Module, content: bytes, path: str, parse, found: dict, kind: str) -> None:
    """Parse one entity or form file into ``found`` (by name), refusing a name given twice."""
    data = _yaml(content, path, result.problems)
    if data is None and result.problems and result.problems[-1].file == path:
        return
    definition, problems = parse(data, path)
    result.problems += problems
    if definition is None:
        return
    if definition.name in found:
        result.problems.append(DefinitionProblem(path, "name", f"{kind} {definition.name!r} is also defined in "
                                                               f"{found[definition.name].file}"))
        return
    found[definition.name] = definition


def _add_scenario(result: Module, content: bytes, path: str) -> None:
    data = _yaml(content, path, result.problems)
    if data is None:
        return
    scenario, problems = parse_scenario(data, path)
    result.problems += problems
    if scenario is not None:
        result.scenarios.append(scenario)
