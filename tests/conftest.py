"""Shared fixtures. ``WEFT_TEST_DB`` picks the backend (``sqlite`` or ``postgresql``); the
Makefile runs the database-backed tests once on each."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from weft import Weft
from weft.persistence import schema
from weft.persistence.database import Database
from weft.persistence.tables import Base

BACKEND = os.environ.get("WEFT_TEST_DB", "sqlite")
POSTGRES_URL = os.environ.get("WEFT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
ROOT = Path(__file__).resolve().parent.parent
# Public corpora beside the checkout; WEFT_CORPORA points elsewhere (a git worktree in another folder).
CORPORA = Path(os.environ.get("WEFT_CORPORA") or ROOT.parent / "shared" / "corpora")


class VirtualClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, start: dt.datetime):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))


def _postgres_url(database: str) -> str:
    return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory, worker_id):
    """A migrated database per test process: a SQLite file to copy, or a PostgreSQL database."""
    if BACKEND == "sqlite":
        path = tmp_path_factory.mktemp("template") / "weft.db"
        database = Database(f"sqlite:///{path}")
        schema.upgrade(database)
        database.dispose()
        return path
    prefix = os.environ.get("WEFT_TEST_POSTGRES_PREFIX", "weft_test")     # lets two checkouts test side by side
    name = f"{prefix}_{worker_id}".replace("-", "_")
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = _postgres_url(name)
    database = Database(url)
    schema.upgrade(database)
    database.dispose()
    return url


@pytest.fixture
def database_url(database_template, tmp_path) -> str:
    """An empty, migrated database for one test."""
    if BACKEND == "sqlite":
        path = tmp_path / "weft.db"
        shutil.copyfile(database_template, path)
        return f"sqlite:///{path}"
    engine = create_engine(database_template)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        entity_tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                          "AND tablename LIKE 'ent\\_%'")).scalars().all()
        for name in entity_tables:          # tables deployed modules created
            conn.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return database_template


@pytest.fixture
def weft(database_url, clock):
    platform = Weft.open(database_url, clock=clock)
    yield platform
    platform.close()


MODULES = ROOT / "tests" / "modules"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the test project (plugins/, forms/, processes/ of module ``lab``) to change."""
    target = tmp_path / "project"
    shutil.copytree(MODULES, target)
    return target


@pytest.fixture
def bpmn_file(tmp_path):
    """Write BPMN text to a file in the test's folder and return its path."""

    def write(xml: str, name: str = "process.bpmn") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(xml)
        return path

    return write
