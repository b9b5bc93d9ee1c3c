"""Settings come from WEFT_* variables, once, with clear errors."""

from __future__ import annotations

import pytest

from weft.config import DEFAULT_DATABASE_URL, Settings
from weft.errors import SettingsError


def test_defaults():
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert (settings.scheduler, settings.locale, settings.secret_key) == ("inprocess", "en", None)


def test_values_and_postgres_driver():
    settings = Settings.from_env({"WEFT_DATABASE_URL": "postgresql://u@h/db", "WEFT_SCHEDULER": "off",
                                  "WEFT_LOCALE": "ru", "WEFT_MAIL_PORT": "2525", "WEFT_MAIL_USE_TLS": "yes"})
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert (settings.scheduler, settings.locale, settings.mail.port, settings.mail.use_tls) == ("off", "ru", 2525,
                                                                                                 True)


@pytest.mark.parametrize(("name", "value"), [("WEFT_SCHEDULER", "cron"), ("WEFT_LOCALE", "de"),
                                             ("WEFT_MAIL_PORT", "smtp"), ("WEFT_MAIL_USE_TLS", "maybe")])
def test_bad_values_name_the_variable(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings.from_env({}).locale = "ru"
