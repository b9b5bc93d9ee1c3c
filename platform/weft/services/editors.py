"""Editing one form or entity definition of a deployed module: its YAML, a preview (the form
as the inbox draws it; the schema changes an entity edit causes), and a deploy of the module
with that one file replaced — through the module deploy, with all its checks, so a refused
destructive change stays refused unless forced by name."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from ..engine import DeploymentError, Problem
from ..forms.checks import check_form
from ..packages.module import Module, ModuleFiles, load_module
from ..persistence.unit_of_work import UnitOfWork
from .actor import ADMIN_GROUP, ANALYST_GROUP, resolve_actor
from .deployment import Deployment
from .entity_registry import EntityRegistry
from .errors import Conflict, NotAllowed, NotFound
from .module_deploy import as_problem
from .module_files import deployed_module_files
from .modules import ModuleService
from .task_forms import TaskForms

KINDS = ("form", "entity")


@dataclass(frozen=True)
class EditedFile:
    module: str
    kind: str                      # "form" or "entity"
    name: str
    path: str                      # forms/<m>/<file>.yaml, plugins/<m>/entities/<file>.yaml
    text: str
    version: int                   # the module's deployment version the text belongs to


@dataclass(frozen=True)
class EditableModule:
    name: str
    label: dict[str, str]
    forms: list[str]
    entities: list[str]


@dataclass(frozen=True)
class FormPreview:
    form: dict[str, Any] | None    # the rendering model (forms/rendering.py); None when unreadable
    problems: list[Problem]


@dataclass(frozen=True)
class EntityPreview:
    changes: list[str]             # e.g. "add_column purchase_order.note"
    statements: list[str]          # the DDL the deploy would run
    refused: list[Problem]         # destructive changes that lose data, each with the ``force`` name accepting it
    problems: list[Problem]        # anything else wrong (fix the YAML)
    forced: list[str]              # force names this preview applied
    unchanged: bool = False

    @property
    def ready(self) -> bool:
        return not self.problems and all(p.force in self.forced for p in self.refused)

    @classmethod
    def refused_by(cls, problems: list[Problem], forced: Collection[str]) -> EntityPreview:
        """What a refused deploy reported, as a preview: the refusals one may force, the rest."""
        return cls([], [], [p for p in problems if p.force], [p for p in problems if not p.force],
                   [str(p.force) for p in problems if p.force in forced])


class EditorService:
    def __init__(self, uow: UnitOfWork, registry: EntityRegistry, modules: ModuleService, forms: TaskForms):
        self.uow = uow
        self.registry = registry
        self.modules = modules
        self.forms = forms

    def editable(self, user: str | None) -> list[EditableModule]:
        """Deployed modules with their forms and entities."""
        with self.uow.read() as tx:
            _require_editor(tx, user)
            forms: dict[str, list[str]] = {}
            for row in tx.definitions.latest_forms():
                forms.setdefault(row.module, []).append(row.name)
            entities: dict[str, list[str]] = {}
            for row in tx.definitions.latest_entities():
                entities.setdefault(row.module, []).append(row.name)
            return [EditableModule(row.name, row.label, sorted(forms.get(row.name, [])),
                                   sorted(entities.get(row.name, []))) for row in tx.definitions.modules()]

    def file(self, kind: str, module: str, name: str, user: str | None) -> EditedFile:
        """The deployed YAML of a form or entity."""
        files, version = self._deployed(module, user)
        path = _path(files, kind, name)
        return EditedFile(module, kind, name, path, files.files[path].decode("utf-8"), version)

    def preview_form(self, module: str, name: str, text: str, user: str | None, locale: str = "en") -> FormPreview:
        """The edited form rendered against the deployed entities, with every problem found."""
        files, _version = self._deployed(module, user)
        path = _path(files, "form", name)
        loaded = load_module(_edited(files, path, text))
        problems = _problems_of(loaded, "form", name, path)
        form = loaded.forms.get(name)
        if form is None or form.file != path:
            return FormPreview(None, problems)
        with self.uow.read() as tx:
            problems += [as_problem(p) for p in check_form(form, self.registry.schema(tx).catalog)]
            # as a task page draws it, for an instance without variables yet (so ${…} defaults stay empty)
            return FormPreview(self.forms.render(tx, form, {}, locale, user), problems)

    def preview_entity(self, module: str, name: str, text: str, user: str | None,
                       force: Collection[str] = ()) -> EntityPreview:
        """A dry run of the module's deploy with the edited entity: the schema changes and DDL,
        destructive changes refused (applied as in ``force`` when every one is forced)."""
        edited = self._edited_module("entity", module, name, text, user)
        try:
            [result] = self.modules.deploy([edited], user, (), dry_run=True)
            return EntityPreview(result.changes, result.statements, [], [], [], result.unchanged)
        except DeploymentError as exc:
            refusal = EntityPreview.refused_by(exc.problems, force)
        if not refusal.ready:
            return refusal
        [result] = self.modules.deploy([edited], user, refusal.forced, dry_run=True)
        return replace(refusal, changes=result.changes, statements=result.statements)

    def deploy(self, kind: str, module: str, name: str, text: str, user: str | None, base_version: int,
               force: Collection[str] = ()) -> Deployment:
        """Deploy the module with the edited file; ``base_version`` is the module deployment the
        edit started from (``Conflict`` when someone deployed the module since)."""
        edited = self._edited_module(kind, module, name, text, user, base_version)
        [result] = self.modules.deploy([edited], user, force)
        return result

    # -- reading ---------------------------------------------------------------------------------
    def _deployed(self, module: str, user: str | None) -> tuple[ModuleFiles, int]:
        with self.uow.read() as tx:
            _require_editor(tx, user)
            files = deployed_module_files(tx, module)
            deployment = tx.deployments.latest_deployment(module)
            return files, deployment.version if deployment else 0

    def _edited_module(self, kind: str, module: str, name: str, text: str, user: str | None,
                       base_version: int | None = None) -> ModuleFiles:
        files, version = self._deployed(module, user)
        if base_version is not None and base_version != version:
            raise Conflict(f"module {module} was deployed meanwhile (version {version}, the edit started from "
                           f"{base_version}): reload the editor and apply your change again")
        path = _path(files, kind, name)
        edited = _edited(files, path, text)
        loaded = load_module(edited)
        defined = loaded.forms if kind == "form" else loaded.entities
        if name not in defined or defined[name].file != path:
            raise DeploymentError(_problems_of(loaded, kind, name, path))
        return edited


def _require_editor(tx, user: str | None) -> None:
    actor = resolve_actor(tx, user)
    if actor is not None and not actor.is_analyst:
        raise NotAllowed(f"editing definitions needs the {ANALYST_GROUP} or {ADMIN_GROUP} role")


def _path(files: ModuleFiles, kind: str, name: str) -> str:
    """The file defining the form or entity ``name``."""
    if kind not in KINDS:
        raise NotFound(f"no editor for {kind!r}")
    loaded = load_module(files)
    defined = loaded.forms if kind == "form" else loaded.entities
    if name not in defined:
        raise NotFound(f"module {files.name} has no {kind} {name!r}")
    return defined[name].file


def _edited(files: ModuleFiles, path: str, text: str) -> ModuleFiles:
    return ModuleFiles(files.name, {**files.files, path: text.replace("\r\n", "\n").encode("utf-8")},
                       f"{path} (edited in the web editor)")


def _problems_of(loaded: Module, kind: str, name: str, path: str) -> list[Problem]:
    """The edited file's own problems; a file that no longer defines ``name`` is one too."""
    problems = [as_problem(p) for p in loaded.problems if p.file == path]
    defined = loaded.forms if kind == "form" else loaded.entities
    if not problems and (name not in defined or defined[name].file != path):
        problems.append(Problem(path, f"the file must keep defining {kind} {name!r}: the editor changes one "
                                      f"{kind}; a new or renamed one goes into its own file", "name"))
    return problems
