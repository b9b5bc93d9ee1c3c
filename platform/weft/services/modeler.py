"""The analyst's modeler: open any deployed process version, keep drafts, validate, deploy.

Drafts are shared per process key and saved with optimistic locking (``version``): a save or a
deploy based on an older draft version is refused with ``Conflict`` instead of overwriting a
colleague's work. Validation runs every check of a deployment and stores nothing.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from ..engine import DeploymentError, Problem, Resource
from ..engine.layout import with_diagram
from ..engine.model import RESOURCE_SUFFIXES
from ..packages.sources import Source
from ..persistence.unit_of_work import Transaction, UnitOfWork
from .actor import ADMIN_GROUP, resolve_actor
from .deployment import DEPLOYER_GROUP, Deployment, DeploymentService
from .diagram_files import blank_diagram, diagram_text, form_problems, form_title, process_keys
from .errors import Conflict, NotAllowed, NotFound

SYSTEM = "(system)"          # who saved a draft when embedding code (no user) saved it


@dataclass(frozen=True)
class DraftInfo:
    key: str
    version: int                  # grows with every save (optimistic locking)
    base_version: int | None      # the deployed version it started from
    saved_by: str
    saved_at: dt.datetime


@dataclass(frozen=True)
class ModelerEntry:
    """A process in the modeler's list: its deployed versions (newest first) and its draft."""
    key: str
    name: str
    versions: list[int]
    draft: DraftInfo | None


@dataclass(frozen=True)
class Diagram:
    key: str | None               # None: a new diagram, keyed by its process id when first saved
    xml: str
    version: int | None           # the deployed version shown, or the one the draft started from
    latest: int | None            # the newest deployed version
    draft: DraftInfo | None       # set when ``xml`` is the draft


@dataclass(frozen=True)
class Choices:
    """What the properties panel offers to pick from."""
    forms: list[tuple[str, str]]      # (form key, title), deployed forms
    connectors: list[str]
    decisions: list[str]              # deployed decision ids


class ModelerService:
    def __init__(self, uow: UnitOfWork, deployments: DeploymentService, clock: Callable[[], dt.datetime],
                 connectors: Callable[[], set[str]] = set):
        self.uow = uow
        self.deployments = deployments
        self.clock = clock
        self.connectors = connectors

    def choices(self, user: str | None, locale: str = "en") -> Choices:
        with self.uow.read() as tx:
            _require_modeler(tx, user)
            forms = sorted((f"{row.module}/{row.name}", form_title(row.definition, row.name, locale))
                           for row in tx.definitions.latest_forms())
            return Choices(forms, sorted(self.connectors()), tx.deployments.decision_keys())

    def processes(self, user: str | None) -> list[ModelerEntry]:
        with self.uow.read() as tx:
            _require_modeler(tx, user)
            drafts = {row.process_key: _draft(row) for row in tx.drafts.all()}
            entries: dict[str, ModelerEntry] = {}
            for row in tx.deployments.all_versions():
                entry = entries.setdefault(row.key, ModelerEntry(row.key, row.name, [], drafts.pop(row.key, None)))
                entry.versions.append(row.version)
        entries.update({key: ModelerEntry(key, key, [], draft) for key, draft in drafts.items()})
        return sorted(entries.values(), key=lambda e: (e.name.lower(), e.key))

    def diagram(self, key: str, user: str | None, version: int | None = None) -> Diagram:
        """The draft of ``key`` if there is one and no ``version`` is asked for, else that
        deployed version (default: the latest)."""
        with self.uow.read() as tx:
            _require_modeler(tx, user)
            latest = tx.deployments.latest_definition(key)
            draft = tx.drafts.get(key) if version is None else None
            if draft is not None:
                return Diagram(key, draft.xml, draft.base_version, latest.version if latest else None, _draft(draft))
            row = latest if version is None else tx.deployments.definition_version(key, version)
            if row is None or latest is None:
                what = f"version {version} of process {key!r}" if version else f"process {key!r}"
                raise NotFound(f"{what} is neither deployed nor drafted")
            [resource] = tx.deployments.resources([row.resource_id])
            # A file without a diagram (written by hand or by a tool) gets a generated one to edit.
            content = with_diagram(bytes(resource.content), key)
            return Diagram(key, diagram_text(content), row.version, latest.version, None)

    def new_diagram(self, user: str | None) -> Diagram:
        with self.uow.read() as tx:
            _require_modeler(tx, user)
        return Diagram(None, blank_diagram(), None, None, None)

    def save(self, xml: str, user: str, key: str | None = None, expected_version: int | None = None) -> DraftInfo:
        """Save ``xml`` as the draft of its process (``key``, or the diagram's first executable
        process for a new diagram). ``expected_version`` is the draft version the editor
        started from (None: no draft)."""
        with self.uow.write() as tx:
            actor = _require_modeler(tx, user)
            saved_by = actor.name if actor else SYSTEM
            key = _key_of(xml, key)
            row = tx.drafts.get(key, for_update=True)
            now = self.clock()
            if row is None:
                if expected_version is not None:
                    raise Conflict(f"the draft of {key!r} was deployed or discarded meanwhile: reload the page "
                                   "(download your diagram first to keep your changes)")
                latest = tx.deployments.latest_definition(key)
                tx.drafts.add(key, latest.version if latest else None, _file_name(tx, key), xml, saved_by, now)
            elif row.version != expected_version or not tx.drafts.replace(key, row.version, xml, saved_by, now):
                raise _newer_draft(row, expected_version)
            return _draft(tx.drafts.get(key))

    def discard(self, key: str, user: str, expected_version: int) -> None:
        with self.uow.write() as tx:
            _require_modeler(tx, user)
            row = tx.drafts.get(key, for_update=True)
            if row is None:
                raise NotFound(f"process {key!r} has no draft")
            if row.version != expected_version or not tx.drafts.delete(key, expected_version):
                raise _newer_draft(row, expected_version)

    def validate(self, xml: str, user: str | None, key: str | None = None) -> list[Problem]:
        """Every problem a deployment of ``xml`` would be refused for (none: it would deploy)."""
        with self.uow.read() as tx:
            _require_modeler(tx, user)
            try:
                self._check(tx, xml, key)
            except DeploymentError as exc:
                return exc.problems
        return []

    def deploy(self, xml: str, user: str | None, key: str | None = None,
               draft_version: int | None = None) -> Deployment:
        """Deploy ``xml`` as the next version of its processes and drop the draft it came from,
        in one transaction; raises ``DeploymentError`` (nothing stored) or ``Conflict`` when a
        colleague saved the draft after ``draft_version``."""
        with self.uow.write() as tx:
            actor = _require_modeler(tx, user, deploying=True)
            key = _key_of(xml, key)
            resource = Resource(_file_name(tx, key), xml.encode("utf-8"))
            problems = _form_problems(tx, resource)
            try:
                deployment = self.deployments.deploy_in(tx, Source(_stem(resource.name), [resource], "modeler"),
                                                        actor.name if actor else None)
            except DeploymentError as exc:
                raise DeploymentError(problems + exc.problems) from None
            if problems:
                raise DeploymentError(problems)
            draft = tx.drafts.get(key, for_update=True)
            if draft is not None and (draft.version != draft_version or not tx.drafts.delete(key, draft.version)):
                raise _newer_draft(draft, draft_version)
            return deployment

    def _check(self, tx: Transaction, xml: str, key: str | None) -> None:
        resource = Resource(_file_name(tx, _key_of(xml, key)), xml.encode("utf-8"))
        problems = _form_problems(tx, resource)
        try:
            self.deployments.check(tx, [resource])
        except DeploymentError as exc:
            problems += exc.problems
        if problems:
            raise DeploymentError(problems)


