"""The embedding API (DESIGN §3): the same use cases the web and REST layers call."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from .config import Settings, normalise_database_url
from .connectors import builtin_registry
from .engine import DeploymentError, ModelCache, Problem, ProcessRunner, Sandbox
from .packages.archive import write_package
from .packages.locate import locate_modules
from .packages.module import ModuleFiles
from .packages.sources import Source, read_source
from .persistence import schema
from .persistence.database import Database
from .persistence.unit_of_work import UnitOfWork
from .services.account_admin import AccountAdminService
from .services.accounts import AccountService, User
from .services.analytics import AnalyticsService
from .services.audit import AuditService
from .services.collaboration import CollaborationService
from .services.deployment import Deployment, DeploymentService, ProcessDefinition
from .services.editors import EditorService
from .services.entity_registry import EntityRegistry
from .services.events import EventService
from .services.human_task import HumanTaskService, Task
from .services.inbox import InboxService
from .services.instance_admin import InstanceAdminService
from .services.instance_runner import InstanceRunner
from .services.instance_view import InstanceViewService
from .services.job_admin import JobAdminService
from .services.jobs import JobService
from .services.mail_delivery import MailDelivery
from .services.modeler import ModelerService
from .services.modules import ModuleService
from .services.notifications import NotificationService
from .services.package_upload import UploadService
from .services.process_instance import ProcessInstance, ProcessInstanceService
from .services.process_versions import ProcessVersionService
from .services.records import RecordService
from .services.reports import ReportService
from .services.seeding import SeedService
from .services.sign_in import SignInService
from .services.start_catalogue import StartService
from .services.task_forms import TaskForms

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def installed_script_functions() -> dict[str, Callable[..., Any]]:
    """Trusted functions from installed packages (entry point group ``weft.script_functions``)."""
    from importlib.metadata import entry_points

    return {entry.name: entry.load() for entry in entry_points(group="weft.script_functions")}


class Weft:
    """A Weft platform over one database.

    >>> weft = Weft.open("sqlite:///x.db")        # creates or upgrades the schema
    >>> weft.deploy("processes/demo")
    >>> instance = weft.start("leave_request", {"days": 3}, user="alice")
    """

    def _clock_functions(self) -> dict[str, Callable[..., Any]]:
        """``now()`` and ``today()`` in scripts and expressions: the platform's clock (UTC), so
        that tests on a virtual clock see the times they set."""
        return {"now": lambda: self.clock(), "today": lambda: self.clock().date()}

    def __init__(self, database: Database, clock: Clock | None = None,
                 script_functions: Mapping[str, Callable[..., Any]] | None = None,
                 settings: Settings | None = None):
        self.database = database
        self.settings = settings or Settings.from_env()
        self.clock: Clock = clock or utc_now
        uow = UnitOfWork(database)
        functions = {**self._clock_functions(), **installed_script_functions(), **(script_functions or {})}
        self.connectors = builtin_registry(self.settings)
        sandbox = Sandbox(functions, self.settings.script_cpu_seconds)
        self.runner = ProcessRunner(sandbox, self.clock, self.connectors)
        self.entities = EntityRegistry()
        self.accounts = AccountService(uow, self.clock)
        self.deployments = DeploymentService(uow, ModelCache(), self.clock, self.connectors.names)
        self.modules = ModuleService(uow, self.clock, self.connectors.names)
        self.modeler = ModelerService(uow, self.deployments, self.clock, self.connectors.names)
        self.records = RecordService(uow, self.entities, self.clock, sandbox)
        forms = TaskForms(self.entities, self.clock, sandbox, self.runner.codec)
        runner = InstanceRunner(self.runner, self.deployments, self.clock, self.settings.mail.sender,
                                services=lambda tx: {"records": lambda: self.records.store(tx),
                                                    "accounts": lambda: tx.accounts},
                                bindings=forms.bindings)
        self.instances = ProcessInstanceService(uow, runner, self.clock)
        self.notifications = NotificationService(uow, self.clock, self.settings.mail.sender, self.settings.base_url)
        self.human_tasks = HumanTaskService(uow, runner, self.clock, forms, self.notifications, self.entities)
        self.sign_in = SignInService(uow, self.accounts, self.clock)
        self.inbox = InboxService(uow, self.entities, self.clock, self.human_tasks)
        self.starts = StartService(uow, self.instances, forms)
        self.collaboration = CollaborationService(uow, self.clock)
        self.instance_views = InstanceViewService(uow, self.instances)
        self.instance_admin = InstanceAdminService(uow, runner, self.instances, self.instance_views, self.clock)
        self.audit = AuditService(uow, self.clock)
        self.account_admin = AccountAdminService(uow, self.clock)
        self.versions = ProcessVersionService(uow)
        self.job_admin = JobAdminService(uow, self.clock)
        self.uploads = UploadService(self.deployments, self.modules)
        self.reports = ReportService(uow, self.entities)
        self.analytics = AnalyticsService(uow, self.clock)
        self.editors = EditorService(uow, self.entities, self.modules, forms)
        self.seeds = SeedService(uow, self.accounts, self.records, self.starts, self.human_tasks, self.clock)
        self.events = EventService(uow, runner)
        self.jobs = JobService(uow, runner, self.clock)
        self.mail = MailDelivery(uow, self.settings.mail, self.clock)

    @classmethod
    def open(cls, url: str | None = None, clock: Clock | None = None,
             script_functions: Mapping[str, Callable[..., Any]] | None = None,
             settings: Settings | None = None) -> Weft:
        """Connect to ``url`` (default: ``WEFT_DATABASE_URL``), creating or upgrading the schema.

        ``clock`` returns an aware datetime (tests pass a virtual clock); ``script_functions``
        are trusted callables offered to scripts and expressions by name.
        """
        settings = settings or Settings.from_env()
        database = Database(normalise_database_url(url) if url else settings.database_url)
        schema.upgrade(database)
        return cls(database, clock, script_functions, settings)

    def close(self) -> None:
        self.database.dispose()

    def __enter__(self) -> Weft:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- deployments -------------------------------------------------------------------------
    def deploy(self, source: str | os.PathLike | Sequence[str | os.PathLike] | Source,
               user: str | None = None, force: Collection[str] = (), dry_run: bool = False) -> Deployment:
        """Deploy a .bpmn/.dmn file, a folder, a list of them, a module (a ``.weftpkg``, a
        ``plugins/<m>`` folder, or a module name under the current directory); raises
        ``DeploymentError``. For modules, ``force`` accepts destructive schema changes by name
        (``entity.field``) and ``dry_run`` reports the changes and DDL without applying them.
        A folder holding several modules (``plugins/*/plugin.yaml``): see ``deploy_modules``."""
        modules = locate_modules(source) if isinstance(source, (str, os.PathLike)) else None
        if modules is not None:
            results = self.modules.deploy(modules, user, force, dry_run)
            if len(results) != 1:
                raise ValueError(f"{source} holds {len(results)} modules: use deploy_modules")
            return results[0]
        if force or dry_run:
            raise ValueError("force and dry_run apply to modules (entities change the schema)")
        return self.deployments.deploy(source if isinstance(source, Source) else read_source(source), user)

    def deploy_modules(self, sources: Sequence[str | os.PathLike | ModuleFiles], user: str | None = None,
                       force: Collection[str] = (), dry_run: bool = False) -> list[Deployment]:
        """Deploy several modules together (in the order their ``requires`` need), in one
        transaction: all of them, or none."""
        modules: list[ModuleFiles] = []
        for source in sources:
            if isinstance(source, ModuleFiles):
                modules.append(source)
                continue
            found = locate_modules(source)
            if found is None:
                raise DeploymentError([Problem(str(source), "not a module (.weftpkg, plugins/<m> folder or name)")])
            modules += found
        return self.modules.deploy(modules, user, force, dry_run)

    def build_package(self, module: str, root: str | os.PathLike = ".", output_dir: str | os.PathLike = "."
                      ) -> Path:
        """Write ``<module>-<version>.weftpkg`` from ``root``'s plugins/, forms/, processes/."""
        return write_package(Path(root), module, Path(output_dir))

    def process_definitions(self) -> list[ProcessDefinition]:
        return self.deployments.process_definitions()

    # -- instances ---------------------------------------------------------------------------
    def start(self, process_key: str, variables: dict[str, Any] | None = None, business_key: str | None = None,
              user: str | None = None) -> ProcessInstance:
        return self.instances.start(process_key, variables, business_key, user)

    def instance(self, instance_id: str | uuid.UUID, user: str | None = None) -> ProcessInstance:
        return self.instances.instance(instance_id, user)

    def cancel(self, instance_id: str | uuid.UUID, user: str | None = None) -> ProcessInstance:
        return self.instances.cancel(instance_id, user)

    def retry(self, instance_id: str | uuid.UUID, variables: dict[str, Any] | None = None,
              user: str | None = None) -> ProcessInstance:
        """Resolve an incident: optionally set variables, re-run the failed element."""
        return self.instances.retry(instance_id, variables, user)

    def suspend(self, instance_id: str | uuid.UUID, user: str | None = None) -> ProcessInstance:
        return self.instances.suspend(instance_id, user)

    def resume(self, instance_id: str | uuid.UUID, user: str | None = None) -> ProcessInstance:
        return self.instances.resume(instance_id, user)

    def set_variables(self, instance_id: str | uuid.UUID, values: dict[str, Any] | None = None,
                      remove: list[str] | None = None, user: str | None = None) -> ProcessInstance:
        """Set and remove variables of an active instance (administrators; audited)."""
        return self.instance_admin.set_variables(instance_id, values, remove, user)

    def migrate(self, instance_id: str | uuid.UUID, version: int, user: str | None = None) -> ProcessInstance:
        """Move an active instance to another version of its process (administrators; audited);
        refused, naming the element, when an active element does not exist there."""
        return self.instance_admin.migrate(instance_id, version, user)

    # -- events and background work ---------------------------------------------------------
    def correlate(self, message_name: str, correlation: dict[str, Any] | None = None,
                  variables: dict[str, Any] | None = None, user: str | None = None) -> list[str]:
        """Deliver a message; returns the ids of the instances it reached or started."""
        return self.events.correlate(message_name, correlation, variables, user)

    def signal(self, signal_name: str, variables: dict[str, Any] | None = None, user: str | None = None) -> list[str]:
        """Broadcast a signal; returns the ids of the instances it reached or started."""
        return self.events.signal(signal_name, variables, user)

    def fire_due_timers(self) -> int:
        """Fire every timer due at ``clock()`` time; returns the count."""
        return self.jobs.fire_due_timers()

    def run_jobs(self) -> int:
        """Run every due job (timers, asynchronous continuations) and send due mail; the count."""
        return self.jobs.run_due() + self.notifications.run_due() + self.mail.deliver_due()

    # -- tasks -------------------------------------------------------------------------------
    def tasks(self, user: str | None = None, instance_id: str | uuid.UUID | None = None,
              open: bool = True) -> list[Task]:
        return self.human_tasks.tasks(user=user, instance_id=instance_id, open=open).tasks

    def claim(self, task_id: str | uuid.UUID, user: str) -> Task:
        return self.human_tasks.claim(task_id, user)

    def unclaim(self, task_id: str | uuid.UUID, user: str) -> Task:
        return self.human_tasks.unclaim(task_id, user)

    def assign(self, task_id: str | uuid.UUID, user: str | None, by: str | None = None) -> Task:
        return self.human_tasks.assign(task_id, user, by)

    def complete(self, task_id: str | uuid.UUID, data: dict[str, Any] | None = None,
                 user: str | None = None) -> ProcessInstance:
        return self.human_tasks.complete(task_id, data, user)

    # -- accounts ----------------------------------------------------------------------------
    def add_user(self, name: str, password: str | None = None, email: str | None = None,
                 groups: list[str] | None = None, display_name: str | None = None) -> User:
        return self.accounts.add_user(name, password, email, groups, display_name)

    def add_group(self, name: str) -> str:
        return self.accounts.add_group(name)

    def add_group_member(self, group: str, user: str) -> None:
        self.accounts.add_member(group, user)

    def create_token(self, user: str, label: str | None = None) -> str:
        return self.accounts.create_token(user, label)
