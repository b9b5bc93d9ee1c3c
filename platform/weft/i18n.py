"""English and Russian: English text is the key, ``translations/<locale>.yaml`` maps it (the web
UI and notifications).

Labels that come from data (entities, forms, plugins) carry their own translations
(``entities.labels.translate``); this catalogue covers the UI's own words.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from .config import LOCALES

TRANSLATIONS = Path(__file__).parent / "translations"


@functools.cache
def catalogue(locale: str) -> dict[str, str]:
    path = TRANSLATIONS / f"{locale}.yaml"
    if locale == "en" or not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(key): str(value) for key, value in data.items()}


def gettext(text: str, locale: str, **values: Any) -> str:
    """``text`` in ``locale`` (English when untranslated), with ``{name}`` placeholders filled."""
    translated = catalogue(locale).get(text, text)
    return translated.format(**values) if values else translated


def best_locale(accept_language: str | None, default: str) -> str:
    """The first supported language of an ``Accept-Language`` header, else ``default``."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LOCALES:
            return code
    return default
