"""The field types of entity definitions (DESIGN §5): how each is stored and validated."""

from __future__ import annotations

from dataclasses import dataclass

FIELD_TYPES = ("string", "text", "integer", "decimal", "money", "boolean", "date", "datetime", "choice",
               "reference", "table", "email", "phone", "user", "file", "json")

DEFAULT_STRING_LENGTH = 255
DECIMAL_PRECISION, DECIMAL_SCALE = 18, 6
MONEY_PRECISION, MONEY_SCALE = 18, 2


@dataclass(frozen=True)
class StorageType:
    """How a field is stored: a kind and its size, comparable for widening."""

    kind: str                  # string, text, integer, numeric, boolean, date, datetime, json, file
    length: int | None = None  # strings
    precision: int | None = None
    scale: int | None = None

    def describe(self) -> str:
        if self.kind == "string":
            return f"string({self.length})"
        if self.kind == "numeric":
            return f"numeric({self.precision},{self.scale})"
        return self.kind


def storage_of(field) -> StorageType | None:
    """How ``field`` is stored in its entity's table (``None``: not a column, e.g. ``table``)."""
    kind = field.type
    if kind == "table":
        return None
    if kind in ("string", "choice", "email", "phone", "user"):
        default = {"choice": 64, "email": 320, "phone": 50, "user": 150}.get(kind, DEFAULT_STRING_LENGTH)
        return StorageType("string", length=field.length or default)
    if kind == "text":
        return StorageType("text")
    if kind in ("integer", "reference"):
        return StorageType("integer")
    if kind == "decimal":
        return StorageType("numeric", precision=field.precision or DECIMAL_PRECISION,
                           scale=field.scale if field.scale is not None else DECIMAL_SCALE)
    if kind == "money":
        return StorageType("numeric", precision=MONEY_PRECISION, scale=MONEY_SCALE)
    if kind in ("boolean", "date", "datetime", "json"):
        return StorageType(kind)
    if kind == "file":
        return StorageType("file")
    raise ValueError(f"unknown field type {kind!r}")


def column_storage(field) -> StorageType:
    """``storage_of`` for a field known to be a column."""
    storage = storage_of(field)
    if storage is None:
        raise ValueError(f"{field.name} is a table field, not a column")
    return storage


def widening(old: StorageType, new: StorageType) -> str | None:
    """``None`` when ``new`` holds every value ``old`` can; otherwise why data would be lost."""
    if old == new:
        return None
    if old.kind == "string" and new.kind == "string":
        return None if (new.length or 0) >= (old.length or 0) else f"shorter text ({old.length} -> {new.length})"
    if old.kind == "string" and new.kind == "text":
        return None
    if old.kind == "integer" and new.kind == "numeric":
        return None if (new.precision or 0) - (new.scale or 0) >= 19 else "numbers too small for every integer"
    if old.kind == "numeric" and new.kind == "numeric":
        whole_old, whole_new = (old.precision or 0) - (old.scale or 0), (new.precision or 0) - (new.scale or 0)
        if whole_new >= whole_old and (new.scale or 0) >= (old.scale or 0):
            return None
        return f"fewer digits ({old.describe()} -> {new.describe()})"
    if old.kind == "date" and new.kind == "datetime":
        return None
    return f"{old.describe()} cannot become {new.describe()}"
