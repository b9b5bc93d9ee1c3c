"""Connections and transactions: one transaction per use case, writes serialised per instance.

On SQLite a write transaction starts with ``BEGIN IMMEDIATE`` (the database write lock is
taken up front, so two writers queue instead of failing half-way); on PostgreSQL rows are
locked with ``SELECT … FOR UPDATE`` by the repositories.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_MS = 30_000


class Database:
    def __init__(self, url: str, echo: bool = False):
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.engine: Engine = self._create_engine(echo)

    def _create_engine(self, echo: bool) -> Engine:
        if not self.is_sqlite:
            return create_engine(self.url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)
        database = self.url.database
        in_memory = not database or database == ":memory:"
        if in_memory:
            engine = create_engine(self.url, echo=echo, poolclass=StaticPool,
                                   connect_args={"check_same_thread": False})
        else:
            folder = os.path.dirname(os.path.abspath(str(database)))
            os.makedirs(folder, exist_ok=True)
            engine = create_engine(self.url, echo=echo, connect_args={"check_same_thread": False})
        _configure_sqlite(engine, wal=not in_memory)
        return engine

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Connection]:
        """A connection inside one transaction, committed on success, rolled back on error."""
        with self.engine.connect() as conn:
            if write:
                conn = conn.execution_options(weft_write=True)
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if wal:
            # WAL keeps readers off the writer's back; NORMAL sync is durable against process
            # crashes (the concern here) and avoids an fsync per commit.
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        if conn.get_execution_options().get("weft_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
