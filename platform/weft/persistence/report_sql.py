"""SQL pieces reports need that differ between SQLite and PostgreSQL: periods of a date, and
days between two moments."""

from __future__ import annotations

from sqlalchemy import Date, Float, Integer, cast, func, literal
from sqlalchemy.sql.elements import ColumnElement

SQLITE_FORMATS = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}
POSTGRES_FORMATS = {"day": "YYYY-MM-DD", "week": 'IYYY-"W"IW', "month": "YYYY-MM", "quarter": 'YYYY-"Q"Q',
                    "year": "YYYY"}


def period_of(column, period: str, dialect: str) -> ColumnElement:
    """``2026-03`` (month), ``2026-Q1``, ``2026-W09``, ``2026-03-02``, ``2026``: sortable text."""
    if dialect == "postgresql":
        return func.to_char(column, POSTGRES_FORMATS[period])
    if period == "quarter":
        month = cast(func.strftime("%m", column), Integer)
        return func.strftime("%Y", column) + literal("-Q") + cast((month + 2) / 3, Integer)
    return func.strftime(SQLITE_FORMATS[period], column)


def days_between(start, end, dialect: str, whole_days: bool = False) -> ColumnElement:
    """Days from ``start`` to ``end``; ``whole_days``: between their dates (when one of them is
    a date, a time of day would only blur the count)."""
    if whole_days:
        if dialect == "postgresql":
            return cast(cast(end, Date) - cast(start, Date), Float)
        return cast(func.julianday(func.date(end)) - func.julianday(func.date(start)), Float)
    if dialect == "postgresql":
        return func.extract("epoch", cast(end, _timestamp()) - cast(start, _timestamp())) / 86400.0
    return cast(func.julianday(end) - func.julianday(start), Float)


def _timestamp():
    from sqlalchemy.dialects.postgresql import TIMESTAMP

    return TIMESTAMP(timezone=True)
