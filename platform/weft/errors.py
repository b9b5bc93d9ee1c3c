"""The root of every error Weft raises on purpose.

Each package keeps its own errors in its ``errors.py``; they carry no HTTP status
(``api/errors.py`` is the one place that maps them to responses).
"""

from __future__ import annotations


class WeftError(Exception):
    """Base class of all deliberate Weft errors."""


class SettingsError(WeftError):
    """A ``WEFT_*`` environment variable holds a value Weft cannot use."""
