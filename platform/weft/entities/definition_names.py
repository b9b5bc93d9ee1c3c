"""The one rule for names in definitions (entities, fields, roles, forms, modules): they become
table, column, index and constraint names, so nothing but lowercase letters, digits and single
underscores, within PostgreSQL's 63 bytes. ``__`` is kept for separators (``ix_ent_a__b``,
filters such as ``total__gte``), so names neither contain it nor end in ``_``."""

from __future__ import annotations

import hashlib
import re

IDENTIFIER = re.compile(r"^(?=.{1,59}$)[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
NAME_RULE = "[a-z][a-z0-9_]*: lowercase letters, digits, single underscores inside, at most 59 characters"
MAX_DATABASE_NAME = 63


def database_name(prefix: str, table: str, part: str) -> str:
    """An index or constraint name, unique for its (table, part) and at most 63 characters:
    ``ix_ent_order__line_item``; longer ones end in a digest of the full name."""
    name = f"{prefix}_{table}__{part}"
    if len(name) <= MAX_DATABASE_NAME:
        return name
    return f"{name[:MAX_DATABASE_NAME - 9]}_{hashlib.sha256(name.encode()).hexdigest()[:8]}"
