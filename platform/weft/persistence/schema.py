"""Creating and upgrading the platform's schema with Alembic, safely from several processes."""

from __future__ import annotations

import os

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from .database import Database

MIGRATIONS = os.path.join(os.path.dirname(__file__), "migrations")
# Any fixed number: PostgreSQL advisory lock held while migrating.
MIGRATION_LOCK_ID = 0x57EF7


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(database: Database) -> None:
    """Bring the schema to the newest revision; a no-op when it already is."""
    head = head_revision()
    if current_revision(database) == head:
        return
    config = alembic_config()
    with database.engine.connect() as conn:
        if not database.is_sqlite:
            conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
            conn.commit()
        try:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            conn.commit()
        finally:
            if not database.is_sqlite:
                conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID})
                conn.commit()
