"""Every word of the UI has its Russian translation; placeholders survive translation."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from weft.i18n import best_locale, catalogue, gettext

WEB = Path(__file__).resolve().parents[3] / "platform" / "weft" / "web"
CALL = re.compile(r'''\b_\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')''')
SHOWN_STATES = ("open", "completed", "cancelled", "running", "waiting", "terminated", "failed", "create", "update",
                "delete")


def ui_strings() -> set[str]:
    found = set()
    for path in list(WEB.rglob("*.html")) + list(WEB.rglob("*.py")):
        found |= {ast.literal_eval(match.group(1)) for match in CALL.finditer(path.read_text(encoding="utf-8"))}
    return found


def test_every_ui_string_has_a_russian_translation():
    strings = ui_strings() | set(SHOWN_STATES)
    assert len(strings) > 150
    missing = sorted(s for s in strings if s not in catalogue("ru"))
    assert missing == []


def test_placeholders_are_kept():
    for english, russian in catalogue("ru").items():
        assert set(re.findall(r"{\w+}", english)) == set(re.findall(r"{\w+}", russian)), english


def test_gettext_and_language_choice():
    assert gettext("Inbox", "ru") == "Задачи"
    assert gettext("{count} tasks", "ru", count=3) == "Задач: 3"
    assert gettext("Not in the catalogue", "ru") == "Not in the catalogue"
    assert gettext("Inbox", "en") == "Inbox"
    assert best_locale("ru-RU,ru;q=0.9,en;q=0.8", "en") == "ru"
    assert best_locale("de-DE,fr;q=0.5", "en") == "en"
    assert best_locale(None, "ru") == "ru"
