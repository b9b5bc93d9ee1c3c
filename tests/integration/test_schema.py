"""The schema: Alembic migrations match the models, and opening is idempotent."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from weft import Weft
from weft.persistence.database import Database
from weft.persistence.schema import current_revision, head_revision
from weft.persistence.tables import Base


def test_migrations_create_exactly_the_models(database_url):
    database = Database(database_url)
    try:
        assert current_revision(database) == head_revision()
        with database.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            assert set(inspect(conn).get_table_names()) >= set(Base.metadata.tables)
    finally:
        database.dispose()


def test_opening_twice_is_harmless(database_url):
    Weft.open(database_url).close()
    with Weft.open(database_url) as weft:
        assert weft.process_definitions() == []


def test_open_creates_the_schema_in_an_empty_sqlite_file(tmp_path):
    path = tmp_path / "fresh" / "weft.db"
    with Weft.open(f"sqlite:///{path}") as weft:
        assert weft.process_definitions() == []
    assert path.exists()
