"""Tables of modules as data: deployed modules, entity and form definition versions, naming
series, record history and attachments (the records themselves live in ``ent_*`` tables)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from .columns import Base, BigId, Json, OrderedJson, Timestamp


class Module(Base):
    """A deployed module (plugin): the latest manifest of each."""

    __tablename__ = "modules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    version: Mapped[str] = mapped_column(String(50))
    label: Mapped[dict[str, str]] = mapped_column(Json)
    requires: Mapped[list[str]] = mapped_column(Json)
    roles: Mapped[list[str]] = mapped_column(Json)
    menu: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    grants: Mapped[dict[str, Any] | None] = mapped_column(Json)    # entity -> role -> actions, on others' entities
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id"))
    deployed_at: Mapped[dt.datetime] = Timestamp()


class EntityDefinitionRow(Base):
    """Every deployed version of an entity definition; the newest is the table's shape."""

    __tablename__ = "entity_definitions"
    __table_args__ = (UniqueConstraint("name", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    module: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(OrderedJson)
    checksum: Mapped[str] = mapped_column(String(64))
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id"))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = Timestamp()


class FormDefinitionRow(Base):
    __tablename__ = "form_definitions"
    __table_args__ = (UniqueConstraint("module", "name", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    module: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(OrderedJson)
    checksum: Mapped[str] = mapped_column(String(64))
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id"))
    created_at: Mapped[dt.datetime] = Timestamp()


class ReportDefinitionRow(Base):
    __tablename__ = "report_definitions"
    __table_args__ = (UniqueConstraint("module", "name", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    module: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(OrderedJson)
    checksum: Mapped[str] = mapped_column(String(64))
    deployment_id: Mapped[int] = mapped_column(ForeignKey("deployments.id"))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = Timestamp()


class SeedFile(Base):
    """A seed file of a module that was loaded (demo data is loaded once)."""

    __tablename__ = "seed_files"
    module: Mapped[str] = mapped_column(String(100), primary_key=True)
    path: Mapped[str] = mapped_column(String(300), primary_key=True)
    checksum: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = Timestamp()


class SeedKey(Base):
    """The record a seed ``key`` became, so later seed files refer to it as ``@key``."""

    __tablename__ = "seed_keys"
    module: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    entity: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[int] = mapped_column(BigInteger)


class NamingSeries(Base):
    """The last number handed out per series key (``PO-2026-{#####}``)."""

    __tablename__ = "naming_series"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    current: Mapped[int] = mapped_column(BigInteger)


class RecordChange(Base):
    """Who changed which record when, and each field's old and new value."""

    __tablename__ = "record_history"
    __table_args__ = (Index("ix_record_history_entity_record_id", "entity", "record_id", "id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))            # create, update, delete
    changes: Mapped[dict[str, Any]] = mapped_column(Json)       # field -> [old, new]
    changed_at: Mapped[dt.datetime] = Timestamp()
    changed_by: Mapped[str | None] = mapped_column(String(150))
    source: Mapped[str | None] = mapped_column(String(200))     # e.g. the process step that wrote it


class Attachment(Base):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = Timestamp()
    created_by: Mapped[str | None] = mapped_column(String(150))


modules = cast(Table, Module.__table__)
entity_definitions = cast(Table, EntityDefinitionRow.__table__)
form_definitions = cast(Table, FormDefinitionRow.__table__)
naming_series = cast(Table, NamingSeries.__table__)
report_definitions = cast(Table, ReportDefinitionRow.__table__)
seed_files = cast(Table, SeedFile.__table__)
seed_keys = cast(Table, SeedKey.__table__)
record_history = cast(Table, RecordChange.__table__)
attachments = cast(Table, Attachment.__table__)
