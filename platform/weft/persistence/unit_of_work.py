"""One transaction per use case, with the repositories bound to it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

from sqlalchemy import Connection

from .accounts import AccountRepository
from .analytics import AnalyticsRepository
from .audit import AuditRepository
from .collaboration import CollaborationRepository
from .database import Database
from .definitions import DefinitionRepository
from .deployments import DeploymentRepository
from .drafts import DraftRepository
from .human_tasks import HumanTaskRepository
from .incidents import IncidentRepository
from .instances import InstanceRepository
from .jobs import JobRepository, SubscriptionRepository
from .notifications import NotificationRepository
from .outbox import OutboxRepository
from .records import RecordRepository
from .saved_views import SavedViewRepository
from .sign_ins import SignInRepository


class Transaction:
    def __init__(self, conn: Connection, write: bool):
        self.conn = conn
        self.write = write

    @cached_property
    def accounts(self) -> AccountRepository:
        return AccountRepository(self.conn)

    @cached_property
    def deployments(self) -> DeploymentRepository:
        return DeploymentRepository(self.conn)

    @cached_property
    def drafts(self) -> DraftRepository:
        return DraftRepository(self.conn)

    @cached_property
    def instances(self) -> InstanceRepository:
        return InstanceRepository(self.conn)

    @cached_property
    def tasks(self) -> HumanTaskRepository:
        return HumanTaskRepository(self.conn)

    @cached_property
    def jobs(self) -> JobRepository:
        return JobRepository(self.conn)

    @cached_property
    def subscriptions(self) -> SubscriptionRepository:
        return SubscriptionRepository(self.conn)

    @cached_property
    def incidents(self) -> IncidentRepository:
        return IncidentRepository(self.conn)

    @cached_property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self.conn)

    @cached_property
    def definitions(self) -> DefinitionRepository:
        return DefinitionRepository(self.conn)

    @cached_property
    def records(self) -> RecordRepository:
        return RecordRepository(self.conn)

    @cached_property
    def sign_ins(self) -> SignInRepository:
        return SignInRepository(self.conn)

    @cached_property
    def saved_views(self) -> SavedViewRepository:
        return SavedViewRepository(self.conn)

    @cached_property
    def collaboration(self) -> CollaborationRepository:
        return CollaborationRepository(self.conn)

    @cached_property
    def notifications(self) -> NotificationRepository:
        return NotificationRepository(self.conn)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.conn)

    @cached_property
    def analytics(self) -> AnalyticsRepository:
        return AnalyticsRepository(self.conn)


class UnitOfWork:
    """``with uow.write() as tx:`` commits on success and rolls back on any error."""

    def __init__(self, database: Database):
        self.database = database

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        with self.database.transaction(write=False) as conn:
            yield Transaction(conn, write=False)

    @contextmanager
    def write(self) -> Iterator[Transaction]:
        with self.database.transaction(write=True) as conn:
            yield Transaction(conn, write=True)