def may_model(groups: tuple[str, ...] | list[str]) -> bool:
    return ADMIN_GROUP in groups or DEPLOYER_GROUP in groups


def _require_modeler(tx: Transaction, user: str | None, deploying: bool = False):
    actor = resolve_actor(tx, user)
    if actor is not None and not may_model(actor.groups):
        raise NotAllowed(f"{'deploying' if deploying else 'the modeler'} needs the {DEPLOYER_GROUP} or "
                         f"{ADMIN_GROUP} role")
    return actor


def _key_of(xml: str, key: str | None) -> str:
    """The process a diagram is saved and deployed as: ``key`` if the diagram still defines it,
    else (a new diagram) its first executable process."""
    file_name = f"{key or 'diagram'}.bpmn"
    keys = process_keys(xml.encode("utf-8"), file_name)
    if key is not None:
        if key not in keys:
            raise DeploymentError([Problem(file_name, f"the diagram no longer defines process {key!r} (it defines "
                                                      f"{', '.join(keys) or 'none'}): a new process id is a new "
                                                      "process, start it with New diagram", key)])
        return key
    if not keys:
        raise DeploymentError([Problem(file_name, "the diagram defines no process")])
    return keys[0]


def _file_name(tx: Transaction, key: str) -> str:
    """The name the process's file is deployed under: the one it came in, or ``<key>.bpmn``."""
    draft = tx.drafts.get(key)
    if draft is not None:
        return str(draft.file_name)
    latest = tx.deployments.latest_definition(key)
    if latest is not None:
        [resource] = tx.deployments.resources([latest.resource_id])
        return posixpath.basename(resource.name)
    return f"{key}.bpmn"


def _form_problems(tx: Transaction, resource: Resource) -> list[Problem]:
    return form_problems(resource, {f"{row.module}/{row.name}" for row in tx.definitions.latest_forms()})


def _stem(file_name: str) -> str:
    return next((file_name[: -len(suffix)] for suffix in RESOURCE_SUFFIXES if file_name.lower().endswith(suffix)),
                file_name)


def _draft(row) -> DraftInfo:
    return DraftInfo(row.process_key, row.version, row.base_version, row.saved_by, row.saved_at)


def _newer_draft(row, expected_version: int | None) -> Conflict:
    saved = f"{row.saved_by} saved the draft of {row.process_key!r} at {row.saved_at:%Y-%m-%d %H:%M} UTC"
    if expected_version is None:
        return Conflict(f"{saved} (draft version {row.version}): open the draft to go on with it, or discard it "
                        "first (download your diagram to keep your changes)")
    return Conflict(f"{saved} (draft version {row.version}) after you opened it: reload the page to see it "
                    "(download your diagram first to keep your changes)")
