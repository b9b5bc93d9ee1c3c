"""Labels in data may be translated: ``{en: Purchase order, ru: Заказ поставщику}`` or a plain string."""

from __future__ import annotations

from typing import Any

Label = dict[str, str]
FALLBACK_LOCALE = "en"


def read_label(value: Any, default: str) -> Label:
    """A label as a mapping of locale to text; ``None`` becomes ``{"en": default}``."""
    if value is None:
        return {FALLBACK_LOCALE: default}
    if isinstance(value, str):
        return {FALLBACK_LOCALE: value}
    if isinstance(value, dict) and value and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return dict(value)
    raise ValueError("a label is a text or a mapping of language to text, e.g. {en: Order, ru: Заказ}")


def translate(label: Label, locale: str) -> str:
    return label.get(locale) or label.get(FALLBACK_LOCALE) or next(iter(label.values()), "")


def humanize(name: str) -> str:
    return name.replace("_", " ").capitalize()
